"""Generations of a store directory, the atomic swap between them, and the build lock.

A build writes a complete new generation `gen-<UTC time>-<pid>/` beside the live one and
then points `CURRENT` at it with `os.replace` — atomic on POSIX — so a reader sees either
the old generation or the new one, never a mixture, and a build that dies at any moment
leaves `CURRENT` pointing at an intact generation. Leftover generations are removed by the
next build, under the lock.

    store/
      CURRENT            name of the live generation
      .lock              held (flock) by the one running build
      gen-…/manifest.json  one generation: which segment holds each report (`index.manifest`)
      segments/          immutable report segments and packs, shared by generations
                         (layout in `index.segments`)

A generation holds only its manifest: publishing one after adding or changing a report
writes that report's segment and a manifest, never the whole store. Segments no longer
named by the live manifest are deleted after the swap.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

logger = logging.getLogger(__name__)

CURRENT_NAME = "CURRENT"
LOCK_NAME = ".lock"
GENERATION_PREFIX = "gen-"



class StoreLockedError(RuntimeError):
    """Another build holds the store's lock. The message is for users (Chinese)."""


def current_generation(store_dir: Path | str) -> str | None:
    """Name of the live generation, or None when the store was never built. One small read,
    cheap enough to call on every chat turn to notice a rebuilt store."""
    try:
        name = (Path(store_dir) / CURRENT_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def generation_dir(store_dir: Path | str, generation: str) -> Path:
    return Path(store_dir) / generation


def new_generation(store_dir: Path | str) -> tuple[str, Path]:
    """Create an empty folder for a new generation; its name sorts by creation time."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    name = f"{GENERATION_PREFIX}{stamp}-{os.getpid()}"
    path = generation_dir(store_dir, name)
    path.mkdir(parents=True)
    return name, path


def publish(store_dir: Path | str, generation: str) -> None:
    """Make `generation` the live one: its files are flushed to disk first, then the pointer
    is written to a temp file and renamed over `CURRENT`."""
    store_dir = Path(store_dir)
    fsync_tree(generation_dir(store_dir, generation))
    tmp = store_dir / f"{CURRENT_NAME}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, store_dir / CURRENT_NAME)
    fsync_path(store_dir)


def remove_other_generations(store_dir: Path | str, keep: str | None) -> list[str]:
    """Delete every generation but `keep`, and stray pointer temp files. Call under the lock."""
    removed = []
    for path in Path(store_dir).iterdir():
        if path.name.startswith(f"{CURRENT_NAME}.tmp-"):
            path.unlink(missing_ok=True)
        elif path.is_dir() and path.name.startswith(GENERATION_PREFIX) and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    if removed:
        logger.info("removed old generations: %s", ", ".join(removed))
    return removed


def fsync_tree(path: Path) -> None:
    """Flush every file under `path` and the folders themselves to disk."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            fsync_path(Path(root) / name)
        fsync_path(Path(root))


def fsync_path(path: Path) -> None:
    """Flush one file, or one folder's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StoreLock:
    """Exclusive build lock on `store/.lock` (flock), failing fast when it is taken.

    Fail fast rather than wait: a second build started by mistake should say so at once,
    and a build waiting behind another would only redo work the first one just finished.
    flock is released by the kernel when its holder dies, so a killed build leaves no
    stale lock behind.
    """

    def __init__(self, store_dir: Path | str):
        self.path = Path(store_dir) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise StoreLockedError(
                    f"另一个索引构建正在进行（进程 {holder}，锁文件 {self.path}），请等它结束后再试"
                ) from None
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
