"""Reminders once per team, seen by everyone — issue 16: "the reminder log's uniqueness holds
across workstations; each workstation raises the tray notification for log rows newer than
the last one it showed". On both engines: two workstations on one server database, or the
window and ``serve`` on one file.

Code: reminders/runner.py (show_logged_elsewhere), services/reminders.py (newest_id,
logged_after), store/reminder_queries.py, gui/reminders_wiring.py (the window's runner).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders import headless
from mixtimer_gui.reminders.engine import Notification, ReminderEngine
from mixtimer_gui.reminders.runner import ReminderRunner
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reminders import DUE, NOTICE, OVERDUE

HOUR = 3600


@pytest.fixture
def other(db_location: str | Path, fake_clock: FakeClock, services: Services
          ) -> Iterator[Services]:
    """Another workstation (or process) on the same database, its own connections."""
    svc = Services.open(db_location, clock=fake_clock)
    yield svc
    svc.close()


@pytest.fixture
def schedulers() -> Iterator[Callable[[], BackgroundScheduler]]:
    made: list[BackgroundScheduler] = []

    def make() -> BackgroundScheduler:
        scheduler = headless.make_background_scheduler()
        scheduler.start(paused=True)  # jobs stored, never run by themselves
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.shutdown(wait=False)


def kinds_told(told: list[Notification]) -> list[tuple[str, str]]:
    return [(r.task_uid, r.kind) for note in told for r in note.reminders]


def test_a_reminder_logged_on_another_workstation_is_shown_here_once(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str], task_of: Callable[..., dict],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    task = task_of(make_project())["uid"]
    told: list[Notification] = []
    here = ReminderRunner(services, schedulers(), told.append, fake_clock,
                          show_logged_elsewhere=True)
    assert here.start() == [] and told == []
    fake_clock.advance(hours=30)  # in the notice window: one reminder owed
    assert len(ReminderEngine(other).scan()) == 1  # the other workstation's scan wins
    here.on_changes({events.REMINDER})  # its log row, announced (the live refresh)
    assert kinds_told(told) == [(task, NOTICE)]
    assert here.tick() == [] and here.show_new() == []  # logged once, shown once
    assert kinds_told(told) == [(task, NOTICE)]
    fake_clock.advance(hours=20)  # due: this time this workstation's scan wins
    assert len(here.tick()) == 1
    assert kinds_told(told) == [(task, NOTICE), (task, DUE)]
    here.stop()


def test_the_sweep_shows_what_another_workstation_logged_without_an_announcement(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str], task_of: Callable[..., dict],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    task = task_of(make_project())["uid"]
    told: list[Notification] = []
    here = ReminderRunner(services, schedulers(), told.append, fake_clock,
                          show_logged_elsewhere=True)
    here.start()
    fake_clock.advance(hours=50)
    ReminderEngine(other).scan()
    here.sweep()
    assert kinds_told(told) == [(task, DUE)]
    here.stop()


def test_reminders_logged_before_the_start_are_left_to_the_reminder_centre(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    make_project()
    fake_clock.advance(hours=50)
    ReminderEngine(other).scan()  # while this window was closed
    told: list[Notification] = []
    here = ReminderRunner(services, schedulers(), told.append, fake_clock,
                          show_logged_elsewhere=True)
    assert here.start() == [] and told == []
    here.stop()


class KeptMarker:
    """A workstation's kept marker (the window keeps it in its settings)."""

    def __init__(self, value: int | None = None) -> None:
        self.value = value

    def load(self) -> int | None:
        return self.value

    def save(self, log_id: int) -> None:
        self.value = log_id


def test_a_restarted_window_neither_repeats_nor_misses(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str], task_of: Callable[..., dict],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    task = task_of(make_project())["uid"]
    marker = KeptMarker()

    def restart() -> tuple[ReminderRunner, list[Notification]]:
        told: list[Notification] = []
        runner = ReminderRunner(services, schedulers(), told.append, fake_clock,
                                show_logged_elsewhere=True, shown_marker=marker)
        runner.start()
        return runner, told

    here, told = restart()  # the first start here: the log's past is the centre's
    assert told == [] and marker.value == 0
    fake_clock.advance(hours=30)
    ReminderEngine(other).scan()
    here.on_changes({events.REMINDER})
    assert kinds_told(told) == [(task, NOTICE)]
    here.stop()

    fake_clock.advance(hours=20)
    ReminderEngine(other).scan()  # due, logged while this window was closed
    here, told = restart()
    assert kinds_told(told) == [(task, DUE)]  # not missed, and the notice not again
    here.stop()
    here, told = restart()
    assert told == []
    here.stop()


def test_a_restarted_window_keeps_quiet_about_what_was_read_or_handled_meanwhile(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str], task_of: Callable[..., dict],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    project = make_project(["A", "B", "C"])
    restarted = make_project(["D"])
    marker = KeptMarker()
    here = ReminderRunner(services, schedulers(), [].append, fake_clock,
                          show_logged_elsewhere=True, shown_marker=marker)
    here.start()
    here.stop()
    fake_clock.advance(hours=50)
    ReminderEngine(other).scan()  # due: A, B, C and D, while this window is closed
    logged = {r["object_id"]: r["id"] for r in other.reminders.list({"page_size": 10})["data"]}
    other.reminders.mark_read({"id_list": [logged["A"]]})  # this operator (0), elsewhere
    someone = Services.open(services.ctx.location, clock=fake_clock)
    try:
        someone.ctx.actor = someone.handlers.operator("李四", register=True)
        someone.reminders.mark_read({"id_list": [logged["B"]]})  # not this operator
    finally:
        someone.close()
    other.projects.restart({"uid": restarted})  # D handled: settled for everyone
    told: list[Notification] = []
    here = ReminderRunner(services, schedulers(), told.append, fake_clock,
                          show_logged_elsewhere=True, shown_marker=marker)
    here.start()
    tasks = {task_of(project, index)["object_id"]: task_of(project, index)["uid"]
             for index in range(3)}
    assert sorted(kinds_told(told)) == sorted([(tasks["B"], DUE), (tasks["C"], DUE)])
    assert marker.value == max(logged.values())  # past them all the same
    here.stop()


def test_a_marker_past_the_log_starts_from_the_newest_row(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str], task_of: Callable[..., dict],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    """The log was replaced (a restored backup, a new database at the same place): a
    marker beyond its newest row would hide every row up to it."""
    task = task_of(make_project())["uid"]
    fake_clock.advance(hours=30)
    ReminderEngine(other).scan()
    marker = KeptMarker(10**6)
    told: list[Notification] = []
    here = ReminderRunner(services, schedulers(), told.append, fake_clock,
                          show_logged_elsewhere=True, shown_marker=marker)
    here.start()
    assert told == [] and marker.value == services.reminders.newest_id()
    fake_clock.advance(hours=20)
    ReminderEngine(other).scan()
    here.sweep()
    assert kinds_told(told) == [(task, DUE)]
    here.stop()


def test_serve_logs_only_what_it_fired(
        services: Services, other: Services, fake_clock: FakeClock,
        make_project: Callable[..., str],
        schedulers: Callable[[], BackgroundScheduler]) -> None:
    make_project()
    told: list[Notification] = []
    serving = ReminderRunner(services, schedulers(), told.append, fake_clock)
    serving.start()
    fake_clock.advance(hours=50)
    ReminderEngine(other).scan()
    serving.on_changes({events.REMINDER})
    serving.sweep()
    assert told == []  # the window that fired it showed it; a log need not say it twice
    serving.stop()


SCANNER = textwrap.dedent("""
    import json, sys
    from mixtimer_gui.domain.clock import FakeClock
    from mixtimer_gui.reminders.engine import ReminderEngine
    from mixtimer_gui.services import Services
    clock = FakeClock(0)
    services = Services.open(sys.argv[1], clock=clock)
    engine = ReminderEngine(services)
    fired = []
    for moment in json.loads(sys.argv[2]):
        clock.set(moment)
        fired += [[r.task_uid, r.kind, r.seq] for r in engine.scan()]
    services.close()
    print(json.dumps(fired))
""")


def test_two_processes_scanning_the_same_moments_fire_each_reminder_once(
        services: Services, db_location: str | Path, fake_clock: FakeClock,
        make_project: Callable[..., str]) -> None:
    make_project([f"M-{i}" for i in range(6)])  # every 2 days, notice 1 day before
    services.reminders.set_repeat_hours(2)
    start = fake_clock.now()
    moments = [start + n * HOUR for n in range(0, 73)]  # notice, due, overdue every 2 h
    scanners = [subprocess.Popen([sys.executable, "-c", SCANNER, str(db_location),
                                  json.dumps(moments)], stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
    results = [json.loads(p.communicate(timeout=300)[0]) for p in scanners]
    assert all(p.returncode == 0 for p in scanners)
    fired = [tuple(r) for result in results for r in result]
    assert len(fired) == len(set(fired))  # none twice, between the two processes
    logged = services.reminders.list({"page_size": 1000})
    assert logged["total_records"] == len(fired)
    per_task = len([f for f in fired if f[0] == fired[0][0]])
    # each task: the notice (24 h), the due (48 h), then overdue every 2 h up to 72 h
    assert per_task == 2 + 12 and {k for _, k, _ in fired} == {NOTICE, DUE, OVERDUE}
