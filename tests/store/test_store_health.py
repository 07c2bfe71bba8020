"""The store's sentences: one template per condition, and errors that name their file.

Code: store/errors.py (the sentences, StoreError, explain_write_error), store/probe.py
(classify_read_error), store/health.py, store/db.py (open_database).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
import pytest

from mixtimer_gui.store import db as store_db
from mixtimer_gui.store import errors, health, probe
from mixtimer_gui.store.db import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
)
from mixtimer_gui.store.errors import DiskFullError
from mixtimer_gui.store.health import Health
from mixtimer_gui.store.migrations import LATEST_VERSION


def sqlite_error(name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(name.lower())
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


@pytest.fixture
def made(db_path: Path) -> Path:
    store_db.open_database(db_path).close()
    return db_path


def test_a_newer_schema_is_told_in_one_sentence_wherever_it_is_met(made: Path) -> None:
    newer = LATEST_VERSION + 1
    conn = sqlite3.connect(made)
    conn.execute('INSERT INTO "schema_version" VALUES (?, 0)', (newer,))
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError) as opening:
        store_db.open_database(made)
    with pytest.raises(SchemaTooNewError) as viewing:
        store_db.open_database(made, read_only=True)
    report = health.check_database(made)
    expected = errors.schema_too_new_message(made, newer)
    assert str(opening.value) == str(viewing.value) == report.message == expected
    assert f"{newer}" in expected and f"{LATEST_VERSION}" in expected
    assert report.state is Health.NEWER_SCHEMA
    assert opening.value.path == viewing.value.path == made


def test_a_store_error_names_no_file_unless_told() -> None:
    assert StoreError("出错了").path is None
    assert StoreError("出错了", path=Path("x.db")).path == Path("x.db")


@pytest.mark.parametrize(("name", "kind"), [
    ("SQLITE_CORRUPT", DamagedDatabaseError), ("SQLITE_NOTADB", NotADatabaseError),
    ("SQLITE_BUSY", DatabaseLockedError), ("SQLITE_FULL", DiskFullError),
    ("SQLITE_IOERR", StoreError)])
def test_an_error_met_reading_a_file_carries_that_file(made: Path, name: str,
                                                       kind: type[StoreError]) -> None:
    error = probe.classify_read_error(made, sqlite_error(name))
    assert type(error) is kind
    assert error.path == made  # the recovery dialog offers this file's backups


def test_a_read_only_file_found_at_opening_carries_that_file(
        made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(probe, "is_writable", lambda _path: False)
    with pytest.raises(ReadOnlyDatabaseError) as caught:
        health.preflight(made, quick_check=False)
    assert caught.value.path == made
    assert str(caught.value) == errors.read_only_message(made)


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("SQLITE_READONLY", ReadOnlyDatabaseError, errors.read_only_message),
    ("SQLITE_BUSY", DatabaseLockedError, errors.locked_message)])
def test_a_refused_write_says_the_change_is_lost(name: str, kind: type[StoreError],
                                                message) -> None:
    error = errors.explain_write_error(peewee.OperationalError(sqlite_error(name)))
    assert isinstance(error, kind)
    assert str(error) == message(None, write_failed=True)
    assert "修改没有保存" in str(error)
    # The user may already be viewing read-only: that is not offered as the way out.
    assert "只读方式查看" not in str(error)
    assert "只读方式查看" in message(Path("x.db"))
