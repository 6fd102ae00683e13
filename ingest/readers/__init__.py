"""Files -> plain text: .txt/.md (encoding detected), .docx, .xlsx, .pdf (text layer), .html.

Readers return the document's own characters unchanged (no NFKC, no punctuation
folding): later stages quote this text verbatim. Only line breaks are normalised to
"\\n". The shape of the text is the parser's contract: one paragraph per line, a table
row one line of TAB-separated cells (see `ingest.readers.rows`). Every unreadable file
raises `ReadError` with a Chinese message for the user, and nothing else.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from ingest.models import ReadError
from ingest.readers.excel import read_xlsx
from ingest.readers.formats import (
    SUPPORTED_EXTENSIONS,
    conversion_advice,
    is_supported,
    suffix_of,
    unsupported_message,
)
from ingest.readers.pdf import read_pdf
from ingest.readers.plain import decode_text, read_plain
from ingest.readers.web import read_html
from ingest.readers.word import read_docx

__all__ = [
    "READER_VERSION", "SUPPORTED_EXTENSIONS", "ReadError", "conversion_advice", "decode_text", "is_supported",
    "read_bytes_as_text", "read_text", "unsupported_message",
]

log = logging.getLogger(__name__)

# Bump when a reader gives different text for the same bytes: a build's cache key holds it,
# so reports read by an older reader are parsed again. 2: xlsx, Word list numbers and
# merged cells, PDF paragraphs without running headers, HTML tool bars dropped.
READER_VERSION = "2"

_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}


def read_text(path: Path) -> str:
    """Read one report file into text; raises `ReadError` when it cannot be read."""
    path = Path(path)
    _check_extension(path.name)
    return read_bytes_as_text(read_file_bytes(path), path.name)


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes; an OS error becomes a `ReadError` with a Chinese message."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(Path(path).name, "文件不存在") from exc
    except OSError as exc:
        raise ReadError(Path(path).name, f"无法打开文件：{exc.strerror or exc}") from exc


def read_bytes_as_text(data: bytes, filename: str) -> str:
    """Same as `read_text` for bytes already in memory (uploads); `filename` picks the reader."""
    reader = _READERS[_check_extension(filename)]
    if not data:
        raise ReadError(filename, "文件为空")
    if not data.strip():
        raise ReadError(filename, "文件为空（只有空白字符）")
    try:
        text = reader(data, filename)
    except ReadError:
        raise
    except RecursionError as exc:
        raise ReadError(filename, "文件结构嵌套过深，无法读取") from exc
    except Exception as exc:  # a library failing on a malformed file must not escape as a crash
        log.exception("%s: reader failed", filename)
        raise ReadError(filename, f"文件无法读取（{type(exc).__name__}），可能已损坏") from exc
    text = _normalise_newlines(text)
    if not text.strip():
        raise ReadError(filename, "文件为空（只有空白字符）")
    return text


def _check_extension(filename: str) -> str:
    suffix = suffix_of(filename)
    if suffix not in _READERS:
        raise ReadError(filename, unsupported_message(filename))
    return suffix


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
