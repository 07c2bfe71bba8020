"""What can go wrong with the database, each as a ``StoreError`` whose ``str()`` is one
sentence for the user saying what to do (the GUI translates it for English).

The sentences are here too, so the opening, the start-up check, the backups and a refused
write all say the same thing about the same trouble. ``explain_write_error(exc)`` turns
SQLite's disk-full / read-only / locked failures during a write into those sentences.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mixtimer_gui.store.migrations import LATEST_VERSION


class StoreError(Exception):
    """The database cannot be used as asked; ``str()`` is a sentence for the user.

    ``path`` is the database file concerned when it is known: the recovery dialog offers
    that file's backups.
    """

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class SchemaTooNewError(StoreError):
    """The file comes from a newer version of the program; it is never touched."""


class NotADatabaseError(StoreError):
    """The file is not a SQLite database, or not MixTimer's."""


class DamagedDatabaseError(StoreError):
    """The file fails ``PRAGMA quick_check``. It is never written to; ``backup`` is the newest
    backup that passes the integrity check (``None`` when there is none, or none was
    looked for yet)."""

    def __init__(self, message: str, path: Path, backup: Path | None = None) -> None:
        super().__init__(message, path=path)
        self.backup = backup


class ReadOnlyDatabaseError(StoreError):
    """The file or its folder cannot be written: it can still be viewed read-only."""


class DatabaseLockedError(StoreError):
    """Another program holds the write lock: wait, or view the data read-only."""


class DiskFullError(StoreError):
    """A write failed because the disk (or the database's size limit) is full."""


class BackupError(StoreError):
    """A backup could not be made or restored; nothing was changed."""


class DatabaseInUseError(BackupError):
    """Another connection (the API server, another window) still has the database open."""


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


# -- a refused write ------------------------------------------------------------------------


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
