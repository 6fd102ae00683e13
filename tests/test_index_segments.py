"""Segments: what a build writes for one added, changed or removed report; compaction;
sentence vectors in float16. Vectors come from a stand-in encoder (hash of the text), so
these tests exercise the store, not the model."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import BuildSettings, build_index
from index.generations import LOCK_NAME, current_generation
from index.loaded import load_store
from index.manifest import read_manifest
from index.segments import PACK_PREFIX, SEGMENTS_DIR_NAME, CompactionSettings, plan_compaction

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "data" / "reports"
COUNTY = "county-health-2024.txt"


class HashEmbedder:
    """Deterministic unit vectors from a hash of each text: no model, same text same vector."""

    model_id = "hash-stand-in-00000000"
    encoder = "torch"
    dim = 32

    def count_tokens(self, text: str) -> int:
        return len(text)

    def embed(self, texts, on_batch=None):
        vectors = np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        if on_batch is not None:
            on_batch(len(texts))
        return vectors

    def embed_query(self, text: str):
        return self._vector(text)

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)
        return v / np.linalg.norm(v)


def add_variant(corpus: Path, n: int) -> str:
    """A new report: the county report under another name with one more sentence."""
    name = f"county-variant-{n}.txt"
    text = (SAMPLE_CORPUS / COUNTY).read_text(encoding="utf-8")
    (corpus / name).write_text(text + f"\n附：第{n}份副本。\n", encoding="utf-8")
    return name


def build(corpus: Path, store: Path, **settings):
    return build_index(corpus, store, embedder=HashEmbedder(), settings=BuildSettings(**settings), progress=False)


def snapshot(store: Path) -> dict[str, tuple[int, int]]:
    """Every file of the store but the lock (which holds the builder's pid) with its
    (size, mtime_ns)."""
    return {p.relative_to(store).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in store.rglob("*") if p.is_file() and p.name != LOCK_NAME}


def written_since(before: dict, store: Path) -> set[str]:
    after = snapshot(store)
    return {path for path, stamp in after.items() if before.get(path) != stamp}


def segment_folders(store: Path) -> list[str]:
    return sorted(p.name for p in (store / SEGMENTS_DIR_NAME).iterdir())


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder)
    return folder


@pytest.fixture
def store(tmp_path, corpus) -> Path:
    build(corpus, tmp_path / "store")
    return tmp_path / "store"


# --- writes proportional to the change ------------------------------------------------

def test_adding_a_report_writes_only_its_segment_and_a_manifest(corpus, store):
    before = snapshot(store)
    add_variant(corpus, 1)
    result = build(corpus, store)
    written = written_since(before, store)
    new_key = next(f.cache_key for f in read_manifest(store / result.generation).files
                   if f.source == "county-variant-1.txt")
    assert {p.split("/")[0] for p in written} == {SEGMENTS_DIR_NAME, result.generation, "CURRENT"}
    assert {p.split("/")[1] for p in written if p.startswith(SEGMENTS_DIR_NAME)} == {new_key}
    assert {p for p in written if p.startswith("gen-")} == {f"{result.generation}/manifest.json"}


def test_the_manifest_names_one_page_per_segment_not_every_report(corpus, store):
    import json

    for n in range(3):
        add_variant(corpus, n)
    result = build(corpus, store, compaction=CompactionSettings(max_segments=2))
    raw = json.loads((store / result.generation / "manifest.json").read_text(encoding="utf-8"))
    entries = read_manifest(store / result.generation).files
    assert raw["files"] == [] and len(entries) == 5
    assert sorted(p["segment"] for p in raw["pages"]) == segment_folders(store) and len(raw["pages"]) <= 2
    assert [f.source for f in entries] == sorted(f.source for f in entries)      # corpus order


def test_removing_a_report_from_a_pack_drops_it_without_rewriting_the_pack(corpus, store):
    names = [add_variant(corpus, n) for n in range(3)]
    build(corpus, store, compaction=CompactionSettings(max_segments=2))
    before = snapshot(store)
    (corpus / names[0]).unlink()
    result = build(corpus, store, compaction=CompactionSettings(max_segments=2))
    assert written_since(before, store) == {f"{result.generation}/manifest.json", "CURRENT"}
    sources = [f.source for f in read_manifest(store / result.generation).files]
    assert names[0] not in sources and len(sources) == 4
    assert [r.source for r in load_store(store).reports.values()] == sources


def test_a_damaged_page_is_a_store_format_error_and_the_next_build_starts_afresh(corpus, store):
    from index.manifest import StoreFormatError

    generation = current_generation(store)
    page = next((store / SEGMENTS_DIR_NAME).glob("*/files-*.json"))
    page.write_text("[{", encoding="utf-8")
    with pytest.raises(StoreFormatError):
        read_manifest(store / generation)
    result = build(corpus, store)
    assert result.errors == [] and len(read_manifest(store / result.generation).files) == 2


def test_removing_a_report_writes_only_a_manifest(corpus, store):
    before = snapshot(store)
    (corpus / COUNTY).unlink()
    result = build(corpus, store)
    assert written_since(before, store) == {f"{result.generation}/manifest.json", "CURRENT"}
    assert len(segment_folders(store)) == 1


def test_changing_a_report_replaces_only_its_segment(corpus, store):
    others = set(segment_folders(store))
    with open(corpus / COUNTY, "a", encoding="utf-8") as handle:
        handle.write("\n特此通报。\n")
    result = build(corpus, store)
    assert (result.changed, result.segments_written) == (1, 1)
    assert len(set(segment_folders(store)) & others) == 1


def test_loaded_store_after_incremental_builds_equals_a_fresh_build(corpus, store, tmp_path):
    add_variant(corpus, 1)
    build(corpus, store)
    (corpus / COUNTY).unlink()
    build(corpus, store)
    build(corpus, tmp_path / "fresh")
    incremental, fresh = load_store(store), load_store(tmp_path / "fresh")
    assert [c.chunk_id for c in incremental.chunks] == [c.chunk_id for c in fresh.chunks]
    assert np.array_equal(incremental.sentence_vectors, fresh.sentence_vectors)


# --- sentence vectors in float16 ------------------------------------------------------

def test_sentence_vectors_are_stored_in_float16_by_default(store):
    segment = store / SEGMENTS_DIR_NAME / segment_folders(store)[0]
    assert np.load(segment / "sentence_vectors.npy").dtype == np.float16
    assert np.load(segment / "chunk_vectors.npy").dtype == np.float32


def test_loaded_sentence_vectors_stay_float16_within_its_precision(store):
    index = load_store(store)
    assert index.sentence_vectors.dtype == np.float16
    exact = HashEmbedder().embed([s.text for s in index.sentences[:20]])
    assert np.allclose(index.sentence_vectors[:20].astype(np.float32), exact, atol=1e-3)


def test_float32_setting_stores_float32_and_reembeds(corpus, store):
    result = build(corpus, store, sentence_dtype="float32")
    assert result.changed == 2 and result.embedded_texts > 0
    segment = store / SEGMENTS_DIR_NAME / segment_folders(store)[0]
    assert np.load(segment / "sentence_vectors.npy").dtype == np.float32


def test_unknown_sentence_dtype_is_refused():
    with pytest.raises(ValueError, match="sentence_dtype"):
        BuildSettings(sentence_dtype="int8")


# --- compaction -----------------------------------------------------------------------

def test_more_segments_than_the_bound_are_merged_into_a_pack(corpus, store):
    for n in range(3):
        add_variant(corpus, n)
    result = build(corpus, store, compaction=CompactionSettings(max_segments=4))
    assert result.compacted >= 2
    folders = segment_folders(store)
    assert len(folders) <= 4 and any(f.startswith(PACK_PREFIX) for f in folders)


def test_compacted_store_loads_the_same_rows(corpus, store, tmp_path):
    for n in range(3):
        add_variant(corpus, n)
    build(corpus, store)
    plain = load_store(store)
    build(corpus, store, compaction=CompactionSettings(max_segments=2))
    packed = load_store(store)
    assert [c.chunk_id for c in packed.chunks] == [c.chunk_id for c in plain.chunks]
    assert np.array_equal(packed.chunk_vectors, plain.chunk_vectors)
    assert packed.bm25.search("处方", 5).ids == plain.bm25.search("处方", 5).ids


def test_pack_of_mostly_removed_reports_is_rewritten(corpus, store):
    names = [add_variant(corpus, n) for n in range(3)]
    build(corpus, store, compaction=CompactionSettings(max_segments=2))
    pack = next(f for f in segment_folders(store) if f.startswith(PACK_PREFIX))
    for name in names + [COUNTY]:
        (corpus / name).unlink()
    build(corpus, store, compaction=CompactionSettings(max_segments=2))
    assert pack not in segment_folders(store)
    assert len(load_store(store).reports) == 1


def test_plan_leaves_few_healthy_segments_alone():
    assert plan_compaction({"a": 5, "b": 5}, {"a": 5, "b": 6}, CompactionSettings(max_segments=4)) == []


def test_plan_merges_the_smallest_segments_down_to_half_the_bound():
    live = {f"s{i}": i + 1 for i in range(9)}
    chosen = plan_compaction(live, dict(live), CompactionSettings(max_segments=8))
    assert len(live) - len(chosen) + 1 <= 4
    assert chosen == sorted(live, key=live.get)[:len(chosen)]


# --- tokenizer change -----------------------------------------------------------------

def test_tokenizer_change_adds_tokens_beside_the_segment_and_drops_the_old(corpus, store, monkeypatch):
    monkeypatch.setattr("index.build.tokenizer_id", lambda: "jieba-changed")
    result = build(corpus, store)
    assert result.published and result.embedded_texts == 0
    for folder in segment_folders(store):
        assert [p.name for p in (store / SEGMENTS_DIR_NAME / folder).glob("tokens-*")] == ["tokens-jieba-changed.json"]
    assert current_generation(store) == result.generation


# --- sentence document frequencies ----------------------------------------------------

def _recounted(index) -> dict[str, int]:
    from index.bm25 import document_frequencies

    return document_frequencies([s.text for s in index.sentences])


def test_a_loaded_store_holds_the_document_frequencies_of_its_sentences(store):
    index = load_store(store)
    assert index.sentence_df == _recounted(index)


def test_sentence_frequencies_follow_added_and_removed_reports(corpus, store):
    add_variant(corpus, 1)
    build(corpus, store)
    (corpus / COUNTY).unlink()
    build(corpus, store, compaction=CompactionSettings(max_segments=2))
    index = load_store(store)
    assert index.sentence_df == _recounted(index)


def test_a_store_without_sentence_frequencies_gets_them_without_reembedding(corpus, store):
    for df in (store / SEGMENTS_DIR_NAME).rglob("sentence-df-*.json"):
        df.unlink()
    assert load_store(store).sentence_df is None
    result = build(corpus, store)
    assert result.embedded_texts == 0
    index = load_store(store)
    assert index.sentence_df == _recounted(index)
