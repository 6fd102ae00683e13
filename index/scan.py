"""The corpus folder -> the files a build reads, and what it does not read and why.

Nothing in the folder is passed over silently: a file is either returned for reading,
or listed in `errors` (the user must act: an old .doc, a scan image, an oversized file,
a name that is not UTF-8, a link out of the folder) or in `skipped` (nothing to do:
hidden files, Office lock files, unknown file types). A file is never opened here
except to stat it, so an oversized or special file (a FIFO) is never read.
"""
from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import conversion_advice, is_supported
from ingest.readers.formats import suffix_of

logger = logging.getLogger(__name__)

_MB = 1024 * 1024


@dataclass(frozen=True)
class ScannedFile:
    """A corpus file to read: `source` is its path relative to the folder, "/"-separated."""

    source: str
    path: Path
    size: int


@dataclass
class ScanResult:
    files: list[ScannedFile] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)     # {"file", "error"}, Chinese messages
    skipped: list[dict] = field(default_factory=list)    # {"file", "reason"}, Chinese reasons


def scan_corpus(source_dir: Path, max_file_bytes: int) -> ScanResult:
    """Every file under `source_dir`, sorted by path, sorted into read / error / skipped."""
    return _Scan(Path(source_dir), max_file_bytes).run()


def shown_name(name: str) -> str:
    """A path as text that can always be printed and stored: a component whose bytes are
    not UTF-8 is shown as escaped bytes (「\\xd5\\xfb….txt」), the others as they are."""
    return "/".join(_shown_part(part) for part in name.split("/"))


def _shown_part(part: str) -> str:
    raw = part.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("ascii", "backslashreplace")


class _Scan:
    def __init__(self, root: Path, max_file_bytes: int):
        self.root = root
        self.real_root = os.path.realpath(root)
        self.max_file_bytes = max_file_bytes
        self.result = ScanResult()
        self._found: list[tuple[list[str], ScannedFile]] = []

    def run(self) -> ScanResult:
        for folder, dirnames, filenames in os.walk(self.root, onerror=self._walk_error):
            rel_folder = os.path.relpath(folder, self.root)
            prefix = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
            dirnames[:] = [d for d in sorted(dirnames) if self._enter_dir(os.path.join(folder, d), prefix + d)]
            for name in sorted(filenames):
                self._file(os.path.join(folder, name), prefix + name)
        self._found.sort(key=lambda item: item[0])
        self.result.files = [file for _, file in self._found]
        self.result.errors.sort(key=lambda e: e["file"].split("/"))
        self.result.skipped.sort(key=lambda s: s["file"].split("/"))
        return self.result

    # --- folders -------------------------------------------------------------------

    def _enter_dir(self, full: str, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        if not _is_utf8(rel):
            self._error(rel + "/", "文件夹名不是有效的 UTF-8 编码（常见于 Windows 压缩包解压出的 GBK 文件名），"
                                   f"其中的文件未读取；请重命名文件夹后再放入{_gbk_hint(name)}")
            return False
        if name.startswith("."):
            self._skip(rel + "/", "隐藏文件夹，其中的文件不索引")
            return False
        if os.path.islink(full):
            self._link_to_dir(full, rel)
            return False
        return True

    def _link_to_dir(self, full: str, rel: str) -> None:
        if self._inside(os.path.realpath(full)):
            self._skip(rel + "/", "指向报告目录内文件夹的符号链接，其中的文件已在原位置索引")
        else:
            self._error(rel + "/", "符号链接指向报告目录之外的文件夹，出于安全考虑不读取；请把文件复制到报告目录中")

    def _walk_error(self, exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, self.root) if exc.filename else "."
        self._error(shown_name(rel.replace(os.sep, "/")) + "/", f"无法读取文件夹：{exc.strerror or exc}")

    # --- files ---------------------------------------------------------------------

    def _file(self, full: str, rel: str) -> None:
        name = rel.rsplit("/", 1)[-1]
        if not _is_utf8(rel):
            self._error(rel, "文件名不是有效的 UTF-8 编码（常见于 Windows 压缩包解压出的 GBK 文件名），"
                             f"未读取；请重命名后再放入{_gbk_hint(name)}")
            return
        if name.startswith("~$"):
            self._skip(rel, "Office 临时锁定文件（文档正被打开时生成），不是报告")
            return
        if name.startswith("."):
            self._skip(rel, "隐藏文件，不索引")
            return
        if os.path.islink(full) and not self._link_stays_inside(full, rel):
            return
        try:
            info = os.stat(full)
        except OSError as exc:
            self._error(rel, f"无法读取文件：{exc.strerror or exc}")
            return
        if not stat.S_ISREG(info.st_mode):
            self._skip(rel, "不是普通文件（设备、管道或套接字），不读取")
            return
        if not is_supported(name):
            self._unsupported(rel, name)
            return
        if info.st_size > self.max_file_bytes:
            self._error(rel, f"文件过大（{info.st_size / _MB:.1f} MB，超过 {self.max_file_bytes / _MB:g} MB 的上限），"
                             "未读取；如确需索引，请用 --max-file-mb 调高上限")
            return
        self._found.append((rel.split("/"), ScannedFile(rel, Path(full), info.st_size)))

    def _link_stays_inside(self, full: str, rel: str) -> bool:
        target = os.path.realpath(full)
        if not os.path.exists(target):
            self._error(rel, "符号链接指向的文件不存在")
            return False
        if not self._inside(target):
            self._error(rel, "符号链接指向报告目录之外，出于安全考虑不读取；请把文件本身复制到报告目录中")
            return False
        return True

    def _unsupported(self, rel: str, name: str) -> None:
        advice = conversion_advice(name)
        if advice:
            self._error(rel, f"不支持的文件类型：{advice}")
        else:
            self._skip(rel, f"不支持的文件类型：{suffix_of(name) or '（无扩展名）'}，不是报告")

    def _inside(self, real_path: str) -> bool:
        return os.path.commonpath([self.real_root, real_path]) == self.real_root

    def _error(self, rel: str, message: str) -> None:
        logger.info("%s: %s", shown_name(rel), message)
        self.result.errors.append({"file": shown_name(rel), "error": message})

    def _skip(self, rel: str, reason: str) -> None:
        logger.debug("skipped %s: %s", rel, reason)
        self.result.skipped.append({"file": shown_name(rel), "reason": reason})


def _is_utf8(name: str) -> bool:
    """False for names that were not valid UTF-8 on disk (decoded with surrogateescape)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _gbk_hint(name: str) -> str:
    """「（按 GBK 解读为「整改报告.docx」）」 when the raw bytes read as GBK, else ""."""
    try:
        guess = name.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return f"（按 GBK 解读为「{guess}」）" if guess.isprintable() else ""
