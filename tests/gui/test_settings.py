"""AppSettings: typed values survive a reopen; junk in the file falls back to defaults."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray

from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services.events import ChangeBus


def test_defaults(settings_path: Path, qapp: object) -> None:
    s = AppSettings(settings_path)
    assert s.language == "zh_CN"
    assert s.overdue_repeat_hours == 24
    assert (s.api_enabled, s.api_port, s.api_bind, s.api_token) == (False, 8848,
                                                                     "127.0.0.1", "")
    assert s.column_widths("handles") == []
    assert s.window_geometry.isEmpty()


def test_values_persist_across_instances(settings_path: Path, qapp: object) -> None:
    s = AppSettings(settings_path)
    s.language = "en"
    s.overdue_repeat_hours = 6
    s.api_enabled = True
    s.api_port = 9000
    s.api_bind = " 0.0.0.0 "
    s.api_token = "secret"
    s.set_column_widths("handles", [100, 250, 80])
    s.set_splitter_state("handles", QByteArray(b"\x01\x02"))
    s.sync()
    t = AppSettings(settings_path)
    assert t.language == "en"
    assert t.overdue_repeat_hours == 6
    assert (t.api_enabled, t.api_port, t.api_bind, t.api_token) == (True, 9000, "0.0.0.0",
                                                                     "secret")
    assert t.column_widths("handles") == [100, 250, 80]
    assert bytes(t.splitter_state("handles").data()) == b"\x01\x02"


def test_junk_in_the_file_falls_back_to_defaults(settings_path: Path, qapp: object) -> None:
    settings_path.write_text("[ui]\nlanguage=klingon\n[reminders]\noverdue_repeat_hours=x\n"
                             "[api]\nport=99999\n[columns]\nhandles=a,b\n", encoding="utf-8")
    s = AppSettings(settings_path)
    assert s.language == "zh_CN"
    assert s.overdue_repeat_hours == 24
    assert s.api_port == 8848
    assert s.column_widths("handles") == []


def test_the_last_reminder_shown_is_kept_per_database(settings_path: Path,
                                                      qapp: object) -> None:
    s = AppSettings(settings_path)
    assert s.reminders_shown_up_to("/data/plant.db") is None
    s.set_reminders_shown_up_to("/data/plant.db", 41)
    s.set_reminders_shown_up_to("/home/me/.local/share/mixtimer/team/plant-0a1b", 7)
    s.sync()
    t = AppSettings(settings_path)
    assert t.reminders_shown_up_to("/data/plant.db") == 41
    assert t.reminders_shown_up_to("/home/me/.local/share/mixtimer/team/plant-0a1b") == 7
    assert t.reminders_shown_up_to("/data/other.db") is None
    key = next(k for k in t._qs.allKeys() if k.startswith("reminders/shown_up_to/"))
    t._set(key, "junk")
    assert None in (t.reminders_shown_up_to("/data/plant.db"),
                    t.reminders_shown_up_to("/home/me/.local/share/mixtimer/team/plant-0a1b"))


def test_bridge_delivers_worker_thread_changes_on_the_gui_thread(qtbot: Any) -> None:
    bus = ChangeBus()
    bridge = ChangeBridge(bus)
    seen: list[tuple[str, list, bool]] = []
    gui_thread = threading.current_thread()
    bridge.changed.connect(lambda e, u: seen.append(
        (e, u, threading.current_thread() is gui_thread)))
    worker = threading.Thread(target=bus.publish, args=("handle", ("MTH1", "MTH2")))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [("handle", ["MTH1", "MTH2"], True)]
    bridge.close()
    bus.publish("handle", ("MTH3",))
    qtbot.wait(10)
    assert len(seen) == 1


# -- the settings dialog ----------------------------------------------------------------------

def _dialog(app_settings: AppSettings, services: Any, qtbot: Any) -> Any:
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(app_settings, services)
    qtbot.addWidget(dialog)
    return dialog


def test_a_network_bind_without_token_is_refused_next_to_the_token(
        app_settings: AppSettings, services: Any, qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    assert dialog.ok_button.isEnabled()
    dialog.bind_edit.setText("0.0.0.0")
    assert not dialog.ok_button.isEnabled()
    assert dialog.api_error.isVisibleTo(dialog) and "0.0.0.0" in dialog.api_error.text()
    dialog.accept()  # refused: nothing saved
    assert AppSettings(app_settings.file_name()).api_bind == "127.0.0.1"
    dialog._generate_token()
    assert len(dialog.token_edit.text()) >= 24
    assert dialog.ok_button.isEnabled() and not dialog.api_error.isVisibleTo(dialog)
    dialog.api_enabled_check.setChecked(True)
    dialog.port_spin.setValue(9100)
    dialog.accept()
    saved = AppSettings(app_settings.file_name())
    assert (saved.api_enabled, saved.api_port, saved.api_bind) == (True, 9100, "0.0.0.0")
    assert saved.api_token == dialog.token_edit.text()


def test_language_change_is_reported(app_settings: AppSettings, services: Any,
                                     qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    dialog.accept()
    assert not dialog.language_changed
    dialog = _dialog(app_settings, services, qtbot)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.accept()
    assert dialog.language_changed and app_settings.language == "en"


def test_data_folder_is_shown_and_opened(app_settings: AppSettings, services: Any,
                                         qtbot: Any, db_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    assert dialog.folder_label.text() == str(db_path.parent)
    opened: list[str] = []
    monkeypatch.setattr("mixtimer_gui.gui.settings_dialog.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    assert dialog.open_data_folder()
    assert opened == [str(db_path.parent)]


def test_backup_now_and_restore(app_settings: AppSettings, services: Any, qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    if dialog.backups is None:
        pytest.skip("this build has no backup module")
    assert dialog.backup_box.isVisibleTo(dialog)
    services.objects.create({"uid": "KEEP", "name": "备份前"})
    path = dialog.backup_now()
    assert path is not None and path.exists()
    assert dialog.backup_list.count() == 1
    services.objects.create({"uid": "LATER", "name": "备份后"})
    heard: list[str] = []
    services.bus.subscribe(lambda entity, _uids: heard.append(entity))
    assert dialog.restore_from(path)
    uids = {o["uid"] for o in services.objects.list({"page_size": 10})["data"]}
    assert uids == {"KEEP"}
    assert "object" in heard  # open lists reload after the swap


def test_a_damaged_backup_is_refused_and_nothing_changes(app_settings: AppSettings,
                                                         services: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    if dialog.backups is None:
        pytest.skip("this build has no backup module")
    services.objects.create({"uid": "KEEP", "name": "现有"})
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all" * 100)
    assert not dialog.restore_from(bogus)
    assert dialog.backup_status.text()
    assert services.objects.get({"uid": "KEEP"})["name"] == "现有"


def test_overdue_repeat_reaches_the_running_reminders(app_settings: AppSettings, services: Any,
                                                      qtbot: Any) -> None:
    dialog = _dialog(app_settings, services, qtbot)
    dialog.repeat_spin.setValue(6)
    dialog.accept()
    assert app_settings.overdue_repeat_hours == 6
    assert services.reminders.repeat_hours() == 6


def test_allowed_hosts_and_origins_are_typed_checked_and_kept(
        app_settings: AppSettings, services: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    dialog = _dialog(app_settings, services, qtbot)
    dialog.show()
    qtbot.keyClicks(dialog.origins_edit, "dashboard.local")  # no scheme: not an origin
    assert not dialog.ok_button.isEnabled()
    assert dialog.api_error.isVisibleTo(dialog) and "dashboard.local" in dialog.api_error.text()
    qtbot.keyClick(dialog.origins_edit, Qt.Key.Key_Return)  # refused: nothing saved
    assert AppSettings(app_settings.file_name()).api_allowed_origins == []
    dialog.origins_edit.clear()
    qtbot.keyClicks(dialog.origins_edit, "http://Dashboard.local:8080")
    qtbot.keyClicks(dialog.hosts_edit, "workstation.local, plant.local")
    assert dialog.ok_button.isEnabled() and not dialog.api_error.isVisibleTo(dialog)
    qtbot.keyClick(dialog.hosts_edit, Qt.Key.Key_Return)
    saved = AppSettings(app_settings.file_name())
    assert saved.api_allowed_hosts == ["workstation.local", "plant.local"]
    assert saved.api_allowed_origins == ["http://Dashboard.local:8080"]
    again = _dialog(saved, services, qtbot)
    assert again.hosts_edit.text() == "workstation.local plant.local"
