"""Nothing a client sends may crash a service — spec §1 ("10500 must never be reachable from
any input") and §2 ("a parameter of the wrong JSON type is a 10013 naming the field").

Every service call either succeeds or raises a DomainError; hypothesis throws arbitrary JSON
values at each field of each write and list action. Plus the extreme values found this way
(calendar overflow, far-future readings, deeply nested JSON text).

Code: domain/rules.py, domain/forecast.py, services/*.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_factories import ProjectFactory, project_data

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError, FieldError
from mixtimer_gui.services import Services

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", " ", "2", "-1", "1e400", "nan", "日", "月", "统计周期", "自然时间周期",
                     "2024-05-11", "9999-12-31 23:59:59", "[1,2]", "[\"a\"]", "%", "\x00"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)


def survives(call: Any, data: dict[str, Any], services: Services | None = None) -> None:
    """``call`` succeeds or raises a DomainError with a message; a refused call (when
    ``services`` is given) changes nothing."""
    before = everything(services) if services is not None else None
    try:
        call(data)
    except DomainError as err:
        assert err.message
        if services is not None:
            assert everything(services) == before


def everything(services: Services) -> list[Any]:
    request = {"page_size": 1000}
    return [services.projects.list(request), services.tasks.list(request),
            services.handles.list(request), services.objects.list(request),
            services.handlers.list(request), services.statistics.value_list(request)]


PROJECT_FIELDS = ["uid", "name", "alias", "description", "cycle_type", "statistics_id",
                  "period_num", "period_unit", "notice_num", "notice_unit", "guide",
                  "anchor_type", "object_id_list", "organization_id", "created_by"]


@FUZZ
@given(field=st.sampled_from(PROJECT_FIELDS), value=json_values)
def test_project_create_with_any_field_value(services: Services, field: str,
                                             value: Any) -> None:
    try:
        uid = services.projects.create(project_data(**{field: value}))["uid"]
    except DomainError as err:
        assert err.message
        assert services.projects.list({})["total_records"] == 0
        assert services.objects.list({})["total_records"] == 0
        return
    survives(services.projects.start, {"uid": uid}, services)
    services.tasks.list({"where_and": [["project_id", "=", uid]]})
    services.projects.stop({"uid": uid})
    services.projects.delete({"uid": uid})
    for obj in services.objects.list({"page_size": 1000})["data"]:
        services.objects.delete({"uid": obj["uid"]})


@FUZZ
@given(field=st.sampled_from(["task_id", "uid", "description", "handler_id_list",
                              "handler_name_list", "fee", "result", "images"]),
       value=json_values, ignore=st.booleans())
def test_handle_with_any_field_value(services: Services, make_project: ProjectFactory,
                                     field: str, value: Any, ignore: bool) -> None:
    task = services.tasks.list({})["data"]
    if not task:
        make_project(start=True, object_id_list=["a"])
        task = services.tasks.list({})["data"]
    data = {"task_id": task[0]["uid"], field: value}
    survives(services.handles.ignore if ignore else services.handles.handle, data, services)


@FUZZ
@given(param=st.sampled_from(["where_and", "where_or", "where_in", "order_by", "page_size",
                              "page_index"]),
       value=json_values,
       entity=st.sampled_from(["projects", "tasks", "handles", "objects", "statistics",
                               "handlers"]))
def test_list_with_any_parameter(services: Services, param: str, value: Any,
                                 entity: str) -> None:
    survives(getattr(services, entity).list, {param: value})


@FUZZ
@given(field=st.sampled_from(["uid", "name", "alias", "unit", "description", "location"]),
       value=json_values)
def test_catalog_create_with_any_field_value(services: Services, field: str,
                                             value: Any) -> None:
    survives(services.objects.create, {"name": "对象", field: value})
    survives(services.statistics.create, {"name": "统计", field: value})


@FUZZ
@given(value=json_values, time=json_values)
def test_reading_with_any_value_and_time(services: Services, value: Any, time: Any) -> None:
    if not services.statistics.list({})["data"]:
        services.statistics.create({"uid": "hours", "name": "运行小时"})
    survives(services.statistics.add_value, {"statistics_id": "hours", "value": value,
                                             "time": time}, services)


@FUZZ
@given(triple=st.lists(json_values, min_size=3, max_size=3))
def test_filter_triples_of_any_values(services: Services, triple: list[Any]) -> None:
    for entity in (services.tasks, services.handles):
        survives(entity.list, {"where_and": [triple]})


# -- extremes -------------------------------------------------------------------------------


def test_deeply_nested_object_id_list_text(services: Services) -> None:
    with pytest.raises(DomainError) as info:
        services.projects.create(project_data(object_id_list="[" * 100_000))
    assert info.value.field == "object_id_list"


def test_longest_plans_start_and_list(services: Services, make_project: ProjectFactory) -> None:
    for unit, limit in (("时", 876_600), ("日", 36_525), ("周", 5_218), ("月", 1_200),
                        ("年", 100)):
        uid = make_project(start=True, period_num=limit, period_unit=unit, notice_num=1200,
                           notice_unit="月")
        task = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]
        assert task["due_at"] > "2100"
        services.handles.handle({"task_id": task["uid"]})


def test_slow_meter_with_a_huge_period_has_no_forecast_instead_of_crashing(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory) -> None:
    services.statistics.create({"uid": "slow", "name": "计数"})
    services.statistics.add_value({"statistics_id": "slow", "value": 0,
                                   "time": "2024-05-01 00:00:00"})
    services.statistics.add_value({"statistics_id": "slow", "value": 1e-9,
                                   "time": "2024-05-10 00:00:00"})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id="slow",
                       period_num=2**31 - 1, period_unit="")
    task = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]
    assert task["due_at"] == ""
    assert task["status"] == "正常"


def test_reading_far_in_the_future_is_refused(services: Services) -> None:
    services.statistics.create({"uid": "m", "name": "计数"})
    services.statistics.add_value({"statistics_id": "m", "value": 1})
    before = everything(services)
    with pytest.raises(FieldError) as info:
        services.statistics.add_value({"statistics_id": "m", "value": 2,
                                       "time": "9999-12-31 23:59:59"})
    assert info.value.field == "time"
    assert everything(services) == before


def test_stored_reading_far_in_the_future_does_not_break_the_forecast(
        services: Services, make_project: ProjectFactory) -> None:
    """A reading from before the time rule (or written by another tool) is still data."""
    far = "9999-12-31 23:59:59"
    services.statistics.create({"uid": "m", "name": "计数"})
    services.statistics.add_value({"statistics_id": "m", "value": 1})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id="m", period_num=100,
                       period_unit="")
    with services.ctx.write():
        services.ctx.store.Reading.create(statistics_id="m", time=clock.parse_wire(far),
                                          value=500, created=services.clock.now())
    services.statistics.add_value({"statistics_id": "m", "value": 50})  # re-forecasts
    handled, other = services.tasks.list({"where_and": [["project_id", "=", uid]],
                                          "order_by": "uid"})["data"]
    # The far reading passed the threshold of 101: due at that reading, whatever the rate.
    assert (handled["due_at"], handled["status"]) == (far, "正常")

    services.handles.handle({"task_id": handled["uid"]})

    after = services.tasks.get({"uid": handled["uid"]})
    assert (after["current_value"], after["due_value"]) == (500, 600)
    # At the rate since (450 in ~8000 years) 600 lies past the 100-year horizon: no forecast.
    assert (after["due_at"], after["status"]) == ("", "正常")
    listed = services.tasks.list({"where_and": [["project_id", "=", uid]],
                                  "order_by": "due_at"})["data"]
    assert [t["uid"] for t in listed] == [other["uid"], handled["uid"]]  # no due: last
