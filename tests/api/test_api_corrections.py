"""Spec §5/§8 on the wire: handled_at, update_v2_handle, void_v2_handle,
get_v2_history_list; refusals are 10013 naming the field; the history says ``api`` and
the request's ``created_by``."""

from __future__ import annotations

from typing import Any

from api_helpers import call, ok

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.wsgi import ActionApp
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services


def running_task(api: ActionApp) -> str:
    ok(call(api, {"action": "create_v2_project", "uid": "p1", "name": "保养",
                  "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
                  "object_id_list": ["a"]}))
    ok(call(api, {"action": "start_v2_project", "uid": "p1"}))
    return ok(call(api, {"action": "get_v2_task_list"}))["data"][0]["uid"]


def test_back_date_correct_and_void_through_the_api(api: ActionApp, services: Services,
                                                    fake_clock: FakeClock) -> None:
    task = running_task(api)
    fake_clock.advance(hours=30)
    uid = ok(call(api, {"action": "v2_handle", "task_id": task, "fee": 5,
                        "handled_at": "2024-05-12 08:00:00", "created_by": 3}))["uid"]
    got = ok(call(api, {"action": "get_v2_handle", "uid": uid}))
    assert (got["handled_at"], got["created"]) == ("2024-05-12 08:00:00", "2024-05-12 15:00:00")
    ok(call(api, {"action": "update_v2_handle", "uid": uid, "fee": 6}))
    assert ok(call(api, {"action": "get_v2_handle", "uid": uid}))["fee"] == 6
    assert ok(call(api, {"action": "void_v2_handle", "uid": uid, "reason": "录错",
                         "created_by": 4})) == {"uid": uid}
    assert ok(call(api, {"action": "get_v2_handle_list"}))["total_records"] == 0
    shown = ok(call(api, {"action": "get_v2_handle_list",
                          "where_and": '[["is_voided","=",1]]'}))["data"]
    assert [(r["uid"], r["voided_by"]) for r in shown] == [(uid, 4)]
    history = ok(call(api, {"action": "get_v2_history_list", "page_size": 100,
                            "where_and": [["entity_uid", "=", uid]], "order_by": "uid"}))
    assert [(r["action"], r["source"], r["operator_id"]) for r in history["data"]] == [
        ("v2_handle", "api", 3), ("update_v2_handle", "api", 0), ("void_v2_handle", "api", 4)]


def refused(api: ActionApp, body: dict[str, Any]) -> str:
    reply = call(api, body)
    assert reply.code == env.BAD_PARAMETER, reply.envelope
    return reply.info


def test_refusals_name_the_field(api: ActionApp, services: Services,
                                 fake_clock: FakeClock) -> None:
    task = running_task(api)
    first = ok(call(api, {"action": "v2_handle", "task_id": task}))["uid"]
    ok(call(api, {"action": "v2_handle", "task_id": task}))
    before = ok(call(api, {"action": "get_v2_history_list"}))["total_records"]
    assert refused(api, {"action": "v2_handle", "task_id": task,
                         "handled_at": "2099-01-01 00:00:00"}).startswith("handled_at")
    assert refused(api, {"action": "v2_handle_ignore", "task_id": task,
                         "handled_at": "2024-05-01 00:00:00"}).startswith("handled_at")
    assert refused(api, {"action": "void_v2_handle", "uid": first,
                         "reason": "x"}).startswith("uid")
    assert refused(api, {"action": "void_v2_handle", "uid": first}).startswith("reason")
    assert refused(api, {"action": "update_v2_handle", "uid": first,
                         "fee": "many"}).startswith("fee")
    assert ok(call(api, {"action": "get_v2_history_list"}))["total_records"] == before
