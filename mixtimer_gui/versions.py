"""The versions an About box shows and a bug report wants: the app, Python and SQLite.

No Qt here (only ``gui/`` imports it): the window adds Qt's and PySide6's own. The services
offer no call for the database engine's version, so SQLite's is read from the library the
store opens the database with, by Peewee's own rule: ``pysqlite3`` when it is installed and
newer than the standard ``sqlite3`` module's library, else that one.
"""

from __future__ import annotations

import importlib
import platform
import sqlite3

from mixtimer_gui import __version__


def sqlite_version() -> str:
    version, info = sqlite3.sqlite_version, sqlite3.sqlite_version_info
    try:
        other = importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        return version
    return other.sqlite_version if other.sqlite_version_info >= info else version


def runtime_versions() -> list[tuple[str, str]]:
    """``(name, version)`` pairs, the app first."""
    return [("MixTimer", __version__),
            ("Python", platform.python_version()),
            ("SQLite", sqlite_version())]
