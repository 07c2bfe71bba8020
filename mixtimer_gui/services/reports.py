"""Figures for the overview: status counts, what is due soon, on-time rates, fees per month.

Read-only; aggregation runs in SQL (``store.report_queries``). Months are local calendar
months, so a handle at 00:30 on the 1st in Shanghai counts in that month, not the previous
one as a UTC grouping would have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from mixtimer_gui.domain import clock, cycles
from mixtimer_gui.domain.status import STATUSES
from mixtimer_gui.services import wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import report_queries

DUE_LIST_LIMIT = 2000


@dataclass(frozen=True)
class OnTimeRate:
    project_id: str
    project_name: str
    handled: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.handled if self.handled else 0.0


@dataclass(frozen=True)
class MonthFee:
    month: str  # "YYYY-MM"
    start: int
    fee: float


class ReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def status_counts(self, now: int | None = None) -> dict[str, int]:
        """Tasks per status, every status present (``0`` when none)."""
        moment = self.ctx.clock.now() if now is None else now
        with self.ctx.read():
            counts = report_queries.status_counts(self.ctx.store, moment)
        return {status: counts.get(status, 0) for status in STATUSES}

    def due_between(self, start: int, end: int, *, now: int | None = None,
                    limit: int = DUE_LIST_LIMIT) -> list[dict[str, Any]]:
        """Running tasks due in ``[start, end)`` as wire records, soonest first."""
        moment = self.ctx.clock.now() if now is None else now
        with self.ctx.read():
            rows = report_queries.tasks_due_between(self.ctx.store, moment, start, end,
                                                     limit)
        return [wire.task(r) for r in rows]

    def due_counts_by_day(self, start: int, end: int) -> dict[date, int]:
        """How many running tasks fall due on each local day in ``[start, end)``."""
        with self.ctx.read():
            moments = report_queries.due_moments_between(self.ctx.store, start, end)
        counts: dict[date, int] = {}
        for day in clock.local_dates(moments):
            counts[day] = counts.get(day, 0) + 1
        return counts

    def abnormal_count(self, since: int) -> int:
        """Records written since ``since`` whose checklist found something 异常 (#17)."""
        handle = self.ctx.store.Handle
        with self.ctx.read():
            return (handle.select().where((handle.is_abnormal == 1)
                                          & (handle.created >= since)).count())

    def on_time_rate_by_project(self, since: int) -> list[OnTimeRate]:
        with self.ctx.read():
            rows = report_queries.on_time_by_project(self.ctx.store, since)
        return [OnTimeRate(*row) for row in rows]

    def fees_by_month(self, since: int, until: int | None = None) -> list[MonthFee]:
        """Fee totals for each local month from the one holding ``since`` to ``until``."""
        end = self.ctx.clock.now() if until is None else until
        bounds = month_starts(since, end)
        with self.ctx.read():
            return [MonthFee(clock.to_local(a).strftime("%Y-%m"), a,
                             report_queries.fee_sum_between(self.ctx.store, a, b))
                    for a, b in pairwise(bounds)]


def month_start(moment: int) -> int:
    civil = clock.to_local(moment).replace(tzinfo=None)
    return clock.from_local(datetime(civil.year, civil.month, 1))


def months_back(moment: int, count: int) -> int:
    """The start of the local month ``count - 1`` months before the one holding ``moment``:
    ``months_back(now, 12)`` begins a 12-month window ending with the current month."""
    first = clock.to_local(month_start(moment)).replace(tzinfo=None)
    return clock.from_local(cycles.add_months(first, -(count - 1)))


def month_starts(since: int, until: int) -> list[int]:
    """Month boundaries covering ``[since, until]``: n month starts plus the next one."""
    bounds = [month_start(since)]
    while bounds[-1] <= until:
        civil = clock.to_local(bounds[-1]).replace(tzinfo=None)
        bounds.append(clock.from_local(cycles.add_months(civil, 1)))
    return bounds
