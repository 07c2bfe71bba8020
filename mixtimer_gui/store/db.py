"""Opening the database: pragmas, the version gate, backups before migrating."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from peewee import SqliteDatabase

from mixtimer_gui.store.migrations import LATEST_VERSION, MIGRATIONS
from mixtimer_gui.store.models import ALL_MODELS, database

BUSY_TIMEOUT_S = 10


class StoreError(Exception):
    """The database cannot be used as asked; ``str()`` is a sentence for the user.

    ``path`` is the database file concerned when it is known: the recovery dialog offers
    that file's backups.
    """

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class SchemaTooNewError(StoreError):
    pass


class NotADatabaseError(StoreError):
    pass


class DamagedDatabaseError(StoreError):
    """The file fails ``PRAGMA quick_check``. It is never written to; ``backup`` is the newest
    backup that passes the integrity check (``None`` when there is none)."""

    def __init__(self, message: str, path: Path, backup: Path | None = None) -> None:
        super().__init__(message, path=path)
        self.backup = backup


class ReadOnlyDatabaseError(StoreError):
    """The file or its folder cannot be written: ``open_database(path, read_only=True)``."""


class DatabaseLockedError(StoreError):
    """Another program holds the write lock: wait, or ``open_database(path, read_only=True)``."""


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
        if isinstance(exc, NotADatabaseError):
            raise
        from mixtimer_gui.store import health  # health builds on this module

        raise health.classify_read_error(path, exc) from exc
    finally:
        conn.close()


def make_database(path: Path | str, *, synchronous: str = "normal") -> SqliteDatabase:
    """A Peewee database with the pragmas of DESIGN §2, one connection per thread.

    ``lock_type='IMMEDIATE'`` takes the write lock at ``BEGIN``: deferred transactions that
    read then write from several threads fail with "database is locked" despite the timeout.
    """
    return SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": synchronous,
            "busy_timeout": BUSY_TIMEOUT_S * 1000,
            "cache_size": -16_000,
        },
        timeout=BUSY_TIMEOUT_S,
        lock_type="IMMEDIATE",
    )


def backup_to(db_path: Path, target: Path) -> Path:
    """An online copy through SQLite's backup API, safe while others use the file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def open_database(path: Path | str, *, synchronous: str = "normal",
                  backup_dir: Path | None = None, read_only: bool = False,
                  check: bool | str = True,
                  lock_wait_s: float = BUSY_TIMEOUT_S) -> SqliteDatabase:
    """Open (creating or upgrading) the database at ``path`` and bind the models to it.

    A database newer than this code is refused before anything is written. Before an
    existing database is migrated, a copy goes to ``backup_dir`` (default: ``backups/``
    beside the file); when it cannot be made, ``BackupError`` and nothing is migrated.

    An existing file is checked before anything is written to it (``PRAGMA quick_check``
    costs ~0.5 s of CPU per 500 MB; ``check="auto"`` runs it only for files under 64 MiB or
    after an unclean shutdown, ``check=False`` never): ``DamagedDatabaseError`` (with the
    newest good backup), ``ReadOnlyDatabaseError``, ``DatabaseLockedError`` (after waiting
    ``lock_wait_s``), ``NotADatabaseError``, ``SchemaTooNewError``. The caller decides: offer
    the backup, or view the data with ``read_only=True`` (a ``mode=ro`` connection that never
    writes; writes then fail). ``synchronous="normal"`` (WAL) loses nothing committed when
    the process is killed, only on power loss / OS crash; pass ``"full"`` for that too.
    """
    from mixtimer_gui.store import health  # health builds on this module

    path = Path(path)
    if read_only:
        return health.open_read_only(path)
    if path.exists() and path.stat().st_size > 0:
        version = read_schema_version(path)
    else:
        health.check_can_create(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        version = 0
    if version > LATEST_VERSION:
        raise SchemaTooNewError(health.schema_too_new_message(path, version), path=path)
    if path.exists() and path.stat().st_size > 0:
        wanted = health.quick_check_due(path) if check == "auto" else bool(check)
        health.preflight(path, quick_check=wanted, lock_wait_s=lock_wait_s)
    if 0 < version < LATEST_VERSION:
        from mixtimer_gui.store import backup  # backup builds on this module

        backup.before_migration_backup(path, version, backup_dir)
    db = make_database(path, synchronous=synchronous)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    migrate(db, version)
    return db


def migrate(db: SqliteDatabase, current: int) -> None:
    """Apply the steps after version ``current``, each with its version row in one
    transaction. Plain SQL, not the SchemaVersion model: a restore upgrades a copy through a
    database the models are not bound to."""
    for number, step in MIGRATIONS:
        if number <= current:
            continue
        with db.atomic():
            step(db)
            db.execute_sql('INSERT INTO "schema_version" ("version", "applied") VALUES (?, ?)',
                           (number, int(time.time())))
            db.execute_sql(f"PRAGMA user_version = {int(number)}")


def limit_page_caches(db: SqliteDatabase, total_mib: int) -> None:
    """Keep SQLite's memory in this whole process near ``total_mib`` (its soft heap limit:
    page caches give pages back before growing), however many connections threads open.

    Each connection may cache 16 MB; the window's main connection, a chart thread and a
    counting thread together peaked at ~50 MB at 1 M handles, with no gain in speed.
    """
    db.execute_sql(f"PRAGMA soft_heap_limit = {max(0, int(total_mib)) * 1024 * 1024}")


def bind(db: SqliteDatabase) -> None:
    """Point the models at ``db`` (another process's file, a test's temporary database)."""
    database.initialize(db)


__all__ = ["ALL_MODELS", "DamagedDatabaseError", "DatabaseLockedError", "ReadOnlyDatabaseError",
           "StoreError", "open_database"]
