"""Time: the injected clock, the workstation's zone, and the wire format.

Inside, every moment is an ``int`` of UTC epoch seconds. The wire and the screen use local
civil time ``YYYY-MM-DD HH:MM:SS`` in the workstation's zone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
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
    if moment < 0:  # fromtimestamp raises on Windows before 1970 (see to_local)
        return to_local(moment).strftime(WIRE_FORMAT)
    # Every time of every list record passes here: fromtimestamp and isoformat run in C,
    # twice as fast as to_local + strftime, and give the same text from 1970 on.
    return datetime.fromtimestamp(moment, local_zone()).isoformat(" ", "seconds")[:19]


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
