"""Numbers no field can hold (spec §1.1): every numeric field of every action refuses them
with 10013 naming the field, never 10500, and nothing changes.

The numeric fields are read from the action table (``Action.params``: int, number, list of
ints), not listed here; ``test_the_table_names_every_numeric_field_a_service_reads`` keeps
the table honest by recording what the services actually read through the numeric rules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import JsonLiteral, call
from api_world import TEMPLATES, seed_world

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.actions import ACTIONS, INT, LIST_INT, NUMBER
from mixtimer_gui.api.wsgi import ActionApp, make_app
from mixtimer_gui.domain import rules
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

NUMERIC_KINDS = (INT, NUMBER, LIST_INT)
HOSTILE = {"10**400": 10**400, "-10**400": -(10**400), "1e309": JsonLiteral("1e309"),
           '"1e400"': "1e400"}
NUMERIC_FIELDS = sorted((name, param, ACTIONS[name].params[param])
                        for name in ACTIONS for param in ACTIONS[name].params
                        if ACTIONS[name].params[param] in NUMERIC_KINDS)
def request(action: str) -> dict[str, Any]:
    return {"action": action, **TEMPLATES.get(action, {"uid": "p-nat"})}


def dump(db_path: Path) -> list[str]:
    """Every row of every table, as SQL: equal dumps, nothing changed."""
    conn = sqlite3.connect(str(db_path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def world(services: Services, fake_clock: FakeClock) -> ActionApp:
    seed_world(services, fake_clock)
    return make_app(services)


def test_the_table_has_numeric_fields_of_each_kind() -> None:
    # A guard on the generator below: it would pass vacuously on an empty list.
    assert {kind for _, _, kind in NUMERIC_FIELDS} == set(NUMERIC_KINDS)
    assert ("v2_handle", "fee", NUMBER) in NUMERIC_FIELDS
    assert ("add_v2_statistics_value", "value", NUMBER) in NUMERIC_FIELDS


@pytest.mark.parametrize(("action", "field", "kind"), NUMERIC_FIELDS)
def test_every_numeric_field_refuses_what_it_cannot_hold(
        world: ActionApp, db_path: Path, action: str, field: str, kind: str) -> None:
    before = dump(db_path)
    for label, value in HOSTILE.items():
        body = {**request(action), field: [value] if kind == LIST_INT else value}
        reply = call(world, body)
        assert (reply.status, reply.code) == (200, env.BAD_PARAMETER), (label, reply.envelope)
        assert reply.info.startswith(field), (label, reply.info)
        assert reply.envelope["resp"] == action
    assert dump(db_path) == before


@pytest.mark.parametrize("literal", ["1e999", "-1e309", "1" + "0" * 5000, "-" + "9" * 5000])
def test_a_number_too_large_for_a_float_is_valid_json_refused_by_its_field(
        world: ActionApp, literal: str) -> None:
    reply = call(world, {**request("v2_handle"), "fee": JsonLiteral(literal)})
    assert reply.code == env.BAD_PARAMETER and reply.info.startswith("fee"), reply.envelope


@pytest.mark.parametrize("field", ["name", "description", "organization_id"])
def test_a_text_field_keeps_no_infinity_as_text(world: ActionApp, services: Services,
                                                field: str) -> None:
    reply = call(world, {"action": "create_v2_object", "uid": "obj-x", "name": "风机",
                         field: JsonLiteral("1e309")})
    assert reply.code == env.BAD_PARAMETER and reply.info.startswith(field), reply.envelope
    assert services.objects.list({"where_and": [["uid", "=", "obj-x"]]})["total_records"] == 0


def test_a_list_of_text_keeps_no_infinity_as_text(world: ActionApp) -> None:
    body = {**request("create_v2_project"), "object_id_list": ["pump-1", JsonLiteral("1e309")]}
    reply = call(world, body)
    assert reply.code == env.BAD_PARAMETER and reply.info.startswith("object_id_list")


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_huge_filter_values_compare_as_infinity(world: ActionApp, value: Any) -> None:
    # A filter value is not held by the field: it compares, as "1e400" always did.
    above = call(world, {"action": "get_v2_handle_list", "where_and": [["fee", "<", value]]})
    below = call(world, {"action": "get_v2_handle_list", "where_and": [["fee", ">", value]]})
    assert above.code == below.code == env.OK, (above.envelope, below.envelope)
    totals = {above.result["total_records"], below.result["total_records"]}
    assert totals == {0, 3}


# -- the table names every numeric field ------------------------------------------------------


@pytest.fixture
def numeric_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """The fields read through the numeric rules while the block runs."""
    read: set[str] = set()
    for name in ("read_int", "read_number"):
        original = getattr(rules, name)

        def recording(data: Any, field: str, *args: Any, _original: Any = original,
                      **kwargs: Any) -> Any:
            read.add(field)
            return _original(data, field, *args, **kwargs)

        monkeypatch.setattr(rules, name, recording)
    yield read


def test_the_table_names_every_numeric_field_a_service_reads(
        world: ActionApp, numeric_reads: set[str]) -> None:
    for action, row in ACTIONS.items():
        numeric_reads.clear()
        call(world, request(action))
        declared = {p for p, kind in row.params.items() if kind in NUMERIC_KINDS}
        assert numeric_reads <= declared, (action, numeric_reads - declared)
