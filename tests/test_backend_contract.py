"""One contract for both chunk search backends (embedded FAISS + bm25s, Milvus Lite):
the same hits for the same queries, filters inside the search, deletes, incremental adds.

Vectors come from the hash stand-in encoder of `test_index_segments` (the contract is
about the store, not the model). Milvus Lite runs from a local file: no server, no network.

Tolerance: dense search is exact in both (FAISS flat, Milvus FLAT), so the top-10 ids
are equal and scores agree to 1e-4. BM25 uses the same formula (Lucene IDF, k1, b) on
the same tokens, but Milvus computes its corpus statistics itself (and, in Milvus Lite,
over the filtered rows when a filter is set), so scores differ slightly: the best hit
must agree and the top 10 share at least 8 ids.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pymilvus", reason="pymilvus/milvus-lite not installed")

from index.build import BuildSettings, build_index  # noqa: E402
from index.loaded import load_store  # noqa: E402
from index.milvus_backend import BackendSettings, connect  # noqa: E402
from index.search import SearchFilters  # noqa: E402
from test_index_segments import COUNTY, SAMPLE_CORPUS, HashEmbedder, add_variant  # noqa: E402

QUESTIONS = ["区域审方系统累计干预了多少张处方", "哪些问题仍在整改中", "结余药品是怎么整改的",
             "招投标方面存在什么问题", "医共体建设整改情况", "院感管理不到位如何整改"]
BM25_TOP10_OVERLAP = 8
BACKENDS = ["embedded", "milvus"]


def settings_for(backend: str, folder: Path) -> BuildSettings:
    if backend == "milvus":
        return BuildSettings(backend=BackendSettings(kind="milvus", milvus_uri=str(folder / "milvus.db")))
    return BuildSettings()


def build(corpus: Path, store: Path, backend: str):
    return build_index(corpus, store, embedder=HashEmbedder(), settings=settings_for(backend, store.parent),
                       progress=False)


def make_store(folder: Path, backend: str, variants: int = 1) -> tuple[Path, Path]:
    corpus = folder / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for n in range(variants):
        add_variant(corpus, n)
    build(corpus, folder / "store", backend)
    return corpus, folder / "store"


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict:
    """The two sample reports (no variants: identical chunks would tie, and ties may come
    back in either order)."""
    return {b: make_store(tmp_path_factory.mktemp(f"contract-{b}"), b, variants=0) for b in BACKENDS}


@pytest.fixture(scope="module")
def indexes(stores) -> dict:
    return {b: load_store(store) for b, (_, store) in stores.items()}


@pytest.fixture(params=BACKENDS)
def index(request, indexes):
    return indexes[request.param]


def vector(question: str):
    return HashEmbedder().embed_query(question)


def second_report(index) -> str:
    return list(index.reports)[1]


# --- same results -----------------------------------------------------------------------

def test_store_records_its_backend_so_loading_needs_no_flag(indexes):
    assert indexes["milvus"].manifest.backend == "milvus"
    assert type(indexes["milvus"].dense).__name__ == "MilvusChunkSearch"
    assert indexes["embedded"].manifest.backend == "embedded"


@pytest.mark.parametrize("question", QUESTIONS)
def test_dense_top10_is_the_same_in_both_backends(indexes, question):
    embedded = indexes["embedded"].dense.search(vector(question), 10)
    milvus = indexes["milvus"].dense.search(vector(question), 10)
    assert milvus.ids == embedded.ids
    assert milvus.scores == pytest.approx(embedded.scores, abs=1e-4)


@pytest.mark.parametrize("question", QUESTIONS)
def test_bm25_top10_agrees_within_tolerance(indexes, question):
    embedded = indexes["embedded"].bm25.search(question, 10)
    milvus = indexes["milvus"].bm25.search(question, 10)
    assert milvus.ids[0] == embedded.ids[0]
    assert len(set(milvus.ids) & set(embedded.ids)) >= BM25_TOP10_OVERLAP


# --- filters inside the search -------------------------------------------------------------

def test_scoped_dense_search_returns_k_hits_of_the_report(index):
    scope = SearchFilters.of(report_ids=[second_report(index)])
    hits = index.dense.search(vector(QUESTIONS[0]), 5, scope)
    assert len(hits.ids) == 5
    assert {index.chunks[i].report_id for i in hits.ids} == {second_report(index)}


def test_scoped_bm25_returns_only_chunks_of_the_report(index):
    scope = SearchFilters.of(report_ids=[second_report(index)])
    hits = index.bm25.search(QUESTIONS[0], 5, scope)
    assert hits.ids and {index.chunks[i].report_id for i in hits.ids} == {second_report(index)}


def test_record_filter_returns_only_that_records_chunks(index):
    record = index.chunks[0].record_id
    hits = index.dense.search(vector(QUESTIONS[1]), 10, SearchFilters.of(record_ids=[record]))
    assert hits.ids and {index.chunks[i].record_id for i in hits.ids} == {record}


def test_empty_scope_finds_nothing(index):
    assert index.dense.search(vector(QUESTIONS[0]), 5, SearchFilters.of(report_ids=[])).ids == []
    assert index.bm25.search(QUESTIONS[0], 5, SearchFilters.of(record_ids=[])).ids == []


# --- deletes and incremental adds -------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_removed_report_is_never_returned(tmp_path, backend):
    corpus, store = make_store(tmp_path, backend)
    gone = next(rid for rid, r in load_store(store).reports.items() if r.source == COUNTY)
    (corpus / COUNTY).unlink()
    build(corpus, store, backend)
    index = load_store(store)
    for question in QUESTIONS:
        hits = index.dense.search(vector(question), 50).ids + index.bm25.search(question, 50).ids
        assert gone not in {index.chunks[i].report_id for i in hits}
    if backend == "milvus":
        assert _milvus_rows(index) == len(index.chunks)


@pytest.mark.parametrize("backend", BACKENDS)
def test_added_report_is_searchable_after_an_incremental_build(tmp_path, backend):
    corpus, store = make_store(tmp_path, backend, variants=0)
    add_variant(corpus, 7)
    result = build(corpus, store, backend)
    assert (result.added, result.unchanged) == (1, 2)
    index = load_store(store)
    new = next(rid for rid, r in index.reports.items() if r.source == "county-variant-7.txt")
    hits = index.bm25.search("第7份副本", 3, SearchFilters.of(report_ids=[new]))
    assert hits.ids and index.chunks[hits.ids[0]].report_id == new
    if backend == "milvus":
        assert _milvus_rows(index) == len(index.chunks)


def test_changed_report_replaces_its_milvus_rows(tmp_path):
    corpus, store = make_store(tmp_path, "milvus", variants=0)
    with open(corpus / COUNTY, "a", encoding="utf-8") as handle:
        handle.write("\n特此通报。\n")
    assert build(corpus, store, "milvus").changed == 1
    assert _milvus_rows(load_store(store)) == len(load_store(store).chunks)


def test_milvus_build_reads_each_segment_once_when_reports_share_a_pack(tmp_path, monkeypatch):
    from index.build import BuildSettings
    from index.segments import CompactionSettings, SegmentStore

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for n in range(3):
        add_variant(corpus, n)
    reads: dict[str, int] = {}
    real_read = SegmentStore.read

    def counting_read(self, segment_id, tokenizer_id=None):
        reads[segment_id] = reads.get(segment_id, 0) + 1
        return real_read(self, segment_id, tokenizer_id)

    monkeypatch.setattr(SegmentStore, "read", counting_read)
    settings = BuildSettings(backend=BackendSettings(kind="milvus", milvus_uri=str(tmp_path / "milvus.db")),
                             compaction=CompactionSettings(max_segments=2))
    build_index(corpus, tmp_path / "store", embedder=HashEmbedder(), settings=settings, progress=False)
    pack = next(s for s in reads if s.startswith("pack-"))
    assert reads[pack] == 1
    assert _milvus_rows(load_store(tmp_path / "store")) == len(load_store(tmp_path / "store").chunks)


def _milvus_rows(index) -> int:
    client = connect(index.manifest.backend_uri)
    rows = client.query(index.manifest.backend_collection, filter='chunk_id != ""', output_fields=["chunk_id"],
                        limit=16384)
    return len(rows)


def test_cli_builds_a_milvus_store_that_loads_without_flags(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setattr("index.embedding.Embedder", lambda settings=None: HashEmbedder())
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    code = main(["index", "build", str(corpus), "--store", str(tmp_path / "store"), "--backend", "milvus",
                 "--milvus-uri", str(tmp_path / "m.db"), "--json"])
    assert code == 0
    index = load_store(tmp_path / "store")
    assert (index.manifest.backend, index.manifest.backend_uri) == ("milvus", str(tmp_path / "m.db"))


def test_cli_refuses_milvus_without_a_uri(tmp_path, capsys):
    from assistant.cli import main

    code = main(["index", "build", str(SAMPLE_CORPUS), "--store", str(tmp_path / "store"), "--backend", "milvus"])
    assert code == 1
    assert "--milvus-uri" in capsys.readouterr().err


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_filter_naming_every_report_returns_what_no_filter_returns(indexes, backend):
    index = indexes[backend]
    every = SearchFilters.of(report_ids=list(index.reports))
    for question in QUESTIONS[:3]:
        assert index.dense.search(vector(question), 10, every) == index.dense.search(vector(question), 10)
        assert index.bm25.search(question, 10, every) == index.bm25.search(question, 10)
