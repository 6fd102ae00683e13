"""Index store: incremental builds, generations, loading and search, on the sample corpus.

One store is built per module (the cold build is the expensive part); tests that change
the corpus or the store work on a copy of it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from index.build import BuildResult, BuildSettings, build_index  # noqa: E402
from index.embedding import Embedder  # noqa: E402
from index.generations import GENERATION_PREFIX, StoreLock, StoreLockedError, current_generation  # noqa: E402
from index.loaded import EncoderMismatchError, ModelMismatchError, load_store  # noqa: E402
from index.manifest import Manifest, read_manifest  # noqa: E402
from index.status import index_status  # noqa: E402
from ingest.parser import PARSER_VERSION  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "data" / "reports"
COUNTY = "county-health-2024.txt"
CHENZHOU = "chenzhou-second-hospital-2025.txt"
# An encoder other than the default (torch or onnx-int8).
OTHER_ENCODER = "onnx"
PRESCRIPTION_QUESTION = "区域审方系统累计干预了多少张处方"


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """One real m3e-small for the whole test process (loaded on first use)."""
    return Embedder()


class CountingEmbedder:
    """Delegates to the real embedder and counts what it was asked to embed; can pose as
    another model or encoder by reporting a different `model_id` or `encoder`."""

    def __init__(self, inner: Embedder, model_id: str | None = None, encoder: str | None = None):
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.encoder = encoder or inner.encoder
        self.texts = 0
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed(self, texts, on_batch=None):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts, on_batch)

    def embed_query(self, text: str):
        return self.inner.embed_query(text)


class FailingEmbedder(CountingEmbedder):
    """Fails on its first call, like a build interrupted while embedding."""

    def embed(self, texts, on_batch=None):
        raise RuntimeError("embedding interrupted")


class Built:
    """A corpus folder, its store, and what building it did."""

    def __init__(self, corpus: Path, store: Path, result: BuildResult | None = None, embedded: int = 0):
        self.corpus = corpus
        self.store = store
        self.result = result
        self.embedded = embedded

    def copy_to(self, folder: Path) -> "Built":
        shutil.copytree(self.corpus, folder / "corpus")
        shutil.copytree(self.store, folder / "store")
        return Built(folder / "corpus", folder / "store", self.result, self.embedded)


def build_sample_store(folder: Path) -> Built:
    """Copy the sample corpus into `folder` and build its store there, counting embeddings."""
    corpus = folder / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    counter = CountingEmbedder(shared_embedder())
    result = build_index(corpus, folder / "store", embedder=counter, progress=False)
    return Built(corpus, folder / "store", result, counter.texts)


def generation_folders(store: Path) -> list[str]:
    return sorted(p.name for p in store.iterdir() if p.name.startswith(GENERATION_PREFIX))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build_sample_store(tmp_path_factory.mktemp("index-build"))


@pytest.fixture(scope="module")
def loaded(built):
    return load_store(built.store, model_id=shared_embedder().model_id)


@pytest.fixture
def work(built, tmp_path) -> Built:
    """A private copy of the built corpus and store, for tests that change them."""
    return built.copy_to(tmp_path)


# --- first build ---------------------------------------------------------------------

def test_first_build_adds_both_sample_reports(built):
    assert (built.result.reports, built.result.added, built.result.changed) == (2, 2, 0)
    assert built.result.errors == []
    assert built.result.published


def test_first_build_embeds_every_chunk_and_sentence_once(built, loaded):
    assert built.embedded == len(loaded.chunks) + len(loaded.sentences)


def test_manifest_records_hash_parser_and_model_of_each_file(built):
    manifest = read_manifest(built.store / current_generation(built.store))
    by_source = {f.source: f for f in manifest.files}
    assert set(by_source) == {COUNTY, CHENZHOU}
    county = by_source[COUNTY]
    assert county.content_hash == hashlib.sha256((built.corpus / COUNTY).read_bytes()).hexdigest()
    assert county.parser_version == PARSER_VERSION
    assert county.model_id == shared_embedder().model_id
    assert county.chunks > 0 and county.sentences > county.chunks and county.built_at


# --- rebuilds ------------------------------------------------------------------------

def test_rebuild_without_changes_never_loads_the_model(work):
    before = current_generation(work.store)
    fresh = Embedder()
    result = build_index(work.corpus, work.store, embedder=fresh, progress=False)
    assert (result.unchanged, result.added, result.changed, result.removed) == (2, 0, 0, 0)
    assert result.embedded_texts == 0
    assert not fresh.is_loaded
    assert current_generation(work.store) == before


def test_editing_one_report_reembeds_only_that_report(work):
    with open(work.corpus / CHENZHOU, "a", encoding="utf-8") as handle:
        handle.write("\n    特此通报。\n")
    counter = CountingEmbedder(shared_embedder())
    result = build_index(work.corpus, work.store, embedder=counter, progress=False)
    assert (result.changed, result.unchanged) == (1, 1)
    entry = {f.source: f for f in read_manifest(work.store / result.generation).files}[CHENZHOU]
    assert counter.texts == entry.chunks + entry.sentences


def test_deleting_a_report_removes_it_from_the_store(work):
    (work.corpus / COUNTY).unlink()
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert (result.removed, result.reports) == (1, 1)
    index = load_store(work.store)
    assert [r.source for r in index.reports.values()] == [CHENZHOU]
    assert {c.report_id for c in index.chunks} == set(index.reports)


def test_changing_the_model_reembeds_every_report(work, loaded):
    counter = CountingEmbedder(shared_embedder(), model_id="another-model-00000000")
    result = build_index(work.corpus, work.store, embedder=counter, progress=False)
    assert (result.changed, result.unchanged) == (2, 0)
    assert counter.texts == len(loaded.chunks) + len(loaded.sentences)
    assert load_store(work.store).model_id == "another-model-00000000"


def test_changing_the_encoder_reembeds_every_report(work, loaded):
    counter = CountingEmbedder(shared_embedder(), encoder=OTHER_ENCODER)
    result = build_index(work.corpus, work.store, embedder=counter, progress=False)
    assert (result.changed, result.unchanged) == (2, 0)
    assert counter.texts == len(loaded.chunks) + len(loaded.sentences)
    assert load_store(work.store).encoder == OTHER_ENCODER


def test_tokenizer_change_rebuilds_bm25_without_reembedding(work, monkeypatch):
    monkeypatch.setattr("index.build.tokenizer_id", lambda: "jieba-changed")
    counter = CountingEmbedder(shared_embedder())
    result = build_index(work.corpus, work.store, embedder=counter, progress=False)
    assert result.published and result.unchanged == 2
    assert counter.calls == 0
    assert read_manifest(work.store / result.generation).tokenizer_id == "jieba-changed"


def test_new_reader_version_reparses_every_report(work, monkeypatch):
    # Readers changing their text for the same bytes must not leave stale cache entries:
    # the build has to embed again, which the failing embedder shows.
    monkeypatch.setattr("index.build.READER_VERSION", "next")
    with pytest.raises(RuntimeError, match="embedding interrupted"):
        build_index(work.corpus, work.store, embedder=FailingEmbedder(shared_embedder()), progress=False)


def test_changed_genre_vocabulary_reparses_every_report(work, monkeypatch):
    # A word added to genre.toml (a short name, a status word) changes what the same bytes
    # parse to: the reports must be parsed again, not served from the cache.
    monkeypatch.setattr("index.build.genre_fingerprint", lambda: "another-vocabulary")
    with pytest.raises(RuntimeError, match="embedding interrupted"):
        build_index(work.corpus, work.store, embedder=FailingEmbedder(shared_embedder()), progress=False)


def test_unchanged_genre_vocabulary_reuses_every_report(work):
    counter = CountingEmbedder(shared_embedder())
    result = build_index(work.corpus, work.store, embedder=counter, progress=False)
    assert result.unchanged == 2 and counter.calls == 0


def test_rebuild_publishes_a_new_generation_and_deletes_the_old(work):
    old = current_generation(work.store)
    (work.corpus / COUNTY).unlink()
    build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert current_generation(work.store) != old
    assert generation_folders(work.store) == [current_generation(work.store)]


# --- bad files -----------------------------------------------------------------------

def test_bad_files_are_reported_while_good_ones_are_indexed(work):
    (work.corpus / "empty.txt").write_bytes(b"")
    (work.corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (work.corpus / "notes.xyz").write_text("不是报告", encoding="utf-8")
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert result.reports == 2
    assert sorted(e["file"] for e in result.errors) == ["binary.txt", "empty.txt"]
    assert all(e["error"] for e in result.errors)
    assert [s["file"] for s in result.skipped] == ["notes.xyz"]


def test_folder_problems_are_reported_and_the_reports_still_indexed(work):
    (work.corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (work.corpus / "~$draft.docx").write_bytes(b"lock")
    bad_name = os.path.join(os.fsencode(work.corpus), "整改.txt".encode("gbk"))
    with open(bad_name, "wb") as handle:
        handle.write("整改情况".encode("utf-8"))
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert result.reports == 2
    errors = {e["file"]: e["error"] for e in result.errors}
    assert "另存为 .docx" in errors["old.doc"]
    assert "UTF-8" in errors["\\xd5\\xfb\\xb8\\xc4.txt"]
    assert [s["file"] for s in result.skipped] == ["~$draft.docx"]


def test_folder_errors_are_kept_in_the_published_manifest(work):
    (work.corpus / "scan.png").write_bytes(b"\x89PNG")
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert result.published
    assert [e.file for e in read_manifest(work.store / result.generation).errors] == ["scan.png"]


def test_file_over_the_size_limit_is_never_read(work, monkeypatch):
    opened = []
    monkeypatch.setattr("index.build.load_report", lambda path: opened.append(path))
    limit = max(path.stat().st_size for path in work.corpus.iterdir())
    (work.corpus / "big.txt").write_bytes(b"a" * (limit + 1))
    settings = BuildSettings(max_file_bytes=limit)
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()),
                         settings=settings, progress=False)
    assert [e["file"] for e in result.errors] == ["big.txt"]
    assert "文件过大" in result.errors[0]["error"]
    assert opened == []


def test_symlink_to_a_file_outside_the_corpus_is_not_indexed(work):
    (work.corpus / "passwd.txt").symlink_to("/etc/passwd")
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert result.reports == 2
    assert [e["file"] for e in result.errors] == ["passwd.txt"]
    assert "passwd.txt" not in {r.source for r in load_store(work.store).reports.values()}


def test_indexed_file_that_becomes_unreadable_is_dropped_with_an_error(work):
    (work.corpus / COUNTY).write_bytes(b"")
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert [e["file"] for e in result.errors] == [COUNTY]
    assert "移除" in result.errors[0]["error"]
    assert [r.source for r in load_store(work.store).reports.values()] == [CHENZHOU]


def test_corpus_without_any_readable_report_keeps_the_previous_store(work):
    before = current_generation(work.store)
    for path in work.corpus.iterdir():
        path.write_bytes(b"")
    result = build_index(work.corpus, work.store, embedder=CountingEmbedder(shared_embedder()), progress=False)
    assert result.reports == 0 and len(result.errors) == 2
    assert current_generation(work.store) == before
    assert len(load_store(work.store).reports) == 2


# --- failures and concurrency --------------------------------------------------------

def test_build_failing_while_embedding_leaves_the_previous_store_live(work):
    before = current_generation(work.store)
    (work.corpus / CHENZHOU).write_text((work.corpus / CHENZHOU).read_text(encoding="utf-8") + "\n补充。\n",
                                        encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_index(work.corpus, work.store, embedder=FailingEmbedder(shared_embedder()), progress=False)
    assert current_generation(work.store) == before
    assert generation_folders(work.store) == [before]
    assert len(load_store(work.store).chunks) > 0


def test_second_build_while_one_runs_fails_fast(work):
    with StoreLock(work.store):
        with pytest.raises(StoreLockedError, match="另一个索引构建正在进行"):
            build_index(work.corpus, work.store, embedder=Embedder(), progress=False)


# --- loading -------------------------------------------------------------------------

def test_loading_with_another_model_id_is_refused(built):
    with pytest.raises(ModelMismatchError, match="不同模型的向量不能混用"):
        load_store(built.store, model_id="another-model-00000000")


def test_store_records_the_encoder_that_made_its_vectors(built):
    assert read_manifest(built.store / current_generation(built.store)).encoder == shared_embedder().encoder


def test_loading_with_another_encoder_is_refused(built):
    with pytest.raises(EncoderMismatchError, match="不同编码器的向量不能混用"):
        load_store(built.store, model_id=shared_embedder().model_id, encoder=OTHER_ENCODER)


def test_loading_with_the_encoder_that_built_the_store_works(built):
    encoder = shared_embedder().encoder
    assert load_store(built.store, model_id=shared_embedder().model_id, encoder=encoder).encoder == encoder


def test_store_written_before_the_encoder_setting_reads_as_torch(built):
    data = read_manifest(built.store / current_generation(built.store)).to_dict()
    del data["encoder"]
    assert Manifest.from_dict(data).encoder == "torch"


def test_loaded_generation_is_the_current_one(built, loaded):
    assert loaded.generation == current_generation(built.store)


def test_loaded_vectors_line_up_with_chunks_and_sentences(loaded):
    assert loaded.chunk_vectors.shape == (len(loaded.chunks), 512)
    assert loaded.sentence_vectors.shape == (len(loaded.sentences), 512)
    assert np.allclose(np.linalg.norm(loaded.chunk_vectors, axis=1), 1.0, atol=1e-4)


def test_sentences_are_verbatim_spans_of_their_report(loaded):
    for sentence in loaded.sentences:
        assert loaded.reports[sentence.report_id].body[sentence.start:sentence.end] == sentence.text
        record = loaded.record(sentence.record_id)
        assert record.start <= sentence.start < sentence.end <= record.end


def test_record_lookup_returns_the_record_a_chunk_came_from(loaded):
    for chunk in loaded.chunks:
        assert chunk.passage in loaded.record(chunk.record_id).text


def test_dense_search_ranks_the_17906_chunk_in_the_top_3(loaded):
    hits = loaded.dense_search(shared_embedder().embed_query(PRESCRIPTION_QUESTION), 3)
    assert any("17906" in loaded.chunks[i].text for i, _ in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_bm25_search_finds_the_17906_chunk(loaded):
    hits = loaded.bm25_search(PRESCRIPTION_QUESTION, 3)
    assert any("17906" in loaded.chunks[i].text for i, _ in hits)


def test_bm25_search_without_known_words_finds_nothing(loaded):
    assert loaded.bm25_search("？！", 5) == []


def test_llama_nodes_embed_exactly_the_chunk_text_and_hide_locators(loaded):
    from llama_index.core.schema import MetadataMode

    node, chunk = loaded.nodes[0], loaded.chunks[0]
    assert node.get_content(MetadataMode.EMBED) == chunk.text
    shown = node.get_content(MetadataMode.LLM)
    assert chunk.record_id not in shown and chunk.metadata["source"] not in shown


def test_index_status_lists_both_reports_with_issue_counts(built):
    statuses = {s.source: s for s in index_status(built.store)}
    assert set(statuses) == {COUNTY, CHENZHOU}
    for status in statuses.values():
        assert status.title and status.chunks > 0
        assert sum(status.status_counts.values()) == status.issues
        assert status.model == shared_embedder().model_id


def test_llama_index_embedding_matches_the_embedder():
    embedder = shared_embedder()
    vector = embedder.as_llama_index().get_query_embedding(PRESCRIPTION_QUESTION)
    assert np.allclose(vector, embedder.embed_query(PRESCRIPTION_QUESTION), atol=1e-5)
