"""Encoders: the ONNX export cache, int8 vectors against torch fp32, and the encoder setting
reaching builds and refusing a store of another encoder.

The export tests run on a tiny random BERT written here (with m3e-small's tokenizer), so
exporting it costs a second; the agreement tests export the real m3e-small once per module.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.cli import main  # noqa: E402
from index.build import BuildResult  # noqa: E402
from index.embedding import Embedder, EmbeddingSettings, bundled_model_path, model_id_for  # noqa: E402
from index.onnx_export import MODEL_FILE, ensure_export, export_folder, int8_target, publish_export  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Sentences of the genre: figures, measures, status phrases, a heading.
GENRE_SENTENCES = [
    "区域审方系统累计干预不合理处方17906张，处方合格率提升至98.6%。",
    "针对巡察反馈的问题，局党委召开专题会议，逐条研究制定整改措施。",
    "已完成整改，并建立健全长效机制。",
    "下一步，我们将持续巩固整改成果，防止问题反弹回潮。",
    "审计发现专项资金闲置1200万元，已全部盘活用于民生项目。",
    "三、关于落实全面从严治党主体责任方面",
]
# int8 vectors of a text stay this close to torch fp32's: on the ten-report corpus (1,920
# chunks and sentences) the cosine was 0.997 on average and 0.994 at the lowest.
INT8_MIN_COSINE = 0.98
# ONNX fp32 is the same computation as torch: only float rounding differs.
FP32_MIN_COSINE = 0.9999
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


@lru_cache(maxsize=1)
def torch_embedder() -> Embedder:
    """The reference: m3e-small run by sentence-transformers in fp32."""
    return Embedder(EmbeddingSettings(encoder="torch"))


def require_onnxruntime() -> None:
    pytest.importorskip("onnxruntime", reason="未安装 onnxruntime：ONNX 编码器不可用")
    pytest.importorskip("onnx", reason="未安装 onnx：无法导出 ONNX 模型")


def write_tiny_model(folder: Path, seed: int = 0) -> Path:
    """A one-layer BERT of width 32 with random weights and m3e-small's tokenizer."""
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=21128, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(folder)
    for name in _TOKENIZER_FILES:
        shutil.copy(Path(bundled_model_path()) / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    require_onnxruntime()
    return write_tiny_model(tmp_path_factory.mktemp("models") / "tiny-bert")


@pytest.fixture(scope="module")
def real_export_dir(tmp_path_factory) -> Path:
    require_onnxruntime()
    return tmp_path_factory.mktemp("m3e-exports")


@pytest.fixture(scope="module")
def int8_vectors(real_export_dir) -> np.ndarray:
    embedder = Embedder(EmbeddingSettings(encoder="onnx-int8", export_dir=str(real_export_dir)))
    return embedder.embed(GENRE_SENTENCES)


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its inode and modification time (ns)."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the export cache -----------------------------------------------------------------

def test_export_is_written_under_the_model_id(tiny_model, tmp_path):
    onnx_file = ensure_export(str(tiny_model), model_id_for(str(tiny_model)), tmp_path)
    assert onnx_file == export_folder(tmp_path, model_id_for(str(tiny_model))) / MODEL_FILE
    assert onnx_file.is_file()


def test_int8_export_into_a_relative_folder(tiny_model, tmp_path, monkeypatch):
    # the default export folder is var/models, relative to where the command runs
    monkeypatch.chdir(tmp_path)
    onnx_file = ensure_export(str(tiny_model), model_id_for(str(tiny_model)), Path("var/models"), int8=int8_target())
    assert (tmp_path / onnx_file).is_file() and not onnx_file.is_absolute()
    assert not list((tmp_path / "var/models").rglob("fp32-*"))      # the private link is gone


def test_second_export_reuses_the_files_of_the_first(tiny_model, tmp_path):
    model_id = model_id_for(str(tiny_model))
    ensure_export(str(tiny_model), model_id, tmp_path, int8=int8_target())
    before = files_under(tmp_path)
    ensure_export(str(tiny_model), model_id, tmp_path, int8=int8_target())
    assert files_under(tmp_path) == before


def test_int8_export_sits_beside_its_fp32_source(tiny_model, tmp_path):
    model_id = model_id_for(str(tiny_model))
    ensure_export(str(tiny_model), model_id, tmp_path, int8=int8_target())
    assert sorted(p.name for p in (tmp_path / model_id).iterdir()) == sorted(
        [export_folder(tmp_path, model_id).name, export_folder(tmp_path, model_id, int8_target()).name])


def test_another_model_folder_gets_its_own_export(tiny_model, tmp_path):
    other = write_tiny_model(tmp_path / "another-bert", seed=1)
    first = ensure_export(str(tiny_model), model_id_for(str(tiny_model)), tmp_path / "cache")
    second = ensure_export(str(other), model_id_for(str(other)), tmp_path / "cache")
    assert first.parent != second.parent
    assert first.read_bytes() != second.read_bytes()


def test_export_that_publishes_second_keeps_the_first_one(tmp_path):
    final = tmp_path / "model" / "onnx-v1"
    final.parent.mkdir()
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MODEL_FILE).write_text(name)
    assert publish_export(tmp_path / "first", final) is True
    assert publish_export(tmp_path / "second", final) is False
    assert (final / MODEL_FILE).read_text() == "first"


def test_two_processes_exporting_at_once_share_one_export(tiny_model, tmp_path):
    script = ("import sys; from index.onnx_export import ensure_export; "
              "print(ensure_export(sys.argv[1], 'tiny-bert-race', sys.argv[2], int8=sys.argv[3]))")
    command = [sys.executable, "-c", script, str(tiny_model), str(tmp_path), int8_target()]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    assert len({out.strip() for out, _ in outputs}) == 1
    assert sorted(p.name for p in (tmp_path / "tiny-bert-race").iterdir()) == sorted(
        [export_folder(tmp_path, "tiny-bert-race").name, export_folder(tmp_path, "tiny-bert-race", int8_target()).name])


def test_unknown_int8_target_is_refused_in_chinese():
    with pytest.raises(ValueError, match="未知的 int8 量化目标"):
        int8_target("avx9000")


# --- vectors --------------------------------------------------------------------------

def test_int8_vectors_of_genre_sentences_stay_close_to_torch(int8_vectors):
    cosine = (int8_vectors * torch_embedder().embed(GENRE_SENTENCES)).sum(axis=1)
    assert cosine.min() > INT8_MIN_COSINE


def test_int8_vectors_are_not_the_torch_vectors(int8_vectors):
    # The encoder really runs the quantized model: int8 rounding moves every vector a little.
    cosine = (int8_vectors * torch_embedder().embed(GENRE_SENTENCES)).sum(axis=1)
    assert cosine.max() < FP32_MIN_COSINE


def test_onnx_fp32_vectors_match_torch(real_export_dir, int8_vectors):
    embedder = Embedder(EmbeddingSettings(encoder="onnx", export_dir=str(real_export_dir)))
    cosine = (embedder.embed(GENRE_SENTENCES) * torch_embedder().embed(GENRE_SENTENCES)).sum(axis=1)
    assert cosine.min() > FP32_MIN_COSINE


def test_onnx_encoder_counts_tokens_as_torch_does(real_export_dir, int8_vectors):
    embedder = Embedder(EmbeddingSettings(encoder="onnx-int8", export_dir=str(real_export_dir)))
    assert [embedder.count_tokens(s) for s in GENRE_SENTENCES] == [torch_embedder().count_tokens(s) for s in GENRE_SENTENCES]


# --- the setting ----------------------------------------------------------------------

def test_unknown_encoder_is_refused_in_chinese():
    with pytest.raises(ValueError, match="未知的编码器"):
        EmbeddingSettings(encoder="tensorflow")


def test_int8_encoder_names_its_quantization_recipe():
    assert Embedder(EmbeddingSettings(encoder="onnx-int8")).encoder == f"onnx-int8:{int8_target()}"


def test_build_encoder_flag_reaches_the_embedder(tmp_path, monkeypatch):
    seen = {}

    def fake_build(source_dir, store_dir, embedder=None, settings=None, progress=True):
        seen["encoder"] = embedder.encoder
        return BuildResult(reports=1)

    monkeypatch.setattr("index.build.build_index", fake_build)
    assert main(["index", "build", str(tmp_path), "--store", str(tmp_path / "store"), "--encoder", "onnx"]) == 0
    assert seen["encoder"] == "onnx"


def test_asking_a_store_of_another_encoder_says_so_in_chinese(sample_store, capsys, monkeypatch):
    monkeypatch.setenv("RECTIFY_EMBED_ENCODER", "onnx")     # the sample store: the default encoder
    assert main(["ask", "哪些问题仍在整改中", "--store", str(sample_store)]) == 1
    assert "不同编码器的向量不能混用" in capsys.readouterr().err


def test_answering_from_an_onnx_store_never_imports_torch(sample_store):
    """Start-up cost: torch and transformers take seconds to import and are not needed to
    answer from a store whose vectors the ONNX encoder made."""
    code = ("import sys; from assistant.assistant import Assistant; "
            f"bot = Assistant.load({str(sample_store)!r}); bot.ask('共有多少个问题'); "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip().splitlines()[-1] == "[]"
