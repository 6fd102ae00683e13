"""An exported ONNX transformer run by onnxruntime, pooled like the sentence-transformers model.

It offers the part of `SentenceTransformer` that `index.embedding.Embedder` uses (`encode`,
`tokenizer`, `max_seq_length`, `get_embedding_dimension`), so the embedder treats both
alike. Tokenization is the model folder's own tokenizer with sentence-transformers'
settings (pad to the longest text of the batch, truncate to the model's length), so token
counts, and hence chunks, are the same as with torch.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# Modules of a sentence-transformers folder this runner reproduces; anything else (Dense,
# a custom module) would be silently dropped, so such a model is refused.
_SUPPORTED_MODULES = {"Transformer", "Pooling", "Normalize"}
_POOLING_MODES = ("mean", "cls")


class OnnxSentenceModel:
    """One ONNX file and the model folder's tokenizer."""

    def __init__(self, onnx_file: Path | str, model_path: str, threads: int = 0):
        import onnxruntime as ort

        self.pooling = pooling_mode(model_path)
        config = json.loads((Path(model_path) / "config.json").read_text(encoding="utf-8"))
        # As sentence-transformers does: the tokenizer's length, capped at the position table.
        self.max_seq_length = min(_model_max_length(model_path), config.get("max_position_embeddings", 512))
        self.tokenizer = _fast_tokenizer(model_path, self.max_seq_length)
        self._dim = int(config["hidden_size"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # Spinning worker threads help on an idle machine and cost a lot on a shared one
        # (another process on the same 2 cores): measured 12 vs 32 texts/s under load.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self.session.get_inputs()]

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text`, without [CLS]/[SEP] (nor truncation)."""
        return self.tokenizer.count(text)

    def get_embedding_dimension(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str], batch_size: int = 32, normalize_embeddings: bool = True,
               convert_to_numpy: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        """Vectors of `texts`, float32, in input order (the caller orders by length)."""
        vectors = [self._encode_batch(list(texts[b:b + batch_size])) for b in range(0, len(texts), batch_size)]
        out = np.concatenate(vectors) if vectors else np.zeros((0, self._dim), np.float32)
        if normalize_embeddings:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        # Tokenize as sentence-transformers does
        encoded = self.tokenizer(texts)
        feeds = {name: encoded[name].astype(np.int64) for name in self._inputs}
        # Token states, then pooling over the real (unpadded) tokens
        states = self.session.run(None, feeds)[0]
        if self.pooling == "cls":
            return states[:, 0].astype(np.float32)
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        return ((states * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)).astype(np.float32)


def pooling_mode(model_path: str) -> str:
    """How the folder's sentence-transformers model pools token states: its `modules.json`
    and pooling config, or mean pooling for a plain transformers folder (what
    sentence-transformers builds then, as for m3e-small)."""
    folder = Path(model_path)
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        return "mean"
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    kinds = {m["type"].rsplit(".", 1)[-1]: m.get("path", "") for m in modules}
    unsupported = set(kinds) - _SUPPORTED_MODULES
    if unsupported:
        raise ValueError(f"ONNX 编码器不支持该模型的模块：{', '.join(sorted(unsupported))}；请使用 torch 编码器")
    if "Pooling" not in kinds:
        return "mean"
    config = json.loads((folder / kinds["Pooling"] / "config.json").read_text(encoding="utf-8"))
    mode = config.get("pooling_mode") or next(
        (m for m in _POOLING_MODES if config.get(f"pooling_mode_{m}_tokens") or config.get(f"pooling_mode_{m}_token")),
        None)
    if mode not in _POOLING_MODES:
        raise ValueError(f"ONNX 编码器不支持该模型的池化方式：{mode}；请使用 torch 编码器")
    return mode


def _model_max_length(model_path: str) -> int:
    path = Path(model_path) / "tokenizer_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    length = config.get("model_max_length", 512)
    return int(length) if isinstance(length, (int, float)) and length < 1e6 else 512


def _fast_tokenizer(model_path: str, max_length: int):
    """A callable texts -> {input_ids, attention_mask, token_type_ids} arrays.

    The `tokenizers` library reads the folder's tokenizer.json directly: the same fast
    tokenizer transformers would build, without importing transformers, which imports
    torch (two seconds of every start-up). A folder without tokenizer.json falls back
    to transformers."""
    path = Path(model_path) / "tokenizer.json"
    if not path.exists():
        from transformers import AutoTokenizer

        return _TransformersTokenizer(AutoTokenizer.from_pretrained(model_path), max_length)
    from tokenizers import Tokenizer

    return _FastTokenizer(Tokenizer.from_file(str(path)), max_length)


class _FastTokenizer:
    """Batches as transformers' fast tokenizer pads and truncates them."""

    def __init__(self, tokenizer, max_length: int):
        self._plain = tokenizer
        self._batch = tokenizer.from_str(tokenizer.to_str())     # a copy that pads and truncates
        self._batch.enable_truncation(max_length)
        self._batch.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")

    def __call__(self, texts: list[str]) -> dict[str, np.ndarray]:
        batch = self._batch.encode_batch(texts)
        return {"input_ids": np.array([e.ids for e in batch]),
                "attention_mask": np.array([e.attention_mask for e in batch]),
                "token_type_ids": np.array([e.type_ids for e in batch])}

    def count(self, text: str) -> int:
        return len(self._plain.encode(text, add_special_tokens=False).ids)


class _TransformersTokenizer:
    def __init__(self, tokenizer, max_length: int):
        self._tokenizer, self._max_length = tokenizer, max_length

    def __call__(self, texts: list[str]) -> dict[str, np.ndarray]:
        return self._tokenizer(texts, padding=True, truncation="longest_first",
                               max_length=self._max_length, return_tensors="np")

    def count(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])
