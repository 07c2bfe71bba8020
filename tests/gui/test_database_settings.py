"""Settings → 数据库 — issue 16: the current location (never a password), another location
with 测试连接 (off the GUI thread; one sentence for a refused login, an unreachable server, a
missing database), taking effect at the next start after --db and MIXTIMER_DB, pg_dump
instead of file backups in team mode, and 导出离线副本. Team mode on the throw-away cluster.

Code: gui/database_settings.py, gui/settings_dialog.py, services/location.py
(check_location), services/copying.py (export_offline_copy), paths.py (resolve_db_path).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pg_cluster as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.paths import DB_ENV, resolve_db_path
from mixtimer_gui.services import Services


def _dialog(app_settings: AppSettings, services: Services, qtbot: Any) -> Any:
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(app_settings, services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _test_connection(dialog: Any, qtbot: Any, text: str) -> str:
    box = dialog.database_box
    box.location_edit.clear()
    qtbot.keyClicks(box.location_edit, text)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.test_button.isEnabled(), timeout=15_000)
    return box.test_status.text()


@pytest.fixture
def team(pg_database_url: str, fake_clock: FakeClock) -> Iterator[Services]:
    services = Services.open(pg_database_url, clock=fake_clock)
    yield services
    services.close()


def test_a_location_typed_is_kept_for_the_next_start_after_db_and_env(
        app_settings: AppSettings, services: Services, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    box = dialog.database_box
    assert box.current_value.text() == str(services.location)
    other = tmp_path / "plant" / "other.db"
    text = _test_connection(dialog, qtbot, str(other))
    assert "will be created" in text and not other.exists()  # a test creates nothing
    qtbot.keyClick(box.location_edit, Qt.Key.Key_Return)  # OK
    saved = AppSettings(app_settings.file_name()).database_location
    assert saved == str(other)
    monkeypatch.delenv(DB_ENV, raising=False)
    assert resolve_db_path(None, saved=saved) == other
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    assert resolve_db_path(None, saved=saved) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "cli.db"), saved=saved) == tmp_path / "cli.db"


def test_the_window_and_the_commands_keep_the_location_in_one_place(
        app_settings: AppSettings, qapp: Any) -> None:
    from mixtimer_gui import paths

    assert AppSettings()._location_file == paths.saved_location_file()  # the commands' file
    app_settings.database_location = " service=plant "
    assert paths.read_saved_location(app_settings._location_file) == "service=plant"


def test_a_location_kept_by_an_earlier_version_moves_to_the_shared_file(
        settings_path: Path, qapp: Any) -> None:
    settings_path.write_text("[database]\nlocation=/data/plant.db\n", encoding="utf-8")
    settings = AppSettings(settings_path)
    assert settings.database_location == "/data/plant.db"
    settings.sync()
    assert "location" not in settings_path.read_text(encoding="utf-8")
    assert AppSettings(settings_path).database_location == "/data/plant.db"


def test_a_location_that_cannot_be_kept_says_so_and_the_dialog_stays(
        app_settings: AppSettings, services: Services, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui import paths

    def refuse(value: str, file: Path | None = None) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(paths, "write_saved_location", refuse)
    dialog = _dialog(app_settings, services, qtbot)
    box = dialog.database_box
    qtbot.keyClicks(box.location_edit, str(tmp_path / "other.db"))
    qtbot.keyClick(box.location_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert box.test_status.text() == ("The location could not be kept for the next start: "
                                      "Permission denied")


def test_a_password_in_the_location_is_never_saved(app_settings: AppSettings,
                                                   services: Services, qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    box = dialog.database_box
    qtbot.keyClicks(box.location_edit, "postgresql://maint:secret@db.plant/mixtimer")
    qtbot.keyClick(box.location_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # OK refused
    assert "secret" not in box.test_status.text() and ".pgpass" in box.test_status.text()
    assert AppSettings(app_settings.file_name()).database_location == ""


def test_team_mode_explains_pg_dump_instead_of_file_backups(
        app_settings: AppSettings, team: Services, qtbot: Any) -> None:
    dialog = _dialog(app_settings, team, qtbot)
    box = dialog.database_box
    assert box.current_value.text() == str(team.location)
    assert box.dump_edit.isVisible() and box.dump_edit.text().startswith("pg_dump -Fc -d ")
    assert str(team.location) in box.dump_edit.text()
    qtbot.mouseClick(box.copy_command_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == box.dump_edit.text()
    assert not dialog.backup_list.isVisible() and not dialog.backup_button.isVisible()
    assert "pg_dump" in dialog.backup_status.text()


def test_single_workstation_mode_keeps_its_backups_and_shows_no_pg_dump(
        app_settings: AppSettings, services: Services, qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    assert dialog.backup_list.isVisible() and dialog.backup_button.isVisible()
    assert not dialog.database_box.dump_edit.isVisible()


@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")  # "cannot reach" is logged
def test_the_connection_test_says_what_is_wrong_in_one_sentence(
        app_settings: AppSettings, team: Services, qtbot: Any,
        pg_cluster: pg.Cluster) -> None:
    dialog = _dialog(app_settings, team, qtbot)
    assert "Connected" in _test_connection(dialog, qtbot, str(team.location))
    missing = pg_cluster.url("no_such_db")
    assert "没有名为 no_such_db 的数据库" in _test_connection(dialog, qtbot, missing)
    nobody = missing.replace("postgres@", "nobody@").replace("no_such_db", "postgres")
    assert "无法登录数据库服务器" in _test_connection(dialog, qtbot, nobody)
    unreachable = _test_connection(
        dialog, qtbot, "postgresql://postgres@/postgres?host=/nonexistent-socket-dir")
    assert "服务器没有应答" in unreachable


def test_an_offline_copy_of_the_team_database_opens_on_its_own(
        app_settings: AppSettings, team: Services, qtbot: Any, tmp_path: Path,
        fake_clock: FakeClock) -> None:
    team.objects.create({"uid": "PUMP-1", "name": "循环泵"})
    dialog = _dialog(app_settings, team, qtbot)
    box = dialog.database_box
    target = tmp_path / "offline" / "copy.db"
    box.export_offline_copy(target)
    qtbot.waitUntil(lambda: box.offline_button.isEnabled(), timeout=30_000)
    assert "checksum" in box.offline_status.text()
    alone = Services.open(target, clock=fake_clock)
    try:
        assert not alone.location.is_server
        assert alone.objects.get({"uid": "PUMP-1"})["name"] == "循环泵"
    finally:
        alone.close()
    box.export_offline_copy(target)  # a second copy onto the first is refused
    qtbot.waitUntil(lambda: box.offline_button.isEnabled(), timeout=30_000)
    assert "不是空的" in box.offline_status.text()
