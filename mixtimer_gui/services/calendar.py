"""The maintenance calendar: each running task's next due moment, and the next occurrences of
fixed plans (``按计划时间`` on a calendar cycle) within a horizon.

An occurrence's ``uid`` is the task and its cycle number: a fixed plan's cycles are numbered
on its grid, so cycle n keeps its uid whatever is handled before it; a task counted from its
last completion has one cycle ahead only, whose number stays 1, so handling it moves that
event instead of adding one. Calendar clients update an event by uid on a refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mixtimer_gui.domain import cycles
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import calendar_queries as cq

MAX_HORIZON_DAYS = 3660
MAX_PER_TASK = 400  # a fixed plan every hour for a year would be 8760: enough is enough
UID_DOMAIN = "mixtimer-gui"


@dataclass(frozen=True)
class Occurrence:
    uid: str
    task_id: str
    cycle: int
    due_at: int
    notice_at: int
    project_name: str
    object_name: str
    guide: str
    is_current: bool


def occurrence_uid(task_id: str, cycle: int) -> str:
    return f"{task_id}-{cycle}@{UID_DOMAIN}"


def _future_cycles(row: dict[str, Any], until: int) -> list[Occurrence]:
    """A fixed plan's cycles after the current one, due up to ``until``."""
    if (row["anchor_type"] != cycles.BY_PLAN or cycles.is_statistic(row["cycle_type"])
            or row["grid_anchor"] is None or row["period_unit"] not in cycles.PERIOD_UNITS):
        return []
    found: list[Occurrence] = []
    previous = row["due_at"]
    index = int(row["cycle_index"])
    while len(found) < MAX_PER_TASK:
        index += 1
        due = cycles.grid_point(row["grid_anchor"], index, row["period_num"],
                                row["period_unit"])
        if due > until:
            break
        notice = cycles.notice_moment(previous, due, row["notice_num"], row["notice_unit"])
        found.append(_occurrence(row, index, due, notice, current=False))
        previous = due
    return found


def _occurrence(row: dict[str, Any], cycle: int, due: int, notice: int, *,
                current: bool) -> Occurrence:
    return Occurrence(uid=occurrence_uid(row["task_id"], cycle), task_id=row["task_id"],
                      cycle=cycle, due_at=int(due), notice_at=int(notice),
                      project_name=row["project_name"], object_name=row["object_name"],
                      guide=row["guide"] or "", is_current=current)


class CalendarService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def occurrences(self, horizon_days: int = 90) -> list[Occurrence]:
        """The current cycle of every scheduled task, and fixed plans' next cycles due
        within ``horizon_days`` from now."""
        days = max(0, min(int(horizon_days), MAX_HORIZON_DAYS))
        until = self.ctx.clock.now() + days * 86400
        with self.ctx.read():
            rows = cq.scheduled_tasks(self.ctx.store)
        found: list[Occurrence] = []
        for row in rows:
            cycle = int(row["cycle_index"] or 1)
            notice = row["notice_at"] if row["notice_at"] is not None else row["due_at"]
            found.append(_occurrence(row, cycle, row["due_at"], notice, current=True))
            found.extend(_future_cycles(row, until))
        return found
