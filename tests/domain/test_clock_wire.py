"""``clock.format_wire`` (a table of offsets per hour + arithmetic) against the code it
replaced, kept here as the oracle: the same text for every moment, in zones with DST, half-hour
DST, quarter-hour offsets and offset changes that fall on odd seconds."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import clock

ZONES = ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
         "Asia/Kathmandu",
         # offset changes off the quarter hour: 00:01 local, 1976 at :01, -0:44:30 until 1972
         "America/St_Johns", "Pacific/Guam", "Africa/Monrovia")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
YEAR_1000 = int((datetime(1000, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
YEAR_9999 = int((datetime(9999, 12, 31, tzinfo=UTC) - EPOCH).total_seconds())


def oracle(moment: int) -> str:
    """``format_wire`` as it was before the table (commit 45d7dac)."""
    if moment < 0:
        local = (EPOCH + timedelta(seconds=moment)).astimezone(clock.local_zone())
        return local.strftime(clock.WIRE_FORMAT)
    return datetime.fromtimestamp(moment, clock.local_zone()).isoformat(" ", "seconds")[:19]


def offset(zone: tzinfo, moment: int) -> timedelta:
    return (EPOCH + timedelta(seconds=moment)).astimezone(zone).utcoffset() or timedelta()


def changes(zone: tzinfo, first_year: int, last_year: int) -> list[int]:
    """Each moment the zone's offset changes, found independently of clock's table: a
    walk by 6 hours, then bisection to the second."""
    found = []
    moment = int((datetime(first_year, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    end = int((datetime(last_year, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    step = 86400
    while moment < end:
        if offset(zone, moment) != offset(zone, moment + step):
            low, high = moment, moment + step
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(zone, middle) == offset(zone, low) \
                    else (low, middle)
            found.append(high)
        moment += step
    return found


@settings(max_examples=600, deadline=None)
@given(zone=st.sampled_from(ZONES),
       moment=st.one_of(st.integers(-5_000_000_000, 5_000_000_000),
                        st.integers(YEAR_1000 - 3 * 86400, YEAR_9999 - 86400)))
def test_the_same_text_as_fromtimestamp_for_any_moment(zone: str, moment: int) -> None:
    clock.set_local_zone(zone)
    assert clock.format_wire(moment) == oracle(moment)


@pytest.mark.parametrize("zone", ZONES)
def test_the_same_text_around_every_change_of_offset(zone: str) -> None:
    clock.set_local_zone(zone)
    moments = changes(ZoneInfo(zone), 1890, 2045)
    assert moments, "every zone here changed its offset at least once"
    for change in moments:
        for moment in range(change - 2, change + 3):
            assert clock.format_wire(moment) == oracle(moment), (zone, moment)


def test_a_new_zone_is_used_at_once() -> None:
    moment = 1_700_000_000
    clock.set_local_zone("Asia/Shanghai")
    assert clock.format_wire(moment) == "2023-11-15 06:13:20"
    clock.set_local_zone("America/New_York")
    assert clock.format_wire(moment) == "2023-11-14 17:13:20"
    clock.set_local_zone(timezone(timedelta(hours=5, minutes=30)))
    assert clock.format_wire(moment) == "2023-11-15 03:43:20"


def test_zones_it_cannot_tabulate_and_odd_moments_take_the_exact_way() -> None:
    clock.set_local_zone(timezone(timedelta(hours=1, microseconds=500_000)))
    assert clock.format_wire(1_700_000_000) == oracle(1_700_000_000)
    clock.set_local_zone("Asia/Shanghai")
    for moment in (YEAR_1000 - 86400 * 400, 0, -1, True, 1_700_000_000.9):
        assert clock.format_wire(moment) == oracle(moment)  # type: ignore[arg-type]
    assert clock.format_wire(None) == ""
    with pytest.raises((OverflowError, ValueError, OSError)):
        clock.format_wire(10**12 * 400)


# -- the claim the table rests on -----------------------------------------------------------

ZONEINFO = Path("/usr/share/zoneinfo")


def tzif_changes(path: Path) -> list[int]:
    """The moments a TZif file (version 2+, 64-bit part) changes its zone's UTC offset."""
    data = path.read_bytes()
    if data[:4] != b"TZif" or data[4:5] == b"\0":
        return []
    counts = struct.unpack(">6l", data[20:44])
    isut, isstd, leap, times, types, chars = counts
    at = 44 + times * 5 + types * 6 + chars + leap * 8 + isstd + isut
    isut, isstd, leap, times, types, chars = struct.unpack(">6l", data[at + 20:at + 44])
    at += 44
    moments = struct.unpack(f">{times}q", data[at:at + 8 * times])
    indexes = data[at + 8 * times:at + 9 * times]
    at += 9 * times
    offsets = [struct.unpack(">l", data[at + 6 * i:at + 6 * i + 4])[0] for i in range(types)]
    found, previous = [], offsets[0] if offsets else 0
    for moment, index in zip(moments, indexes, strict=True):
        if offsets[index] != previous:
            found.append(moment)
        previous = offsets[index]
    return found


@pytest.mark.skipif(not ZONEINFO.is_dir(), reason="no system tz database to read")
def test_no_zone_changes_its_offset_twice_within_six_hours() -> None:
    closest, read = 10**12, 0
    for path in ZONEINFO.rglob("*"):
        if not path.is_file() or {"posix", "right"} & set(path.parts):
            continue
        try:
            moments = tzif_changes(path)
        except (OSError, struct.error):
            continue
        read += 1
        for earlier, later in pairwise(moments):
            closest = min(closest, later - earlier)
    assert read > 300
    assert closest > 6 * 3600  # the span of clock's table
