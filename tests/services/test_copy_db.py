"""``mixtimer-gui copy-db`` — issue 16: "moves a single-workstation database into PostgreSQL
(and back), refuses a non-empty target, and verifies counts and checksums". Real databases
on both engines: a demo SQLite file, a fresh PostgreSQL database of the throw-away cluster.

Code: store/transfer.py, services/copying.py, commands/copy_db.py.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from mixtimer_gui import cli
from mixtimer_gui.demo.loader import generate
from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.services.copying import CopyError, copy_database
from mixtimer_gui.services.location import Location, open_location
from mixtimer_gui.store.transfer import Tally, checksums, copied_models

SIZES = {"objects": 12, "projects": 5, "handles": 300}


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "plant.db"
    now = int(datetime(2026, 3, 15, 10, 0, tzinfo=clock.local_zone()).timestamp())
    generate(path, seed=3, now=now, **SIZES)
    return path


def sums(where: Path | str) -> dict[str, tuple[int, str]]:
    store = open_location(Location.parse(where))
    try:
        return {t: (tally.rows, tally.checksum) for t, tally in checksums(store).items()}
    finally:
        store.close()


def copy_cli(source: Path | str, target: Path | str,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(["copy-db", "--from", str(source), "--to", str(target)])
    out, err = capsys.readouterr()
    return status, out, err


def test_sqlite_to_postgresql_and_back_keeps_every_row(
        demo_file: Path, pg_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = copy_cli(demo_file, pg_url, capsys)
    assert (status, err) == (0, "")
    assert "核对一致" in out and f"handle: {SIZES['handles']} 行" in out
    original = sums(demo_file)
    assert sums(pg_url) == original
    assert original["handle"][0] == SIZES["handles"]  # the demo is really in there

    back = tmp_path / "offline" / "back.db"
    status, out, err = copy_cli(pg_url, back, capsys)
    assert (status, err) == (0, "")
    assert sums(back) == original


def test_a_copy_longer_than_the_statement_limit_still_completes(
        demo_file: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's time limit, meant for a stuck server under the window, must not end a
    big table's COPY: here the handle rows arrive 1.5 s late under a 1 s limit (the real
    case: a million handles on a busy machine took longer than the 60 s limit)."""
    from mixtimer_gui.store import postgres, transfer

    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_S", 1)
    original = transfer.write_rows

    def late(store: object, model: object, rows: object, on_row: object) -> None:
        def slowly(rows: object) -> object:
            for i, row in enumerate(rows):  # type: ignore[call-overload]
                if i == 0 and model._meta.table_name == "handle":  # type: ignore[attr-defined]
                    time.sleep(1.5)  # real time: the server's limit runs on its own clock
                yield row
        original(store, model, slowly(rows), on_row)  # type: ignore[arg-type]

    monkeypatch.setattr(transfer, "write_rows", late)
    copy_database(demo_file, pg_url)
    assert sums(pg_url) == sums(demo_file)


def test_the_team_database_goes_on_numbering_after_the_copied_ids(
        demo_file: Path, pg_url: str, fake_clock: FakeClock,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert copy_cli(demo_file, pg_url, capsys)[0] == 0
    team = Services.open(pg_url, clock=fake_clock)
    try:
        before = team.objects.list({"page_size": 1})["total_records"]
        # an identity sequence left at 1 would collide with the copied ids here
        team.objects.create({"uid": "NEW-1", "name": "新设备"})
        assert team.objects.list({"page_size": 1})["total_records"] == before + 1
    finally:
        team.close()


def test_a_target_with_data_is_refused_and_left_alone(
        demo_file: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert copy_cli(demo_file, pg_url, capsys)[0] == 0
    before = sums(pg_url)
    status, out, err = copy_cli(demo_file, pg_url, capsys)
    assert status == 1 and out == ""
    assert "不是空的" in err and "handle" in err and len(err.strip().splitlines()) == 1
    assert sums(pg_url) == before


def test_sqlite_to_sqlite_copies_every_table_of_the_store(demo_file: Path,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    report = copy_database(demo_file, target)
    store = open_location(Location.parse(target))
    try:
        tables = {m._meta.table_name for m in copied_models(store)}
    finally:
        store.close()
    # every model's table but the migration record, whichever steps added them
    assert {t.table for t in report.tables} == tables
    assert "schema_version" not in tables and {"handle", "setting", "reading"} <= tables
    assert sums(target) == sums(demo_file)
    assert report.count("handle") == SIZES["handles"]


def test_a_table_nobody_knows_is_refused_rather_than_left_behind(
        demo_file: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_file) as conn:
        conn.execute('CREATE TABLE "from_the_future" ("x" INTEGER)')
    conn.close()
    target = tmp_path / "copy.db"
    with pytest.raises(CopyError, match="from_the_future"):
        copy_database(demo_file, target)


def test_a_missing_source_or_the_same_database_changes_nothing(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    status, _, err = copy_cli(missing, tmp_path / "t.db", capsys)
    assert status == 1 and "不存在" in err and "--from" in err
    assert not (tmp_path / "t.db").exists()
    status, _, err = copy_cli(demo_file, demo_file, capsys)
    assert status == 1 and "同一个数据库" in err


def test_the_checksum_sees_values_not_order() -> None:
    a, b, c = Tally(), Tally(), Tally()
    for row in [(1, "x", 2.5, None), (2, "y", 0.1, b"\x00")]:
        a.add(row)
    for row in [(2, "y", 0.1, b"\x00"), (1, "x", 2.5, None)]:
        b.add(row)
    for row in [(1, "x", 2.5, None), (2, "y", 0.1, b"\x01")]:
        c.add(row)
    assert a.checksum == b.checksum != c.checksum
    one, other = Tally(), Tally()
    one.add((1,))
    other.add((1.0,))
    assert one.checksum != other.checksum  # an integer that became a float is a difference
