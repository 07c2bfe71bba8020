"""The reminder scan in SQL: which running tasks owe a reminder now, and when the next one
could fall due. Owned by the reminders feature; ``tests/reminders/reminder_oracle.py`` holds
the same rule in Python, and the tests check that the two agree.

A task's reminder state at ``now`` is the most advanced of: notice (``notice_at ≤ now``),
due (``due_at ≤ now``), overdue number ``n ≥ 1`` (``due_at + n·repeat ≤ now``). Each is
ranked 0, 1, 1 + n. A task owes a reminder when nothing of equal or higher rank is logged for
its current cycle, so a clock that jumps back and forth never fires the same state twice.
Only started tasks of running projects count; the kind names come from the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from peewee import JOIN, Case, Value, fn

from mixtimer_gui.store.models import MaintenanceObject, Project, ReminderLog, Task, database


class Kinds(NamedTuple):
    """The kind names, from the least advanced state to the most."""

    notice: str
    due: str
    overdue: str


def _state(now: int, repeat: int, kinds: Kinds) -> tuple[Any, Any, Any]:
    """(kind, seq, rank) of each task's state at ``now`` as SQL expressions."""
    overdue = (Task.due_at + repeat) <= now
    due = Task.due_at <= now
    kind = Case(None, [(overdue, kinds.overdue), (due, kinds.due)], kinds.notice)
    seq = Case(None, [(overdue, (Value(now) - Task.due_at) / repeat)], 0)
    rank = Case(None, [(overdue, 1 + (Value(now) - Task.due_at) / repeat), (due, 1)], 0)
    return kind, seq, rank


def _logged_rank(kinds: Kinds) -> Any:
    return Case(ReminderLog.kind, [(kinds.notice, 0), (kinds.due, 1)], 1 + ReminderLog.seq)


PENDING_COLUMNS = ("task_id", "cycle_start", "kind", "seq", "due_at", "notice_at",
                   "project_id", "project_name", "object_id", "object_name")


def _pending_query(now: int, repeat_seconds: int, kinds: Kinds) -> Any:
    kind, seq, rank = _state(now, repeat_seconds, kinds)
    already = (ReminderLog.select(Value(1))
               .where((ReminderLog.task_id == Task.uid)
                      & (ReminderLog.cycle_start == Task.cycle_start)
                      & (_logged_rank(kinds) >= rank)))
    return (Task.select(Task.uid, Task.cycle_start, kind, seq, Task.due_at, Task.notice_at,
                        Task.project_id, Project.name,
                        Task.object_id, fn.COALESCE(MaintenanceObject.name, Task.object_id))
            .join(Project, on=(Project.uid == Task.project_id))
            .join(MaintenanceObject, JOIN.LEFT_OUTER,
                  on=(MaintenanceObject.uid == Task.object_id), src=Task)
            .where((Project.is_active == 1) & Task.cycle_start.is_null(False)
                   & (Task.notice_at <= now) & ~fn.EXISTS(already)))


def any_pending(now: int, repeat_seconds: int, kinds: Kinds) -> bool:
    return _pending_query(now, repeat_seconds, kinds).limit(1).tuples().first() is not None


def pending(now: int, repeat_seconds: int, kinds: Kinds) -> list[dict[str, Any]]:
    """The reminders owed at ``now``: one row per task, with what the log needs."""
    query = _pending_query(now, repeat_seconds, kinds).order_by(Task.due_at, Task.id)
    # The cursor's rows: Peewee's row wrappers (even .tuples(), which still converts every
    # value) took ~60 of ~100 ms when 10,000 tasks fell due at once; the columns are plain
    # integers and text that need no conversion.
    rows = Task._meta.database.execute(query).fetchall()
    return [dict(zip(PENDING_COLUMNS, row, strict=True)) for row in rows]


def next_change(now: int, repeat_seconds: int) -> int | None:
    """The earliest moment after ``now`` at which some running task changes state."""
    running = (Project.is_active == 1) & Task.cycle_start.is_null(False)
    base = Task.select().join(Project, on=(Project.uid == Task.project_id))
    notice = (base.select(fn.MIN(Task.notice_at))
              .where(running & (Task.notice_at > now)).scalar())
    due = base.select(fn.MIN(Task.due_at)).where(running & (Task.due_at > now)).scalar()
    # An overdue task next changes at the next whole multiple of the repeat after now.
    repeat = (Task.due_at + ((Value(now) - Task.due_at) / repeat_seconds + 1)
              * repeat_seconds)
    overdue = (base.select(fn.MIN(repeat))
               .where(running & (Task.due_at <= now)).scalar())
    moments = [m for m in (notice, due, overdue) if m is not None]
    return int(min(moments)) if moments else None


LOG_COLUMNS = ("task_id", "cycle_start", "kind", "seq", "due_at", "fired_at", "project_id",
               "project_name", "object_id", "object_name", "is_read")
_INSERT_LOG = ('INSERT OR IGNORE INTO "reminder_log" ('
               + ", ".join(f'"{column}"' for column in LOG_COLUMNS)
               + ") VALUES (" + ", ".join("?" for _ in LOG_COLUMNS) + ")")


def insert_log(rows: Iterable[Mapping[str, Any]], fired_at: int) -> None:
    """Log fired reminders; a row already logged (another process won) is ignored.

    Call inside a write transaction. ``executemany`` on the transaction's connection:
    Peewee's ``insert_many`` spent ~0.7 s building the SQL for 10,000 rows.
    """
    records = [(r["task_id"], r["cycle_start"], r["kind"], r["seq"], r["due_at"], fired_at,
                r["project_id"], r["project_name"], r["object_id"], r["object_name"], 0)
               for r in rows]
    if records:
        database.connection().executemany(_INSERT_LOG, records)


def unread_count() -> int:
    return ReminderLog.select().where(ReminderLog.is_read == 0).count()


def mark_read(ids: Iterable[int] | None) -> int:
    """Mark the given log rows (all when ``None``) read; returns how many changed."""
    query = ReminderLog.update(is_read=1).where(ReminderLog.is_read == 0)
    if ids is not None:
        query = query.where(ReminderLog.id.in_(list(ids)))
    return query.execute()


def mark_read_for_tasks(task_uids: Iterable[str]) -> int:
    """Unread reminders of cycles that have ended (the task was handled, ignored or
    restarted since) become read: nothing is left to do about them."""
    uids = list(task_uids)
    changed = 0
    current = Task.select(Task.cycle_start).where(Task.uid == ReminderLog.task_id)
    for start in range(0, len(uids), 500):  # a restart announces every task of a project
        # A deleted task or one whose cycle was cleared has no current cycle: -1 matches none.
        ended = (ReminderLog.task_id.in_(uids[start:start + 500])
                 & (ReminderLog.cycle_start != fn.COALESCE(current, -1)))
        changed += (ReminderLog.update(is_read=1)
                    .where((ReminderLog.is_read == 0) & ended).execute())
    return changed
