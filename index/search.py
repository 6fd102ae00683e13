"""The retrieval protocol: top-k search with the scope applied inside the search.

A scope ("only these reports", "only these records") is turned into the set of rows the
search may return before it runs, so a scoped query returns k hits of the scope even when
other reports would rank higher, and never scores vectors or postings outside it.

    Hits(ids, scores)                     rows of the loaded generation, best first
    SearchFilters(report_ids, record_ids) None = no restriction on that field
    SearchIndex.search(query, k, filters) -> Hits

Implementations: `FaissChunkSearch` (dense, FAISS), `Bm25ChunkSearch` (bm25s) and
`VectorRowSearch` (plain matrix, used for sentence vectors); the Milvus backend has its own.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np


class Hits(NamedTuple):
    """Search results: row positions in the loaded generation and their scores, best first."""

    ids: list[int]
    scores: list[float]


EMPTY_HITS = Hits([], [])


@dataclass(frozen=True)
class SearchFilters:
    """What a search may return. Both set: rows of those records inside those reports."""

    report_ids: frozenset[str] | None = None   # None = all reports
    record_ids: frozenset[str] | None = None   # None = all records

    @classmethod
    def of(cls, report_ids=None, record_ids=None) -> "SearchFilters":
        """Filters from any iterables (sets, lists); None stays None."""
        return cls(
            frozenset(report_ids) if report_ids is not None else None,
            frozenset(record_ids) if record_ids is not None else None,
        )

    @property
    def is_unrestricted(self) -> bool:
        return self.report_ids is None and self.record_ids is None

    def allows_all_of(self, report_ids: frozenset[str]) -> bool:
        """Whether these filters let through every row of a generation holding `report_ids`
        (the assistant scopes a question naming no report to all of them)."""
        if self.is_unrestricted:
            return True
        return self.record_ids is None and report_ids <= self.report_ids


@runtime_checkable
class SearchIndex(Protocol):
    """Top-k search over the chunks (or sentences) of one loaded generation."""

    def search(self, query: str | np.ndarray, k: int, filters: SearchFilters | None = None) -> Hits: ...


class RowScope:
    """Rows of each report and record, to turn `SearchFilters` into row positions.

    Each row carries the code of its report and of its record (int arrays), so a filter
    becomes a boolean mask over the rows in one vectorised step, whatever the number of
    reports it names; a filter naming every report is no restriction at all (the
    assistant passes the reports in scope, which for a question naming none is all of
    them).
    """

    def __init__(self, report_ids: Sequence[str], record_ids: Sequence[str]):
        if len(report_ids) != len(record_ids):
            raise ValueError("report_ids and record_ids must have one entry per row")
        self.size = len(report_ids)
        self._report_code, self._report_codes = _codes(report_ids)
        self._record_code, self._record_codes = _codes(record_ids)
        # the report of each record, by code (a record lies inside one report)
        self._report_of_record = np.zeros(len(self._record_codes), dtype=np.int64)
        self._report_of_record[self._record_code] = self._report_code
        self._all_reports = frozenset(self._report_codes)

    def rows(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Sorted row positions allowed by `filters`; None when every row is allowed."""
        mask = self.mask(filters)
        return None if mask is None else np.flatnonzero(mask)

    def mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        """A boolean per row, True where `filters` allow it; None when every row is allowed."""
        if filters is None or filters.allows_all_of(self._all_reports):
            return None
        if filters.record_ids is not None:
            records = _allowed(self._record_codes, filters.record_ids)
            if filters.report_ids is not None:
                records &= _allowed(self._report_codes, filters.report_ids)[self._report_of_record]
            return records[self._record_code]
        return _allowed(self._report_codes, filters.report_ids)[self._report_code]


def _codes(keys: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """(code of each row, key -> code), codes in order of first appearance."""
    codes: dict[str, int] = {}
    per_row = np.fromiter((codes.setdefault(key, len(codes)) for key in keys), dtype=np.int64, count=len(keys))
    return per_row, codes


def _allowed(codes: dict[str, int], keys) -> np.ndarray:
    """A boolean per code, True for the codes of `keys` (unknown keys allow nothing)."""
    allowed = np.zeros(len(codes), dtype=bool)
    allowed[[codes[key] for key in keys if key in codes]] = True
    return allowed


def top_k(scores: np.ndarray, k: int, rows: np.ndarray | None = None) -> Hits:
    """The `k` highest `scores`, best first (ties by row). `rows[i]` is the row of
    `scores[i]` when the scores cover only part of the rows."""
    k = min(k, len(scores))
    if k <= 0:
        return EMPTY_HITS
    # Top k without sorting the whole array, then sort those k.
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.lexsort((best, -scores[best]))]
    ids = best if rows is None else rows[best]
    return Hits([int(i) for i in ids], [float(scores[i]) for i in best])


# Rows in scope lie in runs (a report's rows are contiguous). Runs this long or longer on
# average are scored in place, one product per run over a view of the matrix; shorter ones
# are gathered first. Gathering copies 2 KB per 512-dim row, a product costs a few
# microseconds of call overhead: the two meet near 30 rows (measured on this machine).
# Without runs, a scope of half of 1,000 reports copied 110 MB of vectors per query.
MIN_RUN_ROWS = 32


# float16 rows are converted to float32 one by one by numpy (no SIMD: 171 ms for the
# 105,537 sentences of 1,000 reports), so a float16 scope larger than this many rows is
# searched in FAISS with a selector instead of being gathered and converted.
MAX_CONVERTED_ROWS = 2048
# Rows converted to float32 at a time when the float16 index is filled.
_ADD_BATCH_ROWS = 16384


class VectorRowSearch:
    """Cosine top-k over the rows of one matrix of L2-normalised vectors, scoring only
    the rows in scope (used for sentence vectors; a flat matrix is what FAISS's flat
    index would do, minus the copy).

    `in_faiss` keeps float16 vectors as the codes of a FAISS scalar-quantizer index
    (QT_fp16: exactly the stored values, half the memory of float32) and `vectors` as a
    view of them; FAISS scans them as fast as numpy scans float32 (12.8 and 10.8 ms for
    105,537 sentences).
    """

    def __init__(self, vectors: np.ndarray, scope: RowScope):
        if len(vectors) != scope.size:
            raise ValueError(f"{len(vectors)} vectors but {scope.size} rows")
        self.vectors = vectors
        self.scope = scope
        self._faiss = None

    @classmethod
    def in_faiss(cls, vectors: np.ndarray, scope: RowScope) -> "VectorRowSearch":
        """float16 vectors held by a FAISS index (other dtypes: as `VectorRowSearch`)."""
        if vectors.dtype != np.float16 or not len(vectors):
            return cls(vectors, scope)
        import faiss

        dim = int(vectors.shape[1])
        index = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
        for begin in range(0, len(vectors), _ADD_BATCH_ROWS):
            index.add(np.ascontiguousarray(vectors[begin:begin + _ADD_BATCH_ROWS], dtype=np.float32))
        codes = faiss.rev_swig_ptr(index.codes.data(), index.codes.size())
        search = cls(codes.view(np.float16).reshape(len(vectors), dim), scope)
        search._faiss = index           # owns the memory `vectors` views
        return search

    def search(self, query: str | np.ndarray, k: int, filters: SearchFilters | None = None) -> Hits:
        query_vector = _as_vector(query, np.float32)
        rows = self.scope.rows(filters)
        if rows is not None and len(rows) == 0:
            return EMPTY_HITS
        if self._faiss is not None and (rows is None or len(rows) > MAX_CONVERTED_ROWS):
            return self._faiss_search(query_vector, k, rows)
        if rows is None:
            return top_k(self.vectors @ query_vector, k)
        runs = _runs(rows)
        if self._faiss is None and len(runs) * MIN_RUN_ROWS <= len(rows):
            scores = np.concatenate([self.vectors[begin:end] @ query_vector for begin, end in runs])
        else:
            scores = self.similarities(query_vector, rows)
        return top_k(scores, k, rows)

    def similarities(self, query: np.ndarray, rows: Sequence[int]) -> np.ndarray:
        """Cosine of the query to the given rows only, in their order."""
        rows = np.asarray(rows, dtype=np.int64)
        query_vector = _as_vector(query, np.float32)
        if self._faiss is not None and len(rows) > MAX_CONVERTED_ROWS:
            # every row in scope as one FAISS search (k = their number), not converted in numpy
            import faiss

            unique = np.unique(rows)
            params = faiss.SearchParameters(sel=_selector(unique))
            found, ids = self._faiss.search(query_vector[np.newaxis, :], len(unique), params=params)
            kept = ids[0] >= 0
            scores = np.zeros(len(self.vectors), dtype=np.float32)
            scores[ids[0][kept]] = found[0][kept]
            return scores[rows]
        return self.vectors[rows].astype(np.float32, copy=False) @ query_vector

    def _faiss_search(self, query_vector: np.ndarray, k: int, rows: np.ndarray | None) -> Hits:
        k = min(k, len(self.vectors) if rows is None else len(rows))
        if k <= 0:
            return EMPTY_HITS
        import faiss

        params = None if rows is None else faiss.SearchParameters(sel=_selector(rows))
        scores, ids = self._faiss.search(query_vector[np.newaxis, :], k, params=params)
        hits = _faiss_hits(ids[0], scores[0])
        order = np.lexsort((hits.ids, [-x for x in hits.scores]))      # ties by row, as top_k
        return Hits([hits.ids[i] for i in order], [hits.scores[i] for i in order])


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """[begin, end) of each run of consecutive rows in sorted `rows`."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    begins = rows[np.r_[0, breaks]]
    ends = rows[np.r_[breaks - 1, len(rows) - 1]] + 1
    return list(zip(begins.tolist(), ends.tolist()))


class FaissChunkSearch:
    """Dense chunk search on the FAISS index held by LlamaIndex's `FaissVectorStore`.

    An unscoped query goes through the vector store's own `query`. A scoped one goes to
    the underlying faiss index with `SearchParameters(sel=IDSelector…)`: LlamaIndex's
    FaissVectorStore.query (llama-index-vector-stores-faiss 0.7.0) refuses metadata
    filters ("Metadata filters not implemented for Faiss yet") and takes no search
    parameters, so the selector cannot be passed through it.
    """

    def __init__(self, vector_store, scope: RowScope):
        self.vector_store = vector_store
        self.scope = scope

    @property
    def size(self) -> int:
        return int(self.vector_store.client.ntotal)

    def search(self, query: str | np.ndarray, k: int, filters: SearchFilters | None = None) -> Hits:
        query_vector = _as_vector(query, np.float32)
        rows = self.scope.rows(filters)
        if rows is None:
            return self._unscoped(query_vector, k)
        k = min(k, len(rows))
        if k <= 0:
            return EMPTY_HITS
        import faiss

        params = faiss.SearchParameters(sel=_selector(rows))
        scores, ids = self.vector_store.client.search(query_vector[np.newaxis, :], k, params=params)
        return _faiss_hits(ids[0], scores[0])

    def _unscoped(self, query_vector: np.ndarray, k: int) -> Hits:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        k = min(k, self.size)
        if k <= 0:
            return EMPTY_HITS
        result = self.vector_store.query(
            VectorStoreQuery(query_embedding=query_vector.tolist(), similarity_top_k=k))
        return Hits([int(i) for i in result.ids or []], [float(s) for s in result.similarities or []])


def _selector(rows: np.ndarray):
    """The cheapest faiss selector for a sorted set of rows: a range when contiguous (one
    report, one record), a bitmap otherwise (one bit per row; a batch selector would
    build a hash set of every row in scope for each query)."""
    import faiss

    if rows[-1] - rows[0] + 1 == len(rows):
        return faiss.IDSelectorRange(int(rows[0]), int(rows[-1]) + 1)
    mask = np.zeros(int(rows[-1]) + 1, dtype=bool)
    mask[rows] = True
    bitmap = np.packbits(mask, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
    selector.bitmap_array = bitmap      # keep the bits alive as long as the selector
    return selector


def _faiss_hits(ids: np.ndarray, scores: np.ndarray) -> Hits:
    keep = ids >= 0      # faiss pads with -1 when fewer rows qualify than asked for
    return Hits([int(i) for i in ids[keep]], [float(s) for s in scores[keep]])


class Bm25ChunkSearch:
    """BM25 chunk search on a bm25s index, scoped with bm25s's `weight_mask`.

    bm25s 0.3.16: `BM25.get_scores(query_tokens, weight_mask=None)` multiplies the scores
    by the mask (`retrieve(..., weight_mask=)` does the same and then selects top-k); the
    mask has one weight per document. Only documents with a positive score are hits, so
    a chunk sharing no query token is never returned.
    """

    def __init__(self, retriever, scope: RowScope):
        self._retriever = retriever
        self.scope = scope

    @property
    def size(self) -> int:
        return int(self._retriever.scores["num_docs"])

    def search(self, query: str | np.ndarray, k: int, filters: SearchFilters | None = None) -> Hits:
        if not isinstance(query, str):
            raise TypeError("BM25 search needs the query text")
        from index.tokenize import tokenize

        tokens = tokenize(query)
        rows = self.scope.rows(filters)
        if k <= 0 or not tokens or (rows is not None and len(rows) == 0):
            return EMPTY_HITS
        mask = None
        if rows is not None:
            mask = np.zeros(self.size, dtype=np.float32)
            mask[rows] = 1.0
        scores = self._retriever.get_scores(tokens, weight_mask=mask)
        hits = top_k(scores, k)
        return Hits(*_positive(hits))


def _positive(hits: Hits) -> tuple[list[int], list[float]]:
    kept = [(i, s) for i, s in zip(hits.ids, hits.scores) if s > 0]
    return [i for i, _ in kept], [s for _, s in kept]


def _as_vector(query: str | np.ndarray, dtype) -> np.ndarray:
    if isinstance(query, str):
        raise TypeError("dense search needs the query vector (embed the question first)")
    return np.asarray(query, dtype=dtype).ravel()
