"""The action table: action name → parameter schema → service call (DESIGN §1, §4).

Adding an action is one row here and one service method. The parameter schema says which
wire parameters an action reads and of what JSON kind; it documents the API and drives the
tests (fuzzing sends every parameter with every kind). It does not validate: the field rules
live once, in ``domain.rules``, and the services apply them for the API and the GUI alike.

Each row also names its catalogue path ``/{block}/v2/{entity}/{name}`` (the original lists
``/mixtimer/v2/project/create_v2_project`` and so on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.services import Services

# Parameter kinds (JSON shapes a well-behaved client sends).
TEXT, INT, NUMBER, TIME, LIST_TEXT, LIST_INT, FILTER = (
    "text", "int", "number", "time", "list_text", "list_int", "filter")
LIST_OBJECT = "list_object"  # a JSON array of objects (checklist items and results)

_AUDIT = {"organization_id": TEXT, "created_by": INT, "last_modified_by": INT}
_LIST = {"page_size": INT, "page_index": INT, "where_and": FILTER, "where_or": FILTER,
         "where_in": FILTER, "order_by": TEXT}
_UID = {"uid": TEXT}
_UID_WRITE = {"uid": TEXT, **_AUDIT}  # a write by uid: its operator goes into the history
_PROJECT = {"uid": TEXT, "name": TEXT, "alias": TEXT, "description": TEXT, "cycle_type": TEXT,
            "statistics_id": TEXT, "period_num": INT, "period_unit": TEXT, "notice_num": INT,
            "notice_unit": TEXT, "guide": TEXT, "anchor_type": TEXT,
            "object_id_list": LIST_TEXT, "statistics_period_num": NUMBER,
            "checklist": LIST_OBJECT, **_AUDIT}
_HANDLE = {"uid": TEXT, "task_id": TEXT, "description": TEXT, "handler_id_list": LIST_INT,
           "handler_name_list": LIST_TEXT, "fee": NUMBER, "result": TEXT, "images": TEXT,
           "handled_at": TIME, "checklist_results": LIST_OBJECT, **_AUDIT}
_IGNORE = {"uid": TEXT, "task_id": TEXT, "description": TEXT, "handled_at": TIME, **_AUDIT}
_CORRECTION = {"uid": TEXT, "description": TEXT, "handler_id_list": LIST_INT,
               "handler_name_list": LIST_TEXT, "fee": NUMBER, "result": TEXT, "images": TEXT,
               **_AUDIT}
_VOID = {"uid": TEXT, "reason": TEXT, **_AUDIT}
_OBJECT = {"uid": TEXT, "name": TEXT, "alias": TEXT, "description": TEXT, "location": TEXT,
           **_AUDIT}
_STATISTIC = {"uid": TEXT, "name": TEXT, "alias": TEXT, "unit": TEXT, "description": TEXT,
              **_AUDIT}
_READING = {"statistics_id": TEXT, "value": NUMBER, "time": TIME}


@dataclass(frozen=True)
class Action:
    name: str
    entity: str  # catalogue path segment
    service: str  # attribute of ``Services``
    method: str  # method of that service, called with the request's dict
    params: Mapping[str, str]
    writes: bool

    def call(self, services: Services, data: Mapping[str, Any]) -> dict[str, Any]:
        return getattr(getattr(services, self.service), self.method)(data)


_ROWS = (
    # projects (spec §3)
    Action("create_v2_project", "project", "projects", "create", _PROJECT, True),
    Action("update_v2_project", "project", "projects", "update", _PROJECT, True),
    Action("delete_v2_project", "project", "projects", "delete", _UID_WRITE, True),
    Action("get_v2_project", "project", "projects", "get", _UID, False),
    Action("get_v2_project_list", "project", "projects", "list", _LIST, False),
    Action("start_v2_project", "project", "projects", "start", _UID_WRITE, True),
    Action("stop_v2_project", "project", "projects", "stop", _UID_WRITE, True),
    Action("restart_v2_project", "project", "projects", "restart", _UID_WRITE, True),
    # tasks (spec §4)
    Action("get_v2_task", "task", "tasks", "get", _UID, False),
    Action("get_v2_task_list", "task", "tasks", "list", _LIST, False),
    # handles (spec §5)
    Action("v2_handle", "handle", "handles", "handle", _HANDLE, True),
    Action("v2_handle_ignore", "handle", "handles", "ignore", _IGNORE, True),
    Action("get_v2_handle", "handle", "handles", "get", _UID, False),
    Action("get_v2_handle_list", "handle", "handles", "list", _LIST, False),
    # corrections and history (spec §8)
    Action("update_v2_handle", "handle", "handles", "update", _CORRECTION, True),
    Action("void_v2_handle", "handle", "handles", "void", _VOID, True),
    Action("get_v2_history_list", "history", "history", "list", _LIST, False),
    # extensions (spec §7): objects, statistics and readings, handlers
    Action("create_v2_object", "object", "objects", "create", _OBJECT, True),
    Action("update_v2_object", "object", "objects", "update", _OBJECT, True),
    Action("delete_v2_object", "object", "objects", "delete", _UID_WRITE, True),
    Action("get_v2_object", "object", "objects", "get", _UID, False),
    Action("get_v2_object_list", "object", "objects", "list", _LIST, False),
    Action("create_v2_statistics", "statistics", "statistics", "create", _STATISTIC, True),
    Action("update_v2_statistics", "statistics", "statistics", "update", _STATISTIC, True),
    Action("delete_v2_statistics", "statistics", "statistics", "delete", _UID_WRITE, True),
    Action("get_v2_statistics", "statistics", "statistics", "get", _UID, False),
    Action("get_v2_statistics_list", "statistics", "statistics", "list", _LIST, False),
    Action("add_v2_statistics_value", "statistics", "statistics", "add_value", _READING, True),
    Action("get_v2_statistics_value_list", "statistics", "statistics", "value_list", _LIST,
           False),
    Action("get_v2_handler_list", "handler", "handlers", "list", _LIST, False),
)

ACTIONS: dict[str, Action] = {row.name: row for row in _ROWS}

CATALOGUE: dict[tuple[str, str], Action] = {(row.entity, row.name): row for row in _ROWS}


def catalogue_path(action: Action, block: str = "mixtimer") -> str:
    return f"/{block}/v2/{action.entity}/{action.name}"
