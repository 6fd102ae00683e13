"""One file -> one parsed `Report` (read, strip web debris, parse)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.cleaning import clean_document
from ingest.models import ReadError, Report
from ingest.parser import parse_report
from ingest.readers import read_bytes_as_text, read_file_bytes


def load_report(path: Path) -> Report:
    """Read and parse one report file; raises `ReadError` with a Chinese message."""
    path = Path(path)
    return load_report_bytes(read_file_bytes(path), path.name)


def load_report_bytes(data: bytes, filename: str) -> Report:
    """Same as `load_report` for bytes already in memory (uploads)."""
    text = clean_document(read_bytes_as_text(data, filename))
    if not text.strip():
        raise ReadError(filename, "清理网页残留后没有正文")
    try:
        return parse_report(text, source=filename, content_hash=hashlib.sha256(data).hexdigest())
    except ValueError as exc:
        raise ReadError(filename, str(exc)) from exc
