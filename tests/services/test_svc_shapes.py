"""Wire record shapes — spec §3/§4/§5/§7 field lists and §2 audit fields: every record carries
exactly the original's fields in the original's order, then this project's extensions; types
as the original shows them (ints for ints, "" for no time, lists for the handler lists).

Code: services/wire.py (project, task, handle, maintenance_object, statistic, reading,
handler).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from svc_factories import ProjectFactory, project_data

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

Tasks = Callable[[str], dict[str, dict[str, Any]]]

AUDIT = ["organization_id", "created", "created_by", "last_modified", "last_modified_by"]
PROJECT = ["uid", "name", "alias", "description", "cycle_type", "statistics_id", "period_num",
           "period_unit", "notice_num", "notice_unit", "guide", "object_id_list", "is_active",
           *AUDIT]
TASK = ["uid", "description", "project_id", "project_name", "project_alias", "object_id",
        "object_name", "object_alias", "cycle_type", "statistics_id", "period_num",
        "period_unit", "notice_num", "notice_unit", "guide", *AUDIT]
TASK_EXTENSIONS = ["is_active", "anchor_type", "cycle_start", "due_at", "notice_at", "status",
                   "start_value", "current_value", "due_value", "last_handle_at",
                   "due_value_at", "due_by", "statistics_period_num"]
HANDLE = ["uid", "description", "task_id", "project_id", "project_alias", "project_name",
          "object_id", "object_name", "object_alias", "handler_id_list", "handler_name_list",
          "fee", "result", "images", *AUDIT]
HANDLE_EXTENSIONS = ["is_ignored", "due_at", "skipped_cycles", "handled_at", "is_voided",
                     "void_reason", "voided_at", "voided_by", "checklist_results",
                     "is_abnormal"]


def test_project_record_fields(services: Services, make_project: ProjectFactory) -> None:
    got = services.projects.get({"uid": make_project()})
    assert list(got) == [*PROJECT, "anchor_type", "statistics_period_num", "checklist"]
    assert isinstance(got["period_num"], int) and isinstance(got["is_active"], int)
    assert services.projects.list({})["data"][0] == got


def test_task_record_fields(services: Services, make_project: ProjectFactory,
                            tasks_of: Tasks) -> None:
    task = tasks_of(make_project())["a"]
    assert list(task) == [*TASK, *TASK_EXTENSIONS]
    assert services.tasks.get({"uid": task["uid"]}) == task


def test_handle_record_fields(services: Services, make_project: ProjectFactory,
                              tasks_of: Tasks) -> None:
    task = tasks_of(make_project(start=True))["a"]
    got = services.handles.get(services.handles.handle({"task_id": task["uid"],
                                                        "handler_id_list": [1, 2],
                                                        "handler_name_list": ["1", "2"]}))
    assert list(got) == [*HANDLE, *HANDLE_EXTENSIONS]
    assert got["handler_id_list"] == [1, 2] and got["handler_name_list"] == ["1", "2"]
    assert services.handles.list({})["data"][0] == got


def test_catalog_record_fields(services: Services, fake_clock: FakeClock) -> None:
    services.objects.create({"uid": "o", "name": "对象"})
    assert list(services.objects.get({"uid": "o"})) == ["uid", "name", "alias", "description",
                                                        "location", *AUDIT]
    services.statistics.create({"uid": "s", "name": "统计"})
    assert list(services.statistics.get({"uid": "s"})) == ["uid", "name", "alias", "unit",
                                                           "description", *AUDIT]
    services.statistics.add_value({"statistics_id": "s", "value": 1})
    reading = services.statistics.value_list({})["data"][0]
    assert list(reading) == ["statistics_id", "time", "value", "created"]
    services.handlers.create({"name": "张三"})
    assert list(services.handlers.list({})["data"][0]) == ["id", "name", "created"]


def test_audit_fields_move_on_update(services: Services, fake_clock: FakeClock,
                                     make_project: ProjectFactory) -> None:
    uid = make_project(created_by=3)
    fake_clock.advance(minutes=5)
    services.projects.update(project_data(uid=uid, last_modified_by=9))
    got = services.projects.get({"uid": uid})
    assert (got["created"], got["created_by"]) == ("2024-05-11 09:00:00", 3)
    assert (got["last_modified"], got["last_modified_by"]) == ("2024-05-11 09:05:00", 9)


def test_tasks_and_handles_have_no_write_actions(services: Services) -> None:
    # Tasks are created and deleted only by their project; handles are history: corrected
    # or voided (#15), never deleted.
    for name in ("create", "update", "delete"):
        assert not hasattr(services.tasks, name)
    assert not hasattr(services.handles, "delete")


def test_generated_statistic_uid_never_reused(services: Services) -> None:
    first = services.statistics.create({"name": "运行小时"})["uid"]
    services.statistics.delete({"uid": first})
    assert services.statistics.create({"name": "运行小时"})["uid"] != first
