"""Aggregate queries behind the overview: counts, due windows, on-time rates, fee sums.

Each is one indexed SQL statement; nothing loads every task or handle into Python.
"""

from __future__ import annotations

from typing import Any

from peewee import Case, fn

from mixtimer_gui.store import queries
from mixtimer_gui.store.models import Handle, Project, Task


def status_counts(now: int) -> dict[str, int]:
    """How many tasks are in each status at ``now`` (statuses with no task are absent)."""
    status = queries.task_fields(now)["status"].column
    query = (queries.task_select(now).select(status.alias("s"), fn.COUNT(Task.id).alias("n"))
             .group_by(status))
    return {row["s"]: row["n"] for row in query.dicts()}


def tasks_due_between(now: int, start: int, end: int, limit: int) -> list[dict[str, Any]]:
    """Running tasks with ``start <= due_at < end``, soonest first (task_select rows)."""
    fields = queries.task_fields(now)
    query = (queries.task_select(now)
             .where(fields["is_active"].column == 1, Task.due_at >= start, Task.due_at < end)
             .order_by(Task.due_at, Task.id).limit(limit))
    return list(query.dicts())


def due_moments_between(start: int, end: int) -> list[int]:
    """``due_at`` of the running tasks due in ``[start, end)``: the calendar needs only these.

    ``IN`` the running projects rather than a join, and the cursor's rows rather than
    Peewee's: at 10,000 tasks a month holds ~5,000 due moments, 12 ms the first way and
    under 2 ms this way.
    """
    running = Project.select(Project.uid).where(Project.is_active == 1)
    query = Task.select(Task.due_at).where(Task.project_id.in_(running), Task.due_at >= start,
                                           Task.due_at < end)
    return [moment for (moment,) in Task._meta.database.execute(query).fetchall()]


def on_time_by_project(since: int) -> list[tuple[str, str, int, int]]:
    """(project_id, project_name, handled, on time) over handles created since ``since``.

    Only real handles whose cycle had a due moment count: an ignored cycle was not done,
    and a handle without ``due_at`` has nothing to be on time for.
    """
    on_time = fn.SUM(Case(None, [(Handle.created <= Handle.due_at, 1)], 0))
    query = (Handle.select(Handle.project_id, fn.MAX(Handle.project_name),
                           fn.COUNT(Handle.id), on_time)
             .where(Handle.created >= since, Handle.is_ignored == 0,
                    Handle.due_at.is_null(False))
             .group_by(Handle.project_id)
             .order_by(fn.MAX(Handle.project_name)))
    return [(pid, name or pid, int(total), int(done or 0))
            for pid, name, total, done in query.tuples()]


def fee_sum_between(start: int, end: int) -> float:
    """The fees of handles created in ``[start, end)`` (uses the ``created`` index)."""
    total = (Handle.select(fn.SUM(Handle.fee))
             .where(Handle.created >= start, Handle.created < end).scalar())
    return float(total or 0.0)
