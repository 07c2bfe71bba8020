"""Every dialog, in both languages: it fits a 1024×700 screen with its title bar, and no two
of its Alt+letter mnemonics share a letter (Alt+S that never saves)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dialogs_seed import Factory, every_dialog
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QDialog, QGroupBox, QLabel, QMenu, QWidget

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui import i18n, screens
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.services import Services

SMALL_SCREEN = QRect(0, 0, 1024, 700)
TITLE_BAR = 40  # a window manager's title bar: the dialog's client area is the rest
LANGUAGES = ["en", "zh_CN"]
MNEMONIC = re.compile(r"&(?!&)(\S)")


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(screens, "available_room", lambda widget=None: QRect(SMALL_SCREEN))
    return SMALL_SCREEN


@pytest.fixture
def dialogs(services: Services, fake_clock: FakeClock, window: MainWindow,
            tmp_path: Path) -> dict[str, Factory]:
    return every_dialog(services, fake_clock, window, tmp_path)


def built(dialogs: dict[str, Factory], qtbot: Any) -> Iterator[tuple[str, QDialog]]:
    for name, make in dialogs.items():
        dialog = make()
        qtbot.addWidget(dialog)
        yield name, dialog
        dialog.close()
        dialog.deleteLater()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dialog_fits_a_1024x700_screen(dialogs: dict[str, Factory], small_screen: QRect,
                                            qtbot: Any, language: str) -> None:
    i18n.install_language(language)
    width, height = small_screen.width(), small_screen.height() - TITLE_BAR
    too_big = []
    for name, dialog in built(dialogs, qtbot):
        for which, size in (("sizeHint", dialog.sizeHint()),
                            ("minimumSizeHint", dialog.minimumSizeHint()),
                            ("minimumSize", dialog.minimumSize()),
                            ("opens at", dialog.size())):
            if size.width() > width or size.height() > height:
                too_big.append(f"{name}: {which} {size.width()}×{size.height()}")
    assert too_big == []


def mnemonic_owners(root: QWidget) -> dict[str, list[str]]:
    """Each Alt+letter inside ``root`` and the texts that claim it."""
    owners: dict[str, list[str]] = {}
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QMenu) or widget.window() is not root:
            continue  # a menu's letters are its own; a child dialog is checked on its own
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            text = widget.text()
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            text = widget.title()
        else:
            continue
        for letter in MNEMONIC.findall(text.replace("&&", "")):
            owners.setdefault(letter.lower(), []).append(text)
    return owners


def clashes(owners: dict[str, list[str]]) -> dict[str, list[str]]:
    return {letter: texts for letter, texts in owners.items() if len(texts) > 1}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_dialog_gives_one_letter_to_two_controls(dialogs: dict[str, Factory], qtbot: Any,
                                                   language: str) -> None:
    i18n.install_language(language)
    found = {name: clashes(mnemonic_owners(dialog)) for name, dialog in built(dialogs, qtbot)}
    assert {name: c for name, c in found.items() if c} == {}
    # The letter the issue found twice: 下个周期起算 and 保存 now differ.
    form = next(make for name, make in dialogs.items() if name == "project-new")()
    qtbot.addWidget(form)
    owners = mnemonic_owners(form)
    assert [t for t in owners.get("s", []) if "下个周期" in t or "Next cycle" in t] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_menu_gives_one_letter_to_two_entries(window: MainWindow, language: str) -> None:
    i18n.install_language(language)
    bar = window.menuBar()
    menus = [("menu bar", bar)] + [(a.text(), a.menu()) for a in bar.actions() if a.menu()]
    found = {}
    for title, menu in menus:
        owners: dict[str, list[str]] = {}
        for action in menu.actions():
            for letter in MNEMONIC.findall(action.text().replace("&&", "")):
                owners.setdefault(letter.lower(), []).append(action.text())
        found[title] = clashes(owners)
    assert {name: c for name, c in found.items() if c} == {}
