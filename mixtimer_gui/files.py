"""Helpers for files that are written whole: to a temporary name, synced, then renamed.

Shared by the store's backups and the exports (two layers, so it belongs to neither): each
makes a rename durable the same way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

# Windows flushes a file only through a handle that may write (FlushFileBuffers needs write
# access; a read-only descriptor gets EBADF); POSIX syncs any descriptor, folders included.
_SYNC_FLAGS = os.O_RDWR | getattr(os, "O_BINARY", 0) if os.name == "nt" else os.O_RDONLY


def fsync_file(path: Path) -> None:
    """Flush ``path``'s data to the disk, so a rename cannot outlive its contents."""
    fd = os.open(path, _SYNC_FLAGS)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; Windows cannot open folders and does not need it."""
    if os.name == "posix":
        fsync_file(folder)


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it is there; used while cleaning up after a failure, which a second
    error here must not hide."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def new_file_beside(target: Path) -> Path:
    """A new, empty file in ``target``'s folder (same file system, so a rename over
    ``target`` is atomic), hidden by its leading dot. Created with mode 0o666 so the umask
    applies, as for any file the user saves. ``OSError`` when the folder takes no file."""
    for _ in range(10):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(f"no free temporary name beside {target}")


@contextlib.contextmanager
def replacing(target: Path, temp: Path, mode: str = "wb",
              **open_args: Any) -> Iterator[IO[Any]]:
    """``temp`` (from ``new_file_beside``) opened for writing; when the block ends without
    an error it is synced and renamed over ``target``, and the rename made durable (a power
    cut soon after can neither leave half a file nor undo the rename). On any error, or a
    cancel, ``temp`` is removed and ``target`` stays as it was."""
    try:
        with open(temp, mode, **open_args) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException:
        remove_quietly(temp)
        raise
