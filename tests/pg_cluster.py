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
from dataclasses import dataclass
from pathlib import Path

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
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "start")

    def restart(self) -> None:
        """Stop fast (drops every connection) and start again: a server restart."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        # Already gone is fine: the folder is removed all the same.
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        done = self._run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                         "-h", str(self.socket_dir), "-U", self.user, "-d", dbname,
                         "-c", sql)
        return done.stdout

    def create_database(self, name: str) -> str:
        """A fresh database with byte-order text sorting; returns its connection URL."""
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                  "LC_COLLATE 'C' LC_CTYPE 'C'")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, dbname: str) -> str:
        """A libpq URL for ``dbname`` over the cluster's unix socket."""
        return f"postgresql://{self.user}@/{dbname}?host={self.socket_dir}"


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
    cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)
