"""The reminder engine: what fires when, exactly once, across restarts and clock jumps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from reminder_oracle import owed, reminder_state

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import Reminder, ReminderEngine, bundle, describe
from mixtimer_gui.services import Services
from mixtimer_gui.services.reminders import DUE, NOTICE, OVERDUE

HOUR = 3600
DAY = 86400


def walk(engine: ReminderEngine, clock: FakeClock, until: int,
         step: int = HOUR) -> list[Reminder]:
    """Scan at every ``step`` up to ``until``, as a running app would; all that fired."""
    fired: list[Reminder] = []
    while clock.now() <= until:
        fired += engine.scan()
        clock.advance(step)
    return fired


def test_natural_cycle_fires_notice_due_then_overdue_every_day_once(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        task_of: Callable[..., dict[str, Any]]) -> None:
    start = fake_clock.now()
    make_project()  # period 2 日, notice 1 日
    engine = ReminderEngine(services)

    fired = walk(engine, fake_clock, start + 5 * DAY)

    assert [(r.kind, r.seq, r.fired_at - start) for r in fired] == [
        (NOTICE, 0, DAY), (DUE, 0, 2 * DAY), (OVERDUE, 1, 3 * DAY), (OVERDUE, 2, 4 * DAY),
        (OVERDUE, 3, 5 * DAY)]
    assert fired[0].task_uid == task_of(fired[0].project_id)["uid"]
    assert fired[0].object_name == "PUMP-1" and fired[0].project_name == "润滑"
    assert services.reminders.list({"page_size": 100})["total_records"] == 5


def test_a_restart_on_the_same_database_repeats_nothing(
        services: Services, fake_clock: FakeClock, db_location: Path | str,
        make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    assert len(walk(ReminderEngine(services), fake_clock, start + 3 * DAY)) == 3
    services.close()

    reopened = Services.open(db_location, clock=fake_clock)
    try:
        fake_clock.set(start)
        again = walk(ReminderEngine(reopened), fake_clock, start + 3 * DAY + 23 * HOUR)
        assert again == []
        fake_clock.set(start + 4 * DAY)
        assert [(r.kind, r.seq) for r in ReminderEngine(reopened).scan()] == [(OVERDUE, 2)]
    finally:
        reopened.close()


def test_app_closed_across_notice_and_due_fires_one_catch_up(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    fake_clock.set(start + 2 * DAY + 5 * HOUR)  # closed through notice and due

    fired = ReminderEngine(services).scan()

    assert [(r.kind, r.seq) for r in fired] == [(DUE, 0)]
    assert len(bundle(fired)) == 1 and not bundle(fired)[0].is_summary
    assert ReminderEngine(services).scan() == []


def test_more_than_three_pending_become_one_summary(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project(["A", "B", "C"], name="润滑")
    make_project(["D"], name="点检", period_num=1, notice_num=0)
    fake_clock.set(start + 2 * DAY + HOUR)

    fired = ReminderEngine(services).scan()
    notes = bundle(fired)

    assert len(fired) == 4
    assert len(notes) == 1 and notes[0].is_summary
    assert sorted(notes[0].task_uids) == sorted(r.task_uid for r in fired)
    assert notes[0].counts == {NOTICE: 0, DUE: 3, OVERDUE: 1}
    title, message = describe(notes[0])
    assert title.startswith("4 ") and "已逾期 1 项" in message and "已到期 3 项" in message


def test_three_pending_stay_separate(services: Services, fake_clock: FakeClock,
                                     make_project: Callable[..., str]) -> None:
    make_project(["A", "B", "C"])
    fake_clock.advance(days=2)
    notes = bundle(ReminderEngine(services).scan())
    assert [len(n.reminders) for n in notes] == [1, 1, 1]


def _local(moment: int) -> datetime:
    return clock_mod.to_local(moment).replace(tzinfo=None)


def _step_to_next(engine: ReminderEngine, clock: FakeClock) -> list[Reminder]:
    wake = engine.next_wakeup()
    assert wake is not None and wake > clock.now()
    clock.set(wake)
    return engine.scan()


def test_monthly_cycle_from_jan_31_keeps_month_end_and_time_of_day_across_dst(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        task_of: Callable[..., dict[str, Any]]) -> None:
    clock_mod.set_local_zone("Europe/Berlin")  # DST begins 2025-03-30
    fake_clock.set(clock_mod.from_local(datetime(2025, 1, 31, 9, 0)))
    project = make_project(period_num=1, period_unit="月", anchor_type="按计划时间")
    engine = ReminderEngine(services)

    first = _step_to_next(engine, fake_clock)
    second = _step_to_next(engine, fake_clock)
    assert [(r.kind, _local(r.fired_at)) for r in first + second] == [
        (NOTICE, datetime(2025, 2, 27, 9, 0)), (DUE, datetime(2025, 2, 28, 9, 0))]

    fake_clock.advance(hours=1)
    services.handles.handle({"task_id": task_of(project)["uid"]})
    third = _step_to_next(engine, fake_clock)
    fourth = _step_to_next(engine, fake_clock)
    assert [(r.kind, _local(r.fired_at)) for r in third + fourth] == [
        (NOTICE, datetime(2025, 3, 30, 9, 0)), (DUE, datetime(2025, 3, 31, 9, 0))]
    assert fourth[0].fired_at - third[0].fired_at == 24 * HOUR  # a civil day, not 25 h
    assert [(r.kind, _local(r.fired_at)) for r in _step_to_next(engine, fake_clock)] == [
        (OVERDUE, datetime(2025, 4, 1, 9, 0))]


def test_statistic_forecast_drives_notice_and_a_reading_at_the_threshold_is_due_at_once(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        task_of: Callable[..., dict[str, Any]]) -> None:
    start = fake_clock.now()
    meter = services.statistics.create({"name": "运行小时", "unit": "h"})["uid"]
    services.statistics.add_value({"statistics_id": meter, "value": 0})
    project = make_project(cycle_type="统计周期", statistics_id=meter, period_num=100,
                           period_unit="", notice_num=1)
    engine = ReminderEngine(services)
    fake_clock.advance(days=5)
    services.statistics.add_value({"statistics_id": meter, "value": 50})  # 10 a day
    task = task_of(project)
    assert task["due_at"] == clock_mod.format_wire(start + 10 * DAY)

    assert engine.scan() == []
    assert engine.next_wakeup() == start + 9 * DAY  # forecast due − 1 日
    fake_clock.set(start + 9 * DAY)
    assert [r.kind for r in engine.scan()] == [NOTICE]

    fake_clock.advance(hours=1)
    services.statistics.add_value({"statistics_id": meter, "value": 100})
    fired = engine.scan()
    assert [(r.kind, r.due_at) for r in fired] == [(DUE, fake_clock.now())]


def test_stopped_project_is_silent_and_restart_begins_a_fresh_cycle(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    project = make_project()
    engine = ReminderEngine(services)
    fake_clock.set(start + DAY)
    assert [r.kind for r in engine.scan()] == [NOTICE]

    services.projects.stop({"uid": project})
    assert walk(engine, fake_clock, start + 6 * DAY) == []
    assert engine.next_wakeup() is None

    services.projects.restart({"uid": project})
    restarted = fake_clock.now()
    assert engine.scan() == []
    fired = walk(engine, fake_clock, restarted + 2 * DAY)
    assert [(r.kind, r.cycle_start) for r in fired] == [(NOTICE, restarted), (DUE, restarted)]


def test_start_after_stop_catches_up_on_the_same_cycle(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    project = make_project()
    engine = ReminderEngine(services)
    fake_clock.set(start + DAY)
    assert [r.kind for r in engine.scan()] == [NOTICE]
    services.projects.stop({"uid": project})
    fake_clock.set(start + 2 * DAY + HOUR)
    assert engine.scan() == []
    services.projects.start({"uid": project})
    assert [(r.kind, r.cycle_start) for r in engine.scan()] == [(DUE, start)]


def test_handle_and_ignore_end_the_old_cycles_reminders(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        task_of: Callable[..., dict[str, Any]]) -> None:
    start = fake_clock.now()
    project = make_project(["A", "B"])
    engine = ReminderEngine(services)
    fake_clock.set(start + 3 * DAY)
    assert sorted(r.kind for r in engine.scan()) == [OVERDUE, OVERDUE]
    handled, ignored = task_of(project, 0)["uid"], task_of(project, 1)["uid"]

    services.handles.handle({"task_id": handled})
    assert services.reminders.unread_count() == 1  # no runner: the handle itself marks
    services.handles.ignore({"task_id": ignored})
    now = fake_clock.now()

    assert services.reminders.unread_count() == 0
    assert engine.scan() == []
    fake_clock.advance(days=1)
    fired = engine.scan()
    assert sorted((r.task_uid, r.kind, r.cycle_start) for r in fired) == [
        (handled, NOTICE, now), (ignored, NOTICE, now)]


def test_clock_jumps_never_repeat_a_reminder(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    engine = ReminderEngine(services)
    due = start + 2 * DAY

    fake_clock.set(due + 5 * DAY)  # jump far ahead
    assert [(r.kind, r.seq) for r in engine.scan()] == [(OVERDUE, 5)]
    seen = []
    for moment in (start, start + DAY, due, due + DAY, due + 4 * DAY, due + 5 * DAY + HOUR):
        fake_clock.set(moment)  # back, then forward again
        seen += engine.scan()
        wake = engine.next_wakeup()
        assert wake is None or wake > moment
    assert seen == []
    fake_clock.set(due + 6 * DAY)
    fired = engine.scan()
    assert [(r.kind, r.seq) for r in fired] == [(OVERDUE, 6)]
    assert fired[0].overdue_seconds == 6 * DAY


def test_next_wakeup_is_the_next_state_change(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    engine = ReminderEngine(services)
    assert engine.next_wakeup() is None  # nothing running
    make_project()
    assert engine.next_wakeup() == start + DAY
    fake_clock.set(start + DAY + 5)
    assert engine.next_wakeup() == start + 2 * DAY
    fake_clock.set(start + 2 * DAY + 7 * HOUR)
    assert engine.next_wakeup() == start + 3 * DAY


def test_overdue_repeat_follows_the_setting(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    services.reminders.set_repeat_hours(12)
    fired = walk(ReminderEngine(services), fake_clock, start + 3 * DAY)
    assert [(r.kind, r.fired_at - start) for r in fired] == [
        (NOTICE, DAY), (DUE, 2 * DAY), (OVERDUE, 2 * DAY + 12 * HOUR), (OVERDUE, 3 * DAY)]


def test_notice_zero_reminds_only_at_the_due_moment(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project(notice_num=0)
    fired = walk(ReminderEngine(services), fake_clock, start + 2 * DAY + HOUR)
    assert [(r.kind, r.fired_at - start) for r in fired] == [(DUE, 2 * DAY)]


def test_python_rule_matches_the_sql_scan_over_many_moments(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        task_of: Callable[..., dict[str, Any]]) -> None:
    """``reminder_state``/``owed`` (Python) and ``pending`` (SQL) agree as time moves."""
    start = fake_clock.now()
    make_project(["A"], period_num=3, notice_num=2)
    engine = ReminderEngine(services)
    logged: list[tuple[str, int]] = []
    task = services.tasks.list({})["data"][0]
    notice_at = clock_mod.parse_wire(task["notice_at"])
    due_at = clock_mod.parse_wire(task["due_at"])
    for offset in range(0, 7 * DAY, 5 * HOUR):
        now = start + offset
        state = reminder_state(notice_at, due_at, now, 24 * HOUR)
        expected = owed(state, logged)
        fired = engine.scan(now)
        assert bool(fired) == expected, offset
        if fired:
            assert (fired[0].kind, fired[0].seq) == state
            logged.append(state)  # type: ignore[arg-type]


def test_describe_single_reminders_in_chinese(fake_clock: FakeClock) -> None:
    base = {"task_uid": "T1", "seq": 0, "cycle_start": 0, "due_at": fake_clock.now(),
            "project_name": "润滑", "object_name": "泵"}
    notice = Reminder(kind=NOTICE, fired_at=fake_clock.now() - DAY, **base)
    overdue = Reminder(kind=OVERDUE, fired_at=fake_clock.now() + 2 * DAY + 3 * HOUR,
                       **{**base, "seq": 2})
    assert describe(bundle([notice])[0])[1] == "润滑 · 泵 将于 2024-05-11 09:00:00 到期"
    assert "已逾期 2 天 3 小时" in describe(bundle([overdue])[0])[1]
    early = Reminder(kind=DUE, fired_at=fake_clock.now() - HOUR, **base)
    assert early.overdue_seconds == 0  # never negative


def test_a_whichever_first_reminder_says_which_limit_came_due(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    # Every 1 月 or 100 h; the meter runs 10 h a day, so it is due by the meter on day 10,
    # long before the month is out — and the reminder says so (#17).
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    services.statistics.add_value({"statistics_id": "hours", "value": 0})
    start = fake_clock.now()
    make_project(cycle_type="先到周期", period_num=1, period_unit="月",
                 statistics_id="hours", statistics_period_num=100)
    fake_clock.advance(DAY)
    services.statistics.add_value({"statistics_id": "hours", "value": 10})
    engine = ReminderEngine(services)
    fired = walk(engine, fake_clock, start + 10 * DAY)
    assert [(r.kind, r.due_by) for r in fired] == [(NOTICE, "读数"), (DUE, "读数")]
    assert fired[1].due_at == start + 10 * DAY
    assert "(按读数)" in describe(bundle(fired[1:])[0])[1]
    logged = services.reminders.list({"where_and": [["due_by", "=", "读数"]]})
    assert logged["total_records"] == 2
