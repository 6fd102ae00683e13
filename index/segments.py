"""Segments: immutable folders of parsed reports with their vectors and BM25 tokens.

A generation is only a manifest naming, for each indexed file, the segment that holds it;
the loader assembles FAISS and BM25 in memory from the segments. So adding or changing one
report writes that report's segment and a manifest, removing one writes only a manifest,
and nothing else of the store is rewritten.

A report embedded by a build gets its own segment, named by its cache key (everything its
content depends on: see `cache_key`), written as soon as it is embedded so a build killed
half-way keeps the reports it finished. Compaction (`plan_compaction`) merges small
segments and segments holding mostly removed reports into one pack, which keeps the
number of segments bounded.

    segments/<key>/ or segments/pack-<time>-<pid>/
      segment.json         its reports: key, row ranges, summary; written last (= complete)
      reports.json         Report.to_dict() of each report
      chunks.json          Chunk.to_dict(), rows of all its reports one after the other
      sentences.json       sentence columns (report_id, record_id, start, end)
      chunk_vectors.npy    float32 (chunks, dim), L2-normalised
      sentence_vectors.npy float16 or float32 (`sentence_dtype`), L2-normalised
      tokens-<tokenizer id>.json   BM25 tokens of each chunk; a tokenizer change adds a
                                   file beside the old one, the segment is never edited
      sentence-df-<tokenizer id>.json  per report, how many of its sentences hold each
                                   token (the assistant's IDF), so a load sums counts
                                   instead of cutting every sentence of the store again

Writers hold the store lock; a segment is written into a temp folder, flushed and renamed,
so a reader finds it whole or not at all.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from index.generations import fsync_tree
from index.manifest import STORE_FORMAT_VERSION
from index.sentence_refs import SentenceRef, sentences_from_columns, sentences_to_columns
from ingest.models import Chunk, Report

logger = logging.getLogger(__name__)

SEGMENTS_DIR_NAME = "segments"
SEGMENT_META = "segment.json"
PACK_PREFIX = "pack-"
_TEMP_PREFIX = ".tmp-"
SENTENCE_DTYPES = ("float16", "float32")


def cache_key(source: str, content_hash: str, parser_version: str, model_id: str,
              chunk_max_tokens: int, sentence_dtype: str, encoder: str = "torch") -> str:
    """Name of the segment of one file as built with these settings. The torch encoder adds
    nothing to the key, so segments embedded before encoders were selectable stay valid."""
    parts = [str(STORE_FORMAT_VERSION), source, content_hash, parser_version, model_id,
             str(chunk_max_tokens), sentence_dtype]
    if encoder != "torch":
        parts.append(encoder)
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    return f"{content_hash[:16]}-{digest}"


@dataclass
class ReportEntry:
    """A parsed report with its chunks and sentences and their vectors (row i = item i)."""

    key: str
    report: Report
    chunks: list[Chunk]
    sentences: list[SentenceRef]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    built_at: str
    chunk_tokens: list[list[str]] | None = None   # BM25 tokens, None when not yet made
    sentence_df: dict[str, int] | None = None     # sentences holding each token, None when not yet made


@dataclass(frozen=True)
class ReportSlice:
    """Where one report sits in its segment, and what `index status` shows of it."""

    key: str
    report_id: str
    chunk_rows: tuple[int, int]       # [begin, end) in the segment's chunks
    sentence_rows: tuple[int, int]
    built_at: str
    summary: dict = field(default_factory=dict)   # title, date, issuer, counts (see `_summary`)

    @property
    def chunks(self) -> int:
        return self.chunk_rows[1] - self.chunk_rows[0]


@dataclass
class SegmentMeta:
    """The `segment.json` of one segment."""

    segment_id: str
    sentence_dtype: str
    dim: int
    reports: list[ReportSlice]

    def slice(self, key: str) -> ReportSlice:
        return next(s for s in self.reports if s.key == key)

    @property
    def chunks(self) -> int:
        return sum(s.chunks for s in self.reports)


@dataclass
class SegmentData:
    """A whole segment in memory."""

    meta: SegmentMeta
    reports: list[Report]
    chunks: list[Chunk]
    sentences: list[SentenceRef]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    chunk_tokens: list[list[str]] | None
    sentence_df: dict[str, dict[str, int]] | None = None    # report key -> counts

    def entry(self, key: str) -> ReportEntry:
        """One report of the segment with its rows."""
        s = self.meta.slice(key)
        (cb, ce), (sb, se) = s.chunk_rows, s.sentence_rows
        report = next(r for r in self.reports if r.report_id == s.report_id)
        tokens = self.chunk_tokens[cb:ce] if self.chunk_tokens is not None else None
        df = self.sentence_df.get(key) if self.sentence_df is not None else None
        return ReportEntry(key, report, self.chunks[cb:ce], self.sentences[sb:se],
                           self.chunk_vectors[cb:ce], self.sentence_vectors[sb:se], s.built_at, tokens, df)


class SegmentStore:
    """The `segments/` folder of a store."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, segment_id: str) -> Path:
        return self.root / segment_id

    def exists(self, segment_id: str) -> bool:
        return (self.path(segment_id) / SEGMENT_META).exists()

    def meta(self, segment_id: str) -> SegmentMeta:
        data = json.loads((self.path(segment_id) / SEGMENT_META).read_text(encoding="utf-8"))
        if data.get("format_version") != STORE_FORMAT_VERSION:
            raise ValueError(f"segment {segment_id}: format version {data.get('format_version')}")
        slices = [ReportSlice(s["key"], s["report_id"], tuple(s["chunk_rows"]), tuple(s["sentence_rows"]),
                              s["built_at"], s["summary"]) for s in data["reports"]]
        return SegmentMeta(segment_id, data["sentence_dtype"], data["dim"], slices)

    def find(self, key: str) -> SegmentMeta | None:
        """The single-report segment of `key`, or None when missing or unreadable (the
        report is then embedded again)."""
        if not self.exists(key):
            return None
        try:
            return self.meta(key)
        except Exception as exc:  # a damaged segment only costs a re-embedding
            logger.warning("ignoring damaged segment %s: %s", key, exc)
            return None

    def read(self, segment_id: str, tokenizer_id: str | None = None) -> SegmentData:
        """The segment with its vectors; its BM25 tokens when `tokenizer_id` made some."""
        folder = self.path(segment_id)
        meta = self.meta(segment_id)
        reports = [Report.from_dict(r) for r in _read_json(folder / "reports.json")]
        chunks = [Chunk.from_dict(c) for c in _read_json(folder / "chunks.json")]
        bodies = {r.report_id: r.body for r in reports}
        sentences = sentences_from_columns(_read_json(folder / "sentences.json"), bodies)
        chunk_vectors = np.load(folder / "chunk_vectors.npy")
        sentence_vectors = np.load(folder / "sentence_vectors.npy")
        tokens = df = None
        if tokenizer_id is not None and (folder / _tokens_name(tokenizer_id)).exists():
            tokens = _read_json(folder / _tokens_name(tokenizer_id))
        if tokenizer_id is not None and (folder / _df_name(tokenizer_id)).exists():
            df = _read_json(folder / _df_name(tokenizer_id))
        return SegmentData(meta, reports, chunks, sentences, chunk_vectors, sentence_vectors, tokens, df)

    def has_tokens(self, segment_id: str, tokenizer_id: str) -> bool:
        return (self.path(segment_id) / _tokens_name(tokenizer_id)).exists()

    def has_sentence_df(self, segment_id: str, tokenizer_id: str) -> bool:
        return (self.path(segment_id) / _df_name(tokenizer_id)).exists()

    def add_sentence_df(self, segment_id: str, tokenizer_id: str, df: dict[str, dict[str, int]]) -> None:
        """Sentence document frequencies (report key -> counts) beside the segment's files."""
        folder = self.path(segment_id)
        tmp = folder / f"{_TEMP_PREFIX}{_df_name(tokenizer_id)}-{os.getpid()}"
        _write_json(tmp, df)
        os.replace(tmp, folder / _df_name(tokenizer_id))

    def write(self, segment_id: str, entries: list[ReportEntry], sentence_dtype: str,
              tokenizer_id: str) -> SegmentMeta:
        """Write a segment holding `entries` (whose tokens must be made) under `segment_id`."""
        if sentence_dtype not in SENTENCE_DTYPES:
            raise ValueError(f"sentence_dtype must be one of {SENTENCE_DTYPES}, got {sentence_dtype!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{_TEMP_PREFIX}{segment_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        dim = next((e.chunk_vectors.shape[1] for e in entries if e.chunk_vectors.size), 0)
        meta = SegmentMeta(segment_id, sentence_dtype, dim, _slices(entries))
        _write_segment(tmp, meta, entries, tokenizer_id)
        fsync_tree(tmp)
        final = self.path(segment_id)
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
        return meta

    def add_tokens(self, segment_id: str, tokenizer_id: str, tokens: list[list[str]]) -> None:
        """BM25 tokens of another tokenizer, beside the segment's existing files."""
        folder = self.path(segment_id)
        tmp = folder / f"{_TEMP_PREFIX}{_tokens_name(tokenizer_id)}-{os.getpid()}"
        _write_json(tmp, tokens)
        os.replace(tmp, folder / _tokens_name(tokenizer_id))

    def prune(self, keep: set[str], tokenizer_id: str) -> int:
        """Delete segments not in `keep`, temp folders of killed builds, and token files
        of other tokenizers; returns how many segments went."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for folder in self.root.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
                continue
            for made in [*folder.glob("tokens-*.json"), *folder.glob("sentence-df-*.json")]:
                if made.name not in (_tokens_name(tokenizer_id), _df_name(tokenizer_id)):
                    made.unlink(missing_ok=True)
        return removed


def new_pack_id() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    return f"{PACK_PREFIX}{stamp}-{os.getpid()}"


@dataclass(frozen=True)
class CompactionSettings:
    """When segments are merged into a pack.

    `max_segments`: a store holding more segments is compacted down to half of it, by
    merging its smallest segments. Loading opens ~7 files per segment; 32 keeps a load
    under a few hundred file opens however many reports come and go (not tuned).
    `min_live_share`: a segment whose reports still in the index hold less than this
    share of its chunks is rewritten without the removed ones (the usual 50 % of LSM
    stores; not tuned).
    """

    max_segments: int = 32
    min_live_share: float = 0.5

    def __post_init__(self) -> None:
        if self.max_segments < 2:
            raise ValueError(f"CompactionSettings.max_segments must be >= 2, got {self.max_segments}")
        if not 0 <= self.min_live_share <= 1:
            raise ValueError(f"CompactionSettings.min_live_share must be in [0, 1], got {self.min_live_share}")


def plan_compaction(live_chunks: dict[str, int], total_chunks: dict[str, int],
                    settings: CompactionSettings) -> list[str]:
    """Segments to merge into one pack (empty: nothing to do).

    `live_chunks[s]` counts the chunks of segment `s` the new generation uses,
    `total_chunks[s]` all chunks it holds.
    """
    mostly_dead = [s for s, live in live_chunks.items()
                   if total_chunks[s] and live / total_chunks[s] < settings.min_live_share]
    chosen = set(mostly_dead)
    if len(live_chunks) > settings.max_segments:
        # Merging n segments into one removes n - 1; stop at half the bound, so the next
        # compaction is `max_segments / 2` additions away.
        target = settings.max_segments // 2
        for segment in sorted(live_chunks, key=lambda s: (live_chunks[s], s)):
            if len(live_chunks) - len(chosen) + 1 <= target:
                break
            chosen.add(segment)
    # One small segment alone is not worth rewriting; a mostly-dead one is.
    return sorted(chosen) if len(chosen) > 1 or mostly_dead else []


def _slices(entries: list[ReportEntry]) -> list[ReportSlice]:
    slices, chunk_row, sentence_row = [], 0, 0
    for e in entries:
        slices.append(ReportSlice(
            e.key, e.report.report_id,
            (chunk_row, chunk_row + len(e.chunks)), (sentence_row, sentence_row + len(e.sentences)),
            e.built_at, _summary(e.report)))
        chunk_row += len(e.chunks)
        sentence_row += len(e.sentences)
    return slices


def _summary(report: Report) -> dict:
    """What the manifest lists of a report, so reusing a segment never reads its records."""
    return {
        "title": report.title, "date": report.date, "issuer": report.issuer,
        "parser_version": report.parser_version, "records": len(report.records),
        "issues": len(report.issues), "status_counts": report.status_counts(),
        "stated": report.totals, "warnings": list(report.warnings), "layout": report.layout,
    }


def _write_segment(folder: Path, meta: SegmentMeta, entries: list[ReportEntry], tokenizer_id: str) -> None:
    dim = meta.dim
    chunk_vectors = [e.chunk_vectors for e in entries if len(e.chunk_vectors)]
    sentence_vectors = [e.sentence_vectors for e in entries if len(e.sentence_vectors)]
    _write_json(folder / "reports.json", [e.report.to_dict() for e in entries])
    _write_json(folder / "chunks.json", [c.to_dict() for e in entries for c in e.chunks])
    _write_json(folder / "sentences.json", sentences_to_columns([s for e in entries for s in e.sentences]))
    np.save(folder / "chunk_vectors.npy", _stack(chunk_vectors, dim, np.float32))
    np.save(folder / "sentence_vectors.npy", _stack(sentence_vectors, dim, np.dtype(meta.sentence_dtype)))
    _write_json(folder / _tokens_name(tokenizer_id), [t for e in entries for t in e.chunk_tokens])
    if all(e.sentence_df is not None for e in entries):
        _write_json(folder / _df_name(tokenizer_id), {e.key: e.sentence_df for e in entries})
    # segment.json last: its presence marks a complete segment.
    _write_json(folder / SEGMENT_META, {
        "format_version": STORE_FORMAT_VERSION,
        "sentence_dtype": meta.sentence_dtype,
        "dim": meta.dim,
        "reports": [{"key": s.key, "report_id": s.report_id, "chunk_rows": list(s.chunk_rows),
                     "sentence_rows": list(s.sentence_rows), "built_at": s.built_at, "summary": s.summary}
                    for s in meta.reports],
    })


def _stack(parts: list[np.ndarray], dim: int, dtype) -> np.ndarray:
    if not parts:
        return np.zeros((0, dim), dtype=dtype)
    return np.concatenate(parts).astype(dtype, copy=False)


def _tokens_name(tokenizer_id: str) -> str:
    return f"tokens-{tokenizer_id}.json"


def _df_name(tokenizer_id: str) -> str:
    return f"sentence-df-{tokenizer_id}.json"


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
