"""The span of the demo's history, and moments on the local calendar: days, midnights, the
working day a handle is recorded in."""

from __future__ import annotations

import random
from datetime import date, datetime

from mixtimer_gui.domain import clock

ONE_DAY = 86_400  # seconds; not ``cycles.DAY``, which is the unit 日
HISTORY_DAYS = 730  # two years of handles before now


def local_midnight(day: date) -> int:
    return clock.from_local(datetime(day.year, day.month, day.day))


def local_day(moment: int) -> date:
    return clock.to_local(moment).date()


class WorkHours:
    """Moves a moment into the working day (08:00–17:30) of its local date; cached per day
    because a million handles would otherwise spend seconds in time-zone arithmetic."""

    def __init__(self) -> None:
        self._midnights: dict[date, int] = {}

    def snap(self, moment: int, rng: random.Random) -> int:
        day = local_day(moment)
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = local_midnight(day)
        return midnight + 8 * 3600 + rng.randrange(0, int(9.5 * 3600))
