"""Filters and ordering — spec §6 "Lists and filters": where_and / where_or / where_in (JSON
text or arrays, combined with AND), every op (= != <> > >= < <= like, not like, in, not in),
the field whitelist (extension fields such as status and due_at included), list fields with
contain-semantics, values compared in the field's type (numbers as numbers, times as times),
order_by (extension), and that no request text ever reaches SQL (injection attempts).

Code: store/filters.py (build_where, condition, build_order), store/queries.py (the field
maps), used through the services' list methods as a client would.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from engines import table_counts

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import Services
from mixtimer_gui.store import filters, queries


def project(uid: str, name: str, period_num: int, unit: str, objects: list[str],
            **extra: Any) -> dict[str, Any]:
    return {"uid": uid, "name": name, "cycle_type": "自然时间周期", "period_num": period_num,
            "period_unit": unit, "notice_num": 1, "notice_unit": "日",
            "object_id_list": objects, **extra}


@pytest.fixture
def seeded(services: Services, fake_clock: FakeClock) -> Services:
    """Four projects created at known moments, two running, three handles."""
    for uid, name in (("kyj1", "空压机1号"), ("lqt2", "冷却塔2号"), ("zsj3", "注塑机A3")):
        services.objects.create({"uid": uid, "name": name})
    services.projects.create(project("p1", "Pump test", 2, "日", ["kyj1"]))  # 05-11 09:00
    fake_clock.advance(hours=14)
    services.projects.create(project("p2", "冷却塔清洗", 25, "日", ["lqt2"],
                                     guide="清理填料"))  # 05-11 23:00
    fake_clock.advance(hours=1)
    services.projects.create(project("p3", "注塑机润滑 TEST", 3, "月", ["zsj3", "kyj1"],
                                     anchor_type="按计划时间"))  # 05-12 00:00
    fake_clock.advance(days=1)
    services.projects.create(project("p4", "Annual", 100, "时", ["kyj1"]))  # 05-13 00:00
    services.projects.start({"uid": "p1"})
    services.projects.start({"uid": "p3"})
    tasks = task_uids(services, "p1") + task_uids(services, "p3")
    services.handles.handle({"uid": "h1", "task_id": tasks[0], "handler_id_list": [1, 2],
                             "handler_name_list": ["张三", "李四"], "fee": 10,
                             "result": "OK"})
    fake_clock.advance(hours=1)
    services.handles.handle({"uid": "h2", "task_id": tasks[1], "handler_id_list": [3],
                             "handler_name_list": ["王五"], "fee": 2.5})
    fake_clock.advance(hours=1)
    services.handles.ignore({"uid": "h3", "task_id": tasks[2], "description": "停产"})
    return services


def task_uids(services: Services, project_uid: str) -> list[str]:
    page = services.tasks.list({"where_and": [["project_id", "=", project_uid]],
                                "order_by": "uid"})
    return [t["uid"] for t in page["data"]]


def projects(services: Services, **request: Any) -> list[str]:
    page = services.projects.list({"page_size": 1000, "order_by": "uid", **request})
    return [p["uid"] for p in page["data"]]


def handles(services: Services, **request: Any) -> list[str]:
    page = services.handles.list({"page_size": 1000, "order_by": "uid", **request})
    return [h["uid"] for h in page["data"]]


def refused(call: Any, request: dict[str, Any], param: str, *words: str) -> FieldError:
    with pytest.raises(FieldError) as info:
        call(request)
    assert info.value.field == param
    for word in words:
        assert word in info.value.message
    return info.value


# -- ops on text ----------------------------------------------------------------------------


@pytest.mark.parametrize("op, value, expected", [
    ("=", "Annual", ["p4"]),
    ("!=", "Annual", ["p1", "p2", "p3"]),
    ("<>", "Annual", ["p1", "p2", "p3"]),
    ("like", "%test%", ["p1", "p3"]),  # case-insensitive for ASCII
    ("like", "冷却%", ["p2"]),
    ("like", "_nnual", ["p4"]),
    ("not like", "%test%", ["p2", "p4"]),
    ("LIKE", "%TEST%", ["p1", "p3"]),
    (">", "P", ["p1", "p2", "p3"]),
    ("<", "P", ["p4"]),
    (">=", "Pump test", ["p1", "p2", "p3"]),
    ("<=", "Annual", ["p4"]),
])
def test_text_ops(seeded: Services, op: str, value: str, expected: list[str]) -> None:
    assert projects(seeded, where_and=[["name", op, value]]) == expected


def test_like_treats_a_backslash_as_a_plain_character(seeded: Services) -> None:
    # PostgreSQL's LIKE escapes with a backslash unless told otherwise; SQLite's does not.
    seeded.objects.create({"uid": "share", "name": "\\\\srv\\泵房", "location": "50%"})
    found = seeded.objects.list({"where_and": [["name", "like", "\\\\srv\\%"]]})["data"]
    assert [o["uid"] for o in found] == ["share"]
    assert seeded.objects.list({"where_and": [["location", "like", "50\\%"]]})["data"] == []
    assert seeded.objects.list({"where_and": [["location", "like", "50%"]]})["total_records"] \
        == 1


def test_like_folds_ascii_letters_only(seeded: Services) -> None:
    for uid, name in (("e1", "Éclair"), ("e2", "éclair"), ("e3", "ECLAIR")):
        seeded.objects.create({"uid": uid, "name": name})
    found = seeded.objects.list({"where_and": [["name", "like", "éCLAIR"]],
                                 "order_by": "uid"})["data"]
    assert [o["uid"] for o in found] == ["e2"]
    found = seeded.objects.list({"where_and": [["name", "like", "eclair"]]})["data"]
    assert [o["uid"] for o in found] == ["e3"]


def test_text_sorts_by_bytes(services: Services) -> None:
    names = ["b", "B", "a", "张", "Z", "_x", "é", "a b", "ab"]
    for i, name in enumerate(names):
        services.objects.create({"uid": f"o{i}", "name": name})
    listed = services.objects.list({"order_by": "name", "page_size": 100})["data"]
    assert [o["name"] for o in listed] == sorted(names, key=lambda n: n.encode())
    assert [name for _uid, name in services.objects.names()] == sorted(
        names, key=lambda n: n.encode())


def test_in_and_not_in(seeded: Services) -> None:
    assert projects(seeded, where_and=[["uid", "in", ["p1", "p4", "zz"]]]) == ["p1", "p4"]
    assert projects(seeded, where_and=[["uid", "not in", ["p1", "p4"]]]) == ["p2", "p3"]
    assert projects(seeded, where_and=[["uid", "in", []]]) == []
    assert projects(seeded, where_and=[["uid", "not in", []]]) == ["p1", "p2", "p3", "p4"]


def test_in_needs_a_list(seeded: Services) -> None:
    refused(seeded.projects.list, {"where_and": [["uid", "in", "p1"]]}, "where_and", "uid")


def test_empty_text_equals_empty(seeded: Services) -> None:
    assert projects(seeded, where_and=[["guide", "=", ""]]) == ["p1", "p3", "p4"]


# -- JSON text vs arrays, combination -------------------------------------------------------


def test_json_text_and_arrays_give_the_same_result(seeded: Services) -> None:
    where = [["name", "like", "%test%"], ["period_num", ">", "2"]]
    assert projects(seeded, where_and=json.dumps(where)) == projects(seeded, where_and=where)
    assert projects(seeded, where_and=where) == ["p3"]


def test_empty_filters_mean_no_filter(seeded: Services) -> None:
    everything = ["p1", "p2", "p3", "p4"]
    assert projects(seeded, where_and="", where_or="", where_in="") == everything
    assert projects(seeded, where_and=None, where_or=[], where_in="[]") == everything
    assert projects(seeded, where_and="  ") == everything


def test_where_or_at_least_one(seeded: Services) -> None:
    assert projects(seeded, where_or=[["uid", "=", "p1"], ["name", "=", "Annual"]]) == ["p1",
                                                                                          "p4"]


def test_where_in_each_field_one_of(seeded: Services) -> None:
    assert projects(seeded, where_in=[["uid", ["p1", "p2", "p3"]],
                                      ["period_unit", ["日"]]]) == ["p1", "p2"]
    assert projects(seeded, where_in='[["uid", ["p2"]]]') == ["p2"]


def test_the_three_combine_with_and(seeded: Services) -> None:
    got = projects(seeded,
                   where_and=[["period_num", "<", 50]],
                   where_or=[["name", "like", "%test%"], ["name", "like", "冷却%"]],
                   where_in=[["uid", ["p2", "p3", "p4"]]])
    assert got == ["p2", "p3"]


# -- numbers --------------------------------------------------------------------------------


def test_numbers_compare_as_numbers_not_text(seeded: Services) -> None:
    # As text "3" > "20" and "100" < "20"; as numbers only 25 and 100 exceed 20.
    assert projects(seeded, where_and=[["period_num", ">", "20"]]) == ["p2", "p4"]
    assert projects(seeded, where_and=[["period_num", "<=", 3]]) == ["p1", "p3"]
    assert projects(seeded, where_and=[["period_num", "=", "25"]]) == ["p2"]


def test_fractional_value_against_an_integer_field(seeded: Services) -> None:
    assert projects(seeded, where_and=[["period_num", "=", "2.5"]]) == []
    assert projects(seeded, where_and=[["period_num", "<", "2.5"]]) == ["p1"]
    assert projects(seeded, where_and=[["period_num", "!=", 2.5]]) == ["p1", "p2", "p3", "p4"]
    assert projects(seeded, where_in=[["period_num", [2.5, 3]]]) == ["p3"]


def test_huge_numbers_compare_without_error(seeded: Services) -> None:
    assert projects(seeded, where_and=[["period_num", "<", 10**30]]) == ["p1", "p2", "p3",
                                                                       "p4"]
    assert projects(seeded, where_and=[["period_num", ">", "1e400"]]) == []
    assert handles(seeded, where_and=[["fee", ">", -10**30]]) == ["h1", "h2", "h3"]


def test_like_on_a_number_uses_its_text(seeded: Services) -> None:
    assert projects(seeded, where_and=[["period_num", "like", "2%"]]) == ["p1", "p2"]


def test_not_a_number_names_the_field(seeded: Services) -> None:
    refused(seeded.projects.list, {"where_and": [["period_num", ">", "many"]]}, "where_and",
            "period_num")
    refused(seeded.projects.list, {"where_and": [["period_num", ">", "nan"]]}, "where_and",
            "period_num")


def test_fee_numbers(seeded: Services) -> None:
    assert handles(seeded, where_and=[["fee", ">=", "2.5"]]) == ["h1", "h2"]
    assert handles(seeded, where_and=[["fee", "=", 0]]) == ["h3"]


def test_like_on_a_fee_sees_it_as_the_wire_shows_it(seeded: Services) -> None:
    # Stored as REAL / DOUBLE PRECISION: SQLite's own text of 10.0 is "10.0", PostgreSQL's
    # "10"; 0.1 + 0.2 is "0.3" on SQLite and "0.30000000000000004" on PostgreSQL. Both
    # engines now give the wire's whole number and 15 significant digits.
    task = seeded.tasks.list({"where_and": [["project_id", "=", "p1"]]})["data"][0]["uid"]
    seeded.handles.handle({"uid": "h4", "task_id": task, "fee": 0.1 + 0.2})
    assert handles(seeded, where_and=[["fee", "like", "10"]]) == ["h1"]
    assert handles(seeded, where_and=[["fee", "like", "%.0"]]) == []
    assert handles(seeded, where_and=[["fee", "like", "2.5"]]) == ["h2"]
    assert handles(seeded, where_and=[["fee", "like", "0.3"]]) == ["h4"]
    assert handles(seeded, where_and=[["fee", "like", "0"]]) == ["h3"]


# -- times ----------------------------------------------------------------------------------


def test_a_date_means_midnight(seeded: Services) -> None:
    assert projects(seeded, where_and=[["created", "<", "2024-05-12"]]) == ["p1", "p2"]
    assert projects(seeded, where_and=[["created", "=", "2024-05-12"]]) == ["p3"]
    assert projects(seeded, where_and=[["created", "=", "2024-05-12 00:00:00"]]) == ["p3"]
    assert projects(seeded, where_and=[["created", ">", "2024-05-11 12:35:10"]]) == ["p2", "p3",
                                                                                      "p4"]


def test_times_compare_as_times(seeded: Services) -> None:
    # As text "2024-05-11 23:00:00" < "2024-05-11 9:..." would be wrong; as times it is later.
    assert projects(seeded, where_and=[["created", ">", "2024-05-11 09:30"]]) == ["p2", "p3",
                                                                                   "p4"]


def test_empty_time_means_not_set(seeded: Services) -> None:
    not_started = seeded.tasks.list({"where_and": [["cycle_start", "=", ""]],
                                     "page_size": 100})
    assert {t["project_id"] for t in not_started["data"]} == {"p2", "p4"}
    started = seeded.tasks.list({"where_and": [["cycle_start", "!=", ""]], "page_size": 100})
    assert {t["project_id"] for t in started["data"]} == {"p1", "p3"}


def test_bad_time_names_the_field(seeded: Services) -> None:
    refused(seeded.projects.list, {"where_and": [["created", ">", "last week"]]}, "where_and",
            "created")
    refused(seeded.projects.list, {"where_and": [["created", ">", 20240511]]}, "where_and",
            "created")


# -- list fields ----------------------------------------------------------------------------


def test_list_equals_means_contains(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_id_list", "=", "1"]]) == ["h1"]
    assert handles(seeded, where_and=[["handler_id_list", "=", 2]]) == ["h1"]
    assert handles(seeded, where_and=[["handler_name_list", "=", "王五"]]) == ["h2"]


def test_list_not_equals_means_does_not_contain(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_id_list", "!=", "1"]]) == ["h2", "h3"]


def test_list_like_matches_some_element(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_name_list", "like", "李%"]]) == ["h1"]
    assert handles(seeded, where_and=[["handler_name_list", "not like", "%三%"]]) == ["h2",
                                                                                       "h3"]


def test_list_in_and_where_in(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_id_list", "in", [2, 3]]]) == ["h1", "h2"]
    assert handles(seeded, where_in=[["handler_id_list", ["3"]]]) == ["h2"]
    assert handles(seeded, where_and=[["handler_id_list", "not in", [1]]]) == ["h2", "h3"]


def test_object_id_list_contains(seeded: Services) -> None:
    assert projects(seeded, where_and=[["object_id_list", "=", "kyj1"]]) == ["p1", "p3", "p4"]
    assert projects(seeded, where_and=[["object_id_list", "like", "zsj%"]]) == ["p3"]


def test_list_fields_refuse_order_ops(seeded: Services) -> None:
    refused(seeded.handles.list, {"where_and": [["handler_id_list", ">", 1]]}, "where_and",
            "handler_id_list")


def test_list_of_integers_refuses_text(seeded: Services) -> None:
    refused(seeded.handles.list, {"where_and": [["handler_id_list", "=", "张三"]]}, "where_and",
            "handler_id_list")


def test_fractional_handler_id_matches_nothing(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_id_list", "=", "1.5"]]) == []


# -- status and other task fields -----------------------------------------------------------


def test_status_filter(seeded: Services, fake_clock: FakeClock) -> None:
    def statuses(**request: Any) -> dict[str, str]:
        page = seeded.tasks.list({"page_size": 100, **request})
        return {t["uid"]: t["status"] for t in page["data"]}

    every = statuses()
    assert set(every.values()) == {"正常", "未启动"}
    fake_clock.advance(days=3)  # p1's 2-day cycle (handled 05-13 00:00) is due on 05-15
    due = statuses(where_and=[["status", "=", "已到期"]])
    assert due and set(due.values()) == {"已到期"}
    assert statuses(where_in=[["status", ["已到期", "未启动"]]]).keys() == {
        uid for uid, s in statuses().items() if s in ("已到期", "未启动")}
    assert set(statuses(where_and=[["status", "!=", "未启动"]]).values()) <= {"正常", "已到期",
                                                                           "即将到期"}


def test_status_value_must_be_known(seeded: Services) -> None:
    refused(seeded.tasks.list, {"where_and": [["status", "=", "late"]]}, "where_and", "status")


def test_task_fields_from_project_and_object(seeded: Services) -> None:
    page = seeded.tasks.list({"where_and": [["object_name", "like", "注塑%"],
                                            ["project_name", "like", "%test%"],
                                            ["period_num", ">", "2"],
                                            ["anchor_type", "=", "按计划时间"]]})
    assert [t["object_id"] for t in page["data"]] == ["zsj3"]


def test_original_task_list_example_filter_is_accepted(seeded: Services) -> None:
    where = ('[["object_id","like","%test%"],["object_name","=","%test%"],'
             '["object_alias","=","%test%"],["project_id","like","%test%"],'
             '["project_name","=","%test%"],["project_alias","=","%test%"],'
             '["period_num",">","20"],["period_unit","=",""],'
             '["created",">","2024-05-11 12:35:10"]]')
    assert seeded.tasks.list({"page_size": 20, "page_index": 1, "where_and": where,
                              "where_or": "", "where_in": ""})["data"] == []


def test_original_handle_list_example_filter_is_accepted(seeded: Services) -> None:
    where = ('[["handler_id_list","=","1"],["result","like","%%"],'
             '["created",">","2024-05-11 12:35:10"]]')
    got = seeded.handles.list({"where_and": where, "where_or": "", "where_in": ""})
    assert [h["uid"] for h in got["data"]] == ["h1"]


# -- order_by -------------------------------------------------------------------------------


def test_default_order_is_newest_first(seeded: Services) -> None:
    got = seeded.projects.list({})["data"]
    assert [p["uid"] for p in got] == ["p4", "p3", "p2", "p1"]
    assert [h["uid"] for h in seeded.handles.list({})["data"]] == ["h3", "h2", "h1"]


def test_order_by_ascending_and_descending(seeded: Services) -> None:
    assert projects(seeded, order_by="period_num") == ["p1", "p3", "p2", "p4"]
    assert projects(seeded, order_by="-period_num") == ["p4", "p2", "p3", "p1"]
    # Units sort by code point (日 < 时 < 月); within 日, larger periods first.
    assert projects(seeded, order_by="period_unit,-period_num") == ["p2", "p1", "p4", "p3"]


def add_meter_projects(services: Services, readings: dict[str, float],
                       objects: dict[str, list[str]]) -> None:
    """A started statistic-cycle project per meter (uid ``s-<meter>``), at its reading."""
    for meter, value in readings.items():
        services.statistics.create({"uid": meter, "name": meter})
        services.statistics.add_value({"statistics_id": meter, "value": value})
        services.projects.create(project(f"s-{meter}", f"按{meter}", 100, "", objects[meter],
                                         cycle_type="统计周期", statistics_id=meter))
        services.projects.start({"uid": f"s-{meter}"})


def expected_order(records: list[dict[str, Any]], name: str, kind: str,
                   descending: bool) -> list[str]:
    """Task uids in the order the spec asks for: by the field's value (missing values last
    either way), equal values by row id in the same direction (task uids follow row ids)."""
    def missing(record: dict[str, Any]) -> bool:
        return record[name] is None or (kind == filters.TIME and record[name] == "")

    present = sorted((r for r in records if not missing(r)),
                     key=lambda r: (r[name], r["uid"]), reverse=descending)
    absent = sorted((r for r in records if missing(r)), key=lambda r: r["uid"],
                    reverse=descending)
    return [r["uid"] for r in present + absent]


def test_order_by_every_task_field(seeded: Services, fake_clock: FakeClock) -> None:
    add_meter_projects(seeded, {"hours": 40, "shots": 7}, {"hours": ["kyj1"],
                                                           "shots": ["zsj3", "lqt2"]})
    records = seeded.tasks.list({"page_size": 100})["data"]
    fields = queries.task_fields(seeded.ctx.store, fake_clock.now())
    assert len(records) == 8 and set(fields) == set(records[0])
    in_row_order = sorted(r["uid"] for r in records)
    telling = set()
    for name, spec in fields.items():
        for descending in (False, True):
            order = f"-{name}" if descending else name
            page = seeded.tasks.list({"order_by": order, "page_size": 100})
            expected = expected_order(records, name, spec.kind, descending)
            assert [t["uid"] for t in page["data"]] == expected, order
        if expected_order(records, name, spec.kind, False) != in_row_order:
            telling.add(name)
    # Ordering by these would be caught if it were ignored: their order is not the rows'.
    assert telling >= {"project_name", "object_name", "period_num", "status", "due_at",
                       "notice_at", "current_value", "start_value", "due_value",
                       "last_handle_at", "is_active"}, telling


def test_order_by_statistic_current_value(services: Services) -> None:
    add_meter_projects(services, {"mid": 50, "low": 7, "high": 300},
                       {"mid": ["a"], "low": ["b"], "high": ["c"]})
    services.projects.create(project("n", "按天", 1, "日", ["d"]))  # no meter: no value

    def values(order_by: str) -> list[Any]:
        page = services.tasks.list({"order_by": order_by})
        return [t["current_value"] for t in page["data"]]

    assert values("current_value") == [7, 50, 300, None]
    assert values("-current_value") == [300, 50, 7, None]  # no value last either way


@pytest.mark.parametrize("order_by", ["nope", "-", "name;DROP TABLE project", "object_id_list",
                                      "name desc"])
def test_bad_order_by_names_it(seeded: Services, order_by: str) -> None:
    refused(seeded.projects.list, {"order_by": order_by}, "order_by")


def test_order_by_must_be_text(seeded: Services) -> None:
    refused(seeded.projects.list, {"order_by": ["name"]}, "order_by")


# -- bad requests ---------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["where_and", "where_or"])
def test_unknown_field_is_named(seeded: Services, param: str) -> None:
    err = refused(seeded.projects.list, {param: [["colour", "=", "red"]]}, param, "colour")
    assert "name" in err.message  # says which fields exist


def test_unknown_op_is_named(seeded: Services) -> None:
    refused(seeded.projects.list, {"where_and": [["name", "~", "x"]]}, "where_and", "~")
    refused(seeded.projects.list, {"where_and": [["name", "regexp", "x"]]}, "where_and",
            "regexp")


@pytest.mark.parametrize("param, value", [
    ("where_and", '[["name","=","x"]'),
    ("where_or", "not json"),
    ("where_in", "{"),
])
def test_malformed_json_is_named(seeded: Services, param: str, value: str) -> None:
    refused(seeded.projects.list, {param: value}, param, "JSON")


@pytest.mark.parametrize("param, value", [
    ("where_and", {"name": "x"}),
    ("where_and", 5),
    ("where_and", '{"name": "x"}'),
    ("where_and", [["name", "="]]),
    ("where_and", ["name", "=", "x"]),
    ("where_or", [["name", "=", "x", "y"]]),
    ("where_in", [["uid", "p1"]]),
    ("where_in", [["uid"]]),
    ("where_and", [[["name"], "=", "x"]]),
    ("where_and", [["name", None, "x"]]),
    ("where_and", [["name", "=", ["x"]]]),
    ("where_and", [["name", "like", {"a": 1}]]),
])
def test_wrong_shapes_are_named(seeded: Services, param: str, value: Any) -> None:
    refused(seeded.projects.list, {param: value}, param)


def test_deeply_nested_json_is_refused_not_crashing(seeded: Services) -> None:
    refused(seeded.projects.list, {"where_and": "[" * 100_000}, "where_and")
    refused(seeded.projects.list, {"where_and": "[" * 100_000 + "]" * 100_000}, "where_and")


# -- injection ------------------------------------------------------------------------------


INJECTIONS = [
    "name; DROP TABLE project",
    'uid" OR 1=1 --',
    "' OR '1'='1",
    "x'); DELETE FROM handle; --",
    "1 OR 1=1",
    "name) OR (1=1",
    "%' OR 1=1 --",
    "名称\"; DROP TABLE task; --",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_as_field_is_refused(seeded: Services, text: str) -> None:
    before = table_counts(seeded)
    for param in ("where_and", "where_or"):
        refused(seeded.projects.list, {param: [[text, "=", "x"]]}, param)
    refused(seeded.handles.list, {"where_in": [[text, ["x"]]]}, "where_in")
    refused(seeded.tasks.list, {"order_by": text}, "order_by")
    assert table_counts(seeded) == before


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_as_op_is_refused(seeded: Services, text: str) -> None:
    before = table_counts(seeded)
    refused(seeded.projects.list, {"where_and": [["name", text, "x"]]}, "where_and")
    refused(seeded.handles.list, {"where_or": [["uid", "= 1 OR " + text, "x"]]}, "where_or")
    assert table_counts(seeded) == before


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_as_value_matches_nothing(seeded: Services, text: str) -> None:
    before = table_counts(seeded)
    for entity, field in ((seeded.projects, "name"), (seeded.projects, "uid"),
                          (seeded.tasks, "object_name"), (seeded.handles, "result"),
                          (seeded.handles, "handler_name_list"), (seeded.objects, "name")):
        for op in ("=", "like", "in"):
            value: Any = [text] if op == "in" else text
            assert entity.list({"where_and": [[field, op, value]]})["data"] == []
        assert entity.list({"where_in": [[field, [text]]]})["data"] == []
    assert table_counts(seeded) == before
    assert projects(seeded) == ["p1", "p2", "p3", "p4"]


def test_nul_in_a_value_is_refused_rather_than_matching_empty(seeded: Services) -> None:
    refused(seeded.handles.list, {"where_and": [["result", "like", "\x00"]]}, "where_and",
            "result")
    refused(seeded.handles.list, {"where_and": [["result", "=", "a\x00"]]}, "where_and")
    refused(seeded.handles.list, {"where_in": [["result", ["\x00"]]]}, "where_in")


def test_injection_in_list_parameters_is_refused(seeded: Services) -> None:
    before = table_counts(seeded)
    refused(seeded.projects.list, {"page_size": "10; DROP TABLE project"}, "page_size")
    refused(seeded.projects.list, {"page_index": "1 OR 1=1"}, "page_index")
    assert table_counts(seeded) == before


# -- edge values ----------------------------------------------------------------------------


def test_booleans_and_null_as_values(seeded: Services) -> None:
    assert projects(seeded, where_and=[["is_active", "=", True]]) == ["p1", "p3"]
    assert projects(seeded, where_and=[["is_active", "=", False]]) == ["p2", "p4"]
    assert projects(seeded, where_and=[["guide", "=", None]]) == ["p1", "p3", "p4"]
    assert handles(seeded, where_and=[["result", "like", None]]) == ["h2"]


def test_empty_time_with_order_ops_matches_nothing(seeded: Services) -> None:
    got = seeded.tasks.list({"where_and": [["cycle_start", ">", ""]]})
    assert got["data"] == []


def test_where_in_time_with_empty_means_not_set(seeded: Services) -> None:
    got = seeded.tasks.list({"where_in": [["cycle_start", [""]]], "page_size": 100})
    assert {t["project_id"] for t in got["data"]} == {"p2", "p4"}
    got = seeded.tasks.list({"where_in": [["last_handle_at", ["", "2024-05-13 00:00:00"]]],
                             "page_size": 100})
    # p2 and p4 were never handled; h1 was written at exactly 05-13 00:00 (h2, h3 later).
    assert got["total_records"] == 3


def test_empty_in_list_on_a_list_field(seeded: Services) -> None:
    assert handles(seeded, where_and=[["handler_id_list", "in", []]]) == []
    assert handles(seeded, where_and=[["handler_id_list", "not in", []]]) == ["h1", "h2", "h3"]


def test_current_value_filters(services: Services) -> None:
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    services.statistics.add_value({"statistics_id": "hours", "value": 50})
    services.projects.create(project("s", "按小时", 25, "", ["a"], cycle_type="统计周期",
                                     statistics_id="hours"))
    services.projects.create(project("n", "按天", 1, "日", ["a"]))
    for where, expected in (([["current_value", ">", 5]], ["s"]),
                            ([["current_value", "in", [50]]], ["s"]),
                            ([["current_value", "<", 5]], [])):
        page = services.tasks.list({"where_and": where})
        assert [t["project_id"] for t in page["data"]] == expected


# -- the whitelist is exactly the wire record -----------------------------------------------


def test_filterable_fields_are_exactly_the_wire_fields(seeded: Services,
                                                       fake_clock: FakeClock) -> None:
    add_meter_projects(seeded, {"hours": 1}, {"hours": ["kyj1"]})
    add_first_project_with_checklist(seeded)
    store = seeded.ctx.store
    entities = [
        (seeded.projects.list, queries.project_fields(store)),
        (seeded.tasks.list, queries.task_fields(store, fake_clock.now())),
        (seeded.handles.list, queries.handle_fields(store)),
        (seeded.objects.list, queries.object_fields(store)),
        (seeded.statistics.list, queries.statistic_fields(store)),
        (seeded.statistics.value_list, queries.reading_fields(store)),
        (seeded.handlers.list, queries.handler_fields(store)),
    ]
    for lister, fields in entities:
        records = lister({"page_size": 1000})["data"]
        assert set(fields) == set(records[0]), lister
        for name, spec in fields.items():  # and each of them really filters on its value
            record = next(r for r in records if r[name] not in (None, []))
            if name in JSON_DOCUMENTS:  # a list of objects: found by ``like`` on its text
                word = record[name][0]["name"]
                found = lister({"where_and": [[name, "like", f"%{word}%"]]})["data"]
                assert [r["uid"] for r in found] == [record["uid"]], name
                continue
            value = record[name][0] if spec.is_list else record[name]

            def has(r: dict[str, Any], name: str = name, value: Any = value,
                    is_list: bool = spec.is_list) -> bool:
                return value in r[name] if is_list else r[name] == value

            equal = lister({"where_and": [[name, "=", value]], "page_size": 1000})["data"]
            other = lister({"where_and": [[name, "!=", value]], "page_size": 1000})["data"]
            assert record in equal and all(has(r) for r in equal), name
            assert not any(has(r) for r in other), name


JSON_DOCUMENTS = {"checklist", "checklist_results"}


def add_first_project_with_checklist(services: Services) -> None:
    """A started whichever-first project with a checklist, and a handle with results."""
    services.statistics.create({"uid": "km", "name": "里程"})
    services.statistics.add_value({"statistics_id": "km", "value": 10})
    services.projects.create(project(
        "f1", "先到保养", 6, "月", ["lqt2"], cycle_type="先到周期", statistics_id="km",
        statistics_period_num=500, checklist=[{"name": "油位", "kind": "check"}]))
    services.projects.start({"uid": "f1"})
    services.ctx.clock.advance(hours=1)  # 10 km an hour: the meter limit comes first
    services.statistics.add_value({"statistics_id": "km", "value": 20})
    task = task_uids(services, "f1")[0]
    assert services.tasks.get({"uid": task})["due_by"] == "读数"
    services.handles.handle({"uid": "hf", "task_id": task,
                             "checklist_results": [{"name": "油位", "value": "异常"}]})


def test_list_filters_with_names_only_and_ids_only_handles(seeded: Services) -> None:
    task = task_uids(seeded, "p1")[0]
    seeded.handles.handle({"uid": "names", "task_id": task, "handler_name_list": ["临时工"]})
    seeded.handles.handle({"uid": "ids", "task_id": task, "handler_id_list": [7]})
    assert handles(seeded, where_and=[["handler_id_list", "=", 7]]) == ["ids"]
    assert handles(seeded, where_and=[["handler_id_list", "!=", 7]]) == ["h1", "h2", "h3",
                                                                        "names"]
    assert handles(seeded, where_and=[["handler_id_list", "not in", [1, 7]]]) == ["h2", "h3",
                                                                                 "names"]
    assert handles(seeded, where_and=[["handler_name_list", "=", "临时工"]]) == ["names"]
    assert handles(seeded, where_and=[["handler_name_list", "=", "7"]]) == ["ids"]
    assert handles(seeded, where_and=[["handler_name_list", "not like", "%"]]) == ["h3"]


def test_newest_first_is_read_from_the_index_not_sorted(services: Services) -> None:
    """``created DESC NULLS LAST`` cannot use PostgreSQL's index on ``created`` (its
    backward scan gives NULLS FIRST): every handle was sorted for a page, 1.1 s at
    1,000,000. A column that is never empty needs no NULLS clause on either engine."""
    store = services.ctx.store
    handle = store.Handle
    query = handle.select().order_by(*filters.build_order(
        queries.handle_fields(store), "-created"), handle.id.desc()).limit(50)
    sql, params = query.sql()
    with services.db.atomic():
        if store.is_postgres:  # an empty table is read whole; ask as if it were large
            services.db.execute_sql("SET LOCAL enable_seqscan = off")
            services.db.execute_sql("SET LOCAL enable_sort = off")
        explain = "EXPLAIN " if store.is_postgres else "EXPLAIN QUERY PLAN "
        plan = " ".join(str(row) for row in services.db.execute_sql(explain + sql, params))
    assert "NULLS" not in sql.upper()
    assert "handle_created" in plan, plan
    assert "TEMP B-TREE" not in plan and "-> Sort" not in plan, plan


def test_a_column_that_may_be_empty_keeps_empty_values_last(services: Services) -> None:
    store = services.ctx.store
    ordering = filters.build_order(queries.handle_fields(store), "-due_at")
    sql, _ = store.Handle.select().order_by(*ordering).sql()
    assert "NULLS LAST" in sql.upper()
