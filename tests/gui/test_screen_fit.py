"""The main window on a small screen: a first start fits it, and a size saved on a larger
screen comes back fitted to this one (not at the minimum, with the 提醒 tab clipped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRect, Signal
from PySide6.QtWidgets import QLabel

from mixtimer_gui.gui import i18n, screens
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Services

SMALL_SCREEN = QRect(0, 0, 1024, 700)
# QWidget::saveGeometry's layout: magic, version (2 × uint16), frame and normal geometry
# (2 × QRect), screen number, maximized, full screen, then the screen's width.
SCREEN_WIDTH_OFFSET = 4 + 2 + 2 + 16 + 16 + 4 + 1 + 1


class FakeCenter(QLabel):
    unread_changed = Signal(int)


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(screens, "available_room", lambda widget=None: QRect(SMALL_SCREEN))
    return SMALL_SCREEN


def _fits(window: MainWindow, room: QRect) -> bool:
    return (window.width() <= room.width() - 2 * screens.FRAME
            and window.height() <= room.height() - screens.TITLE_BAR - screens.FRAME
            and room.contains(window.frameGeometry().topLeft()))


def test_a_first_start_fits_a_small_screen(services: Services, app_settings: AppSettings,
                                           small_screen: QRect, qtbot: Any) -> None:
    window = MainWindow(services, app_settings)
    qtbot.addWidget(window)
    assert _fits(window, small_screen), window.geometry()
    assert window.width() >= 900 and window.height() >= 560  # not squeezed either


def test_a_first_start_on_a_large_screen_is_the_preferred_size(
        services: Services, app_settings: AppSettings, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screens, "available_room", lambda widget=None: QRect(0, 0, 1920, 1040))
    window = MainWindow(services, app_settings)
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (1280, 800)
    assert window.x() > 200 and window.y() > 50  # centred


def saved_on_another_screen(geometry: QByteArray, screen_width: int) -> QByteArray:
    """``geometry`` as if it had been saved on a screen ``screen_width`` pixels wide."""
    data = QByteArray(geometry)
    patch = QByteArray()
    stream = QDataStream(patch, QIODevice.OpenModeFlag.WriteOnly)
    stream.writeInt32(screen_width)
    return data.replace(SCREEN_WIDTH_OFFSET, 4, patch)


def test_a_size_saved_on_a_larger_screen_is_fitted_to_this_one(
        services: Services, settings_path: Path, small_screen: QRect, qtbot: Any) -> None:
    first = MainWindow(services, AppSettings(settings_path))
    qtbot.addWidget(first)
    first.resize(1000, 760)
    first.show()
    first.close()
    settings = AppSettings(settings_path)
    settings.window_geometry = saved_on_another_screen(settings.window_geometry, 1920)
    i18n.install_language("zh_CN")
    second = MainWindow(services, settings)
    qtbot.addWidget(second)
    center = FakeCenter("提醒")
    second.add_reminder_center(center)
    center.unread_changed.emit(12)
    second.show()
    assert _fits(second, small_screen), second.geometry()
    assert second.width() > second.minimumWidth() + 100  # fitted, not the minimum
    bar = second.tabs.tabBar()  # every tab shows: 提醒 (12) is not behind a scroll arrow
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()


def test_a_saved_size_too_big_for_this_screen_shrinks_into_it(
        services: Services, settings_path: Path, small_screen: QRect, qtbot: Any) -> None:
    first = MainWindow(services, AppSettings(settings_path))
    qtbot.addWidget(first)
    first.resize(1200, 780)  # on a screen of about the same width: Qt restores it as is
    first.move(300, 200)
    first.close()
    second = MainWindow(services, AppSettings(settings_path))
    qtbot.addWidget(second)
    assert _fits(second, small_screen), second.frameGeometry()
