"""The store's public face: build it, load it, ask what it holds.

    build_index(source_dir, store_dir, embedder=None, settings=BuildSettings(), progress=True)
    load_store(store_dir, model_id=None, encoder=None) -> LoadedIndex
    current_generation(store_dir) -> str | None
    index_status(store_dir) -> list[ReportStatus]

Search (`index.search`): LoadedIndex.dense / .bm25 are `SearchIndex`es,
    .search(query, k, filters: SearchFilters | None) -> Hits(ids, scores)
and LoadedIndex.sentence_search(query_vector, k, filters) -> Hits.
"""
from index.build import SUPPORTED_SUFFIXES, BuildResult, BuildSettings, build_index
from index.generations import StoreLockedError, current_generation
from index.loaded import EncoderMismatchError, LoadedIndex, ModelMismatchError, StoreNotFoundError, load_store
from index.manifest import StoreFormatError
from index.milvus_backend import BackendSettings
from index.search import Hits, SearchFilters, SearchIndex
from index.sentence_refs import SentenceRef
from index.status import ReportStatus, index_status

__all__ = [
    "SUPPORTED_SUFFIXES",
    "BackendSettings",
    "Hits",
    "SearchFilters",
    "SearchIndex",
    "BuildResult",
    "BuildSettings",
    "EncoderMismatchError",
    "LoadedIndex",
    "ModelMismatchError",
    "ReportStatus",
    "SentenceRef",
    "StoreFormatError",
    "StoreLockedError",
    "StoreNotFoundError",
    "build_index",
    "current_generation",
    "index_status",
    "load_store",
]
