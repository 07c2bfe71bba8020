"""Windows and dialogs sized to the screen they open on.

A supervisor's workstation may be a 1024×700 laptop: a window or dialog that asks for more
than the screen has puts its buttons out of reach. ``available_room`` is the one place that
asks Qt how much room there is (tests replace it to stand for a small screen); the rest
fit a size into it.

Qt's ``restoreGeometry`` refuses a geometry saved on a screen whose width differs by more
than a quarter (a 1920 monitor, then the laptop alone) and leaves the window at its minimum
size; ``restore_window`` fits the window to the screen then, as on a first start.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a window manager's title bar and frame take around a window, at most (a dialog's
# size is its client area: it must leave this much of the screen's height free).
TITLE_BAR = 40
FRAME = 8
# A main window on a large screen: big enough for every column, not wall to wall.
PREFERRED_WINDOW = QSize(1280, 800)
# Breathing room between a first-start window and the screen's edges.
MARGIN = 24


def available_room(widget: QWidget | None = None) -> QRect:
    """The screen area ``widget`` (or its parent window) may use, less the task bar."""
    anchor = widget.parentWidget() if widget is not None and widget.parentWidget() else widget
    screen = anchor.screen() if anchor is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all: nothing to fit into
        return QRect(0, 0, PREFERRED_WINDOW.width(), PREFERRED_WINDOW.height())
    return screen.availableGeometry()


def client_room(widget: QWidget | None = None) -> QSize:
    """The largest client area a window can have on that screen (its frame and title bar
    stay on screen too)."""
    room = available_room(widget)
    return QSize(room.width() - 2 * FRAME, room.height() - TITLE_BAR - FRAME)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height``, or less where the screen is smaller (never below the
    widget's minimum size)."""
    room = client_room(widget)
    width, height = min(width, room.width()), min(height, room.height())
    widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))


def fit_window(window: QWidget, preferred: QSize = PREFERRED_WINDOW) -> None:
    """A window's size and place on a first start: ``preferred``, or what the screen has
    room for, centred."""
    room = available_room(window)
    inner = client_room(window)
    width = min(preferred.width(), inner.width() - 2 * MARGIN)
    height = min(preferred.height(), inner.height() - 2 * MARGIN)
    window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    left = room.left() + max(0, (room.width() - window.width() - 2 * FRAME) // 2)
    top = room.top() + max(0, (room.height() - window.height() - TITLE_BAR - FRAME) // 2)
    window.move(left, top)


def keep_on_screen(window: QWidget) -> None:
    """Shrink a window that is larger than its screen's room and move it back inside."""
    if window.isMaximized() or window.isFullScreen():
        return  # the window manager fits those
    room = available_room(window)
    inner = client_room(window)
    if window.width() > inner.width() or window.height() > inner.height():
        window.resize(max(min(window.width(), inner.width()), window.minimumWidth()),
                      max(min(window.height(), inner.height()), window.minimumHeight()))
    frame = window.frameGeometry()
    left = min(max(frame.left(), room.left()), max(room.left(), room.right() - frame.width()))
    top = min(max(frame.top(), room.top()), max(room.top(), room.bottom() - frame.height()))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)


def restore_window(window: QWidget, geometry: QByteArray) -> None:
    """The geometry saved last time, fitted to the screen the window opens on; a first
    start (nothing saved) or a geometry Qt refuses gets ``fit_window``."""
    if geometry.isEmpty() or not window.restoreGeometry(geometry):
        fit_window(window)
        return
    keep_on_screen(window)
