"""Sample data for the list-tab tests and screenshots (imported by name; no package)."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

PNG = b"\x89PNG\r\n\x1a\n"


def project(services: Services, name: str, objects: list[str], **changes: Any) -> str:
    data: dict[str, Any] = {
        "name": name, "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
        "notice_num": 1, "notice_unit": "日", "object_id_list": objects}
    data.update(changes)
    return services.projects.create(data)["uid"]


def seed(services: Services, clock: FakeClock) -> dict[str, Any]:
    """Objects, a meter, four projects in different states, a few handles.

    Returns the uids by role: ``{"tasks": {(project_name, object_uid): task_uid}, ...}``.
    """
    for uid, name, location in (("OBJ-P1", "空压机 1号", "一车间"),
                                ("OBJ-P2", "空压机 2号", "一车间"),
                                ("OBJ-T1", "冷却塔", "屋顶"),
                                ("OBJ-F1", "叉车", "仓库")):
        services.objects.create({"uid": uid, "name": name, "location": location})
    meter = services.statistics.create({"uid": "RUN-H", "name": "空压机运行小时",
                                        "unit": "小时"})["uid"]
    services.statistics.add_value({"statistics_id": meter, "value": 1000})
    daily = project(services, "空压机日检", ["OBJ-P1", "OBJ-P2"], period_num=2)
    monthly = project(services, "冷却塔月保", ["OBJ-T1"], period_num=1, period_unit="月",
                      notice_num=7)
    hours = project(services, "换油", ["OBJ-P1"], cycle_type="统计周期",
                    statistics_id=meter, period_num=500, period_unit="")
    project(services, "叉车年检", ["OBJ-F1"], period_num=1, period_unit="年")
    for uid in (daily, monthly, hours):
        services.projects.start({"uid": uid})
    clock.advance(hours=30)
    services.statistics.add_value({"statistics_id": meter, "value": 1300})
    tasks = {(t["project_name"], t["object_id"]): t["uid"]
             for t in services.tasks.list({"page_size": 100})["data"]}
    return {"meter": meter, "projects": {"daily": daily, "monthly": monthly, "hours": hours},
            "tasks": tasks}


def add_handles(services: Services, clock: FakeClock, task_uid: str, count: int,
                **fields: Any) -> list[str]:
    uids = []
    for _ in range(count):
        clock.advance(hours=1)
        uids.append(services.handles.handle({"task_id": task_uid, **fields})["uid"])
    return uids


def fake_csv_dialogs(monkeypatch: pytest.MonkeyPatch, **functions: Any) -> None:
    """Stand in for ``gui.csv_dialogs`` with ``functions`` (the tabs' hand-over only)."""
    import mixtimer_gui.gui as gui_package

    name = "mixtimer_gui.gui.csv_dialogs"
    fake = types.ModuleType(name)
    for key, function in functions.items():
        setattr(fake, key, function)
    monkeypatch.setitem(sys.modules, name, fake)
    monkeypatch.setattr(gui_package, "csv_dialogs", fake, raising=False)
