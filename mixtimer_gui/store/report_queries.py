"""Aggregate queries behind the overview: counts, due windows, on-time rates, fee sums.

Each is one indexed SQL statement; nothing loads every task or handle into Python.
"""

from __future__ import annotations

from typing import Any

from peewee import SQL, Case, fn

from mixtimer_gui.store import queries
from mixtimer_gui.store.models import Store


def status_counts(store: Store, now: int) -> dict[str, int]:
    """How many tasks are in each status at ``now`` (statuses with no task are absent)."""
    status = queries.task_fields(store, now)["status"].column
    # Grouped by position: the status is a CASE with ``now`` as a parameter, and PostgreSQL
    # takes the CASE in GROUP BY (its own parameter numbers) for a different expression.
    query = (queries.task_select(store, now)
             .select(status.alias("s"), fn.COUNT(store.Task.id).alias("n"))
             .group_by(SQL("1")))
    return {row["s"]: row["n"] for row in query.dicts()}


def tasks_due_between(store: Store, now: int, start: int, end: int,
                      limit: int) -> list[dict[str, Any]]:
    """Running tasks with ``start <= due_at < end``, soonest first (task_select rows)."""
    task = store.Task
    fields = queries.task_fields(store, now)
    query = (queries.task_select(store, now)
             .where(fields["is_active"].column == 1, task.due_at >= start, task.due_at < end)
             .order_by(task.due_at, task.id).limit(limit))
    return list(query.dicts())


def due_moments_between(store: Store, start: int, end: int) -> list[int]:
    """``due_at`` of the running tasks due in ``[start, end)``: the calendar needs only these.

    ``IN`` the running projects rather than a join, and the cursor's rows rather than
    Peewee's: at 10,000 tasks a month holds ~5,000 due moments, 12 ms the first way and
    under 2 ms this way.
    """
    task, project = store.Task, store.Project
    running = project.select(project.uid).where(project.is_active == 1)
    query = task.select(task.due_at).where(task.project_id.in_(running), task.due_at >= start,
                                           task.due_at < end)
    return [moment for (moment,) in store.db.execute(query).fetchall()]


def on_time_by_project(store: Store, since: int,
                       until: int | None = None) -> list[tuple[str, str, int, int]]:
    """(project_id, project_name, handled, on time) over handles created since ``since``
    (and before ``until``, when given).

    Only real handles whose cycle had a due moment count: an ignored cycle was not done,
    a voided one did not happen, and a handle without ``due_at`` has nothing to be on time
    for. On time means the work was done (``handled_at``) by the due moment.
    """
    handle = store.Handle
    # A workstation on an older version writes no handled_at (team mode): then created.
    done = fn.COALESCE(handle.handled_at, handle.created)
    on_time = fn.SUM(Case(None, [(done <= handle.due_at, 1)], 0))
    query = (handle.select(handle.project_id, fn.MAX(handle.project_name),
                           fn.COUNT(handle.id), on_time)
             .where(handle.created >= since, handle.is_ignored == 0,
                    handle.is_voided == 0, handle.due_at.is_null(False),
                    *(() if until is None else (handle.created < until,)))
             .group_by(handle.project_id)
             .order_by(fn.MAX(handle.project_name)))
    return [(pid, name or pid, int(total), int(done or 0))
            for pid, name, total, done in query.tuples()]


def fee_sum_between(store: Store, start: int, end: int) -> float:
    """The fees of handles created in ``[start, end)`` (uses the ``created`` index); a
    voided handle's fee was never spent."""
    handle = store.Handle
    total = (handle.select(fn.SUM(handle.fee))
             .where(handle.created >= start, handle.created < end, handle.is_voided == 0)
             .scalar())
    return float(total or 0.0)


def handles_by_project(store: Store, start: int, end: int,
                       ) -> list[tuple[str, str, int, int, float]]:
    """(project_id, project_name, handles done, cycles skipped, fees) for the handles
    created in ``[start, end)``, by project name. An ignored cycle is not a handle done; its
    fee (normally none) still counts, as every fee figure of the overview counts it; a
    voided handle did not happen."""
    handle = store.Handle
    done = fn.SUM(Case(None, [(handle.is_ignored == 0, 1)], 0))
    query = (handle.select(handle.project_id, fn.MAX(handle.project_name), done,
                           fn.COUNT(handle.id) - done, fn.SUM(handle.fee))
             .where(handle.created >= start, handle.created < end, handle.is_voided == 0)
             .group_by(handle.project_id)
             .order_by(fn.MAX(handle.project_name), handle.project_id))
    return [(pid, name or pid, int(n or 0), int(skipped or 0), float(fee or 0.0))
            for pid, name, n, skipped, fee in query.tuples()]


def skipped_between(store: Store, start: int, end: int) -> list[dict[str, Any]]:
    """The ignored cycles written in ``[start, end)``, oldest first: their reason is the
    handle's description."""
    handle = store.Handle
    query = (handle.select(handle.project_name, handle.object_name, handle.object_id,
                           handle.created, handle.due_at, handle.skipped_cycles,
                           handle.description)
             .where(handle.created >= start, handle.created < end, handle.is_ignored == 1,
                    handle.is_voided == 0)
             .order_by(handle.created, handle.id))
    return list(query.dicts())


def overdue_at(store: Store, moment: int, now: int) -> list[dict[str, Any]]:
    """Tasks that were overdue at ``moment``: a cycle due before it that was closed only
    after it (the handle keeps the due moment it closed), or is still open (the running
    task's ``due_at`` is still before it). One row per task, its earliest such due moment."""
    handle, task = store.Handle, store.Task
    closed_late = (handle.select(handle.task_id, handle.project_name, handle.object_name,
                                 handle.object_id, handle.due_at)
                   .where(handle.due_at < moment, handle.created >= moment,
                          handle.is_voided == 0))
    fields = queries.task_fields(store, now)
    still_open = (queries.task_select(store, now)
                  .where(fields["is_active"].column == 1, task.due_at < moment))
    found: dict[str, dict[str, Any]] = {}
    for row in closed_late.dicts():
        _keep_earliest(found, row["task_id"], row)
    for row in still_open.dicts():
        _keep_earliest(found, row["uid"], {
            "task_id": row["uid"], "project_name": row["project_name"],
            "object_name": row["object_name"], "object_id": row["object_id"],
            "due_at": row["due_at"]})
    return sorted(found.values(), key=lambda r: (r["due_at"], r["task_id"]))


def _keep_earliest(found: dict[str, dict[str, Any]], key: str, row: dict[str, Any]) -> None:
    if key not in found or row["due_at"] < found[key]["due_at"]:
        found[key] = row


def last_handles(store: Store, task_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The newest handle (done or ignored, not voided) of each of ``task_ids``."""
    handle = store.Handle
    newest = (handle.select(fn.MAX(handle.id))
              .where(handle.task_id.in_(task_ids), handle.is_voided == 0)
              .group_by(handle.task_id))
    query = (handle.select(handle.task_id, handle.created, handle.handler_name_list,
                           handle.result, handle.is_ignored)
             .where(handle.id.in_(newest)))
    return {row["task_id"]: row for row in query.dicts()}


def objects_by_uid(store: Store, uids: list[str]) -> dict[str, dict[str, Any]]:
    obj = store.MaintenanceObject
    query = obj.select(obj.uid, obj.name, obj.alias, obj.location).where(obj.uid.in_(uids))
    return {row["uid"]: row for row in query.dicts()}


def object_locations(store: Store, uids: list[str]) -> dict[str, str]:
    return {uid: row["location"] or "" for uid, row in objects_by_uid(store, uids).items()}
