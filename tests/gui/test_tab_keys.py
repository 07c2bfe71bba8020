"""Ctrl+1…6 and the View menu's tab entries open their own tab, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.main_window import TAB_SPECS, MainWindow

KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6)


@pytest.fixture
def shown(window: MainWindow, qtbot: Any) -> MainWindow:
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
    return window


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_ctrl_number_opens_that_tab(shown: MainWindow, qtbot: Any, language: str) -> None:
    i18n.install_language(language)
    qtbot.keyClick(shown, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert shown.tabs.currentWidget() is shown.tab_by_key["tasks"]
    for number in (5, 1, 4, 0, 2):  # not in order, and back to the first
        qtbot.keyClick(shown, KEYS[number], Qt.KeyboardModifier.ControlModifier)
        assert shown.tabs.currentIndex() == number, (language, number)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_view_menu_entries_open_their_tab(shown: MainWindow, language: str) -> None:
    i18n.install_language(language)
    entries = [a for a in shown.view_menu.actions() if a in shown.tab_actions]
    assert len(entries) == len(TAB_SPECS)
    for number in reversed(range(len(entries))):
        entries[number].trigger()
        assert shown.tabs.currentIndex() == number
        assert shown.tabs.tabText(number) == entries[number].text()
