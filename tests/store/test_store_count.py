"""The total of every list: the cheapest correct count (issue 13).

Without a filter it is SQLite's plain ``SELECT COUNT(*) FROM handle``, which SQLite answers
with its Count opcode (a b-tree count) instead of stepping through every row of a subquery;
with filters or joins it is the query's own FROM and WHERE under ``COUNT(*)``. Either way it
equals the number of rows the query selects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from peewee import fn

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import queries


@pytest.fixture
def world(services: Services, fake_clock: FakeClock) -> Services:
    services.projects.create({"uid": "p1", "name": "月检", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "月",
                              "object_id_list": ["a", "b", "c"]})
    services.projects.create({"uid": "p2", "name": "周检", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "周", "object_id_list": ["a"]})
    services.projects.start({"uid": "p1"})
    for task in services.tasks.list({"where_and": [["project_id", "=", "p1"]]})["data"]:
        fake_clock.advance(hours=1)
        services.handles.handle({"task_id": task["uid"], "handler_id_list": [1], "fee": 3})
    return services


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = services.db.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


def counts_of(seen: list[str]) -> list[str]:
    return [s for s in seen if "COUNT(" in s.upper()]


@pytest.mark.sqlite_only  # SQLite's statement trace and its Count opcode
def test_an_unfiltered_total_is_a_plain_count_on_sqlites_fast_path(world: Services) -> None:
    with statements(world) as seen:
        assert world.handles.list({"page_size": 1})["total_records"] == 3
    [count] = counts_of(seen)
    # all handles less the voided ones (#15): the first part is the plain count
    assert "FROM (" not in count, count
    assert count.startswith('SELECT (SELECT COUNT(*) FROM "handle"'), count
    opcodes = [row[1] for row in world.db.execute_sql(
        f"EXPLAIN {count}".replace("?", "1")).fetchall()]
    assert "Count" in opcodes  # the b-tree count, not a step through every row


@pytest.mark.sqlite_only  # SQLite's statement trace and its Count opcode
def test_a_filtered_total_counts_the_query_itself(world: Services) -> None:
    with statements(world) as seen:
        page = world.handles.list({"where_and": [["handler_id_list", "=", 1],
                                                 ["fee", ">", 1]]})
    assert page["total_records"] == 3
    [count] = counts_of(seen)
    # a person is counted through the side table (#21): still one flat COUNT(*), no wrapper
    assert count.startswith('SELECT COUNT(*) FROM "handle_handler"') and "FROM (" not in count, \
        count


@pytest.mark.parametrize("params", [{}, {"where_and": [["project_id", "=", "p1"]]},
                                    {"where_in": [["status", ["正常", "未启动"]]]},
                                    {"where_and": [["project_id", "=", "nope"]]}])
def test_the_count_equals_the_rows_selected(world: Services, params: dict[str, Any]) -> None:
    page = world.tasks.list({"page_size": 1000, **params})
    assert page["total_records"] == len(page["data"])


def test_queries_whose_columns_decide_their_rows_are_counted_as_they_are(
        world: Services) -> None:
    store = world.ctx.store
    Handle, Task = store.Handle, store.Task  # the models bound to this database
    with world.ctx.read():
        grouped = Handle.select(Handle.project_id, fn.COUNT(Handle.id)).group_by(
            Handle.project_id)
        assert queries.count_rows(grouped) == 1  # one group, though three handles
        distinct = Task.select(Task.project_id).distinct()
        assert queries.count_rows(distinct) == 2  # two projects, though four tasks
        assert queries.count_rows(Task.select().limit(2)) == 2
