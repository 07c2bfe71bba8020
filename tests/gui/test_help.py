"""The Help menu: the guide (F1), the shortcut list, the data folder and About."""

from __future__ import annotations

import platform
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from mixtimer_gui.exports import columns
from mixtimer_gui.exports import csv_import as csv_import_module
from mixtimer_gui.exports.csv_export import COLUMNS as EXPORT_COLUMNS
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.help_dialogs import (
    AboutDialog,
    GuideDialog,
    ShortcutsDialog,
    fill,
    guide_template,
    placeholders,
)
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Services


def _open_guide(window: MainWindow, qtbot: Any) -> GuideDialog:
    with qtbot.waitActive(window):  # shortcuts fire only in the active window
        window.show()
        window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help.guide_dialog is not None
                    and window.help.guide_dialog.isVisible(), timeout=3000)
    return window.help.guide_dialog


def _open_dialog(window: MainWindow, action: QAction, kind: type, qtbot: Any) -> Any:
    action.trigger()
    found: list[Any] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=3000)
    dialog = found[0]
    qtbot.addWidget(dialog)
    return dialog


# -- the guide --------------------------------------------------------------------------------


def test_f1_opens_the_guide_in_english_with_english_headings(window: MainWindow,
                                                             qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    titles = guide.section_titles()
    for heading in ("Cycles and anchors", "Reminder lead time (notice)",
                    "Statistics and forecasts", "Reminders and pause", "The action API",
                    "CSV import", "CSV export", "Data and backups"):
        assert heading in titles
    assert guide.windowTitle() == "MixTimer user guide"
    assert "{{" not in guide.plain_text()


def test_the_guide_follows_the_language_live(window: MainWindow, qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    i18n.install_language("zh_CN")
    qtbot.waitUntil(lambda: "周期与起算方式" in guide.section_titles(), timeout=3000)
    for heading in ("提醒提前量", "统计与预测", "提醒与暂停", "动作 API", "CSV 导入",
                    "CSV 导出", "数据与备份"):
        assert heading in guide.section_titles()
    assert guide.windowTitle() == "MixTimer 使用指南"
    assert "Cycles and anchors" not in guide.section_titles()
    assert window.help.guide_action.text() == "使用指南(&U)"


def test_the_guide_opens_in_chinese_in_a_chinese_window(services: Services,
                                                        app_settings: AppSettings,
                                                        qtbot: Any) -> None:
    i18n.install_language("zh_CN")
    window = MainWindow(services, app_settings)
    qtbot.addWidget(window)
    guide = _open_guide(window, qtbot)
    assert "月末规则" in guide.section_titles()
    assert "The month-end rule" not in guide.plain_text()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_placeholder_of_the_guide_has_a_value(window: MainWindow, language: str,
                                                    qtbot: Any) -> None:
    guide = GuideDialog(window)
    qtbot.addWidget(guide)
    template = guide_template(language)
    values = guide.values()
    assert placeholders(template) <= set(values)
    assert "{{" not in fill(template, values)


def test_both_languages_fill_the_same_placeholders() -> None:
    assert placeholders(guide_template("en")) == placeholders(guide_template("zh_CN"))


def test_the_csv_columns_shown_are_the_import_and_export_tables(window: MainWindow,
                                                                qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    text = guide.plain_text()
    for kind in (columns.OBJECTS, columns.READINGS):
        accepted = csv_import_module._HEADERS[kind]
        assert set(accepted) == columns.accepted_headers(kind)
        listed = [name for column in columns.import_columns(kind) for name in column.names]
        assert sorted(listed) == sorted(accepted)  # each once, none missing
        for name in accepted:
            assert name in text
        required = {c.field for c in columns.import_columns(kind) if c.required}
        assert required == set(csv_import_module._REQUIRED[kind])
    for wire, title in EXPORT_COLUMNS:
        assert wire in text and title in text


def test_a_new_import_synonym_appears_in_the_guide(window: MainWindow, qtbot: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    table = dict(csv_import_module._HEADERS[columns.OBJECTS], 设备位置="location")
    monkeypatch.setitem(csv_import_module._HEADERS, columns.OBJECTS, table)
    guide = _open_guide(window, qtbot)
    assert "设备位置" in guide.plain_text()


def test_the_api_address_and_token_state_follow_the_settings(window: MainWindow,
                                                              qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    assert "http://127.0.0.1:8848/mixtimer/api" in guide.plain_text()
    assert "Off." in guide.plain_text() and "None: requests need no token" in \
        guide.plain_text()
    guide.close()
    window.settings.api_enabled = True
    window.settings.api_bind = "192.168.7.20"
    window.settings.api_port = 9100
    window.settings.api_token = "s3cret-token"
    guide = _open_guide(window, qtbot)  # read again when shown
    text = guide.plain_text()
    assert "http://192.168.7.20:9100/mixtimer/api" in text
    assert "127.0.0.1:8848" not in text
    assert "On: served while this window is open" in text
    assert "Set: every request must carry it" in text
    assert "Authorization: Bearer <token>" in text
    assert "s3cret-token" not in text  # the guide names the token, never shows it


def test_the_guide_names_this_workstations_folders_and_settings(
        window: MainWindow, services: Services, qtbot: Any) -> None:
    window.settings.overdue_repeat_hours = 6
    text = _open_guide(window, qtbot).plain_text()
    database = Path(str(services.db.database))
    assert str(database) in text
    assert str(database.parent / "backups") in text
    assert "again every 6 h while" in text


def test_searching_the_guide_narrows_the_contents_and_finds_the_words(
        window: MainWindow, qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    everything = guide.section_titles(visible_only=True)
    qtbot.waitUntil(guide.isActiveWindow, timeout=3000)
    qtbot.keyClick(guide, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert guide.search.hasFocus()
    qtbot.keyClicks(guide.search, "month-end")
    shown = guide.section_titles(visible_only=True)
    assert "The month-end rule" in shown and "Cycles and anchors" in shown
    assert "CSV export" not in shown and len(shown) < len(everything)
    assert guide.browser.textCursor().selectedText().lower() == "month-end"
    assert guide.matches_label.text() == "1 hit"
    qtbot.keyClick(guide.search, Qt.Key.Key_Return)  # the next match, not "close"
    assert guide.isVisible()
    guide.search.clear()
    assert guide.section_titles(visible_only=True) == everything


def test_a_contents_entry_scrolls_to_its_section(window: MainWindow, qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)  # clicked at once: the page may still be laying out
    item = guide.contents_item("CSV import")
    qtbot.mouseClick(guide.contents.viewport(), Qt.MouseButton.LeftButton,
                     pos=guide.contents.visualItemRect(item).center())
    browser = guide.browser
    assert browser.verticalScrollBar().value() > 0
    top = browser.cursorForPosition(browser.viewport().rect().topLeft() + QPoint(20, 8))
    assert top.block().text() == "CSV import"


def test_the_guide_fits_a_small_screen(window: MainWindow, qtbot: Any) -> None:
    guide = _open_guide(window, qtbot)
    room = guide.screen().availableGeometry()
    assert guide.width() <= room.width() and guide.height() <= room.height()
    assert guide.minimumSizeHint().width() <= 1024 and guide.minimumSizeHint().height() <= 700


# -- shortcuts --------------------------------------------------------------------------------


def _every_key(window: MainWindow) -> set[str]:
    keys = set()
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            keys.add(key.toString(QKeySequence.SequenceFormat.NativeText))
    keys.discard("")
    return keys


def test_the_shortcut_list_holds_every_key_of_the_window(window: MainWindow,
                                                         qtbot: Any) -> None:
    window.show()
    window.tabs.setCurrentIndex(2)  # the Tasks tab binds Ctrl+F and F5 itself
    qtbot.waitUntil(lambda: window.tab_by_key.built() != [], timeout=3000)
    dialog = _open_dialog(window, window.help.shortcuts_action, ShortcutsDialog, qtbot)
    rows = dialog.rows()
    listed = {key for _where, _command, keys in rows for key in keys}
    assert _every_key(window) <= listed
    assert {"Ctrl+1", "Ctrl+6", "F1", "Ctrl+N", "Ctrl+F", "F5"} <= listed
    text = dialog.browser.toPlainText()
    assert "Ctrl+1" in text and "Overview" in text and "User guide" in text
    # The window lends Ctrl+F to the tab while the tab binds it: still listed under Find.
    assert ("Edit", "Find", ("Ctrl+F",)) in rows
    assert dialog.windowTitle() == "Keyboard shortcuts"


def test_a_new_action_shows_up_in_the_shortcut_list(window: MainWindow, qtbot: Any) -> None:
    extra = QAction("Frobnicate", window)
    extra.setShortcut(QKeySequence("Ctrl+Shift+Y"))
    window.addAction(extra)
    dialog = _open_dialog(window, window.help.shortcuts_action, ShortcutsDialog, qtbot)
    assert ("Window", "Frobnicate", ("Ctrl+Shift+Y",)) in dialog.rows()


# -- data folder ------------------------------------------------------------------------------


def test_open_the_data_folder_opens_the_databases_folder(
        window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    assert window.help.data_folder_action.isEnabled()
    window.help.data_folder_action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(Path(str(services.db.database)).parent)]
    assert "Data folder" not in [w.windowTitle() for w in QApplication.topLevelWidgets()
                                 if isinstance(w, QDialog) and w.isVisible()]


def test_the_data_folder_waits_for_the_database(app_settings: AppSettings, services: Services,
                                                qtbot: Any) -> None:
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    assert not window.help.data_folder_action.isEnabled()
    guide = window.help.show_guide()  # F1 works in the shell too
    assert "(the database is still opening)" in guide.plain_text()
    window.attach(services)
    assert window.help.data_folder_action.isEnabled()
    assert str(services.db.database) in window.help.show_guide().plain_text()


# -- about ------------------------------------------------------------------------------------


def test_about_shows_the_versions(window: MainWindow, qtbot: Any) -> None:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from mixtimer_gui import __version__

    dialog = _open_dialog(window, window.about_action, AboutDialog, qtbot)
    shown = {name: label.text() for name, label in dialog.version_labels.items()}
    assert shown == {"MixTimer": __version__, "Qt": qVersion(), "PySide6": pyside_version,
                     "Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.versions_text()
    assert f"SQLite {sqlite3.sqlite_version}" in dialog.versions_text()
    assert window.help.guide_action in window.help_menu.actions()
    assert window.help_menu.actions()[-1] is window.about_action
