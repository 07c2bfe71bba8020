"""Is the database usable? The start-up check and the sentences for what went wrong.

``check_database(path)`` classifies a file without changing it: ok, missing (a new one will
be created), not a database, damaged (``PRAGMA quick_check`` fails), from a newer version,
locked by another program, read-only (file, folder or file system). Each report carries one
Chinese sentence saying what to do; the GUI translates it for English.

``db.open_database`` runs the same checks through ``preflight`` and raises the matching
``StoreError`` before it writes anything, so a damaged file is never overwritten. Read-only
and locked files can still be viewed: ``open_database(path, read_only=True)`` opens a
``mode=ro`` connection (``query_only`` on) through ``open_read_only`` here.

``explain_write_error(exc)`` turns SQLite's disk-full / read-only / locked failures during a
write into the same clear ``StoreError`` sentences.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from peewee import SqliteDatabase

from mixtimer_gui.store import backup
from mixtimer_gui.store.db import (
    BUSY_TIMEOUT_S,
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
    read_schema_version,
)
from mixtimer_gui.store.migrations import LATEST_VERSION
from mixtimer_gui.store.models import database


class DiskFullError(StoreError):
    """A write failed because the disk (or the database's size limit) is full."""


class Health(StrEnum):
    OK = "ok"
    MISSING = "missing"
    NOT_A_DATABASE = "not_a_database"
    DAMAGED = "damaged"
    NEWER_SCHEMA = "newer_schema"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class HealthReport:
    path: Path
    state: Health
    message: str  # one sentence for the user: what is wrong and what to do
    backup: Path | None = None  # the newest good backup, for damaged / not-a-database files

    @property
    def usable(self) -> bool:
        """The database can be opened for writing (or created)."""
        return self.state in (Health.OK, Health.MISSING)

    @property
    def viewable_read_only(self) -> bool:
        return self.state in (Health.READ_ONLY, Health.LOCKED)


# -- the sentences --------------------------------------------------------------------------


def damaged_message(path: Path, good_backup: Path | None) -> str:
    if good_backup is not None:
        return (f"数据库 {path} 已损坏(完整性检查未通过),文件未被改动；"
                f"请从最新的完好备份 {good_backup.name} 恢复")
    return (f"数据库 {path} 已损坏(完整性检查未通过),文件未被改动，也没有可用的备份；"
            "请保留该文件并联系技术支持")


def not_a_database_message(path: Path) -> str:
    return (f"{path} 不是 MixTimer 的数据库文件，未作任何改动；"
            "请用 --db 选择正确的文件，或从备份恢复")


def locked_message(path: Path | None, *, write_failed: bool = False) -> str:
    """At opening, or after a write failed (``write_failed``: that change is lost, and the
    path may not be known)."""
    if write_failed:
        return f"{_database(path)}正被另一个程序锁定，修改没有保存；请关闭该程序后重试"
    return (f"{_database(path)}正被另一个程序锁定，暂时无法保存；"
            "请关闭该程序后重试，或以只读方式查看")


def read_only_message(path: Path | None, *, write_failed: bool = False) -> str:
    """At opening, or after a write failed; then the user may already be viewing read-only,
    so that is not offered again."""
    if write_failed:
        return (f"{_database(path)}以只读方式打开(或文件只读),修改没有保存；"
                "请检查文件权限后重新打开程序")
    return (f"{_database(path)}或其所在文件夹是只读的，无法保存修改；"
            "请检查文件权限，或以只读方式查看")


def schema_too_new_message(path: Path, version: int) -> str:
    return (f"数据库 {path} 来自更新的版本(结构版本 {version},本程序支持到 "
            f"{LATEST_VERSION}),请升级 MixTimer GUI 后再打开；文件未被改动")


def cannot_create_message(folder: Path) -> str:
    return f"文件夹 {folder} 不可写，无法新建数据库；请用 --db 选择一个可写的位置"


def disk_full_message() -> str:
    return "磁盘已满，刚才的修改没有保存(之前的数据完好);请清理磁盘空间后重试"


def unreadable_message(path: Path, detail: object) -> str:
    return f"无法读取数据库 {path}({detail});请检查文件权限和磁盘后重试"


def _database(path: Path | None) -> str:
    return f"数据库 {path} " if path is not None else "数据库"


# -- the check ------------------------------------------------------------------------------


def check_database(path: Path | str, *, lock_wait_s: float = BUSY_TIMEOUT_S) -> HealthReport:
    """Classify the file at ``path``; nothing is written to it."""
    path = Path(path)
    try:
        if not path.exists() or path.stat().st_size == 0:
            check_can_create(path)
            return HealthReport(path, Health.MISSING,
                                f"数据库 {path} 尚不存在，将新建一个空数据库")
        version = read_schema_version(path)
        if version > LATEST_VERSION:
            raise SchemaTooNewError(schema_too_new_message(path, version), path=path)
        preflight(path, quick_check=True, lock_wait_s=lock_wait_s)
    except StoreError as exc:
        return report_of(path, exc)
    return HealthReport(path, Health.OK, f"数据库 {path} 完好")


def report_of(path: Path, exc: StoreError) -> HealthReport:
    """The report for an error raised while opening ``path``."""
    states: list[tuple[type[StoreError], Health]] = [
        (DamagedDatabaseError, Health.DAMAGED), (NotADatabaseError, Health.NOT_A_DATABASE),
        (SchemaTooNewError, Health.NEWER_SCHEMA), (DatabaseLockedError, Health.LOCKED),
        (ReadOnlyDatabaseError, Health.READ_ONLY)]
    state = next((s for cls, s in states if isinstance(exc, cls)), Health.UNREADABLE)
    good = getattr(exc, "backup", None)
    if state is Health.NOT_A_DATABASE:
        good = newest_good_backup(path)
    return HealthReport(path, state, str(exc), good)


def preflight(path: Path, *, quick_check: bool = True,
              lock_wait_s: float = BUSY_TIMEOUT_S) -> None:
    """Raise the ``StoreError`` that stops ``path`` from being opened for writing.

    Order matters: the integrity check reads through a read-only connection, so a damaged
    file is reported before any connection that could write (even a checkpoint) touches it.
    """
    if quick_check:
        _quick_check(path)
        backup.clear_check_mark(path)
    if not is_writable(path):
        raise ReadOnlyDatabaseError(read_only_message(path), path=path)
    _probe_write_lock(path, lock_wait_s)


def check_can_create(path: Path) -> None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not _dir_writable(folder):
        raise ReadOnlyDatabaseError(cannot_create_message(folder))


def newest_good_backup(db_path: Path | str) -> Path | None:
    """The newest copy in ``backups/`` that passes the integrity check and can be restored."""
    return backup.newest_restorable(Path(db_path))


AUTO_CHECK_MAX_BYTES = 64 * 1024 * 1024  # quick_check of 64 MiB: ~70 ms of CPU


def quick_check_due(path: Path) -> bool:
    """Whether ``open_database(check="auto")`` runs ``PRAGMA quick_check`` on ``path``.

    Small files always. A large file only when a WAL with frames is left beside it: the last
    program did not close it cleanly (a crash, a kill, a power cut), or another one has it
    open. Large files are otherwise checked once a day, off the start-up path, by
    ``backup.ensure_daily_backup`` verifying its page-for-page copy; damage found there
    leaves ``backup.check_mark`` so the next start checks (and offers recovery).
    """
    if path.stat().st_size <= AUTO_CHECK_MAX_BYTES or backup.check_mark(path).exists():
        return True
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def is_writable(path: Path) -> bool:
    """The file, its folder (WAL needs -wal/-shm beside it) and the file system take writes."""
    if not os.access(path, os.W_OK) or not _dir_writable(path.parent):
        return False
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists() and not os.access(side, os.W_OK):
            return False
    return True


def _dir_writable(folder: Path) -> bool:
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: os.access already reflects read-only attributes
        return True
    try:
        return not statvfs(folder).f_flag & os.ST_RDONLY
    except OSError:
        return True


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return f"{uri}&immutable=1" if immutable else uri


def _quick_check(path: Path) -> None:
    conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise classify_read_error(path, exc) from exc
    finally:
        conn.close()
    if rows != [("ok",)]:
        good = newest_good_backup(path)
        raise DamagedDatabaseError(damaged_message(path, good), path, good)


def _probe_write_lock(path: Path, wait_s: float) -> None:
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


def classify_read_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """The ``StoreError`` for a SQLite error met while reading ``path`` (``.path`` set)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_CORRUPT"):
        good = newest_good_backup(path)
        return DamagedDatabaseError(damaged_message(path, good), path, good)
    if name == "SQLITE_NOTADB":
        return NotADatabaseError(not_a_database_message(path), path=path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseLockedError(locked_message(path), path=path)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) and not is_writable(path):
        return ReadOnlyDatabaseError(read_only_message(path), path=path)
    if name.startswith("SQLITE_FULL"):
        return DiskFullError(disk_full_message(), path=path)
    return StoreError(unreadable_message(path, exc), path=path)


def explain_write_error(exc: BaseException) -> StoreError | None:
    """A clear ``StoreError`` for a write that SQLite refused for a reason outside the
    program (full disk, read-only file, a lock held too long); ``None`` for anything else.

    The whole chain is searched: after SQLITE_FULL, SQLite has already rolled back, so
    Peewee's own ROLLBACK fails and its "cannot rollback" error hides the real one.
    """
    for original in _sqlite_errors_of(exc):
        name = getattr(original, "sqlite_errorname", "")
        if name.startswith("SQLITE_FULL"):
            return DiskFullError(disk_full_message())
        if name.startswith("SQLITE_READONLY"):
            return ReadOnlyDatabaseError(read_only_message(None, write_failed=True))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return DatabaseLockedError(locked_message(None, write_failed=True))
    return None


def _sqlite_errors_of(exc: BaseException) -> list[sqlite3.Error]:
    """The sqlite3 errors behind ``exc``, outermost first (Peewee wraps each as its own
    class and keeps the original as ``orig``)."""
    found: list[sqlite3.Error] = []
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            found.append(current)
        inner = getattr(current, "orig", None) or (current.args[0] if current.args else None)
        if isinstance(inner, BaseException):
            pending.append(inner)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return found


# -- read-only viewing ----------------------------------------------------------------------


def open_read_only(path: Path) -> SqliteDatabase:
    """A connection that cannot write, for viewing a read-only or locked database.

    In a read-only folder SQLite cannot create the WAL index it needs; the file is then
    opened ``immutable`` (nobody can be writing it from this machine either).
    """
    if not path.is_file():
        raise StoreError(f"数据库 {path} 不存在，无法以只读方式查看")
    uri, version = _readable_uri(path)
    if version > LATEST_VERSION:
        raise SchemaTooNewError(schema_too_new_message(path, version), path=path)
    if version < LATEST_VERSION:
        raise StoreError(f"数据库 {path} 需要升级到新的结构才能查看，但它无法写入；"
                         "请先复制到可写的位置再打开")
    db = SqliteDatabase(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                        pragmas={"query_only": 1, "foreign_keys": 1,
                                 "busy_timeout": BUSY_TIMEOUT_S * 1000})
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return db


def _readable_uri(path: Path) -> tuple[str, int]:
    last: sqlite3.Error | None = None
    for uri in (_ro_uri(path), _ro_uri(path, immutable=True)):
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
