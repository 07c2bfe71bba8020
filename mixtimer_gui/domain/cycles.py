"""Cycle arithmetic: when a task's cycle begins, when it is due, when to give notice.

All moments are UTC epoch seconds; calendar units count on the local civil calendar
(``clock.local_zone``), so ``日`` keeps the time of day across a DST change and ``月``/``年``
clamp to the month's last day. Grid dates are always ``anchor + n·period`` computed from the
anchor, never chained from the previous due date, so a month-end anchor stays at month end.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mixtimer_gui.domain import clock, forecast

NATURAL = "自然时间周期"
STATISTIC = "统计周期"
STATISTIC_SYNONYM = "统计时间周期"  # the original's update page spells it this way
# Whichever comes first: a time interval and a meter interval together (spec §3, §4).
FIRST = "先到周期"
CYCLE_TYPES = (NATURAL, STATISTIC, FIRST)
# Which limit of a whichever-first cycle comes due first (the task's ``due_by``).
BY_TIME = "时间"
BY_METER = "读数"

HOUR, DAY, WEEK, MONTH, YEAR = "时", "日", "周", "月", "年"
PERIOD_UNITS = (HOUR, DAY, WEEK, MONTH, YEAR)
NOTICE_UNITS = (MONTH, DAY)
# The longest period (and notice) a plan may ask for: 100 years in each unit. Longer ones
# would push due dates past what the calendar (year 9999) and the wire format can show.
MAX_PERIOD = {HOUR: 876_600, DAY: 36_525, WEEK: 5_218, MONTH: 1_200, YEAR: 100}

BY_COMPLETION = "按完成时间"
BY_PLAN = "按计划时间"
ANCHOR_TYPES = (BY_COMPLETION, BY_PLAN)


@dataclass(frozen=True)
class CycleRule:
    """The cycle settings a task copies from its project."""

    cycle_type: str
    period_num: int
    period_unit: str
    notice_num: int
    notice_unit: str
    anchor_type: str = BY_COMPLETION
    meter_period: float = 0.0  # 先到周期 only: the meter interval (statistics_period_num)


@dataclass(frozen=True)
class Cycle:
    """The running state of one task's current cycle.

    ``grid_anchor`` and ``cycle_index`` place the due point on the grid (natural cycles:
    ``due_at = anchor + index·period``); ``base_value`` does the same for statistic cycles
    (``due_value = base_value + index·period_num``). For ``按完成时间`` the anchor is the
    cycle start and the index is 1.
    """

    cycle_start: int
    grid_anchor: int
    cycle_index: int = 1
    due_at: int | None = None
    notice_at: int | None = None
    start_value: float | None = None
    base_value: float | None = None
    due_value: float | None = None
    time_due_at: int | None = None
    value_due_at: int | None = None


# -- calendar arithmetic --------------------------------------------------------------------


def add_months(civil: datetime, months: int) -> datetime:
    """``civil`` plus whole months, clamped to the target month's last day."""
    total = civil.year * 12 + (civil.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(civil.day, calendar.monthrange(year, month)[1])
    return civil.replace(year=year, month=month, day=day)


def add_units(moment: int, count: int, unit: str) -> int:
    """``moment`` plus ``count`` units. Hours are elapsed time; the others are civil."""
    if unit == HOUR:
        return moment + count * 3600
    civil = clock.to_local(moment).replace(tzinfo=None)
    if unit == DAY:
        civil = civil + timedelta(days=count)
    elif unit == WEEK:
        civil = civil + timedelta(days=7 * count)
    elif unit == MONTH:
        civil = add_months(civil, count)
    elif unit == YEAR:
        civil = add_months(civil, 12 * count)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return clock.from_local(civil)


def grid_point(anchor: int, index: int, period_num: int, unit: str) -> int:
    """The ``index``-th due point of a grid that starts at ``anchor``."""
    return add_units(anchor, index * period_num, unit)


def first_grid_index_after(anchor: int, moment: int, period_num: int, unit: str) -> int:
    """The smallest ``j ≥ 1`` with ``grid_point(anchor, j) > moment``."""
    if moment < anchor:
        return 1
    approx_seconds = {HOUR: 3600, DAY: 86400, WEEK: 7 * 86400, MONTH: 28 * 86400,
                      YEAR: 365 * 86400}[unit] * period_num
    j = max(1, (moment - anchor) // approx_seconds - 1)
    # The estimate undershoots (months ≥ 28 days); walk back if it overshot, then forward.
    while j > 1 and grid_point(anchor, j - 1, period_num, unit) > moment:
        j -= 1
    while grid_point(anchor, j, period_num, unit) <= moment:
        j += 1
    return j


def notice_moment(cycle_start: int, due_at: int, notice_num: int, notice_unit: str) -> int:
    """``due_at − notice``, never before the cycle start (the window never exceeds the period)."""
    if notice_num <= 0:
        return due_at
    return max(add_units(due_at, -notice_num, notice_unit), cycle_start)


# -- natural cycles -------------------------------------------------------------------------


def _with_due(rule: CycleRule, cycle: Cycle, due_at: int) -> Cycle:
    notice_at = notice_moment(cycle.cycle_start, due_at, rule.notice_num, rule.notice_unit)
    return replace(cycle, due_at=due_at, notice_at=notice_at)


def begin_natural(rule: CycleRule, now: int) -> Cycle:
    """A fresh cycle that starts now (start of a never-run task, or restart)."""
    cycle = Cycle(cycle_start=now, grid_anchor=now, cycle_index=1)
    return _with_due(rule, cycle, grid_point(now, 1, rule.period_num, rule.period_unit))


def close_natural(rule: CycleRule, cycle: Cycle, at: int) -> tuple[Cycle, int]:
    """Close the current cycle by a handle or ignore at ``at``.

    Returns the next cycle and the number of grid cycles that passed unhandled (fixed plans
    only; always 0 for ``按完成时间``). Handling early closes exactly one cycle.
    """
    if rule.anchor_type != BY_PLAN:
        return begin_natural(rule, at), 0
    after = first_grid_index_after(cycle.grid_anchor, at, rule.period_num, rule.period_unit)
    index = max(cycle.cycle_index + 1, after)
    skipped = index - cycle.cycle_index - 1
    nxt = Cycle(cycle_start=at, grid_anchor=cycle.grid_anchor, cycle_index=index)
    due = grid_point(cycle.grid_anchor, index, rule.period_num, rule.period_unit)
    return _with_due(rule, nxt, due), skipped


def reschedule_natural(rule: CycleRule, cycle: Cycle) -> Cycle:
    """Recompute due and notice after the project's settings changed; the cycle stays."""
    due = grid_point(cycle.grid_anchor, cycle.cycle_index, rule.period_num, rule.period_unit)
    if due <= cycle.cycle_start:
        index = first_grid_index_after(cycle.grid_anchor, cycle.cycle_start, rule.period_num,
                                       rule.period_unit)
        cycle = replace(cycle, cycle_index=index)
        due = grid_point(cycle.grid_anchor, index, rule.period_num, rule.period_unit)
    return _with_due(rule, cycle, due)


# -- statistic cycles -----------------------------------------------------------------------


def begin_statistic(rule: CycleRule, now: int, current_value: float) -> Cycle:
    """A fresh statistic cycle: due when the meter has advanced ``period_num`` from now."""
    return Cycle(cycle_start=now, grid_anchor=now, cycle_index=1, start_value=current_value,
                 base_value=current_value, due_value=current_value + rule.period_num)


def close_statistic(rule: CycleRule, cycle: Cycle, at: int,
                    current_value: float) -> tuple[Cycle, int]:
    """Close a statistic cycle at ``at`` with the meter at ``current_value``."""
    if rule.anchor_type != BY_PLAN:
        return begin_statistic(rule, at, current_value), 0
    base = cycle.base_value if cycle.base_value is not None else (cycle.start_value or 0.0)
    period = rule.period_num
    # Smallest j with base + j·period > current_value.
    after = int((current_value - base) // period) + 1 if current_value >= base else 1
    if base + after * period <= current_value:  # the float division rounded down by one
        after += 1
    index = max(cycle.cycle_index + 1, after)
    skipped = index - cycle.cycle_index - 1
    nxt = Cycle(cycle_start=at, grid_anchor=cycle.grid_anchor, cycle_index=index,
                start_value=current_value, base_value=base, due_value=base + index * period)
    return nxt, skipped


def reschedule_statistic(rule: CycleRule, cycle: Cycle) -> Cycle:
    base = cycle.base_value if cycle.base_value is not None else (cycle.start_value or 0.0)
    return replace(cycle, due_value=base + cycle.cycle_index * rule.period_num)


def meter_moment(cycle_start: int, forecast_due: int | None,
                 reached_at: int | None) -> int | None:
    """When a meter limit comes due: the reading that reached it (whatever the forecast
    said), else the forecast; never before the cycle start; ``None`` when unknown."""
    due = forecast_due
    if reached_at is not None:
        due = reached_at if due is None else min(due, reached_at)
    return None if due is None else max(due, cycle_start)


def place_statistic_due(rule: CycleRule, cycle: Cycle, forecast_due: int | None,
                        reached_at: int | None) -> Cycle:
    """Set due/notice of a meter cycle from the forecast, or from the reading that
    reached the threshold (due at that moment, whatever the forecast said). A
    whichever-first cycle takes the earlier of that moment and its time limit."""
    due = meter_moment(cycle.cycle_start, forecast_due, reached_at)
    if is_first(rule.cycle_type):
        return _with_first_due(rule, cycle, due)
    if due is None:
        return replace(cycle, due_at=None, notice_at=None)
    return _with_due(rule, cycle, due)


def place_statistic(rule: CycleRule, cycle: Cycle,
                    readings_since: Callable[[int], Sequence[tuple[int, float]]]) -> Cycle:
    """Due moment of a statistic cycle: the reading that reached the threshold, or the
    forecast from the meter's recent rate.

    ``readings_since(moment)`` gives the meter's ``(moment, value)`` readings from ``moment``
    on, oldest first: the stored ones for the services, the simulated ones for demo data.
    """
    if cycle.due_value is None:
        return cycle
    if is_first(rule.cycle_type) and cycle.time_due_at is None:
        return cycle  # not a whichever-first cycle (yet): nothing to place
    readings = readings_since(cycle.cycle_start - forecast.WINDOW_SECONDS)
    reached = forecast.reached_at(readings, cycle.cycle_start, cycle.due_value)
    predicted = forecast.forecast_due(readings, cycle.due_value)
    return place_statistic_due(rule, cycle, predicted, reached)


# -- whichever comes first ------------------------------------------------------------------
#
# Each limit runs as it would in its own cycle type: the time limit on the calendar grid
# (``grid_anchor`` + ``cycle_index``·period), the meter limit on the value grid
# (``base_value`` + j·meter_period). A handle or ignore closes both at once, so a
# whichever-first task is, limit by limit, the natural and the statistic task of the same
# settings handled side by side; its due moment is the earlier of theirs.


def is_first(cycle_type: str | None) -> bool:
    return cycle_type == FIRST


def meter_period(rule: CycleRule) -> float:
    """The meter interval of a rule: ``period_num`` for a statistic cycle,
    ``meter_period`` (``statistics_period_num``) for a whichever-first one."""
    return rule.meter_period if is_first(rule.cycle_type) else float(rule.period_num)


def due_by(time_due_at: int | None, value_due_at: int | None) -> str:
    """Which limit of a whichever-first cycle comes due first: ``读数`` when the meter's
    moment is known and strictly earlier, else ``时间`` (a tie goes to the calendar, whose
    date is certain); ``""`` for a cycle without a time limit (the other cycle types)."""
    if time_due_at is None:
        return ""
    if value_due_at is not None and value_due_at < time_due_at:
        return BY_METER
    return BY_TIME


def _with_first_due(rule: CycleRule, cycle: Cycle, value_due_at: int | None) -> Cycle:
    assert cycle.time_due_at is not None
    due = cycle.time_due_at if value_due_at is None else min(cycle.time_due_at, value_due_at)
    return replace(_with_due(rule, cycle, due), value_due_at=value_due_at)


def _first_value_index(base: float, period: float, value: float) -> int:
    """The smallest ``j ≥ 1`` with ``base + j·period > value``."""
    if value < base:
        return 1
    j = int((value - base) // period) + 1
    while base + j * period <= value:  # the float division rounded down
        j += 1
    while j > 1 and base + (j - 1) * period > value:
        j -= 1
    return j


def begin_first(rule: CycleRule, now: int, current_value: float) -> Cycle:
    """A fresh whichever-first cycle: due one time period from now, or when the meter has
    advanced ``meter_period`` from ``current_value``, whichever comes first. Until the
    meter can be forecast, the time limit alone places it."""
    period = meter_period(rule)
    time_due = grid_point(now, 1, rule.period_num, rule.period_unit)
    cycle = Cycle(cycle_start=now, grid_anchor=now, cycle_index=1, start_value=current_value,
                  base_value=current_value, due_value=current_value + period,
                  time_due_at=time_due)
    return _with_first_due(rule, cycle, None)


def close_first(rule: CycleRule, cycle: Cycle, at: int,
                current_value: float) -> tuple[Cycle, int]:
    """Close a whichever-first cycle at ``at`` with the meter at ``current_value``: both
    limits restart. Under ``按计划时间`` each steps on its own grid past the handle (at
    least one step, as early handling closes one cycle) and the skipped cycles are those
    of the limit that missed more grid points."""
    if rule.anchor_type != BY_PLAN:
        return begin_first(rule, at, current_value), 0
    time_cycle, time_skipped = close_natural(rule, cycle, at)
    period = meter_period(rule)
    base = _base(cycle)
    value_index = _first_value_index(base, period, (cycle.due_value or base) - period / 2)
    after = _first_value_index(base, period, current_value)
    next_value_index = max(value_index + 1, after)
    value_skipped = next_value_index - value_index - 1
    nxt = replace(time_cycle, start_value=current_value, base_value=base,
                  due_value=base + next_value_index * period, time_due_at=time_cycle.due_at,
                  value_due_at=None)
    return _with_first_due(rule, nxt, None), max(time_skipped, value_skipped)


def reschedule_first(rule: CycleRule, cycle: Cycle) -> Cycle:
    """Both limits after the settings changed, the cycle kept: the time limit as a
    natural cycle's; the meter limit one interval past the start reading (``按完成时间``)
    or the first value grid point past it (``按计划时间``). Place it again afterwards."""
    time_cycle = reschedule_natural(rule, cycle)
    period = meter_period(rule)
    start = cycle.start_value if cycle.start_value is not None else 0.0
    base = _base(cycle) if rule.anchor_type == BY_PLAN else start
    due_value = base + _first_value_index(base, period, start) * period
    nxt = replace(time_cycle, start_value=start, base_value=base, due_value=due_value,
                  time_due_at=time_cycle.due_at, value_due_at=None)
    return _with_first_due(rule, nxt, None)


def _base(cycle: Cycle) -> float:
    if cycle.base_value is not None:
        return cycle.base_value
    return cycle.start_value or 0.0


# -- a plan ahead, and how far a cycle has run ----------------------------------------------


def is_statistic(cycle_type: str | None) -> bool:
    """A meter cycle, by either of the wire's spellings."""
    return cycle_type in (STATISTIC, STATISTIC_SYNONYM)


def next_due_dates(rule: CycleRule, start: int, count: int) -> list[tuple[int, int]]:
    """``(due_at, notice_at)`` of the first ``count`` cycles of a calendar ``rule`` begun at
    ``start``, each handled at its due moment.

    The cycle rules themselves run forward (``begin_natural``, then ``close_natural`` at each
    due moment), so what a preview promises is what the tasks will do."""
    dates: list[tuple[int, int]] = []
    cycle = begin_natural(rule, start)
    for number in range(count):
        if number:
            cycle, _skipped = close_natural(rule, cycle, dates[-1][0])
        assert cycle.due_at is not None and cycle.notice_at is not None
        dates.append((cycle.due_at, cycle.notice_at))
    return dates


def notice_reaches_cycle_start(rule: CycleRule, start: int, count: int = 5) -> bool:
    """Whether the notice of a calendar ``rule`` reaches back to a cycle's start in any of
    the first ``count`` cycles begun at ``start`` (``next_due_dates``): a notice as long as
    the period, or longer, which ``notice_moment`` clamps to the start. Such a plan is
    accepted (the API takes it); a form says that those reminders come as each cycle
    begins. Months differ in length, so "30 days before, every month" does so in some."""
    if rule.notice_num <= 0:
        return False
    dates = next_due_dates(rule, start, count)
    starts = [start] + [due for due, _notice in dates[:-1]]
    return any(notice <= begun for (_due, notice), begun in zip(dates, starts, strict=True))


def next_due_values(rule: CycleRule, start_value: float, count: int) -> list[float]:
    """The meter readings at which the first ``count`` cycles of a statistic ``rule`` (or
    the meter limit of a whichever-first one) come due when the first begins at
    ``start_value`` and each is handled as it comes due."""
    values: list[float] = []
    meter_rule = replace(rule, cycle_type=STATISTIC, period_num=meter_period(rule))
    cycle = begin_statistic(meter_rule, 0, start_value)
    for number in range(count):
        if number:
            cycle, _skipped = close_statistic(meter_rule, cycle, 0, values[-1])
        assert cycle.due_value is not None
        values.append(cycle.due_value)
    return values


def elapsed_fraction(cycle_start: int, due_at: int, now: int) -> float:
    """How far a calendar cycle has run at ``now``: 0 at its start, 1 at its due moment,
    more once overdue, never below 0. A cycle due at its very start has wholly run."""
    if due_at <= cycle_start:
        return 1.0
    return max(0.0, (now - cycle_start) / (due_at - cycle_start))


def meter_fraction(start_value: float, current_value: float, due_value: float) -> float:
    """How far a meter cycle has run: 0 at the reading it began with, 1 at its due reading,
    more once past it, never below 0. A cycle due at its first reading has wholly run."""
    span = due_value - start_value
    if span <= 0:
        return 1.0
    return max(0.0, (current_value - start_value) / span)


def progress(cycle_type: str, now: int, *, cycle_start: int | None = None,
             due_at: int | None = None, start_value: float | None = None,
             current_value: float | None = None,
             due_value: float | None = None,
             time_due_at: int | None = None) -> float | None:
    """How far a task's current cycle has run (``meter_fraction`` for a meter cycle,
    ``elapsed_fraction`` for a calendar one, the further of the two for a whichever-first
    one, measured against its time limit ``time_due_at``); ``None`` while a moment or a
    reading it needs is unknown (a meter with no reading yet, a cycle never started)."""
    if is_first(cycle_type):
        time_part = progress(NATURAL, now, cycle_start=cycle_start, due_at=time_due_at)
        meter_part = progress(STATISTIC, now, start_value=start_value,
                              current_value=current_value, due_value=due_value)
        parts = [p for p in (time_part, meter_part) if p is not None]
        return max(parts) if parts else None
    if is_statistic(cycle_type):
        if start_value is None or current_value is None or due_value is None:
            return None
        return meter_fraction(float(start_value), float(current_value), float(due_value))
    if cycle_start is None or due_at is None:
        return None
    return elapsed_fraction(cycle_start, due_at, now)
