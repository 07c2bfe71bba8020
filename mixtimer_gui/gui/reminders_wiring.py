"""Reminders in the window: a ``QtScheduler`` on the GUI thread, the runner, the tray (when
the desktop has one) and the reminder centre (always: GNOME has no tray without an extension).

``QtScheduler`` runs jobs on a worker thread by default; with the ``DebugExecutor`` they run
inside its ``QTimer`` callback, on the GUI thread, and they only emit a queued signal: the
runner's work then runs on the GUI thread after APScheduler has finished its round (a job
that replaced its own date job inline would have the replacement removed by APScheduler).

``QtScheduler``'s own timer handling keeps every ``QTimer.singleShot`` it ever started
(PySide returns no handle to stop them), so each reschedule left one more timer chain
running: ``GuiThreadScheduler`` keeps a single ``QTimer`` instead, and the runner only
reschedules when the next moment changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from mixtimer_gui.gui.reminder_center import ReminderCenter
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.tray import ReminderTray
from mixtimer_gui.notify.worker import DeliveryWorker
from mixtimer_gui.reminders.engine import Notification
from mixtimer_gui.reminders.runner import JOB_DEFAULTS, ReminderRunner
from mixtimer_gui.services import Services

log = logging.getLogger(__name__)


class JobRelay(QObject):
    """Carries a job's work from APScheduler's round to the event loop (queued)."""

    posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, work: Callable[[], Any]) -> None:
        self.posted.emit(work)

    @staticmethod
    def _run(work: Callable[[], Any]) -> None:
        work()


class GuiThreadScheduler(QtScheduler):
    """``QtScheduler`` with one reusable timer. Call it from the GUI thread only."""

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        self._qtimer = QTimer(parent)
        self._qtimer.setSingleShot(True)
        self._qtimer.timeout.connect(self._process_jobs)
        super().__init__(**options)

    def _start_timer(self, wait_seconds: float | None) -> None:
        self._qtimer.stop()
        if wait_seconds is not None:
            self._qtimer.start(min(int(wait_seconds * 1000), 2_147_483_647))

    def _stop_timer(self) -> None:
        self._qtimer.stop()

    def pending_timers(self) -> int:
        return int(self._qtimer.isActive())


def make_gui_scheduler(parent: QObject | None = None) -> GuiThreadScheduler:
    return GuiThreadScheduler(parent, timezone=UTC, job_defaults=dict(JOB_DEFAULTS),
                              executors={"default": DebugExecutor()})


@dataclass(frozen=True)
class SettingsShownMarker:
    """The newest reminder told, in this workstation's settings: per workstation (the tray
    here is what its user saw; another desk's user saw another tray), per database."""

    settings: AppSettings
    database: str

    @classmethod
    def of(cls, settings: AppSettings, services: Services) -> SettingsShownMarker:
        # The location's own folder for a server (named from its normalised address), the
        # file's absolute path for SQLite: one spelling per database.
        return cls(settings, os.path.abspath(services.ctx.location.path))

    def load(self) -> int | None:
        return self.settings.reminders_shown_up_to(self.database)

    def save(self, log_id: int) -> None:
        self.settings.set_reminders_shown_up_to(self.database, log_id)


@dataclass
class ReminderGui:
    """What ``install_reminders`` built; keep it alive as long as the window."""

    scheduler: GuiThreadScheduler
    runner: ReminderRunner
    center: ReminderCenter
    tray: ReminderTray | None = None
    notified: list[Notification] = field(default_factory=list)
    delivery: DeliveryWorker | None = None

    def shutdown(self) -> None:
        if self.delivery is not None:
            self.delivery.stop()
            self.delivery = None
        if self.tray is not None:
            QApplication.instance().setQuitOnLastWindowClosed(True)
        self.runner.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.tray is not None:
            self.tray.hide()


def install_reminders(app: QApplication, window: Any, services: Services,
                      *, tray_available: bool | None = None) -> ReminderGui:
    """Put the reminder centre in ``window``, show the tray if there is one, start reminders.

    ``window`` needs ``bridge``, ``show_tasks(uids)``, ``add_reminder_center(widget)`` and
    ``set_tray_available(bool)`` (``MainWindow`` has them).
    """
    _sync_repeat_hours(window, services)
    center = ReminderCenter(services, window.bridge, window)
    window.add_reminder_center(center)
    center.unread_changed.emit(center.unread)  # the window connected after the first count
    center.open_tasks.connect(window.show_tasks)

    if tray_available is None:
        tray_available = QSystemTrayIcon.isSystemTrayAvailable()
    tray = _make_tray(app, window, services) if tray_available else None
    window.set_tray_available(tray is not None)
    if tray is not None:
        # The window hides to the tray; a dialog closing meanwhile must not end the app.
        app.setQuitOnLastWindowClosed(False)

    scheduler = make_gui_scheduler(app)
    gui = ReminderGui(scheduler, None, center, tray)  # type: ignore[arg-type]

    def notify(note: Notification) -> None:
        gui.notified.append(note)
        del gui.notified[:-20]
        if tray is not None:
            tray.show_notification(note)
        else:
            app.alert(window)  # no tray: flash the taskbar entry; the centre lists it

    relay = JobRelay(center)
    # Every reminder logged while the window runs, by this one's scan or by another
    # workstation's (team mode) or serve's on the same file: each is logged once, shown
    # everywhere; and those logged while it was closed, at its next start.
    settings = getattr(window, "settings", None)
    marker = (SettingsShownMarker.of(settings, services)
              if isinstance(settings, AppSettings) else None)
    gui.runner = ReminderRunner(services, scheduler, notify, services.clock,
                                listen_to_bus=False, dispatch=relay.post,
                                show_logged_elsewhere=True, shown_marker=marker)
    window.bridge.changed.connect(gui.runner.on_change)  # bus changes, on the GUI thread
    scheduler.start(paused=True)
    gui.runner.start()
    scheduler.resume()
    # Notification channels deliver on a thread of their own, never the GUI thread (#18).
    gui.delivery = DeliveryWorker(services)
    gui.delivery.start()
    app.aboutToQuit.connect(gui.shutdown)
    return gui


def _make_tray(app: QApplication, window: Any, services: Services) -> ReminderTray:
    tray = ReminderTray(services, window)
    tray.open_tasks.connect(window.show_tasks)
    tray.open_window.connect(lambda: _bring_forward(window))
    tray.quit_requested.connect(lambda: _quit(app, window))
    window.bridge.changed.connect(tray.on_changed)
    hidden = getattr(window, "hidden_to_tray", None)
    if hidden is not None:
        hidden.connect(lambda: tray.show_hint(
            tray.tr("MixTimer is still running"),
            tray.tr("Reminders keep coming here in the tray. Choose Quit in its menu to "
                    "stop MixTimer.")))
    tray.show()
    return tray


def _bring_forward(window: Any) -> None:
    bring = getattr(window, "bring_to_front", None)
    if callable(bring):
        bring()
    else:
        window.showNormal()
        window.raise_()
        window.activateWindow()


def _quit(app: QApplication, window: Any) -> None:
    quit_window = getattr(window, "quit", None)
    if callable(quit_window):
        quit_window()
    else:
        app.quit()


def _sync_repeat_hours(window: Any, services: Services) -> None:
    """The window's setting wins: it is what the user last chose in this app."""
    hours = getattr(getattr(window, "settings", None), "overdue_repeat_hours", None)
    if hours is None:
        return
    try:
        if float(hours) != services.reminders.repeat_hours():
            services.reminders.set_repeat_hours(hours)
    except Exception:
        log.warning("overdue repeat of %r hours ignored", hours)
