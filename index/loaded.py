"""A store generation loaded into memory once: records, vectors, FAISS and BM25.

The generation's manifest names a segment for each report (see `index.segments`); the
segments are read, their rows laid out in manifest order, and the FAISS flat index and
BM25 (with corpus statistics of the whole generation) are built in memory from them.
Everything is read eagerly, so a loaded index never touches the disk again and stays valid
while a later build replaces the generation and deletes its segments. A chat page polls
`current_generation()` and loads a fresh `LoadedIndex` when it changes.
"""
from __future__ import annotations

import logging
import time
from functools import cached_property
from pathlib import Path

import numpy as np

from index.bm25 import Bm25Index, Bm25Settings
from index.generations import current_generation, generation_dir
from index.manifest import Manifest, StoreFormatError, read_manifest
from index.search import (
    FaissChunkSearch,
    Hits,
    RowScope,
    SearchFilters,
    SearchIndex,
    VectorRowSearch,
)
from index.segments import SEGMENTS_DIR_NAME, ReportEntry, SegmentStore
from index.sentence_refs import SentenceRef
from index.vectors import chunk_node, vector_store_from_vectors
from ingest.models import Chunk, Issue, Report

logger = logging.getLogger(__name__)

# A build may delete the generation a reader is about to load; the reader then follows
# CURRENT to the new one. Two swaps during one load would need two builds in a row.
_LOAD_ATTEMPTS = 3


class StoreNotFoundError(FileNotFoundError):
    """No built index in the store folder."""


class ModelMismatchError(RuntimeError):
    """The store's vectors come from another model than the one configured for queries."""


class EncoderMismatchError(ModelMismatchError):
    """The store's vectors come from the same model run by another encoder (torch, onnx,
    onnx-int8): close, but not the same vectors, so they are not mixed either."""


class LoadedIndex:
    """One generation in memory. Chunk i is row i of `chunk_vectors` and of FAISS and
    document i of BM25; sentence j is row j of `sentence_vectors`.

    Search goes through the `SearchIndex` protocol (`index.search`), scope inside:
        dense.search(query_vector, k, filters) -> Hits      chunk rows, cosine
        bm25.search(query_text, k, filters) -> Hits          chunk rows, BM25 score
        sentence_search(query_vector, k, filters) -> Hits    sentence rows, cosine
    """

    dense: SearchIndex
    bm25: SearchIndex

    def __init__(self, generation: str, manifest: Manifest, reports: dict[str, Report],
                 chunks: list[Chunk], chunk_vectors: np.ndarray, sentences: list[SentenceRef],
                 sentence_vectors: np.ndarray, vector_store, bm25: Bm25Index | SearchIndex,
                 dense: SearchIndex | None = None, sentence_df: dict[str, int] | None = None):
        self.generation = generation
        self.manifest = manifest
        self.reports = reports
        self.chunks = chunks
        self.chunk_vectors = chunk_vectors
        self.sentences = sentences
        self.sentence_vectors = sentence_vectors
        self.vector_store = vector_store
        # How many sentences hold each token (None for a store built before they were kept)
        self.sentence_df = sentence_df
        self.chunk_scope = RowScope([c.report_id for c in chunks], [c.record_id for c in chunks])
        self.sentence_scope = RowScope([s.report_id for s in sentences], [s.record_id for s in sentences])
        self.dense = dense if dense is not None else FaissChunkSearch(vector_store, self.chunk_scope)
        self.bm25 = bm25.scoped(self.chunk_scope) if isinstance(bm25, Bm25Index) else bm25
        self._sentence_search = VectorRowSearch.in_faiss(sentence_vectors, self.sentence_scope)
        self.sentence_vectors = self._sentence_search.vectors     # float16: a view of FAISS's copy
        self._records = {r.record_id: r for report in reports.values() for r in report.records}
        self._report_ids = {r.record_id: rid for rid, report in reports.items() for r in report.records}
        self._sentences_by_record: dict[str, list[int]] = {}
        for j, sentence in enumerate(sentences):
            self._sentences_by_record.setdefault(sentence.record_id, []).append(j)

    @property
    def model_id(self) -> str:
        return self.manifest.model_id

    @property
    def encoder(self) -> str:
        return self.manifest.encoder

    def dense_search(self, query_vector: np.ndarray, k: int,
                     filters: SearchFilters | None = None) -> list[tuple[int, float]]:
        """(chunk index, cosine similarity) of the `k` nearest chunks; `query_vector` must
        come from the store's model. Thin wrapper of `dense.search`."""
        return list(zip(*self.dense.search(query_vector, k, filters)))

    def bm25_search(self, query_text: str, k: int,
                    filters: SearchFilters | None = None) -> list[tuple[int, float]]:
        """(chunk index, BM25 score) of the `k` best chunks sharing a jieba token with the
        query. Thin wrapper of `bm25.search`."""
        return list(zip(*self.bm25.search(query_text, k, filters)))

    def sentence_search(self, query_vector: np.ndarray, k: int,
                        filters: SearchFilters | None = None) -> Hits:
        """The `k` sentences nearest to `query_vector` (cosine) among those in scope; only
        the vectors of sentences in scope are scored."""
        return self._sentence_search.search(query_vector, k, filters)

    def sentence_similarities(self, query_vector: np.ndarray, indices) -> np.ndarray:
        """Cosine of `query_vector` to the given sentences only (positions in `sentences`)."""
        return self._sentence_search.similarities(query_vector, indices)

    def record(self, record_id: str) -> Issue:
        """The record (issue or section) with this id; KeyError when unknown."""
        return self._records[record_id]

    def report_of(self, record_id: str) -> Report:
        """The report a record belongs to; KeyError when unknown."""
        return self.reports[self._report_ids[record_id]]

    def sentence_indices(self, record_id: str) -> list[int]:
        """Positions in `sentences` (and rows of `sentence_vectors`) of one record's sentences."""
        return self._sentences_by_record.get(record_id, [])

    @cached_property
    def nodes(self):
        """Chunks as LlamaIndex `TextNode`s (without embeddings), aligned with `chunks`."""
        return [chunk_node(chunk) for chunk in self.chunks]


def load_store(store_dir: Path | str, model_id: str | None = None, encoder: str | None = None) -> LoadedIndex:
    """Load the live generation of `store_dir`.

    Pass the query embedder's `model_id` and `encoder`: a store built with another model
    raises `ModelMismatchError`, one built with another encoder `EncoderMismatchError`,
    because vectors of different models or encoders must never be compared.
    """
    store_dir = Path(store_dir)
    for attempt in range(_LOAD_ATTEMPTS):
        generation = current_generation(store_dir)
        if generation is None:
            raise StoreNotFoundError(f"索引不存在：{store_dir}（请先运行 rectify index build）")
        try:
            loaded = _load_generation(store_dir, generation)
        except FileNotFoundError:
            if current_generation(store_dir) != generation and attempt + 1 < _LOAD_ATTEMPTS:
                logger.info("generation %s replaced while loading; following CURRENT", generation)
                continue
            raise
        break
    if model_id is not None and loaded.model_id != model_id:
        raise ModelMismatchError(
            f"索引由模型 {loaded.model_id} 构建，当前配置的模型是 {model_id}；"
            "不同模型的向量不能混用，请用当前模型重新构建索引（rectify index build）"
        )
    if encoder is not None and loaded.encoder != encoder:
        raise EncoderMismatchError(
            f"索引的向量由编码器 {loaded.encoder} 生成，当前配置的编码器是 {encoder}；"
            "不同编码器的向量不能混用，请改用与索引相同的编码器（RECTIFY_EMBED_ENCODER），"
            "或用当前编码器重新构建索引（rectify index build --encoder）"
        )
    return loaded


def _load_generation(store_dir: Path, generation: str) -> LoadedIndex:
    started = time.perf_counter()
    manifest = read_manifest(generation_dir(store_dir, generation))
    if manifest.backend != "embedded":
        from index.milvus_backend import load_milvus_generation

        return load_milvus_generation(store_dir, generation, manifest)
    entries = read_entries(store_dir, manifest)

    # Records, in manifest order
    reports = {e.report.report_id: e.report for e in entries}
    chunks = [c for e in entries for c in e.chunks]
    sentences = [s for e in entries for s in e.sentences]
    tokens = [t for e in entries for t in e.chunk_tokens]

    # Vectors (sentence vectors in their stored dtype, see VectorRowSearch.in_faiss) and indexes
    chunk_vectors = np.concatenate([e.chunk_vectors for e in entries]).astype(np.float32, copy=False)
    sentence_vectors = np.concatenate([e.sentence_vectors for e in entries])
    vector_store = vector_store_from_vectors(chunk_vectors)
    bm25 = Bm25Index.build(tokens, Bm25Settings(**manifest.bm25))

    # The parts must line up row for row, or search results would point at wrong chunks
    sizes = {len(chunks), len(chunk_vectors), vector_store.client.ntotal, bm25.size}
    if len(sizes) != 1 or len(sentences) != len(sentence_vectors):
        raise StoreFormatError(f"索引 {generation} 的各部分数量不一致，请重新构建索引")

    logger.info("loaded %s: %d reports, %d chunks, %d sentences in %.2fs", generation,
                len(reports), len(chunks), len(sentences), time.perf_counter() - started)
    return LoadedIndex(generation, manifest, reports, chunks, chunk_vectors, sentences,
                       sentence_vectors, vector_store, bm25, sentence_df=sentence_document_frequencies(entries))


def sentence_document_frequencies(entries: list[ReportEntry]) -> dict[str, int] | None:
    """Sentences of the whole generation holding each token, summed from the per-report
    counts the segments keep; None when a segment has none."""
    if any(e.sentence_df is None for e in entries):
        return None
    total: dict[str, int] = {}
    for entry in entries:
        for token, count in entry.sentence_df.items():
            total[token] = total.get(token, 0) + count
    return total


def read_entries(store_dir: Path, manifest: Manifest) -> list[ReportEntry]:
    """Every report of the manifest with its rows, read segment by segment, in manifest
    order. A segment deleted by a later build raises FileNotFoundError."""
    segments = SegmentStore(Path(store_dir) / SEGMENTS_DIR_NAME)
    keys_of: dict[str, list[str]] = {}
    for f in manifest.files:
        keys_of.setdefault(f.segment, []).append(f.cache_key)
    by_key: dict[str, ReportEntry] = {}
    for segment, keys in keys_of.items():
        data = segments.read(segment, manifest.tokenizer_id)
        if data.chunk_tokens is None:
            raise FileNotFoundError(f"segment {segment} has no tokens of {manifest.tokenizer_id}")
        by_key.update((key, data.entry(key)) for key in keys)
    return [by_key[f.cache_key] for f in manifest.files]
