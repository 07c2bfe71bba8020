"""Opening a SQLite database: the checks, the pragmas, the version gate, the backup before
migrating, and the ``Store`` (the models bound to it) that everything queries through."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from mixtimer_gui.paths import is_server_location
from mixtimer_gui.store import backup, health, probe
from mixtimer_gui.store.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
    schema_too_new_message,
)
from mixtimer_gui.store.migrations import LATEST_VERSION, MigrationProgress, migrate
from mixtimer_gui.store.models import Store
from mixtimer_gui.store.probe import BUSY_TIMEOUT_S


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


def open_store(path: Path | str, *, synchronous: str = "normal",
               backup_dir: Path | None = None, read_only: bool = False,
               check: bool | str = True, lock_wait_s: float = BUSY_TIMEOUT_S,
               progress: MigrationProgress | None = None) -> Store:
    """Open (creating or upgrading) the database at ``path``; its ``Store``.

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
    ``progress``: see ``migrations.migrate`` (and ``"backup"``: the copy before upgrading).
    """
    return Store(open_database(path, synchronous=synchronous, backup_dir=backup_dir,
                               read_only=read_only, check=check, lock_wait_s=lock_wait_s,
                               progress=progress))


def open_database(path: Path | str, *, synchronous: str = "normal",
                  backup_dir: Path | None = None, read_only: bool = False,
                  check: bool | str = True, lock_wait_s: float = BUSY_TIMEOUT_S,
                  progress: MigrationProgress | None = None) -> SqliteDatabase:
    """``open_store`` without the models: the Peewee database alone, for raw and bulk work
    (``bulk.bulk_load``). Same checks, same errors. A SQLite file only: a server location
    (team mode) is refused rather than taken for a file name."""
    if _names_a_server(path):
        raise StoreError("这项操作暂时只支持单机版的 SQLite 数据库文件，不支持 PostgreSQL "
                         "服务器上的数据库(团队模式);请用 --db 指定一个 SQLite 文件")
    path = Path(path)
    with health.offering_good_backup():
        if read_only:
            return open_read_only(path)
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            version = probe.read_schema_version(path)
        else:
            probe.check_can_create(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            version = 0
        if version > LATEST_VERSION:
            raise SchemaTooNewError(schema_too_new_message(path, version), path=path)
        if exists:
            wanted = health.quick_check_due(path) if check == "auto" else bool(check)
            health.preflight(path, quick_check=wanted, lock_wait_s=lock_wait_s)
    if 0 < version < LATEST_VERSION:
        if progress is not None:
            progress("backup", 0, 0)
        backup.before_migration_backup(path, version, backup_dir)
    db = make_database(path, synchronous=synchronous)
    db.connect(reuse_if_open=True)
    try:
        migrate(db, version, progress)
    except BaseException:
        db.close()  # the failed step rolled back; nobody holds this database
        raise
    return db


def _names_a_server(path: Path | str) -> bool:
    # A Path made of "postgresql://u@h/db" reads "postgresql:/u@h/db": its "//" is gone.
    text = str(path).strip()
    return is_server_location(text) or text.lower().startswith(("postgresql:", "postgres:"))


def open_read_only(path: Path) -> SqliteDatabase:
    """A connection that cannot write, for viewing a read-only or locked database
    (``query_only`` on a ``mode=ro`` URI, ``immutable`` in a read-only folder)."""
    if not path.is_file():
        raise StoreError(f"数据库 {path} 不存在，无法以只读方式查看")
    uri, version = probe.readable_uri(path)
    if version > LATEST_VERSION:
        raise SchemaTooNewError(schema_too_new_message(path, version), path=path)
    if version < LATEST_VERSION:
        raise StoreError(f"数据库 {path} 需要升级到新的结构才能查看，但它无法写入；"
                         "请先复制到可写的位置再打开")
    db = SqliteDatabase(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                        pragmas={"query_only": 1, "foreign_keys": 1,
                                 "busy_timeout": BUSY_TIMEOUT_S * 1000})
    db.connect(reuse_if_open=True)
    return db


def limit_page_caches(db: SqliteDatabase, total_mib: int) -> None:
    """Keep SQLite's memory in this whole process near ``total_mib`` (its soft heap limit:
    page caches give pages back before growing), however many connections threads open.

    Each connection may cache 16 MB; the window's main connection, a chart thread and a
    counting thread together peaked at ~50 MB at 1 M handles, with no gain in speed.
    """
    db.execute_sql(f"PRAGMA soft_heap_limit = {max(0, int(total_mib)) * 1024 * 1024}")


# The errors opening raises, importable from here as before ``store.errors`` held them.
__all__ = ["DamagedDatabaseError", "DatabaseLockedError", "NotADatabaseError",
           "ReadOnlyDatabaseError", "SchemaTooNewError", "Store", "StoreError",
           "limit_page_caches", "make_database", "open_database", "open_read_only",
           "open_store"]
