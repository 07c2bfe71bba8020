"""A throw-away PostgreSQL cluster for the tests: Debian's server, a unix socket only.

initdb and postgres refuse to run as root (DESIGN §9), so as root the cluster belongs to the
``postgres`` user and its commands run through ``runuser``; as anyone else they run as that
user. The cluster listens on no TCP port: nothing outside this machine's file system can
reach it. Databases are created with C collation so text sorts by bytes, as on SQLite.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

# CI sets this: there a missing server is a failure of the machine's set-up, not a skip.
REQUIRE_ENV = "MIXTIMER_REQUIRE_PG"


class NoPostgres(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_bindir() -> Path:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise NoPostgres("PostgreSQL server not installed (Debian: apt-get install postgresql)")


@dataclass
class Cluster:
    bindir: Path
    root: Path
    user: str
    _admin: psycopg.Connection[Any] | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True,
                              timeout=120)

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, self.user)
            shutil.chown(self.socket_dir, self.user)
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=UTF8",
                  "--locale=C", f"--username={self.user}")
        self.start_again()

    def start_again(self) -> None:
        """Start the server of an existing cluster (after ``stop_server``)."""
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "start")

    def stop_server(self) -> None:
        """Stop the server (dropping every connection) and leave it stopped: a server that
        is down until ``start_again``."""
        self._forget_admin()
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def _forget_admin(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None

    def restart(self) -> None:
        """Stop fast (drops every connection) and start again: a server restart.

        The log file matters: without ``-l`` the new postmaster keeps the captured stdout
        open and ``subprocess.run`` waits for it forever."""
        self._forget_admin()  # the restart drops it; the next admin() opens a new one
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "restart")

    def stop(self) -> None:
        # Already gone is fine: the folder is removed all the same.
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        done = self._run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                         "-h", str(self.socket_dir), "-U", self.user, "-d", dbname,
                         "-c", sql)
        return done.stdout

    def admin(self) -> psycopg.Connection[Any]:
        """One autocommit connection to ``postgres`` for creating and dropping databases
        (~50 ms each this way; a ``psql`` process per statement cost more than that)."""
        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        return self._admin

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """A fresh database with byte-order text sorting; returns its connection URL.

        From a template that is already migrated, a database is a file copy
        (``STRATEGY FILE_COPY``: 48 ms against 71 ms for WAL_LOG, measured here)."""
        strategy = "" if template == "template0" else " STRATEGY FILE_COPY"
        self.admin().execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\' '
                             f"LC_COLLATE 'C' LC_CTYPE 'C'{strategy}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, dbname: str) -> str:
        """A libpq URL for ``dbname`` over the cluster's unix socket."""
        return f"postgresql://{self.user}@/{dbname}?host={self.socket_dir}"


class Resettable:
    """A database copied from ``template`` once and emptied before each use: its rows go
    (sequences restarted, so ids count from 1 again), the rows the template had come back,
    and connections other tests left behind are ended. When its tables are not the
    template's any more, it is copied afresh.

    One round trip of DELETEs and ``ALTER SEQUENCE … RESTART``: 4 ms here, against 49 ms
    for ``TRUNCATE … RESTART IDENTITY`` (new files for every table and index).
    """

    def __init__(self, cluster: Cluster, name: str, template: str) -> None:
        self.cluster = cluster
        self.name = name
        self.template = template
        self.url = self._copy()
        self._conn: psycopg.Connection[Any] | None = None
        with psycopg.connect(self.cluster.url(template), autocommit=True) as conn:
            self._tables = _tables(conn)
            self._reset_sql = _emptying_script(conn, self._tables)

    def _copy(self) -> str:
        self.cluster.drop_database(self.name)
        return self.cluster.create_database(self.name, template=self.template)

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True)
        return self._conn

    def reset(self) -> None:
        try:
            conn = self._connection()
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if _tables(conn) != self._tables:
                raise psycopg.DataError("the tables changed")
            with conn.transaction():
                conn.execute(self._reset_sql)
        except psycopg.Error:  # a restarted server, or a test that changed the schema
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._copy()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def _emptying_script(conn: psycopg.Connection[Any], tables: list[str]) -> str:
    """DELETE every table, restart every sequence, put the template's rows back: one text
    of plain statements (values as literals), sent in one round trip."""
    statements = [sql.SQL("DELETE FROM {}").format(sql.Identifier(t)) for t in tables]
    statements += [sql.SQL("ALTER SEQUENCE {} RESTART").format(sql.Identifier(name))
                   for (name,) in conn.execute(
                       "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
    for table in tables:
        for row in conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))):
            statements.append(sql.SQL("INSERT INTO {} VALUES ({})").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Literal, row))))
    return sql.SQL("; ").join(statements).as_string(conn)


def _tables(conn: psycopg.Connection[Any]) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]


def start_cluster() -> Cluster:
    bindir = server_bindir()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    root = Path(tempfile.mkdtemp(prefix="mixtimer-pg-"))
    cluster = Cluster(bindir=bindir, root=root, user=user)
    started = time.monotonic()
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    cluster.started_in_s = time.monotonic() - started  # type: ignore[attr-defined]
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    if cluster._admin is not None:
        cluster._admin.close()
    cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)
