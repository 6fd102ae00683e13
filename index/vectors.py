"""Chunk vectors in a FAISS inner-product index, through LlamaIndex's `FaissVectorStore`.

Vectors are L2-normalised, so inner product is cosine similarity. The vector store keeps
no text: its ids are row positions, and row i is chunk i of the loaded generation, which
is how search results are mapped back to chunks (see `index.search.FaissChunkSearch`).
"""
from __future__ import annotations

import faiss
import numpy as np
from llama_index.core.schema import TextNode
from llama_index.vector_stores.faiss import FaissVectorStore

from ingest.models import Chunk

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


def vector_store_from_vectors(vectors: np.ndarray) -> FaissVectorStore:
    """A FAISS inner-product index whose row i is `vectors[i]`, wrapped in LlamaIndex's
    vector store. Built in memory at load: the flat index is the vectors themselves, so
    persisting it would only write them a second time."""
    index = faiss.IndexFlatIP(int(vectors.shape[1]))
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return FaissVectorStore(faiss_index=index)
