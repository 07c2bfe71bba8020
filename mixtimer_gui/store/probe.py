"""Looking at a SQLite file without writing to it: its schema version, its integrity, who
holds its write lock, whether it can be written at all.

Raw ``sqlite3`` connections (read-only where possible), so nothing here can change the file.
SQLite's errors come out as ``StoreError`` subclasses (``classify_read_error``); a
``DamagedDatabaseError`` raised here names no backup: looking for one is the business of
``health``, which builds on the backups, which build on this module.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from mixtimer_gui.store.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StoreError,
    cannot_create_message,
    damaged_message,
    disk_full_message,
    locked_message,
    not_a_database_message,
    read_only_message,
    unreadable_message,
)

BUSY_TIMEOUT_S = 10


def ro_uri(path: Path, *, immutable: bool = False) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return f"{uri}&immutable=1" if immutable else uri


def read_schema_version(path: Path) -> int:
    """The schema version of an existing file, read without writing to it.

    0 means a new, empty database. Raises ``NotADatabaseError`` for a file that is not a
    SQLite database, or one that is not MixTimer's.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StoreError(f"无法打开数据库 {path}:{exc}") from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE "
                                                  "type='table'")}
        if not tables:
            return 0
        if "schema_version" not in tables:
            raise NotADatabaseError(f"{path} 不是 MixTimer 的数据库(缺少 schema_version 表)",
                                    path=path)
        row = conn.execute('SELECT MAX("version") FROM "schema_version"').fetchone()
        return int(row[0] or 0)
    except sqlite3.DatabaseError as exc:
        raise classify_read_error(path, exc) from exc
    finally:
        conn.close()


def quick_check(path: Path) -> None:
    """``PRAGMA quick_check`` through a read-only connection; ``DamagedDatabaseError``."""
    conn = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise classify_read_error(path, exc) from exc
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise DamagedDatabaseError(damaged_message(path, None), path)


def probe_write_lock(path: Path, wait_s: float) -> None:
    """Take and release the write lock, writing nothing, to learn whether another program
    holds it (in WAL mode such a program still lets us read)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=wait_s,
                           isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise classify_read_error(path, exc) from exc
    finally:
        conn.close()


def readable_uri(path: Path) -> tuple[str, int]:
    """A ``mode=ro`` URI that SQLite can open ``path`` through, and the schema version.

    In a read-only folder SQLite cannot create the WAL index it needs; the file is then
    opened ``immutable`` (nobody can be writing it from this machine either).
    """
    last: sqlite3.Error | None = None
    for uri in (ro_uri(path), ro_uri(path, immutable=True)):
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "schema_version" not in tables:
                if not tables:
                    return uri, 0
                raise NotADatabaseError(not_a_database_message(path))
            row = conn.execute('SELECT MAX("version") FROM "schema_version"').fetchone()
            return uri, int(row[0] or 0)
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CANTOPEN"):
                raise classify_read_error(path, exc) from exc
            last = exc
        except sqlite3.DatabaseError as exc:
            raise classify_read_error(path, exc) from exc
        finally:
            conn.close()
    raise classify_read_error(path, last) if last else StoreError(unreadable_message(path, ""))


def classify_read_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """The ``StoreError`` for a SQLite error met while reading ``path`` (``.path`` set)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_CORRUPT"):
        return DamagedDatabaseError(damaged_message(path, None), path)
    if name == "SQLITE_NOTADB":
        return NotADatabaseError(not_a_database_message(path), path=path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseLockedError(locked_message(path), path=path)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) and not is_writable(path):
        return ReadOnlyDatabaseError(read_only_message(path), path=path)
    if name.startswith("SQLITE_FULL"):
        return DiskFullError(disk_full_message(), path=path)
    return StoreError(unreadable_message(path, exc), path=path)


# -- can it be written? ---------------------------------------------------------------------


def is_writable(path: Path) -> bool:
    """The file, its folder (WAL needs -wal/-shm beside it) and the file system take writes."""
    if not os.access(path, os.W_OK) or not dir_writable(path.parent):
        return False
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists() and not os.access(side, os.W_OK):
            return False
    return True


def check_can_create(path: Path) -> None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not dir_writable(folder):
        raise ReadOnlyDatabaseError(cannot_create_message(folder))


def dir_writable(folder: Path) -> bool:
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: os.access already reflects read-only attributes
        return True
    try:
        return not statvfs(folder).f_flag & os.ST_RDONLY
    except OSError:
        return True
