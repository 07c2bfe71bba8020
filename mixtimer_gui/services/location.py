"""Where a workspace's data lives, and opening it.

A location is a SQLite file (single-workstation mode) or a PostgreSQL server database (team
mode: ``postgresql://user@host:port/dbname?sslmode=…``, ``service=plant``, or any libpq
connection string without a password). The outer layers only pass a ``Location`` (or the
text or path it is parsed from) to ``Workspace.open`` and show ``str(location)``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from mixtimer_gui.paths import default_db_path, is_server_location
from mixtimer_gui.store import postgres
from mixtimer_gui.store.db import open_store
from mixtimer_gui.store.errors import StoreError
from mixtimer_gui.store.migrations import LATEST_VERSION, MigrationProgress
from mixtimer_gui.store.models import Store
from mixtimer_gui.store.postgres import check_server, open_team_database, parse_server_address
from mixtimer_gui.store.probe import check_can_create, read_schema_version

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
# What ``check_location`` found: a server that answered, an existing file, a file to create.
SERVER_ANSWERS = "server"
FILE_EXISTS = "file"
FILE_TO_CREATE = "new file"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+")
_DATABASE_SIDE_FILES = ("", "-wal", "-shm")


class UnsupportedLocationError(StoreError):
    """A location this version cannot open (``str()``: the sentence for the user)."""


@dataclass(frozen=True)
class Location:
    """A database's place: ``kind`` (``"sqlite"`` or ``"postgresql"``) and ``path``.

    For a file, ``path`` is the database file. For a server, ``server`` is the libpq
    connection string (never with a password) and ``path`` this workstation's own folder
    for the files that go with that database (attached images until they move into the
    database).
    """

    kind: str
    path: Path
    server: str = ""

    @classmethod
    def parse(cls, where: Location | Path | str) -> Location:
        """A location from a path, ``sqlite:///path``, a server's URI or connection string,
        or a plain path as text. A server location with a password is refused
        (``StoreError``, saying where passwords go instead)."""
        if isinstance(where, Location):
            return where
        if isinstance(where, Path):
            return cls(SQLITE, where)
        text = where.strip()
        if is_server_location(text):
            return cls.server_location(text)
        scheme, sep, rest = text.partition("://")
        if not sep or not _SCHEME.fullmatch(scheme):  # "C:\\data\\x.db" has no "://"
            return cls(SQLITE, Path(text).expanduser())
        if scheme.lower() != SQLITE:
            raise UnsupportedLocationError(
                f"无法打开数据库位置 {text}:请用 --db 给出 SQLite 数据库文件的路径，"
                "或 PostgreSQL 的 postgresql://用户@主机:端口/数据库名")
        if os.name == "nt" and re.match(r"/[A-Za-z]:", rest):
            rest = rest[1:]  # sqlite:///C:/data/mixtimer.db
        return cls(SQLITE, Path(rest).expanduser())

    @classmethod
    def server_location(cls, text: str) -> Location:
        address = parse_server_address(text)
        # one folder per server database on this workstation, named so two never meet
        digest = hashlib.sha256(address.conninfo.encode()).hexdigest()[:12]
        folder = default_db_path().parent / "team" / f"{address.dbname or 'db'}-{digest}"
        return cls(POSTGRESQL, folder, address.conninfo)

    @property
    def is_server(self) -> bool:
        return self.kind == POSTGRESQL

    def __str__(self) -> str:
        return self.server if self.is_server else str(self.path)

    @property
    def data_dir(self) -> Path:
        """The folder of the data that lives beside the database (``images/``, ``backups/``);
        for a server database, this workstation's folder for it."""
        return self.path if self.is_server else self.path.parent

    def is_database_file(self, path: Path | str) -> bool:
        """``path`` is the database file itself or one of SQLite's files beside it."""
        if self.is_server:
            return False
        # normcase: on Windows "MixTimer.DB" is the same file as "mixtimer.db"
        own = {os.path.normcase(self.path.resolve()) + tail for tail in _DATABASE_SIDE_FILES}
        return os.path.normcase(Path(path).resolve()) in own


def open_location(location: Location, *, synchronous: str = "normal", read_only: bool = False,
                  check: bool | str = True, progress: MigrationProgress | None = None
                  ) -> Store:
    """Open (create, migrate) the database at ``location``: its ``Store``.

    ``synchronous="full"`` also survives power loss (each commit waits for the disk);
    ``read_only=True`` views a locked or read-only database (writes raise ``StoreError``);
    ``check="auto"`` skips the start-up ``quick_check`` of a large, cleanly closed file.
    The last two are SQLite's: a server keeps its own files safe. A server database may
    open read-only unasked: ``Store.read_only_reason`` says why. ``progress(what, done,
    total)`` hears an upgrade go (``store.migrations.migrate``); raising in it stops it.
    Raises the ``StoreError`` subclasses of ``services.errors``.
    """
    if location.is_server:
        opened = open_team_database(location.server, read_only=read_only, progress=progress)
        return Store(opened.db, read_only_reason=opened.read_only_reason)
    if location.kind != SQLITE:
        raise UnsupportedLocationError(f"无法打开数据库位置 {location}:未知的数据库类型")
    return open_store(location.path, synchronous=synchronous, read_only=read_only, check=check,
                      progress=progress)


def upgrade_due(location: Location) -> bool:
    """Opening ``location`` for writing would run migration steps on existing data (a new,
    empty database is quick to set up: not that). ``False`` when it cannot tell: opening
    then says what is wrong."""
    if location.is_server:
        return postgres.upgrade_due(location.server)
    path = location.path
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        return 0 < read_schema_version(path) < LATEST_VERSION
    except (StoreError, OSError):
        return False


def check_location(where: str) -> tuple[Location, str]:
    """Try a location without opening it (Settings' 测试连接): the parsed location and
    ``SERVER_ANSWERS``, ``FILE_EXISTS`` or ``FILE_TO_CREATE``. A server is connected to
    once, read-only; a file is not touched. Raises ``StoreError`` with one sentence: no
    login, no server answering, no such database, a password in the text, a folder where
    no file can be created."""
    location = Location.parse(where)
    if location.is_server:
        check_server(location.server)
        return location, SERVER_ANSWERS
    if location.kind != SQLITE:
        raise UnsupportedLocationError(f"无法打开数据库位置 {location}:未知的数据库类型")
    if location.path.is_file():
        return location, FILE_EXISTS
    if location.path.exists():
        raise StoreError(f"{location.path} 是一个文件夹，不是数据库文件;请在后面加上文件名，"
                         "例如 mixtimer.db")
    check_can_create(location.path)
    return location, FILE_TO_CREATE
