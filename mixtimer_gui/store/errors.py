"""What can go wrong with the database, each as a ``StoreError`` whose ``str()`` is one
sentence for the user saying what to do (the GUI translates it for English).

The sentences are here too, so the opening, the start-up check, the backups and a refused
write all say the same thing about the same trouble. ``explain_write_error(exc)`` turns
SQLite's and PostgreSQL's disk-full / read-only / locked / lost-connection failures during a
write into those sentences.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

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


class CheckRunningError(StoreError):
    """Writes wait while the start-up integrity check runs (after an unclean exit)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__("正在检查数据库是否完好(上次没有正常关闭,或曾发现损坏迹象);检查完成"
                         "前暂不写入,请稍后重试(读取不受影响)", path=path)


class DiskFullError(StoreError):
    """A write failed because the disk (or the database's size limit) is full."""


# -- a PostgreSQL server (team mode) ----------------------------------------------------------


class BadLocationError(StoreError):
    """A server location that cannot be used as written (unreadable, or with a password)."""


class PasswordInLocationError(BadLocationError):
    """The location holds a password: the program never stores or logs one."""


class ServerUnreachableError(StoreError):
    """No PostgreSQL server answers at the location (down, wrong address, no network)."""


class LoginFailedError(StoreError):
    """The server refused the login: unknown user, wrong password, or pg_hba.conf."""


class DatabaseMissingError(StoreError):
    """The server answers but has no database of that name."""


class WrongCollationError(StoreError):
    """The database sorts and folds case by a locale, not bytes: answers would differ from
    SQLite's, so it is refused until it is created with C collation."""


class ConnectionLostError(StoreError):
    """The connection to the server broke during an action; the next action reconnects.

    ``may_have_committed``: it broke while the commit was on its way, so whether the change
    was saved is unknown (only an idempotent write, e.g. a handle with a client uid, may be
    repeated blindly). Otherwise nothing was saved and repeating it is safe.
    """

    def __init__(self, message: str, *, may_have_committed: bool = False) -> None:
        super().__init__(message)
        self.may_have_committed = may_have_committed


class QueryTimeoutError(StoreError):
    """The server did not finish a statement within the statement time-out."""


class BackupError(StoreError):
    """A backup could not be made or restored; nothing was changed."""


class BackupSkippedError(BackupError):
    """No room on the disk for a copy: it was not made (the disk is never filled)."""


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


def password_in_location_message() -> str:
    return ("数据库位置中含有密码；本程序不保存也不记录密码。请把密码写进本机的 .pgpass 文件"
            "(或 PGPASSFILE 指向的文件),或写进 pg_service.conf 服务文件并用 service=服务名 连接，"
            "然后从位置中删去密码")


def bad_location_message(detail: str) -> str:
    return (f"无法识别数据库位置({detail});请写成 postgresql://用户@主机:端口/数据库名 "
            "或 service=服务名")


def unreachable_message(where: str) -> str:
    return (f"无法连接数据库服务器 {where}:服务器没有应答(未启动、地址或端口不对，或网络不通);"
            "请检查网络和服务器后重试")


def login_failed_message(where: str) -> str:
    return (f"无法登录数据库服务器 {where}:用户名或密码不对，或服务器不允许本机以该用户登录；"
            "请检查本机 .pgpass 中的密码，或请数据库管理员核对用户和 pg_hba.conf")


def database_missing_message(where: str, name: str) -> str:
    return (f"数据库服务器上没有名为 {name} 的数据库({where});请检查数据库名，"
            "或请数据库管理员按 README 用 createdb 建好它")


def wrong_collation_message(where: str, collate: str, ctype: str) -> str:
    return (f"数据库 {where} 的排序规则是 {collate}/{ctype},团队模式需要 C(与单机版相同的"
            "按字节排序、只对英文字母不分大小写);请数据库管理员按 README 用 "
            "createdb --locale=C --template=template0 重建这个数据库后再打开")


def connection_lost_message(*, may_have_committed: bool = False) -> str:
    if may_have_committed:
        return ("数据库连接中断，正在重连；无法确定刚才的修改是否已保存，"
                "请刷新后核对，再决定是否重做")
    return "数据库连接中断，正在重连；刚才的操作没有完成，请稍后重试"


def server_read_only_message() -> str:
    return "数据库以只读方式连接，修改没有保存；请以可写方式重新打开程序后再修改"


def client_too_old_message(ours: str, needed: str) -> str:
    return (f"此数据库要求 MixTimer GUI {needed} 或更新的版本才能修改，本机是 {ours},"
            f"只能以只读方式查看；请安装 MixTimer GUI {needed} 或更新的版本")


def server_locked_message(seconds: int) -> str:
    return (f"数据库正被另一个工作站占用(等待超过 {seconds} 秒),修改没有保存；"
            "请稍后重试")


def query_timeout_message(seconds: int) -> str:
    return (f"数据库服务器在 {seconds} 秒内没有完成这项操作，已取消；"
            "请稍后重试，或缩小筛选范围")


def server_disk_full_message() -> str:
    return "数据库服务器的磁盘已满，刚才的修改没有保存(之前的数据完好);请数据库管理员清理空间后重试"


def _database(path: Path | None) -> str:
    return f"数据库 {path} " if path is not None else "数据库"


# -- a refused write ------------------------------------------------------------------------


def explain_write_error(exc: BaseException, *, read_only_reason: str | None = None,
                        lock_timeout_s: int = 0,
                        statement_timeout_s: int = 0) -> StoreError | None:
    """A clear ``StoreError`` for a write the database refused for a reason outside the
    program (full disk, read-only file or session, a lock held too long, a lost connection);
    ``None`` for anything else. ``read_only_reason`` is what a read-only session says instead
    of the general sentence (an older client on a newer database); the time-outs are those
    the sentences name.

    The whole chain is searched: after SQLITE_FULL, SQLite has already rolled back, so
    Peewee's own ROLLBACK fails and its "cannot rollback" error hides the real one. A
    ``StoreError`` already says what it is (a refused login while reconnecting, say): it is
    not explained again from the driver error behind it.
    """
    if isinstance(exc, StoreError):
        return None
    for original in _driver_errors_of(exc):
        if isinstance(original, psycopg.Error):
            found = _explain_postgres(original, read_only_reason, lock_timeout_s,
                                      statement_timeout_s)
            if found is not None:
                return found
            continue
        name = getattr(original, "sqlite_errorname", "")
        if name.startswith("SQLITE_FULL"):
            return DiskFullError(disk_full_message())
        if name.startswith("SQLITE_READONLY"):
            return ReadOnlyDatabaseError(read_only_message(None, write_failed=True))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return DatabaseLockedError(locked_message(None, write_failed=True))
    return None


# SQLSTATE classes and codes of PostgreSQL (Appendix A of its manual).
_READ_ONLY = "25006"
_LOCK_NOT_AVAILABLE = "55P03"
_CONFLICT = ("40001", "40P01")  # serialization failure, deadlock: another writer won
_QUERY_CANCELED = "57014"
_DISK_FULL = ("53100", "53000")
_CONNECTION_GONE = ("08", "57P01", "57P02", "57P03")


def _explain_postgres(error: psycopg.Error, read_only_reason: str | None,
                      lock_timeout_s: int, statement_timeout_s: int) -> StoreError | None:
    state = error.sqlstate or ""
    if state == _READ_ONLY:
        return ReadOnlyDatabaseError(read_only_reason or server_read_only_message())
    if state == _LOCK_NOT_AVAILABLE or state in _CONFLICT:
        return DatabaseLockedError(server_locked_message(lock_timeout_s))
    if state == _QUERY_CANCELED:
        return QueryTimeoutError(query_timeout_message(statement_timeout_s))
    if state in _DISK_FULL:
        return DiskFullError(server_disk_full_message())
    if is_connection_gone(error):
        committing = bool(getattr(error, "during_commit", False))
        return ConnectionLostError(connection_lost_message(may_have_committed=committing),
                                   may_have_committed=committing)
    return None


def is_connection_gone(error: psycopg.Error) -> bool:
    """The error says the connection to the server is gone, not that a statement failed:
    the server's own codes for that, or an ``OperationalError`` with no code at all, which
    libpq raises for a socket that closed ("server closed the connection unexpectedly",
    "the connection is closed")."""
    state = error.sqlstate or ""
    if state:
        return state.startswith(_CONNECTION_GONE)
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def _driver_errors_of(exc: BaseException) -> list[sqlite3.Error | psycopg.Error]:
    """The sqlite3 and psycopg errors behind ``exc``, outermost first (Peewee wraps each as
    its own class and keeps the original as ``orig``)."""
    found: list[sqlite3.Error | psycopg.Error] = []
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, sqlite3.Error | psycopg.Error):
            found.append(current)
        inner = getattr(current, "orig", None) or (current.args[0] if current.args else None)
        if isinstance(inner, BaseException):
            pending.append(inner)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return found
