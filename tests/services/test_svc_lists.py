"""List paging — spec §6 "Request"/"Result": page_size default 10, 1–1000 with larger values
capped at 1000, 0/negative refused, page_index 1-based, a page past the end has empty data,
total_pages = ceil(total_records / page_size), default order -created (newest first).
Every list action of §3–§7 is paged the same way.

Code: services/wire.py (page_params, page_result), store/queries.py (page).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import Services

OBJECTS = 23


@pytest.fixture
def many(services: Services, fake_clock: FakeClock) -> Services:
    for i in range(OBJECTS):
        services.objects.create({"uid": f"obj{i:02d}", "name": f"设备{i:02d}"})
        fake_clock.advance(minutes=1)
    return services


def test_page_size_defaults_to_10(many: Services) -> None:
    page = many.objects.list({})
    assert (page["page_index"], page["page_size"], len(page["data"])) == (1, 10, 10)
    assert page["total_records"] == OBJECTS
    assert page["total_pages"] == 3


@pytest.mark.parametrize("size", [1, 5, 7, 10, 22, 23, 24, 1000])
def test_total_pages_is_the_ceiling(many: Services, size: int) -> None:
    page = many.objects.list({"page_size": size})
    assert page["total_pages"] == math.ceil(OBJECTS / size)
    assert len(page["data"]) == min(size, OBJECTS)


def test_pages_cover_every_record_once(many: Services) -> None:
    seen: list[str] = []
    for index in range(1, 5):
        seen += [o["uid"] for o in many.objects.list({"page_size": 7,
                                                      "page_index": index})["data"]]
    assert sorted(seen) == [f"obj{i:02d}" for i in range(OBJECTS)]
    assert len(seen) == len(set(seen))


def test_page_past_the_end_is_empty(many: Services) -> None:
    page = many.objects.list({"page_size": 10, "page_index": 4})
    assert page["data"] == []
    assert (page["page_index"], page["total_records"], page["total_pages"]) == (4, OBJECTS, 3)


def test_page_size_over_1000_is_capped(many: Services) -> None:
    page = many.objects.list({"page_size": 5000})
    assert page["page_size"] == 1000
    assert len(page["data"]) == OBJECTS


@pytest.mark.parametrize("size", [0, -1, "0", "-5"])
def test_page_size_zero_or_negative_is_refused(many: Services, size: Any) -> None:
    with pytest.raises(FieldError) as info:
        many.objects.list({"page_size": size})
    assert info.value.field == "page_size"


@pytest.mark.parametrize("index", [0, -1])
def test_page_index_starts_at_one(many: Services, index: int) -> None:
    with pytest.raises(FieldError) as info:
        many.objects.list({"page_index": index})
    assert info.value.field == "page_index"


@pytest.mark.parametrize("param, value", [("page_size", "ten"), ("page_size", 2.5),
                                          ("page_index", [1]), ("page_index", True)])
def test_paging_parameters_of_wrong_type(many: Services, param: str, value: Any) -> None:
    with pytest.raises(FieldError) as info:
        many.objects.list({param: value})
    assert info.value.field == param


def test_numeric_strings_accepted_for_paging(many: Services) -> None:
    page = many.objects.list({"page_size": "5", "page_index": "2"})
    assert (page["page_size"], page["page_index"], len(page["data"])) == (5, 2, 5)


def test_default_order_is_newest_first(many: Services) -> None:
    uids = [o["uid"] for o in many.objects.list({"page_size": 3})["data"]]
    assert uids == ["obj22", "obj21", "obj20"]


def test_same_created_time_keeps_a_stable_order(services: Services) -> None:
    for i in range(15):
        services.objects.create({"uid": f"same{i:02d}", "name": "x"})
    first = [o["uid"] for o in services.objects.list({"page_size": 8})["data"]]
    second = [o["uid"] for o in services.objects.list({"page_size": 8,
                                                       "page_index": 2})["data"]]
    assert len(set(first + second)) == 15


def test_equal_values_follow_the_direction_of_the_order(services: Services) -> None:
    for i in range(4):
        services.objects.create({"uid": f"same{i}", "name": "x"})  # one created moment
    in_order = ["same0", "same1", "same2", "same3"]
    for order_by, expected in (("created", in_order), ("-created", in_order[::-1]),
                               ("  ", in_order[::-1])):  # blank = the default, -created
        page = services.objects.list({"order_by": order_by})
        assert [o["uid"] for o in page["data"]] == expected, order_by


def test_empty_list(services: Services) -> None:
    page = services.handles.list({})
    assert page == {"page_index": 1, "page_size": 10, "total_pages": 0, "total_records": 0,
                    "data": []}


@pytest.mark.parametrize("entity", ["projects", "tasks", "handles", "objects", "statistics",
                                    "handlers"])
def test_every_list_has_the_page_shape(services: Services, entity: str) -> None:
    page = getattr(services, entity).list({"page_size": 3})
    assert list(page) == ["page_index", "page_size", "total_pages", "total_records", "data"]
    with pytest.raises(FieldError):
        getattr(services, entity).list({"page_size": 0})


def test_reading_list_is_paged_newest_first(services: Services, fake_clock: FakeClock) -> None:
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    for value in range(12):
        services.statistics.add_value({"statistics_id": "hours", "value": value})
        fake_clock.advance(hours=1)
    page = services.statistics.value_list({})
    assert page["total_records"] == 12 and page["total_pages"] == 2
    assert [r["value"] for r in page["data"]][:3] == [11, 10, 9]
