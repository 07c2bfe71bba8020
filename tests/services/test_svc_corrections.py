"""Correcting the record (#15, spec §5 and §8): back-dated handles (``handled_at``), voids
that put the task back exactly, corrections that never touch the cycle.

Expectations are worked out by hand in the comments: every project starts 2024-05-11 09:00
(the fake clock), 2 日 period with 1 日 notice unless a test says otherwise.

Code: domain/rules.py (check_handled_at, handle_correction, void_input),
services/handles.py (HandleService.handle/update/void), services/cycle_ops.py
(snapshot/restore, close with back_dated), store/report_queries.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_factories import ProjectFactory

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError, NotFoundError, StateError
from mixtimer_gui.services import Services
from mixtimer_gui.services.reports import ReportService

Tasks = Callable[[str], dict[str, dict[str, Any]]]
# Task fields a void puts back; the audit pair says who voided and when (history too).
AUDIT = ("last_modified", "last_modified_by")


@pytest.fixture
def task(make_project: ProjectFactory, tasks_of: Tasks) -> str:
    return tasks_of(make_project(start=True, object_id_list=["a"]))["a"]["uid"]


def visible(services: Services, uid: str) -> dict[str, Any]:
    record = services.tasks.get({"uid": uid})
    return {k: v for k, v in record.items() if k not in AUDIT}


def all_handles(services: Services) -> list[dict[str, Any]]:
    return services.handles.list({"page_size": 1000,
                                  "where_and": [["is_voided", ">=", 0]]})["data"]


def meter_task(services: Services, make_project: ProjectFactory, tasks_of: Tasks,
               fake_clock: FakeClock, **project: Any) -> str:
    """A statistic task, period 50, on a meter reading 100 at the start; readings 130 at
    05-12 09:00 and 160 at 05-13 09:00; the clock ends at 05-13 10:00."""
    meter = services.statistics.create({"name": "运行小时"})["uid"]
    services.statistics.add_value({"statistics_id": meter, "value": 100})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id=meter, period_num=50,
                       period_unit="", notice_num=0, object_id_list=["a"], **project)
    for value in (130, 160) if project.get("anchor_type") != "按计划时间" else (170, 260):
        fake_clock.advance(days=1)
        services.statistics.add_value({"statistics_id": meter, "value": value})
    fake_clock.advance(hours=1)
    return tasks_of(uid)["a"]["uid"]


# -- handled_at: back-dated work moves the cycle from when it was done -----------------------


def test_back_dated_handle_starts_the_next_cycle_when_the_work_was_done(
        services: Services, fake_clock: FakeClock, task: str) -> None:
    fake_clock.advance(hours=30)  # now 05-12 15:00; the work was done at 08:00
    h = services.handles.handle({"task_id": task, "handled_at": "2024-05-12 08:00:00"})
    got = services.tasks.get({"uid": task})
    assert got["cycle_start"] == got["last_handle_at"] == "2024-05-12 08:00:00"
    assert got["due_at"] == "2024-05-14 08:00:00"  # 08:00 + 2 日, not 15:00 + 2 日
    assert got["notice_at"] == "2024-05-13 08:00:00"
    record = services.handles.get(h)
    assert record["handled_at"] == "2024-05-12 08:00:00"
    assert record["created"] == "2024-05-12 15:00:00"  # when it was entered
    assert record["due_at"] == "2024-05-13 09:00:00"


def test_handled_at_defaults_to_now(services: Services, fake_clock: FakeClock,
                                    task: str) -> None:
    fake_clock.advance(hours=5)
    record = services.handles.get(services.handles.handle({"task_id": task}))
    assert record["handled_at"] == record["created"] == "2024-05-11 14:00:00"


def test_back_dated_handle_on_a_fixed_plan_closes_the_cycle_it_was_done_in(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    uid = make_project(start=True, period_num=1, period_unit="日", notice_num=0,
                       anchor_type="按计划时间", object_id_list=["a"])
    task = tasks_of(uid)["a"]["uid"]
    fake_clock.advance(days=3, hours=12)  # now 05-14 21:00; grid 05-12, 05-13, 05-14 09:00
    # Done 05-12 20:00: the first grid point after it is 05-13 09:00, so nothing was
    # skipped (entered now it would have skipped 2 and be due 05-15).
    h = services.handles.handle({"task_id": task, "handled_at": "2024-05-12 20:00:00"})
    record = services.handles.get(h)
    assert (record["skipped_cycles"], record["due_at"]) == (0, "2024-05-12 09:00:00")
    got = services.tasks.get({"uid": task})
    assert got["due_at"] == "2024-05-13 09:00:00"
    assert got["cycle_start"] == "2024-05-12 20:00:00"
    assert got["status"] == "已到期"  # 05-13 09:00 has passed by now


def test_back_dated_statistic_handle_takes_the_reading_of_that_time(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    task = meter_task(services, make_project, tasks_of, fake_clock)
    # Done 05-12 12:00: the latest reading at or before then is 130 (05-12 09:00), so the
    # next cycle starts at 130 and is due at 180 (entered now: 160 and 210).
    services.handles.handle({"task_id": task, "handled_at": "2024-05-12 12:00:00"})
    got = services.tasks.get({"uid": task})
    assert (got["start_value"], got["due_value"]) == (130, 180)
    assert got["cycle_start"] == "2024-05-12 12:00:00"


def test_back_dated_statistic_handle_on_a_fixed_plan(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    task = meter_task(services, make_project, tasks_of, fake_clock, anchor_type="按计划时间")
    # Grid 150, 200, 250, 300 from base 100. Done 05-12 10:00 at reading 170 (05-12 09:00):
    # the next grid value above 170 is 200, cycle 2, none skipped. Entered now (260) it
    # would be 300 with 2 skipped.
    h = services.handles.handle({"task_id": task, "handled_at": "2024-05-12 10:00:00"})
    assert services.handles.get(h)["skipped_cycles"] == 0
    got = services.tasks.get({"uid": task})
    assert (got["start_value"], got["due_value"]) == (170, 200)


def test_back_dated_ignore(services: Services, fake_clock: FakeClock, task: str) -> None:
    fake_clock.advance(hours=30)
    h = services.handles.ignore({"task_id": task, "handled_at": "2024-05-12 08:00:00",
                                 "description": "停机"})
    assert services.handles.get(h)["handled_at"] == "2024-05-12 08:00:00"
    assert services.tasks.get({"uid": task})["due_at"] == "2024-05-14 08:00:00"


@pytest.mark.parametrize(("handled_at", "says"), [
    ("2024-05-12 15:06:00", "不能晚于当前时间"),  # 6 minutes ahead: beyond the skew
    ("2024-05-12 07:59:59", "不能早于 2024-05-12 08:00:00"),  # before the previous handle
    ("yesterday", "YYYY-MM-DD HH:MM:SS"),
])
def test_refused_done_at_times_name_the_field_and_change_nothing(
        services: Services, fake_clock: FakeClock, task: str, handled_at: str,
        says: str) -> None:
    fake_clock.advance(hours=30)  # 05-12 15:00
    services.handles.handle({"task_id": task, "handled_at": "2024-05-12 08:00:00"})
    before, count = services.tasks.get({"uid": task}), len(all_handles(services))
    for write in (services.handles.handle, services.handles.ignore):
        with pytest.raises(FieldError) as info:
            write({"task_id": task, "handled_at": handled_at})
        assert info.value.field == "handled_at"
        assert info.value.message.startswith("handled_at") and says in info.value.message
    assert services.tasks.get({"uid": task}) == before
    assert len(all_handles(services)) == count


def test_done_at_before_the_cycle_start_is_refused(services: Services,
                                                   fake_clock: FakeClock, task: str) -> None:
    fake_clock.advance(hours=30)  # no handle yet: the cycle began 05-11 09:00
    with pytest.raises(FieldError) as info:
        services.handles.handle({"task_id": task, "handled_at": "2024-05-11 08:59:59"})
    assert "不能早于 2024-05-11 09:00:00" in info.value.message
    services.handles.handle({"task_id": task, "handled_at": "2024-05-11 09:00:00"})


def test_a_little_clock_skew_is_tolerated(services: Services, fake_clock: FakeClock,
                                          task: str) -> None:
    ahead = clock.format_wire(fake_clock.now() + 4 * 60)
    h = services.handles.handle({"task_id": task, "handled_at": ahead})
    assert services.handles.get(h)["handled_at"] == ahead


# -- void ---------------------------------------------------------------------------------


def test_void_puts_the_task_back_and_keeps_the_record(services: Services,
                                                      fake_clock: FakeClock,
                                                      task: str) -> None:
    fake_clock.advance(hours=30)
    before = visible(services, task)
    h = services.handles.handle({"task_id": task, "fee": 80, "created_by": 2})
    assert visible(services, task) != before
    fake_clock.advance(hours=1)
    assert services.handles.void({"uid": h["uid"], "reason": "录错任务",
                                  "created_by": 7}) == h
    assert visible(services, task) == before
    record = services.handles.get(h)
    assert (record["is_voided"], record["void_reason"]) == (1, "录错任务")
    assert (record["voided_at"], record["voided_by"]) == ("2024-05-12 16:00:00", 7)
    assert record["fee"] == 80  # the record itself is kept as it was


def test_voided_handles_are_left_out_of_lists_unless_a_filter_names_them(
        services: Services, task: str) -> None:
    kept = services.handles.handle({"task_id": task})
    gone = services.handles.handle({"task_id": task})
    services.handles.void({"uid": gone["uid"], "reason": "重复"})
    page = services.handles.list({})
    assert [r["uid"] for r in page["data"]] == [kept["uid"]]
    assert page["total_records"] == 1
    voided = services.handles.list({"where_and": [["is_voided", "=", 1]]})
    assert [r["uid"] for r in voided["data"]] == [gone["uid"]]
    assert services.handles.list({"where_in": [["is_voided", [0, 1]]]})["total_records"] == 2


def test_only_the_latest_valid_handle_can_be_voided(services: Services,
                                                    fake_clock: FakeClock, task: str) -> None:
    first = services.handles.handle({"task_id": task})
    fake_clock.advance(hours=1)
    second = services.handles.ignore({"task_id": task})
    state = services.tasks.get({"uid": task})
    with pytest.raises(StateError) as info:
        services.handles.void({"uid": first["uid"], "reason": "x"})
    assert info.value.field == "uid" and second["uid"] in info.value.message
    assert services.tasks.get({"uid": task}) == state
    services.handles.void({"uid": second["uid"], "reason": "x"})
    with pytest.raises(StateError):  # once voided, never again
        services.handles.void({"uid": second["uid"], "reason": "x"})
    services.handles.void({"uid": first["uid"], "reason": "x"})  # now the latest
    assert services.tasks.get({"uid": task})["last_handle_at"] == ""


def test_void_needs_a_reason_and_a_known_uid(services: Services, task: str) -> None:
    h = services.handles.handle({"task_id": task})
    with pytest.raises(FieldError) as info:
        services.handles.void({"uid": h["uid"], "reason": "  "})
    assert info.value.field == "reason"
    with pytest.raises(NotFoundError):
        services.handles.void({"uid": "MTH0000000009999", "reason": "x"})
    assert services.handles.get(h)["is_voided"] == 0


def test_void_after_a_restart_is_refused(services: Services, fake_clock: FakeClock,
                                         make_project: ProjectFactory,
                                         tasks_of: Tasks) -> None:
    project = make_project(start=True, object_id_list=["a"])
    task = tasks_of(project)["a"]["uid"]
    h = services.handles.handle({"task_id": task})
    fake_clock.advance(hours=2)
    services.projects.restart({"uid": project})
    state = services.tasks.get({"uid": task})
    with pytest.raises(StateError):
        services.handles.void({"uid": h["uid"], "reason": "x"})
    assert services.tasks.get({"uid": task}) == state


def test_voided_handles_count_in_no_on_time_rate_and_no_fee(
        services: Services, fake_clock: FakeClock, task: str) -> None:
    reports = ReportService(services.ctx)
    since = fake_clock.now()
    fake_clock.advance(days=3)  # late: due 05-13 09:00
    h = services.handles.handle({"task_id": task, "fee": 50})
    assert [(r.handled, r.on_time) for r in reports.on_time_rate_by_project(since)] == [(1, 0)]
    assert sum(m.fee for m in reports.fees_by_month(since)) == 50
    services.handles.void({"uid": h["uid"], "reason": "录错"})
    assert reports.on_time_rate_by_project(since) == []
    assert sum(m.fee for m in reports.fees_by_month(since)) == 0


def test_on_time_is_judged_by_when_the_work_was_done(services: Services,
                                                     fake_clock: FakeClock,
                                                     task: str) -> None:
    reports = ReportService(services.ctx)
    since = fake_clock.now()
    fake_clock.advance(days=3)  # entered 05-14 09:00, after the due 05-13 09:00 ...
    services.handles.handle({"task_id": task, "handled_at": "2024-05-13 08:00:00"})
    # ... but done before it: on time
    assert [(r.handled, r.on_time) for r in reports.on_time_rate_by_project(since)] == [(1, 1)]


# -- update_v2_handle ---------------------------------------------------------------------


def test_correction_changes_the_record_never_the_task_or_times(
        services: Services, fake_clock: FakeClock, task: str) -> None:
    h = services.handles.handle({"task_id": task, "fee": 10, "result": "正常",
                                 "handler_id_list": [1], "handler_name_list": ["张三"]})
    record, state = services.handles.get(h), services.tasks.get({"uid": task})
    fake_clock.advance(hours=2)
    services.handles.update({"uid": h["uid"], "fee": 12.5, "result": "更换滤芯",
                             "description": "补记", "handler_id_list": [2],
                             "handler_name_list": ["李四"], "images": ["x.png"],
                             "task_id": "other", "handled_at": "2024-01-01 00:00:00",
                             "created_by": 3})
    got = services.handles.get(h)
    assert (got["fee"], got["result"], got["description"], got["images"]) == (
        12.5, "更换滤芯", "补记", "x.png")
    assert (got["handler_id_list"], got["handler_name_list"]) == ([2], ["李四"])
    for same in ("task_id", "handled_at", "created", "due_at", "created_by", "skipped_cycles"):
        assert got[same] == record[same], same
    assert (got["last_modified"], got["last_modified_by"]) == ("2024-05-11 11:00:00", 3)
    assert services.tasks.get({"uid": task}) == state
    # the handler index follows: filtering by person finds the corrected one only
    assert services.handles.list({"where_and": [["handler_id_list", "=", 2]]})[
        "total_records"] == 1
    assert services.handles.list({"where_and": [["handler_id_list", "=", 1]]})[
        "total_records"] == 0


def test_correction_keeps_fields_not_given(services: Services, task: str) -> None:
    h = services.handles.handle({"task_id": task, "fee": 10, "result": "正常"})
    services.handles.update({"uid": h["uid"], "description": "补记"})
    got = services.handles.get(h)
    assert (got["fee"], got["result"], got["description"]) == (10, "正常", "补记")


def test_a_voided_handle_cannot_be_corrected(services: Services, task: str) -> None:
    h = services.handles.handle({"task_id": task, "fee": 10})
    services.handles.void({"uid": h["uid"], "reason": "x"})
    with pytest.raises(StateError):
        services.handles.update({"uid": h["uid"], "fee": 20})
    assert services.handles.get(h)["fee"] == 10


def test_bad_correction_names_the_field(services: Services, task: str) -> None:
    h = services.handles.handle({"task_id": task, "fee": 10})
    with pytest.raises(FieldError) as info:
        services.handles.update({"uid": h["uid"], "fee": -1})
    assert info.value.field == "fee"
    assert services.handles.get(h)["fee"] == 10


# -- the property: handle then void is no change at all ------------------------------------

STEP = st.tuples(st.sampled_from(["handle", "ignore", "back-dated"]),
                 st.integers(0, 24 * 40))  # hours to wait first (up to 40 days)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(unit=st.sampled_from(["时", "日", "周", "月"]), period=st.integers(1, 3),
       notice=st.integers(0, 2), anchor=st.sampled_from(["按完成时间", "按计划时间"]),
       history=st.lists(STEP, max_size=4), last=STEP)
def test_handle_then_void_leaves_every_visible_task_field_as_it_was(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks, unit: str, period: int, notice: int, anchor: str,
        history: list[tuple[str, int]], last: tuple[str, int]) -> None:
    project = make_project(start=True, period_num=period, period_unit=unit,
                           notice_num=notice, notice_unit="日", anchor_type=anchor,
                           object_id_list=["a"])
    task = tasks_of(project)["a"]["uid"]
    written = [write(services, fake_clock, task, step) for step in history]
    fake_clock.advance(hours=last[1])
    before = visible(services, task)
    newest = write(services, fake_clock, task, (last[0], 0))
    fake_clock.advance(minutes=7)
    for earlier in written:  # only the latest may go
        with pytest.raises(StateError):
            services.handles.void({"uid": earlier, "reason": "x"})
    services.handles.void({"uid": newest, "reason": "录错"})
    assert visible(services, task) == before


def write(services: Services, fake_clock: FakeClock, task: str, step: tuple[str, int]) -> str:
    kind, hours = step
    fake_clock.advance(hours=hours)
    if kind == "ignore":
        return services.handles.ignore({"task_id": task})["uid"]
    data: dict[str, Any] = {"task_id": task}
    if kind == "back-dated":
        state = services.tasks.get({"uid": task})
        earliest = max(clock.parse_wire(t) for t in (state["cycle_start"],
                                                     state["last_handle_at"]) if t)
        data["handled_at"] = clock.format_wire((earliest + fake_clock.now()) // 2)
    return services.handles.handle(data)["uid"]
