"""Objects, statistics and readings — spec §7, and statistic-cycle tasks — spec §4
(start_value, current_value, due_value, the forecast due_at, "due the moment a reading ≥
due_value is recorded").

Code: services/catalog.py (ObjectService, StatisticService), services/cycle_ops.py
(place_statistic), domain/forecast.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from svc_factories import ProjectFactory, project_data

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError, NotFoundError, StateError
from mixtimer_gui.services import Services

Tasks = Callable[[str], dict[str, dict[str, Any]]]


# -- objects --------------------------------------------------------------------------------


def test_object_create_get_update(services: Services) -> None:
    result = services.objects.create({"name": "空压机1号", "location": "一号车间"})
    uid = result["uid"]
    assert re.fullmatch(r"MTO\d{13}", uid)
    got = services.objects.get({"uid": uid})
    assert (got["name"], got["alias"], got["location"]) == ("空压机1号", "空压机1号", "一号车间")
    services.objects.update({"uid": uid, "name": "空压机一号", "alias": "KYJ-1"})
    got = services.objects.get({"uid": uid})
    assert (got["name"], got["alias"], got["location"]) == ("空压机一号", "KYJ-1", "")


def test_object_client_uid_unique(services: Services) -> None:
    services.objects.create({"uid": "kyj1", "name": "空压机1号"})
    with pytest.raises(FieldError) as info:
        services.objects.create({"uid": "kyj1", "name": "别的"})
    assert info.value.field == "uid"
    assert services.objects.get({"uid": "kyj1"})["name"] == "空压机1号"


def test_object_name_required(services: Services) -> None:
    with pytest.raises(FieldError) as info:
        services.objects.create({"name": "  "})
    assert info.value.field == "name"
    assert services.objects.list({})["total_records"] == 0


def test_object_rename_shows_in_its_tasks(services: Services, make_project: ProjectFactory,
                                          tasks_of: Tasks) -> None:
    services.objects.create({"uid": "zsj", "name": "注塑机A3"})
    uid = make_project(object_id_list=["zsj"])
    services.objects.update({"uid": "zsj", "name": "注塑机A3(新)"})
    assert tasks_of(uid)["zsj"]["object_name"] == "注塑机A3(新)"


def test_delete_object_used_by_a_project_is_refused(services: Services,
                                                    make_project: ProjectFactory) -> None:
    uid = make_project(object_id_list=["a"])
    with pytest.raises(StateError) as info:
        services.objects.delete({"uid": "a"})
    assert info.value.field == "uid" and uid in info.value.message
    assert services.objects.get({"uid": "a"})["uid"] == "a"


def test_delete_unused_object(services: Services) -> None:
    services.objects.create({"uid": "lqt2", "name": "冷却塔2号"})
    assert services.objects.delete({"uid": "lqt2"}) == {"uid": "lqt2"}
    with pytest.raises(NotFoundError):
        services.objects.get({"uid": "lqt2"})


@pytest.mark.parametrize("action", ["get", "delete", "update"])
def test_unknown_object(services: Services, action: str) -> None:
    with pytest.raises(NotFoundError) as info:
        getattr(services.objects, action)({"uid": "nope", "name": "x"})
    assert info.value.field == "uid"


# -- statistics -----------------------------------------------------------------------------


def test_statistic_generated_uid_and_fields(services: Services) -> None:
    result = services.statistics.create({"name": "运行小时", "unit": "h"})
    assert re.fullmatch(r"STATISTICS\d+", result["uid"])
    got = services.statistics.get(result)
    assert (got["name"], got["alias"], got["unit"]) == ("运行小时", "运行小时", "h")


def test_statistic_update_delete(services: Services) -> None:
    uid = services.statistics.create({"uid": "hours", "name": "运行小时"})["uid"]
    services.statistics.update({"uid": uid, "name": "运行时长", "unit": "小时"})
    assert services.statistics.get({"uid": uid})["unit"] == "小时"
    services.statistics.add_value({"statistics_id": uid, "value": 5})
    services.statistics.delete({"uid": uid})
    with pytest.raises(NotFoundError):
        services.statistics.get({"uid": uid})
    assert services.statistics.value_list({"where_and": [["statistics_id", "=", uid]]})[
        "total_records"] == 0


def test_delete_statistic_used_by_a_project_is_refused(services: Services,
                                                       make_project: ProjectFactory) -> None:
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    make_project(cycle_type="统计周期", statistics_id="hours", period_unit="")
    with pytest.raises(StateError):
        services.statistics.delete({"uid": "hours"})
    assert services.statistics.get({"uid": "hours"})["name"] == "运行小时"


# -- readings -------------------------------------------------------------------------------


@pytest.fixture
def meter(services: Services) -> str:
    return services.statistics.create({"uid": "hours", "name": "运行小时", "unit": "h"})["uid"]


def test_reading_defaults_to_now(services: Services, meter: str) -> None:
    got = services.statistics.add_value({"statistics_id": meter, "value": "12.5"})
    assert got == {"statistics_id": meter, "time": "2024-05-11 09:00:00", "value": 12.5}


def test_readings_are_non_decreasing(services: Services, meter: str) -> None:
    services.statistics.add_value({"statistics_id": meter, "value": 100,
                                   "time": "2024-05-10 09:00:00"})
    with pytest.raises(FieldError) as info:
        services.statistics.add_value({"statistics_id": meter, "value": 99})
    assert info.value.field == "value" and "100" in info.value.message
    # An earlier reading may not exceed a later one either.
    services.statistics.add_value({"statistics_id": meter, "value": 150})
    with pytest.raises(FieldError):
        services.statistics.add_value({"statistics_id": meter, "value": 200,
                                       "time": "2024-05-10 12:00:00"})
    values = services.statistics.value_list({"where_and": [["statistics_id", "=", meter]]})
    assert [r["value"] for r in values["data"]] == [150, 100]
    services.statistics.add_value({"statistics_id": meter, "value": 150})  # equal is fine


@pytest.mark.parametrize("bad, field", [
    ({"value": "abc"}, "value"), ({"value": None}, "value"), ({"value": [1]}, "value"),
    ({"value": 1, "time": "soon"}, "time"), ({"statistics_id": "", "value": 1}, "statistics_id"),
])
def test_bad_reading_names_the_field(services: Services, meter: str, bad: dict[str, Any],
                                     field: str) -> None:
    with pytest.raises(FieldError) as info:
        services.statistics.add_value({"statistics_id": meter, **bad})
    assert info.value.field == field
    assert services.statistics.value_list({})["total_records"] == 0


def test_reading_for_unknown_statistic(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.statistics.add_value({"statistics_id": "nope", "value": 1})
    assert info.value.field == "statistics_id"


# -- statistic-cycle tasks ------------------------------------------------------------------


@pytest.fixture
def statistic_task(services: Services, fake_clock: FakeClock, meter: str,
                   make_project: ProjectFactory, tasks_of: Tasks) -> str:
    """A running statistic task: every 25 h of the meter, meter at 100 when started."""
    services.statistics.add_value({"statistics_id": meter, "value": 90,
                                   "time": "2024-05-10 09:00:00"})
    services.statistics.add_value({"statistics_id": meter, "value": 100})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id=meter, period_num=25,
                       period_unit="", notice_num=1, notice_unit="日", object_id_list=["a"])
    return tasks_of(uid)["a"]["uid"]


def test_statistic_task_values(services: Services, statistic_task: str) -> None:
    got = services.tasks.get({"uid": statistic_task})
    assert (got["start_value"], got["current_value"], got["due_value"]) == (100, 100, 125)
    # 10 per day over the last day: 25 more takes 2.5 days.
    assert got["due_at"] == "2024-05-13 21:00:00"
    assert got["notice_at"] == "2024-05-12 21:00:00"
    assert got["status"] == "正常"


def test_natural_task_has_no_statistic_values(services: Services,
                                              make_project: ProjectFactory,
                                              tasks_of: Tasks) -> None:
    got = tasks_of(make_project(start=True))["a"]
    assert (got["start_value"], got["current_value"], got["due_value"]) == (None, None, None)


def test_reading_at_the_threshold_makes_the_task_due_at_once(
        services: Services, fake_clock: FakeClock, meter: str, statistic_task: str) -> None:
    fake_clock.advance(hours=1)
    services.statistics.add_value({"statistics_id": meter, "value": 125})
    got = services.tasks.get({"uid": statistic_task})
    assert got["status"] == "已到期"
    assert got["due_at"] == "2024-05-11 10:00:00"
    assert got["current_value"] == 125


def test_new_reading_reforecasts(services: Services, fake_clock: FakeClock, meter: str,
                                 statistic_task: str) -> None:
    fake_clock.advance(days=1)
    services.statistics.add_value({"statistics_id": meter, "value": 105})
    got = services.tasks.get({"uid": statistic_task})
    assert got["current_value"] == 105
    assert got["due_at"] > "2024-05-13 21:00:00"  # slower use: later due


def test_statistic_status_filter_sees_the_reading(services: Services, fake_clock: FakeClock,
                                                  meter: str, statistic_task: str) -> None:
    services.statistics.add_value({"statistics_id": meter, "value": 130})
    due = services.tasks.list({"where_and": [["status", "=", "已到期"]]})
    assert [t["uid"] for t in due["data"]] == [statistic_task]


def test_handle_restarts_the_statistic_cycle_at_the_latest_reading(
        services: Services, fake_clock: FakeClock, meter: str, statistic_task: str) -> None:
    fake_clock.advance(days=3)
    services.statistics.add_value({"statistics_id": meter, "value": 131})
    services.handles.handle({"task_id": statistic_task})
    got = services.tasks.get({"uid": statistic_task})
    assert (got["start_value"], got["due_value"]) == (131, 156)
    assert got["status"] != "已到期"


def test_statistic_fixed_plan_steps_the_due_value(services: Services, fake_clock: FakeClock,
                                                  meter: str, make_project: ProjectFactory,
                                                  tasks_of: Tasks) -> None:
    services.statistics.add_value({"statistics_id": meter, "value": 100})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id=meter, period_num=25,
                       period_unit="", anchor_type="按计划时间", object_id_list=["a"])
    task = tasks_of(uid)["a"]["uid"]
    fake_clock.advance(days=1)
    services.statistics.add_value({"statistics_id": meter, "value": 180})
    h = services.handles.handle({"task_id": task})
    # 125 closed, 150 and 175 passed: next threshold 200.
    assert services.handles.get(h)["skipped_cycles"] == 2
    assert services.tasks.get({"uid": task})["due_value"] == 200


def test_statistic_task_without_forecast_has_empty_due(services: Services, meter: str,
                                                       make_project: ProjectFactory,
                                                       tasks_of: Tasks) -> None:
    uid = make_project(start=True, cycle_type="统计周期", statistics_id=meter, period_num=25,
                       period_unit="", object_id_list=["a"])
    got = tasks_of(uid)["a"]
    assert (got["start_value"], got["due_value"], got["due_at"]) == (0, 25, "")
    assert got["status"] == "正常"


def test_reading_list_of_one_meter(services: Services, meter: str) -> None:
    services.statistics.create({"uid": "count", "name": "产量"})
    services.statistics.add_value({"statistics_id": meter, "value": 1})
    services.statistics.add_value({"statistics_id": "count", "value": 7})
    page = services.statistics.value_list({"statistics_id": "count"})
    assert [(r["statistics_id"], r["value"]) for r in page["data"]] == [("count", 7)]
    assert services.statistics.value_list({})["total_records"] == 2


def test_handles_keep_the_names_they_were_written_with(services: Services,
                                                       make_project: ProjectFactory,
                                                       tasks_of: Tasks) -> None:
    services.objects.create({"uid": "kyj1", "name": "空压机1号"})
    uid = make_project(start=True, name="保养", object_id_list=["kyj1"])
    h = services.handles.handle({"task_id": tasks_of(uid)["kyj1"]["uid"]})
    services.objects.update({"uid": "kyj1", "name": "空压机一号"})
    services.projects.stop({"uid": uid})
    services.projects.update(project_data(uid=uid, name="二级保养", object_id_list=["kyj1"]))
    got = services.handles.get(h)
    assert (got["object_name"], got["project_name"]) == ("空压机1号", "保养")
    assert tasks_of(uid)["kyj1"]["object_name"] == "空压机一号"
