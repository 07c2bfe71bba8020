"""The calendar's rows: every started task of a running project that has a due moment, with
the cycle settings of its project (to place the fixed plans' next occurrences)."""

from __future__ import annotations

from typing import Any

from peewee import JOIN, fn

from mixtimer_gui.store.models import Store


def scheduled_tasks(store: Store) -> list[dict[str, Any]]:
    task, project, obj = store.Task, store.Project, store.MaintenanceObject
    query = (task.select(task.uid.alias("task_id"), task.cycle_start, task.grid_anchor,
                         task.cycle_index, task.due_at, task.notice_at,
                         task.project_id, project.name.alias("project_name"),
                         project.cycle_type, project.period_num, project.period_unit,
                         project.notice_num, project.notice_unit, project.anchor_type,
                         project.guide, task.object_id,
                         fn.COALESCE(obj.name, task.object_id).alias("object_name"))
             .join(project, on=(project.uid == task.project_id))
             .join(obj, JOIN.LEFT_OUTER, on=(obj.uid == task.object_id), src=task)
             .where((project.is_active == 1) & task.cycle_start.is_null(False)
                    & task.due_at.is_null(False))
             .order_by(task.due_at, task.id))
    return list(query.dicts())
