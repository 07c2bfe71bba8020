"""Where a workspace's data lives, and opening it.

Today a location is a SQLite file. The outer layers only pass a ``Location`` (or the text or
path it is parsed from) to ``Workspace.open`` and show ``str(location)``; a server location
(``postgresql://…``) is a new ``kind`` here and in ``open_location``, not a change there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from mixtimer_gui.store.db import open_store
from mixtimer_gui.store.errors import StoreError
from mixtimer_gui.store.models import Store

SQLITE = "sqlite"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+")
_DATABASE_SIDE_FILES = ("", "-wal", "-shm")


class UnsupportedLocationError(StoreError):
    """A location this version cannot open (``str()``: the sentence for the user)."""


@dataclass(frozen=True)
class Location:
    """A database's place: ``kind`` (``"sqlite"``) and, for a file, its ``path``."""

    kind: str
    path: Path

    @classmethod
    def parse(cls, where: Location | Path | str) -> Location:
        """A location from a path, ``sqlite:///path``, or a plain path as text."""
        if isinstance(where, Location):
            return where
        if isinstance(where, Path):
            return cls(SQLITE, where)
        text = where.strip()
        scheme, sep, rest = text.partition("://")
        if not sep or not _SCHEME.fullmatch(scheme):  # "C:\\data\\x.db" has no "://"
            return cls(SQLITE, Path(text).expanduser())
        if scheme.lower() != SQLITE:
            raise UnsupportedLocationError(
                f"无法打开数据库位置 {text}:本版本只支持 SQLite 数据库文件,请用 --db 给出文件路径")
        if os.name == "nt" and re.match(r"/[A-Za-z]:", rest):
            rest = rest[1:]  # sqlite:///C:/data/mixtimer.db
        return cls(SQLITE, Path(rest).expanduser())

    def __str__(self) -> str:
        return str(self.path)

    @property
    def data_dir(self) -> Path:
        """The folder of the data that lives beside the database (``images/``, ``backups/``)."""
        return self.path.parent

    def is_database_file(self, path: Path | str) -> bool:
        """``path`` is the database file itself or one of SQLite's files beside it."""
        # normcase: on Windows "MixTimer.DB" is the same file as "mixtimer.db"
        own = {os.path.normcase(self.path.resolve()) + tail for tail in _DATABASE_SIDE_FILES}
        return os.path.normcase(Path(path).resolve()) in own


def open_location(location: Location, *, synchronous: str = "normal", read_only: bool = False,
                  check: bool | str = True) -> Store:
    """Open (create, migrate) the database at ``location``: its ``Store``.

    ``synchronous="full"`` also survives power loss (each commit waits for the disk);
    ``read_only=True`` views a locked or read-only database (writes raise ``StoreError``);
    ``check="auto"`` skips the start-up ``quick_check`` of a large, cleanly closed file.
    Raises the ``StoreError`` subclasses of ``services.errors``.
    """
    if location.kind != SQLITE:
        raise UnsupportedLocationError(f"无法打开数据库位置 {location}:本版本只支持 SQLite")
    return open_store(location.path, synchronous=synchronous, read_only=read_only, check=check)
