"""Task status (spec §4 ``status``), statistic forecast (spec §4 "Statistic forecast"), uid
formats (spec §2 "uids") and the wire time format (spec §2 "Times on the wire").

Code: domain/status.py, domain/forecast.py, domain/uids.py, domain/clock.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import clock, forecast, status, uids
from mixtimer_gui.domain.clock import FakeClock

DAY = 86400


# -- status ---------------------------------------------------------------------------------


def test_status_not_started_when_stopped_or_never_started() -> None:
    assert status.task_status(False, 100, 200, 150, 120) == "未启动"
    assert status.task_status(True, None, None, None, 120) == "未启动"


def test_status_normal_due_soon_due() -> None:
    assert status.task_status(True, 100, 200, 150, 149) == "正常"
    assert status.task_status(True, 100, 200, 150, 150) == "即将到期"
    assert status.task_status(True, 100, 200, 150, 200) == "已到期"
    assert status.task_status(True, 100, 200, 150, 10**9) == "已到期"


def test_status_without_due_stays_normal() -> None:
    assert status.task_status(True, 100, None, None, 10**9) == "正常"


# -- forecast -------------------------------------------------------------------------------


def test_forecast_needs_two_readings() -> None:
    assert forecast.forecast_due([], 10) is None
    assert forecast.forecast_due([(0, 1.0)], 10) is None


def test_forecast_linear_rate() -> None:
    readings = [(0, 0.0), (DAY, 10.0), (2 * DAY, 20.0)]
    assert forecast.forecast_due(readings, 30.0) == 3 * DAY


def test_forecast_uses_only_the_last_30_days() -> None:
    # A fast start long ago, then a slow steady rate: the forecast follows the recent rate.
    old = [(0, 0.0), (DAY, 1000.0)]
    recent = [(100 * DAY + i * DAY, 1000.0 + i) for i in range(10)]
    due = forecast.forecast_due(old + recent, 1019.0)
    assert due == 100 * DAY + 19 * DAY


def test_forecast_none_when_meter_stands_still() -> None:
    assert forecast.forecast_due([(0, 5.0), (DAY, 5.0)], 10.0) is None


def test_forecast_reached_value_is_due_at_that_reading() -> None:
    assert forecast.forecast_due([(0, 0.0), (DAY, 30.0)], 25.0) == DAY


def test_reached_at_ignores_readings_before_the_cycle() -> None:
    readings = [(0, 50.0), (DAY, 60.0), (2 * DAY, 80.0)]
    assert forecast.reached_at(readings, since=DAY // 2, due_value=55.0) == DAY
    assert forecast.reached_at(readings, since=0, due_value=100.0) is None


# -- uids -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["MTP", "MTT", "MTH", "STATISTICS"])
def test_generated_uid_is_prefix_and_13_digits(prefix: str) -> None:
    uid = uids.format_uid(prefix, 5)
    assert uid == f"{prefix}0000000000005"
    assert uids.is_generated_uid(uid)


def test_uid_sequence_bounds() -> None:
    with pytest.raises(ValueError):
        uids.format_uid("MTP", 0)
    with pytest.raises(ValueError):
        uids.format_uid("MTP", 10**13)


def test_client_uid_alphabet() -> None:
    assert uids.is_valid_client_uid("na_test.v-2")
    assert not uids.is_valid_client_uid("")
    assert not uids.is_valid_client_uid("a\n")
    assert not uids.is_valid_client_uid("x" * 65)


# -- wire times -----------------------------------------------------------------------------


def test_wire_time_round_trip_in_local_zone() -> None:
    moment = clock.parse_wire("2024-05-11 12:35:10")
    assert moment == int(datetime(2024, 5, 11, 4, 35, 10,
                                  tzinfo=clock.ZoneInfo("UTC")).timestamp())
    assert clock.format_wire(moment) == "2024-05-11 12:35:10"


def test_wire_date_means_midnight() -> None:
    assert clock.format_wire(clock.parse_wire("2024-05-11")) == "2024-05-11 00:00:00"


@settings(max_examples=300, deadline=None)
@given(st.integers(-2**34, 2**34),
       st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York",
                        "Australia/Lord_Howe", "UTC"]))
def test_wire_format_is_the_local_civil_time(moment: int, zone: str) -> None:
    # format_wire takes a faster path from 1970 on; it must write what to_local says.
    clock.set_local_zone(zone)
    assert clock.format_wire(moment) == clock.to_local(moment).strftime(clock.WIRE_FORMAT)


def test_wire_none_is_empty() -> None:
    assert clock.format_wire(None) == ""


def test_parse_wire_refuses_other_text() -> None:
    with pytest.raises(ValueError):
        clock.parse_wire("yesterday")


def test_dst_gap_time_moves_forward() -> None:
    clock.set_local_zone("Europe/Berlin")
    # 02:30 does not exist on 2024-03-31 in Berlin; wall clocks show 03:30.
    assert clock.format_wire(clock.parse_wire("2024-03-31 02:30:00")) == "2024-03-31 03:30:00"


def test_fake_clock_moves_only_when_told() -> None:
    fake = FakeClock(1000)
    assert fake.now() == 1000
    fake.advance(days=1, seconds=5)
    assert fake.now() == 1000 + DAY + 5
    fake.set(5)
    assert fake.now() == 5


def test_forecast_beyond_100_years_is_no_forecast() -> None:
    readings = [(0, 0.0), (DAY, 1e-9)]
    assert forecast.forecast_due(readings, 1.0) is None
    assert forecast.forecast_due([(0, 0.0), (DAY, 1.0)], 365 * 99.0) is not None


def test_forecast_past_the_calendar_is_no_forecast() -> None:
    late = forecast.LATEST_MOMENT - DAY
    assert forecast.forecast_due([(late - DAY, 0.0), (late, 1.0)], 5.0) is None


@settings(max_examples=80, deadline=None)
@given(moment=st.integers(0, 4_102_444_800),
       zone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York"]))
def test_wire_text_round_trips(moment: int, zone: str) -> None:
    clock.set_local_zone(zone)
    text = clock.format_wire(moment)
    back = clock.parse_wire(text)
    # Equal, except for the second pass through an ambiguous hour (fall back), which reads
    # as the earlier one; the text is the same either way.
    assert back in (moment, moment - 3600)
    assert clock.format_wire(back) == text


@settings(max_examples=80, deadline=None)
@given(civil=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)),
       zone=st.sampled_from(["Europe/Berlin", "America/New_York"]))
def test_from_local_never_moves_backward(civil: datetime, zone: str) -> None:
    clock.set_local_zone(zone)
    civil = civil.replace(microsecond=0)
    shown = clock.to_local(clock.from_local(civil)).replace(tzinfo=None)
    assert shown == civil or shown - civil == timedelta(hours=1)  # a gap time moves forward


@settings(max_examples=80, deadline=None)
@given(moment=st.integers(-2_000_000_000, 8_000_000_000),
       zone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York"]))
def test_to_local_equals_fromtimestamp_and_works_before_1970(moment: int, zone: str) -> None:
    clock.set_local_zone(zone)
    got = clock.to_local(moment)
    want = datetime.fromtimestamp(moment, clock.local_zone())
    assert (got, got.utcoffset(), got.fold) == (want, want.utcoffset(), want.fold)
    assert clock.format_wire(clock.parse_wire(clock.format_wire(moment))) == \
        clock.format_wire(moment)


def test_handled_on_time_by_the_due_moment_and_not_for_an_ignore() -> None:
    from mixtimer_gui.domain.status import handled_on_time

    assert handled_on_time(100, 100, 0) is True  # at the due moment is on time
    assert handled_on_time(101, 100, 0) is False
    assert handled_on_time(50, None, 0) is None  # nothing was due
    assert handled_on_time(50, 100, 1) is None  # skipped, not done
