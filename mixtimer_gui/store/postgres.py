"""PostgreSQL (team mode): the server's address, the connection and its time-outs, the
reconnect after a lost connection, the one-writer lock, and opening: the collation check, the
migration under an advisory lock and the client version gate.

Several workstations share one database. What SQLite gives one machine for free is made
explicit here: writes take a transaction-level advisory lock (one writer at a time, as
SQLite's ``BEGIN IMMEDIATE``: the services' read-then-write steps, the uid counters and the
cycle updates stay right); the first newer workstation migrates while the others wait on
another advisory lock; a ``min_client_version`` setting turns older workstations read-only.

No password is ever stored or logged: libpq reads ``.pgpass`` / ``PGPASSFILE`` and service
files itself, and a location holding a password is refused.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from peewee import DatabaseError, InterfaceError, PostgresqlDatabase
from psycopg import conninfo as libpq_conninfo
from psycopg.pq import TransactionStatus

from mixtimer_gui import __version__
from mixtimer_gui.store.errors import (
    BadLocationError,
    ConnectionLostError,
    DatabaseMissingError,
    LoginFailedError,
    PasswordInLocationError,
    ServerUnreachableError,
    StoreError,
    WrongCollationError,
    bad_location_message,
    client_too_old_message,
    connection_lost_message,
    database_missing_message,
    is_connection_gone,
    login_failed_message,
    password_in_location_message,
    unreachable_message,
    wrong_collation_message,
)
from mixtimer_gui.store.migrations import (
    LATEST_VERSION,
    MIN_CLIENT_KEY,
    MIN_CLIENT_VERSION,
    MigrationProgress,
    migrate,
)
from mixtimer_gui.store.probe import BUSY_TIMEOUT_S

log = logging.getLogger(__name__)

# This program's version, as ``min_client_version`` compares it (tests fake an older one).
CLIENT_VERSION = __version__

# A dead server must never freeze a window: every statement and every lock wait ends.
STATEMENT_TIMEOUT_S = 60
LOCK_TIMEOUT_S = BUSY_TIMEOUT_S  # as long as SQLite waits for its write lock
CONNECT_TIMEOUT_S = 10
# A newer workstation's migration may take a while on a big database; the others wait.
MIGRATION_WAIT_S = 900

# The channel writes announce themselves on (``TeamDatabase.announce``, ``ChangeChannel``).
# The server refuses a payload of 8000 bytes or more; the services keep well under it.
CHANGES_CHANNEL = "mixtimer_changes"
MAX_PAYLOAD_BYTES = 7900

# Advisory lock keys (64-bit, per database): b"MixTimer" and the next number.
WRITE_LOCK_KEY = int.from_bytes(b"MixTimer", "big")
MIGRATION_LOCK_KEY = WRITE_LOCK_KEY + 1

# libpq settings this program wants unless the location says otherwise. Keepalives and
# the TCP user time-out notice a server that vanished mid-answer (the statement time-out
# is the server's, and a dead server enforces nothing).
_DEFAULT_PARAMS: dict[str, str] = {
    "connect_timeout": str(CONNECT_TIMEOUT_S),
    "application_name": "mixtimer-gui",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
    "tcp_user_timeout": str(STATEMENT_TIMEOUT_S * 1000),
}


# -- the address ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerAddress:
    """A libpq connection string (URI or ``key=value`` pairs) that holds no password.

    ``conninfo`` is the text as given, also what the window shows; ``dbname`` the database
    it names ("" when a service file or libpq's defaults name it).
    """

    conninfo: str
    dbname: str = ""

    def __str__(self) -> str:
        return self.conninfo


def parse_server_address(text: str) -> ServerAddress:
    """Check a server location with libpq's own parser: ``BadLocationError`` when it cannot
    be read, ``PasswordInLocationError`` when it holds a password."""
    conninfo = text.strip()
    try:
        parts = libpq_conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error as exc:
        # libpq's sentence names the offending part, never the whole text (a password
        # could be in it)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadLocationError(bad_location_message(detail)) from None
    if parts.get("password"):
        raise PasswordInLocationError(password_in_location_message())
    return ServerAddress(conninfo, str(parts.get("dbname") or ""))


def connection_params(address: ServerAddress, *, read_only: bool) -> dict[str, Any]:
    """What ``psycopg.connect`` gets beside the address: the time-outs as session settings,
    read-only sessions, and the defaults of ``_DEFAULT_PARAMS`` the address does not set."""
    given = libpq_conninfo.conninfo_to_dict(address.conninfo)
    settings = [f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}",
                f"-c lock_timeout={LOCK_TIMEOUT_S * 1000}"]
    if read_only:
        settings.append("-c default_transaction_read_only=on")
    params: dict[str, Any] = {key: value for key, value in _DEFAULT_PARAMS.items()
                              if key not in given}
    params["options"] = " ".join(str(o) for o in (given.get("options"), *settings) if o)
    return params


def connection_failure(address: ServerAddress, exc: psycopg.Error) -> StoreError:
    """The sentence for a connection the server or the network refused.

    libpq reports these as text only (no SQLSTATE before a session exists), so the kind is
    read from its wording; anything unrecognised is "cannot reach", with libpq's words.
    """
    detail = str(exc)
    missing = _MISSING_DATABASE.search(detail)
    if missing:
        return DatabaseMissingError(database_missing_message(str(address), missing.group(1)))
    if _LOGIN_REFUSED.search(detail):
        return LoginFailedError(login_failed_message(str(address)))
    log.warning("cannot reach the database server %s: %s", address, detail.strip())
    return ServerUnreachableError(unreachable_message(str(address)))


_MISSING_DATABASE = re.compile(r'database "([^"]*)" does not exist')
_LOGIN_REFUSED = re.compile(
    r"password authentication failed|role \"[^\"]*\" does not exist|no pg_hba\.conf entry|"
    r"no password supplied|authentication failed|permission denied for database|"
    r"pg_hba\.conf rejects connection|is not permitted to log in", re.IGNORECASE)


# -- the database ---------------------------------------------------------------------------


class TeamDatabase(PostgresqlDatabase):
    """Peewee's PostgreSQL database on psycopg 3, for one ``ServerAddress``.

    A connection the server dropped (restart, network) is replaced at the next transaction
    or statement outside one: a ``BEGIN`` that fails because the connection is gone is
    repeated on a new connection, since nothing had happened yet. A connection lost inside a
    transaction surfaces as the driver's error (``errors.explain_write_error`` turns it into
    ``ConnectionLostError``); a failed ``COMMIT`` is marked (``during_commit``) because its
    outcome is unknown.
    """

    def __init__(self, address: ServerAddress, *, read_only: bool = False) -> None:
        self.address = address
        self.read_only = read_only
        self._reached = False  # a connection worked once: a server not answering now is down
        super().__init__(address.conninfo, prefer_psycopg3=True)

    def _connect(self) -> psycopg.Connection[Any]:
        params = connection_params(self.address, read_only=self.read_only)
        try:
            conn = psycopg.connect(self.address.conninfo, autocommit=True, **params)
        except psycopg.OperationalError as exc:
            failure = connection_failure(self.address, exc)
            if self._reached and isinstance(failure, ServerUnreachableError):
                # it answered before (a restart, the network): say it is being retried
                raise ConnectionLostError(connection_lost_message()) from exc
            raise failure from exc
        self._reached = True
        return conn

    # -- noticing and replacing a lost connection -----------------------------------------

    def connection_lost(self) -> bool:
        """This thread's connection exists and psycopg knows it is gone."""
        conn = self._state.conn
        return conn is not None and not self._state.closed and conn.closed

    def reconnect(self) -> None:
        """Drop this thread's (lost) connection and open a new one. Outside a transaction
        only: the caller made sure nothing is pending on the old one."""
        self._forget_connection()
        self.connect()  # a server still down says so as a lost connection (``_connect``)

    def _forget_connection(self) -> None:
        old = self._state.conn
        self._state.reset()
        if old is not None:
            # already gone: closing only frees the client side
            with contextlib.suppress(psycopg.Error):
                old.close()

    def cursor(self, named_cursor: Any = None) -> Any:
        if self.transaction_depth() == 0 and self.connection_lost():
            self.reconnect()
        return super().cursor(named_cursor)

    def begin(self, isolation_level: Any = None) -> None:
        self._state.write_locked = False
        try:
            super().begin(isolation_level)
        except (DatabaseError, InterfaceError) as exc:
            original = getattr(exc, "orig", exc)
            if not (isinstance(original, psycopg.Error) and is_connection_gone(original)):
                raise
            log.warning("database connection lost (%s); reconnecting", original)
            self.reconnect()
            super().begin(isolation_level)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if self.transaction_depth() > 0:
            return super().execute_sql(sql, params)
        try:
            return super().execute_sql(sql, params)
        except (DatabaseError, InterfaceError) as exc:
            original = getattr(exc, "orig", exc)
            if not (isinstance(original, psycopg.Error) and is_connection_gone(original)):
                raise
            # A single statement outside a transaction: a read can simply run again on a
            # new connection; a write might have been applied, so it is reported.
            self.reconnect()
            if not _is_read(sql):
                raise
            return super().execute_sql(sql, params)

    def commit(self) -> None:
        try:
            super().commit()
        except (DatabaseError, InterfaceError) as exc:
            original = getattr(exc, "orig", None)
            if isinstance(original, psycopg.Error):
                original.during_commit = True  # type: ignore[attr-defined]
            raise

    def rollback(self) -> None:
        if self.connection_lost():
            return  # the server discarded the transaction with the connection
        super().rollback()

    # -- what the services' transactions need ---------------------------------------------

    def hold_write_lock(self) -> None:
        """Take the one-writer lock for the rest of this transaction (once per transaction:
        a nested write, or a write inside a read, finds it taken)."""
        if getattr(self._state, "write_locked", False):
            return
        self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        self._state.write_locked = True

    def connection_in_transaction(self) -> bool:
        """The server side of this thread's connection is inside a transaction (also one
        Peewee's own transaction stack did not start)."""
        conn = self._state.conn
        if conn is None or self._state.closed or conn.closed:
            return False
        return conn.info.transaction_status != TransactionStatus.IDLE

    def announce(self, payload: str) -> None:
        """Tell every listening workstation ``payload`` when this transaction commits
        (``NOTIFY`` is delivered at commit, never on a rollback)."""
        self.execute_sql("SELECT pg_notify(%s, %s)", (CHANGES_CHANNEL, payload))

    def interrupter(self) -> Any:
        """A function that cancels the statement running on this thread's connection, from
        any thread."""
        conn = self.connection()
        return getattr(conn, "cancel_safe", conn.cancel)

    def release(self) -> None:
        """Roll back what is open and close this thread's connection, lost or not."""
        if self.connection_lost():
            self._forget_connection()
            return
        if self.connection_in_transaction():
            self._state.conn.rollback()
        if not self.is_closed():
            self.close()


def _is_read(sql: str) -> bool:
    words = sql.split(None, 1)
    return bool(words) and words[0].upper() in ("SELECT", "WITH", "SHOW")


# -- listening for other workstations' writes ----------------------------------------------------


class ChangeChannel:
    """One workstation's own connection that listens for the announcements of writes
    (``LISTEN``), and reads a cheap data version for the fallback poll.

    Used by one thread only. A connection the server or the network dropped raises
    ``ConnectionLostError`` from ``receive`` or ``data_version``; ``open`` again to go on.
    """

    def __init__(self, address: ServerAddress) -> None:
        self.address = address
        self.backend_pid: int | None = None
        self._conn: psycopg.Connection[Any] | None = None

    def open(self) -> None:
        """Connect and listen; the ``StoreError`` kinds of a refused connection."""
        self.close()
        params = connection_params(self.address, read_only=False)
        try:
            conn = psycopg.connect(self.address.conninfo, autocommit=True, **params)
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        except psycopg.OperationalError as exc:
            raise connection_failure(self.address, exc) from exc
        self._conn = conn
        self.backend_pid = conn.info.backend_pid

    def receive(self, timeout_s: float) -> list[str]:
        """The payloads that arrive within ``timeout_s`` (returns at the first batch, or
        empty-handed when the time is up)."""
        conn = self._open_connection()
        try:
            payloads = [n.payload for n in conn.notifies(timeout=timeout_s, stop_after=1)]
            # what arrived with the first one, without waiting again
            payloads += [n.payload for n in conn.notifies(timeout=0)]
        except psycopg.Error as exc:
            raise self._lost(exc) from exc
        return payloads

    def data_version(self) -> int:
        """A number that grows whenever any transaction on the server writes (the next
        transaction id): read, not written, so polling it costs no write."""
        conn = self._open_connection()
        try:
            row = conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
                               ).fetchone()
        except psycopg.Error as exc:
            raise self._lost(exc) from exc
        return int(row[0]) if row else 0

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None

    def _open_connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            raise ConnectionLostError(connection_lost_message())
        return self._conn

    def _lost(self, exc: psycopg.Error) -> ConnectionLostError:
        self.close()
        log.warning("the connection listening for changes was lost (%s)",
                    str(exc).strip() or type(exc).__name__)
        return ConnectionLostError(connection_lost_message())


# -- opening ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A database opened on a server: ``read_only_reason`` says why writes are refused when
    this program is older than the database allows (``None`` otherwise)."""

    db: TeamDatabase
    read_only_reason: str | None


def check_server(address: ServerAddress | str) -> None:
    """Connect once, read-only, and check the collation, as opening would: the same
    ``StoreError`` kinds, and nothing is created, migrated or written (Settings' 测试连接)."""
    if isinstance(address, str):
        address = parse_server_address(address)
    db = TeamDatabase(address, read_only=True)
    db.connect()
    try:
        check_collation(db)
    finally:
        db.close()


def open_team_database(address: ServerAddress | str, *, read_only: bool = False,
                       progress: MigrationProgress | None = None) -> Opened:
    """Connect, check the collation, migrate (or wait for another workstation migrating),
    and apply the client version gate: the ``StoreError`` kinds for a refused connection,
    a database that would answer differently from SQLite, or one that needs migrating but
    was asked for read-only."""
    if isinstance(address, str):
        address = parse_server_address(address)
    db = TeamDatabase(address)
    db.connect()
    try:
        check_collation(db)
        version, needed = read_versions(db)
        if not read_only and _needs_migrating(version, needed):
            version, needed = migrate_under_lock(db, progress)
        if read_only and version < LATEST_VERSION:
            raise StoreError(f"数据库 {address} 需要升级到新的结构才能查看；"
                             "请先以可写方式打开一次(由它升级)")
    except BaseException:
        db.close()
        raise
    if version > LATEST_VERSION:
        log.info("database %s has schema version %d, newer than this program's %d",
                 address, version, LATEST_VERSION)
    reason = None if _new_enough(needed) else client_too_old_message(CLIENT_VERSION, needed)
    if not (read_only or reason):
        return Opened(db, None)
    if reason:
        log.warning("%s", reason)
    db.close()
    viewer = TeamDatabase(address, read_only=True)
    viewer.connect()
    return Opened(viewer, reason)


def upgrade_due(address: ServerAddress | str) -> bool:
    """Opening the database at ``address`` would run migration steps (one short
    connection). ``False`` when it cannot tell: opening then says what is wrong."""
    if isinstance(address, str):
        address = parse_server_address(address)
    db = TeamDatabase(address)
    try:
        db.connect()
        version, needed = read_versions(db)
    except StoreError:
        return False
    finally:
        db.close()
    return 0 < version < LATEST_VERSION and _new_enough(needed)


def check_collation(db: TeamDatabase) -> None:
    """Refuse a database whose text sorts or folds case by a locale: byte order and ASCII
    case folding are what SQLite does, and lists must answer the same on both."""
    provider = "datlocprovider" if (db.server_version or 0) >= 150000 else "'c'"
    collate, ctype, provider = db.execute_sql(
        f"SELECT datcollate, datctype, {provider} FROM pg_database "
        "WHERE datname = current_database()").fetchone()
    if provider != "c" or collate not in ("C", "POSIX") or ctype not in ("C", "POSIX"):
        raise WrongCollationError(wrong_collation_message(str(db.address), collate, ctype))


def read_versions(db: TeamDatabase) -> tuple[int, str]:
    """(schema version, ``min_client_version``) as stored; (0, "") for an empty database."""
    present = {name for (name,) in db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename IN ('schema_version', 'setting')").fetchall()}
    if "schema_version" not in present:
        if db.execute_sql("SELECT count(*) FROM pg_tables "
                          "WHERE schemaname = current_schema()").fetchone()[0]:
            raise StoreError(f"数据库 {db.address} 里已有别的表，不是 MixTimer 的数据库，"
                             "未作任何改动；请用 --db 指定 MixTimer 专用的数据库")
        return 0, ""
    version = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()[0]
    needed = ""
    if "setting" in present:
        row = db.execute_sql('SELECT "value" FROM "setting" WHERE "key" = %s',
                             (MIN_CLIENT_KEY,)).fetchone()
        needed = row[0] if row else ""
    return int(version or 0), needed


def migrate_under_lock(db: TeamDatabase, progress: MigrationProgress | None = None
                       ) -> tuple[int, str]:
    """Migrate to this program's schema inside one transaction holding the migration lock:
    the first newer workstation migrates, the others wait and then find it done. A schema
    newer than this program is left alone. Returns (version found, min_client_version)."""
    with db.atomic():
        db.execute_sql(f"SET LOCAL lock_timeout = '{MIGRATION_WAIT_S}s'")
        db.execute_sql(f"SET LOCAL statement_timeout = '{MIGRATION_WAIT_S}s'")
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        version, needed = read_versions(db)
        if not _new_enough(needed):
            return version, needed  # a newer program's rules: this one only looks
        if version < LATEST_VERSION:
            log.info("migrating %s from schema version %d to %d", db.address, version,
                     LATEST_VERSION)
            migrate(db, version, progress)
        if version <= LATEST_VERSION and _version_key(needed) < _version_key(
                MIN_CLIENT_VERSION):
            db.execute_sql('INSERT INTO "setting" ("key", "value") VALUES (%s, %s) '
                           'ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"',
                           (MIN_CLIENT_KEY, MIN_CLIENT_VERSION))
            needed = MIN_CLIENT_VERSION
    return version, needed


def _needs_migrating(version: int, needed: str) -> bool:
    """Something for this program to write under the migration lock: steps it brings, or a
    ``min_client_version`` below the one its schema asks for. (Read first without the lock:
    the usual opening finds nothing to do and takes no lock at all.)"""
    if version > LATEST_VERSION or not _new_enough(needed):
        return False
    return version < LATEST_VERSION or _version_key(needed) < _version_key(
        MIN_CLIENT_VERSION)


def _new_enough(needed: str) -> bool:
    return not needed or _version_key(CLIENT_VERSION) >= _version_key(needed)


def _version_key(version: str) -> tuple[int, ...]:
    """"0.10.2" → (0, 10, 2); a part's trailing letters ("1rc1") are ignored."""
    key = []
    for part in version.strip().split("."):
        digits = re.match(r"\d*", part).group(0)  # type: ignore[union-attr]
        key.append(int(digits) if digits else 0)
    return tuple(key)


__all__ = ["CHANGES_CHANNEL", "CLIENT_VERSION", "ChangeChannel", "Opened", "ServerAddress",
           "TeamDatabase", "check_server", "connection_params", "open_team_database",
           "parse_server_address"]
