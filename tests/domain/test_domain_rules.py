"""Field rules — spec §2 (common rules), §3 (project fields), §5 (handle fields).

Code: domain/rules.py (project_input, handle_input, object_input, statistic_input and the
read_* helpers). Every refusal is a FieldError whose ``field`` is the wire name and whose
message names it, so the API's ``info`` and the GUI's field hint say which field is wrong.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixtimer_gui.domain import clock, cycles, rules
from mixtimer_gui.domain.cycles import BY_COMPLETION, BY_PLAN, NATURAL, STATISTIC
from mixtimer_gui.domain.errors import FieldError


def project(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uid": "", "name": "空压机保养", "alias": "", "description": "", "cycle_type": NATURAL,
        "statistics_id": "", "period_num": 2, "period_unit": "日", "notice_num": 1,
        "notice_unit": "日", "guide": "", "object_id_list": ["a", "c"],
    }
    data.update(changes)
    return data


def refused(fn: Any, data: dict[str, Any], field: str) -> FieldError:
    with pytest.raises(FieldError) as info:
        fn(data)
    assert info.value.field == field
    assert field in info.value.message
    return info.value


# -- name -----------------------------------------------------------------------------------


def test_name_is_required() -> None:
    refused(rules.project_input, project(name=""), "name")
    refused(rules.project_input, project(name="   "), "name")
    data = project()
    del data["name"]
    refused(rules.project_input, data, "name")


def test_name_is_trimmed() -> None:
    assert rules.project_input(project(name="  冷却塔  ")).name == "冷却塔"


def test_name_at_most_100_characters() -> None:
    assert rules.project_input(project(name="泵" * 100)).name == "泵" * 100
    refused(rules.project_input, project(name="泵" * 101), "name")


def test_name_of_wrong_json_type_names_the_field() -> None:
    refused(rules.project_input, project(name=["a"]), "name")
    refused(rules.project_input, project(name={"a": 1}), "name")
    refused(rules.project_input, project(name=True), "name")


# -- cycle_type, period, notice -------------------------------------------------------------


def test_cycle_type_accepts_both_values() -> None:
    assert rules.project_input(project(cycle_type=NATURAL)).cycle_type == NATURAL
    assert rules.project_input(project(cycle_type=STATISTIC)).cycle_type == STATISTIC


def test_cycle_type_synonym_is_stored_as_statistic() -> None:
    assert rules.project_input(project(cycle_type="统计时间周期")).cycle_type == STATISTIC


def test_cycle_type_unknown_or_missing_is_refused() -> None:
    refused(rules.project_input, project(cycle_type="按天"), "cycle_type")
    refused(rules.project_input, project(cycle_type=""), "cycle_type")
    refused(rules.project_input, project(cycle_type=1), "cycle_type")


@pytest.mark.parametrize("value, expected", [(1, 1), (25, 25), ("2", 2), (" 3 ", 3),
                                             (4.0, 4), ("5.0", 5)])
def test_period_num_integer_at_least_one_numeric_strings_accepted(value: Any,
                                                                  expected: int) -> None:
    assert rules.project_input(project(period_num=value)).period_num == expected


@pytest.mark.parametrize("value", [0, -1, "0", 1.5, "abc", "", None, True, [2], {"n": 2},
                                   "nan", "inf", 2**40])
def test_period_num_refused(value: Any) -> None:
    refused(rules.project_input, project(period_num=value), "period_num")


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**53 + 1, float("inf"),
                                   float("-inf"), float("nan"), "1e400", "-1e400", "nan"],
                         ids=["10**400", "-10**400", "2**53+1", "inf", "-inf", "nan",
                              "'1e400'", "'-1e400'", "'nan'"])
@pytest.mark.parametrize("reader", [rules.read_int, rules.read_number])
def test_numbers_no_field_holds_are_refused_naming_the_field(reader: Any, value: Any) -> None:
    # Before: float(10**400) raised OverflowError out of the rule (a 10500 on the wire).
    refused(lambda data: reader(data, "amount"), {"amount": value}, "amount")
    refused(lambda data: rules.read_int_list(data, "ids"), {"ids": [1, value]}, "ids")


def test_period_num_missing_is_refused() -> None:
    data = project()
    del data["period_num"]
    refused(rules.project_input, data, "period_num")


@pytest.mark.parametrize("unit", ["时", "日", "周", "月", "年"])
def test_period_unit_values_for_natural(unit: str) -> None:
    assert rules.project_input(project(period_unit=unit)).period_unit == unit


def test_period_unit_required_for_natural() -> None:
    err = refused(rules.project_input, project(period_unit=""), "period_unit")
    assert "添加失败" in err.message or "不能为空" in err.message
    refused(rules.project_input, project(period_unit=None), "period_unit")
    refused(rules.project_input, project(period_unit="天"), "period_unit")


def test_period_unit_ignored_and_kept_for_statistic() -> None:
    assert rules.project_input(project(cycle_type=STATISTIC, period_unit="")).period_unit == ""
    got = rules.project_input(project(cycle_type=STATISTIC, period_unit="日"))
    assert got.period_unit == "日"


@pytest.mark.parametrize("unit", ["月", "日"])
def test_notice_unit_month_or_day(unit: str) -> None:
    assert rules.project_input(project(notice_unit=unit)).notice_unit == unit


@pytest.mark.parametrize("unit", ["周", "年", "时", "day", 1])
def test_notice_unit_only_month_or_day(unit: Any) -> None:
    refused(rules.project_input, project(notice_unit=unit), "notice_unit")


def test_notice_num_zero_allowed_negative_refused() -> None:
    assert rules.project_input(project(notice_num=0)).notice_num == 0
    assert rules.project_input(project(notice_num="3")).notice_num == 3
    refused(rules.project_input, project(notice_num=-1), "notice_num")
    refused(rules.project_input, project(notice_num="x"), "notice_num")


def test_anchor_type_default_and_values() -> None:
    assert rules.project_input(project()).anchor_type == BY_COMPLETION
    assert rules.project_input(project(anchor_type=BY_PLAN)).anchor_type == BY_PLAN
    refused(rules.project_input, project(anchor_type="随便"), "anchor_type")


# -- object_id_list -------------------------------------------------------------------------


def test_object_id_list_dedupes_and_keeps_order() -> None:
    got = rules.project_input(project(object_id_list=["c", "a", "c", "b", "a"]))
    assert got.object_id_list == ["c", "a", "b"]


def test_object_id_list_accepts_json_text_and_empty() -> None:
    assert rules.project_input(project(object_id_list='["x","y"]')).object_id_list == ["x", "y"]
    assert rules.project_input(project(object_id_list=[])).object_id_list == []
    assert rules.project_input(project(object_id_list=None)).object_id_list == []


@pytest.mark.parametrize("value", [{"a": 1}, [["a"]], [None], ["a b"], ["x" * 65], 5, "[bad"])
def test_object_id_list_wrong_shape_names_the_field(value: Any) -> None:
    refused(rules.project_input, project(object_id_list=value), "object_id_list")


# -- optional Object fields, extra params, audit ---------------------------------------------


def test_null_object_fields_are_stored_as_empty() -> None:
    got = rules.project_input(project(alias=None, description=None, guide=None,
                                      statistics_id=None))
    assert (got.alias, got.description, got.guide, got.statistics_id) == ("", "", "", "")


def test_unknown_extra_params_are_ignored() -> None:
    got = rules.project_input(project(action="create_v2_project", colour="red", extra=[1]))
    assert got.name == "空压机保养"


def test_wrong_type_for_text_field_names_the_field() -> None:
    refused(rules.project_input, project(description=["x"]), "description")
    refused(rules.project_input, project(guide={"a": 1}), "guide")


def test_nul_character_refused() -> None:
    refused(rules.project_input, project(description="a\x00b"), "description")


def test_audit_fields_default() -> None:
    got = rules.project_input(project())
    assert (got.organization_id, got.operator) == ("", 0)
    refused(rules.project_input, project(created_by="boss"), "created_by")


# -- client uids ----------------------------------------------------------------------------


@pytest.mark.parametrize("uid", ["na_test", "A", "a.b-c_d", "x" * 64, "MTP0000000000001"])
def test_client_uid_format_accepted(uid: str) -> None:
    assert rules.project_input(project(uid=uid)).uid == uid


@pytest.mark.parametrize("uid", ["x" * 65, "a b", "名字", "a/b", "a;b", "uid\" OR 1=1 --",
                                 "a\nb"])
def test_client_uid_format_refused(uid: Any) -> None:
    refused(rules.project_input, project(uid=uid), "uid")


def test_empty_uid_means_generate() -> None:
    assert rules.project_input(project(uid="")).uid == ""
    assert rules.project_input(project(uid=None)).uid == ""


# -- handles --------------------------------------------------------------------------------


def handle(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"description": "", "task_id": "MTT0000000000001",
                            "handler_id_list": [1, 2], "handler_name_list": ["1", "2"],
                            "fee": 0, "result": "", "images": ""}
    data.update(changes)
    return data


def test_handle_task_id_required() -> None:
    refused(rules.handle_input, handle(task_id=""), "task_id")
    refused(rules.handle_input, handle(task_id=None), "task_id")


def test_handler_lists_equal_length() -> None:
    refused(rules.handle_input, handle(handler_id_list=[1, 2], handler_name_list=["a"]),
            "handler_name_list")
    got = rules.handle_input(handle(handler_id_list=[1], handler_name_list=[]))
    assert got.handler_id_list == [1]


def test_handler_id_list_integers() -> None:
    got = rules.handle_input(handle(handler_id_list=["1", 2], handler_name_list=[]))
    assert got.handler_id_list == [1, 2]
    refused(rules.handle_input, handle(handler_id_list=["x"], handler_name_list=[]),
            "handler_id_list")
    refused(rules.handle_input, handle(handler_id_list=[1.5], handler_name_list=[]),
            "handler_id_list")
    refused(rules.handle_input, handle(handler_id_list={"a": 1}), "handler_id_list")


def test_handler_name_list_strings() -> None:
    refused(rules.handle_input, handle(handler_name_list=[{"n": 1}, "b"]), "handler_name_list")


def test_fee_default_zero_and_not_negative() -> None:
    data = handle()
    del data["fee"]
    assert rules.handle_input(data).fee == 0
    assert rules.handle_input(handle(fee="12.5")).fee == 12.5
    refused(rules.handle_input, handle(fee=-0.01), "fee")
    refused(rules.handle_input, handle(fee="free"), "fee")
    refused(rules.handle_input, handle(fee=[1]), "fee")


def test_images_list_is_joined_with_semicolons() -> None:
    assert rules.handle_input(handle(images=["a.png", "b.jpg"])).images == "a.png;b.jpg"
    assert rules.handle_input(handle(images="x.png")).images == "x.png"
    assert rules.handle_input(handle(images=None)).images == ""
    refused(rules.handle_input, handle(images=[{"a": 1}]), "images")


def test_ignore_sets_result_and_drops_handlers() -> None:
    got = rules.handle_input({"task_id": "MTT1", "description": "停产"}, ignoring=True)
    assert (got.result, got.description, got.fee, got.handler_id_list) == ("忽略", "停产", 0.0,
                                                                            [])


# -- objects and statistics -----------------------------------------------------------------


def test_object_name_required_and_trimmed() -> None:
    assert rules.object_input({"name": " 注塑机A3 "}).name == "注塑机A3"
    refused(rules.object_input, {"name": ""}, "name")
    refused(rules.object_input, {"name": "x" * 101}, "name")


def test_statistic_name_required() -> None:
    assert rules.statistic_input({"name": "运行小时", "unit": "h"}).unit == "h"
    refused(rules.statistic_input, {"name": " "}, "name")


def test_read_time_formats() -> None:
    assert rules.read_time({"t": ""}, "t") is None
    assert rules.read_time({"t": "2024-05-11"}, "t") == rules.read_time(
        {"t": "2024-05-11 00:00:00"}, "t")
    refused(lambda d: rules.read_time(d, "t"), {"t": "11/05/2024"}, "t")
    refused(lambda d: rules.read_time(d, "t"), {"t": "2024-13-01"}, "t")


# -- spans the calendar can hold ------------------------------------------------------------


@pytest.mark.parametrize("unit, limit", [("时", 876_600), ("日", 36_525), ("周", 5_218),
                                         ("月", 1_200), ("年", 100)])
def test_period_longer_than_100_years_is_refused(unit: str, limit: int) -> None:
    assert rules.project_input(project(period_num=limit, period_unit=unit)).period_num == limit
    refused(rules.project_input, project(period_num=limit + 1, period_unit=unit), "period_num")


def test_statistic_period_is_not_a_time_span() -> None:
    got = rules.project_input(project(cycle_type=STATISTIC, period_num=10**9, period_unit=""))
    assert got.period_num == 10**9


@pytest.mark.parametrize("unit, limit", [("月", 1_200), ("日", 36_525)])
def test_notice_longer_than_100_years_is_refused(unit: str, limit: int) -> None:
    assert rules.project_input(project(notice_num=limit, notice_unit=unit)).notice_num == limit
    refused(rules.project_input, project(notice_num=limit + 1, notice_unit=unit), "notice_num")


@pytest.mark.parametrize("unit", ["时", "日", "周", "月", "年"])
def test_longest_accepted_plan_computes_and_shows_its_dates(unit: str) -> None:
    inp = rules.project_input(project(period_num=cycles.MAX_PERIOD[unit], period_unit=unit,
                                      notice_num=1200, notice_unit="月", anchor_type=BY_PLAN))
    cycle = cycles.begin_natural(inp.rule, clock.parse_wire("2024-05-11 09:00:00"))
    for _ in range(3):
        assert cycle.due_at is not None
        cycle, _skipped = cycles.close_natural(inp.rule, cycle, cycle.due_at)
        assert clock.format_wire(cycle.due_at) and clock.format_wire(cycle.notice_at)


# -- list limits ----------------------------------------------------------------------------


def test_object_id_list_as_comma_or_semicolon_text() -> None:
    assert rules.project_input(project(object_id_list="a, b;c")).object_id_list == ["a", "b",
                                                                                   "c"]


def test_list_items_limits() -> None:
    refused(rules.handle_input, handle(handler_name_list=["x" * 201]), "handler_name_list")
    refused(rules.handle_input, handle(handler_name_list=["a\x00"]), "handler_name_list")
    refused(rules.project_input, project(object_id_list=[f"o{i}" for i in range(1001)]),
            "object_id_list")
    refused(rules.handle_input, handle(handler_id_list=list(range(1001)),
                                       handler_name_list=[]), "handler_id_list")
    refused(rules.handle_input, handle(handler_id_list=[1, ""], handler_name_list=[]),
            "handler_id_list")


def test_fee_too_large() -> None:
    refused(rules.handle_input, handle(fee=1e16), "fee")
