"""Property: whatever the clock does and whatever the user does, no reminder fires twice,
each cycle's reminders only ever advance, and none fires before its moment."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reminder_oracle import rank, reminder_state

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import Reminder, ReminderEngine
from mixtimer_gui.services import Services

HOUR = 3600
START = 1_715_389_200  # 2024-05-11 09:00 Asia/Shanghai

steps = st.lists(st.one_of(
    st.tuples(st.just("move"), st.integers(-5 * 24, 6 * 24)),  # hours, back or forward
    st.tuples(st.just("handle"), st.integers(0, 2)),
    st.tuples(st.just("stop_start"), st.integers(0, 1)),
    st.tuples(st.just("restart"), st.integers(0, 1)),
), min_size=1, max_size=25)


@pytest.mark.slow
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_duplicates_and_only_forward(tmp_path_factory: Any, steps: list[tuple[str, int]]
                                        ) -> None:
    clock_mod.set_local_zone("Asia/Shanghai")
    clock = FakeClock(START)
    services = Services.open(tmp_path_factory.mktemp("prop") / "m.db", clock=clock)
    try:
        _run(services, clock, steps)
    finally:
        services.close()


def _run(services: Services, clock: FakeClock, steps: list[tuple[str, int]]) -> None:
    projects = []
    for period, notice in ((2, 1), (1, 0)):
        uid = services.projects.create({
            "name": f"P{period}", "cycle_type": "自然时间周期", "period_num": period,
            "period_unit": "日", "notice_num": notice, "notice_unit": "日",
            "object_id_list": ["A", "B"]})["uid"]
        services.projects.start({"uid": uid})
        projects.append(uid)
    records = services.tasks.list({"order_by": "uid"})["data"]
    tasks = [t["uid"] for t in records]
    notice_days = {t["uid"]: t["notice_num"] for t in records}
    engine = ReminderEngine(services)
    fired: list[Reminder] = []
    for action, value in steps:
        if action == "move":
            clock.advance(hours=value)
        elif action == "handle":
            services.handles.handle({"task_id": tasks[value]})
        elif action == "stop_start":
            services.projects.stop({"uid": projects[value]})
            fired += engine.scan()
            services.projects.start({"uid": projects[value]})
        else:
            services.projects.restart({"uid": projects[value]})
        fired += engine.scan()
        wake = engine.next_wakeup()
        assert wake is None or wake > clock.now()

    keys = [(r.task_uid, r.cycle_start, r.kind, r.seq) for r in fired]
    assert len(keys) == len(set(keys))
    last_rank: dict[tuple[str, int], int] = {}
    for r in fired:
        cycle = (r.task_uid, r.cycle_start)
        assert rank(r.kind, r.seq) > last_rank.get(cycle, -1)
        last_rank[cycle] = rank(r.kind, r.seq)
        assert r.overdue_seconds >= 0
        assert r.fired_at >= r.cycle_start
        if r.due_at is not None:
            assert r.kind == "提醒" or r.fired_at >= r.due_at
            if r.kind == "提醒":  # the notice window: notice_num days before due (no DST here)
                notice_at = max(r.due_at - notice_days[r.task_uid] * 24 * HOUR, r.cycle_start)
                assert notice_at <= r.fired_at < r.due_at
            state = reminder_state(None, r.due_at, r.fired_at, 24 * HOUR)
            assert r.kind == "提醒" or state == (r.kind, r.seq)
