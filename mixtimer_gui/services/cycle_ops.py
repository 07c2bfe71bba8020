"""Moving a stored task through its cycles: begin, close, reschedule, re-forecast.

Reads and writes the task row's stored moments (DESIGN §2) so lists can filter and sort on
them in SQL. Called inside the callers' write transactions, with their ``Store`` for the
meter readings a statistic cycle needs.
"""

from __future__ import annotations

import json

from mixtimer_gui.domain import cycles
from mixtimer_gui.domain.cycles import Cycle, CycleRule
from mixtimer_gui.store import queries
from mixtimer_gui.store.models import Project, Store, Task


def rule_of(project: Project) -> CycleRule:
    return CycleRule(project.cycle_type, project.period_num, project.period_unit,
                     project.notice_num, project.notice_unit, project.anchor_type,
                     project.statistics_period_num or 0.0)


def cycle_of(task: Task) -> Cycle | None:
    if task.cycle_start is None:
        return None
    return Cycle(task.cycle_start, task.grid_anchor if task.grid_anchor is not None
                 else task.cycle_start, task.cycle_index or 1, task.due_at, task.notice_at,
                 task.start_value, task.base_value, task.due_value, task.time_due_at,
                 task.due_value_at)


def store_cycle(task: Task, cycle: Cycle | None) -> None:
    if cycle is None:
        task.cycle_start = task.grid_anchor = task.due_at = task.notice_at = None
        task.start_value = task.base_value = task.due_value = None
        task.time_due_at = task.due_value_at = None
        task.due_by = ""
        task.cycle_index = 1
        return
    task.cycle_start = cycle.cycle_start
    task.grid_anchor = cycle.grid_anchor
    task.cycle_index = cycle.cycle_index
    task.due_at = cycle.due_at
    task.notice_at = cycle.notice_at
    task.start_value = cycle.start_value
    task.base_value = cycle.base_value
    task.due_value = cycle.due_value
    task.time_due_at = cycle.time_due_at
    task.due_value_at = cycle.value_due_at
    task.due_by = cycles.due_by(cycle.time_due_at, cycle.value_due_at)


# What a handle changes on its task, kept on the handle so a void can put it back exactly.
STATE_FIELDS = ("cycle_start", "grid_anchor", "cycle_index", "due_at", "notice_at",
                "start_value", "base_value", "due_value", "last_handle_at",
                # 先到周期 (#17): both limits' moments and which one is due
                "time_due_at", "due_value_at", "due_by")


def snapshot(task: Task) -> str:
    """The task's cycle state as JSON (floats round-trip exactly through ``repr``)."""
    return json.dumps({name: getattr(task, name) for name in STATE_FIELDS})


def with_after(state: str, task: Task) -> str:
    """A ``snapshot`` plus where the handle left the task's cycle, so a void can tell
    whether anything (a restart, a changed plan) moved the task since."""
    saved = json.loads(state)
    saved["after"] = [task.cycle_start, task.last_handle_at]
    return json.dumps(saved)


def still_after(task: Task, state: str) -> bool:
    """The task is where the handle left it (records from before #15 have no state)."""
    if not state:
        return True
    after = json.loads(state).get("after")
    return after is None or after == [task.cycle_start, task.last_handle_at]


def restore(task: Task, state: str) -> None:
    """Put back a ``snapshot``."""
    saved = json.loads(state)
    for name in STATE_FIELDS:
        if name in saved:  # a state saved before a field existed leaves it as it is
            setattr(task, name, saved[name])


def current_value(store: Store, project: Project, at: int | None = None) -> float:
    """The meter's latest reading (at or before ``at`` when given: back-dated work)."""
    latest = (queries.latest_reading(store, project.statistics_id, at)
              if project.statistics_id else None)
    return latest[1] if latest else 0.0


def place_statistic(store: Store, rule: CycleRule, project: Project, cycle: Cycle) -> Cycle:
    """Due moment of a statistic cycle: the reading that reached the threshold, or the
    forecast from the meter's recent rate."""
    meter = project.statistics_id
    if not meter:
        return cycle
    return cycles.place_statistic(rule, cycle,
                                  lambda since: queries.readings_of(store, meter, since=since))


def begin(store: Store, task: Task, project: Project, now: int) -> None:
    """A fresh cycle starting ``now`` (start of a never-run task, or restart)."""
    rule = rule_of(project)
    if project.cycle_type == cycles.STATISTIC:
        cycle = cycles.begin_statistic(rule, now, current_value(store, project))
        cycle = place_statistic(store, rule, project, cycle)
    elif project.cycle_type == cycles.FIRST:
        cycle = cycles.begin_first(rule, now, current_value(store, project))
        cycle = place_statistic(store, rule, project, cycle)
    else:
        cycle = cycles.begin_natural(rule, now)
    store_cycle(task, cycle)


def close(store: Store, task: Task, project: Project, at: int,
          *, back_dated: bool = False) -> tuple[int | None, int]:
    """Close the current cycle at ``at`` (a handle or ignore). ``back_dated``: the work was
    done at ``at``, before now, so a statistic or whichever-first cycle restarts at the
    reading of that time.

    Returns the due moment of the cycle that closed and the grid cycles skipped. A task that
    never started keeps its state: the record is history, there is no cycle to close.
    """
    cycle = cycle_of(task)
    if cycle is None:
        return None, 0
    rule = rule_of(project)
    closed_due = cycle.due_at
    # A clock that jumped back must not start the next cycle before the current one began
    # (a due date in the past, negative cycle lengths): close it no earlier than its start.
    at = max(at, cycle.cycle_start)
    # back-dated work restarts a meter at the reading of its time
    value = current_value(store, project, at if back_dated else None)
    if project.cycle_type == cycles.STATISTIC:
        nxt, skipped = cycles.close_statistic(rule, cycle, at, value)
        nxt = place_statistic(store, rule, project, nxt)
    elif project.cycle_type == cycles.FIRST:
        nxt, skipped = cycles.close_first(rule, cycle, at, value)
        nxt = place_statistic(store, rule, project, nxt)
    else:
        nxt, skipped = cycles.close_natural(rule, cycle, at)
    store_cycle(task, nxt)
    return closed_due, skipped


def reschedule(store: Store, task: Task, project: Project) -> None:
    """The project's cycle settings changed: recompute due/notice, keep the cycle."""
    cycle = cycle_of(task)
    if cycle is None:
        return
    rule = rule_of(project)
    if project.cycle_type == cycles.STATISTIC:
        if cycle.due_value is None:  # the cycle ran under a natural rule: start over later
            store_cycle(task, None)
            return
        store_cycle(task, place_statistic(store, rule, project,
                                          cycles.reschedule_statistic(rule, cycle)))
    elif project.cycle_type == cycles.FIRST:
        if cycle.time_due_at is None:  # the cycle ran under another type: start over later
            store_cycle(task, None)
            return
        store_cycle(task, place_statistic(store, rule, project,
                                          cycles.reschedule_first(rule, cycle)))
    else:
        if cycle.due_value is not None and cycle.due_at is None:
            store_cycle(task, None)
            return
        store_cycle(task, cycles.reschedule_natural(rule, cycle))
