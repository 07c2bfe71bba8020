"""Reminders for ``serve``: a ``BackgroundScheduler`` and a notifier that writes to the log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

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


def start_logged(services: Services,
                 notify: Callable[[Notification], None] = log_notification
                 ) -> Callable[[], None]:
    """Start reminders for a headless server; returns the function that stops them.

    The catch-up for what fell due while nothing was running is logged before this returns.
    """
    scheduler = make_background_scheduler()
    runner = ReminderRunner(services, scheduler, notify, services.clock)
    scheduler.start(paused=True)  # jobs are added before the first one may run
    runner.start()
    scheduler.resume()

    def stop() -> None:
        runner.stop()
        if scheduler.running:
            scheduler.shutdown(wait=True)

    return stop
