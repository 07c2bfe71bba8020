"""The original document as a test suite: its 14 examples replayed over a real socket.

The document's examples come from a live system whose uids and history we cannot recreate
exactly, so a small world is built first with the extension actions (the meter, the object
``cdp_test`` with its odd name, the running projects ``na_test`` and ``st_test``) such that
each documented answer is reproducible. The document's uids are mapped to the ones this
server generates; every success answer is then compared key by key with the documented
one: all its keys present (extensions may add more), same JSON types, same values, except
times (checked for their format) and ``object_id_list`` (compared as a set: the original
returns another order than it was sent).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from api_helpers import Reply, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock

# A copy of the spec's seed-examples.json (the original's examples as JSON, document order).
SEED = Path(__file__).with_name("seed-examples.json")
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
TIME_KEYS = {"created", "last_modified"}
STATISTIC = "STATISTICS3275464806184"


def load_examples() -> dict[str, dict[str, Any]]:
    examples = json.loads(SEED.read_text(encoding="utf-8"))["examples"]
    assert len(examples) == 14
    return {e["request"]["action"]: e for e in examples}


def at(fake_clock: FakeClock, text: str) -> None:
    fake_clock.set(datetime.strptime(text, clock.WIRE_FORMAT).replace(
        tzinfo=clock.local_zone()))


class Replay:
    def __init__(self, port: int) -> None:
        self.port = port
        self.uids: dict[str, str] = {}  # the document's uid → this server's
        self.examples = load_examples()

    def send(self, request: dict[str, Any], path: str | None = None) -> Reply:
        body = {k: self.uids.get(v, v) if isinstance(v, str) else v for k, v in request.items()}
        return post(self.port, body, path=path or "/mixtimer/api")

    def example(self, action: str, *, via_catalogue: bool = False,
                new_uid_of: tuple[str, ...] = ()) -> Reply:
        """Send the example's request; compare with its success answer.

        ``new_uid_of``: the document's uids that the uid this answer generates stands for.
        """
        example = self.examples[action]
        reply = self.send(example["request"], example["path"] if via_catalogue else None)
        for documented in new_uid_of:
            self.map_uid(documented, reply.result.get("uid", ""))
        self.same_shape(example["success"], reply.envelope, action)
        return reply

    def map_uid(self, documented: str, ours: str) -> None:
        self.uids[documented] = ours

    def same_shape(self, documented: Any, got: Any, where: str) -> None:
        if isinstance(documented, dict):
            assert isinstance(got, dict), where
            missing = set(documented) - set(got)
            assert not missing, f"{where}: keys {missing} missing in {got}"
            for key, value in documented.items():
                self.same_value(key, value, got[key], f"{where}.{key}")
        elif isinstance(documented, list):
            assert isinstance(got, list) and len(got) == len(documented), (where, got)
            for index, (a, b) in enumerate(zip(documented, got, strict=True)):
                self.same_shape(a, b, f"{where}[{index}]")
        else:
            assert type(got) is type(documented), f"{where}: {got!r} vs {documented!r}"
            expected = self.uids.get(documented, documented) if isinstance(documented,
                                                                           str) else documented
            assert got == expected, f"{where}: {got!r} != {expected!r}"

    def same_value(self, key: str, documented: Any, got: Any, where: str) -> None:
        if key in TIME_KEYS:
            assert isinstance(got, str) and TIME.fullmatch(got), f"{where}: {got!r}"
        elif key == "object_id_list":
            assert isinstance(got, list) and sorted(got) == sorted(documented), where
        else:
            self.same_shape(documented, got, where)


def ok(reply: Reply) -> dict[str, Any]:
    assert reply.code == env.OK, reply.envelope
    return reply.result


def build_world(replay: Replay, fake_clock: FakeClock) -> None:
    """The projects, object and meter the document's list/task/handle examples show."""
    at(fake_clock, "2024-05-09 17:58:11")
    ok(replay.send({"action": "create_v2_statistics", "uid": STATISTIC, "name": "运行小时",
                    "unit": "h"}))
    ok(replay.send({"action": "create_v2_object", "uid": "cdp_test",
                    "name": "cdp_test(不删不更新)", "alias": "cdp_test"}))
    ok(replay.send({"action": "create_v2_project", "uid": "na_test", "name": "na_test",
                    "alias": "", "cycle_type": "自然时间周期", "period_num": 25,
                    "period_unit": "日", "notice_num": 1, "notice_unit": "日",
                    "object_id_list": ["a", "c", "asdasd"]}))
    at(fake_clock, "2024-05-11 11:59:33")
    ok(replay.send({"action": "start_v2_project", "uid": "na_test"}))
    at(fake_clock, "2024-05-11 15:11:00")
    ok(replay.send({"action": "create_v2_project", "uid": "st_test", "name": "st_test",
                    "alias": "", "cycle_type": "统计周期", "statistics_id": STATISTIC,
                    "period_num": 25, "period_unit": "", "notice_num": 1, "notice_unit": "日",
                    "object_id_list": ["cdp_test"]}))
    ok(replay.send({"action": "start_v2_project", "uid": "st_test"}))
    tasks = ok(replay.send({"action": "get_v2_task_list",
                            "where_and": [["project_id", "=", "st_test"]]}))["data"]
    assert len(tasks) == 1
    # The document's handle belongs to an older task of st_test than its task examples show.
    for documented in ("MTT4514097700001", "MTT4505857000001"):
        replay.map_uid(documented, tasks[0]["uid"])


def test_the_documents_examples_replay(server: ApiServer, fake_clock: FakeClock) -> None:
    replay = Replay(server.port)
    build_world(replay, fake_clock)

    # create na_test with objects a, c; update it; read it back
    at(fake_clock, "2024-05-13 10:29:35")
    created = replay.example("create_v2_project", new_uid_of=("MTP4533512300005",)).result
    assert re.fullmatch(r"MTP\d{13}", created["uid"])  # like "MTP4533512300005"
    at(fake_clock, "2024-05-13 10:30:48")
    replay.example("update_v2_project", via_catalogue=True)
    project = replay.example("get_v2_project").result
    assert (project["created"], project["last_modified"]) == ("2024-05-13 10:29:35",
                                                              "2024-05-13 10:30:48")

    # the list with the document's where_and finds exactly st_test and na_test, newest first
    at(fake_clock, "2024-05-13 11:00:00")
    replay.example("get_v2_project_list")

    # stop / start / restart the running natural project na_test
    replay.example("stop_v2_project")
    replay.example("start_v2_project", via_catalogue=True)
    restarted = replay.example("restart_v2_project")
    assert restarted.result == {}  # the document omits result here; this server does not

    # the documented error: updating a running project
    error = replay.examples["restart_v2_project"]["error"]
    refused = replay.send({**replay.examples["update_v2_project"]["request"],
                           "uid": "na_test"})
    assert (refused.code, refused.envelope["msg"], refused.info) == (
        error["code"], error["msg"], error["info"])
    assert refused.result == error["result"] == {}

    # tasks
    replay.example("get_v2_task")
    replay.example("get_v2_task_list")

    # handle, with the documented error for an unknown task, then ignore
    at(fake_clock, "2024-05-13 11:05:00")
    handled = replay.example("v2_handle", new_uid_of=("MTH4533265800013", "MTH4511303300006"))
    assert re.fullmatch(r"MTH\d{13}", handled.result["uid"])
    error = replay.examples["v2_handle"]["error"]
    unknown = replay.send({**replay.examples["v2_handle"]["request"], "task_id": "MTT404"})
    assert unknown.envelope == error
    ignored = replay.example("v2_handle_ignore", new_uid_of=("MTH4530655500012",))
    assert ignored.result["uid"] != handled.result["uid"]

    # the handle read back, and the list with the document's filter
    replay.example("get_v2_handle")
    listed = replay.example("get_v2_handle_list", via_catalogue=True)
    assert listed.result["total_records"] == 1  # the ignore has no handler 1: filtered out

    # delete the project created above; its handles (none) and the others' stay
    replay.example("delete_v2_project")
    gone = replay.send({"action": "get_v2_project", "uid": created["uid"]})
    assert gone.code == env.BAD_PARAMETER and "uid" in gone.info
    assert ok(replay.send({"action": "get_v2_handle_list"}))["total_records"] == 2
