"""Filters against an oracle — spec §6: hypothesis creates projects with awkward names
(wildcards, case, CJK), periods and object lists, then compares what the SQL filter returns
with the rule computed in Python from the unfiltered records: ops on text (LIKE is
case-insensitive for ASCII only, ``%``/``_`` wildcards, a text ``=`` with ``%`` acts as like),
numbers compared as numbers, times as times, list fields with contain-semantics.

Code: store/filters.py, store/queries.py (project_fields).
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

ORACLE = settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])

texts = st.text(alphabet="aAbB%_ 泵Ä", max_size=4)
object_ids = st.lists(st.sampled_from(["a", "b", "c", "kyj1"]), max_size=3, unique=True)
new_projects = st.lists(st.tuples(texts, st.integers(1, 30), object_ids,
                                  st.integers(0, 3 * 86400)), min_size=1, max_size=3)

TEXT_OPS = ["=", "!=", "<>", ">", ">=", "<", "<=", "like", "not like"]
triples = st.one_of(
    st.tuples(st.just("name"), st.sampled_from(TEXT_OPS), texts),
    st.tuples(st.just("name"), st.sampled_from(["in", "not in"]), st.lists(texts, max_size=3)),
    st.tuples(st.just("period_num"), st.sampled_from(TEXT_OPS[:7]),
              st.one_of(st.integers(0, 31), st.integers(0, 31).map(str),
                        st.sampled_from(["2.5", "10.0", "1e1"]))),
    st.tuples(st.just("period_num"), st.sampled_from(["like", "not like"]),
              st.sampled_from(["1%", "%5", "_", "2_"])),
    st.tuples(st.just("created"), st.sampled_from(TEXT_OPS[:7]),
              st.sampled_from(["2024-05-11", "2024-05-12", "2024-05-11 12:00:00",
                               "2024-05-13 09:00", "2024-05-20"])),
    st.tuples(st.just("object_id_list"), st.sampled_from(["=", "!=", "like", "not like"]),
              st.sampled_from(["a", "kyj1", "k%", "_", "%", "A"])),
    st.tuples(st.just("object_id_list"), st.sampled_from(["in", "not in"]),
              st.lists(st.sampled_from(["a", "b", "zz"]), max_size=2)),
)


def ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def like_ci(pattern: str, text: str) -> bool:
    """SQLite LIKE: % and _ wildcards, case folded for ASCII letters only."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c)
                    for c in ascii_lower(pattern))
    return re.fullmatch(regex, ascii_lower(text), re.DOTALL) is not None


def compare(left: Any, op: str, right: Any) -> bool:
    return {"=": left == right, "!=": left != right, "<>": left != right, ">": left > right,
            ">=": left >= right, "<": left < right, "<=": left <= right}[op]


def expected(record: dict[str, Any], field: str, op: str, value: Any) -> bool:
    if field == "object_id_list":
        items = record[field]
        if op in ("in", "not in"):
            hit = any(i in value for i in items)
            return hit if op == "in" else not hit
        if op in ("like", "not like"):
            hit = any(like_ci(value, i) for i in items)
            return hit if op == "like" else not hit
        hit = value in items
        return hit if op == "=" else not hit
    if field == "period_num":
        if op in ("like", "not like"):
            hit = like_ci(value, str(record[field]))
            return hit if op == "like" else not hit
        return compare(record[field], op, float(value))
    if field == "created":
        return compare(clock.parse_wire(record[field]), op, clock.parse_wire(value))
    text = record[field]
    if op in ("in", "not in"):
        return (text in value) == (op == "in")
    if op in ("like", "not like") or (op in ("=", "!=", "<>") and "%" in value):
        hit = like_ci(value, text)
        return hit if op in ("like", "=") else not hit
    return compare(text, op, value)


@ORACLE
@given(new=new_projects, triple=triples)
def test_sql_filter_equals_the_oracle(services: Services, fake_clock: FakeClock,
                                      new: list[tuple[str, int, list[str], int]],
                                      triple: tuple[str, str, Any]) -> None:
    for name, period, objects, later in new:
        fake_clock.advance(later)
        services.projects.create({"name": name.strip() or "x", "cycle_type": "自然时间周期",
                                  "period_num": period, "period_unit": "日",
                                  "object_id_list": objects})
    everything = services.projects.list({"page_size": 1000})["data"]
    field, op, value = triple
    want = {r["uid"] for r in everything if expected(r, field, op, value)}
    got = {r["uid"] for r in services.projects.list(
        {"page_size": 1000, "where_and": [[field, op, value]]})["data"]}
    assert got == want
