"""The system tray: an icon that shows whether maintenance is due, a menu, reminder bubbles.

The icon is the application icon with a red badge holding the number of due tasks, an amber
dot when tasks are only due soon, or greyed with a pause sign while reminders are paused.
The menu shows the counts, opens the window, pauses (1 hour / until tomorrow 08:00 / until
resumed) or resumes reminders, and quits. Clicking a reminder bubble opens the Tasks tab
filtered to the tasks it named (``QSystemTrayIcon`` does not say which bubble was clicked:
the last one shown is meant).

Signals:
    open_tasks(list): task uids to show in the Tasks tab.
    open_window(): bring the window forward.
    quit_requested(): the user chose Quit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from mixtimer_gui.domain import clock, status
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.reminders.engine import Notification, Reminder
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reminders import DUE, NOTICE

log = logging.getLogger(__name__)

IDLE, SOON, DUE_STATE, PAUSED = "idle", "soon", "due", "paused"
ICON_SIZES = (16, 22, 24, 32, 48, 64)
MESSAGE_MS = 15_000
REFRESH_MS = 60_000  # status moves with time even when nothing is written
COUNTED = (events.TASK, events.PROJECT, events.HANDLE, events.READING, events.REMINDER,
           events.SETTING)


@dataclass(frozen=True)
class TrayState:
    due: int
    soon: int
    paused: bool
    paused_until: int | None = None

    @property
    def look(self) -> str:
        if self.paused:
            return PAUSED
        if self.due:
            return DUE_STATE
        return SOON if self.soon else IDLE


# -- drawing ----------------------------------------------------------------------------------


def _badge_text(count: int) -> str:
    return "99+" if count > 99 else str(count)


def tray_pixmap(look: str, count: int = 0, size: int = 64) -> QPixmap:
    """The tray icon of one look at one size."""
    base = icon("app").pixmap(size, size)
    if base.isNull():  # no icon file: a plain blue square still reads as "the app"
        base = QPixmap(size, size)
        base.fill(QColor("#1565c0"))
    pixmap = QPixmap(base.size())
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if look == PAUSED:
        painter.setOpacity(0.45)
    painter.drawPixmap(0, 0, base)
    painter.setOpacity(1.0)
    s = float(pixmap.width())
    if look == DUE_STATE:
        _draw_count_badge(painter, s, count)
    elif look == SOON:
        _draw_disc(painter, QPointF(s * 0.78, s * 0.22), s * 0.2, QColor("#f9a825"))
    elif look == PAUSED:
        _draw_pause(painter, s)
    painter.end()
    return pixmap


def _draw_disc(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawEllipse(centre, radius * 1.15, radius * 1.15)
    painter.setBrush(colour)
    painter.drawEllipse(centre, radius, radius)


def _draw_count_badge(painter: QPainter, s: float, count: int) -> None:
    text = _badge_text(count)
    radius = s * (0.3 if len(text) < 3 else 0.34)
    centre = QPointF(s - radius, radius)
    _draw_disc(painter, centre, radius * 0.95, QColor("#d32f2f"))
    if s < 20 and len(text) > 1:
        return  # unreadable at 16 px: the red disc alone says "due"
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(7, int(radius * (1.15 if len(text) == 1 else 0.9))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def _draw_pause(painter: QPainter, s: float) -> None:
    centre = QPointF(s * 0.72, s * 0.72)
    radius = s * 0.26
    _draw_disc(painter, centre, radius, QColor("#546e7a"))
    painter.setBrush(QColor("#ffffff"))
    bar_w, bar_h = radius * 0.32, radius * 1.0
    for dx in (-radius * 0.3, radius * 0.3):
        painter.drawRect(QRectF(centre.x() + dx - bar_w / 2, centre.y() - bar_h / 2,
                                bar_w, bar_h))


def tray_icon(look: str, count: int = 0) -> QIcon:
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(tray_pixmap(look, count, size))
    return result


# -- the tray -------------------------------------------------------------------------------


class ReminderTray(QObject):
    open_tasks = Signal(list)
    open_window = Signal()
    quit_requested = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.state = TrayState(0, 0, False)
        self.last_task_uids: list[str] = []
        self._look: tuple[str, int] | None = None
        self.tray = QSystemTrayIcon(self)
        self.menu = QMenu()  # a context menu has no parent widget: delete it with the tray
        self.destroyed.connect(self.menu.deleteLater)
        self._build_menu()
        self.tray.setContextMenu(self.menu)
        self.tray.messageClicked.connect(self._on_message_clicked)
        self.tray.activated.connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # -- the menu -------------------------------------------------------------------------

    def _build_menu(self) -> None:
        self.count_action = QAction(self.menu)
        self.count_action.setEnabled(False)
        self.open_action = QAction(self.menu)
        self.open_action.triggered.connect(self.open_window.emit)
        self.pause_menu = QMenu(self.menu)
        self.pause_hour_action = QAction(self.pause_menu)
        self.pause_hour_action.triggered.connect(lambda: self._pause("hour"))
        self.pause_morning_action = QAction(self.pause_menu)
        self.pause_morning_action.triggered.connect(lambda: self._pause("morning"))
        self.pause_resume_action = QAction(self.pause_menu)
        self.pause_resume_action.triggered.connect(lambda: self._pause("resumed"))
        for action in (self.pause_hour_action, self.pause_morning_action,
                       self.pause_resume_action):
            self.pause_menu.addAction(action)
        self.resume_action = QAction(self.menu)
        self.resume_action.triggered.connect(lambda: self._pause("resume"))
        self.quit_action = QAction(self.menu)
        self.quit_action.triggered.connect(self.quit_requested.emit)
        self.menu.addAction(self.count_action)
        self.menu.addSeparator()
        self.menu.addAction(self.open_action)
        self.menu.addMenu(self.pause_menu)
        self.menu.addAction(self.resume_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.retranslate()

    def retranslate(self) -> None:
        self.open_action.setText(self.tr("Open MixTimer"))
        self.pause_menu.setTitle(self.tr("Pause reminders"))
        self.pause_hour_action.setText(self.tr("For 1 hour"))
        self.pause_morning_action.setText(self.tr("Until tomorrow 08:00"))
        self.pause_resume_action.setText(self.tr("Until I resume them"))
        self.resume_action.setText(self.tr("Resume reminders"))
        self.quit_action.setText(self.tr("Quit"))
        self._show_state()

    # -- state ----------------------------------------------------------------------------

    def show(self) -> None:
        self.tray.show()

    def hide(self) -> None:
        self.tray.hide()

    def on_changed(self, entity: str, _uids: list | None = None) -> None:
        if entity in COUNTED:
            self.refresh()

    def refresh(self) -> None:
        try:
            self.state = self._read_state()
        except Exception:  # a locked database must not take the tray down
            log.exception("tray counts failed")
            return
        self._show_state()

    def _read_state(self) -> TrayState:
        pause = self.services.reminders.pause_state()
        return TrayState(self._count(status.DUE), self._count(status.DUE_SOON), pause.paused,
                         pause.until)

    def _count(self, wanted: str) -> int:
        page = self.services.tasks.list({"where_and": [["status", "=", wanted]],
                                         "page_size": 1})
        return int(page["total_records"])

    def _show_state(self) -> None:
        state = self.state
        look = (state.look, state.due)
        if look != self._look:  # redraw only when the picture changes
            self.tray.setIcon(tray_icon(*look))
            self._look = look
        self.count_action.setText(self.tr("Due: %1 · Due soon: %2")
                                  .replace("%1", str(state.due))
                                  .replace("%2", str(state.soon)))
        self.pause_menu.setEnabled(not state.paused)
        self.resume_action.setVisible(state.paused)
        self.tray.setToolTip(self._tooltip())

    def _tooltip(self) -> str:
        state = self.state
        lines = [self.tr("MixTimer"), self.count_action.text()]
        if state.paused and state.paused_until is not None:
            lines.append(self.tr("Reminders paused until %1")
                         .replace("%1", humanize.short_time(
                             clock.format_wire(state.paused_until))))
        elif state.paused:
            lines.append(self.tr("Reminders paused until you resume them"))
        return "\n".join(lines)

    def _pause(self, how: str) -> None:
        reminders = self.services.reminders
        try:
            if how == "hour":
                reminders.pause_for(3600)
            elif how == "morning":
                reminders.pause_until_tomorrow(8)
            elif how == "resumed":
                reminders.pause_until_resumed()
            else:
                reminders.resume()
        except DomainError as exc:
            self.tray.showMessage(self.tr("MixTimer"), say(exc),
                                  QSystemTrayIcon.MessageIcon.Warning, MESSAGE_MS)
            return
        self.refresh()

    # -- reminder bubbles -----------------------------------------------------------------

    def show_notification(self, note: Notification) -> None:
        title, text = self.describe(note)
        self.last_task_uids = note.task_uids
        severity = (QSystemTrayIcon.MessageIcon.Information
                    if all(r.kind == NOTICE for r in note.reminders)
                    else QSystemTrayIcon.MessageIcon.Warning)
        self.tray.showMessage(title, text, severity, MESSAGE_MS)
        self.refresh()

    def show_hint(self, title: str, text: str) -> None:
        """A bubble that names no tasks: clicking it just opens the window."""
        self.last_task_uids = []
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)

    def describe(self, note: Notification) -> tuple[str, str]:
        if note.is_summary:
            counts = note.counts
            title = self.tr("%n maintenance task(s) need attention", "", len(note.reminders))
            summary = (self.tr("Overdue: %1 · Due: %2 · Due soon: %3")
                       .replace("%1", str(counts.get("逾期", 0)))
                       .replace("%2", str(counts.get(DUE, 0)))
                       .replace("%3", str(counts.get(NOTICE, 0))))
            names = [self._what(r) for r in note.reminders[:3]]
            if len(note.reminders) > 3:
                names.append("…")
            return title, "\n".join([summary, *names])
        reminder = note.reminders[0]
        when = humanize.due_in_words(reminder.due_at, reminder.fired_at)
        if reminder.due_by:  # a whichever-first plan: which of its limits came due
            when = f"{when} ({humanize.domain_label(reminder.due_by)})"
        return self._title(reminder), f"{self._what(reminder)}\n{when}"

    def _title(self, reminder: Reminder) -> str:
        if reminder.kind == NOTICE:
            return self.tr("Maintenance due soon")
        if reminder.kind == DUE:
            return self.tr("Maintenance due")
        return self.tr("Maintenance overdue")

    @staticmethod
    def _what(reminder: Reminder) -> str:
        return f"{reminder.project_name} · {reminder.object_name}"

    def _on_message_clicked(self) -> None:
        if self.last_task_uids:
            self.open_tasks.emit(list(self.last_task_uids))
        else:
            self.open_window.emit()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_window.emit()
