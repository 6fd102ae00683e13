"""Corpus folder -> a new store generation, incrementally.

Only files without a segment for (name, content hash, parser version, model id, encoder,
chunk size, sentence dtype) are parsed and embedded, each into a segment of its own (see
`index.segments`). A generation is then just a manifest naming the segment of every file,
published with an atomic pointer swap (see `index.generations`): adding or changing a
report writes its segment and a manifest, removing one writes a manifest, and segments
no longer named are deleted after the swap. Compaction merges small or mostly-removed
segments into packs so their number stays bounded. When nothing changed at all, no
generation is written and the model is never loaded.
"""
from __future__ import annotations

import hashlib
import logging
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from index.bm25 import Bm25Settings, document_frequencies, tokenize_texts, tokenizer_id
from index.embedding import Embedder
from index.generations import (
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
    prune_pages,
    read_manifest,
    write_manifest,
)
from index.milvus_backend import BackendSettings
from index.segments import (
    SEGMENTS_DIR_NAME,
    SENTENCE_DTYPES,
    CompactionSettings,
    ReportEntry,
    ReportSlice,
    SegmentStore,
    cache_key,
    new_pack_id,
    plan_compaction,
)
from index.sentence_refs import report_sentences
from ingest.chunking import ChunkSettings, chunk_report
from ingest.lexicon import load_lexicon
from ingest.loader import load_report
from ingest.models import ReadError
from ingest.parser import PARSER_VERSION
from index.scan import scan_corpus
from ingest.readers import READER_VERSION, SUPPORTED_EXTENSIONS

logger = logging.getLogger(__name__)


def genre_fingerprint() -> str:
    """The fingerprint of the vocabulary the parser reads (ingest/lexicon/genre.toml)."""
    return load_lexicon().fingerprint


# What the loader reads (kept for index.store's callers; the scan decides per file).
SUPPORTED_SUFFIXES = frozenset(SUPPORTED_EXTENSIONS)

# Files larger than this are reported and never read by a build. The largest report seen
# in practice (a scanned-then-OCRed PDF of ~60 pages) is ~8 MB and uploads stop at 20 MB
# (assistant.uploads); a folder build may hold long annexes, so 50 MB, while a video or a
# database dump dropped into the folder is still refused before it is read into memory.
MAX_FILE_MB = 50


_FORMAT_1_CACHE = "cache"

# Chunk size, calibrated on the sample corpus with m3e-small: for three phrasings of the
# 审方/17906 question the chunk holding the answer ranked (3, 9, 0) at 480 tokens, (0, 1, 0)
# at 384, (0, 3, 0) at 256; smaller chunks dilute the answer less but cost more vectors.
# Three queries are thin evidence: re-check against the evaluation set when it exists.
CHUNK_MAX_TOKENS = 384


# Sentence vectors are stored in float16: they are most of the vectors (several per chunk)
# and only ever ranked by cosine; half the bytes on disk, upcast to float32 at load.
# "float32" turns it back (it re-embeds, since the dtype is part of the segment key).
# Accuracy with float16 is for the evaluation to confirm.
SENTENCE_DTYPE = "float16"


@dataclass(frozen=True)
class BuildSettings:
    """How records become searchable units. The embedding model is the embedder's."""

    chunking: ChunkSettings = ChunkSettings(max_tokens=CHUNK_MAX_TOKENS)
    bm25: Bm25Settings = Bm25Settings()
    max_file_bytes: int = MAX_FILE_MB * 1024 * 1024
    sentence_dtype: str = SENTENCE_DTYPE
    compaction: CompactionSettings = CompactionSettings()
    backend: BackendSettings = BackendSettings()

    def __post_init__(self) -> None:
        if self.sentence_dtype not in SENTENCE_DTYPES:
            raise ValueError(f"BuildSettings.sentence_dtype must be one of {SENTENCE_DTYPES}, "
                             f"got {self.sentence_dtype!r}")


@dataclass
class BuildResult:
    """What a build did. `errors` holds {"file", "error"} with Chinese messages, `skipped`
    {"file", "reason"} for files in the folder that are not reports (hidden, lock files,
    unknown types)."""

    reports: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    issues: int = 0
    chunks: int = 0
    errors: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    generation: str | None = None      # the live generation after the build
    published: bool = False            # False when nothing changed or nothing was indexable
    embedded_texts: int = 0            # chunks + sentences sent to the model
    embed_seconds: float = 0.0         # time spent parsing and embedding new files
    segments_written: int = 0          # new segments (one per embedded report, plus packs)
    compacted: int = 0                 # segments merged into a pack by this build
    seconds: float = 0.0
    files: list[FileEntry] = field(default_factory=list)   # every indexed file, as the manifest lists it

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
            "skipped": [{"file": s["file"], "reason": s["reason"]} for s in self.skipped],
            "files": [_file_summary(f) for f in self.files],
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
        self.segments = SegmentStore(store_dir / SEGMENTS_DIR_NAME)
        self.on_progress = on_progress
        self._embedded_so_far = 0
        self.tokenizer_id = tokenizer_id()
        self.result = BuildResult()
        self.previous: Manifest | None = None

    def run(self) -> BuildResult:
        # Previous state; leftovers of killed builds go first
        live = current_generation(self.store_dir)
        remove_other_generations(self.store_dir, keep=live)
        previous = self.previous = self._previous_manifest(live)
        before = {f.source: f for f in previous.files} if previous else {}

        # Scan the corpus; when the live generation already holds exactly these files,
        # answer from its manifest without opening any segment
        files = self._scan(before)
        if previous and self._holds_exactly(previous, files):
            logger.info("nothing changed; generation %s stays live", live)
            return self._unchanged_result(previous, live)

        # Reuse segments; parse and embed the rest
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
        self.result.files = [e for _, e in entries]
        self.result.issues = sum(e.issues for _, e in entries)
        self.result.chunks = sum(e.chunks for _, e in entries)

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

    def _scan(self, before: dict[str, FileEntry]) -> list[_SourceFile]:
        """The readable files with their hashes; the rest goes to errors and skipped."""
        scan = scan_corpus(self.source_dir, self.settings.max_file_bytes)
        for error in scan.errors:
            self._error(error["file"], error["error"], was_indexed=error["file"] in before)
        self.result.skipped = scan.skipped
        files = []
        for found in scan.files:
            try:
                data = found.path.read_bytes()
            except OSError as exc:
                self._error(found.source, f"无法读取文件：{exc.strerror or exc}", found.source in before)
                continue
            content_hash = hashlib.sha256(data).hexdigest()
            # The reader version is part of the key: the parser's input changes with it; so is
            # the genre vocabulary (a status, label or short name added to genre.toml changes
            # what the same bytes parse to).
            key = cache_key(found.source, content_hash,
                            f"{PARSER_VERSION}/readers-{READER_VERSION}/genre-{genre_fingerprint()}",
                            self.embedder.model_id, self.settings.chunking.max_tokens, self.settings.sentence_dtype,
                            self.embedder.encoder)
            files.append(_SourceFile(found.source, found.path, content_hash, key))
        return files

    def _collect_entries(self, files: list[_SourceFile], before: dict[str, FileEntry]
                         ) -> list[tuple[_SourceFile, FileEntry]]:
        """(file, entry naming its segment) for every indexable file, in corpus order."""
        started = time.perf_counter()
        entries: dict[str, FileEntry] = {}
        pending = []
        for file in files:
            entry = self._reuse(file, before.get(file.source))
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

    def _reuse(self, file: _SourceFile, old: FileEntry | None) -> FileEntry | None:
        """The file's entry when a segment already holds it: the live generation's (which
        may be a pack), or the segment a previous build embedded it into."""
        if old is not None and old.cache_key == file.key and self.segments.exists(old.segment):
            return old
        meta = self.segments.find(file.key)
        if meta is None:
            return None
        return _file_entry(file, meta.slice(file.key), self.embedder.model_id, meta.segment_id)

    def _parse(self, file: _SourceFile, was_indexed: bool) -> ReportEntry | None:
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
        return ReportEntry(file.key, report, chunks, sentences, empty, empty, _now())

    def _error(self, source: str, message: str, was_indexed: bool) -> None:
        if was_indexed:
            message += "；该文件已从索引中移除"
        logger.info("%s: %s", source, message)
        self.result.errors.append({"file": source, "error": message})

    def _embed(self, pending: list[tuple[_SourceFile, ReportEntry]]):
        """Embed chunks and sentences of each parsed report and write its segment, one
        report at a time, so a build killed half-way keeps the reports it finished."""
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
                entry.sentence_df = document_frequencies([s.text for s in entry.sentences])
                meta = self.segments.write(file.key, [entry], self.settings.sentence_dtype, self.tokenizer_id)
                self.result.segments_written += 1
                yield file, _file_entry(file, meta.slice(file.key), self.embedder.model_id, file.key)

    def _batch_done(self, bar, total: int):
        """The embedder's per-batch callback: the terminal bar, and `on_progress` (a
        disabled tqdm bar does not count, so the count is kept here)."""
        def done(n: int) -> None:
            bar.update(n)
            self._embedded_so_far += n
            if self.on_progress is not None:
                self.on_progress(self._embedded_so_far, total)
        return done

    def _check_duplicates(self, entries: list[tuple[_SourceFile, FileEntry]]) -> None:
        """Two files with the same name and bytes (in different folders) would get the same
        report id; keep the first."""
        seen: dict[str, str] = {}
        for file, entry in list(entries):
            other = seen.setdefault(entry.report_id, file.source)
            if other != file.source:
                entries.remove((file, entry))
                self.result.errors.append({"file": file.source, "error": f"与 {other} 完全相同，已跳过"})

    def _holds_exactly(self, previous: Manifest, files: list[_SourceFile]) -> bool:
        return (
            not previous.errors
            and not self.result.errors
            and [f.cache_key for f in previous.files] == [file.key for file in files]
            and previous.bm25 == _bm25_dict(self.settings.bm25)
            and previous.tokenizer_id == self.tokenizer_id
            and self._same_backend(previous)
            and self._segments_complete(previous.files)
        )

    def _segments_complete(self, files: list[FileEntry]) -> bool:
        """Whether every segment named has what a load reads of the current tokenizer
        (stores built before sentence document frequencies were kept get them once)."""
        return all(self.segments.has_sentence_df(segment, self.tokenizer_id)
                   for segment in {f.segment for f in files})

    def _same_backend(self, previous: Manifest) -> bool:
        backend = self.settings.backend
        return (previous.backend == backend.kind and previous.backend_uri == backend.uri
                and previous.backend_collection == (backend.collection if backend.kind == "milvus" else ""))

    def _unchanged_result(self, previous: Manifest, live: str) -> BuildResult:
        result = self.result
        result.reports = result.unchanged = len(previous.files)
        result.files = list(previous.files)
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
            and self._same_backend(previous)
            and self._segments_complete([e for _, e in entries])
        )

    def _publish(self, entries: list[tuple[_SourceFile, FileEntry]]) -> str:
        # Segments first (tokens of a new tokenizer, packs): nothing live refers to them yet
        self._ensure_tokens(entries)
        entries = self._compact(entries)
        self._sync_backend(entries)
        name, folder = new_generation(self.store_dir)
        try:
            self._write_manifest(name, folder, entries)
            publish(self.store_dir, name)
        except BaseException:
            # Includes KeyboardInterrupt: the half-written generation is never live.
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if self.settings.backend.kind == "milvus":
            from index.milvus_backend import clear_pending

            clear_pending(self.store_dir)
        remove_other_generations(self.store_dir, keep=name)
        self.segments.prune(keep={e.segment for _, e in entries}, tokenizer_id=self.tokenizer_id)
        prune_pages(folder)
        # Store format 1 kept per-report vectors in cache/; nothing reads it any more.
        shutil.rmtree(self.store_dir / _FORMAT_1_CACHE, ignore_errors=True)
        logger.info("published generation %s (%d reports)", name, len(entries))
        return name

    def _sync_backend(self, entries) -> None:
        """An external backend (Milvus) gets the chunks of added and changed reports and
        loses those of removed ones, before the swap (see `index.milvus_backend`)."""
        if self.settings.backend.kind != "milvus":
            return
        from index.milvus_backend import sync_collection

        sync_collection(self.settings.backend, self.store_dir, [e for _, e in entries], self.previous,
                        lambda segment: self.segments.read(segment, self.tokenizer_id),
                        self._dim(entries), _bm25_dict(self.settings.bm25))

    def _dim(self, entries) -> int:
        return self.segments.meta(entries[0][1].segment).dim

    def _write_manifest(self, name: str, folder: Path, entries) -> None:
        dim = self._dim(entries)
        backend = self.settings.backend
        manifest = Manifest(
            generation=name,
            built_at=_now(),
            model_id=self.embedder.model_id,
            encoder=self.embedder.encoder,
            dim=dim,
            parser_version=PARSER_VERSION,
            chunk_max_tokens=self.settings.chunking.max_tokens,
            bm25=_bm25_dict(self.settings.bm25),
            files=[e for _, e in entries],
            errors=[BuildError(**e) for e in self.result.errors],
            tokenizer_id=self.tokenizer_id,
            sentence_dtype=self.settings.sentence_dtype,
            backend=backend.kind,
            backend_uri=backend.uri,
            backend_collection=backend.collection if backend.kind == "milvus" else "",
        )
        write_manifest(manifest, folder, self.previous)

    def _ensure_tokens(self, entries) -> None:
        """Tokenize segments without tokens or sentence document frequencies of the current
        tokenizer (after a tokenizer change, or a store older than them); their vectors
        are kept."""
        for segment in dict.fromkeys(e.segment for _, e in entries):
            has_tokens = self.segments.has_tokens(segment, self.tokenizer_id)
            if has_tokens and self.segments.has_sentence_df(segment, self.tokenizer_id):
                continue
            data = self.segments.read(segment)
            if not has_tokens:
                self.segments.add_tokens(segment, self.tokenizer_id, tokenize_texts([c.text for c in data.chunks]))
            if not self.segments.has_sentence_df(segment, self.tokenizer_id):
                self.segments.add_sentence_df(segment, self.tokenizer_id, {
                    s.key: document_frequencies([r.text for r in data.entry(s.key).sentences])
                    for s in data.meta.reports})

    def _compact(self, entries: list[tuple[_SourceFile, FileEntry]]) -> list[tuple[_SourceFile, FileEntry]]:
        """Merge the segments `plan_compaction` picks into one pack; the entries they held
        then name the pack."""
        live: dict[str, int] = {}
        for _, e in entries:
            live[e.segment] = live.get(e.segment, 0) + e.chunks
        total = {s: self.segments.meta(s).chunks for s in live}
        chosen = set(plan_compaction(live, total, self.settings.compaction))
        if not chosen:
            return entries
        moved = [(f, e) for f, e in entries if e.segment in chosen]
        data = {s: self.segments.read(s, self.tokenizer_id) for s in chosen}
        report_entries = [data[e.segment].entry(e.cache_key) for _, e in moved]
        pack = new_pack_id()
        self.segments.write(pack, report_entries, self.settings.sentence_dtype, self.tokenizer_id)
        self.result.segments_written += 1
        self.result.compacted += len(chosen)
        logger.info("compacted %d segments (%d reports) into %s", len(chosen), len(moved), pack)
        return [(f, replace(e, segment=pack) if e.segment in chosen else e) for f, e in entries]


def _file_entry(file: _SourceFile, where: ReportSlice, model_id: str, segment: str) -> FileEntry:
    summary = where.summary
    return FileEntry(
        source=file.source,
        content_hash=file.content_hash,
        parser_version=summary["parser_version"],
        model_id=model_id,
        cache_key=file.key,
        report_id=where.report_id,
        title=summary["title"],
        date=summary["date"],
        issuer=summary["issuer"],
        records=summary["records"],
        issues=summary["issues"],
        status_counts=summary["status_counts"],
        chunks=where.chunks,
        sentences=where.sentence_rows[1] - where.sentence_rows[0],
        built_at=where.built_at,
        segment=segment,
        stated=dict(summary.get("stated", {})),
        warnings=list(summary.get("warnings", [])),
        layout=summary.get("layout", ""),
    )


def _file_summary(entry: FileEntry) -> dict:
    """One file of `--json`: what was parsed, what the report says of itself, and the
    parser's warnings where the two disagree."""
    return {"file": entry.source, "title": entry.title, "issues": entry.issues,
            "by_status": dict(entry.status_counts), "stated": dict(entry.stated),
            "layout": entry.layout, "warnings": list(entry.warnings)}


def _bm25_dict(settings: Bm25Settings) -> dict:
    return {"k1": settings.k1, "b": settings.b, "method": settings.method}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
