"""Scoped search: filters are applied inside dense, BM25 and sentence search, not after top-k.

Unit tests on small hand-made indexes (where "another report ranks higher" is arranged),
then the same behaviours on the store of the sample corpus.
"""
from __future__ import annotations

import numpy as np
import pytest

from index.search import (
    Bm25ChunkSearch,
    FaissChunkSearch,
    Hits,
    RowScope,
    SearchFilters,
    SearchIndex,
    VectorRowSearch,
)

# Six rows: report A holds rows 0-3 (records a1, a2), report B rows 4-5 (record b1).
REPORTS = ["A", "A", "A", "A", "B", "B"]
RECORDS = ["a1", "a1", "a2", "a2", "b1", "b1"]
ONLY_B = SearchFilters.of(report_ids=["B"])


def unit_vectors(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row vectors whose cosine to the query falls with the row number (A first)."""
    rng = np.random.default_rng(seed)
    query = rng.normal(size=16).astype(np.float32)
    query /= np.linalg.norm(query)
    noise = rng.normal(size=(6, 16)).astype(np.float32)
    noise -= np.outer(noise @ query, query)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    cosines = np.linspace(0.95, 0.2, 6, dtype=np.float32)[:, None]
    vectors = cosines * query + np.sqrt(1 - cosines ** 2) * noise
    return vectors.astype(np.float32), query


@pytest.fixture(scope="module")
def scope() -> RowScope:
    return RowScope(REPORTS, RECORDS)


@pytest.fixture(scope="module")
def faiss_search(scope) -> FaissChunkSearch:
    import faiss
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.faiss import FaissVectorStore

    vectors, _ = unit_vectors()
    store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(vectors.shape[1]))
    store.add([TextNode(id_=str(i), text=str(i), embedding=v.tolist()) for i, v in enumerate(vectors)])
    return FaissChunkSearch(store, scope)


@pytest.fixture(scope="module")
def bm25_search(scope) -> Bm25ChunkSearch:
    from index.bm25 import Bm25Index, tokenize_texts

    texts = ["处方审核系统处方", "处方点评", "处方审核", "处方", "审核处方制度", "食堂管理"]
    return Bm25Index.build(tokenize_texts(texts)).scoped(scope)


# --- row scope -----------------------------------------------------------------------

def test_no_filters_allow_every_row(scope):
    assert scope.rows(None) is None and scope.rows(SearchFilters()) is None


def test_report_filter_selects_that_reports_rows(scope):
    assert scope.rows(ONLY_B).tolist() == [4, 5]


def test_record_filter_inside_a_report_filter_keeps_only_records_of_those_reports(scope):
    filters = SearchFilters.of(report_ids=["A"], record_ids=["a2", "b1"])
    assert scope.rows(filters).tolist() == [2, 3]


def test_unknown_report_selects_no_row(scope):
    assert scope.rows(SearchFilters.of(report_ids=["nope"])).tolist() == []


# --- dense (FAISS) -------------------------------------------------------------------

def test_dense_search_implements_the_protocol(faiss_search):
    assert isinstance(faiss_search, SearchIndex)


def test_scoped_dense_search_returns_the_report_even_when_others_rank_higher(faiss_search):
    _, query = unit_vectors()
    assert faiss_search.search(query, 2).ids == [0, 1]
    assert faiss_search.search(query, 2, ONLY_B).ids == [4, 5]


def test_scoped_dense_search_returns_k_hits_when_the_scope_has_k_rows(faiss_search):
    _, query = unit_vectors()
    hits = faiss_search.search(query, 3, SearchFilters.of(report_ids=["A"]))
    assert hits.ids == [0, 1, 2]
    assert hits.scores == sorted(hits.scores, reverse=True)


def test_dense_record_filter_spanning_rows_apart_uses_only_those_rows(faiss_search):
    _, query = unit_vectors()
    hits = faiss_search.search(query, 10, SearchFilters.of(record_ids=["a2", "b1"]))
    assert hits.ids == [2, 3, 4, 5]


def test_dense_search_with_an_empty_scope_finds_nothing(faiss_search):
    _, query = unit_vectors()
    assert faiss_search.search(query, 5, SearchFilters.of(report_ids=[])) == Hits([], [])


def test_dense_scores_are_the_cosines_with_and_without_scope(faiss_search):
    vectors, query = unit_vectors()
    hits = faiss_search.search(query, 2, ONLY_B)
    assert np.allclose(hits.scores, vectors[[4, 5]] @ query, atol=1e-5)


# --- BM25 ----------------------------------------------------------------------------

def test_scoped_bm25_returns_the_report_even_when_others_rank_higher(bm25_search):
    assert set(bm25_search.search("处方审核", 6).ids) == {0, 1, 2, 3, 4}
    assert bm25_search.search("处方审核", 1, ONLY_B).ids == [4]


def test_scoped_bm25_never_returns_rows_without_a_query_token(bm25_search):
    assert bm25_search.search("处方审核", 5, ONLY_B).ids == [4]


def test_bm25_record_filter(bm25_search):
    assert sorted(bm25_search.search("处方", 5, SearchFilters.of(record_ids=["a2"])).ids) == [2, 3]


def test_bm25_with_an_empty_scope_finds_nothing(bm25_search):
    assert bm25_search.search("处方", 5, SearchFilters.of(record_ids=["zz"])) == Hits([], [])


def test_scoped_bm25_scores_equal_the_unscoped_scores_of_those_rows(bm25_search):
    full = dict(zip(*bm25_search.search("处方审核", 6)))
    scoped = dict(zip(*bm25_search.search("处方审核", 6, SearchFilters.of(report_ids=["A"]))))
    assert scoped == pytest.approx({i: full[i] for i in scoped})


# --- sentence vectors ----------------------------------------------------------------

class CountingMatrix(np.ndarray):
    """An array that records which rows were read by fancy indexing."""

    def __getitem__(self, item):
        if isinstance(item, np.ndarray):
            self.touched.update(int(i) for i in item)
        return np.asarray(super().__getitem__(item))


def test_sentence_search_scores_only_vectors_in_scope(scope):
    vectors, query = unit_vectors()
    counted = vectors.view(CountingMatrix)
    counted.touched = set()
    hits = VectorRowSearch(counted, scope).search(query, 5, ONLY_B)
    assert hits.ids == [4, 5]
    assert counted.touched == {4, 5}


def test_sentence_search_by_record(scope):
    vectors, query = unit_vectors()
    assert VectorRowSearch(vectors, scope).search(query, 1, SearchFilters.of(record_ids=["a2"])).ids == [2]


# --- the sample store ----------------------------------------------------------------

COUNTY_QUESTION = "区域审方系统累计干预了多少张处方"


@pytest.fixture(scope="module")
def loaded(sample_store):
    from index.loaded import load_store

    return load_store(sample_store)


@pytest.fixture(scope="module")
def question_vector(loaded):
    from index.embedding import Embedder

    return Embedder().embed_query(COUNTY_QUESTION)


def report_with(loaded, text: str) -> str:
    return next(rid for rid, r in loaded.reports.items() if text in r.body)


def test_store_dense_scope_returns_k_chunks_of_the_other_report(loaded, question_vector):
    county = report_with(loaded, "17906")
    other = next(rid for rid in loaded.reports if rid != county)
    assert loaded.chunks[loaded.dense.search(question_vector, 1).ids[0]].report_id == county
    hits = loaded.dense.search(question_vector, 5, SearchFilters.of(report_ids=[other]))
    assert len(hits.ids) == 5
    assert {loaded.chunks[i].report_id for i in hits.ids} == {other}


def test_store_bm25_scope_returns_only_chunks_of_the_scoped_report(loaded):
    county = report_with(loaded, "17906")
    other = next(rid for rid in loaded.reports if rid != county)
    hits = loaded.bm25.search(COUNTY_QUESTION, 5, SearchFilters.of(report_ids=[other]))
    assert hits.ids and {loaded.chunks[i].report_id for i in hits.ids} == {other}


def test_store_sentence_search_by_record_returns_that_records_sentences(loaded, question_vector):
    record_id = loaded.sentences[0].record_id
    hits = loaded.sentence_search(question_vector, 50, SearchFilters.of(record_ids=[record_id]))
    assert sorted(hits.ids) == loaded.sentence_indices(record_id)


def test_old_search_wrappers_return_pairs(loaded, question_vector):
    pairs = loaded.dense_search(question_vector, 3)
    assert [i for i, _ in pairs] == loaded.dense.search(question_vector, 3).ids
    assert loaded.bm25_search("？！", 5) == []


# --- scopes at scale ------------------------------------------------------------------

def test_a_filter_naming_every_report_is_no_restriction(scope):
    assert scope.rows(SearchFilters.of(report_ids=["A", "B", "C"])) is None


def test_a_record_filter_naming_every_record_still_restricts_to_those_reports(scope):
    filters = SearchFilters.of(report_ids=["B"], record_ids=["a1", "a2", "b1"])
    assert scope.rows(filters).tolist() == [4, 5]


def test_dense_search_over_rows_apart_returns_only_rows_in_scope(faiss_search):
    _, query = unit_vectors()
    hits = faiss_search.search(query, 10, SearchFilters.of(record_ids=["a1", "b1"]))
    assert hits.ids == [0, 1, 4, 5]


def _long_reports(rows_each: int = 80, seed: int = 3):
    """Three reports of `rows_each` rows (long runs, scored in place) and random vectors."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(3 * rows_each, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    reports = [r for r in "XYZ" for _ in range(rows_each)]
    return VectorRowSearch(vectors, RowScope(reports, reports)), vectors, vectors[0]


def test_sentence_search_over_long_runs_equals_a_search_of_those_rows_alone():
    search, vectors, query = _long_reports()
    hits = search.search(query, 7, SearchFilters.of(report_ids=["X", "Z"]))
    rows = np.r_[0:80, 160:240]
    expected = rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:7]]
    assert hits.ids == expected.tolist()


def test_sentence_search_over_long_runs_never_returns_a_row_outside_them():
    search, _, query = _long_reports()
    hits = search.search(query, 100, SearchFilters.of(report_ids=["Y"]))
    assert len(hits.ids) == 80 and all(80 <= i < 160 for i in hits.ids)


# --- float16 sentence vectors held by FAISS -------------------------------------------

def _float16_reports(rows_each: int = 1500, seed: int = 5):
    """Three reports of float16 rows: a scope of two reports is searched in FAISS, one
    record of a few rows by conversion."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(3 * rows_each, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    reports = [r for r in "XYZ" for _ in range(rows_each)]
    records = [f"{r}{i // 10}" for i, r in enumerate(reports)]
    half = vectors.astype(np.float16)
    return VectorRowSearch.in_faiss(half, RowScope(reports, records)), half.astype(np.float32)


def _expected(exact: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int) -> list[int]:
    scores = exact[rows] @ query
    return rows[np.lexsort((rows, -scores))[:k]].tolist()


def test_float16_vectors_are_kept_once_as_the_faiss_codes():
    search, exact = _float16_reports()
    assert search.vectors.dtype == np.float16 and not search.vectors.flags["OWNDATA"]
    assert np.array_equal(search.vectors.astype(np.float32), exact)


@pytest.mark.parametrize("filters", [None, SearchFilters.of(report_ids=["X", "Z"]),
                                     SearchFilters.of(record_ids=["Y3", "Z7"])])
def test_float16_search_ranks_as_an_exact_search_of_the_rows_in_scope(filters):
    search, exact = _float16_reports()
    query = exact[4]
    rows = search.scope.rows(filters)
    rows = np.arange(len(exact)) if rows is None else rows
    hits = search.search(query, 8, filters)
    assert hits.ids == _expected(exact, query, rows, 8)
    assert np.allclose(hits.scores, exact[hits.ids] @ query, atol=1e-5)
