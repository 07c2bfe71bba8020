"""Waking up for reminders with an APScheduler 3.x scheduler handed in by the caller.

Three ways in, all ending in ``tick`` (scan, notify, schedule the next wake-up):

- a date job at the next moment anything changes (``ReminderEngine.next_wakeup``), replaced
  only when that moment changes: ``QtScheduler`` leaves a timer behind on every reschedule;
- a coarse sweep every ``SWEEP_SECONDS`` for what no event announces (another process wrote
  to the database, a clock change), with a clock-gap check: when more than ``GAP_SECONDS``
  passed between sweeps, or the clock went backwards, the computer slept or the clock was set,
  so the date job is set again even if its moment looks unchanged;
- changes on the services bus (tasks, projects, handles, readings, settings): a reading that
  reaches a threshold or a resumed pause fires at once.

With ``show_logged_elsewhere`` (the window) the runner tells the user about every reminder
logged since the last one it told, whoever logged it: on a team database the workstation
whose scan won logs a reminder once for the team, and every window shows it (a new log row
arrives as a ``reminder`` change on the bus, through the live refresh; the sweep catches
the rest). With a ``shown_marker`` (the window: this workstation's settings) the newest row
told is kept across restarts, so a window that starts again tells what was logged while it
was closed (another workstation's scan, ``serve``) and nothing it told before; without one,
or at the first start, rows logged before the runner started are the reminder centre's to
list.

The caller creates, starts and shuts down the scheduler (``QtScheduler`` with jobs on the GUI
thread in the window, ``BackgroundScheduler`` in ``serve``). Jobs reach the runner through
``dispatch``: a direct call by default (a ``BackgroundScheduler`` worker thread; its
``add_job`` waits for the scheduler's lock, so the date job replacing itself is safe); the
window passes a queued Qt signal, because a job run inline by the ``DebugExecutor`` that
replaced its own date job would see APScheduler remove the replacement right after.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from apscheduler.jobstores.base import JobLookupError

from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.reminders.engine import Notification, Reminder, ReminderEngine, bundle
from mixtimer_gui.services import events

if TYPE_CHECKING:
    from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

Notify = Callable[[Notification], None]
Dispatch = Callable[[Callable[[], Any]], None]

NEXT_JOB_ID = "mixtimer-reminders-next"
SWEEP_JOB_ID = "mixtimer-reminders-sweep"
SWEEP_SECONDS = 300
GAP_SECONDS = 600
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
WATCHED = frozenset({events.PROJECT, events.TASK, events.HANDLE, events.READING,
                     events.SETTING})


class ShownMarker(Protocol):
    """Where a workstation keeps the id of the newest log row it told its user about."""

    def load(self) -> int | None: ...

    def save(self, log_id: int) -> None: ...


def _utc(moment: int) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


class ReminderRunner:
    """Keeps the reminder engine awake at the right moments; ``notify`` tells the user."""

    def __init__(self, services: Services, scheduler: Any, notify: Notify,
                 clock: Clock | None = None, *, listen_to_bus: bool = True,
                 engine: ReminderEngine | None = None,
                 dispatch: Dispatch | None = None,
                 show_logged_elsewhere: bool = False,
                 shown_marker: ShownMarker | None = None) -> None:
        self.services = services
        self.scheduler = scheduler
        self.notify = notify
        self.clock = clock or services.clock
        self.engine = engine or ReminderEngine(services, self.clock)
        self.listen_to_bus = listen_to_bus
        self.dispatch: Dispatch = dispatch or (lambda work: work())
        self.scheduled_for: int | None = None
        self.last_sweep: int | None = None
        self.reschedules = 0
        self.show_logged_elsewhere = show_logged_elsewhere
        self.shown_up_to: int | None = None  # the newest log row told (show_logged_elsewhere)
        self.shown_marker = shown_marker
        self._lock = threading.RLock()
        self._unsubscribe: Callable[[], None] | None = None
        self._stopped = False

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> list[Reminder]:
        """Add the jobs and fire what was missed while the app was closed (the catch-up)."""
        self._stopped = False
        self.last_sweep = self.clock.now()
        self.scheduler.add_job(self._sweep_job, "interval", seconds=SWEEP_SECONDS, id=SWEEP_JOB_ID,
                               replace_existing=True, **JOB_DEFAULTS)
        if self.listen_to_bus:
            self._unsubscribe = self.services.bus.subscribe(self.on_change)
        if self.show_logged_elsewhere:
            self.shown_up_to = self._first_shown()
        return self.tick()

    def stop(self) -> None:
        """Remove the jobs; waits for a tick in progress. A job already handed to an
        executor then does nothing: one that called ``add_job`` while
        ``scheduler.shutdown(wait=True)`` held the job store lock would never finish."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lock:
            self._stopped = True
            for job_id in (NEXT_JOB_ID, SWEEP_JOB_ID):
                self._remove_job(job_id)
            self.scheduled_for = None

    # -- the ways in ----------------------------------------------------------------------

    def tick(self, *, force_schedule: bool = False) -> list[Reminder]:
        """Scan now, tell the user, and set the date job for the next change."""
        with self._lock:
            if self._stopped:
                return []
            try:
                fired = self.engine.scan()
            except Exception:  # a locked or broken database must not stop the scheduler
                log.exception("reminder scan failed; the next sweep retries")
                return []
            self._tell(self._new_in_log() if self.show_logged_elsewhere else fired)
            self._schedule_next(force=force_schedule)
            return fired

    def show_new(self) -> list[Reminder]:
        """Tell the user what was logged since the last reminder told (another
        workstation's scan); no scan. Returns what it told."""
        with self._lock:
            if self._stopped or not self.show_logged_elsewhere:
                return []
            new = self._new_in_log()
            self._tell(new)
            return new

    def on_next_job(self) -> list[Reminder]:
        """The date job ran: it is gone from the scheduler, so the next one is new."""
        with self._lock:
            self.scheduled_for = None
            return self.tick()

    def sweep(self) -> list[Reminder]:
        """The coarse periodic rescan, with the clock-gap check."""
        with self._lock:
            now = self.clock.now()
            gap = None if self.last_sweep is None else now - self.last_sweep
            self.last_sweep = now
            jumped = gap is not None and (gap < 0 or gap > GAP_SECONDS)
            if jumped:
                log.info("clock gap of %s s between reminder sweeps (sleep, resume or a clock "
                         "change): rescanning", gap)
            return self.tick(force_schedule=jumped)

    def on_change(self, entity: str, uids: Any = ()) -> None:
        """A services bus change: rescan if it can move a reminder (``uids`` unused: the
        bus and the window's bridge hand them over)."""
        self.on_changes({entity})

    def on_changes(self, entities: set[str]) -> None:
        """Several bus changes at once (the headless worker merges a burst): one rescan."""
        if entities & WATCHED:
            self.tick()
        elif events.REMINDER in entities:
            self.show_new()

    # -- helpers --------------------------------------------------------------------------

    def _next_job(self) -> None:
        self.dispatch(self.on_next_job)

    def _sweep_job(self) -> None:
        self.dispatch(self.sweep)

    def _newest_logged(self) -> int | None:
        try:
            return self.services.reminders.newest_id()
        except Exception:
            log.exception("could not read the reminder log; the next sweep retries")
            return None

    def _first_shown(self) -> int | None:
        """Where telling starts: the row this workstation told last before it closed, or
        the newest row (the first start here: the log's past is the reminder centre's)."""
        newest = self._newest_logged()
        saved = self._load_marker()
        if newest is None or saved is None or saved > newest:
            # saved > newest: the log restarted (a restored backup, a new database at the
            # same place), and its rows up to ``saved`` were never told
            self._move_shown(newest)
            return newest
        return saved

    def _load_marker(self) -> int | None:
        if self.shown_marker is None:
            return None
        try:
            return self.shown_marker.load()
        except Exception:
            log.exception("could not read where reminders were last shown; starting anew")
            return None

    def _move_shown(self, log_id: int | None) -> None:
        self.shown_up_to = log_id
        if log_id is None or self.shown_marker is None:
            return
        try:
            self.shown_marker.save(log_id)
        except Exception:
            log.exception("could not keep where reminders were last shown")

    def _new_in_log(self) -> list[Reminder]:
        """The reminders logged after ``shown_up_to``, which moves past them."""
        if self.shown_up_to is None:  # the database was away at the start
            self.shown_up_to = self._first_shown()
            return []
        try:
            rows = self.services.reminders.logged_after(self.shown_up_to)
        except Exception:
            log.exception("could not read the reminder log; the next sweep retries")
            return []
        if rows:
            self._move_shown(rows[-1]["id"])
        # Read already (by this operator, at another workstation; or settled for everyone:
        # its cycle ended) is no news: after a restart, what was handled meanwhile stays quiet.
        return [Reminder.from_row(row) for row in rows if not row["is_read"]]

    def _tell(self, fired: list[Reminder]) -> None:
        for note in bundle(fired):
            try:
                self.notify(note)
            except Exception:
                log.exception("reminder notification failed")

    def _schedule_next(self, *, force: bool = False) -> None:
        try:
            wake = self.engine.next_wakeup()
        except Exception:
            log.exception("could not compute the next reminder moment")
            return
        if wake == self.scheduled_for and not force:
            return
        if wake is None:
            self._remove_job(NEXT_JOB_ID)
        else:
            self.scheduler.add_job(self._next_job, "date", run_date=_utc(wake),
                                   id=NEXT_JOB_ID, replace_existing=True, **JOB_DEFAULTS)
            self.reschedules += 1
        self.scheduled_for = wake

    def _remove_job(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):  # already run (a date job), never added
            self.scheduler.remove_job(job_id)
