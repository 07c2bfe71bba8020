"""The runner: APScheduler jobs, bus changes, the sweep's clock-gap check, the headless log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders import headless
from mixtimer_gui.reminders.engine import Notification
from mixtimer_gui.reminders.runner import (
    NEXT_JOB_ID,
    SWEEP_JOB_ID,
    SWEEP_SECONDS,
    ReminderRunner,
)
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reminders import DUE, NOTICE

HOUR = 3600
DAY = 86400
FUTURE = int(datetime(2031, 3, 3, 1, 0, tzinfo=UTC).timestamp())  # after the real clock


@pytest.fixture
def scheduler() -> Iterator[BackgroundScheduler]:
    """A real scheduler, started paused: jobs are stored and inspected, never run alone."""
    sched = headless.make_background_scheduler()
    sched.start(paused=True)
    yield sched
    if sched.running:
        sched.shutdown(wait=False)


@pytest.fixture
def told() -> list[Notification]:
    return []


@pytest.fixture
def runner(services: Services, scheduler: BackgroundScheduler, fake_clock: FakeClock,
           told: list[Notification]) -> Iterator[ReminderRunner]:
    run = ReminderRunner(services, scheduler, told.append, fake_clock)
    yield run
    run.stop()


@pytest.fixture
def heard_by_listeners(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every change that reaches a listener subscribed from now on: one left behind after
    a stop still shows up here."""
    heard: list[str] = []
    subscribe = services.bus.subscribe

    def spying_subscribe(listener: Callable[[str, tuple[str, ...]], None]
                         ) -> Callable[[], None]:
        def spy(entity: str, uids: tuple[str, ...]) -> None:
            heard.append(entity)
            listener(entity, uids)

        return subscribe(spy)

    monkeypatch.setattr(services.bus, "subscribe", spying_subscribe)
    return heard


def _next_run(scheduler: BackgroundScheduler) -> int | None:
    job = scheduler.get_job(NEXT_JOB_ID)
    return None if job is None else int(job.trigger.run_date.timestamp())


def _kinds(told: list[Notification]) -> list[str]:
    return [r.kind for note in told for r in note.reminders]


def test_start_fires_the_catch_up_and_schedules_both_jobs(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        runner: ReminderRunner, told: list[Notification],
        make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project(["A", "B", "C", "D"])
    fake_clock.set(start + DAY + HOUR)  # the app was closed when notice began

    fired = runner.start()

    assert len(fired) == 4 and len(told) == 1 and told[0].is_summary
    assert _next_run(scheduler) == start + 2 * DAY
    job = scheduler.get_job(NEXT_JOB_ID)
    assert (job.coalesce, job.misfire_grace_time, job.max_instances) == (True, None, 1)
    sweep = scheduler.get_job(SWEEP_JOB_ID)
    assert sweep.trigger.interval.total_seconds() == SWEEP_SECONDS


def test_the_date_job_moves_only_when_the_next_moment_changes(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        runner: ReminderRunner, told: list[Notification],
        make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    runner.start()
    assert runner.reschedules == 1
    for _ in range(5):
        fake_clock.advance(minutes=5)
        runner.tick()
        runner.sweep()
    assert runner.reschedules == 1  # QtScheduler would leak a timer per reschedule

    fake_clock.set(start + DAY)
    fired = runner.on_next_job()  # the date job ran at notice_at
    assert [r.kind for r in fired] == [NOTICE]
    assert _next_run(scheduler) == start + 2 * DAY and runner.reschedules == 2


def test_a_reading_at_the_threshold_notifies_at_once_through_the_bus(
        services: Services, fake_clock: FakeClock, runner: ReminderRunner,
        told: list[Notification], make_project: Callable[..., str]) -> None:
    meter = services.statistics.create({"name": "计数"})["uid"]
    services.statistics.add_value({"statistics_id": meter, "value": 0})
    make_project(cycle_type="统计周期", statistics_id=meter, period_num=10, period_unit="")
    runner.start()
    assert told == []
    fake_clock.advance(hours=3)
    services.statistics.add_value({"statistics_id": meter, "value": 12})
    assert _kinds(told) == [DUE]


def test_a_handle_reads_the_old_cycle_and_the_runner_moves_to_the_new_one(
        services: Services, fake_clock: FakeClock, runner: ReminderRunner,
        told: list[Notification], make_project: Callable[..., str], task_of) -> None:
    project = make_project()
    runner.start()
    fake_clock.advance(days=2)
    runner.on_next_job()
    assert _kinds(told) == [DUE] and services.reminders.unread_count() == 1

    services.handles.handle({"task_id": task_of(project)["uid"]})
    assert services.reminders.unread_count() == 0
    fake_clock.advance(hours=23)
    runner.sweep()
    assert _kinds(told) == [DUE]  # no 逾期 for the closed cycle
    fake_clock.advance(hours=1)
    runner.sweep()
    assert _kinds(told) == [DUE, NOTICE]  # the new cycle's notice


def test_resuming_a_pause_fires_what_waited(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        runner: ReminderRunner, told: list[Notification],
        make_project: Callable[..., str]) -> None:
    make_project()
    services.reminders.pause_until_resumed()
    runner.start()
    assert scheduler.get_job(NEXT_JOB_ID) is None
    fake_clock.advance(days=1, hours=2)
    runner.sweep()
    assert told == []
    services.reminders.resume()  # a SETTING change on the bus
    assert _kinds(told) == [NOTICE]


def test_clock_gap_or_backwards_clock_sets_the_date_job_again(
        services: Services, fake_clock: FakeClock, runner: ReminderRunner,
        make_project: Callable[..., str]) -> None:
    make_project()
    runner.start()
    fake_clock.advance(seconds=SWEEP_SECONDS)
    runner.sweep()
    assert runner.reschedules == 1
    fake_clock.advance(hours=2)  # the computer slept
    runner.sweep()
    assert runner.reschedules == 2
    fake_clock.advance(hours=-1)  # the clock was set back
    assert runner.sweep() == []
    assert runner.reschedules == 3


@pytest.mark.expect_log(r"reminder notification failed", level="ERROR",
                        logger="mixtimer_gui.reminders.runner")
def test_a_failing_notifier_does_not_stop_the_runner(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        make_project: Callable[..., str], caplog: pytest.LogCaptureFixture) -> None:
    def broken(note: Notification) -> None:
        raise RuntimeError("tray gone")

    make_project()
    run = ReminderRunner(services, scheduler, broken, fake_clock)
    fake_clock.advance(days=1)
    with caplog.at_level(logging.ERROR):
        fired = run.start()
    assert [r.kind for r in fired] == [NOTICE]
    assert "notification failed" in caplog.text
    assert _next_run(scheduler) is not None
    run.stop()


def test_stop_removes_the_jobs_and_stops_listening(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        heard_by_listeners: list[str], runner: ReminderRunner, told: list[Notification],
        make_project: Callable[..., str]) -> None:
    make_project()
    runner.start()
    make_project(["B"])
    assert heard_by_listeners  # the spy sees the runner's listener
    runner.stop()
    assert scheduler.get_jobs() == []
    heard_by_listeners.clear()
    fake_clock.advance(days=3)
    make_project(["C"])  # a bus change after stop
    assert heard_by_listeners == [] and told == []


def test_a_real_scheduler_runs_the_date_job_on_its_own(
        services: Services, fake_clock: FakeClock, scheduler: BackgroundScheduler,
        make_project: Callable[..., str]) -> None:
    """Unpaused, APScheduler runs the job itself (its run date is in the real past, so at
    once: misfire_grace_time=None); we wait for that thread, not for time."""
    done = threading.Event()
    seen: list[Any] = []

    def notify(note: Notification) -> None:
        seen.append(note)
        done.set()

    make_project()
    run = ReminderRunner(services, scheduler, notify, fake_clock)
    run.start()
    assert run.scheduled_for is not None
    assert datetime.fromtimestamp(run.scheduled_for, UTC) < datetime.now(UTC)
    fake_clock.set(run.scheduled_for)
    scheduler.resume()
    assert done.wait(20)
    assert [r.kind for r in seen[0].reminders] == [NOTICE]
    run.stop()


@pytest.mark.expect_log(r"维保已到期", logger="mixtimer_gui.reminders")
def test_headless_logs_the_catch_up_and_stops_cleanly(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        heard_by_listeners: list[str], caplog: pytest.LogCaptureFixture) -> None:
    fake_clock.set(FUTURE)  # APScheduler's own timers stay idle: only the catch-up runs
    make_project(["PUMP-9"])
    fake_clock.advance(days=2)
    with caplog.at_level(logging.WARNING, logger="mixtimer_gui.reminders"):
        stop = headless.start_logged(services)
        stop()
    assert "维保已到期" in caplog.text and "PUMP-9" in caplog.text
    assert events.REMINDER in heard_by_listeners  # the worker heard the catch-up's write
    heard_by_listeners.clear()
    make_project(["B"])
    assert heard_by_listeners == []  # stop() unsubscribed the change worker


def test_headless_rescans_after_a_write_off_the_writers_thread(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    """A write through the services (an API request in ``serve``) returns without waiting
    for the rescan; the change worker fires the reminder on its own thread."""
    fake_clock.set(FUTURE)
    meter = services.statistics.create({"name": "计数"})["uid"]
    services.statistics.add_value({"statistics_id": meter, "value": 0})
    make_project(cycle_type="统计周期", statistics_id=meter, period_num=10, period_unit="")
    done = threading.Event()
    threads: list[str] = []

    def notify(note: Notification) -> None:
        threads.append(threading.current_thread().name)
        done.set()

    stop = headless.start_logged(services, notify)
    try:
        fake_clock.advance(hours=1)
        services.statistics.add_value({"statistics_id": meter, "value": 10})
        assert done.wait(20)
        assert threads == ["mixtimer-reminder-changes"]
    finally:
        stop()
    assert services.reminders.list({})["data"][0]["kind"] == DUE


def test_stop_waits_for_a_running_job_and_shutdown_never_deadlocks(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    """A job that keeps rescheduling (its moments are in the real past) is running when the
    scheduler shuts down with wait=True: stop() makes it return without touching the
    scheduler, so shutdown finishes."""
    make_project()
    fake_clock.advance(days=1)
    ran = threading.Event()
    stop = headless.start_logged(services, lambda note: ran.set())
    assert ran.wait(20)
    finished = threading.Event()
    closer = threading.Thread(target=lambda: (stop(), finished.set()), daemon=True)
    closer.start()
    assert finished.wait(30)
