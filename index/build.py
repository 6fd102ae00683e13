"""Corpus folder -> a new store generation, incrementally.

Only files without a cache entry for (name, content hash, parser version, model id, chunk
size) are parsed and embedded; everything else is read back from the cache. The FAISS
index and BM25 are then rebuilt from all entries and published as a new generation with an
atomic pointer swap (see `index.generations`). When nothing changed at all, no generation
is written and the model is never loaded.
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from index.bm25 import Bm25Settings, tokenize_texts, tokenizer_id
from index.cache import CACHE_DIR_NAME, CachedReport, VectorCache, cache_key
from index.embedding import Embedder
from index.generations import (
    CHUNK_VECTORS_NAME,
    CHUNKS_NAME,
    REPORTS_NAME,
    SENTENCE_VECTORS_NAME,
    SENTENCES_NAME,
    StoreLock,
    current_generation,
    generation_dir,
    new_generation,
    publish,
    remove_other_generations,
)
from index.manifest import (
    BuildError,
    FileEntry,
    Manifest,
    StoreFormatError,
    read_manifest,
    write_manifest,
)
from index.sentence_refs import report_sentences, sentences_to_columns
from ingest.chunking import ChunkSettings, chunk_report
from ingest.loader import load_report
from ingest.models import ReadError
from ingest.parser import PARSER_VERSION
from ingest.readers import SUPPORTED_EXTENSIONS

logger = logging.getLogger(__name__)

# What the loader reads; any other file in the corpus folder is ignored silently.
SUPPORTED_SUFFIXES = frozenset(SUPPORTED_EXTENSIONS)


# Chunk size, calibrated on the sample corpus with m3e-small: for three phrasings of the
# 审方/17906 question the chunk holding the answer ranked (3, 9, 0) at 480 tokens, (0, 1, 0)
# at 384, (0, 3, 0) at 256; smaller chunks dilute the answer less but cost more vectors.
# Three queries are thin evidence: re-check against the evaluation set when it exists.
CHUNK_MAX_TOKENS = 384


@dataclass(frozen=True)
class BuildSettings:
    """How records become searchable units. The embedding model is the embedder's."""

    chunking: ChunkSettings = ChunkSettings(max_tokens=CHUNK_MAX_TOKENS)
    bm25: Bm25Settings = Bm25Settings()


@dataclass
class BuildResult:
    """What a build did. `errors` holds {"file", "error"} with Chinese messages."""

    reports: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    issues: int = 0
    chunks: int = 0
    errors: list[dict] = field(default_factory=list)
    generation: str | None = None      # the live generation after the build
    published: bool = False            # False when nothing changed or nothing was indexable
    embedded_texts: int = 0            # chunks + sentences sent to the model
    embed_seconds: float = 0.0         # time spent parsing and embedding new files
    seconds: float = 0.0

    def summary(self) -> dict:
        """The fixed set of keys printed by `rectify index build --json`."""
        return {
            "reports": self.reports,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "issues": self.issues,
            "chunks": self.chunks,
            "errors": [{"file": e["file"], "error": e["error"]} for e in self.errors],
        }


@dataclass
class _SourceFile:
    """A corpus file as found by the scan."""

    source: str            # relative path, "/"-separated
    path: Path
    content_hash: str
    key: str


def build_index(
    source_dir: Path | str,
    store_dir: Path | str,
    embedder: Embedder | None = None,
    settings: BuildSettings = BuildSettings(),
    progress: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Index every supported file under `source_dir` into `store_dir`, reusing what it can.

    Raises `StoreLockedError` when another build holds the store, FileNotFoundError when
    `source_dir` is not a folder. Files that cannot be read are listed in `errors`.
    `on_progress(done, total)` is called after each embedded batch (the page shows it).
    """
    source_dir, store_dir = Path(source_dir), Path(store_dir)
    if not source_dir.is_dir():
        raise FileNotFoundError(f"找不到报告目录：{source_dir}")
    started = time.perf_counter()
    store_dir.mkdir(parents=True, exist_ok=True)
    with StoreLock(store_dir):
        result = _Build(source_dir, store_dir, embedder or Embedder(), settings, progress, on_progress).run()
    result.seconds = time.perf_counter() - started
    return result


class _Build:
    """One run of `build_index`, under the store lock."""

    def __init__(self, source_dir: Path, store_dir: Path, embedder: Embedder,
                 settings: BuildSettings, progress: bool, on_progress=None):
        self.source_dir = source_dir
        self.store_dir = store_dir
        self.embedder = embedder
        self.settings = settings
        self.progress = progress
        self.on_progress = on_progress
        self._embedded_so_far = 0
        self.cache = VectorCache(store_dir / CACHE_DIR_NAME)
        self.tokenizer_id = tokenizer_id()
        self.result = BuildResult()

    def run(self) -> BuildResult:
        # Previous state; leftovers of killed builds go first
        live = current_generation(self.store_dir)
        remove_other_generations(self.store_dir, keep=live)
        previous = self._previous_manifest(live)
        before = {f.source: f for f in previous.files} if previous else {}

        # Scan the corpus; when the live generation already holds exactly these files,
        # answer from its manifest without opening the cache
        files = self._scan()
        if previous and self._holds_exactly(previous, files):
            logger.info("nothing changed; generation %s stays live", live)
            return self._unchanged_result(previous, live)

        # Reuse cache entries; parse and embed the rest
        entries = self._collect_entries(files, before)
        self._check_duplicates(entries)

        # Count against the previous manifest; files that failed count nowhere but errors
        indexed = {file.source for file, _ in entries}
        for file, _ in entries:
            old = before.get(file.source)
            if old is None:
                self.result.added += 1
            elif old.cache_key == file.key:
                self.result.unchanged += 1
            else:
                self.result.changed += 1
        self.result.removed = sum(1 for source in before if source not in indexed)
        self.result.reports = len(entries)
        self.result.issues = sum(len(e.report.issues) for _, e in entries)
        self.result.chunks = sum(len(e.chunks) for _, e in entries)

        # Publish a new generation unless there is nothing to publish
        if not entries:
            logger.warning("nothing could be indexed; the live store is left as it was")
            self.result.removed = 0
            self.result.generation = live
            return self.result
        if previous and self._same_as(previous, entries):
            logger.info("nothing changed; generation %s stays live", live)
            self.result.generation = live
            return self.result
        self.result.generation = self._publish(entries)
        self.result.published = True
        return self.result

    def _previous_manifest(self, live: str | None) -> Manifest | None:
        if live is None:
            return None
        try:
            return read_manifest(generation_dir(self.store_dir, live))
        except (FileNotFoundError, StoreFormatError) as exc:
            logger.warning("previous generation %s unreadable (%s); rebuilding everything", live, exc)
            return None

    def _scan(self) -> list[_SourceFile]:
        files = []
        for path in sorted(self.source_dir.rglob("*")):
            rel = path.relative_to(self.source_dir).as_posix()
            # Hidden files and office lock files ("~$x.docx") are not reports.
            if any(part.startswith((".", "~$")) for part in rel.split("/")):
                continue
            if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
            key = cache_key(rel, content_hash, PARSER_VERSION, self.embedder.model_id,
                            self.settings.chunking.max_tokens)
            files.append(_SourceFile(rel, path, content_hash, key))
        return files

    def _collect_entries(self, files: list[_SourceFile], before: dict[str, FileEntry]
                         ) -> list[tuple[_SourceFile, CachedReport]]:
        """(file, entry) for every indexable file, in corpus order."""
        started = time.perf_counter()
        entries: dict[str, CachedReport] = {}
        pending = []
        for file in files:
            entry = self.cache.load(file.key)
            if entry is not None:
                entries[file.source] = entry
                continue
            parsed = self._parse(file, was_indexed=file.source in before)
            if parsed is not None:
                pending.append((file, parsed))
        for file, entry in self._embed(pending):
            entries[file.source] = entry
        if pending:
            self.result.embed_seconds = time.perf_counter() - started
        return [(f, entries[f.source]) for f in files if f.source in entries]

    def _parse(self, file: _SourceFile, was_indexed: bool) -> CachedReport | None:
        """The file's report, chunks and sentences (vectors still empty), or None on error."""
        try:
            report = load_report(file.path)
            chunks = chunk_report(report, self.settings.chunking, count_tokens=self.embedder.count_tokens)
            sentences = report_sentences(report)
        except ReadError as exc:
            self._error(file.source, exc.message, was_indexed)
            return None
        except ValueError as exc:
            self._error(file.source, str(exc) or "无法解析", was_indexed)
            return None
        except Exception as exc:  # a parser bug on one file must not stop the others
            logger.exception("parsing %s failed", file.source)
            self._error(file.source, f"解析出错（{type(exc).__name__}: {exc}）", was_indexed)
            return None
        empty = np.zeros((0, 0), dtype=np.float32)
        return CachedReport(report, chunks, sentences, empty, empty, _now())

    def _error(self, source: str, message: str, was_indexed: bool) -> None:
        if was_indexed:
            message += "；该文件已从索引中移除"
        logger.info("%s: %s", source, message)
        self.result.errors.append({"file": source, "error": message})

    def _embed(self, pending: list[tuple[_SourceFile, CachedReport]]):
        """Embed chunks and sentences of each parsed report and cache it, one report at a
        time, so a build killed half-way keeps the reports it finished."""
        if not pending:
            return
        from tqdm import tqdm

        total = sum(len(e.chunks) + len(e.sentences) for _, e in pending)
        with tqdm(total=total, desc="向量化", unit="段", file=sys.stderr,
                  disable=not self.progress, dynamic_ncols=True) as bar:
            for file, entry in pending:
                texts = [c.text for c in entry.chunks] + [s.text for s in entry.sentences]
                vectors = self.embedder.embed(texts, on_batch=self._batch_done(bar, total))
                self.result.embedded_texts += len(texts)
                entry.chunk_vectors = vectors[:len(entry.chunks)]
                entry.sentence_vectors = vectors[len(entry.chunks):]
                entry.chunk_tokens = tokenize_texts([c.text for c in entry.chunks])
                entry.tokenizer_id = self.tokenizer_id
                self.cache.save(file.key, entry)
                yield file, entry

    def _batch_done(self, bar, total: int):
        """The embedder's per-batch callback: the terminal bar, and `on_progress` (a
        disabled tqdm bar does not count, so the count is kept here)."""
        def done(n: int) -> None:
            bar.update(n)
            self._embedded_so_far += n
            if self.on_progress is not None:
                self.on_progress(self._embedded_so_far, total)
        return done

    def _check_duplicates(self, entries: list[tuple[_SourceFile, CachedReport]]) -> None:
        """Two files with the same name and bytes (in different folders) would get the same
        report id; keep the first."""
        seen: dict[str, str] = {}
        for file, entry in list(entries):
            other = seen.setdefault(entry.report.report_id, file.source)
            if other != file.source:
                entries.remove((file, entry))
                self.result.errors.append({"file": file.source, "error": f"与 {other} 完全相同，已跳过"})

    def _holds_exactly(self, previous: Manifest, files: list[_SourceFile]) -> bool:
        return (
            not previous.errors
            and [f.cache_key for f in previous.files] == [file.key for file in files]
            and previous.bm25 == _bm25_dict(self.settings.bm25)
            and previous.tokenizer_id == self.tokenizer_id
        )

    def _unchanged_result(self, previous: Manifest, live: str) -> BuildResult:
        result = self.result
        result.reports = result.unchanged = len(previous.files)
        result.issues = sum(f.issues for f in previous.files)
        result.chunks = sum(f.chunks for f in previous.files)
        result.generation = live
        return result

    def _same_as(self, previous: Manifest, entries) -> bool:
        """True when the live generation already holds exactly these entries."""
        return (
            [f.cache_key for f in previous.files] == [file.key for file, _ in entries]
            and [e.file for e in previous.errors] == [e["file"] for e in self.result.errors]
            and previous.bm25 == _bm25_dict(self.settings.bm25)
            and previous.tokenizer_id == self.tokenizer_id
        )

    def _publish(self, entries: list[tuple[_SourceFile, CachedReport]]) -> str:
        name, folder = new_generation(self.store_dir)
        try:
            self._write_generation(name, folder, entries)
            publish(self.store_dir, name)
        except BaseException:
            # Includes KeyboardInterrupt: the half-written generation is never live.
            shutil.rmtree(folder, ignore_errors=True)
            raise
        remove_other_generations(self.store_dir, keep=name)
        self.cache.prune(keep={file.key for file, _ in entries})
        logger.info("published generation %s (%d reports)", name, len(entries))
        return name

    def _write_generation(self, name: str, folder: Path, entries) -> None:
        chunks = [c for _, e in entries for c in e.chunks]
        sentences = [s for _, e in entries for s in e.sentences]
        chunk_vectors = np.concatenate([e.chunk_vectors for _, e in entries]).astype(np.float32)
        sentence_vectors = np.concatenate([e.sentence_vectors for _, e in entries]).astype(np.float32)

        # Records and their vectors
        _write_json(folder / REPORTS_NAME, [e.report.to_dict() for _, e in entries])
        _write_json(folder / CHUNKS_NAME, [c.to_dict() for c in chunks])
        _write_json(folder / SENTENCES_NAME, sentences_to_columns(sentences))
        np.save(folder / CHUNK_VECTORS_NAME, chunk_vectors)
        np.save(folder / SENTENCE_VECTORS_NAME, sentence_vectors)

        # Search indexes, rebuilt from scratch: FAISS cannot delete, so it is never patched.
        # Imported here: LlamaIndex and FAISS take a second to import, which a rebuild
        # that changes nothing should not pay.
        from index.bm25 import Bm25Index
        from index.vectors import build_vector_store, save_vector_store

        save_vector_store(build_vector_store(chunks, chunk_vectors), folder)
        self._refresh_tokens(entries)
        tokens = [t for _, e in entries for t in e.chunk_tokens]
        Bm25Index.build(tokens, self.settings.bm25).save(folder)

        # Manifest last
        manifest = Manifest(
            generation=name,
            built_at=_now(),
            model_id=self.embedder.model_id,
            dim=int(chunk_vectors.shape[1]),
            parser_version=PARSER_VERSION,
            chunk_max_tokens=self.settings.chunking.max_tokens,
            bm25=_bm25_dict(self.settings.bm25),
            files=[_file_entry(file, entry, self.embedder.model_id) for file, entry in entries],
            errors=[BuildError(**e) for e in self.result.errors],
            tokenizer_id=self.tokenizer_id,
        )
        write_manifest(manifest, folder)


    def _refresh_tokens(self, entries) -> None:
        """Tokenize entries whose cached tokens are missing or from another tokenizer."""
        for file, entry in entries:
            if entry.chunk_tokens is None or entry.tokenizer_id != self.tokenizer_id:
                entry.chunk_tokens = tokenize_texts([c.text for c in entry.chunks])
                entry.tokenizer_id = self.tokenizer_id
                self.cache.set_tokens(file.key, entry)


def _file_entry(file: _SourceFile, entry: CachedReport, model_id: str) -> FileEntry:
    report = entry.report
    return FileEntry(
        source=file.source,
        content_hash=file.content_hash,
        parser_version=report.parser_version,
        model_id=model_id,
        cache_key=file.key,
        report_id=report.report_id,
        title=report.title,
        date=report.date,
        issuer=report.issuer,
        records=len(report.records),
        issues=len(report.issues),
        status_counts=report.status_counts(),
        chunks=len(entry.chunks),
        sentences=len(entry.sentences),
        built_at=entry.built_at,
    )


def _bm25_dict(settings: Bm25Settings) -> dict:
    return {"k1": settings.k1, "b": settings.b, "method": settings.method}


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
