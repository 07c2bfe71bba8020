"""A small world every action finds something in, and a valid request per action.

Shared by the fuzz tests and the hostile-number tests: a request built from ``TEMPLATES``
gets past the first checks and into the service, so a perturbed parameter is read.
"""

from __future__ import annotations

from typing import Any

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

# A valid request per action (against ``seed_world``); fuzzing perturbs a few of its
# parameters, so the requests get past the first check and into the writes.
_PROJECT = {"uid": "", "name": "新项目", "cycle_type": "自然时间周期", "period_num": 2,
            "period_unit": "周", "notice_num": 1, "notice_unit": "日",
            "object_id_list": ["pump-1", "new-1"]}
TEMPLATES: dict[str, dict[str, Any]] = {
    "create_v2_project": _PROJECT,
    "update_v2_project": {**_PROJECT, "uid": "p-nat"},
    "delete_v2_project": {"uid": "p-nat"},
    "v2_handle": {"task_id": "MTT0000000000001", "handler_id_list": [3],
                  "handler_name_list": ["王五"], "fee": 5, "result": "ok", "images": ["a.png"]},
    "v2_handle_ignore": {"task_id": "MTT0000000000003", "description": "停机"},
    "create_v2_object": {"name": "风机", "location": "二车间"},
    "update_v2_object": {"uid": "pump-1", "name": "一号泵"},
    "delete_v2_object": {"uid": "fan-1"},
    "create_v2_statistics": {"name": "产量", "unit": "t"},
    "update_v2_statistics": {"uid": "STAT1", "name": "运行小时"},
    "delete_v2_statistics": {"uid": "STAT1"},
    "add_v2_statistics_value": {"statistics_id": "STAT1", "value": 900,
                                "time": "2024-05-14 10:00:00"},
}


def seed_world(services: Services, fake_clock: FakeClock) -> None:
    """Something for every action to find: both cycle types running, readings, handles."""
    services.statistics.create({"uid": "STAT1", "name": "运行小时", "unit": "h"})
    services.statistics.add_value({"statistics_id": "STAT1", "value": 100})
    services.projects.create({"uid": "p-nat", "name": "月检", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "月", "notice_num": 3,
                              "object_id_list": ["pump-1", "pump-2"]})
    services.projects.create({"uid": "p-stat", "name": "保养", "cycle_type": "统计周期",
                              "statistics_id": "STAT1", "period_num": 500,
                              "object_id_list": ["fan-1"], "anchor_type": "按计划时间"})
    services.projects.start({"uid": "p-nat"})
    services.projects.start({"uid": "p-stat"})
    fake_clock.advance(days=3)
    services.statistics.add_value({"statistics_id": "STAT1", "value": 180})
    for task in services.tasks.list({})["data"]:
        services.handles.handle({"task_id": task["uid"], "handler_id_list": [1, 2],
                                 "handler_name_list": ["张三", "李四"], "fee": 12.5})
