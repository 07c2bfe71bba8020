"""Every English (and Chinese) label and combo item fits its widget, on every tab and in
every dialog, with the window at 1024×700; and Qt's own file dialog speaks Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dialogs_seed import every_dialog
from lists_seed import seed
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.main_window import TAB_SPECS, MainWindow
from mixtimer_gui.gui.reminder_center import ReminderCenter
from mixtimer_gui.gui.widgets import ChoiceCombo
from mixtimer_gui.services import Services

WINDOW = (1024 - 16, 700 - 48)  # a 1024×700 screen less the frame and title bar


def text_room(combo: QComboBox) -> int:
    """How wide the text of the current item may be drawn: the edit field less its
    margins (what QComboBox itself elides to)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    return field.width() - 2


def fixed_items(combo: QComboBox) -> list[str]:
    """The items a combo's code gives it; a list of names from data ("All projects" and
    then the projects) is checked for its first item only (a name may be any length)."""
    texts = [combo.itemText(i) for i in range(combo.count())]
    from_data = isinstance(combo, ChoiceCombo) or combo.objectName() == "statisticCombo"
    return texts[:1] if from_data else texts


def cut_texts(root: QWidget) -> list[str]:
    cut = []
    for combo in root.findChildren(QComboBox):
        if not combo.isVisibleTo(root) or combo.isEditable():
            continue
        metrics = combo.fontMetrics()
        for text in fixed_items(combo):
            if metrics.horizontalAdvance(text) > text_room(combo):
                cut.append(f"combo {combo.objectName() or type(combo).__name__}: {text!r} "
                           f"({metrics.horizontalAdvance(text)} > {text_room(combo)})")
    for label in root.findChildren(QLabel):
        if (not label.isVisibleTo(root) or label.wordWrap() or not label.text()
                or label.textFormat() == label.textFormat().RichText or "<" in label.text()):
            continue
        width = label.fontMetrics().horizontalAdvance(label.text().replace("&", ""))
        if width > label.contentsRect().width() and "\n" not in label.text():
            cut.append(f"label {label.text()!r} ({width} > {label.contentsRect().width()})")
    return cut


@pytest.fixture
def full_window(services: Services, fake_clock: FakeClock, app_settings: Any,
                qtbot: Any) -> Iterator[MainWindow]:
    seed(services, fake_clock)
    window = MainWindow(services, app_settings)
    qtbot.addWidget(window)
    window.add_reminder_center(ReminderCenter(services, window.bridge, window))
    window.resize(*WINDOW)
    window.show()
    yield window


@pytest.mark.parametrize("start", ["en", "zh_CN"])
def test_every_tab_shows_its_combo_items_and_labels_whole(full_window: MainWindow, qtbot: Any,
                                                          start: str) -> None:
    """Also after switching language while the window is open (zh_CN first, then English:
    combos sized once for the Chinese words cut the English ones)."""
    i18n.install_language(start)
    for index in range(len(TAB_SPECS) + 1):
        full_window.tabs.setCurrentIndex(index)
        qtbot.wait(1)
    for language in dict.fromkeys([start, "en"]):
        i18n.install_language(language)
        cut = []
        for index in range(full_window.tabs.count()):
            full_window.tabs.setCurrentIndex(index)
            tab = full_window.tabs.currentWidget()
            qtbot.waitUntil(lambda tab=tab: tab.isVisible(), timeout=2000)
            qtbot.wait(1)  # the layout's pending resize
            cut += [f"{full_window.tabs.tabText(index)}: {c}" for c in cut_texts(tab)]
        assert not cut, f"{language}:\n" + "\n".join(cut)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_dialog_shows_its_combo_items_and_labels_whole(
        services: Services, fake_clock: FakeClock, window: MainWindow, tmp_path: Path,
        qtbot: Any, language: str) -> None:
    i18n.install_language(language)
    cut = []
    for name, make in every_dialog(services, fake_clock, window, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(1)  # the layout's pending resize
        cut += [f"{name}: {c}" for c in cut_texts(dialog)]
        dialog.close()
    assert not cut, "\n".join(cut)


def test_the_file_dialog_speaks_chinese(qapp: Any, tmp_path: Path) -> None:
    """Qt's own (non-native) file dialog: its labels come from qtbase_zh_CN, except the
    two whose source text Qt changed (we translate those)."""
    i18n.install_language("zh_CN")
    dialog = QFileDialog(None, "", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"].startswith("查看") or labels["lookInLabel"].startswith("查找")
    assert labels["fileNameLabel"].startswith("文件名")
    assert labels["fileTypeLabel"].startswith("文件类型")
    assert [t for t in labels.values() if re.search(r"[A-Za-z]{2,}", t)] == []
    dialog.deleteLater()
