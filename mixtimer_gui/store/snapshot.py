"""The database file itself, read as one consistent snapshot while others keep writing.

Why (#21): the daily copy at 10 M handles spent 25 s writing a plain scratch copy through
SQLite's backup API only to read it straight back into zstd. In WAL mode the database file
changes only when a checkpoint copies WAL frames into it, and a checkpoint never copies
frames while a reader holds a snapshot that reads the file alone (SQLite's read mark 0:
taken by a read transaction begun when every WAL frame is already in the file; the
checkpointer needs that mark exclusively before it writes a page). So:

1. a second connection takes the write lock (``BEGIN IMMEDIATE``): nothing can commit;
2. a passive checkpoint copies every WAL frame into the file: if a reader of an older
   snapshot keeps some back, there is no pin and the caller uses the backup API instead;
3. the reading connection begins its read transaction (read mark 0) and the write lock is
   released at once: writers go on appending to the WAL; the file stays as it was;
4. the file's first ``page_count`` pages are the snapshot, read with plain file reads.

Writers wait only for the checkpoint in step 2 (milliseconds; the app checkpoints every
1000 pages anyway). A test writes and checkpoints from another connection while a pin is
held and checks the file's bytes are unchanged and the copy equals the pinned state.

The copy is made self-contained on the way: the header's two journal-mode bytes say
"rollback journal" (what ``PRAGMA journal_mode=DELETE`` writes for a fully checkpointed
file), and the lock-byte page (the page at 1 GiB, which SQLite never uses and whose bytes
Windows may lock while other connections take their locks) is written as zeros, as the
backup API leaves it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mixtimer_gui.store.probe import BUSY_TIMEOUT_S

log = logging.getLogger(__name__)

# SQLite's file format: bytes 18 and 19 of the header are the write and read versions,
# 1 for a rollback journal, 2 for WAL; the lock-byte page starts at PENDING_BYTE (1 GiB).
_JOURNAL_VERSION_AT = 18
_ROLLBACK_JOURNAL = b"\x01\x01"
PENDING_BYTE = 0x40000000
CHUNK_PAGES = 256  # 1 MiB of 4 KiB pages per read


@dataclass(frozen=True)
class PinnedFile:
    """A database file whose first ``page_count`` pages stay a snapshot while pinned."""

    path: Path
    page_size: int
    page_count: int

    @property
    def size(self) -> int:
        return self.page_size * self.page_count

    def chunks(self) -> Iterator[bytes]:
        """The snapshot's bytes in order, self-contained (see the module's text)."""
        with self.path.open("rb") as fh:
            offset = 0
            while offset < self.size:
                chunk = self._read(fh, offset, min(CHUNK_PAGES * self.page_size,
                                                   self.size - offset))
                if offset == 0:
                    chunk = _as_rollback_journal(chunk)
                yield chunk
                offset += len(chunk)

    def _read(self, fh: BinaryIO, offset: int, length: int) -> bytes:
        lock_page = PENDING_BYTE // self.page_size * self.page_size
        if offset <= lock_page < offset + length:  # read around it: zeros in its place
            before = _read_exactly(fh, offset, lock_page - offset)
            after_at = lock_page + self.page_size
            after = _read_exactly(fh, after_at, offset + length - after_at)
            return before + bytes(self.page_size) + after
        return _read_exactly(fh, offset, length)


def _read_exactly(fh: BinaryIO, offset: int, length: int) -> bytes:
    if length <= 0:
        return b""
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise OSError(f"数据库文件比它的页数短(在 {offset} 处读到 {len(data)}/{length} 字节)")
    return data


def _as_rollback_journal(first: bytes) -> bytes:
    at = _JOURNAL_VERSION_AT
    return first[:at] + _ROLLBACK_JOURNAL + first[at + 2:]


@contextlib.contextmanager
def pinned(db_path: Path) -> Iterator[PinnedFile | None]:
    """``db_path``'s file pinned as a snapshot for as long as the block runs; ``None`` when
    it cannot be pinned (not in WAL mode, busy, a checkpoint held back): then the caller
    copies through the backup API."""
    reader = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        snapshot = _pin(reader, db_path)
        try:
            yield snapshot
        finally:
            if snapshot is not None:
                reader.execute("COMMIT")
    finally:
        reader.close()


def _pin(reader: sqlite3.Connection, db_path: Path) -> PinnedFile | None:
    if reader.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return None
    writer = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        try:
            busy, frames, copied = reader.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy or frames != copied:
                log.info("WAL not fully checkpointed (%s of %s frames): no pinned snapshot",
                         copied, frames)
                return None
            reader.execute("BEGIN")
            reader.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # the read begins
            page_size = reader.execute("PRAGMA page_size").fetchone()[0]
            page_count = reader.execute("PRAGMA page_count").fetchone()[0]
        finally:
            writer.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:  # busy past the time-out: copy the other way
        log.info("no pinned snapshot of %s: %s", db_path.name, exc)
        if reader.in_transaction:
            reader.execute("ROLLBACK")
        return None
    finally:
        writer.close()
    return PinnedFile(db_path, page_size, page_count)
