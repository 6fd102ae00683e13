"""A sentence-transformers model folder -> ONNX files (fp32, int8) in a local cache, once.

sentence-transformers' own ONNX backend (`backend="onnx"`, `export_dynamic_quantized_onnx_model`)
needs `optimum.onnxruntime`, whose only release (optimum-onnx 0.1.0) requires
transformers < 4.58; this project pins transformers 5.23.0. So the same two steps are done
here with what they wrap: `torch.onnx.export` of the transformer (what optimum's exporter
calls) and `onnxruntime.quantization.quantize_dynamic` with the options of optimum's
`AutoQuantizationConfig.<target>(is_static=False)`.

    <cache>/<model id>/onnx-v1/model.onnx                    fp32
    <cache>/<model id>/onnx-int8-<target>-v1/model.onnx      int8 weights, dynamic activations
    <cache>/<model id>/.tmp-…/                               an export in progress

Keyed by the model id (`index.embedding.model_id_for`), so another model folder gets its
own files. An export is written into a temporary folder and renamed into place, so a
reader sees a complete export or none, and two processes exporting at once both end up
using whichever rename came first; the loser's copy is deleted.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from index.generations import fsync_tree

logger = logging.getLogger(__name__)

# Bump when the recipe below changes (opset, inputs, quantization options): existing
# exports are then left alone and a new folder is written.
EXPORT_VERSION = 1
MODEL_FILE = "model.onnx"
INFO_FILE = "export.json"
_TEMP_PREFIX = ".tmp-"
# A temporary folder this old belongs to an export that was killed, not to a running one
# (an export of m3e-small takes about 10 s on 2 cores).
_STALE_TEMP_SECONDS = 3600
# Opset 18: what optimum's exporter uses by default; onnxruntime 1.32 runs up to 23.
OPSET = 18
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


@dataclass(frozen=True)
class Int8Recipe:
    """Options of `quantize_dynamic` for one CPU family, as optimum's `AutoQuantizationConfig`
    sets them for dynamic quantization (symmetric weights, asymmetric activations, per channel)."""

    weight_type: str        # "QInt8" or "QUInt8"
    reduce_range: bool
    per_channel: bool = True


# x86 without VNNI multiplies u8 by s8 with VPMADDUBSW, which saturates; optimum's avx2
# config avoids it with unsigned weights (u8u8). With VNNI (VPDPBUSD) or on ARM, s8 weights.
INT8_RECIPES = {
    "avx512_vnni": Int8Recipe(weight_type="QInt8", reduce_range=False),
    "avx2": Int8Recipe(weight_type="QUInt8", reduce_range=False),
    "arm64": Int8Recipe(weight_type="QInt8", reduce_range=False),
}


def int8_target(requested: str = "auto") -> str:
    """The int8 recipe for this CPU: `requested` when not "auto", else from the CPU flags."""
    if requested != "auto":
        if requested not in INT8_RECIPES:
            raise ValueError(f"未知的 int8 量化目标：{requested}（可选 {', '.join(INT8_RECIPES)} 或 auto）")
        return requested
    if platform.machine().lower() in ("aarch64", "arm64"):
        return "arm64"
    return "avx512_vnni" if "avx512_vnni" in _cpu_flags() else "avx2"


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def export_folder(cache_dir: Path | str, model_id: str, int8: str | None = None) -> Path:
    """Where the export of `model_id` lives: fp32 when `int8` is None, else that recipe's."""
    name = f"onnx-v{EXPORT_VERSION}" if int8 is None else f"onnx-int8-{int8}-v{EXPORT_VERSION}"
    return Path(cache_dir) / model_id / name


def ensure_export(model_path: str, model_id: str, cache_dir: Path | str, int8: str | None = None) -> Path:
    """The `model.onnx` of this model (int8 with recipe `int8`, else fp32), exporting it on
    first use. Later calls, and other processes, reuse the file."""
    final = export_folder(cache_dir, model_id, int8)
    if (final / MODEL_FILE).is_file():
        return final / MODEL_FILE
    source = ensure_export(model_path, model_id, cache_dir) if int8 else None
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(final.parent)
    temp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=final.parent))
    os.chmod(temp, 0o755)   # mkdtemp's 0700 would hide the export from other users of the cache
    try:
        started = time.perf_counter()
        if int8 is None:
            _export_fp32(model_path, temp / MODEL_FILE)
        else:
            # The quantizer writes a shape-inferred copy beside its input and deletes it
            # afterwards; beside the shared fp32 file, two processes quantizing at once
            # delete each other's copy. A link in this export's own folder keeps it private.
            private = temp / f"fp32-{MODEL_FILE}"
            os.symlink(Path(source).resolve(), private)      # absolute: the link lives elsewhere
            _quantize(private, temp / MODEL_FILE, INT8_RECIPES[int8])
            private.unlink()
        _write_info(temp, model_id, int8, time.perf_counter() - started)
        fsync_tree(temp)    # on disk before the rename makes it visible
        publish_export(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return final / MODEL_FILE


def publish_export(temp: Path, final: Path) -> bool:
    """Rename a finished export into place; False (and `temp` left for the caller to delete)
    when another process published first. A rename onto a non-empty folder fails on POSIX,
    so the first export stays and nothing ever half-replaces it."""
    try:
        os.rename(temp, final)
    except OSError:
        if (final / MODEL_FILE).is_file():
            logger.info("another process exported %s first; using its files", final)
            return False
        raise
    logger.info("exported %s", final)
    return True


def _remove_stale_temps(folder: Path) -> None:
    now = time.time()
    for temp in folder.glob(f"{_TEMP_PREFIX}*"):
        try:
            if now - temp.stat().st_mtime > _STALE_TEMP_SECONDS:
                shutil.rmtree(temp, ignore_errors=True)
        except FileNotFoundError:   # its owner just renamed or removed it
            pass


def _export_fp32(model_path: str, target: Path) -> None:
    """The transformer of the model folder (what sentence-transformers' Transformer module
    loads) as ONNX: token ids in, last hidden state out, batch and length dynamic."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    # Forward by keyword: the positional order of BertModel.forward changed in transformers 5.
    class _LastHiddenState(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model = AutoModel.from_pretrained(model_path).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    # Two texts of different lengths, so the traced graph keeps the padding mask.
    sample = tokenizer(["整改工作取得阶段性成效", "审方"], padding=True, return_tensors="pt")
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*INPUT_NAMES, "last_hidden_state")}
    # The tracer warns about Python-level branches of the attention code; the traced graph
    # is checked against torch by the tests (cosine of the same texts).
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHiddenState(model), tuple(sample[name] for name in INPUT_NAMES), str(target),
            input_names=list(INPUT_NAMES), output_names=["last_hidden_state"],
            dynamic_axes=dynamic, opset_version=OPSET, dynamo=False,
        )


def _quantize(source: Path, target: Path, recipe: Int8Recipe) -> None:
    """Dynamic int8 quantization of every quantizable operator (MatMul, Gather, …): weights
    quantized once here, activations at run time per batch, so no calibration set."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The quantizer logs to the root logger, and warns there that a pre-processing pass
    # (shape inference) might help; optimum does not run one either, and the warning would
    # reach every terminal that builds a store.
    root = logging.getLogger()
    quiet = _BelowError()
    root.addFilter(quiet)
    try:
        quantize_dynamic(
            str(source), str(target),
            per_channel=recipe.per_channel,
            reduce_range=recipe.reduce_range,
            weight_type=getattr(QuantType, recipe.weight_type),
            extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
        )
    finally:
        root.removeFilter(quiet)


class _BelowError(logging.Filter):
    """Drops records under ERROR logged on the root logger itself (onnxruntime's quantizer)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name != "root" or record.levelno >= logging.ERROR


def _write_info(folder: Path, model_id: str, int8: str | None, seconds: float) -> None:
    import onnxruntime

    info = {
        "model_id": model_id,
        "export_version": EXPORT_VERSION,
        "opset": OPSET,
        "int8": None if int8 is None else {"target": int8, **asdict(INT8_RECIPES[int8])},
        "onnxruntime": onnxruntime.__version__,
        "seconds": round(seconds, 1),
    }
    (folder / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
