"""An `Embedder` seen as a LlamaIndex `BaseEmbedding`.

Kept apart from `index.embedding` so that using the embedder does not import LlamaIndex.
Pass an instance explicitly (`embed_model=...`) to every LlamaIndex component: left
unset, LlamaIndex's global `Settings.embed_model` resolves to OpenAI.
"""
from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.bridge.pydantic import PrivateAttr

from index.embedding import Embedder


class LlamaIndexEmbedding(BaseEmbedding):
    """Delegates to one shared `Embedder`, so the model is loaded once for both worlds."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs):
        super().__init__(
            model_name=embedder.model_id,
            embed_batch_size=embedder.settings.batch_size,
            **kwargs,
        )
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "RectifyEmbedding"

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embedder.embed_query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embedder.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embedder.embed(texts).tolist()
