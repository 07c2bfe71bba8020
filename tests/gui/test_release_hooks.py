"""What the release asks of the window: start at login in Settings, ``--minimized`` starting
hidden in the tray, and a title that names the app once."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from mixtimer_gui import desktop
from mixtimer_gui.desktop import APP_ID, RUN_KEY, WindowsRunKey, XdgAutostart
from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.settings_dialog import SettingsDialog

# -- the title --------------------------------------------------------------------------------


def shown_title(window: MainWindow) -> str:
    """The title as Qt's platform window writes it (QPlatformWindow::formatWindowTitle):
    the application's display name is appended unless the title already ends with it."""
    title, name = window.windowTitle(), QApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


@pytest.mark.parametrize(("language", "expected"), [("en", "Maintenance planner — MixTimer"),
                                                    ("zh_CN", "维保计划 — MixTimer")])
def test_the_title_names_the_app_once(window: MainWindow, qapp: Any, qtbot: Any,
                                      language: str, expected: str) -> None:
    app_module.make_application()
    i18n.install_language(language)
    assert QApplication.applicationDisplayName() == "MixTimer"
    qtbot.waitUntil(lambda: shown_title(window) == expected, timeout=2000)


def test_the_desktop_file_name_is_the_app_id(qapp: Any) -> None:
    app_module.make_application()
    assert QApplication.desktopFileName() == APP_ID


# -- start at login in Settings ---------------------------------------------------------------


def _dialog(app_settings: AppSettings, services: Any, qtbot: Any,
            autostart: desktop.Autostart) -> SettingsDialog:
    dialog = SettingsDialog(app_settings, services, autostart=autostart)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # mnemonics fire only in the active window
        dialog.show()
        dialog.activateWindow()
    return dialog


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _toggle_start_at_login(qtbot: Any, dialog: SettingsDialog) -> None:
    """Alt+A, the box's mnemonic (a button's mnemonic clicks it after a short animation)."""
    was = dialog.autostart_check.isChecked()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.autostart_check.isChecked() != was, timeout=2000)


def test_start_at_login_writes_and_removes_the_autostart_entry(
        app_settings: AppSettings, services: Any, qtbot: Any, tmp_path: Path,
        db_path: Path) -> None:
    autostart = XdgAutostart(tmp_path / "config")
    dialog = _dialog(app_settings, services, qtbot, autostart)
    assert dialog.autostart_check.isVisible() and not dialog.autostart_check.isChecked()
    _toggle_start_at_login(qtbot, dialog)
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    entry = autostart.path.read_text(encoding="utf-8")
    # The test's database is not the default one, so the entry names it.
    assert "--minimized" in entry and f"--db {db_path}" in entry

    dialog = _dialog(app_settings, services, qtbot, autostart)
    assert dialog.autostart_check.isChecked()  # read back from the entry itself
    _toggle_start_at_login(qtbot, dialog)
    assert not dialog.autostart_check.isChecked()
    _click(qtbot, dialog.ok_button)
    assert not autostart.path.exists()


def test_the_default_database_is_not_named_in_the_entry(
        app_settings: AppSettings, services: Any, qtbot: Any, tmp_path: Path, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixtimer_gui.gui.settings_dialog.default_db_path", lambda: db_path)
    autostart = XdgAutostart(tmp_path / "config")
    dialog = _dialog(app_settings, services, qtbot, autostart)
    assert dialog.database_argument() is None
    _toggle_start_at_login(qtbot, dialog)
    _click(qtbot, dialog.ok_button)
    assert "--db" not in autostart.path.read_text(encoding="utf-8")


class FakeRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str | bytes] = {}

    def get(self, key: str, name: str) -> str | bytes | None:
        return self.values.get((key, name))

    def set_string(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)


def test_on_windows_the_run_key_is_written(app_settings: AppSettings, services: Any,
                                           qtbot: Any) -> None:
    registry = FakeRegistry()
    dialog = _dialog(app_settings, services, qtbot, WindowsRunKey(registry))
    _toggle_start_at_login(qtbot, dialog)
    _click(qtbot, dialog.ok_button)
    assert str(registry.values[(RUN_KEY, APP_ID)]).endswith(" --minimized --db "
                                                            f"{services.location}")


@pytest.mark.expect_log("changing start at login failed")
def test_an_entry_that_cannot_be_written_keeps_the_dialog_open(
        app_settings: AppSettings, services: Any, qtbot: Any, tmp_path: Path) -> None:
    blocked = tmp_path / "config"
    blocked.write_text("a file where the folder should be")
    dialog = _dialog(app_settings, services, qtbot, XdgAutostart(blocked))
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    app_settings.language = "zh_CN"
    _toggle_start_at_login(qtbot, dialog)
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.autostart_error.isVisible()
    assert dialog.autostart_error.text().startswith("Start at login could not be changed")
    assert app_settings.language == "zh_CN"  # nothing else was saved either


def test_no_box_where_the_desktop_has_no_autostart(app_settings: AppSettings, services: Any,
                                                   qtbot: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    dialog = SettingsDialog(app_settings, services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.autostart is None and not dialog.autostart_check.isVisible()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


# -- --minimized ------------------------------------------------------------------------------


@pytest.fixture
def hidden_start(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> dict[str, Any]:
    """run_app without logging files or its own loop: ``exec_app`` waits until the window
    has its database and the background start ran, and records what the window was."""
    seen: dict[str, Any] = {}

    class SpiedStart(app_module.WindowStart):
        def __init__(self, app: Any, window: MainWindow, *args: Any, **kwargs: Any) -> None:
            super().__init__(app, window, *args, **kwargs)
            seen["window"] = window

    monkeypatch.setattr(app_module, "WindowStart", SpiedStart)
    monkeypatch.setattr(app_module, "hold_log_records", lambda: None)
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    monkeypatch.setattr(app_module, "leave_app", lambda app, status: None)
    monkeypatch.setattr(app_module, "start_daily_backups", lambda *a: None)

    def reminders(app: Any, window: Any, services: Any) -> Any:
        seen["reminders"] = True
        return SimpleNamespace(tray=object() if seen["tray"] else None)

    monkeypatch.setattr(app_module, "install_reminders", reminders)

    def loop(_app: Any) -> int:
        window = seen["window"]
        qtbot.waitUntil(lambda: window.is_attached() and "reminders" in seen, timeout=5000)
        seen["visible"], seen["minimized"] = window.isVisible(), window.isMinimized()
        window.hide()
        return 0

    monkeypatch.setattr(app_module, "exec_app", loop)
    return seen


@pytest.mark.parametrize(("tray", "visible", "minimized"), [(True, False, False),
                                                            (False, True, True)])
def test_minimized_starts_in_the_tray_or_minimised(
        db_path: Path, settings_path: Path, qapp: Any, hidden_start: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch, tray: bool, visible: bool, minimized: bool) -> None:
    hidden_start["tray"] = tray
    monkeypatch.setattr(app_module, "desktop_has_tray", lambda: tray)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path), minimized=True) == 0
    assert (hidden_start["visible"], hidden_start["minimized"]) == (visible, minimized)


def test_hidden_for_a_tray_that_does_not_come_shows_the_window_minimised(
        db_path: Path, settings_path: Path, qapp: Any, hidden_start: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    hidden_start["tray"] = False  # the reminders found no tray after all
    monkeypatch.setattr(app_module, "desktop_has_tray", lambda: True)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path), minimized=True) == 0
    assert (hidden_start["visible"], hidden_start["minimized"]) == (True, True)


def test_without_minimized_the_window_shows(db_path: Path, settings_path: Path, qapp: Any,
                                            hidden_start: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    hidden_start["tray"] = True
    monkeypatch.setattr(app_module, "desktop_has_tray", lambda: True)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert (hidden_start["visible"], hidden_start["minimized"]) == (True, False)
