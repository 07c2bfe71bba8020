"""Cycle invariants through the services — spec §4 "Cycle arithmetic" and ``status``, §5
(handle ``due_at`` and ``skipped_cycles``).

Hypothesis drives a running project through random sequences of time moves, handles,
ignores, stops, starts and restarts and checks, after every step, what the task list shows:
cycle_start ≤ notice_at ≤ due_at, the SQL status equals domain.status.task_status, a handle
records the due moment of the cycle it closed, fixed plans stay on their grid and count the
grid points they skipped.

Code: services/projects.py, services/handles.py, services/cycle_ops.py, domain/cycles.py,
store/filters.py (status_case), domain/status.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_factories import project_data

from mixtimer_gui.domain import clock, cycles, status
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

STEPS = st.lists(st.one_of(
    st.tuples(st.just("advance"), st.integers(60, 90 * 86400)),
    st.tuples(st.just("advance"), st.integers(3600, 3 * 86400)),
    st.tuples(st.just("handle"), st.just(0)),
    st.tuples(st.just("ignore"), st.just(0)),
    st.tuples(st.just("stop"), st.just(0)),
    st.tuples(st.just("start"), st.just(0)),
    st.tuples(st.just("restart"), st.just(0)),
), min_size=1, max_size=12)


def moment(text: str) -> int | None:
    return clock.parse_wire(text) if text else None


def check_task(task: dict[str, Any], now: int) -> None:
    start, due, notice = (moment(task[k]) for k in ("cycle_start", "due_at", "notice_at"))
    if start is not None:
        assert due is not None and notice is not None
        assert start <= notice <= due
        assert due > start
    expected = status.task_status(bool(task["is_active"]), start, due, notice, now)
    assert task["status"] == expected


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(unit=st.sampled_from(cycles.PERIOD_UNITS), period=st.integers(1, 4),
       notice=st.integers(0, 40), notice_unit=st.sampled_from(cycles.NOTICE_UNITS),
       anchor=st.sampled_from(cycles.ANCHOR_TYPES), steps=STEPS,
       zone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York"]))
def test_random_histories_keep_the_cycle_invariants(services: Services, fake_clock: FakeClock,
                                                    unit: str, period: int, notice: int,
                                                    notice_unit: str, anchor: str,
                                                    steps: list[tuple[str, int]],
                                                    zone: str) -> None:
    clock.set_local_zone(zone)  # the DST zones move 日/周/月 across clock changes
    uid = services.projects.create(project_data(
        period_num=period, period_unit=unit, notice_num=notice, notice_unit=notice_unit,
        anchor_type=anchor, object_id_list=["a"]))["uid"]
    services.projects.start({"uid": uid})
    task_uid = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]["uid"]
    grid_anchor = fake_clock.now()
    for action, amount in steps:
        before = services.tasks.get({"uid": task_uid})
        if action == "advance":
            fake_clock.advance(amount)
        elif action in ("handle", "ignore"):
            record = services.handles.get(getattr(services.handles, action)(
                {"task_id": task_uid}))
            assert record["due_at"] == before["due_at"]
            after = services.tasks.get({"uid": task_uid})
            if before["cycle_start"]:
                assert after["cycle_start"] == clock.format_wire(fake_clock.now())
                check_closed(before, after, record, anchor, unit, period, grid_anchor)
        elif action == "restart":
            services.projects.restart({"uid": uid})
            grid_anchor = fake_clock.now()
        else:
            getattr(services.projects, action)({"uid": uid})
        listed = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]
        assert listed == services.tasks.get({"uid": task_uid})
        check_task(listed, fake_clock.now())
    services.projects.stop({"uid": uid})


def check_closed(before: dict[str, Any], after: dict[str, Any], record: dict[str, Any],
                 anchor: str, unit: str, period: int, grid_anchor: int) -> None:
    now = moment(after["cycle_start"])
    due = moment(after["due_at"])
    assert now is not None and due is not None
    if anchor == cycles.BY_COMPLETION:
        assert record["skipped_cycles"] == 0
        assert due == cycles.add_units(now, period, unit)
        return
    # Fixed plan: the next due is the first grid point after the handle, and never the same
    # grid point again (early handling closes exactly one cycle).
    old_due = moment(before["due_at"])
    assert old_due is not None
    j = cycles.first_grid_index_after(grid_anchor, now, period, unit)
    old_index = cycles.first_grid_index_after(grid_anchor, old_due - 1, period, unit)
    expected_index = max(old_index + 1, j)
    assert due == cycles.grid_point(grid_anchor, expected_index, period, unit)
    assert record["skipped_cycles"] == expected_index - old_index - 1
