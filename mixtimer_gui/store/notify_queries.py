"""The outbox in SQL: rows owed to channels, claimed by one delivering process at a time.

A row is claimed by writing the claimer's id and the moment into it inside a write
transaction (one writer at a time on both engines); on PostgreSQL the candidates are also
read ``FOR UPDATE SKIP LOCKED``, so a workstation never waits on rows another one is taking.
A claim older than the lease is taken again: the process that held it died, and its rows
are not lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from peewee import JOIN, fn

from mixtimer_gui.store.models import Store

PENDING, SENT, FAILED = "pending", "sent", "failed"

OUTBOX_COLUMNS = ("channel_id", "task_id", "cycle_start", "kind", "seq", "payload", "created",
                  "status", "attempts", "next_attempt_at", "answer")
_TARGET = '"notify_outbox" (' + ", ".join(f'"{c}"' for c in OUTBOX_COLUMNS) + ")"
# The unique (channel, task, cycle, kind, seq) index makes a row owed once per channel;
# a second writer of the same reminder (another workstation) adds nothing.
_INSERT_SQLITE = (f"INSERT OR IGNORE INTO {_TARGET} VALUES ("
                  + ", ".join("?" for _ in OUTBOX_COLUMNS) + ")")
_INSERT_POSTGRES = (f"INSERT INTO {_TARGET} VALUES ("
                    + ", ".join("%s" for _ in OUTBOX_COLUMNS) + ") ON CONFLICT DO NOTHING")


def insert_rows(store: Store, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert outbox rows (``OUTBOX_COLUMNS`` order); call inside a write transaction."""
    if not rows:
        return
    if store.is_postgres:
        with store.db.connection().cursor() as cursor:
            cursor.executemany(_INSERT_POSTGRES, list(rows))
    else:
        store.db.connection().executemany(_INSERT_SQLITE, list(rows))


def active_channels(store: Store) -> list[Any]:
    channel = store.NotifyChannel
    return list(channel.select().where(channel.is_active == 1).order_by(channel.id))


def claim(store: Store, worker: str, now: int, lease: int, limit: int) -> list[Any]:
    """Claim up to ``limit`` rows that are due; returns them. Inside a write transaction."""
    box = store.NotifyOutbox
    free = box.claimed_by.is_null() | (box.claimed_at < now - lease)
    candidates = (box.select(box.id)
                  .where((box.status == PENDING) & (box.next_attempt_at <= now) & free)
                  .order_by(box.id).limit(limit))
    if store.is_postgres:
        candidates = candidates.for_update(skip_locked=True)
    ids = [row.id for row in candidates]
    if not ids:
        return []
    (box.update(claimed_by=worker, claimed_at=now)
     .where(box.id.in_(ids) & free).execute())
    return list(box.select().where(box.id.in_(ids) & (box.claimed_by == worker)
                                   & (box.claimed_at == now)).order_by(box.id))


def mark_sent(store: Store, ids: Iterable[int], now: int, answer: str) -> None:
    box = store.NotifyOutbox
    box.update(status=SENT, sent_at=now, attempts=box.attempts + 1, answer=answer,
               claimed_by=None, claimed_at=None).where(box.id.in_(list(ids))).execute()


def mark_retry(store: Store, ids: Iterable[int], next_at: int, answer: str,
               max_attempts: int) -> None:
    """One more failed attempt: back to pending for ``next_at``, or failed for good."""
    box = store.NotifyOutbox
    id_list = list(ids)
    (box.update(attempts=box.attempts + 1, next_attempt_at=next_at, answer=answer,
                claimed_by=None, claimed_at=None)
     .where(box.id.in_(id_list)).execute())
    (box.update(status=FAILED).where(box.id.in_(id_list) & (box.attempts >= max_attempts))
     .execute())


def release(store: Store, ids: Iterable[int], next_at: int) -> None:
    """Give rows back unsent and uncounted (a rate limit said: not yet)."""
    box = store.NotifyOutbox
    (box.update(next_attempt_at=next_at, claimed_by=None, claimed_at=None)
     .where(box.id.in_(list(ids))).execute())


def add_attempt(store: Store, channel_id: int, now: int, ok: bool, rows: int,
                answer: str) -> None:
    store.NotifyAttempt.insert(channel_id=channel_id, at=now, ok=int(ok), rows=rows,
                               answer=answer).execute()


def attempts_since(store: Store, channel_id: int, since: int) -> int:
    attempt = store.NotifyAttempt
    return (attempt.select(fn.COUNT(attempt.id))
            .where((attempt.channel_id == channel_id) & (attempt.at > since)).scalar()) or 0


def outbox_page(store: Store, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """The newest outbox rows with their channel's name (the 投递记录 view)."""
    box, channel = store.NotifyOutbox, store.NotifyChannel
    query = (box.select(box.id, box.channel_id, channel.name.alias("channel_name"),
                        box.task_id, box.kind, box.payload, box.created, box.status,
                        box.attempts, box.next_attempt_at, box.answer, box.sent_at)
             .join(channel, on=(channel.id == box.channel_id), join_type=JOIN.LEFT_OUTER)
             .order_by(box.id.desc()).limit(limit).offset(offset))
    return list(query.dicts())


def outbox_count(store: Store) -> int:
    return store.NotifyOutbox.select().count()


def open_tasks(store: Store, now: int, limit: int) -> list[dict[str, Any]]:
    """Running tasks whose notice window has begun (soon, due or overdue), soonest due
    first: what a daily digest lists."""
    task, project, obj = store.Task, store.Project, store.MaintenanceObject
    query = (task.select(task.uid.alias("task_id"), task.due_at, task.notice_at,
                         task.project_id, project.name.alias("project_name"),
                         task.object_id, fn.COALESCE(obj.name, task.object_id)
                         .alias("object_name"))
             .join(project, on=(project.uid == task.project_id))
             .join(obj, JOIN.LEFT_OUTER, on=(obj.uid == task.object_id), src=task)
             .where((project.is_active == 1) & task.cycle_start.is_null(False)
                    & (task.notice_at <= now))
             .order_by(task.due_at, task.id).limit(limit))
    return list(query.dicts())
