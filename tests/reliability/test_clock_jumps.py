"""The system clock jumping backwards or forwards: no negative durations, no cycle moving
back in time, no lost cycles (services, with a fake clock that jumps)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from reliability_helpers import handle, project_data

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

DAY = 86400


def start_task(services: Services, **changes: Any) -> str:
    uid = services.projects.create({**project_data(["pump-1"]), **changes})["uid"]
    services.projects.start({"uid": uid})
    return services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]["uid"]


def task_moments(services: Services, uid: str) -> dict[str, int | None]:
    record = services.tasks.get({"uid": uid})
    return {k: clock.parse_wire(record[k]) if record[k] else None
            for k in ("cycle_start", "due_at", "notice_at")}


def assert_sane(moments: dict[str, int | None]) -> None:
    start, due, notice = moments["cycle_start"], moments["due_at"], moments["notice_at"]
    assert start is not None and due is not None and notice is not None
    assert start < due, "the cycle is due before it starts"
    assert start <= notice <= due


@pytest.mark.parametrize("anchor", ["按完成时间", "按计划时间"])
def test_handle_after_the_clock_went_back_keeps_the_cycle_forward(
        services: Services, fake_clock: FakeClock, anchor: str) -> None:
    task = start_task(services, anchor_type=anchor)
    before = task_moments(services, task)
    fake_clock.advance(days=-3)  # the clock jumps back, e.g. a wrong manual correction
    record = services.handles.get({"uid": handle(services, task)})
    after = task_moments(services, task)
    assert_sane(after)
    assert after["cycle_start"] >= before["cycle_start"]
    assert after["due_at"] > before["cycle_start"]
    assert record["skipped_cycles"] >= 0


@pytest.mark.parametrize("anchor", ["按完成时间", "按计划时间"])
def test_ignore_after_the_clock_went_back_keeps_the_cycle_forward(
        services: Services, fake_clock: FakeClock, anchor: str) -> None:
    task = start_task(services, anchor_type=anchor)
    before = task_moments(services, task)
    fake_clock.advance(days=-10)
    services.handles.ignore({"task_id": task, "description": "停机"})
    after = task_moments(services, task)
    assert_sane(after)
    assert after["cycle_start"] >= before["cycle_start"]


def test_back_and_forth_jumps_never_lose_a_fixed_plan_cycle(services: Services,
                                                           fake_clock: FakeClock) -> None:
    task = start_task(services, anchor_type="按计划时间")
    start = task_moments(services, task)["cycle_start"]
    assert start is not None
    dues = []
    for jump in (-5 * DAY, 3 * DAY, -DAY, 4 * DAY):
        fake_clock.advance(jump)
        handle(services, task)
        moments = task_moments(services, task)
        assert_sane(moments)
        dues.append(moments["due_at"])
    # Grid points are start + 2·k days; each handle moves to a later one, none repeats.
    assert all(b > a for a, b in itertools.pairwise(dues))
    assert all((d - start) % (2 * DAY) == 0 for d in dues)


def test_clock_jump_forward_counts_the_missed_cycles(services: Services,
                                                     fake_clock: FakeClock) -> None:
    task = start_task(services, anchor_type="按计划时间")
    fake_clock.advance(days=30)  # e.g. the machine slept, or the clock was set ahead
    record = services.handles.get({"uid": handle(services, task)})
    # This handle closes cycle 1 (due day 2); the cycles due on days 4 … 30 were skipped.
    assert record["skipped_cycles"] == 14
    assert_sane(task_moments(services, task))


def test_status_never_reports_a_due_task_as_running_early(services: Services,
                                                          fake_clock: FakeClock) -> None:
    task = start_task(services)
    fake_clock.advance(days=3)
    assert services.tasks.get({"uid": task})["status"] == "已到期"
    fake_clock.advance(days=-10)  # before the cycle began: not "due", not negative
    assert services.tasks.get({"uid": task})["status"] in ("正常", "即将到期")
