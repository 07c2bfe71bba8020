"""``demo-data`` on a team database — issue 16: "demo-data loads with COPY". The same seed
gives the same rows on PostgreSQL as on SQLite: every table's count and checksum agree
(``store.transfer``), and the team database goes on numbering after the loaded ids.

Code: store/bulk.py (CopyWriter, bulk_load), commands/demo_data.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from mixtimer_gui import cli
from mixtimer_gui.demo.loader import load
from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.services.location import Location, open_location
from mixtimer_gui.store.transfer import checksums

NOW = int(datetime(2026, 3, 15, 10, 0, tzinfo=clock.local_zone()).timestamp())
SIZES = {"objects": 15, "projects": 6, "handles": 400}


def sums(where: Path | str) -> dict[str, tuple[int, str]]:
    store = open_location(Location.parse(where))
    try:
        return {t: (tally.rows, tally.checksum) for t, tally in checksums(store).items()}
    finally:
        store.close()


def fill(where: Path | str) -> None:
    store = open_location(Location.parse(where))
    try:
        load(store.db, seed=5, now=NOW, **SIZES)
    finally:
        store.close()


def test_the_same_demo_on_both_engines(pg_url: str, tmp_path: Path) -> None:
    file = tmp_path / "demo.db"
    fill(file)
    fill(pg_url)
    on_file, on_server = sums(file), sums(pg_url)
    assert on_server["handle"][0] == SIZES["handles"]
    assert on_server == on_file


def test_the_command_loads_a_team_database_and_refuses_a_second_time(
        pg_url: str, fake_clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["demo-data", "--db", pg_url, "--objects", "5", "--projects", "2",
            "--handles", "50"]
    assert cli.main(args) == 0
    assert cli.main(args) == 1
    assert "已有维保项目" in capsys.readouterr().err
    team = Services.open(pg_url, clock=fake_clock)
    try:
        assert team.handles.list({"page_size": 1})["total_records"] == 50
        task = team.tasks.list({"page_size": 1})["data"][0]["uid"]
        # the identity sequence was moved past the loaded handle ids: no collision
        team.handles.handle({"task_id": task, "handler_id_list": [1], "result": "好"})
        assert team.handles.list({"page_size": 1})["total_records"] == 51
    finally:
        team.close()
