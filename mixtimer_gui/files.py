"""Helpers for files that are written whole: to a temporary name, synced, then renamed.

Shared by the store's backups and the CSV export (two layers, so it belongs to neither): each
makes a rename durable the same way.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

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
