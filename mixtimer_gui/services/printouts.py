"""What the printed reports say: work orders, the monthly report, equipment labels.

The figures come from here, the drawing from ``gui.report_pages``: a printed on-time rate is
the same number the overview shows because both are computed by ``store.report_queries``.
Read-only. Months are local calendar months, as the overview's are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mixtimer_gui.domain import clock, cycles
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.reports import MonthFee, OnTimeRate, ReportService
from mixtimer_gui.services.tasks import TaskService
from mixtimer_gui.store import report_queries

WORK_ORDER_LIMIT = 500  # a week's orders for a plant; more is a mistaken range, not a print
LABEL_LIMIT = 1000
FEE_MONTHS = 12  # the fee chart's months, ending with the report's month
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True)
class WorkOrder:
    task_id: str
    project_name: str
    object_id: str
    object_name: str
    location: str
    due_at: str  # wire text, local time ("" when not known)
    status: str
    guide: str
    description: str
    last_handle_at: str
    last_handled_by: str
    last_result: str
    # The task's checklist items, each printed with a box. Empty until the checklists
    # (issue #17) land: WorkOrderService.orders is the one place to fill them.
    checklist: tuple[str, ...] = ()


@dataclass(frozen=True)
class Label:
    uid: str
    name: str
    alias: str
    location: str


@dataclass(frozen=True)
class ProjectMonth:
    project_id: str
    project_name: str
    handled: int
    skipped: int
    fee: float


@dataclass(frozen=True)
class SkippedCycle:
    project_name: str
    object_name: str
    created: str
    skipped_cycles: int
    reason: str


@dataclass(frozen=True)
class OverdueTask:
    task_id: str
    project_name: str
    object_name: str
    due_at: str


@dataclass(frozen=True)
class MonthlyReport:
    month: str  # "YYYY-MM"
    start: int
    end: int
    handled: int
    skipped: int
    fee: float
    on_time: list[OnTimeRate]
    projects: list[ProjectMonth]
    fees_by_month: list[MonthFee]
    skipped_cycles: list[SkippedCycle]
    overdue: list[OverdueTask]
    # the overview's status chart as it stands when printed (statuses are not kept per day)
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_handled(self) -> int:
        return sum(r.handled for r in self.on_time)

    @property
    def on_time_rate(self) -> float:
        done = self.on_time_handled
        return sum(r.on_time for r in self.on_time) / done if done else 0.0


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (start, end) of that local month; a clear sentence otherwise."""
    match = _MONTH.fullmatch(str(text).strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise FieldError.of(say.REPORT_MONTH_INVALID, "month", value=text)
    first = datetime(int(match[1]), int(match[2]), 1)
    return clock.from_local(first), clock.from_local(cycles.add_months(first, 1))


class PrintoutService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._reports = ReportService(ctx)
        self._tasks = TaskService(ctx)

    # -- work orders -------------------------------------------------------------------------

    def work_orders(self, task_ids: Sequence[str] | None = None, *,
                    days: int | None = None) -> list[WorkOrder]:
        """Orders for ``task_ids`` (in that order), or for the running tasks due within the
        next ``days`` days (overdue ones included, soonest first)."""
        if task_ids is None:
            tasks = self._due_within(days if days is not None else 7)
        else:
            tasks = [self._task(uid) for uid in task_ids[:WORK_ORDER_LIMIT]]
        with self.ctx.read():
            last = report_queries.last_handles(self.ctx.store, [t["uid"] for t in tasks])
            places = self._locations({t["object_id"] for t in tasks})
        return [self._order(t, last.get(t["uid"]), places.get(t["object_id"], ""))
                for t in tasks]

    def _due_within(self, days: int) -> list[dict[str, Any]]:
        if days < 0 or days > 366:
            raise FieldError.of(say.REPORT_DAYS_OUT_OF_RANGE, "days", value=days)
        now = self.ctx.clock.now()
        # "within 7 days" includes the moment exactly a week from now
        return self._reports.due_between(0, now + days * 86400 + 1, now=now,
                                         limit=WORK_ORDER_LIMIT)

    def _task(self, uid: str) -> dict[str, Any]:
        return self._tasks.get({"uid": uid})

    def _locations(self, object_ids: set[str]) -> dict[str, str]:
        return report_queries.object_locations(self.ctx.store, sorted(object_ids))

    @staticmethod
    def _order(task: dict[str, Any], last: dict[str, Any] | None, location: str) -> WorkOrder:
        by = "、".join(str(n) for n in wire.stored_list(last["handler_name_list"])) if last \
            else ""
        return WorkOrder(
            task_id=task["uid"], project_name=task["project_name"] or "",
            object_id=task["object_id"], object_name=task["object_name"] or "",
            location=location or "", due_at=task["due_at"] or "", status=task["status"] or "",
            guide=task["guide"] or "", description=task["description"] or "",
            last_handle_at=clock.format_wire(last["created"]) if last else "",
            last_handled_by=by, last_result=(last["result"] or "") if last else "")

    # -- labels ------------------------------------------------------------------------------

    def labels(self, object_ids: Sequence[str]) -> list[Label]:
        """Labels of the objects ``object_ids``, in that order (unknown ones left out)."""
        wanted = list(dict.fromkeys(object_ids))[:LABEL_LIMIT]
        with self.ctx.read():
            rows = report_queries.objects_by_uid(self.ctx.store, wanted)
        return [Label(r["uid"], r["name"] or "", r["alias"] or "", r["location"] or "")
                for r in (rows[uid] for uid in wanted if uid in rows)]

    # -- the monthly report ----------------------------------------------------------------

    def monthly(self, month: str) -> MonthlyReport:
        start, end = parse_month(month)
        now = self.ctx.clock.now()
        store = self.ctx.store
        with self.ctx.read():
            projects = [ProjectMonth(*row)
                        for row in report_queries.handles_by_project(store, start, end)]
            on_time = [OnTimeRate(*row)
                       for row in report_queries.on_time_by_project(store, start, end)]
            skipped = [SkippedCycle(r["project_name"], r["object_name"] or r["object_id"],
                                    clock.format_wire(r["created"]), r["skipped_cycles"],
                                    r["description"] or "")
                       for r in report_queries.skipped_between(store, start, end)]
            overdue = [OverdueTask(r["task_id"], r["project_name"] or "",
                                   r["object_name"] or r["object_id"],
                                   clock.format_wire(r["due_at"]))
                       for r in report_queries.overdue_at(store, min(end, now), now)]
        first = clock.to_local(start).replace(tzinfo=None)
        since = clock.from_local(cycles.add_months(first, -(FEE_MONTHS - 1)))
        fees = self._reports.fees_by_month(since, end - 1)
        return MonthlyReport(
            month=f"{first.year:04d}-{first.month:02d}", start=start, end=end,
            handled=sum(p.handled for p in projects), skipped=sum(p.skipped for p in projects),
            fee=sum(p.fee for p in projects), on_time=on_time, projects=projects,
            fees_by_month=[f for f in fees if f.start < end], skipped_cycles=skipped,
            overdue=overdue, status_counts=self._reports.status_counts(now))

