"""The manifest of one store generation: what was indexed, from which bytes, with what.

It is the only file `index status` and the no-change check of a rebuild read, so it
carries the per-file counts they need without loading reports or vectors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

# Bump when the layout of a generation or of a cache entry changes; older stores are
# then rebuilt from scratch instead of being misread.
STORE_FORMAT_VERSION = 2   # 2: generations name segments (index.segments) instead of copying

MANIFEST_NAME = "manifest.json"


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

    def to_dict(self) -> dict:
        # Field by field rather than dataclasses.asdict, which deep-copies every value: the
        # manifest lists every report and is written by every build (1 s of an addition at
        # 1,000 reports went to asdict alone). The values are plain JSON types.
        data = dict(vars(self))
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
    except json.JSONDecodeError as exc:
        raise StoreFormatError(f"索引清单已损坏：{path}") from exc
    return Manifest.from_dict(data)


def write_manifest(manifest: Manifest, generation_dir: Path) -> Path:
    path = Path(generation_dir) / MANIFEST_NAME
    # Compact: the manifest grows with the store and is written whole by every build.
    path.write_text(json.dumps(manifest.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
