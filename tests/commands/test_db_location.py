"""Which database a command opens — issue 16: the location chosen in Settings → 数据库 is
the commands' too (``serve``, ``export-handles`` …), in the window's order: ``--db``, then
``MIXTIMER_DB``, then Settings' location, then the user data folder's file. One function
decides it (``paths.resolve_db_path``), reading a file the commands read without Qt.

Code: paths.py (resolve_db_path, read/write_saved_location), cli.py, gui/settings.py
(database_location).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mixtimer_gui import paths
from mixtimer_gui.cli import main
from mixtimer_gui.services import Services

OBJECTS_CSV = "对象编号,对象名称\nac-1,空压机1号\n"


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This user's configuration folder, private to the test; no --db, no MIXTIMER_DB."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    return folder


def test_the_order_is_db_then_environment_then_settings_then_the_default(
        config_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.resolve_db_path() == paths.default_db_path()
    paths.write_saved_location(str(tmp_path / "saved.db"))
    assert paths.saved_location_file().is_relative_to(config_home)
    assert paths.resolve_db_path() == tmp_path / "saved.db"
    monkeypatch.setenv(paths.DB_ENV, str(tmp_path / "env.db"))
    assert paths.resolve_db_path() == tmp_path / "env.db"
    assert paths.resolve_db_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"
    monkeypatch.delenv(paths.DB_ENV)
    paths.write_saved_location("service=plant")  # a team database stays text
    assert paths.resolve_db_path() == "service=plant"
    paths.write_saved_location("")  # forgotten: the default again
    assert not paths.saved_location_file().exists()
    assert paths.resolve_db_path() == paths.default_db_path()


def test_an_unreadable_saved_location_falls_back_to_the_default(config_home: Path) -> None:
    paths.saved_location_file().parent.mkdir(parents=True)
    paths.saved_location_file().write_bytes(b"\xff\xfe\x00junk")
    assert paths.resolve_db_path() == paths.default_db_path()


def test_a_command_without_db_opens_the_location_chosen_in_settings(
        config_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "plant" / "plant.db"
    paths.write_saved_location(str(saved))
    table = tmp_path / "objects.csv"
    table.write_text(OBJECTS_CSV, encoding="utf-8")
    assert main(["import-objects", str(table)]) == 0
    services = Services.open(saved)
    try:
        assert [o["name"] for o in services.objects.list({})["data"]] == ["空压机1号"]
    finally:
        services.close()
    assert not paths.default_db_path().exists()

    paths.write_saved_location(str(tmp_path / "gone.db"))
    assert main(["export-handles", "--out", str(tmp_path / "x.csv")]) == 1
    assert str(tmp_path / "gone.db") in capsys.readouterr().err


def test_a_headless_command_reads_the_location_without_loading_qt(
        config_home: Path, tmp_path: Path) -> None:
    paths.write_saved_location(str(tmp_path / "plant.db"))
    probe = ("import sys; from mixtimer_gui import cli, paths; "
             "print(paths.resolve_db_path()); print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == [str(tmp_path / "plant.db"), "False"]
