"""The reminder log service: listing, read marks, pause and the overdue repeat setting."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reminders import DUE, NOTICE, PauseState
from mixtimer_gui.store import queries

HOUR = 3600
DAY = 86400


@pytest.fixture
def fired_four(services: Services, fake_clock: FakeClock,
               make_project: Callable[..., str]) -> list[int]:
    """Four reminders in the log: 提醒 for A and B, then 到期 for A and B."""
    make_project(["A", "B"])
    engine = ReminderEngine(services)
    fake_clock.advance(days=1)
    engine.scan()
    fake_clock.advance(days=1)
    engine.scan()
    return [r["id"] for r in services.reminders.list({"page_size": 10})["data"]]


def test_list_pages_newest_first_and_filters(services: Services, fired_four: list[int]) -> None:
    page = services.reminders.list({"page_size": 3})
    assert page["total_records"] == 4 and page["total_pages"] == 2
    assert [r["kind"] for r in page["data"]] == [DUE, DUE, NOTICE]
    record = page["data"][0]
    assert set(record) >= {"id", "task_id", "kind", "fired_at", "due_at", "project_name",
                           "object_name", "is_read"}
    assert record["fired_at"] == "2024-05-13 09:00:00" and record["is_read"] == 0

    notices = services.reminders.list({"where_and": [["kind", "=", NOTICE]]})
    assert notices["total_records"] == 2
    by_object = services.reminders.list({"where_and": [["object_name", "=", "B"]],
                                         "order_by": "fired_at"})
    assert [r["kind"] for r in by_object["data"]] == [NOTICE, DUE]


def test_every_field_of_a_log_record_filters(services: Services, fired_four: list[int]) -> None:
    log = services.reminders.list({"order_by": "id"})["data"]
    due = next(r for r in log if r["kind"] == DUE)
    assert set(due) <= set(queries.reminder_fields(services.ctx.store))
    for name, value in due.items():
        page = services.reminders.list({"where_and": [[name, "=", value]], "order_by": "id"})
        assert page["data"] == [r for r in log if r[name] == value], name


def test_bad_list_parameters_name_the_field(services: Services, fired_four: list[int]) -> None:
    with pytest.raises(FieldError) as exc:
        services.reminders.list({"where_and": [["colour", "=", 1]]})
    assert exc.value.field == "where_and"
    with pytest.raises(FieldError) as exc:
        services.reminders.list({"page_size": 0})
    assert exc.value.field == "page_size"


def test_mark_read_and_mark_all_read(services: Services, fired_four: list[int]) -> None:
    heard: list[str] = []
    services.bus.subscribe(lambda entity, uids: heard.append(entity))
    assert services.reminders.unread_count() == 4

    assert services.reminders.mark_read({"id_list": fired_four[:1]}) == {"count": 1}
    assert services.reminders.unread_count() == 3
    assert services.reminders.mark_read({"id_list": fired_four[:1]}) == {"count": 0}
    assert services.reminders.mark_all_read() == {"count": 3}
    assert services.reminders.unread_count() == 0
    assert services.reminders.mark_all_read() == {"count": 0}
    assert heard.count(events.REMINDER) == 2  # only the calls that changed something


def test_mark_read_refuses_bad_ids_and_changes_nothing(services: Services,
                                                       fired_four: list[int]) -> None:
    with pytest.raises(FieldError) as exc:
        services.reminders.mark_read({"id_list": ["x"]})
    assert exc.value.field == "id_list"
    assert services.reminders.unread_count() == 4


def test_pause_for_an_hour_holds_reminders_then_catches_up(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    start = fake_clock.now()
    make_project()
    engine = ReminderEngine(services)
    fake_clock.set(start + DAY - 10 * 60)
    state = services.reminders.pause_for(HOUR)
    assert state == PauseState(True, fake_clock.now() + HOUR)

    fake_clock.set(start + DAY)
    assert engine.scan() == []
    assert engine.next_wakeup() == state.until
    fake_clock.set(state.until)
    assert services.reminders.pause_state() == PauseState(False)
    assert [r.kind for r in engine.scan()] == [NOTICE]


def test_pause_until_tomorrow_morning_is_0800_local(services: Services,
                                                    fake_clock: FakeClock) -> None:
    fake_clock.set(clock_mod.from_local(datetime(2024, 5, 11, 23, 30)))
    state = services.reminders.pause_until_tomorrow()
    assert clock_mod.to_local(state.until).replace(tzinfo=None) == datetime(2024, 5, 12, 8, 0)
    assert services.reminders.pause_state().paused


def test_pause_until_resumed_persists_across_a_restart(
        services: Services, fake_clock: FakeClock, db_location: Path | str,
        make_project: Callable[..., str]) -> None:
    make_project()
    services.reminders.pause_until_resumed()
    services.close()
    reopened = Services.open(db_location, clock=fake_clock)
    try:
        engine = ReminderEngine(reopened)
        fake_clock.advance(days=10)
        assert reopened.reminders.pause_state() == PauseState(True, None)
        assert engine.scan() == [] and engine.next_wakeup() is None
        reopened.reminders.resume()
        assert [r.kind for r in engine.scan()] == ["逾期"]
    finally:
        reopened.close()


def test_pause_refuses_a_moment_in_the_past(services: Services, fake_clock: FakeClock) -> None:
    with pytest.raises(FieldError):
        services.reminders.pause_for(0)
    with pytest.raises(FieldError):
        services.reminders.pause_until(fake_clock.now())
    assert services.reminders.pause_state() == PauseState(False)


def test_repeat_hours_setting_validates(services: Services) -> None:
    assert services.reminders.repeat_hours() == 24
    assert services.reminders.set_repeat_hours("6") == 6
    assert services.reminders.repeat_hours() == 6
    for bad in ("abc", 0, -3, float("nan"), 24 * 400, True):
        with pytest.raises(FieldError) as exc:
            services.reminders.set_repeat_hours(bad)
        assert exc.value.field == "overdue_repeat_hours"
    assert services.reminders.repeat_hours() == 6


SCAN_IN_ANOTHER_PROCESS = """
import sys
from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services
clock.set_local_zone("Asia/Shanghai")
services = Services.open(sys.argv[1], clock=FakeClock(int(sys.argv[2])))
print(len(ReminderEngine(services).scan()))
"""


def test_two_processes_on_one_database_fire_each_reminder_once(
        services: Services, fake_clock: FakeClock, db_location: Path | str,
        make_project: Callable[..., str]) -> None:
    """The window and ``serve`` may scan the same file: the log decides who fires."""
    make_project(["A", "B", "C"])
    fake_clock.advance(days=2)
    first = ReminderEngine(services).scan()
    other = subprocess.run([sys.executable, "-c", SCAN_IN_ANOTHER_PROCESS, str(db_location),
                            str(fake_clock.now())], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert other.returncode == 0, other.stderr
    assert len(first) == 3 and other.stdout.strip() == "0"


def _update(services: Services, project: str, **changes: object) -> None:
    record = services.projects.get({"uid": project})
    services.projects.stop({"uid": project})
    services.projects.update({**record, **changes})


# Each write that ends the current cycles of tasks A and B (no reminder runner is listening).
CYCLE_ENDERS: dict[str, Callable[[Services, str], object]] = {
    "restart": lambda s, p: s.projects.restart({"uid": p}),
    "delete": lambda s, p: (s.projects.stop({"uid": p}), s.projects.delete({"uid": p})),
    "objects removed": lambda s, p: _update(s, p, object_id_list=["C"]),
    "cycle type changed": lambda s, p: _update(s, p, cycle_type="统计周期", period_unit="",
                                               statistics_id=s.statistics.create(
                                                   {"name": "计数"})["uid"]),
}


@pytest.mark.parametrize("write", list(CYCLE_ENDERS))
def test_a_write_that_ends_cycles_marks_their_reminders_read_at_once(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        write: str) -> None:
    project = make_project(["A", "B"])
    fake_clock.advance(days=2)
    ReminderEngine(services).scan()
    assert services.reminders.unread_count() == 2
    heard: list[str] = []
    services.bus.subscribe(lambda entity, uids: heard.append(entity))

    CYCLE_ENDERS[write](services, project)

    assert services.reminders.unread_count() == 0
    assert events.REMINDER in heard  # the reminder centre refreshes its count
    assert [r["kind"] for r in services.reminders.list({})["data"]] == [DUE, DUE]  # history


def test_stopping_or_rescheduling_keeps_the_cycle_and_its_unread_reminders(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    project = make_project(["A"])
    fake_clock.advance(days=2)
    ReminderEngine(services).scan()
    _update(services, project, period_num=5)  # same cycle, a later due date
    services.projects.start({"uid": project})
    assert services.reminders.unread_count() == 1
