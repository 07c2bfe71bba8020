"""Handles with awkward values, written through the services as a client would."""

from __future__ import annotations

from dataclasses import dataclass

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

TRICKY = [
    "逗号,在中间",
    'a "quoted" word',
    "第一行\n第二行\r\n第三行",
    "=SUM(A1:A9)",
    "+86 138",
    "-5",
    "@cmd",
    "\tstarts with tab",
    "\rstarts with CR",
    "'=already quoted",
    "'plain apostrophe",
    "中文 描述;分号",
    "",
]


@dataclass
class Sample:
    services: Services
    clock: FakeClock
    project: str
    tasks: list[str]
    handles: list[str]  # in creation order: one per TRICKY value, two with checklist
    # results, then a late handle and an ignore


def _project(services: Services, name: str, objects: list[str]) -> str:
    uid = services.projects.create({"name": name, "cycle_type": "自然时间周期",
                                    "period_num": 7, "period_unit": "日",
                                    "object_id_list": objects})["uid"]
    services.projects.start({"uid": uid})
    return uid


def _tasks_of(services: Services, project: str) -> list[str]:
    rows = services.tasks.list({"page_size": 100, "where_and": [["project_id", "=", project]],
                                "order_by": "object_id"})["data"]
    return [row["uid"] for row in rows]


def build_sample(services: Services, fake_clock: FakeClock) -> Sample:
    for uid, name in (("pump-1", "1号泵"), ("fan-2", "=风机")):
        services.objects.create({"uid": uid, "name": name, "location": "车间"})
    project = _project(services, "泵,风机 周保养", ["pump-1", "fan-2"])
    tasks = _tasks_of(services, project)
    handles = []
    for i, text in enumerate(TRICKY):
        fake_clock.advance(hours=1)
        handles.append(services.handles.handle({
            "task_id": tasks[i % 2], "description": text, "result": text[:20],
            "handler_id_list": [1, 2], "handler_name_list": ["张三", "李四"],
            "fee": 12.5 if i % 2 else 3})["uid"])
    handles += _checked_handles(services, fake_clock)
    fake_clock.advance(days=9)  # past the 7-day cycle: the next handle is late
    handles.append(services.handles.handle({"task_id": tasks[0], "fee": 0.00001,
                                            "handler_id_list": [3],
                                            "handler_name_list": ["王五"]})["uid"])
    fake_clock.advance(hours=1)
    handles.append(services.handles.ignore({"task_id": tasks[1],
                                            "description": "停机,跳过"})["uid"])
    return Sample(services, fake_clock, project, tasks, handles)


CHECKLIST = [{"name": "=温度", "kind": "measure", "unit": "℃", "min": 10, "max": 95},
             {"name": "油位,左", "kind": "check"},
             {"name": "备注", "kind": "text"}]


def _checked_handles(services: Services, fake_clock: FakeClock) -> list[str]:
    """Two handles with checklist results (#17): one abnormal, with awkward names."""
    uid = services.projects.create({"name": "空压机点检", "cycle_type": "自然时间周期",
                                    "period_num": 1, "period_unit": "日",
                                    "object_id_list": ["pump-1"],
                                    "checklist": CHECKLIST})["uid"]
    services.projects.start({"uid": uid})
    task = _tasks_of(services, uid)[0]
    handles = []
    for results in ([{"name": "=温度", "value": 96.5}, {"name": "油位,左", "value": "正常"},
                     {"name": "备注", "value": 'a "quoted" word'}],
                    [{"name": "=温度", "value": 80}, {"name": "油位,左", "value": "正常"}]):
        fake_clock.advance(hours=1)
        handles.append(services.handles.handle({"task_id": task,
                                                "checklist_results": results})["uid"])
    return handles
