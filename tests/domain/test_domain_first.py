"""Whichever comes first (先到周期) — spec §3, §4 (action-api.md), code in domain/cycles.py.

The plan "every 6 months or 500 h, whichever comes first", begun 2026-01-01 08:00 (Asia/
Shanghai, no DST) with the meter at 1000 h. Every expected moment below is counted by hand
from the readings given (rate = their least-squares slope; two readings: rise / time).
The property at the end runs the natural and the statistic plan of the same settings side
by side on the same readings and handles, and checks that the whichever-first task is due
as the earlier of the two.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import clock, cycles, status
from mixtimer_gui.domain.cycles import (
    BY_COMPLETION,
    BY_METER,
    BY_PLAN,
    BY_TIME,
    DAY,
    FIRST,
    MONTH,
    NATURAL,
    STATISTIC,
    Cycle,
    CycleRule,
)

DAY_S = 86400
Readings = list[tuple[int, float]]


def at(*parts: int) -> int:
    return clock.from_local(datetime(*parts))


def first(meter: float = 500, months: int = 6, notice: int = 7,
          anchor: str = BY_COMPLETION) -> CycleRule:
    return CycleRule(FIRST, months, MONTH, notice, DAY, anchor, meter_period=meter)


def since(readings: Readings) -> Callable[[int], Readings]:
    return lambda moment: [(t, v) for t, v in readings if t >= moment]


# Functions, not constants: the test zone is set per test, after import.
def START() -> int:
    return at(2026, 1, 1, 8)


def HALF_YEAR() -> int:  # Jan 1 + 6 月
    return at(2026, 7, 1, 8)


def placed(rule: CycleRule, readings: Readings, begun: int | None = None,
           value: float = 1000.0) -> Cycle:
    return cycles.place_statistic(rule, cycles.begin_first(rule, begun or START(), value),
                                  since(readings))


def test_time_first_when_the_meter_runs_slowly() -> None:
    # 10 h in 10 days: 1 h/day; 490 h to go from 1010 → 490 days after Jan 11.
    cycle = placed(first(), [(START(), 1000.0), (at(2026, 1, 11, 8), 1010.0)])
    assert cycle.time_due_at == HALF_YEAR()
    assert cycle.due_value == 1500
    assert cycle.value_due_at == at(2026, 1, 11, 8) + 490 * DAY_S
    assert cycle.due_at == HALF_YEAR()
    assert cycles.due_by(cycle.time_due_at, cycle.value_due_at) == BY_TIME
    assert cycle.notice_at == at(2026, 6, 24, 8)


def test_meter_first_when_the_meter_runs_fast() -> None:
    # 100 h in 10 days: 10 h/day; 400 h to go from 1100 → 40 days after Jan 11 = Feb 20.
    cycle = placed(first(), [(START(), 1000.0), (at(2026, 1, 11, 8), 1100.0)])
    assert cycle.value_due_at == at(2026, 2, 20, 8)
    assert cycle.due_at == at(2026, 2, 20, 8)
    assert cycle.time_due_at == HALF_YEAR()  # the time limit is still carried
    assert cycle.notice_at == at(2026, 2, 13, 8)
    assert cycles.due_by(cycle.time_due_at, cycle.value_due_at) == BY_METER


def test_both_on_the_same_day() -> None:
    readings = [(START(), 1000.0), (at(2026, 1, 11, 8), 1010.0)]  # 1 h/day
    # 171 h left after 1010 → Jul 1 08:00 exactly: a tie goes to the calendar.
    tie = placed(first(meter=181), readings)
    assert tie.value_due_at == HALF_YEAR() == tie.due_at
    assert cycles.due_by(tie.time_due_at, tie.value_due_at) == BY_TIME
    # Readings 12 hours later in the day, same rate: the meter limit falls on Jul 1 20:00,
    # the same day but after the time limit.
    later = placed(first(meter=181), [(START() + 12 * 3600, 1000.0),
                                      (at(2026, 1, 11, 20), 1010.0)])
    assert later.value_due_at == at(2026, 7, 1, 20)
    assert later.due_at == HALF_YEAR()
    # The same day but earlier: readings 4 hours before, the meter wins by 4 hours.
    earlier = placed(first(meter=181), [(START() - 4 * 3600, 1000.0),
                                        (at(2026, 1, 11, 4), 1010.0)])
    assert earlier.due_at == at(2026, 7, 1, 4)
    assert cycles.due_by(earlier.time_due_at, earlier.value_due_at) == BY_METER


def test_a_changing_meter_rate_moves_the_due_moment_between_the_limits() -> None:
    rule = first()
    readings: Readings = [(START(), 1000.0), (at(2026, 1, 11, 8), 1010.0)]
    slow = placed(rule, readings)
    assert slow.due_at == HALF_YEAR()  # 1 h/day: the time limit
    # The machine goes on three shifts: 1010 → 1310 from Jan 11 to Jan 21 (the window's
    # three readings fit 15.5 h/day by least squares: slope of (0,0) (10,10) (20,310) days).
    readings.append((at(2026, 1, 21, 8), 1310.0))
    fast = cycles.place_statistic(rule, slow, since(readings))
    rate_per_day = 15.5  # Σ(t−t̄)(v−v̄)/Σ(t−t̄)² = (−10·−106.67 + 0 + 10·203.33)/200
    assert fast.value_due_at == at(2026, 1, 21, 8) + int(190 / rate_per_day * DAY_S)
    assert fast.due_at == fast.value_due_at and fast.due_at < HALF_YEAR()
    # It slows down again and the meter never reaches 1500 in time: the calendar is back.
    readings.append((at(2026, 3, 31, 8), 1320.0))
    calm = cycles.place_statistic(rule, fast, since(readings))
    assert calm.due_at == HALF_YEAR()


def test_a_reading_past_the_meter_limit_makes_it_due_at_once() -> None:
    rule = first()
    cycle = placed(rule, [(START(), 1000.0), (at(2026, 3, 1, 8), 1501.0)])
    assert cycle.due_at == at(2026, 3, 1, 8)
    now = at(2026, 3, 1, 9)
    assert status.task_status(True, cycle.cycle_start, cycle.due_at, cycle.notice_at,
                              now) == status.DUE


def test_no_forecast_leaves_the_time_limit_alone() -> None:
    cycle = placed(first(), [(START(), 1000.0)])  # one reading: no rate
    assert cycle.value_due_at is None
    assert cycle.due_at == HALF_YEAR()
    assert cycles.due_by(cycle.time_due_at, cycle.value_due_at) == BY_TIME


def test_handle_restarts_both_limits_by_completion() -> None:
    rule = first()
    cycle = placed(rule, [(START(), 1000.0), (at(2026, 1, 11, 8), 1100.0)])
    handled = at(2026, 2, 18, 15)  # two days before the meter limit, at 1480 h
    nxt, skipped = cycles.close_first(rule, cycle, handled, 1480.0)
    assert skipped == 0
    assert nxt.cycle_start == handled
    assert nxt.time_due_at == at(2026, 8, 18, 15)
    assert nxt.start_value == 1480.0 and nxt.due_value == 1980.0
    assert nxt.due_at == nxt.time_due_at  # nothing forecast yet for the new cycle


def test_ignore_and_restart_also_restart_both() -> None:
    # An ignore closes the cycle as a handle does (the services call the same close);
    # a restart begins afresh from its own moment and reading.
    rule = first(meter=200)
    cycle = cycles.begin_first(rule, START(), 1000.0)
    ignored, _ = cycles.close_first(rule, cycle, at(2026, 4, 1, 8), 1150.0)
    assert (ignored.time_due_at, ignored.due_value) == (at(2026, 10, 1, 8), 1350.0)
    restarted = cycles.begin_first(rule, at(2026, 5, 5, 10), 1170.0)
    assert (restarted.time_due_at, restarted.due_value) == (at(2026, 11, 5, 10), 1370.0)
    assert restarted.grid_anchor == at(2026, 5, 5, 10)


def test_fixed_plan_steps_each_limit_on_its_own_grid() -> None:
    rule = first(meter=500, anchor=BY_PLAN)
    cycle = cycles.begin_first(rule, START(), 1000.0)
    # Handled early on Mar 1 at 1300 h: one step on each grid (Jan 1 2027, 2000 h).
    early, skipped = cycles.close_first(rule, cycle, at(2026, 3, 1, 8), 1300.0)
    assert (early.time_due_at, early.due_value, skipped) == (at(2027, 1, 1, 8), 2000.0, 0)
    # Handled late, at 3100 h on 2027-02-01: the meter grid passed 2000, 2500 and 3000
    # (next 3500, two cycles missed); the time grid passed Jan 1 2027 only (next Jul 1).
    late, skipped = cycles.close_first(rule, early, at(2027, 2, 1, 8), 3100.0)
    assert late.time_due_at == at(2027, 7, 1, 8)
    assert late.due_value == 3500.0
    assert skipped == 2
    assert late.base_value == 1000.0 and late.grid_anchor == START()


def test_reschedule_keeps_the_cycle_and_takes_the_new_intervals() -> None:
    rule = first(meter=500)
    cycle = cycles.begin_first(rule, START(), 1000.0)
    changed = cycles.reschedule_first(first(meter=300, months=3), cycle)
    assert changed.cycle_start == START()
    assert (changed.time_due_at, changed.due_value) == (at(2026, 4, 1, 8), 1300.0)


def test_progress_is_the_further_of_the_two_limits() -> None:
    common = {"cycle_start": START(), "time_due_at": HALF_YEAR(), "start_value": 1000.0,
              "due_value": 1500.0, "due_at": HALF_YEAR()}
    now = START() + (HALF_YEAR() - START()) // 4
    assert cycles.progress(FIRST, now, current_value=1400.0, **common) == 0.8
    assert cycles.progress(FIRST, now, current_value=1010.0, **common) == 0.25
    assert cycles.progress(FIRST, now, current_value=None, **common) == 0.25


def test_next_due_values_of_a_whichever_first_rule_step_by_the_meter_interval() -> None:
    assert cycles.next_due_values(first(meter=250), 1000.0, 3) == [1250.0, 1500.0, 1750.0]
    dates = cycles.next_due_dates(first(), START(), 2)
    assert [due for due, _ in dates] == [HALF_YEAR(), at(2027, 1, 1, 8)]


# -- side by side ---------------------------------------------------------------------------

PROPERTY = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

SEVERITY = {status.NORMAL: 0, status.DUE_SOON: 1, status.DUE: 2}

events = st.lists(st.tuples(st.integers(1, 40 * DAY_S),  # time since the previous event
                            st.floats(0, 400, allow_nan=False),  # meter rise
                            st.booleans()),  # a handle (True) or just a reading
                  min_size=1, max_size=12)


@PROPERTY
@given(events=events, months=st.integers(1, 4), meter=st.integers(50, 600),
       notice=st.integers(0, 20), anchor=st.sampled_from([BY_COMPLETION, BY_PLAN]),
       look=st.integers(0, 60 * DAY_S))
def test_status_is_that_of_the_earlier_single_limit_plan(
        events: list[tuple[int, float, bool]], months: int, meter: int, notice: int,
        anchor: str, look: int) -> None:
    both = first(meter=meter, months=months, notice=notice, anchor=anchor)
    by_time = CycleRule(NATURAL, months, MONTH, notice, DAY, anchor)
    by_meter = CycleRule(STATISTIC, meter, "", notice, DAY, anchor)
    moment, value = START(), 1000.0
    readings: Readings = [(moment, value)]
    c_both = cycles.begin_first(both, moment, value)
    c_time = cycles.begin_natural(by_time, moment)
    c_meter = cycles.begin_statistic(by_meter, moment, value)
    for gap, rise, handled in events:
        moment, value = moment + gap, value + rise
        readings.append((moment, value))
        if handled:
            c_both, _ = cycles.close_first(both, c_both, moment, value)
            c_time, _ = cycles.close_natural(by_time, c_time, moment)
            c_meter, _ = cycles.close_statistic(by_meter, c_meter, moment, value)
        c_both = cycles.place_statistic(both, c_both, since(readings))
        c_meter = cycles.place_statistic(by_meter, c_meter, since(readings))

    assert c_both.time_due_at == c_time.due_at
    assert c_both.due_value == c_meter.due_value
    assert c_both.value_due_at == c_meter.due_at
    now = moment + look
    s_both = status.task_status(True, c_both.cycle_start, c_both.due_at, c_both.notice_at, now)
    s_time = status.task_status(True, c_time.cycle_start, c_time.due_at, c_time.notice_at, now)
    s_meter = status.task_status(True, c_meter.cycle_start, c_meter.due_at, c_meter.notice_at,
                                 now)
    earlier = c_meter if c_meter.due_at is not None and c_meter.due_at < c_time.due_at \
        else c_time
    assert s_both == (s_meter if earlier is c_meter else s_time)
    assert SEVERITY[s_both] == max(SEVERITY[s_time], SEVERITY[s_meter])
