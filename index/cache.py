"""Per-report cache of parsed records and their vectors, shared by all store generations.

FAISS (as wrapped by LlamaIndex) can neither delete nor filter vectors, so a store is never
patched in place: every build assembles a fresh generation from these entries, which takes
milliseconds, and only reports without an entry are parsed and embedded.

An entry is keyed by everything its content depends on — file name (the report id is
derived from it), content hash, parser version, model id and chunk size — so any change to
one of them simply misses the cache. Entries are written to a temp folder and renamed into
place, so a killed build leaves either a whole entry or none.

    cache/<content hash[:16]>-<key hash[:16]>/
      meta.json  report.json  chunks.json  sentences.json
      chunk_vectors.npy  sentence_vectors.npy
      chunk_tokens.json   BM25 tokens of the chunks, with the tokenizer id they came from

Tokens are cached because jieba is the slowest step of assembling a generation (seconds
for a few thousand chunks). They are kept apart from the key: a tokenizer change only
re-tokenizes (`set_tokens`), it never re-embeds.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.manifest import STORE_FORMAT_VERSION
from index.sentence_refs import SentenceRef, sentences_from_columns, sentences_to_columns
from ingest.models import Chunk, Report

logger = logging.getLogger(__name__)

CACHE_DIR_NAME = "cache"
TOKENS_NAME = "chunk_tokens.json"
_TEMP_PREFIX = ".tmp-"


@dataclass
class CachedReport:
    """A parsed report with its chunks and sentences and their vectors (row i = item i)."""

    report: Report
    chunks: list[Chunk]
    sentences: list[SentenceRef]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    built_at: str
    chunk_tokens: list[list[str]] | None = None   # BM25 tokens, None when not yet made
    tokenizer_id: str = ""                        # the tokenizer that made them


def cache_key(source: str, content_hash: str, parser_version: str, model_id: str,
              chunk_max_tokens: int) -> str:
    """Folder name of the entry for one file as built with these settings."""
    parts = [str(STORE_FORMAT_VERSION), source, content_hash, parser_version, model_id, str(chunk_max_tokens)]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    return f"{content_hash[:16]}-{digest}"


class VectorCache:
    """The `cache/` folder of a store. Writers must hold the store lock."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def load(self, key: str) -> CachedReport | None:
        """The entry, or None when it is missing or unreadable (it is then rebuilt)."""
        folder = self.path(key)
        if not (folder / "meta.json").exists():
            return None
        try:
            return _read_entry(folder)
        except Exception as exc:  # a damaged entry only costs a re-embedding
            logger.warning("ignoring damaged cache entry %s: %s", folder, exc)
            return None

    def save(self, key: str, entry: CachedReport) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{_TEMP_PREFIX}{key}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        _write_entry(tmp, entry)
        final = self.path(key)
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)

    def set_tokens(self, key: str, entry: CachedReport) -> None:
        """Replace the token lists of an existing entry (after a tokenizer change)."""
        folder = self.path(key)
        tmp = folder / f"{_TEMP_PREFIX}{TOKENS_NAME}-{os.getpid()}"
        _write_json(tmp, {"tokenizer_id": entry.tokenizer_id, "tokens": entry.chunk_tokens})
        os.replace(tmp, folder / TOKENS_NAME)

    def prune(self, keep: set[str]) -> int:
        """Delete entries not in `keep` and temp folders of killed builds; returns how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for folder in self.root.iterdir():
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def _write_entry(folder: Path, entry: CachedReport) -> None:
    report = entry.report
    meta = {
        "format_version": STORE_FORMAT_VERSION,
        "source": report.source,
        "content_hash": report.content_hash,
        "parser_version": report.parser_version,
        "built_at": entry.built_at,
        "chunks": len(entry.chunks),
        "sentences": len(entry.sentences),
    }
    _write_json(folder / "report.json", report.to_dict())
    _write_json(folder / "chunks.json", [c.to_dict() for c in entry.chunks])
    _write_json(folder / "sentences.json", sentences_to_columns(entry.sentences))
    np.save(folder / "chunk_vectors.npy", entry.chunk_vectors.astype(np.float32, copy=False))
    np.save(folder / "sentence_vectors.npy", entry.sentence_vectors.astype(np.float32, copy=False))
    if entry.chunk_tokens is not None:
        _write_json(folder / TOKENS_NAME, {"tokenizer_id": entry.tokenizer_id, "tokens": entry.chunk_tokens})
    # meta.json last: its presence marks a complete entry.
    _write_json(folder / "meta.json", meta)


def _read_entry(folder: Path) -> CachedReport:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format_version") != STORE_FORMAT_VERSION:
        raise ValueError(f"format version {meta.get('format_version')}")
    report = Report.from_dict(json.loads((folder / "report.json").read_text(encoding="utf-8")))
    chunks = [Chunk.from_dict(c) for c in json.loads((folder / "chunks.json").read_text(encoding="utf-8"))]
    columns = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
    sentences = sentences_from_columns(columns, {report.report_id: report.body})
    chunk_vectors = np.load(folder / "chunk_vectors.npy")
    sentence_vectors = np.load(folder / "sentence_vectors.npy")
    if len(chunk_vectors) != len(chunks) or len(sentence_vectors) != len(sentences):
        raise ValueError("vector count does not match records")
    entry = CachedReport(report, chunks, sentences, chunk_vectors, sentence_vectors, meta["built_at"])
    # Tokens are optional: missing or miscounted ones are simply made again.
    if (folder / TOKENS_NAME).exists():
        tokens = json.loads((folder / TOKENS_NAME).read_text(encoding="utf-8"))
        if len(tokens["tokens"]) == len(chunks):
            entry.chunk_tokens, entry.tokenizer_id = tokens["tokens"], tokens["tokenizer_id"]
    return entry


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
