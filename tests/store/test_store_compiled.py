"""Compiled list statements kept per store (``store.compiled``, issue 13): a repeated list
request skips Peewee, and answers exactly what a fresh build answers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import Services
from mixtimer_gui.store import compiled
from mixtimer_gui.store.compiled import PlanCache


@pytest.fixture
def world(services: Services, fake_clock: FakeClock) -> Services:
    for uid, objects in (("p1", ["a", "b", "c"]), ("p2", ["a", "d"])):
        services.projects.create({"uid": uid, "name": f"检查{uid}", "cycle_type": "自然时间周期",
                                  "period_num": 1, "period_unit": "日",
                                  "object_id_list": objects})
        services.projects.start({"uid": uid})
    for round_ in range(3):
        for task in services.tasks.list({"page_size": 100})["data"]:
            fake_clock.advance(hours=7)
            services.handles.handle({"task_id": task["uid"], "handler_id_list": [round_ + 1],
                                     "fee": round_ * 1.5, "result": f"r{round_}"})
    return services


def cache_of(world: Services) -> PlanCache:
    return compiled.plan_cache(world.ctx.store)


def fresh(world: Services, ask: Callable[[dict[str, Any]], Any],
          data: dict[str, Any]) -> Any:
    """The answer built from scratch: nothing kept before, nothing kept after."""
    cache = cache_of(world)
    saved = dict(cache._plans)
    cache._plans.clear()
    try:
        return outcome(ask, data)
    finally:
        cache._plans.clear()
        cache._plans.update(saved)


def outcome(ask: Callable[[dict[str, Any]], Any], data: dict[str, Any]) -> Any:
    try:
        return ask(data)
    except DomainError as exc:
        return ("refused", type(exc).__name__, str(exc))


FILTERS: list[dict[str, Any]] = [
    {},
    {"where_and": [["project_id", "=", "p1"]]},
    {"where_and": json.dumps([["project_id", "=", "p1"]])},
    {"where_and": [["created", ">", "2024-05-11 20:00:00"]]},
    {"where_and": [["created", "<", "2024-05-12"]], "where_or": [["fee", "=", 0],
                                                                  ["fee", ">", 2]]},
    {"where_in": [["object_id", ["a", "c"]]]},
    {"where_and": [["handler_id_list", "=", 2]]},
    {"where_and": [["fee", "like", "1.5%"]]},
    {"where_and": [["fee", "like", 1.5]]},
    {"where_and": [["fee", "=", 1]]},
    {"where_and": [["fee", "=", True]]},
    {"where_and": [["fee", "=", "1"]]},
    {"where_and": [["nope", "=", 1]]},                  # refused: no such field
    {"where_and": "[[\"project_id\", \"=\""},           # refused: not JSON
    {"where_or": [["project_id", "~", "p1"]]},          # refused: no such operator
]
ORDERS = [None, "created", "-fee,created", "project_id", "handler_id_list"]  # last refused
PAGES = [(1, 4), (2, 4), (1, 1000), (9, 3)]


def requests() -> list[dict[str, Any]]:
    return [{**f, **({"order_by": o} if o else {}), "page_index": i, "page_size": s}
            for f, o, (i, s) in itertools.product(FILTERS, ORDERS, PAGES)]


def test_a_kept_plan_answers_what_a_fresh_build_answers(world: Services) -> None:
    cache = cache_of(world)
    for data in requests() * 2:  # the second round is answered from the cache
        assert outcome(world.handles.list, data) == fresh(world, world.handles.list, data), data
    refused = sum(1 for data in requests()
                  if isinstance(outcome(world.handles.list, data), tuple))
    assert refused == (3 * len(ORDERS) + len(FILTERS) - 3) * len(PAGES)
    assert len(cache) == len(requests()) - refused  # refusals are never kept
    assert cache.hits >= 2 * len(cache)


@pytest.mark.parametrize("lister", ["projects", "objects"])
def test_project_and_object_lists_too(world: Services, lister: str) -> None:
    ask = getattr(world, lister).list
    for data in [{"where_and": [["uid", "like", "%"]], "order_by": "uid"},
                 {"where_and": [["uid", "=", "p1"]]}, {"order_by": "-uid"},
                 {"where_and": [["nope", "=", 1]]}] * 2:
        assert outcome(ask, data) == fresh(world, ask, data)
    assert cache_of(world).hits == 3


def test_a_handle_recorded_between_two_identical_requests_is_in_the_second(
        world: Services, fake_clock: FakeClock) -> None:
    data = {"where_and": [["project_id", "=", "p2"]], "page_size": 2}
    before = world.handles.list(data)
    task = world.tasks.list({"where_and": [["project_id", "=", "p2"]]})["data"][0]
    fake_clock.advance(hours=1)
    new = world.handles.handle({"task_id": task["uid"], "result": "又做了"})["uid"]
    after = world.handles.list(data)
    assert cache_of(world).hits == 1  # the same statements, read again
    assert after["total_records"] == before["total_records"] + 1
    assert after["data"][0]["uid"] == new


def test_a_changed_zone_builds_again(world: Services) -> None:
    data = {"where_and": [["created", "<", "2024-05-11 23:00:00"]], "page_size": 1}
    clock.set_local_zone("Asia/Shanghai")
    east = world.handles.list(data)
    clock.set_local_zone("America/New_York")  # 23:00 there is 12 hours later
    west = world.handles.list(data)
    assert cache_of(world).hits == 0
    assert west["total_records"] > east["total_records"]
    assert west == fresh(world, world.handles.list, data)
    clock.set_local_zone("Asia/Shanghai")
    assert world.handles.list(data) == east
    assert cache_of(world).hits == 1


def test_refused_requests_stay_refused(world: Services) -> None:
    good = {"where_and": [["project_id", "=", "p1"]]}
    world.handles.list(good)
    for bad in ({"where_and": (("project_id", "=", "p1"),)},   # a tuple is not a list
                {"where_and": [("project_id", "=", "p1")]},
                {"where_and": [["project_id", "=", "p1"]], "order_by": ["uid"]}):
        for _ in range(2):
            with pytest.raises(DomainError):
                world.handles.list(bad)
    assert len(cache_of(world)) == 1


def test_values_that_print_differently_are_different_requests(world: Services) -> None:
    # like compares text: -0.0 is "-0.0", 0.0 is "0.0"; 1, 1.0, True and "1" are kept apart
    for value in (0.0, -0.0, 1, 1.0, True, "1"):
        data = {"where_and": [["fee", "like", value]]}
        assert world.handles.list(data) == fresh(world, world.handles.list, data)
    assert cache_of(world).hits == 0


def test_keys_tell_apart_what_the_filters_tell_apart() -> None:
    def key(value: Any) -> Any:
        return compiled.list_key("handle", {"where_and": value}, page_index=1, page_size=10)

    same = [["fee", "=", 1]]
    assert key(same) == key([["fee", "=", 1]])
    assert len({key(v) for v in ([["fee", "=", 1]], [["fee", "=", 1.0]], [["fee", "=", True]],
                                 [["fee", "=", "1"]], [("fee", "=", 1)], json.dumps(same),
                                 [["fee", "=", 0.0]], [["fee", "=", -0.0]])}) == 8
    assert key([["uid", "in", ["x" * 100] * 100]]) is None  # too big to be worth keeping
    assert key([["uid", "=", {1, 2}]]) is None  # not JSON: built every time
    assert key(None) != compiled.list_key("handle", {}, page_index=1, page_size=10,
                                          count=False)


def test_the_cache_keeps_the_most_recent_plans() -> None:
    cache = PlanCache(size=2)
    built: list[str] = []

    def build(name: str) -> Any:
        return lambda: built.append(name) or name  # type: ignore[func-returns-value]

    for name in ("a", "b", "a", "c", "a", "b"):
        cache.plan(name, build(name))
    assert built == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
