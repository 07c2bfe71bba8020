"""The change history (#15, spec §8): every successful write appends, in its own
transaction, one row per entity it changed; a refused write appends none; the rows say who,
from where, and each changed field before → after.

Code: services/history.py (Actor, changes), ServiceContext.record, the ``record`` calls in
services/projects.py, catalog.py, handles.py; services/history_list.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from svc_factories import project_data

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import Services
from mixtimer_gui.services.history import IMPORT, Actor


def rows(services: Services, **where: Any) -> list[dict[str, Any]]:
    filters = [[name, "=", value] for name, value in where.items()]
    return services.history.list({"page_size": 1000, "order_by": "uid",
                                  "where_and": filters})["data"]


def count(services: Services) -> int:
    return services.history.list({"page_size": 1})["total_records"]


def test_a_scripted_session_of_every_action(services: Services,
                                            fake_clock: FakeClock) -> None:
    """(action, rows it must add): project-wide actions add one per task they move."""
    h: dict[str, str] = {}

    def step(expected: int, write: Any) -> Any:
        before = count(services)
        fake_clock.advance(minutes=1)
        result = write()
        assert count(services) - before == expected, write
        return result

    step(1, lambda: services.objects.create({"uid": "o1", "name": "空压机"}))
    step(1, lambda: services.statistics.create({"uid": "s1", "name": "运行小时"}))
    step(1, lambda: services.statistics.add_value({"statistics_id": "s1", "value": 5}))
    step(1, lambda: services.handlers.create({"name": "张三"}))
    step(2, lambda: services.projects.create(project_data(uid="p1", object_id_list=["o1"])))
    step(2, lambda: services.projects.start({"uid": "p1"}))
    task = services.tasks.list({})["data"][0]["uid"]
    h["one"] = step(2, lambda: services.handles.handle({"task_id": task, "fee": 10}))["uid"]
    step(1, lambda: services.handles.update({"uid": h["one"], "fee": 12.5}))
    step(2, lambda: services.handles.void({"uid": h["one"], "reason": "录错"}))
    step(2, lambda: services.handles.ignore({"task_id": task}))
    step(1, lambda: services.projects.stop({"uid": "p1"}))
    step(2, lambda: services.projects.update(project_data(uid="p1", name="新名称",
                                                          object_id_list=["o1"])))
    step(2, lambda: services.projects.restart({"uid": "p1"}))
    step(0, lambda: services.projects.start({"uid": "p1"}))  # running: nothing changes
    step(1, lambda: services.projects.stop({"uid": "p1"}))
    step(1, lambda: services.objects.update({"uid": "o1", "name": "空压机A"}))
    step(1, lambda: services.statistics.update({"uid": "s1", "name": "运行时"}))
    step(2, lambda: services.projects.delete({"uid": "p1"}))
    step(1, lambda: services.objects.delete({"uid": "o1"}))
    step(1, lambda: services.statistics.delete({"uid": "s1"}))
    assert count(services) == 27


def test_refused_writes_leave_no_row(services: Services, fake_clock: FakeClock) -> None:
    services.projects.create(project_data(uid="p1", object_id_list=["o1"]))
    services.projects.start({"uid": "p1"})
    task = services.tasks.list({})["data"][0]["uid"]
    first = services.handles.handle({"task_id": task})["uid"]
    services.handles.handle({"task_id": task})
    before = count(services)
    refused = [
        lambda: services.handles.handle({"task_id": "nope"}),
        lambda: services.handles.handle({"task_id": task, "handled_at": "2030-01-01 00:00:00"}),
        lambda: services.handles.void({"uid": first, "reason": "x"}),  # not the latest
        lambda: services.handles.update({"uid": first, "fee": -1}),
        lambda: services.projects.update(project_data(uid="p1")),  # running
        lambda: services.projects.delete({"uid": "p1"}),
        lambda: services.objects.delete({"uid": "o1"}),  # still in a project
        lambda: services.objects.create({"uid": "o1", "name": "x"}),  # uid taken
    ]
    for write in refused:
        with pytest.raises(DomainError):
            write()
    assert count(services) == before


def test_rows_say_before_and_after(services: Services, fake_clock: FakeClock) -> None:
    services.projects.create(project_data(uid="p1", object_id_list=["o1"]))
    services.projects.start({"uid": "p1"})  # 2024-05-11 09:00, due 05-13 09:00
    task = services.tasks.list({})["data"][0]["uid"]
    fake_clock.advance(hours=30)
    handle = services.handles.handle({"task_id": task, "fee": 10, "result": "正常"})["uid"]
    services.handles.update({"uid": handle, "fee": 12.5})
    [created, corrected] = rows(services, entity_uid=handle)
    assert created["action"] == "v2_handle" and created["changes"]["fee"] == [None, 10]
    assert corrected["action"] == "update_v2_handle"
    assert corrected["changes"] == {"fee": [10, 12.5]}  # only what changed
    moved = rows(services, entity_uid=task, action="v2_handle")[0]["changes"]
    assert moved["cycle_start"] == ["2024-05-11 09:00:00", "2024-05-12 15:00:00"]
    assert moved["due_at"] == ["2024-05-13 09:00:00", "2024-05-14 15:00:00"]
    renamed = services.objects.update({"uid": "o1", "name": "风机"})
    assert rows(services, entity_uid="o1", action="update_v2_object")[0]["changes"][
        "name"] == ["o1", "风机"], renamed
    gone = rows(services, entity_uid="p1", action="create_v2_project")[0]
    assert gone["changes"]["object_id_list"] == [None, ["o1"]]


def test_who_and_from_where(services: Services) -> None:
    services.handlers.create({"id": 7, "name": "李四"})
    services.objects.create({"uid": "o1", "name": "x", "created_by": 7})
    row = rows(services, entity_uid="o1")[0]
    assert (row["source"], row["operator_id"], row["operator_name"]) == ("window", 7, "李四")
    services.ctx.actor = Actor("window", 9, "王五")  # the workstation's operator
    services.objects.create({"uid": "o2", "name": "y"})
    row = rows(services, entity_uid="o2")[0]
    assert (row["operator_id"], row["operator_name"]) == (9, "王五")
    assert services.objects.get({"uid": "o2"})["created_by"] == 9
    outcome = services.objects.import_rows([(1, {"uid": "o3", "name": "z"})])
    assert outcome.committed
    assert rows(services, entity_uid="o3")[0]["source"] == IMPORT


def test_history_list_pages_and_filters(services: Services) -> None:
    for n in range(5):
        services.objects.create({"uid": f"o{n}", "name": f"对象{n}"})
    page = services.history.list({"page_size": 2, "page_index": 2})
    assert (page["total_records"], page["total_pages"], len(page["data"])) == (5, 3, 2)
    assert list(page["data"][0]) == ["uid", "time", "operator_id", "operator_name", "source",
                                     "action", "entity", "entity_uid", "changes"]
    only = services.history.list({"where_in": [["entity_uid", ["o1", "o3"]]]})
    assert {r["entity_uid"] for r in only["data"]} == {"o1", "o3"}
    with pytest.raises(DomainError) as info:
        services.history.list({"where_and": [["nope", "=", 1]]})
    assert "nope" in info.value.message


def test_people_and_objects_registered_on_the_way_are_in_the_history(
        services: Services, fake_clock: FakeClock) -> None:
    """A handle that meets a new person or renames one, and a project that names an object
    not yet in the catalogue, change those entities too: one row each (spec §8)."""
    before = count(services)
    services.projects.create(project_data(uid="p1", object_id_list=["new-pump"]))
    assert count(services) - before == 3  # project, task, and the object it registered
    [made] = rows(services, entity_uid="new-pump")
    assert (made["action"], made["changes"]["name"]) == ("create_v2_project",
                                                         [None, "new-pump"])
    services.projects.start({"uid": "p1"})
    task = services.tasks.list({})["data"][0]["uid"]
    before = count(services)
    first = services.handles.handle({"task_id": task, "handler_id_list": [7],
                                     "handler_name_list": ["王工"]})
    assert count(services) - before == 3  # handle, task, and 王工 registered
    [met] = rows(services, entity_uid="7")
    assert (met["action"], met["changes"]["name"]) == ("v2_handle", [None, "王工"])
    before = count(services)
    services.handles.handle({"task_id": task, "handler_id_list": [7],
                             "handler_name_list": ["王工"]})
    assert count(services) - before == 2  # a known person by the same name: unchanged
    services.handles.handle({"task_id": task, "handler_id_list": [7],
                             "handler_name_list": ["王师傅"]})
    assert rows(services, entity_uid="7")[-1]["changes"]["name"] == ["王工", "王师傅"]
    services.handles.update({"uid": first["uid"], "handler_id_list": [8]})
    [by_id] = rows(services, entity_uid="8")  # an id alone is registered under its number
    assert (by_id["action"], by_id["changes"]["name"]) == ("update_v2_handle", [None, "8"])
