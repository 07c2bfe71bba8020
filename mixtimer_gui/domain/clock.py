"""Time: the injected clock, the workstation's zone, and the wire format.

Inside, every moment is an ``int`` of UTC epoch seconds. The wire and the screen use local
civil time ``YYYY-MM-DD HH:MM:SS`` in the workstation's zone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WIRE_FORMAT = "%Y-%m-%d %H:%M:%S"


class Clock(Protocol):
    def now(self) -> int:
        """The current moment in UTC epoch seconds."""
        ...


class SystemClock:
    def now(self) -> int:
        return int(time.time())


class FakeClock:
    """A clock for tests: time moves only when told to."""

    def __init__(self, start: int | datetime = 1_700_000_000) -> None:
        self._now = start if isinstance(start, int) else int(start.timestamp())

    def now(self) -> int:
        return self._now

    def set(self, moment: int | datetime) -> None:
        self._now = moment if isinstance(moment, int) else int(moment.timestamp())

    def advance(self, seconds: float = 0, **kwargs: float) -> int:
        self._now += int(seconds + timedelta(**kwargs).total_seconds())
        return self._now


_zone: tzinfo | None = None


def local_zone() -> tzinfo:
    """The workstation's zone, with its DST rules when the system exposes them."""
    global _zone
    if _zone is None:
        _zone = _detect_zone()
    return _zone


def set_local_zone(zone: tzinfo | str | None) -> None:
    """Override the zone (tests, or a user setting); ``None`` goes back to detection."""
    global _zone
    _zone = ZoneInfo(zone) if isinstance(zone, str) else zone


def local_zone_name() -> str | None:
    """The IANA name of ``local_zone()`` (``Asia/Shanghai``) when it can be told reliably:
    a ``ZoneInfo`` by name, or ``/etc/localtime`` as a link into a zoneinfo folder; else
    ``None`` (a fixed offset, a copied file)."""
    zone = local_zone()
    key = getattr(zone, "key", None) if isinstance(zone, ZoneInfo) else None
    if key and key != "localtime":
        return key
    if key == "localtime":
        try:
            target = str(Path("/etc/localtime").resolve(strict=True))
        except OSError:
            return None
        marker = "/zoneinfo/"
        if marker in target:
            return target.split(marker, 1)[1].removeprefix("posix/") or None
    if zone is UTC:
        return "UTC"
    return None


def _detect_zone() -> tzinfo:
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    if localtime.exists():
        try:
            with localtime.open("rb") as fh:
                return ZoneInfo.from_file(fh, key="localtime")
        except (OSError, ValueError):
            pass
    # Windows without tzdata: a fixed offset is the best the standard library offers.
    return datetime.now().astimezone().tzinfo or UTC


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_local(moment: int) -> datetime:
    """An epoch moment as an aware datetime in the local zone.

    Computed from the epoch rather than with ``fromtimestamp``, which raises ``OSError`` on
    Windows for moments before 1970 (a reading dated 1969 must still display there)."""
    return (_EPOCH + timedelta(seconds=moment)).astimezone(local_zone())


def local_dates(moments: Iterable[int]) -> list[date]:
    """The local date of each moment, as ``to_local(m).date()`` but ~3× faster for the
    thousands a calendar month holds: ``fromtimestamp`` runs in C. It raises on Windows for
    moments before 1970, which take ``to_local``."""
    zone = local_zone()
    return [datetime.fromtimestamp(m, zone).date() if m >= 0 else to_local(m).date()
            for m in moments]


def from_local(civil: datetime) -> int:
    """A naive local civil datetime to epoch seconds (the earlier reading of an ambiguous time;
    a time inside a DST gap moves forward by the gap, as wall clocks do)."""
    zone = local_zone()
    aware = civil.replace(tzinfo=zone, fold=0)
    moment = int(aware.timestamp())
    if to_local(moment).replace(tzinfo=None) != civil.replace(microsecond=0):
        # Nonexistent local time (spring forward): the two readings straddle the gap; the
        # later one is where a wall clock that jumped forward shows the same distance.
        moment = max(moment, int(civil.replace(tzinfo=zone, fold=1).timestamp()))
    return moment


def format_wire(moment: int | None) -> str:
    """Epoch → ``YYYY-MM-DD HH:MM:SS`` local; ``None`` → ``""`` (the wire's "no time")."""
    if moment is None:
        return ""
    # Every time of every list record passes here (three per handle): the zone's offset
    # comes from a table of six-hour spans and the text from arithmetic, ~3× faster than
    # fromtimestamp + isoformat, with the same text (tests/domain/test_clock_wire.py).
    if type(moment) is not int or not _FAST_FIRST <= moment < _FAST_END:
        return _format_wire_exact(moment)
    zone = _zone or local_zone()
    spans = _span_offsets.get(zone)
    if spans is None:
        spans = _offsets_of(zone) if zone not in _span_offsets else None
        if spans is None:  # a zone the table cannot describe
            return _format_wire_exact(moment)
    span = moment // _SPAN
    entry = spans.get(span)
    if entry is None:
        entry = _offset_entry(zone, spans, span)
    local = moment + (entry if type(entry) is int else
                      entry[1] if moment < entry[0] else entry[2])
    day, second = divmod(local, _DAY)
    minute, second = divmod(second, 60)
    return (_day_texts.get(day) or _day_text(day)) + _CLOCK_MINUTES[minute] + _SECONDS[second]


def _format_wire_exact(moment: int) -> str:
    """``format_wire`` the slow way, for the moments and zones its table does not cover."""
    if moment < 0:  # fromtimestamp raises on Windows before 1970 (see to_local)
        return to_local(moment).strftime(WIRE_FORMAT)
    # fromtimestamp and isoformat run in C, twice as fast as to_local + strftime, and give
    # the same text from 1970 on.
    return datetime.fromtimestamp(moment, local_zone()).isoformat(" ", "seconds")[:19]


# The table: for each zone, for each six hours of UTC asked, the offset in seconds, or
# ``(switch, before, after)`` when it changes within them: ``before`` for moments before
# ``switch``, ``after`` from it. Six hours hold at most one change: in the tz database the
# closest two changes of one zone are 4 days apart (Africa/Freetown, 1939;
# tests/domain/test_clock_wire.py checks the system's data), while changes fall on any
# second (Pacific/Guam 1976 at :01, Newfoundland 00:01 until 1993, Africa/Monrovia's
# -0:44:30 until 1972), so quarter-hour buckets would be wrong; spans are split by bisection.
_SPAN, _DAY = 6 * 3600, 86400
_TABLE_LIMIT = 50_000  # spans (34 years) or days kept before starting over: a few MB at most
# Years 1000–9999 locally (a day of margin for the offset): strftime writes years before
# 1000 without their leading zeros on glibc, and datetime ends in 9999.
_FAST_FIRST = int((datetime(1000, 1, 2, tzinfo=UTC) - _EPOCH).total_seconds())
_FAST_END = int((datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH).total_seconds())
_EPOCH_ORDINAL = _EPOCH.toordinal()
_CLOCK_MINUTES = tuple(f" {m // 60:02d}:{m % 60:02d}:" for m in range(24 * 60))
_SECONDS = tuple(f"{s:02d}" for s in range(60))

Offsets = dict[int, int | tuple[int, int, int]]
_span_offsets: dict[tzinfo, Offsets | None] = {}
_day_texts: dict[int, str] = {}


def _offsets_of(zone: tzinfo) -> Offsets | None:
    """The zone's table, new; ``None`` for a zone it cannot describe (a tzinfo of unknown
    kind, or one whose offsets are not whole seconds)."""
    if len(_span_offsets) > 16:  # zones come and go only in tests
        _span_offsets.clear()
    usable = isinstance(zone, ZoneInfo | timezone) and all(
        _offset_at(zone, moment) is not None for moment in (0, _FAST_FIRST, _FAST_END))
    table: Offsets | None = {} if usable else None
    _span_offsets[zone] = table
    return table


def _offset_at(zone: tzinfo, moment: int) -> int | None:
    offset = (_EPOCH + timedelta(seconds=moment)).astimezone(zone).utcoffset()
    if offset is None or offset.microseconds:
        return None
    return offset.days * _DAY + offset.seconds


def _offset_entry(zone: tzinfo, spans: Offsets, span: int) -> int | tuple[int, int, int]:
    first = span * _SPAN
    before, after = _offset_at(zone, first), _offset_at(zone, first + _SPAN - 1)
    if before is None or after is None:  # a zone whose offsets are not whole seconds
        raise ValueError(f"zone {zone} has an offset in fractions of a second")
    entry: int | tuple[int, int, int] = _shared_offsets.setdefault(before, before)
    if before != after:  # the first moment of the span with the new offset
        low, high = first, first + _SPAN - 1
        while high - low > 1:
            middle = (low + high) // 2
            if _offset_at(zone, middle) == before:
                low = middle
            else:
                high = middle
        entry = (high, before, after)
    if len(spans) >= _TABLE_LIMIT:
        spans.clear()
    spans[span] = entry
    return entry


_shared_offsets: dict[int, int] = {}  # one int object per offset: the table stays small


def _day_text(day: int) -> str:
    if len(_day_texts) >= _TABLE_LIMIT:
        _day_texts.clear()
    text = _day_texts[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat()
    return text


def parse_wire(text: str) -> int:
    """``YYYY-MM-DD HH:MM:SS``, ``YYYY-MM-DD HH:MM`` or ``YYYY-MM-DD`` (midnight) → epoch.

    Raises ``ValueError`` for anything else; callers turn it into a field message.
    """
    text = text.strip()
    for fmt in (WIRE_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            civil = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return from_local(civil)
    raise ValueError(f"not a time: {text!r}")
