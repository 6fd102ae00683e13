"""Chunk vectors in a FAISS inner-product index, through LlamaIndex's `FaissVectorStore`.

Vectors are L2-normalised, so inner product is cosine similarity. The vector store keeps
no text: its ids are row positions, and row i is chunk i of the generation, which is how
search results are mapped back to chunks.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.faiss import FaissVectorStore

from ingest.models import Chunk

FAISS_NAME = "chunks.faiss"

# Metadata that locates a chunk but says nothing about its meaning (ids, paths, offsets):
# never embedded, never shown to a language model.
LOCATOR_KEYS = frozenset({
    "report_id", "record_id", "chunk_id", "source", "content_hash", "start", "end", "part", "kind",
})


def chunk_node(chunk: Chunk, embedding: list[float] | None = None) -> TextNode:
    """The chunk as a LlamaIndex node.

    All metadata is excluded from the embedding text, so `get_content(MetadataMode.EMBED)`
    is exactly `chunk.text`, the string that was embedded: its header already states the
    report, group, label, status and title. The language model sees those meaningful
    fields but none of the locators.
    """
    metadata = {
        **chunk.metadata,
        "chunk_id": chunk.chunk_id,
        "start": chunk.start,
        "end": chunk.end,
        "part": chunk.part,
    }
    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        metadata=metadata,
        embedding=embedding,
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=[key for key in metadata if key in LOCATOR_KEYS],
    )


def build_vector_store(chunks: list[Chunk], vectors: np.ndarray) -> FaissVectorStore:
    """A FAISS inner-product index whose row i is `vectors[i]` for `chunks[i]`."""
    if len(chunks) != len(vectors):
        raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
    store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(int(vectors.shape[1])))
    store.add([chunk_node(c, v.tolist()) for c, v in zip(chunks, vectors)])
    return store


def save_vector_store(store: FaissVectorStore, generation_dir: Path) -> None:
    store.persist(persist_path=str(Path(generation_dir) / FAISS_NAME))


def load_vector_store(generation_dir: Path) -> FaissVectorStore:
    return FaissVectorStore.from_persist_path(str(Path(generation_dir) / FAISS_NAME))


def dense_query(store: FaissVectorStore, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(chunk index, cosine similarity) of the `k` nearest chunks, best first."""
    if k <= 0 or store.client.ntotal == 0:
        return []
    query = VectorStoreQuery(
        query_embedding=np.asarray(query_vector, dtype=np.float32).ravel().tolist(),
        similarity_top_k=min(k, store.client.ntotal),
    )
    result = store.query(query)
    return [(int(i), float(s)) for i, s in zip(result.ids or [], result.similarities or [])]
