"""Handles and the task fields they move — spec §5 (v2_handle, v2_handle_ignore, idempotent
client uid, handler lists, fee, images, due_at, skipped_cycles) and §4 (cycle_start, due_at,
notice_at, status, last_handle_at after a handle; 按完成时间 vs 按计划时间).

Code: services/handles.py (HandleService), services/cycle_ops.py (close), domain/cycles.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from svc_factories import ProjectFactory

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError, NotFoundError
from mixtimer_gui.domain.messages import TASK_NOT_FOUND_PLAIN
from mixtimer_gui.services import Services

Tasks = Callable[[str], dict[str, dict[str, Any]]]


@pytest.fixture
def task(make_project: ProjectFactory, tasks_of: Tasks) -> str:
    """A running task: 2 日 period, notice 1 日, started 2024-05-11 09:00."""
    return tasks_of(make_project(start=True, object_id_list=["a"]))["a"]["uid"]


def handle_count(services: Services) -> int:
    return services.handles.list({})["total_records"]


# -- v2_handle ------------------------------------------------------------------------------


def test_handle_returns_a_generated_uid(services: Services, task: str) -> None:
    result = services.handles.handle({"task_id": task})
    assert list(result) == ["uid"]
    assert re.fullmatch(r"MTH\d{13}", result["uid"])


def test_handle_unknown_task_says_task_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.handles.handle({"task_id": "MTT4514097700001"})
    assert info.value.message == TASK_NOT_FOUND_PLAIN == "task not found"
    assert info.value.field == "task_id"
    assert handle_count(services) == 0


def test_handle_record_copies_everything(services: Services, fake_clock: FakeClock,
                                         make_project: ProjectFactory,
                                         tasks_of: Tasks) -> None:
    services.objects.create({"uid": "kyj1", "name": "空压机1号", "alias": "KYJ1"})
    uid = make_project(start=True, name="空压机保养", alias="保养", object_id_list=["kyj1"])
    task = tasks_of(uid)["kyj1"]
    fake_clock.advance(hours=1)
    h = services.handles.handle({
        "task_id": task["uid"], "description": "换滤芯", "handler_id_list": [1, 2],
        "handler_name_list": ["张三", "李四"], "fee": 120.5, "result": "正常",
        "images": ["a.png", "b.png"], "organization_id": "plant", "created_by": 3})
    got = services.handles.get(h)
    assert got["task_id"] == task["uid"]
    assert (got["project_id"], got["project_name"], got["project_alias"]) == (uid, "空压机保养",
                                                                             "保养")
    assert (got["object_id"], got["object_name"], got["object_alias"]) == ("kyj1", "空压机1号",
                                                                           "KYJ1")
    assert got["handler_id_list"] == [1, 2]
    assert got["handler_name_list"] == ["张三", "李四"]
    assert (got["fee"], got["result"], got["images"]) == (120.5, "正常", "a.png;b.png")
    assert (got["description"], got["is_ignored"], got["skipped_cycles"]) == ("换滤芯", 0, 0)
    assert got["created"] == "2024-05-11 10:00:00"
    assert (got["organization_id"], got["created_by"]) == ("plant", 3)


def test_fee_defaults_to_zero(services: Services, task: str) -> None:
    got = services.handles.get(services.handles.handle({"task_id": task}))
    assert got["fee"] == 0 and isinstance(got["fee"], int)
    assert got["handler_id_list"] == [] and got["handler_name_list"] == []


@pytest.mark.parametrize("bad, field", [
    ({"fee": -1}, "fee"),
    ({"fee": "abc"}, "fee"),
    ({"handler_id_list": [1, 2], "handler_name_list": ["a"]}, "handler_name_list"),
    ({"handler_id_list": ["x"]}, "handler_id_list"),
    ({"handler_name_list": [[1]]}, "handler_name_list"),
    ({"images": {"a": 1}}, "images"),
    ({"description": ["x"]}, "description"),
    ({"uid": "bad uid"}, "uid"),
])
def test_bad_handle_input_names_the_field_and_changes_nothing(
        services: Services, task: str, bad: dict[str, Any], field: str) -> None:
    before = services.tasks.get({"uid": task})
    with pytest.raises(FieldError) as info:
        services.handles.handle({"task_id": task, **bad})
    assert info.value.field == field
    assert field in info.value.message
    assert handle_count(services) == 0
    assert services.tasks.get({"uid": task}) == before


def test_handle_starts_the_next_cycle_at_the_handle_time(services: Services,
                                                         fake_clock: FakeClock,
                                                         task: str) -> None:
    fake_clock.advance(hours=30)  # 2024-05-12 15:00, inside the notice window
    assert services.tasks.get({"uid": task})["status"] == "即将到期"
    h = services.handles.handle({"task_id": task})
    got = services.tasks.get({"uid": task})
    assert got["cycle_start"] == got["last_handle_at"] == "2024-05-12 15:00:00"
    assert got["due_at"] == "2024-05-14 15:00:00"
    assert got["notice_at"] == "2024-05-13 15:00:00"
    assert got["status"] == "正常"
    assert services.handles.get(h)["due_at"] == "2024-05-13 09:00:00"  # the closed cycle's


def test_due_at_of_a_late_handle_is_the_missed_due(services: Services, fake_clock: FakeClock,
                                                   task: str) -> None:
    fake_clock.advance(days=5)
    assert services.tasks.get({"uid": task})["status"] == "已到期"
    h = services.handles.handle({"task_id": task})
    assert services.handles.get(h)["due_at"] == "2024-05-13 09:00:00"
    assert services.handles.get(h)["skipped_cycles"] == 0  # 按完成时间 never skips


def test_fixed_plan_counts_skipped_cycles(services: Services, fake_clock: FakeClock,
                                          make_project: ProjectFactory,
                                          tasks_of: Tasks) -> None:
    uid = make_project(start=True, period_num=1, period_unit="日", notice_num=0,
                       anchor_type="按计划时间", object_id_list=["a"])
    task = tasks_of(uid)["a"]["uid"]
    fake_clock.advance(days=3, hours=12)  # 05-14 21:00: due 05-12 closed, 05-13, 05-14 missed
    h = services.handles.handle({"task_id": task})
    record = services.handles.get(h)
    assert record["skipped_cycles"] == 2
    assert record["due_at"] == "2024-05-12 09:00:00"
    got = services.tasks.get({"uid": task})
    assert got["due_at"] == "2024-05-15 09:00:00"  # the grid, not handle time + 1 day
    assert got["cycle_start"] == "2024-05-14 21:00:00"


def test_fixed_plan_early_handle_closes_exactly_one_cycle(services: Services,
                                                          fake_clock: FakeClock,
                                                          make_project: ProjectFactory,
                                                          tasks_of: Tasks) -> None:
    uid = make_project(start=True, period_num=1, period_unit="月", notice_num=0,
                       anchor_type="按计划时间", object_id_list=["a"])
    task = tasks_of(uid)["a"]["uid"]
    fake_clock.advance(days=1)
    h = services.handles.handle({"task_id": task})
    assert services.handles.get(h)["skipped_cycles"] == 0
    assert services.tasks.get({"uid": task})["due_at"] == "2024-07-11 09:00:00"


def test_handle_of_a_never_started_task_is_recorded_without_a_cycle(
        services: Services, make_project: ProjectFactory, tasks_of: Tasks) -> None:
    task = tasks_of(make_project(object_id_list=["a"]))["a"]["uid"]
    h = services.handles.handle({"task_id": task})
    assert services.handles.get(h)["due_at"] == ""
    got = services.tasks.get({"uid": task})
    assert got["cycle_start"] == "" and got["status"] == "未启动"
    assert got["last_handle_at"] == "2024-05-11 09:00:00"


# -- v2_handle_ignore -----------------------------------------------------------------------


def test_ignore_records_is_ignored_and_result(services: Services, fake_clock: FakeClock,
                                              task: str) -> None:
    fake_clock.advance(days=3)
    h = services.handles.ignore({"task_id": task, "description": "停产检修"})
    assert re.fullmatch(r"MTH\d{13}", h["uid"])
    got = services.handles.get(h)
    assert (got["is_ignored"], got["result"], got["description"]) == (1, "忽略", "停产检修")
    task_now = services.tasks.get({"uid": task})
    assert task_now["cycle_start"] == task_now["last_handle_at"] == "2024-05-14 09:00:00"
    assert task_now["status"] == "正常"


def test_ignore_unknown_task(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.handles.ignore({"task_id": "nope"})
    assert info.value.message == "task not found"


# -- idempotent client uid ------------------------------------------------------------------


def test_same_client_uid_same_task_returns_the_same_record(services: Services,
                                                           fake_clock: FakeClock,
                                                           task: str) -> None:
    first = services.handles.handle({"uid": "sync-1", "task_id": task, "fee": 10})
    assert first == {"uid": "sync-1"}
    task_after = services.tasks.get({"uid": task})
    record = services.handles.get(first)
    fake_clock.advance(days=1)
    heard: list[Any] = []
    services.bus.subscribe(lambda entity, uids: heard.append(entity))
    again = services.handles.handle({"uid": "sync-1", "task_id": task, "fee": 99,
                                     "handler_id_list": [5], "handler_name_list": ["新人"]})
    assert again == {"uid": "sync-1"}
    assert services.handles.get(first) == record
    task_again = services.tasks.get({"uid": task})
    for key in ("cycle_start", "due_at", "notice_at", "last_handle_at", "last_modified"):
        assert task_again[key] == task_after[key]
    assert handle_count(services) == 1
    assert services.handlers.list({})["total_records"] == 0
    assert services.handles.ignore({"uid": "sync-1", "task_id": task}) == {"uid": "sync-1"}
    assert handle_count(services) == 1
    assert heard == []


def test_same_client_uid_other_task_is_refused(services: Services,
                                               make_project: ProjectFactory,
                                               tasks_of: Tasks) -> None:
    tasks = tasks_of(make_project(start=True, object_id_list=["a", "b"]))
    services.handles.handle({"uid": "sync-1", "task_id": tasks["a"]["uid"]})
    before = services.tasks.get({"uid": tasks["b"]["uid"]})
    with pytest.raises(FieldError) as info:
        services.handles.handle({"uid": "sync-1", "task_id": tasks["b"]["uid"]})
    assert info.value.field == "uid"
    assert services.tasks.get({"uid": tasks["b"]["uid"]}) == before
    assert handle_count(services) == 1


def test_generated_handle_uid_never_reuses_a_client_uid(services: Services, task: str) -> None:
    services.handles.handle({"uid": "MTH0000000000001", "task_id": task})
    assert services.handles.handle({"task_id": task})["uid"] != "MTH0000000000001"
    assert handle_count(services) == 2


# -- handlers -------------------------------------------------------------------------------


def test_handlers_are_registered_from_handles(services: Services, task: str) -> None:
    services.handles.handle({"task_id": task, "handler_id_list": [1, 2],
                             "handler_name_list": ["张三", "李四"]})
    got = services.handlers.list({})
    assert [(h["id"], h["name"]) for h in got["data"]] == [(1, "张三"), (2, "李四")]


def test_names_are_filled_from_known_handlers(services: Services, task: str) -> None:
    services.handles.handle({"task_id": task, "handler_id_list": [1],
                             "handler_name_list": ["张三"]})
    h = services.handles.handle({"task_id": task, "handler_id_list": [1, 9]})
    assert services.handles.get(h)["handler_name_list"] == ["张三", "9"]
    names = {h["id"]: h["name"] for h in services.handlers.list({})["data"]}
    assert names == {1: "张三", 9: "9"}


def test_a_new_name_for_a_known_id_renames_the_handler(services: Services, task: str) -> None:
    services.handles.handle({"task_id": task, "handler_id_list": [1],
                             "handler_name_list": ["张三"]})
    services.handles.handle({"task_id": task, "handler_id_list": [1],
                             "handler_name_list": ["张三丰"]})
    assert services.handlers.list({})["data"][0]["name"] == "张三丰"


def test_handler_create_extension(services: Services) -> None:
    assert services.handlers.create({"name": "王五"}) == {"id": 1, "name": "王五"}
    assert services.handlers.create({"name": "赵六", "id": 7})["id"] == 7
    with pytest.raises(FieldError) as info:
        services.handlers.create({"name": "重复", "id": 7})
    assert info.value.field == "id"
    with pytest.raises(FieldError) as info:
        services.handlers.create({"name": ""})
    assert info.value.field == "name"


# -- get ------------------------------------------------------------------------------------


def test_get_unknown_handle(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.handles.get({"uid": "MTH0000000000404"})
    assert info.value.field == "uid"


def test_handles_announce_handle_and_task(services: Services, task: str) -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    h = services.handles.handle({"task_id": task, "handler_id_list": [1]})
    assert ("handle", (h["uid"],)) in heard
    assert ("task", (task,)) in heard
    assert ("handler", ("1",)) in heard


def test_status_changes_exactly_at_notice_and_due(services: Services, fake_clock: FakeClock,
                                                  task: str) -> None:
    # Started 05-11 09:00, notice 05-12 09:00, due 05-13 09:00.
    expectations = [("2024-05-12 08:59:59", "正常"), ("2024-05-12 09:00:00", "即将到期"),
                    ("2024-05-13 08:59:59", "即将到期"), ("2024-05-13 09:00:00", "已到期"),
                    ("2025-01-01 00:00:00", "已到期")]
    for moment, expected in expectations:
        fake_clock.set(clock.parse_wire(moment))
        assert services.tasks.get({"uid": task})["status"] == expected, moment
        listed = services.tasks.list({"where_and": [["status", "=", expected]]})["data"]
        assert [t["uid"] for t in listed] == [task], moment
