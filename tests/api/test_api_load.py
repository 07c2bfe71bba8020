"""Load: 8 concurrent clients × 200 ``v2_handle`` through the real server: every handle
stored once, no error, and retries with the same client uid create nothing new."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

import pytest
from api_helpers import API, ok, post
from engines import integrity_ok

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.services import Services

CLIENTS = 8
HANDLES_EACH = 200
RETRIES_EACH = 25


class Client:
    """One keep-alive connection, as a real client would hold."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        self.conn.request("POST", API, body=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        envelope = json.loads(response.read())
        envelope["_status"] = response.status
        return envelope

    def close(self) -> None:
        self.conn.close()


def handle_body(task_id: str, client: int, n: int) -> dict[str, Any]:
    return {"action": "v2_handle", "uid": f"load-{client}-{n}", "task_id": task_id,
            "handler_id_list": [client + 1], "handler_name_list": [f"工人{client + 1}"],
            "fee": n % 7, "result": f"第 {n} 次", "description": "load"}


def run_clients(port: int, work: Any) -> list[dict[str, Any]]:
    """Run ``work(client_no, Client) -> list[envelope]`` on CLIENTS threads at once."""
    start = threading.Barrier(CLIENTS)
    results: list[list[dict[str, Any]]] = [[] for _ in range(CLIENTS)]
    failures: list[BaseException] = []

    def target(number: int) -> None:
        client = Client(port)
        try:
            start.wait(30)
            results[number] = work(number, client)
        except BaseException as exc:  # reported below, with the envelopes so far
            failures.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not failures, failures
    return [envelope for batch in results for envelope in batch]


@pytest.mark.slow  # ~12 s
def test_eight_clients_handle_concurrently(server: ApiServer, services: Services) -> None:
    ok(post(server.port, {"action": "create_v2_project", "uid": "load", "name": "负载",
                          "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "日",
                          "object_id_list": [f"m{i}" for i in range(CLIENTS)]}))
    ok(post(server.port, {"action": "start_v2_project", "uid": "load"}))
    tasks = ok(post(server.port, {"action": "get_v2_task_list", "page_size": 100}))["data"]
    task_of = {int(t["object_id"][1:]): t["uid"] for t in tasks}

    def handle_all(number: int, client: Client) -> list[dict[str, Any]]:
        # every client writes to two tasks, its own and its neighbour's, so writes collide
        return [client.send(handle_body(task_of[(number + n % 2) % CLIENTS], number, n))
                for n in range(HANDLES_EACH)]

    answers = run_clients(server.port, handle_all)
    errors = [a for a in answers if a["code"] != env.OK or a["_status"] != 200]
    assert errors == [] and len(answers) == CLIENTS * HANDLES_EACH
    assert len({a["result"]["uid"] for a in answers}) == CLIENTS * HANDLES_EACH

    def retry(number: int, client: Client) -> list[dict[str, Any]]:
        return [client.send(handle_body(task_of[(number + n % 2) % CLIENTS], number, n))
                for n in range(RETRIES_EACH)]

    retried = run_clients(server.port, retry)
    assert all(a["code"] == env.OK for a in retried)
    assert {a["result"]["uid"] for a in retried} == {
        f"load-{c}-{n}" for c in range(CLIENTS) for n in range(RETRIES_EACH)}
    wrong_task = post(server.port, handle_body(task_of[5], 0, 0))  # load-0-0 was task 0's
    assert wrong_task.code == env.BAD_PARAMETER and "uid" in wrong_task.info

    listed = services.handles.list({"page_size": 1})
    assert listed["total_records"] == CLIENTS * HANDLES_EACH
    by_handler = services.handles.list({"where_and": [["handler_id_list", "=", 3]]})
    assert by_handler["total_records"] == HANDLES_EACH
    assert integrity_ok(services)
