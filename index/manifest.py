"""The manifest of one store generation: what was indexed, from which bytes, with what.

It is the only file `index status` and the no-change check of a rebuild read, so it
carries the per-file counts they need without loading reports or vectors.

On disk the per-file entries live in pages, one per segment, written once into that
segment's own folder (`segments/<segment>/files-<hash>.json`, named by their content);
the generation's `manifest.json` names each segment's page and the files of it that are
gone since (`drop`). So adding a report writes its segment with its page and a manifest
that grows with the number of segments (kept bounded by compaction), not with the number
of reports; removing one writes only the manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from index.generations import fsync_path

# Bump when the layout of a generation or of a cache entry changes; older stores are
# then rebuilt from scratch instead of being misread.
STORE_FORMAT_VERSION = 2   # 2: generations name segments (index.segments) instead of copying

MANIFEST_NAME = "manifest.json"
# Where the pages are: the folder of `index.segments` (which imports this module).
_SEGMENTS_DIR = "segments"
_PAGE_PREFIX = "files-"
_TEMP_PREFIX = ".tmp-"


class StoreFormatError(Exception):
    """A store (or cache entry) written by another format version, or damaged."""


@dataclass
class FileEntry:
    """One indexed source file and what it contributed."""

    source: str                    # path relative to the corpus folder, "/"-separated
    content_hash: str              # sha256 of the raw file bytes
    parser_version: str
    model_id: str
    cache_key: str                 # what its segment was built from (see `index.segments.cache_key`)
    report_id: str
    title: str
    date: str | None
    issuer: str
    records: int
    issues: int
    status_counts: dict[str, int]  # Status value -> number of issues
    chunks: int
    sentences: int
    built_at: str                  # when this file was parsed and embedded (UTC, ISO 8601)
    segment: str = ""              # the segment holding its records and vectors
    stated: dict[str, int] = field(default_factory=dict)   # totals the report states about itself
    warnings: list[str] = field(default_factory=list)      # the parser's self-check, in Chinese
    layout: str = ""               # the layout strategy the self-check chose


@dataclass
class BuildError:
    """A file that could not be indexed; `error` is the Chinese message shown to users."""

    file: str
    error: str


@dataclass
class Manifest:
    """Everything a generation holds, in corpus order."""

    generation: str
    built_at: str
    model_id: str
    dim: int
    parser_version: str
    chunk_max_tokens: int
    bm25: dict                     # Bm25Settings as a dict
    files: list[FileEntry] = field(default_factory=list)
    errors: list[BuildError] = field(default_factory=list)
    tokenizer_id: str = ""         # BM25 tokenizer fingerprint (see `index.bm25.tokenizer_id`)
    sentence_dtype: str = "float32"  # how sentence vectors are stored on disk
    backend: str = "embedded"      # "embedded" (segments + FAISS + bm25s) or "milvus"
    backend_uri: str = ""          # the Milvus URI for the milvus backend
    backend_collection: str = ""   # … and its collection
    # What ran the model (`index.embedding.encoder_id`); stores from before the setting
    # were all made by torch.
    encoder: str = "torch"
    format_version: int = STORE_FORMAT_VERSION
    # segment -> (page name, its entries as stored), as read; lets the next write reuse them
    pages_read: dict = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict:
        # Field by field rather than dataclasses.asdict, which deep-copies every value: the
        # manifest lists every report and is written by every build (1 s of an addition at
        # 1,000 reports went to asdict alone). The values are plain JSON types.
        data = dict(vars(self))
        data.pop("pages_read", None)
        data["files"] = [dict(vars(f)) for f in self.files]
        data["errors"] = [dict(vars(e)) for e in self.errors]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        if data.get("format_version") != STORE_FORMAT_VERSION:
            raise StoreFormatError(
                f"索引格式版本为 {data.get('format_version')}，当前程序需要 {STORE_FORMAT_VERSION}，请重新构建索引"
            )
        data = dict(data)
        data["files"] = [FileEntry(**f) for f in data.get("files", [])]
        data["errors"] = [BuildError(**e) for e in data.get("errors", [])]
        return cls(**data)


def read_manifest(generation_dir: Path) -> Manifest:
    path = Path(generation_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = data.pop("pages", None)
        read = {}
        if pages is not None:
            root = Path(generation_dir).parent / _SEGMENTS_DIR
            files = list(data.get("files", []))
            for page in pages:
                entries = json.loads((root / page["segment"] / page["page"]).read_text(encoding="utf-8"))
                read[page["segment"]] = (page["page"], entries)
                dropped = set(page["drop"])
                files += [e for e in entries if e["source"] not in dropped]
            files.sort(key=lambda f: f["source"].split("/"))       # corpus order (index.scan)
            data["files"] = files
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise StoreFormatError(f"索引清单已损坏：{path}") from exc
    manifest = Manifest.from_dict(data)
    manifest.pages_read = read
    return manifest


def write_manifest(manifest: Manifest, generation_dir: Path, previous: Manifest | None = None) -> Path:
    """Write the generation's manifest; entries of a segment go to its page, reusing the
    page `previous` read when it still holds them (with the files gone since dropped)."""
    data = manifest.to_dict()
    root = Path(generation_dir).parent / _SEGMENTS_DIR
    inline, groups = [], {}
    for entry in data.pop("files"):
        (groups.setdefault(entry["segment"], []) if entry["segment"] else inline).append(entry)
    known = previous.pages_read if previous is not None else {}
    pages = []
    for segment, group in groups.items():
        name, stored = known.get(segment, ("", []))
        by_source = {e["source"]: e for e in stored}
        if not name or any(by_source.get(e["source"]) != e for e in group):
            name, by_source = _write_page(root / segment, group), {e["source"]: e for e in group}
        live = {e["source"] for e in group}
        pages.append({"segment": segment, "page": name, "drop": [s for s in by_source if s not in live]})
    data["files"], data["pages"] = inline, pages
    path = Path(generation_dir) / MANIFEST_NAME
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def _write_page(folder: Path, entries: list[dict]) -> str:
    """The entries of one segment as an immutable page named by its content."""
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    name = f"{_PAGE_PREFIX}{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.json"
    path = folder / name
    if not path.exists() or path.read_text(encoding="utf-8", errors="replace") != text:   # absent or damaged
        temp = folder / f"{_TEMP_PREFIX}{name}-{os.getpid()}"
        temp.write_text(text, encoding="utf-8")
        fsync_path(temp)
        os.replace(temp, path)       # whole or not at all; a reader never sees half a page
        fsync_path(folder)
    return name


def prune_pages(generation_dir: Path) -> int:
    """Delete pages the live generation (`generation_dir`) does not name, and page temp
    files of killed builds; returns how many went. Call under the store lock."""
    try:
        data = json.loads((Path(generation_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return 0
    named = {(p["segment"], p["page"]) for p in data.get("pages", [])}
    root = Path(generation_dir).parent / _SEGMENTS_DIR
    removed = 0
    for folder in root.iterdir() if root.is_dir() else ():
        for page in [*folder.glob(f"{_PAGE_PREFIX}*.json"), *folder.glob(f"{_TEMP_PREFIX}{_PAGE_PREFIX}*")]:
            if (folder.name, page.name) not in named:
                page.unlink(missing_ok=True)
                removed += 1
    return removed
