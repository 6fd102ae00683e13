"""BM25 over chunk texts, on jieba tokens (`index.tokenize`), with bm25s.

bm25s is given token lists, never raw text: its own tokenizer (like LlamaIndex's stock
BM25Retriever) treats a run of Chinese characters as one token, which makes BM25 useless
for Chinese.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# bm25s and the jieba tokenizer are imported where an index is built, loaded or searched:
# `Bm25Settings` is needed by every build, their ~1.5 s of imports and dictionary loading
# only by builds that write a generation.


def _bm25s():
    """The bm25s module, its logger quietened: bm25s sets it to DEBUG when imported, which
    would print a line per index build through whatever handler the application set up."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def tokenizer_id() -> str:
    """Fingerprint of the BM25 tokenizer: jieba's version and the source of
    `index.tokenize` (stopwords, normalisation), read without importing either.

    The tokenizer carries no version number of its own; any edit to it must rebuild BM25
    and the cached token lists, and its source is the one thing every edit changes.
    """
    source = Path(importlib.util.find_spec("index.tokenize").origin).read_bytes()
    # the genre words added to jieba's dictionary change tokens too; the rest of the
    # vocabulary (status words, the question side's spoken words) does not
    genre = tomllib.loads(Path(importlib.util.find_spec("ingest.lexicon").origin).with_name("genre.toml")
                          .read_text(encoding="utf-8"))
    source += json.dumps(genre.get("jieba", {}), sort_keys=True, ensure_ascii=False).encode()
    digest = hashlib.sha256(source + importlib.metadata.version("jieba").encode()).hexdigest()
    return f"jieba-{digest[:12]}"


def tokenize_texts(texts: list[str]) -> list[list[str]]:
    """BM25 tokens of each text (jieba search mode, see `index.tokenize`)."""
    from index.tokenize import tokenize

    return [tokenize(text) for text in texts]


def document_frequencies(texts: list[str]) -> dict[str, int]:
    """How many of `texts` hold each token (`index.tokenize` on the normalised text, as
    the assistant weighs question terms by sentence-level IDF)."""
    from index.tokenize import normalize, tokenize

    counts: dict[str, int] = {}
    for text in texts:
        for token in set(tokenize(normalize(text))):
            counts[token] = counts.get(token, 0) + 1
    return counts


BM25_DIR_NAME = "bm25"
_METHODS = ("robertson", "lucene", "bm25l", "bm25+", "atire")


@dataclass(frozen=True)
class Bm25Settings:
    """Okapi BM25 parameters; the defaults are the textbook ones (and bm25s's)."""

    k1: float = 1.5
    b: float = 0.75
    method: str = "lucene"

    def __post_init__(self) -> None:
        if self.k1 < 0:
            raise ValueError(f"Bm25Settings.k1 must be >= 0, got {self.k1}")
        if not 0 <= self.b <= 1:
            raise ValueError(f"Bm25Settings.b must be in [0, 1], got {self.b}")
        if self.method not in _METHODS:
            raise ValueError(f"Bm25Settings.method must be one of {_METHODS}, got {self.method!r}")


class Bm25Index:
    """Lexical search over a fixed list of texts; results are (position, score)."""

    def __init__(self, retriever):
        self._retriever = retriever

    @classmethod
    def build(cls, token_lists: list[list[str]], settings: Bm25Settings = Bm25Settings()) -> "Bm25Index":
        """Index documents given as token lists (from `tokenize_texts`)."""
        if not token_lists:
            raise ValueError("BM25 needs at least one document")
        retriever = _bm25s().BM25(k1=settings.k1, b=settings.b, method=settings.method)
        retriever.index(token_lists, show_progress=False)
        return cls(retriever)

    def save(self, generation_dir: Path) -> None:
        self._retriever.save(str(Path(generation_dir) / BM25_DIR_NAME), show_progress=False)

    @classmethod
    def load(cls, generation_dir: Path) -> "Bm25Index":
        return cls(_bm25s().BM25.load(str(Path(generation_dir) / BM25_DIR_NAME)))

    @property
    def size(self) -> int:
        return int(self._retriever.scores["num_docs"])

    def scoped(self, scope) -> "Bm25ChunkSearch":
        """This index as a `SearchIndex` whose filters map to rows through `scope`."""
        from index.search import Bm25ChunkSearch

        return Bm25ChunkSearch(self._retriever, scope)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best-scoring texts containing at least one query token, best first."""
        from index.tokenize import tokenize

        tokens = tokenize(query)
        if k <= 0 or not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        k = min(k, len(scores))
        # Top k without sorting the whole array, then sort those k.
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
