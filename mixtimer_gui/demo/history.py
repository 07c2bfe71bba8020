"""When each task was handled, and what that did to its cycles.

How many handles each task gets (``allocate_handles``), when they happen (``handle_times``,
aiming the last one at a status), then each task's cycles run through ``domain.cycles``
handle by handle (``run_task``), all tasks merged into one stream in time order
(``handle_events``).
"""

from __future__ import annotations

import heapq
import math
import random
import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from mixtimer_gui.demo.catalogue import GRID, PEOPLE
from mixtimer_gui.demo.meter import DemoMeter
from mixtimer_gui.demo.plant import (
    DemoProject,
    DemoTask,
    Numbering,
    World,
    build_objects,
    build_projects,
    build_tasks,
    split_by_weight,
)
from mixtimer_gui.demo.timeline import ONE_DAY, WorkHours
from mixtimer_gui.domain import cycles, status
from mixtimer_gui.domain.cycles import Cycle, CycleRule


def build_world(*, objects: int, projects: int, handles: int, seed: int, now: int,
                nb: Numbering | None = None) -> World:
    """Everything but the handle rows, which ``handle_events`` streams from ``tasks``.
    ``nb``: where the target database's numbering continues (default: an empty one)."""
    nb = nb or Numbering()
    rng = random.Random(f"mixtimer-demo/{seed}")
    objs = build_objects(objects, rng, nb, now)
    projs, meters = build_projects(projects, objs, rng, nb, now)
    tasks = build_tasks(projs, nb)
    handlers = [(nb.handler_id + i + 1, name, team) for i, (name, team) in enumerate(PEOPLE)]
    counts = allocate_handles(tasks, handles, now)
    work_hours = WorkHours()
    for task, count in zip(tasks, counts, strict=True):
        task_rng = random.Random(f"mixtimer-demo/{seed}/{task.index}")
        task.times = handle_times(task, count, now, task_rng, work_hours)
    return World(now, objs, meters, handlers, projs, tasks)


def nominal_period(rule: CycleRule, meter: DemoMeter | None, at: int) -> float:
    """About one period in seconds, to space handles by: a natural cycle's as the calendar
    makes it for a cycle begun at ``at`` (``domain.cycles``), a meter's at its mean rate."""
    if rule.cycle_type in (cycles.STATISTIC, cycles.FIRST):
        rate = meter.daily_rate() if meter else 1.0
        by_meter = max(3600.0, cycles.meter_period(rule) / max(rate, 1e-9) * ONE_DAY)
        if rule.cycle_type == cycles.STATISTIC:
            return by_meter
        # Whichever comes first: the shorter of the two.
        return min(by_meter, float(_due_of(cycles.begin_natural(rule, at)) - at))
    return float(_due_of(cycles.begin_natural(rule, at)) - at)


def notice_length(rule: CycleRule, due: int, period: float) -> float:
    """How long before ``due`` a cycle of about ``period`` enters its notice window, by the
    domain's rule (the window never opens before the cycle starts)."""
    start = int(due - period)
    return float(due - cycles.notice_moment(start, due, rule.notice_num, rule.notice_unit))


def _due_of(cycle: Cycle) -> int:
    assert cycle.due_at is not None  # a natural cycle always has its due moment
    return cycle.due_at


# -- how many handles each task gets, and when ----------------------------------------------


def history_span(project: DemoProject, now: int) -> tuple[int, int] | None:
    if project.started is None:
        return None
    return project.started, project.stopped or now


def allocate_handles(tasks: Sequence[DemoTask], total: int, now: int) -> list[int]:
    """Split ``total`` over the tasks that ran: more for short periods (√ of the cycles they
    ran through, so hourly rounds don't take everything); fixed-plan tasks get at most one
    per grid cycle, or every handle would close a future cycle early."""
    weights, caps = [], []
    for task in tasks:
        span = history_span(task.project, now)
        if span is None or span[1] <= span[0]:
            weights.append(0.0)
            caps.append(0)
            continue
        period = nominal_period(task.project.rule, task.project.meter, span[0])
        ran = (span[1] - span[0]) / period
        weights.append(math.sqrt(ran + 1))
        # 0.9: the last handle sits up to ~1.6 periods before now, so not every cycle fits.
        caps.append(max(1, int(ran * 0.9)) if task.project.plan.anchor == GRID
                    else sys.maxsize)
    counts = [0] * len(tasks)
    open_ = [i for i, w in enumerate(weights) if w > 0]
    remaining = total
    while remaining > 0 and open_:
        shares = split_by_weight(remaining, [weights[i] for i in open_])
        capped = [i for i, s in zip(open_, shares, strict=True) if counts[i] + s >= caps[i]]
        if not capped:
            for i, s in zip(open_, shares, strict=True):
                counts[i] += s
            remaining = 0
            break
        for i in capped:
            remaining -= caps[i] - counts[i]
            counts[i] = caps[i]
        done = set(capped)
        open_ = [i for i in open_ if i not in done]
    ran_tasks = [i for i, w in enumerate(weights) if w > 0]
    if remaining and not ran_tasks:
        raise ValueError("--handles 需要至少一个已启动且有对象的项目")
    for k in range(remaining):  # more handles than cycles: pile the rest on, early handling
        counts[ran_tasks[k % len(ran_tasks)]] += 1
    return counts


def handle_times(task: DemoTask, count: int, now: int, rng: random.Random,
                 work_hours: WorkHours) -> array:
    """``count`` ascending moments in the task's running span, about one period apart, the
    last placed so that the task's status at the end of the span is the one it aims at
    (``STATUS_TURNS``): that is what makes the statuses a realistic mix relative to now."""
    span = history_span(task.project, now)
    times = array("q")
    if span is None or count <= 0:
        return times
    start, end = span
    rule = task.project.rule
    period = nominal_period(rule, task.project.meter, start)
    aim = STATUS_TURNS[task.index % len(STATUS_TURNS)]
    snap = rule.period_unit != cycles.HOUR and (end - start) / count >= 2 * ONE_DAY
    if rule.anchor_type == GRID and rule.cycle_type == cycles.NATURAL:
        moments = grid_moments(rule, start, end, count, aim, rng)
    else:
        if rule.cycle_type == cycles.NATURAL:
            last = aimed_completion(rule, start, end, aim, rng, work_hours, snap)
        else:
            last = end - period * meter_age(rule, period, end, aim, rng)
        if last <= start + 60:
            last = start + (end - start) * rng.uniform(0.5, 0.95)
        moments = spaced_before(last, start, count, period, rng)
    previous = start
    for moment in moments[:-1]:
        m = work_hours.snap(int(moment), rng) if snap else int(moment)
        m = min(max(m, previous + 60), end - 60)
        times.append(m)
        previous = m
    times.append(min(max(last_moment(rule, start, moments[-1], rng, work_hours, snap),
                         previous + 60), end - 60))
    return times


def last_moment(rule: CycleRule, anchor: int, moment: float, rng: random.Random,
                work_hours: WorkHours, snap: bool) -> int:
    """The last handle keeps the grid cell it was placed in (that decides the status); a
    completion task's last handle was placed, and snapped, already."""
    if not snap or rule.anchor_type != GRID or rule.cycle_type != cycles.NATURAL:
        return int(moment)
    snapped = work_hours.snap(int(moment), rng)
    same_cell = (cycles.first_grid_index_after(anchor, snapped, rule.period_num,
                                               rule.period_unit)
                 == cycles.first_grid_index_after(anchor, int(moment), rule.period_num,
                                                  rule.period_unit))
    return snapped if same_cell else int(moment)


def spaced_before(last: float, start: int, count: int, period: float,
                  rng: random.Random) -> list[float]:
    """``count`` moments ending at ``last``, about a period apart; squeezed when they don't
    fit since ``start`` (more handles than cycles: early handling)."""
    gaps = [period * rng.uniform(0.8, 1.15) for _ in range(count - 1)]
    room = last - start - min(period * 0.3, (last - start) * 0.05)
    if sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [g * scale for g in gaps]
    moments = [last]
    for gap in gaps:
        moments.append(moments[-1] - gap)
    moments.reverse()
    return moments


# The status each task's last handle aims at, in turn: 60 % fine, 20 % in the notice window,
# 20 % overdue. Taking them in turn (not by chance) keeps the mix in a run of a few tasks.
STATUS_TURNS = (status.NORMAL, status.DUE_SOON, status.NORMAL, status.DUE, status.NORMAL)


def aimed_completion(rule: CycleRule, start: int, end: int, aim: str, rng: random.Random,
                     work_hours: WorkHours, snap: bool) -> float:
    """The last handle of a ``按完成时间`` task: its due moment (last + period, on the
    calendar) lands where ``aim`` says relative to ``end``. A few draws, because office
    hours move the moment by up to a day and a notice window can be one day wide."""
    ending = cycles.begin_natural(rule, end)  # a cycle begun as the span ends: its lengths
    period = _due_of(ending) - end
    notice = _due_of(ending) - (ending.notice_at or end)
    last = float(end)
    for _ in range(8):
        if aim == status.DUE:
            due = end - period * rng.uniform(0.03, 0.6)
        elif aim == status.DUE_SOON and notice > 0:
            due = end + notice * rng.uniform(0.1, 0.9)
        else:
            due = end + notice + (period - notice) * rng.uniform(0.05, 0.95)
        last = cycles.add_units(int(due), -rule.period_num, rule.period_unit)
        if snap:
            last = work_hours.snap(last, rng)
        cycle = cycles.begin_natural(rule, last)
        if status.task_status(True, last, cycle.due_at, cycle.notice_at, end) == aim:
            break
    return last


def grid_moments(rule: CycleRule, anchor: int, end: int, count: int, aim: str,
                 rng: random.Random) -> list[float]:
    """Handles of a ``按计划时间`` task, about one per grid cell, built backwards from now.

    The rules make the pattern: a handle in cell j (after grid point j−1) closes the open
    cycle and leaves the task due at grid point j or later. One handle per cell keeps a task
    on time once it is on time; a missed cell makes the following handles late (each closes
    the previous cell's cycle) until a cell is handled twice, which catches up. So: the
    first cell of the history is handled twice (most tasks start on time), a missed cell is
    usually caught up in the next one, and the last handle sits in the current cell (正常 or
    即将到期, as the calendar says) or, for an overdue task, in the previous cell after a miss.
    """

    def point(j: int) -> int:
        return cycles.grid_point(anchor, j, rule.period_num, rule.period_unit)

    def inside(j: int, low: float = 0.1, high: float = 0.95) -> float:
        return point(j - 1) + (point(j) - point(j - 1)) * rng.uniform(low, high)

    current = cycles.first_grid_index_after(anchor, end, rule.period_num, rule.period_unit)
    if aim == status.DUE and current >= 3:
        moments, cell = [inside(current - 1)], current - 3  # current − 2 missed, not caught up
    else:
        low = point(current - 1)
        moments, cell = [low + (end - low) * rng.uniform(0.02, 0.98)], current - 1
    while len(moments) < count and cell >= 1:
        if rng.random() < 0.05 and cell > 1:
            if rng.random() < 0.6 and cell + 1 < current:  # caught up in the next cell
                moments.append(min(inside(cell + 1, 0.01, 0.09), moments[-1] - 60))
            cell -= 1
            if len(moments) >= count:
                break
        moments.append(min(inside(cell), moments[-1] - 60))
        cell -= 1
    earliest = cell + 1
    if len(moments) < count and earliest > 1 and rng.random() < 0.8:
        moments.append(min(inside(earliest, 0.01, 0.09), moments[-1] - 60))
    if len(moments) < count:  # more handles than cycles: the rest are early, squeezed in
        first = moments[-1]
        extra = count - len(moments)
        moments.extend(first - (first - anchor) * (i + 1) / (extra + 1) for i in range(extra))
    moments.reverse()
    return moments


def meter_age(rule: CycleRule, period: float, end: int, aim: str, rng: random.Random) -> float:
    """How long before ``end``, the end of the span (in periods), a meter task's last handle
    was; the due moment is a forecast, so this only steers the status roughly."""
    notice = min(notice_length(rule, end, period) / period, 0.9)
    if aim == status.DUE:
        return rng.uniform(1.03, 1.6)
    if aim == status.DUE_SOON and notice > 0.02:
        return rng.uniform(1 - notice * 0.9, 1 - notice * 0.1)
    return rng.uniform(0.05, max(0.06, 1 - notice - 0.03))


# -- running the cycles ---------------------------------------------------------------------


class HandleEvent(NamedTuple):
    """One handle of the simulated history: when, which task, the due moment of the cycle
    it closed and the grid cycles skipped; the task's cycle before and after it and its
    previous handle (what the change history shows of the task, as real use writes it)."""

    moment: int
    task_index: int
    closed_due: int | None
    skipped: int
    before: Cycle
    after: Cycle
    last_handle_at: int | None


def place_meter_cycle(rule: CycleRule, cycle: Cycle, meter: DemoMeter, until: int) -> Cycle:
    """The services' placement (``cycles.place_statistic``) with the readings known at
    ``until``."""
    return cycles.place_statistic(rule, cycle, lambda since: meter.readings(since, until))


def run_task(task: DemoTask, now: int) -> Iterator[HandleEvent]:
    """Yield a ``HandleEvent`` per handle, then leave the task's current cycle on
    ``task.cycle``."""
    project = task.project
    span = history_span(project, now)
    if span is None:
        return
    rule, meter = project.rule, project.meter
    start = span[0]
    first = rule.cycle_type == cycles.FIRST
    begin = cycles.begin_first if first else cycles.begin_statistic
    close = cycles.close_first if first else cycles.close_statistic
    if meter is not None:
        cycle = place_meter_cycle(rule, begin(rule, start, meter.value_at(start)), meter,
                                  start)
    else:
        cycle = cycles.begin_natural(rule, start)
    last_handle_at = None
    for moment in task.times:
        if meter is not None:
            before = place_meter_cycle(rule, cycle, meter, moment)
            cycle, skipped = close(rule, cycle, moment, meter.value_at(moment))
            # as the services store it: forecast with the readings known then
            after = place_meter_cycle(rule, cycle, meter, moment)
        else:
            before = cycle
            cycle, skipped = cycles.close_natural(rule, cycle, moment)
            after = cycle
        yield HandleEvent(moment, task.index, before.due_at, skipped, before, after,
                          last_handle_at)
        last_handle_at = moment
    # New readings keep re-forecasting a meter cycle after its last handle (the services do
    # this on every reading), so the stored due moment uses every reading up to now.
    task.cycle = place_meter_cycle(rule, cycle, meter, now) if meter is not None else cycle
    task.last_handle_at = task.times[-1] if len(task.times) else None


def handle_events(world: World) -> Iterator[HandleEvent]:
    """All tasks' handles merged into one stream in time order."""
    return heapq.merge(*(run_task(t, world.now) for t in world.tasks),
                       key=lambda event: (event.moment, event.task_index))

