"""The reminder log and the reminder settings (pause, overdue repeat), shared by the window and
``serve`` through the database.

Which reminders fall due is ``reminders.engine``'s business; this service records them so each
(task, cycle, kind, seq) fires once, lists them, and keeps the read marks and the pause. The
writes that end a cycle mark its reminders read through ``end_closed_cycles``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mixtimer_gui.domain import clock, rules
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import events, notify, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import reminder_queries as rq

NOTICE, DUE, OVERDUE = "提醒", "到期", "逾期"
KINDS = rq.Kinds(NOTICE, DUE, OVERDUE)

PAUSE_KEY = "reminders.paused_until"
REPEAT_KEY = "reminders.overdue_repeat_hours"
UNTIL_RESUMED = "resume"
DEFAULT_REPEAT_HOURS = 24.0
MAX_REPEAT_HOURS = 24.0 * 365


@dataclass(frozen=True)
class PauseState:
    """``paused`` with ``until`` = the moment reminders resume, ``None`` = until resumed."""

    paused: bool
    until: int | None = None


def end_closed_cycles(ctx: ServiceContext, task_uids: Iterable[str]) -> None:
    """The unread reminders of cycles that have ended (the tasks were handled, ignored,
    restarted, cleared or deleted) count as read: nothing is left to do about them.

    Call inside the write that ended them, so the unread count is right as soon as it
    commits, whether or not a reminder runner is there to hear about it.
    """
    uids = list(task_uids)
    if uids and rq.mark_read_for_tasks(ctx.store, uids):
        ctx.changed(events.REMINDER, *uids)


def reminder_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "task_id": row["task_id"], "kind": row["kind"], "seq": row["seq"],
            "cycle_start": clock.format_wire(row["cycle_start"]),
            "due_at": clock.format_wire(row["due_at"]),
            "fired_at": clock.format_wire(row["fired_at"]),
            "project_id": row["project_id"], "project_name": row["project_name"],
            "object_id": row["object_id"], "object_name": row["object_name"],
            "is_read": row["is_read"], "due_by": row["due_by"]}


class ReminderService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- firing ---------------------------------------------------------------------------

    def record_pending(self, now: int, repeat_seconds: int) -> list[dict[str, Any]]:
        """Log what is owed at ``now`` and return it (``fired_at`` = ``now``).

        The check is repeated under the write lock, so two processes on one database (the
        window and ``serve``) never both fire the same reminder.
        """
        with self.ctx.read():  # the common case (nothing owed) takes no write lock
            if not rq.any_pending(self.ctx.store, now, repeat_seconds, KINDS):
                return []
        with self.ctx.write():
            rows = rq.pending(self.ctx.store, now, repeat_seconds, KINDS)
            rq.insert_log(self.ctx.store, rows, now)
            # the channels' messages are owed in the same transaction: both or neither
            notify.enqueue_reminders(self.ctx, rows, now)
            if rows:
                self.ctx.changed(events.REMINDER, *(r["task_id"] for r in rows))
        for row in rows:  # fresh dicts of this scan: no copies of 10,000 rows
            row["fired_at"] = now
        return rows

    def newest_id(self) -> int:
        """The newest log row's id (0 for an empty log): where "what is new" starts."""
        with self.ctx.read():
            return rq.newest_log_id(self.ctx.store)

    def logged_after(self, log_id: int) -> list[dict[str, Any]]:
        """The reminders logged after row ``log_id``, by any workstation or process on this
        database, oldest first: the rows ``record_pending`` returns, with their ``id`` and
        the current operator's ``is_read``."""
        with self.ctx.read():
            return rq.logged_after(self.ctx.store, log_id, self._operator())

    def next_change(self, now: int, repeat_seconds: int) -> int | None:
        with self.ctx.read():
            return rq.next_change(self.ctx.store, now, repeat_seconds)

    # -- the log --------------------------------------------------------------------------

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A page of the log, newest first unless ``order_by`` says otherwise; ``is_read``
        is the current operator's (read state is per operator)."""
        query, fields = rq.log_for(self.ctx.store, self._operator())
        return wire.list_page(self.ctx, query, fields, data, reminder_record,
                              id_column=self.ctx.store.ReminderLog.id,
                              order_default="-fired_at")

    def unread_count(self) -> int:
        """How many reminders the current operator has not read."""
        with self.ctx.read():
            return rq.unread_count(self.ctx.store, self._operator())

    def mark_read(self, data: Mapping[str, Any]) -> dict[str, int]:
        """``{"id_list": [ids]}`` → ``{"count": rows that were unread}``, for the current
        operator only: the others' read state is theirs."""
        ids = rules.read_int_list(data, "id_list")
        return {"count": self._mark(ids)}

    def mark_all_read(self) -> dict[str, int]:
        return {"count": self._mark(None)}

    def _mark(self, ids: list[int] | None) -> int:
        if ids == []:
            return 0
        with self.ctx.write():
            changed = rq.mark_read(self.ctx.store, ids, self._operator(),
                                   self.ctx.clock.now())
            if changed:
                self.ctx.changed(events.REMINDER)
        return changed

    def _operator(self) -> int:
        """Whose read state: the window's operator (0 when it has none, a person of its
        own like any other: the workstations without an operator share it)."""
        return self.ctx.current_actor().operator_id

    # -- pause ----------------------------------------------------------------------------

    def pause_state(self, now: int | None = None) -> PauseState:
        now = self.ctx.clock.now() if now is None else now
        value = self._setting(PAUSE_KEY)
        if value == UNTIL_RESUMED:
            return PauseState(True, None)
        try:
            until = int(value)
        except ValueError:
            return PauseState(False)
        return PauseState(True, until) if until > now else PauseState(False)

    def pause_for(self, seconds: int) -> PauseState:
        if seconds <= 0:
            raise FieldError.of(say.PAUSE_NOT_POSITIVE, "seconds")
        return self.pause_until(self.ctx.clock.now() + seconds)

    def pause_until(self, moment: int) -> PauseState:
        if moment <= self.ctx.clock.now():
            raise FieldError.of(say.PAUSE_IN_THE_PAST, "until")
        self._set_setting(PAUSE_KEY, str(int(moment)))
        return PauseState(True, int(moment))

    def pause_until_tomorrow(self, hour: int = 8) -> PauseState:
        """Until ``hour``:00 local time on the next calendar day."""
        today = clock.to_local(self.ctx.clock.now()).replace(tzinfo=None)
        morning = (today + timedelta(days=1)).replace(hour=hour, minute=0, second=0,
                                                      microsecond=0)
        return self.pause_until(clock.from_local(morning))

    def pause_until_resumed(self) -> PauseState:
        self._set_setting(PAUSE_KEY, UNTIL_RESUMED)
        return PauseState(True, None)

    def resume(self) -> PauseState:
        self._set_setting(PAUSE_KEY, "")
        return PauseState(False)

    # -- overdue repeat -------------------------------------------------------------------

    def repeat_hours(self) -> float:
        try:
            hours = float(self._setting(REPEAT_KEY))
        except ValueError:
            return DEFAULT_REPEAT_HOURS
        return hours if 0 < hours <= MAX_REPEAT_HOURS else DEFAULT_REPEAT_HOURS

    def set_repeat_hours(self, hours: Any) -> float:
        value = rules.read_number({"overdue_repeat_hours": hours}, "overdue_repeat_hours")
        if not 1 <= value <= MAX_REPEAT_HOURS:
            raise FieldError.of(say.REPEAT_OUT_OF_RANGE, "overdue_repeat_hours",
                                maximum=int(MAX_REPEAT_HOURS))
        self._set_setting(REPEAT_KEY, repr(float(value)))
        return float(value)

    # -- settings rows --------------------------------------------------------------------

    def _setting(self, key: str) -> str:
        setting = self.ctx.store.Setting
        with self.ctx.read():
            row = setting.get_or_none(setting.key == key)
        return row.value if row is not None else ""

    def _set_setting(self, key: str, value: str) -> None:
        with self.ctx.write():
            setting = self.ctx.store.Setting
            # an upsert both engines know (SQLite's INSERT OR REPLACE is its own)
            setting.insert(key=key, value=value).on_conflict(
                conflict_target=[setting.key], update={setting.value: value}).execute()
            self.ctx.changed(events.SETTING, key)
