"""Which reminders fall due, fired once each through the reminder log.

A running task's reminder state at a moment is the most advanced of: 提醒 (the notice window
has begun), 到期 (due), 逾期 number n (due for n whole repeat intervals, 24 h by default).
It fires when the log holds nothing as advanced for the task's current cycle; the rule runs
in SQL (``store.reminder_queries``). A new cycle
(handle, ignore, restart) has a new ``cycle_start``, so the old cycle's reminders end by
themselves; a catch-up after the app was closed fires only the current state, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.services.reminders import DUE, KINDS, NOTICE, OVERDUE

if TYPE_CHECKING:
    from mixtimer_gui.services import Services

BUNDLE_LIMIT = 3  # more reminders than this at once become one summary


class Reminder(NamedTuple):
    """One fired reminder. A named tuple, not a frozen dataclass: 10,000 of them are built
    when as many tasks fall due at once, and a frozen dataclass's ``__init__`` (one
    ``object.__setattr__`` per field) was a quarter of that scan."""

    task_uid: str
    kind: str
    seq: int
    cycle_start: int
    due_at: int | None
    fired_at: int
    project_id: str = ""
    project_name: str = ""
    object_id: str = ""
    object_name: str = ""
    due_by: str = ""  # 先到周期: 时间 or 读数, the limit that comes due

    @property
    def overdue_seconds(self) -> int:
        """How long the task has been due when this fired (never negative)."""
        if self.due_at is None:
            return 0
        return max(0, self.fired_at - self.due_at)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Reminder:
        return cls(row["task_id"], row["kind"], int(row["seq"]), row["cycle_start"],
                   row["due_at"], row["fired_at"], row["project_id"], row["project_name"],
                   row["object_id"], row["object_name"], row.get("due_by") or "")


@dataclass(frozen=True)
class Notification:
    """What the user is told at once: one reminder, or a summary of several."""

    reminders: tuple[Reminder, ...]

    @property
    def is_summary(self) -> bool:
        return len(self.reminders) > 1

    @property
    def task_uids(self) -> list[str]:
        return list(dict.fromkeys(r.task_uid for r in self.reminders))

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.kind for r in self.reminders)
        return {kind: counted.get(kind, 0) for kind in KINDS}


def bundle(reminders: Iterable[Reminder], limit: int = BUNDLE_LIMIT) -> list[Notification]:
    """Up to ``limit`` reminders one by one; more than that as a single summary."""
    items = tuple(reminders)
    if len(items) > limit:
        return [Notification(items)]
    return [Notification((r,)) for r in items]


def format_duration(seconds: int) -> str:
    seconds = max(0, seconds)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    if days and hours:
        return f"{days} 天 {hours} 小时"
    if days:
        return f"{days} 天"
    return f"{max(hours, 1)} 小时" if seconds >= 3600 else f"{seconds // 60} 分钟"


def describe(notification: Notification) -> tuple[str, str]:
    """(title, message) in Chinese, for the log of ``serve`` (the tray translates its own)."""
    if notification.is_summary:
        counts = notification.counts
        names = "、".join(f"{r.project_name} · {r.object_name}"
                         for r in notification.reminders[:5])
        more = " 等" if len(notification.reminders) > 5 else ""
        return (f"{len(notification.reminders)} 项维保需要处理",
                f"已逾期 {counts[OVERDUE]} 项,已到期 {counts[DUE]} 项,即将到期 "
                f"{counts[NOTICE]} 项:{names}{more}")
    r = notification.reminders[0]
    what = f"{r.project_name} · {r.object_name}"
    due = clock_mod.format_wire(r.due_at) + (f"(按{r.due_by})" if r.due_by else "")
    if r.kind == NOTICE:
        return "维保即将到期", f"{what} 将于 {due} 到期"
    if r.kind == DUE:
        return "维保已到期", f"{what} 已于 {due} 到期"
    return "维保已逾期", f"{what} 已逾期 {format_duration(r.overdue_seconds)}(到期 {due})"


class ReminderEngine:
    """Scans the database for reminders that are owed and records them in the log."""

    def __init__(self, services: Services, clock: Clock | None = None) -> None:
        self.services = services
        self.clock = clock or services.clock

    def repeat_seconds(self) -> int:
        return max(60, int(self.services.reminders.repeat_hours() * 3600))

    def scan(self, now: int | None = None) -> list[Reminder]:
        """Record and return every reminder owed at ``now``; nothing while paused."""
        now = self.clock.now() if now is None else now
        if self.services.reminders.pause_state(now).paused:
            return []
        rows = self.services.reminders.record_pending(now, self.repeat_seconds())
        return [Reminder.from_row(row) for row in rows]

    def next_wakeup(self, now: int | None = None) -> int | None:
        """The next moment after ``now`` at which a scan could find something new:
        the end of a pause, or the next notice, due or overdue repeat of a running task."""
        now = self.clock.now() if now is None else now
        pause = self.services.reminders.pause_state(now)
        if pause.paused:
            return pause.until
        return self.services.reminders.next_change(now, self.repeat_seconds())
