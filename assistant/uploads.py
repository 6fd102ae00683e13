"""Reports uploaded through the page: check a file, then store it in the corpus folder.

Plain functions, no Gradio, so every rule is unit-tested without a browser:

    sanitize_filename(name) -> str             a safe bare file name, or UploadRejected
    read_upload(path, name) -> bytes           the bytes of a received file, size checked first
    validate_upload(name, data) -> Report      size, type and a real parse, or UploadRejected
    save_upload(corpus_dir, name, data, overwrite=False) -> SavedUpload
    prepare_data_dir(data_dir, samples_dir) -> Path

Uploads never go into the shipped samples (data/reports, tracked by git): the page
indexes a data folder (`Config.data_dir`, default var/reports, ignored by git) that is
created on first use with copies of the samples, and stores uploads there.

A rejected file changes nothing on disk. A file is written only inside the corpus folder,
atomically (temporary hidden file, then rename), so a build that scans the folder at the
same moment never reads half a file.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.loader import load_report_bytes
from ingest.models import ReadError, Report
from ingest.readers import SUPPORTED_EXTENSIONS

logger = logging.getLogger(__name__)

# The largest report seen in practice (a scanned-then-OCRed PDF of ~60 pages) is ~8 MB;
# 20 MB leaves room for that while keeping a parse of the upload well under a minute.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Long names are cut here (characters, extension included): ext4 allows 255 bytes, and a
# Chinese character takes 3 bytes in UTF-8, so 80 characters stay far below the limit.
MAX_NAME_CHARS = 80

# Stored reports are readable by the operator's other tools (backup, a second page process
# under another user), writable only by the page: what `cp` gives a file under umask 022.
FILE_MODE = 0o644

# Characters kept in a stored name: letters and digits of any script (so Chinese stays),
# and a few harmless punctuation marks common in report file names. Everything else
# (slashes, quotes, shell and Windows-reserved characters) becomes "_".
_UNSAFE = re.compile(r"[^\w.\-（）()【】\[\]《》、，]")
_RUNS = re.compile(r"_{2,}")


class UploadRejected(Exception):
    """An upload that was not stored; `reason` says why, in Chinese, for the user."""

    def __init__(self, filename: str, reason: str):
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True)
class SavedUpload:
    """Where an accepted upload ended up and what storing it did."""

    path: Path
    outcome: str            # "added" | "replaced" | "unchanged"
    same_as: str = ""       # the existing file with identical bytes, for "unchanged"


def sanitize_filename(name: str) -> str:
    """A bare, safe file name: no directories, no traversal, no hidden or control names.

    Raises `UploadRejected` when nothing usable is left (empty, "..", only punctuation).
    """
    original = name or ""
    # Last path component, whichever separator the browser's OS used
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", original))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    # Replace unsafe characters; leading dots would make the file hidden (and skipped by
    # the index build), so they go too
    stem = _RUNS.sub("_", _UNSAFE.sub("_", stem.strip())).strip("._ ")
    suffix = _UNSAFE.sub("", suffix).lower()
    if not stem:
        raise UploadRejected(original or "（无文件名）", "文件名无效（为空或只含不允许的字符）")
    ext = f".{suffix}" if suffix else ""
    return stem[: MAX_NAME_CHARS - len(ext)] + ext


def validate_upload(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> Report:
    """Parse an upload as a report; raises `UploadRejected` with the reason when it is not one."""
    safe = sanitize_filename(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        shown = suffix or "（无扩展名）"
        raise UploadRejected(safe, f"不支持的文件类型：{shown}（支持 {' '.join(SUPPORTED_EXTENSIONS)}）")
    if not data:
        raise UploadRejected(safe, "文件为空")
    if len(data) > max_bytes:
        raise UploadRejected(safe, f"文件过大（{_megabytes(len(data))}），上限为 {_megabytes(max_bytes)}")
    # The real check: the same reader and parser the index build uses
    try:
        return load_report_bytes(data, safe)
    except ReadError as exc:
        raise UploadRejected(safe, exc.message) from exc
    except ValueError as exc:
        raise UploadRejected(safe, f"无法解析：{exc}") from exc


def read_upload(path: Path | str, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of an uploaded temporary file, refusing an oversize one before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UploadRejected(name, f"文件过大（{_megabytes(size)}），上限为 {_megabytes(max_bytes)}")
        return path.read_bytes()
    except OSError as exc:
        raise UploadRejected(name, f"无法读取上传的文件：{exc.strerror or exc}") from exc


def save_upload(corpus_dir: Path | str, name: str, data: bytes, overwrite: bool = False) -> SavedUpload:
    """Store `data` as `corpus_dir/<sanitized name>`.

    Identical bytes already in the corpus (under any name) are a no-op. A different file
    under the same name is replaced only with `overwrite`; otherwise `UploadRejected`.
    """
    corpus = Path(corpus_dir).resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    safe = sanitize_filename(name)
    target = (corpus / safe).resolve()
    if target.parent != corpus:     # cannot happen after sanitizing; checked because it matters
        raise UploadRejected(safe, "文件名无效（指向报告目录之外）")

    # Same content already stored: nothing to do
    digest = hashlib.sha256(data).hexdigest()
    same = _file_with_digest(corpus, digest)
    if same is not None:
        return SavedUpload(same, "unchanged", same_as=same.relative_to(corpus).as_posix())

    # Same name, different content
    existed = target.exists()
    if existed and not overwrite:
        raise UploadRejected(safe, "已有同名文件且内容不同；如需替换，请勾选“覆盖同名文件”")
    if existed and not target.is_file():
        raise UploadRejected(safe, "报告目录中已有同名的文件夹")
    _write_atomically(target, data)
    logger.info("stored upload %s (%d bytes, %s)", target, len(data), "replaced" if existed else "added")
    return SavedUpload(target, "replaced" if existed else "added")


def prepare_data_dir(data_dir: Path | str, samples_dir: Path | str | None) -> Path:
    """The data folder, created on first use with copies of the sample reports.

    Only a folder that does not exist yet is seeded: reports an operator removed from it
    stay removed. The samples themselves are only read."""
    data = Path(data_dir)
    if data.is_dir():
        return data
    data.mkdir(parents=True)
    samples = Path(samples_dir) if samples_dir else None
    if samples is not None and samples.is_dir() and samples.resolve() != data.resolve():
        for path in sorted(samples.iterdir()):
            if path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS and not path.name.startswith("."):
                _write_atomically(data / path.name, path.read_bytes())
        logger.info("created data folder %s with the samples of %s", data, samples)
    return data


def _file_with_digest(corpus: Path, digest: str) -> Path | None:
    """A report file in the corpus with these exact bytes (the corpus is a few dozen files)."""
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS and not path.name.startswith("."):
            if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                return path
    return None


def _write_atomically(target: Path, data: bytes) -> None:
    # A hidden temporary name: the index build skips dot-files, so it never sees a partial file
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)        # mkstemp creates 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
