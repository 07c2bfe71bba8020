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

from mixtimer_gui.store import filters as f
from mixtimer_gui.store import queries
from mixtimer_gui.store.filters import FilterField
from mixtimer_gui.store.models import Store


class Kinds(NamedTuple):
    """The kind names, from the least advanced state to the most."""

    notice: str
    due: str
    overdue: str


def _state(store: Store, now: int, repeat: int, kinds: Kinds) -> tuple[Any, Any, Any]:
    """(kind, seq, rank) of each task's state at ``now`` as SQL expressions."""
    task = store.Task
    overdue = (task.due_at + repeat) <= now
    due = task.due_at <= now
    kind = Case(None, [(overdue, kinds.overdue), (due, kinds.due)], kinds.notice)
    seq = Case(None, [(overdue, (Value(now) - task.due_at) / repeat)], 0)
    rank = Case(None, [(overdue, 1 + (Value(now) - task.due_at) / repeat), (due, 1)], 0)
    return kind, seq, rank


def _logged_rank(store: Store, kinds: Kinds) -> Any:
    log = store.ReminderLog
    return Case(log.kind, [(kinds.notice, 0), (kinds.due, 1)], 1 + log.seq)


PENDING_COLUMNS = ("task_id", "cycle_start", "kind", "seq", "due_at", "notice_at",
                   "project_id", "project_name", "object_id", "object_name", "due_by")


def _pending_query(store: Store, now: int, repeat_seconds: int, kinds: Kinds) -> Any:
    task, project, obj, log = store.Task, store.Project, store.MaintenanceObject, \
        store.ReminderLog
    kind, seq, rank = _state(store, now, repeat_seconds, kinds)
    already = (log.select(Value(1))
               .where((log.task_id == task.uid)
                      & (log.cycle_start == task.cycle_start)
                      & (_logged_rank(store, kinds) >= rank)))
    return (task.select(task.uid, task.cycle_start, kind, seq, task.due_at, task.notice_at,
                        task.project_id, project.name,
                        task.object_id, fn.COALESCE(obj.name, task.object_id), task.due_by)
            .join(project, on=(project.uid == task.project_id))
            .join(obj, JOIN.LEFT_OUTER, on=(obj.uid == task.object_id), src=task)
            .where((project.is_active == 1) & task.cycle_start.is_null(False)
                   & (task.notice_at <= now) & ~fn.EXISTS(already)))


def any_pending(store: Store, now: int, repeat_seconds: int, kinds: Kinds) -> bool:
    query = _pending_query(store, now, repeat_seconds, kinds)
    return query.limit(1).tuples().first() is not None


def pending(store: Store, now: int, repeat_seconds: int, kinds: Kinds) -> list[dict[str, Any]]:
    """The reminders owed at ``now``: one row per task, with what the log needs."""
    task = store.Task
    query = _pending_query(store, now, repeat_seconds, kinds).order_by(task.due_at, task.id)
    # The cursor's rows: Peewee's row wrappers (even .tuples(), which still converts every
    # value) took ~60 of ~100 ms when 10,000 tasks fell due at once; the columns are plain
    # integers and text that need no conversion.
    rows = store.db.execute(query).fetchall()
    return [dict(zip(PENDING_COLUMNS, row, strict=True)) for row in rows]


def next_change(store: Store, now: int, repeat_seconds: int) -> int | None:
    """The earliest moment after ``now`` at which some running task changes state."""
    task, project = store.Task, store.Project
    running = (project.is_active == 1) & task.cycle_start.is_null(False)
    base = task.select().join(project, on=(project.uid == task.project_id))
    notice = (base.select(fn.MIN(task.notice_at))
              .where(running & (task.notice_at > now)).scalar())
    due = base.select(fn.MIN(task.due_at)).where(running & (task.due_at > now)).scalar()
    # An overdue task next changes at the next whole multiple of the repeat after now.
    repeat = (task.due_at + ((Value(now) - task.due_at) / repeat_seconds + 1)
              * repeat_seconds)
    overdue = (base.select(fn.MIN(repeat))
               .where(running & (task.due_at <= now)).scalar())
    moments = [m for m in (notice, due, overdue) if m is not None]
    return int(min(moments)) if moments else None


LOG_COLUMNS = ("task_id", "cycle_start", "kind", "seq", "due_at", "fired_at", "project_id",
               "project_name", "object_id", "object_name", "is_read", "due_by")
_LOG_TARGET = ('"reminder_log" (' + ", ".join(f'"{column}"' for column in LOG_COLUMNS) + ")")
# A row already logged (another workstation or process won the race) is skipped: the unique
# (task, cycle, kind, seq) index is what makes a reminder fire once, per team too.
_INSERT_LOG_SQLITE = (f"INSERT OR IGNORE INTO {_LOG_TARGET} VALUES ("
                      + ", ".join("?" for _ in LOG_COLUMNS) + ")")
_INSERT_LOG_POSTGRES = (f"INSERT INTO {_LOG_TARGET} VALUES ("
                        + ", ".join("%s" for _ in LOG_COLUMNS) + ") ON CONFLICT DO NOTHING")


def insert_log(store: Store, rows: Iterable[Mapping[str, Any]], fired_at: int) -> None:
    """Log fired reminders; a row already logged (another process won) is ignored.

    Call inside a write transaction. ``executemany`` on the transaction's connection:
    Peewee's ``insert_many`` spent ~0.7 s building the SQL for 10,000 rows.
    """
    records = [(r["task_id"], r["cycle_start"], r["kind"], r["seq"], r["due_at"], fired_at,
                r["project_id"], r["project_name"], r["object_id"], r["object_name"], 0,
                r.get("due_by", ""))
               for r in rows]
    if not records:
        return
    if store.is_postgres:
        with store.db.connection().cursor() as cursor:
            cursor.executemany(_INSERT_LOG_POSTGRES, records)
    else:
        store.db.connection().executemany(_INSERT_LOG_SQLITE, records)


def newest_log_id(store: Store) -> int:
    """The id of the newest log row (0 when none): ids grow in the order rows were logged,
    since every workstation logs under the one-writer lock."""
    log = store.ReminderLog
    return int(log.select(fn.MAX(log.id)).scalar() or 0)


def logged_after(store: Store, log_id: int, operator_id: int) -> list[dict[str, Any]]:
    """The log rows newer than ``log_id``, oldest first, with their ``id``; ``is_read`` is
    ``operator_id``'s read state."""
    log = store.ReminderLog
    columns = [log.id, *(read_flag(store, operator_id) if column == "is_read"
                         else getattr(log, column) for column in LOG_COLUMNS)]
    query = log.select(*columns).where(log.id > log_id).order_by(log.id)
    rows = store.db.execute(query).fetchall()
    return [dict(zip(("id", *LOG_COLUMNS), row, strict=True)) for row in rows]


# -- read state, per operator ---------------------------------------------------------------
#
# A logged reminder is read for an operator when that operator marked it (``reminder_read``)
# or when it is read for everyone (``reminder_log.is_read``: its cycle ended, or it was marked
# before read state was per operator, or by a program that knows no operators).


def _marked_by(store: Store, operator_id: int) -> Any:
    log, read = store.ReminderLog, store.ReminderRead
    return fn.EXISTS(read.select(Value(1)).where((read.operator_id == operator_id)
                                                 & (read.log_id == log.id)))


def unread_by(store: Store, operator_id: int) -> Any:
    """SQL: the log row is unread for ``operator_id``."""
    return (store.ReminderLog.is_read == 0) & ~_marked_by(store, operator_id)


def read_flag(store: Store, operator_id: int) -> Any:
    """SQL: 1 when the log row is read for ``operator_id``, else 0."""
    return Case(None, [(unread_by(store, operator_id), 0)], 1)


def log_for(store: Store, operator_id: int) -> tuple[Any, dict[str, FilterField]]:
    """The log as ``operator_id`` sees it: its select and filter fields, ``is_read`` being
    that operator's read state."""
    log = store.ReminderLog
    flag = read_flag(store, operator_id)
    columns = [field for name, field in log._meta.fields.items() if name != "is_read"]
    fields = {**queries.reminder_fields(store), "is_read": FilterField(f.INT, flag)}
    return log.select(*columns, flag.alias("is_read")), fields


def unread_count(store: Store, operator_id: int) -> int:
    log = store.ReminderLog
    return log.select().where(unread_by(store, operator_id)).count()


def mark_read(store: Store, ids: Iterable[int] | None, operator_id: int, now: int) -> int:
    """Mark the given log rows (all when ``None``) read for ``operator_id``; returns how
    many were unread for them. Call inside a write transaction."""
    log, read = store.ReminderLog, store.ReminderRead
    unread = log.select(log.id, Value(operator_id), Value(now)).where(
        unread_by(store, operator_id))
    if ids is not None:
        unread = unread.where(log.id.in_(list(ids)))
    return (read.insert_from(unread, [read.log_id, read.operator_id, read.read_at])
            .on_conflict_ignore().as_rowcount().execute())


def mark_read_for_tasks(store: Store, task_uids: Iterable[str]) -> int:
    """Unread reminders of cycles that have ended (the task was handled, ignored or
    restarted since) become read: nothing is left to do about them."""
    task, log = store.Task, store.ReminderLog
    uids = list(task_uids)
    changed = 0
    current = task.select(task.cycle_start).where(task.uid == log.task_id)
    for start in range(0, len(uids), 500):  # a restart announces every task of a project
        # A deleted task or one whose cycle was cleared has no current cycle: -1 matches none.
        ended = (log.task_id.in_(uids[start:start + 500])
                 & (log.cycle_start != fn.COALESCE(current, -1)))
        changed += (log.update(is_read=1)
                    .where((log.is_read == 0) & ended).execute())
    return changed
