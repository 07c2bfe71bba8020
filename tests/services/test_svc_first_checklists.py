"""Whichever comes first and checklists through the services — spec §3, §4, §5 (#17).

Both engines (the ``services`` fixture). Clock: 2024-05-11 09:00 Asia/Shanghai. The plan is
"every 1 月 or 100 h, whichever comes first" on meter ``hours``; expectations are counted by
hand from the readings each test adds (rate = rise / time between two readings).

Code: domain/cycles.py (begin/close/reschedule_first), services/cycle_ops.py,
domain/checklists.py, services/handles.py, services/wire.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from svc_factories import project_data

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import Services

CHECKLIST = [
    {"name": "油位", "kind": "check", "required": True},
    {"name": "排气温度", "kind": "measure", "unit": "℃", "max": 95},
    {"name": "皮带张力", "kind": "measure", "unit": "mm", "min": 10, "max": 15},
    {"name": "备注", "kind": "text"},
]


def first_project(services: Services, start: bool = True, **changes: Any) -> tuple[str, str]:
    """A whichever-first project on ``hours`` with one object; its uid and its task's."""
    if not services.statistics.list({"where_and": [["uid", "=", "hours"]]})["data"]:
        services.statistics.create({"uid": "hours", "name": "运行小时", "unit": "h"})
        services.statistics.add_value({"statistics_id": "hours", "value": 1000})
    data = project_data(cycle_type="先到周期", statistics_id="hours", period_num=1,
                        period_unit="月", notice_num=1, notice_unit="日",
                        statistics_period_num=100, object_id_list=["kyj1"], **changes)
    uid = services.projects.create(data)["uid"]
    if start:
        services.projects.start({"uid": uid})
    task = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]
    return uid, task["uid"]


def task(services: Services, uid: str) -> dict[str, Any]:
    return services.tasks.get({"uid": uid})


def refused(call: Any, data: dict[str, Any], field: str, *words: str) -> None:
    with pytest.raises(FieldError) as info:
        call(data)
    assert info.value.field == field, info.value.message
    for word in words:
        assert word in info.value.message


# -- whichever comes first ------------------------------------------------------------------


def test_a_whichever_first_plan_needs_its_meter_interval(services: Services) -> None:
    base = project_data(cycle_type="先到周期", statistics_id="", period_num=1,
                        period_unit="月")
    refused(services.projects.create, base, "statistics_period_num")
    refused(services.projects.create, {**base, "statistics_period_num": 0},
            "statistics_period_num")
    refused(services.projects.create, {**base, "statistics_period_num": "x"},
            "statistics_period_num")
    refused(services.projects.create, {**base, "statistics_period_num": 5, "period_unit": ""},
            "period_unit")
    assert services.projects.list({})["total_records"] == 0
    uid = services.projects.create({**base, "statistics_period_num": "2.5"})["uid"]
    record = services.projects.get({"uid": uid})
    assert (record["cycle_type"], record["statistics_period_num"]) == ("先到周期", 2.5)
    refused(services.projects.start, {"uid": uid}, "statistics_id")  # no meter: no start


def test_time_limit_first_then_the_meter_overtakes_it(services: Services,
                                                      fake_clock: FakeClock) -> None:
    _uid, task_uid = first_project(services)
    started = task(services, task_uid)
    # One reading: no rate yet, the month decides.
    assert (started["due_at"], started["due_by"], started["due_value"]) == (
        "2024-06-11 09:00:00", "时间", 1100)
    assert started["due_value_at"] == "" and started["status"] == "正常"
    assert started["notice_at"] == "2024-06-10 09:00:00"
    fake_clock.advance(days=10)
    services.statistics.add_value({"statistics_id": "hours", "value": 1010})  # 1 h/day
    slow = task(services, task_uid)
    assert slow["due_value_at"] == "2024-08-19 09:00:00"  # 90 h more at 1 h/day
    assert (slow["due_at"], slow["due_by"]) == ("2024-06-11 09:00:00", "时间")
    fake_clock.advance(days=1)
    services.statistics.add_value({"statistics_id": "hours", "value": 1090})
    # Least squares over (0 d, 1000) (10 d, 1010) (11 d, 1090): 390 / 74 = 5.27 h/day,
    # so the 10 h left take 1.9 days: May 24, well before the month is out.
    fast = task(services, task_uid)
    assert fast["due_by"] == "读数"
    assert fast["due_value_at"] < fast["due_at"] == "2024-06-11 09:00:00"
    assert fast["notice_at"] < fast["due_value_at"]
    fake_clock.advance(hours=2)
    services.statistics.add_value({"statistics_id": "hours", "value": 1100})
    due = task(services, task_uid)
    assert due["status"] == "已到期" and due["due_value_at"] == "2024-05-22 11:00:00"
    listed = services.tasks.list({"where_and": [["status", "=", "已到期"],
                                                ["due_by", "=", "读数"]]})["data"]
    assert [t["uid"] for t in listed] == [task_uid]
    by_time = services.tasks.list({"where_and": [["due_at", "=", "2024-06-11 09:00:00"]]})
    assert [t["uid"] for t in by_time["data"]] == [task_uid]  # the time limit, as shown


def test_handle_and_ignore_restart_both_limits(services: Services,
                                               fake_clock: FakeClock) -> None:
    _uid, task_uid = first_project(services)
    fake_clock.advance(days=5)
    services.statistics.add_value({"statistics_id": "hours", "value": 1060})
    services.handles.handle({"task_id": task_uid})
    after = task(services, task_uid)
    assert (after["cycle_start"], after["start_value"], after["due_value"]) == (
        "2024-05-16 09:00:00", 1060, 1160)
    assert after["due_at"] == "2024-06-16 09:00:00"
    fake_clock.advance(days=2)
    services.statistics.add_value({"statistics_id": "hours", "value": 1080})
    services.handles.ignore({"task_id": task_uid, "description": "停机"})
    ignored = task(services, task_uid)
    assert (ignored["start_value"], ignored["due_value"]) == (1080, 1180)
    assert ignored["due_at"] == "2024-06-18 09:00:00"


def test_back_dated_handle_restarts_both_limits_from_its_time(services: Services,
                                                             fake_clock: FakeClock) -> None:
    """#15 meets #17: work done 05-17 09:00, entered 05-18: the meter restarts at the
    latest reading at or before 05-17 (1060 of 05-16, not 1080 of 05-18) and the month runs
    from 05-17. Voiding it puts back every field of both limits."""
    _uid, task_uid = first_project(services)
    fake_clock.advance(days=5)
    services.statistics.add_value({"statistics_id": "hours", "value": 1060})
    fake_clock.advance(days=2)
    services.statistics.add_value({"statistics_id": "hours", "value": 1080})
    before = task(services, task_uid)
    handle = services.handles.handle({"task_id": task_uid,
                                      "handled_at": "2024-05-17 09:00:00"})
    after = task(services, task_uid)
    assert (after["cycle_start"], after["start_value"], after["due_value"]) == (
        "2024-05-17 09:00:00", 1060, 1160)
    assert after["due_at"] == "2024-06-17 09:00:00"
    services.handles.void({**handle, "reason": "录错了"})
    restored = task(services, task_uid)
    assert restored.pop("last_modified") > before.pop("last_modified")  # the void wrote it
    assert restored == before


def test_stop_start_keeps_the_cycle_and_restart_begins_both_afresh(
        services: Services, fake_clock: FakeClock) -> None:
    uid, task_uid = first_project(services)
    before = task(services, task_uid)
    services.projects.stop({"uid": uid})
    fake_clock.advance(days=3)
    services.statistics.add_value({"statistics_id": "hours", "value": 1030})
    assert task(services, task_uid)["status"] == "未启动"
    services.projects.start({"uid": uid})
    kept = task(services, task_uid)
    assert (kept["cycle_start"], kept["due_at"], kept["due_value"]) == (
        before["cycle_start"], before["due_at"], before["due_value"])
    services.projects.restart({"uid": uid})
    fresh = task(services, task_uid)
    assert (fresh["cycle_start"], fresh["due_at"], fresh["due_value"]) == (
        "2024-05-14 09:00:00", "2024-06-14 09:00:00", 1130)


def test_update_reschedules_both_limits(services: Services) -> None:
    uid, task_uid = first_project(services)
    services.projects.stop({"uid": uid})
    record = services.projects.get({"uid": uid})
    services.projects.update({**record, "period_num": 2, "statistics_period_num": 50})
    changed = task(services, task_uid)
    assert (changed["due_at"], changed["due_value"]) == ("2024-07-11 09:00:00", 1050)


def test_other_cycle_types_show_the_new_fields_empty(services: Services) -> None:
    uid = services.projects.create(project_data(object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    record = services.tasks.list({})["data"][0]
    assert (record["due_value_at"], record["due_by"], record["due_value"]) == ("", "", None)
    assert record["due_at"] == "2024-05-13 09:00:00"


# -- checklists -----------------------------------------------------------------------------


def test_checklist_is_kept_in_order_and_returned_by_the_gets(services: Services) -> None:
    uid = services.projects.create(project_data(checklist=CHECKLIST))["uid"]
    stored = services.projects.get({"uid": uid})["checklist"]
    assert [i["name"] for i in stored] == ["油位", "排气温度", "皮带张力", "备注"]
    assert stored[1] == {"name": "排气温度", "kind": "measure", "unit": "℃", "min": None,
                         "max": 95, "required": False}
    assert stored[3]["unit"] == "" and stored[3]["max"] is None  # text items have no limits
    assert isinstance(stored[1]["max"], int)  # 95 on the wire, as sent, not 95.0
    listed = services.projects.list({})["data"][0]["checklist"]
    assert listed == stored


@pytest.mark.parametrize(("checklist", "words"), [
    ([{"name": "油位"}, {"name": "油位"}], ["油位", "重复"]),
    ([{"kind": "check"}], ["第 1 项", "name"]),
    ([{"name": "温度", "kind": "gauge"}], ["温度", "gauge"]),
    ([{"name": "温度", "kind": "measure", "min": "低"}], ["温度", "min"]),
    ([{"name": "温度", "kind": "measure", "min": 9, "max": 3}], ["温度", "9", "3"]),
    (["油位"], ["第 1 项"]),
    ("{\"name\": 1}", []),
    ([{"name": f"项{i}"} for i in range(101)], ["100"]),
])
def test_a_bad_checklist_is_refused_naming_the_item(services: Services, checklist: Any,
                                                    words: list[str]) -> None:
    refused(services.projects.create, project_data(checklist=checklist), "checklist", *words)
    assert services.projects.list({})["total_records"] == 0


def handled(services: Services, results: Any, **extra: Any) -> dict[str, Any]:
    uid = services.projects.list({})["data"][0]["uid"]
    task_uid = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]["uid"]
    handle = services.handles.handle({"task_id": task_uid, "checklist_results": results,
                                      **extra})
    return services.handles.get(handle)


def test_results_are_checked_against_the_items(services: Services) -> None:
    uid = services.projects.create(project_data(checklist=CHECKLIST,
                                                object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    task_uid = services.tasks.list({})["data"][0]["uid"]
    before = task(services, task_uid)
    for results, words in (
            ([], ["油位", "必填"]),
            ([{"name": "油位", "value": ""}], ["油位"]),
            ([{"name": "油位", "value": "好"}], ["油位", "好"]),
            ([{"name": "油位", "value": "正常"}, {"name": "排气温度", "value": "热"}],
             ["排气温度", "热"]),
            ([{"name": "油位", "value": "正常"}, {"name": "转速", "value": 3}], ["转速"]),
            ([{"name": "油位", "value": "正常"}, {"name": "油位", "value": "正常"}],
             ["油位", "两次"]),
            ([{"value": "正常"}], ["第 1 项"]),
            ("not json", [])):
        refused(services.handles.handle, {"task_id": task_uid, "checklist_results": results},
                "checklist_results", *words)
    assert services.handles.list({})["total_records"] == 0  # nothing was written
    assert task(services, task_uid) == before


def test_results_keep_their_items_as_they_were(services: Services) -> None:
    uid = services.projects.create(project_data(checklist=CHECKLIST,
                                                object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    record = handled(services, [{"name": "油位", "value": "正常"},
                                {"name": "排气温度", "value": "80"},
                                {"name": "备注", "value": "皮带略松"}])
    assert record["is_abnormal"] == 0
    assert record["checklist_results"] == [
        {"name": "油位", "kind": "check", "unit": "", "min": None, "max": None,
         "value": "正常", "abnormal": False},
        {"name": "排气温度", "kind": "measure", "unit": "℃", "min": None, "max": 95,
         "value": 80, "abnormal": False},
        {"name": "备注", "kind": "text", "unit": "", "min": None, "max": None,
         "value": "皮带略松", "abnormal": False}]
    services.projects.stop({"uid": uid})
    project = services.projects.get({"uid": uid})
    services.projects.update({**project, "checklist": [
        {"name": "油位", "kind": "check"},
        {"name": "排气温度", "kind": "measure", "unit": "°F", "max": 200}]})
    again = services.handles.get({"uid": record["uid"]})
    assert again["checklist_results"] == record["checklist_results"]


@pytest.mark.parametrize(("results", "abnormal"), [
    ([{"name": "油位", "value": "异常"}], 1),
    ([{"name": "油位", "value": "正常"}, {"name": "排气温度", "value": 95}], 0),
    ([{"name": "油位", "value": "正常"}, {"name": "排气温度", "value": 95.5}], 1),
    ([{"name": "油位", "value": "正常"}, {"name": "皮带张力", "value": 9.9}], 1),
    ([{"name": "油位", "value": "正常"}, {"name": "皮带张力", "value": 10}], 0),
])
def test_an_abnormal_check_or_a_value_out_of_limits_marks_the_handle(
        services: Services, results: list[dict[str, Any]], abnormal: int) -> None:
    uid = services.projects.create(project_data(checklist=CHECKLIST,
                                                object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    record = handled(services, results)
    assert record["is_abnormal"] == abnormal
    found = services.handles.list({"where_and": [["is_abnormal", "=", 1]]})["data"]
    assert [h["uid"] for h in found] == ([record["uid"]] if abnormal else [])


def test_a_project_without_checklist_takes_handles_as_before(services: Services) -> None:
    uid = services.projects.create(project_data(object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    record = handled(services, None, result="OK")
    assert (record["checklist_results"], record["is_abnormal"]) == ([], 0)
    ignored = services.handles.ignore({"task_id": record["task_id"]})
    assert services.handles.get(ignored)["checklist_results"] == []
