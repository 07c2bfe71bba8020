"""Cycle arithmetic — spec §4 "Cycle arithmetic" (action-api.md), code in domain/cycles.py.

Rules covered: calendar units on the local civil calendar (日 keeps the time of day across a
DST change, 月/年 clamp to month end), grid dates from the anchor (never chained), the notice
window clamp (cycle_start ≤ notice_at ≤ due_at), 按完成时间 vs 按计划时间, early handling
closes exactly one cycle, missed fixed-plan cycles are counted (skipped_cycles), statistic
cycles (due_value = start + period_num; fixed plans step from the previous due_value).
Property tests use hypothesis with modest example counts.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import clock, cycles, forecast
from mixtimer_gui.domain.cycles import (
    BY_COMPLETION,
    BY_PLAN,
    DAY,
    HOUR,
    MONTH,
    NATURAL,
    PERIOD_UNITS,
    STATISTIC,
    WEEK,
    YEAR,
    CycleRule,
)

PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def at(*parts: int) -> int:
    """A local civil time (in the current test zone) as epoch seconds."""
    return clock.from_local(datetime(*parts))


def civil(moment: int) -> datetime:
    return clock.to_local(moment).replace(tzinfo=None)


def natural(period_num: int = 1, unit: str = MONTH, notice_num: int = 0,
            notice_unit: str = DAY, anchor: str = BY_COMPLETION) -> CycleRule:
    return CycleRule(NATURAL, period_num, unit, notice_num, notice_unit, anchor)


civil_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31))
moments = civil_times.map(lambda c: clock.from_local(c.replace(microsecond=0)))
units = st.sampled_from(PERIOD_UNITS)
small_periods = st.integers(min_value=1, max_value=24)


# -- calendar arithmetic --------------------------------------------------------------------


def test_month_from_jan_31_is_last_day_of_february() -> None:
    assert civil(cycles.add_units(at(2024, 1, 31, 8), 1, MONTH)) == datetime(2024, 2, 29, 8)
    assert civil(cycles.add_units(at(2023, 1, 31, 8), 1, MONTH)) == datetime(2023, 2, 28, 8)


def test_year_from_feb_29_clamps_to_feb_28() -> None:
    assert civil(cycles.add_units(at(2024, 2, 29, 8), 1, YEAR)) == datetime(2025, 2, 28, 8)
    assert civil(cycles.add_units(at(2024, 2, 29, 8), 4, YEAR)) == datetime(2028, 2, 29, 8)


def test_week_is_seven_calendar_days_and_hour_is_elapsed_time() -> None:
    assert civil(cycles.add_units(at(2024, 5, 11, 9), 2, WEEK)) == datetime(2024, 5, 25, 9)
    start = at(2024, 5, 11, 9)
    assert cycles.add_units(start, 30, HOUR) == start + 30 * 3600


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError):
        cycles.add_units(at(2024, 5, 11), 1, "分")


def test_grid_from_jan_31_stays_at_month_end() -> None:
    anchor = at(2024, 1, 31, 10)
    got = [civil(cycles.grid_point(anchor, n, 1, MONTH)).date() for n in range(1, 5)]
    assert [str(d) for d in got] == ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]


@PROPERTY
@given(year=st.integers(1990, 2080), n=st.integers(1, 240), hour=st.integers(0, 23))
def test_grid_dates_never_drift_from_month_end(year: int, n: int, hour: int) -> None:
    anchor = at(year, 1, 31, hour, 15)
    point = civil(cycles.grid_point(anchor, n, 1, MONTH))
    last_day = calendar.monthrange(point.year, point.month)[1]
    assert point.day == last_day
    assert (point.hour, point.minute) == (hour, 15)
    assert (point.year * 12 + point.month) - (year * 12 + 1) == n


@PROPERTY
@given(start=civil_times, n=st.integers(1, 120), period=st.integers(1, 12))
def test_grid_point_keeps_the_anchor_day_when_the_month_has_it(start: datetime, n: int,
                                                                period: int) -> None:
    start = start.replace(microsecond=0)
    anchor = clock.from_local(start)
    point = civil(cycles.grid_point(anchor, n, period, MONTH))
    assert point.day == min(start.day, calendar.monthrange(point.year, point.month)[1])
    assert point.time() == start.time()


# -- natural cycles -------------------------------------------------------------------------


def test_begin_natural_is_due_one_period_later() -> None:
    cycle = cycles.begin_natural(natural(2, DAY, 1, DAY), at(2024, 5, 11, 9))
    assert cycle.cycle_start == at(2024, 5, 11, 9)
    assert cycle.due_at == at(2024, 5, 13, 9)
    assert cycle.notice_at == at(2024, 5, 12, 9)


def test_notice_zero_reminds_at_the_due_moment() -> None:
    cycle = cycles.begin_natural(natural(1, MONTH, 0, DAY), at(2024, 5, 11, 9))
    assert cycle.notice_at == cycle.due_at


def test_notice_longer_than_the_period_is_clamped_to_the_cycle_start() -> None:
    cycle = cycles.begin_natural(natural(3, DAY, 2, MONTH), at(2024, 5, 11, 9))
    assert cycle.notice_at == cycle.cycle_start


@PROPERTY
@given(now=moments, period=small_periods, unit=units,
       notice=st.integers(0, 40), notice_unit=st.sampled_from(cycles.NOTICE_UNITS))
def test_due_after_start_and_notice_within_the_cycle(now: int, period: int, unit: str,
                                                      notice: int, notice_unit: str) -> None:
    cycle = cycles.begin_natural(natural(period, unit, notice, notice_unit), now)
    assert cycle.due_at is not None and cycle.notice_at is not None
    assert cycle.due_at > cycle.cycle_start
    assert cycle.cycle_start <= cycle.notice_at <= cycle.due_at


def test_by_completion_next_cycle_starts_at_the_handle() -> None:
    rule = natural(1, MONTH, anchor=BY_COMPLETION)
    first = cycles.begin_natural(rule, at(2024, 1, 31, 9))
    nxt, skipped = cycles.close_natural(rule, first, at(2024, 2, 10, 14))
    assert skipped == 0
    assert nxt.cycle_start == at(2024, 2, 10, 14)
    assert nxt.due_at == at(2024, 3, 10, 14)


def test_by_plan_next_due_follows_the_grid_not_the_handle() -> None:
    rule = natural(1, MONTH, anchor=BY_PLAN)
    first = cycles.begin_natural(rule, at(2024, 1, 31, 9))
    nxt, skipped = cycles.close_natural(rule, first, at(2024, 2, 10, 14))
    assert skipped == 0
    assert nxt.cycle_start == at(2024, 2, 10, 14)
    assert nxt.due_at == at(2024, 3, 31, 9)


def test_by_plan_late_handle_counts_the_missed_cycles() -> None:
    rule = natural(1, MONTH, anchor=BY_PLAN)
    first = cycles.begin_natural(rule, at(2024, 1, 31, 9))  # due Feb 29
    nxt, skipped = cycles.close_natural(rule, first, at(2024, 5, 5, 9))
    # Feb 29 closed; Mar 31 and Apr 30 passed unhandled; next due May 31.
    assert skipped == 2
    assert nxt.due_at == at(2024, 5, 31, 9)


@PROPERTY
@given(now=moments, period=small_periods, unit=units, frac=st.floats(0, 0.999))
def test_early_handling_closes_exactly_one_cycle(now: int, period: int, unit: str,
                                                 frac: float) -> None:
    rule = natural(period, unit, anchor=BY_PLAN)
    cycle = cycles.begin_natural(rule, now)
    assert cycle.due_at is not None
    handled = cycle.cycle_start + int((cycle.due_at - cycle.cycle_start) * frac)
    nxt, skipped = cycles.close_natural(rule, cycle, handled)
    assert skipped == 0
    assert nxt.cycle_index == cycle.cycle_index + 1
    assert nxt.due_at == cycles.grid_point(now, 2, period, unit)
    # A second early handle in the same grid slot moves on by one more, never more.
    again, skipped_again = cycles.close_natural(rule, nxt, handled + 1)
    assert skipped_again == 0
    assert again.cycle_index == nxt.cycle_index + 1


@PROPERTY
@given(now=moments, period=st.integers(1, 6), unit=units, late=st.integers(0, 50),
       extra=st.integers(0, 3600 * 24 * 20))
def test_missed_fixed_plan_cycles_are_counted(now: int, period: int, unit: str, late: int,
                                              extra: int) -> None:
    rule = natural(period, unit, anchor=BY_PLAN)
    cycle = cycles.begin_natural(rule, now)
    handled = cycles.grid_point(now, 1 + late, period, unit) + extra % 3600
    nxt, skipped = cycles.close_natural(rule, cycle, handled)
    assert nxt.due_at is not None
    assert nxt.due_at > handled
    previous = cycles.grid_point(now, nxt.cycle_index - 1, period, unit)
    assert previous <= handled
    assert skipped == nxt.cycle_index - 2
    assert skipped >= late


@PROPERTY
@given(anchor=moments, moment=moments, period=small_periods, unit=units)
def test_first_grid_index_after_is_the_smallest(anchor: int, moment: int, period: int,
                                                unit: str) -> None:
    j = cycles.first_grid_index_after(anchor, moment, period, unit)
    assert j >= 1
    assert cycles.grid_point(anchor, j, period, unit) > moment
    if j > 1:
        assert cycles.grid_point(anchor, j - 1, period, unit) <= moment


def test_reschedule_keeps_the_cycle_and_applies_the_new_period() -> None:
    rule = natural(1, MONTH)
    cycle = cycles.begin_natural(rule, at(2024, 5, 11, 9))
    moved = cycles.reschedule_natural(natural(2, WEEK, 3, DAY), cycle)
    assert moved.cycle_start == cycle.cycle_start
    assert moved.due_at == at(2024, 5, 25, 9)
    assert moved.notice_at == at(2024, 5, 22, 9)


# -- DST: 日 keeps the time of day ---------------------------------------------------------


@pytest.mark.parametrize("zone, before", [("Europe/Berlin", datetime(2024, 3, 30, 9)),
                                          ("Europe/Berlin", datetime(2024, 10, 26, 9)),
                                          ("America/New_York", datetime(2024, 3, 9, 9)),
                                          ("America/New_York", datetime(2024, 11, 2, 9))])
def test_day_keeps_time_of_day_across_dst(zone: str, before: datetime) -> None:
    clock.set_local_zone(zone)
    start = clock.from_local(before)
    due = cycles.add_units(start, 1, DAY)
    assert civil(due) == before + timedelta(days=1)
    assert due - start != 86400  # the day really was 23 or 25 hours long


@PROPERTY
@given(day=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2025, 12, 31)),
       hour=st.sampled_from([0, 6, 9, 12, 18, 23]), n=st.integers(1, 400))
def test_day_and_week_keep_time_of_day_in_a_dst_zone(day: datetime, hour: int,
                                                     n: int) -> None:
    clock.set_local_zone("Europe/Berlin")
    start_civil = day.replace(hour=hour, minute=30, second=0, microsecond=0)
    start = clock.from_local(start_civil)
    assert civil(cycles.add_units(start, n, DAY)) == start_civil + timedelta(days=n)
    assert civil(cycles.add_units(start, n, WEEK)) == start_civil + timedelta(weeks=n)


def test_day_landing_in_the_dst_gap_moves_forward_and_the_grid_recovers() -> None:
    clock.set_local_zone("Europe/Berlin")
    anchor = clock.from_local(datetime(2024, 3, 30, 2, 30))
    # 2024-03-31 02:30 does not exist: the due moment is where the wall clock shows 03:30.
    assert civil(cycles.grid_point(anchor, 1, 1, DAY)) == datetime(2024, 3, 31, 3, 30)
    assert civil(cycles.grid_point(anchor, 2, 1, DAY)) == datetime(2024, 4, 1, 2, 30)


def test_hour_cycle_across_dst_is_elapsed_hours() -> None:
    clock.set_local_zone("Europe/Berlin")
    start = clock.from_local(datetime(2024, 3, 31, 1, 0))
    assert civil(cycles.add_units(start, 2, HOUR)) == datetime(2024, 3, 31, 4, 0)


# -- statistic cycles -----------------------------------------------------------------------


def statistic(period: int, anchor: str = BY_COMPLETION) -> CycleRule:
    return CycleRule(STATISTIC, period, "", 1, DAY, anchor)


def test_begin_statistic_due_value_is_start_plus_period() -> None:
    cycle = cycles.begin_statistic(statistic(25), at(2024, 5, 11), 100.0)
    assert (cycle.start_value, cycle.due_value) == (100.0, 125.0)


def test_statistic_by_completion_restarts_from_the_current_reading() -> None:
    rule = statistic(25)
    cycle = cycles.begin_statistic(rule, at(2024, 5, 11), 100.0)
    nxt, skipped = cycles.close_statistic(rule, cycle, at(2024, 5, 20), 130.0)
    assert (nxt.start_value, nxt.due_value, skipped) == (130.0, 155.0, 0)


def test_statistic_by_plan_steps_from_the_previous_due_value() -> None:
    rule = statistic(25, BY_PLAN)
    cycle = cycles.begin_statistic(rule, at(2024, 5, 11), 100.0)  # due 125
    nxt, skipped = cycles.close_statistic(rule, cycle, at(2024, 5, 20), 110.0)
    assert (nxt.due_value, skipped) == (150.0, 0)
    late, skipped_late = cycles.close_statistic(rule, nxt, at(2024, 6, 20), 210.0)
    # 150 closed; 175 and 200 passed unhandled; next 225.
    assert (late.due_value, skipped_late) == (225.0, 2)


@PROPERTY
@given(start=st.floats(0, 1e6), period=st.integers(1, 1000), reading=st.floats(0, 1e5))
@example(start=948576.5141877985, period=1, reading=100000.0)  # float rounding at a multiple
def test_statistic_fixed_plan_due_value_always_ahead(start: float, period: int,
                                                     reading: float) -> None:
    rule = statistic(period, BY_PLAN)
    cycle = cycles.begin_statistic(rule, 0, start)
    nxt, skipped = cycles.close_statistic(rule, cycle, 10, start + reading)
    assert nxt.due_value is not None and cycle.due_value is not None
    assert nxt.due_value > start + reading
    assert nxt.due_value - cycle.due_value == pytest.approx(period * (skipped + 1))


def test_statistic_due_when_the_threshold_was_reached_whatever_the_forecast() -> None:
    rule = statistic(25)
    cycle = cycles.begin_statistic(rule, at(2024, 5, 11), 100.0)
    placed = cycles.place_statistic_due(rule, cycle, forecast_due=at(2024, 6, 1),
                                        reached_at=at(2024, 5, 15))
    assert placed.due_at == at(2024, 5, 15)


def test_place_statistic_reads_the_forecast_window_and_finds_the_reached_threshold() -> None:
    rule = statistic(25)
    start = at(2024, 5, 11)
    cycle = cycles.begin_statistic(rule, start, 100.0)  # due at 125
    asked: list[int] = []
    readings = [(start - 40 * 86400, 0.0), (start - 86400, 95.0), (start, 100.0),
                (start + 86400, 110.0), (start + 2 * 86400, 130.0)]

    def since(moment: int) -> list[tuple[int, float]]:
        asked.append(moment)
        return [(t, v) for t, v in readings if t >= moment]

    placed = cycles.place_statistic(rule, cycle, since)
    assert asked == [start - forecast.WINDOW_SECONDS]
    assert placed.due_at == start + 2 * 86400  # the reading of 130 reached 125

    forecast_only = cycles.place_statistic(rule, cycle, lambda m: since(m)[:-1])
    # Not reached yet: the rest of the way from 110 at the rate fitted to the window's
    # readings (the one 40 days back is outside it).
    rate = forecast.usage_rate(readings[1:-1])
    assert rate is not None
    assert forecast_only.due_at == int(start + 86400 + 15 / rate)

    natural_run = replace(cycle, due_value=None)  # a cycle from before a switch of type
    assert cycles.place_statistic(rule, natural_run, since) is natural_run
    assert len(asked) == 2  # … is left as it is, without reading the meter


def test_statistic_without_forecast_has_no_due() -> None:
    rule = statistic(25)
    cycle = cycles.begin_statistic(rule, at(2024, 5, 11), 100.0)
    placed = cycles.place_statistic_due(rule, cycle, None, None)
    assert placed.due_at is None and placed.notice_at is None


@PROPERTY
@given(start=moments, forecast_offset=st.one_of(st.none(), st.integers(-10**7, 10**8)),
       reached_offset=st.one_of(st.none(), st.integers(0, 10**8)),
       notice=st.integers(0, 40), notice_unit=st.sampled_from(cycles.NOTICE_UNITS))
def test_statistic_due_never_before_the_cycle_start(start: int, forecast_offset: int | None,
                                                    reached_offset: int | None, notice: int,
                                                    notice_unit: str) -> None:
    rule = CycleRule(STATISTIC, 25, "", notice, notice_unit)
    cycle = cycles.begin_statistic(rule, start, 100.0)
    placed = cycles.place_statistic_due(
        rule, cycle, None if forecast_offset is None else start + forecast_offset,
        None if reached_offset is None else start + reached_offset)
    if forecast_offset is None and reached_offset is None:
        assert placed.due_at is None
        return
    assert placed.due_at is not None and placed.notice_at is not None
    assert start <= placed.notice_at <= placed.due_at
    if reached_offset is not None:
        assert placed.due_at <= start + reached_offset  # a reached threshold is due at once


# -- local dates (the overview calendar) ----------------------------------------------------


@PROPERTY
@given(moments=st.lists(st.integers(-3 * 10**9, 4 * 10**9), max_size=40),
       zone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/Santiago",
                             "Asia/Kathmandu", "Australia/Lord_Howe", "UTC"]))
def test_local_dates_agree_with_to_local(moments: list[int], zone: str) -> None:
    clock.set_local_zone(zone)
    assert clock.local_dates(moments) == [clock.to_local(m).date() for m in moments]


def test_local_dates_around_a_dst_change_at_midnight() -> None:
    clock.set_local_zone("America/Santiago")  # 2024-04-07 00:00 DST goes back to 04-06 23:00
    first = clock.from_local(datetime(2024, 4, 6, 23, 30))
    moments = [first, first + 3600, first + 2 * 3600]
    assert [str(d) for d in clock.local_dates(moments)] == ["2024-04-06", "2024-04-06",
                                                            "2024-04-07"]


# -- a plan ahead (the project form's preview, demo data) -----------------------------------


def dues(dates: list[tuple[int, int]]) -> list[str]:
    return [civil(due).strftime("%Y-%m-%d %H:%M") for due, _ in dates]


def notices(dates: list[tuple[int, int]]) -> list[str]:
    return [civil(notice).strftime("%Y-%m-%d %H:%M") for _, notice in dates]


def test_next_due_dates_by_plan_stay_at_month_end() -> None:
    dates = cycles.next_due_dates(natural(1, MONTH, anchor=BY_PLAN), at(2024, 1, 31, 8), 5)
    assert dues(dates) == ["2024-02-29 08:00", "2024-03-31 08:00", "2024-04-30 08:00",
                           "2024-05-31 08:00", "2024-06-30 08:00"]
    assert [n for _, n in dates] == [d for d, _ in dates]  # no notice: at the due moment


def test_next_due_dates_by_completion_chain_from_each_due_moment() -> None:
    # Handled on 02-29, the next cycle runs a month from 02-29: the 31st is gone for good.
    dates = cycles.next_due_dates(natural(1, MONTH), at(2024, 1, 31, 8), 5)
    assert dues(dates) == ["2024-02-29 08:00", "2024-03-29 08:00", "2024-04-29 08:00",
                           "2024-05-29 08:00", "2024-06-29 08:00"]


def test_next_due_dates_carry_the_notice_and_its_clamp() -> None:
    dates = cycles.next_due_dates(natural(10, DAY, 2, DAY), at(2024, 5, 11, 9), 3)
    assert dues(dates) == ["2024-05-21 09:00", "2024-05-31 09:00", "2024-06-10 09:00"]
    assert notices(dates) == ["2024-05-19 09:00", "2024-05-29 09:00", "2024-06-08 09:00"]
    # A month's notice on a daily cycle: never before the cycle's start.
    clamped = cycles.next_due_dates(natural(1, DAY, 1, MONTH), at(2024, 5, 11, 9), 2)
    assert notices(clamped) == ["2024-05-11 09:00", "2024-05-12 09:00"]
    assert cycles.next_due_dates(natural(), at(2024, 5, 11, 9), 0) == []


def test_a_notice_as_long_as_the_period_reaches_the_cycle_start() -> None:
    start = at(2024, 5, 11, 9)
    assert cycles.notice_reaches_cycle_start(natural(3, DAY, 2, MONTH), start)
    assert cycles.notice_reaches_cycle_start(natural(7, DAY, 7, DAY), start)
    assert not cycles.notice_reaches_cycle_start(natural(7, DAY, 6, DAY), start)
    assert not cycles.notice_reaches_cycle_start(natural(1, DAY, 0, DAY), start)
    # 30 days before, monthly from January: February is shorter than the notice.
    assert cycles.notice_reaches_cycle_start(natural(1, MONTH, 30, DAY), at(2025, 1, 5, 9))
    # ... but not within five cycles from May (31, 30, 31, 31, 30 days).
    assert not cycles.notice_reaches_cycle_start(natural(1, MONTH, 29, DAY), start)


def test_next_due_dates_of_hours_count_elapsed_time() -> None:
    dates = cycles.next_due_dates(natural(8, HOUR, anchor=BY_PLAN), at(2024, 5, 11, 9), 3)
    assert dues(dates) == ["2024-05-11 17:00", "2024-05-12 01:00", "2024-05-12 09:00"]


@PROPERTY
@given(start=moments, period=small_periods, unit=units, count=st.integers(1, 8))
def test_next_due_dates_follow_the_grid_or_the_chain(start: int, period: int, unit: str,
                                                     count: int) -> None:
    plan = cycles.next_due_dates(natural(period, unit, anchor=BY_PLAN), start, count)
    assert [d for d, _ in plan] == [cycles.grid_point(start, j, period, unit)
                                    for j in range(1, count + 1)]
    chain = cycles.next_due_dates(natural(period, unit), start, count)
    previous = start
    for due, notice in chain:
        assert due == cycles.add_units(previous, period, unit) and notice == due
        previous = due


def test_next_due_values_step_by_the_period_under_both_anchors() -> None:
    for anchor in (BY_COMPLETION, BY_PLAN):
        rule = CycleRule(STATISTIC, 500, "", 0, DAY, anchor)
        assert cycles.next_due_values(rule, 1000.0, 4) == [1500, 2000, 2500, 3000]
        assert cycles.next_due_values(rule, 12.5, 2) == [512.5, 1012.5]
        assert cycles.next_due_values(rule, 0.0, 0) == []


# -- how far a cycle has run (the task list's progress bars) --------------------------------


def test_elapsed_fraction_of_a_calendar_cycle() -> None:
    start, due = at(2024, 5, 1), at(2024, 5, 11)
    assert cycles.elapsed_fraction(start, due, at(2024, 5, 6)) == 0.5
    assert cycles.elapsed_fraction(start, due, at(2024, 5, 11)) == 1.0
    assert cycles.elapsed_fraction(start, due, at(2024, 5, 16)) == 1.5  # overdue
    assert cycles.elapsed_fraction(start, due, at(2024, 4, 30)) == 0.0  # clock set back
    assert cycles.elapsed_fraction(start, start, at(2024, 4, 30)) == 1.0


def test_elapsed_fraction_over_a_clamped_month() -> None:
    # 01-31 → 02-29 is 29 days; 02-14 12:00 is 14.5 days in.
    rule = natural(1, MONTH)
    cycle = cycles.begin_natural(rule, at(2024, 1, 31))
    assert civil(cycle.due_at).date().isoformat() == "2024-02-29"
    assert cycles.elapsed_fraction(cycle.cycle_start, cycle.due_at,
                                   at(2024, 2, 14, 12)) == 0.5


def test_meter_fraction_of_a_statistic_cycle() -> None:
    assert cycles.meter_fraction(1000, 1300, 1500) == pytest.approx(0.6)
    assert cycles.meter_fraction(1000, 1600, 1500) == pytest.approx(1.2)
    assert cycles.meter_fraction(1000, 900, 1500) == 0.0  # a meter read back: not negative
    assert cycles.meter_fraction(1000, 1000, 1000) == 1.0


def test_progress_picks_the_measure_of_the_cycle_type() -> None:
    start, due = at(2024, 5, 1), at(2024, 5, 11)
    values = {"start_value": 1000, "current_value": 1250, "due_value": 1500}
    moments_ = {"cycle_start": start, "due_at": due}
    assert cycles.progress(NATURAL, at(2024, 5, 6), **moments_, **values) == 0.5
    assert cycles.progress(STATISTIC, at(2024, 5, 2), **moments_, **values) == 0.5
    assert cycles.progress(cycles.STATISTIC_SYNONYM, 0, **values) == 0.5
    assert cycles.progress(STATISTIC, 0, **{**values, "current_value": None}) is None
    assert cycles.progress(NATURAL, 0, cycle_start=None, due_at=due) is None
