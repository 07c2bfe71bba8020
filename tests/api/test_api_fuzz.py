"""Fuzz: whatever arrives, the answer is a valid envelope, never 10500, the server keeps
answering and the database stays intact.

Bodies: arbitrary JSON values, arbitrary bytes, and — to reach deep into the services — every
action of the table with its parameters given random JSON types and near-miss values, against
a database that holds running projects of both cycle types, readings and handles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_helpers import JsonLiteral, call, encode_body, integrity_ok, ok, post
from api_world import TEMPLATES, seed_world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.actions import ACTIONS, FILTER, INT, LIST_INT, LIST_TEXT, NUMBER, TIME
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import ActionApp, make_app
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import queries
from mixtimer_gui.store.models import Store

FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Numbers no field can hold (spec §1.1): integers beyond a float's exact range up to 400
# digits, floats beyond any field's limit, and literals that overflow a float when parsed.
HUGE = 10**400
huge_numbers = (st.integers(2**53, HUGE) | st.integers(-HUGE, -2**53)
                | st.floats(min_value=1e15, allow_infinity=False)
                | st.floats(max_value=-1e15, allow_infinity=False)
                | st.sampled_from([JsonLiteral("1e309"), JsonLiteral("-1e309"),
                                   JsonLiteral("1" + "0" * 5000), JsonLiteral("-9e999"),
                                   "1e400", "-1e400", str(HUGE)]))
scalars = (st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
           | huge_numbers)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                           max_leaves=12)

KNOWN_UIDS = ["p-nat", "p-stat", "STAT1", "pump-1", "pump-2", "fan-1", "", " ", "nope",
              "MTP0000000000001", "MTT0000000000001", "MTH0000000000001", "a" * 65, "x/y"]
_NAMES = Store(SqliteDatabase(None))  # never connected: only the field names are read
FIELDS = [*sorted(set(queries.project_fields(_NAMES)) | set(queries.handle_fields(_NAMES))
                  | set(queries.task_fields(_NAMES, 0))), "nope", ""]
OPS = ["=", "!=", "<>", ">", ">=", "<", "<=", "like", "not like", "in", "not in", "LIKE",
       "~", ""]
near_texts = st.sampled_from([*KNOWN_UIDS, "自然时间周期", "统计周期", "统计时间周期", "日", "月",
                              "时", "周", "年", "按计划时间", "按完成时间", "2024-05-11 12:00:00",
                              "2024-05-11", "2024-02-30", "%test%", "%", "_", "已到期", "未启动",
                              "1", "-1", "1e308", "NaN", "inf", "\x00"])
near_numbers = st.sampled_from([0, 1, -1, 2, 1000, 1001, 2**31, 2**63, 2**64, -2**63 - 1,
                                10**20, 0.5, 1e308, -0.0, "2", "2.5", " 3 ", "", "1e400"]
                               ) | huge_numbers
triples = st.lists(st.tuples(st.sampled_from(FIELDS), st.sampled_from(OPS),
                             near_texts | near_numbers | json_values).map(list), max_size=3)
filters = (triples | triples.map(lambda t: encode_body(t).decode())
           | st.sampled_from(["", "[", "[[]]", "[[\"uid\"]]", "{}", "null", "[1]",
                              "[[\"uid\",\"in\",\"x\"]]", "[[\"uid\",[1,2]]]"])
           | st.lists(st.tuples(st.sampled_from(FIELDS), st.lists(near_texts | near_numbers,
                                                                   max_size=3)).map(list),
                      max_size=2)
           | json_values)

BY_KIND: dict[str, st.SearchStrategy[Any]] = {
    INT: near_numbers | json_values,
    NUMBER: near_numbers | json_values,
    TIME: near_texts | json_values,
    LIST_TEXT: st.lists(near_texts | near_numbers, max_size=4) | near_texts | json_values,
    LIST_INT: st.lists(near_numbers | near_texts, max_size=4) | near_texts | json_values,
    FILTER: filters,
}


@st.composite
def action_requests(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(ACTIONS)))
    body: dict[str, Any] = {"action": name}
    params = ACTIONS[name].params
    if draw(st.booleans()):
        body.update(TEMPLATES.get(name, {"uid": draw(near_texts)}))
        chosen = draw(st.lists(st.sampled_from(sorted(params)), max_size=2)) if params else []
    else:
        chosen = [p for p in params if draw(st.booleans())]
    for param in chosen:
        body[param] = draw(BY_KIND.get(params[param], near_texts | json_values))
    if draw(st.integers(0, 9)) == 0:
        body[draw(st.text(max_size=8))] = draw(json_values)
    return body


def assert_no_bug(reply_code: int, body: Any) -> None:
    assert reply_code != env.INTERNAL, body


def test_fuzz_in_process(services: Services, fake_clock: FakeClock, db_path: Path) -> None:
    seed_world(services, fake_clock)
    app: ActionApp = make_app(services)

    @FUZZ
    @given(action_requests())
    def actions(body: dict[str, Any]) -> None:
        assert_no_bug(call(app, body).code, body)

    @settings(FUZZ, max_examples=150)
    @given(json_values)
    def values(body: Any) -> None:
        assert_no_bug(call(app, encode_body(body)).code, body)

    @settings(FUZZ, max_examples=150)
    @given(st.binary(max_size=200) | json_values.map(
        lambda v: encode_body(v)[: len(encode_body(v)) // 2]))
    def raw_bytes(body: bytes) -> None:
        assert_no_bug(call(app, body).code, body)

    actions()
    values()
    raw_bytes()
    ok(call(app, {"action": "get_v2_task_list"}))
    assert integrity_ok(db_path)


def test_fuzz_over_the_socket(services: Services, fake_clock: FakeClock, db_path: Path) -> None:
    seed_world(services, fake_clock)
    with ApiServer(services, port=0) as server:

        @settings(FUZZ, max_examples=60)
        @given(action_requests() | json_values | st.binary(max_size=100))
        def anything(body: Any) -> None:
            raw = encode_body(body)
            assert_no_bug(post(server.port, raw).code, body)

        anything()
        ok(post(server.port, {"action": "get_v2_handle_list"}))
    assert integrity_ok(db_path)
