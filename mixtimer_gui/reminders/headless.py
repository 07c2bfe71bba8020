"""Reminders for ``serve``: a ``BackgroundScheduler`` and a notifier that writes to the log."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from mixtimer_gui.notify.worker import DeliveryWorker
from mixtimer_gui.reminders.engine import Notification, describe
from mixtimer_gui.reminders.runner import JOB_DEFAULTS, ReminderRunner

if TYPE_CHECKING:
    from mixtimer_gui.services import Services

log = logging.getLogger("mixtimer_gui.reminders")


def log_notification(notification: Notification) -> None:
    title, message = describe(notification)
    log.warning("%s:%s [%s]", title, message, ", ".join(notification.task_uids[:20]))


def make_background_scheduler() -> BackgroundScheduler:
    # One worker: reminder jobs never overlap, and the scan holds the write lock only briefly.
    return BackgroundScheduler(timezone=UTC, job_defaults=dict(JOB_DEFAULTS),
                               executors={"default": ThreadPoolExecutor(1)})


class ChangeWorker:
    """Runs the runner's rescans for bus changes on its own thread.

    The bus calls listeners on the writer's thread, an API request here: a rescan there
    would lengthen every write request. A burst of changes becomes one rescan.
    """

    def __init__(self, runner: ReminderRunner) -> None:
        self.runner = runner
        self._queue: queue.SimpleQueue[tuple[str, tuple[str, ...]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="mixtimer-reminder-changes",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def on_bus(self, entity: str, uids: tuple[str, ...]) -> None:
        self._queue.put((entity, tuple(uids)))

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _work(self) -> None:
        try:
            while True:
                batch = [self._queue.get()]
                while batch[-1] is not None:  # take the rest of a burst without waiting
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                changes = [item for item in batch if item is not None]
                if changes:
                    self._rescan(changes)
                if batch[-1] is None:
                    return
        finally:
            self.runner.services.ctx.release_connection()  # this thread's connection

    def _rescan(self, changes: list[tuple[str, tuple[str, ...]]]) -> None:
        try:
            self.runner.on_changes({entity for entity, _ in changes})
        except Exception:
            log.exception("reminder rescan after a change failed")


def start_logged(services: Services,
                 notify: Callable[[Notification], None] = log_notification
                 ) -> Callable[[], None]:
    """Start reminders for a headless server; returns the function that stops them.

    The catch-up for what fell due while nothing was running is logged before this returns.
    """
    scheduler = make_background_scheduler()
    runner = ReminderRunner(services, scheduler, notify, services.clock, listen_to_bus=False)
    worker = ChangeWorker(runner)
    worker.start()
    unsubscribe = services.bus.subscribe(worker.on_bus)
    scheduler.start(paused=True)  # jobs are added before the first one may run
    runner.start()
    scheduler.resume()
    delivery = DeliveryWorker(services)  # notification channels (#18), on its own thread
    delivery.start()

    def stop() -> None:
        delivery.stop()
        unsubscribe()
        worker.stop()
        runner.stop()
        if scheduler.running:
            scheduler.shutdown(wait=True)

    return stop
