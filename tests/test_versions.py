"""The versions the About box shows (no Qt: the window adds Qt's own)."""

from __future__ import annotations

import platform
import sqlite3
import types
from typing import Any

import pytest

from mixtimer_gui import __version__, versions


def test_the_app_python_and_sqlite_versions() -> None:
    assert versions.runtime_versions() == [("MixTimer", __version__),
                                           ("Python", platform.python_version()),
                                           ("SQLite", versions.sqlite_version())]


@pytest.mark.parametrize(("other", "expected"), [((99, 0, 0), "99.0.0"), ((1, 0, 0), None)])
def test_sqlite_is_the_library_peewee_would_use(monkeypatch: pytest.MonkeyPatch,
                                                other: tuple[int, int, int],
                                                expected: str | None) -> None:
    """Peewee takes pysqlite3 when it is installed and newer than the standard module."""
    fake = types.SimpleNamespace(sqlite_version=".".join(map(str, other)),
                                 sqlite_version_info=other)
    real_import = versions.importlib.import_module

    def import_module(name: str, *args: Any) -> Any:
        return fake if name == "pysqlite3.dbapi2" else real_import(name, *args)

    monkeypatch.setattr(versions.importlib, "import_module", import_module)
    assert versions.sqlite_version() == (expected or sqlite3.sqlite_version)
