"""A simulated meter: cumulative readings taken at the end of each day shift, a little less
at weekends, a reading now and then forgotten."""

from __future__ import annotations

import random
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import timedelta

from mixtimer_gui.demo.catalogue import Meter
from mixtimer_gui.demo.timeline import HISTORY_DAYS, ONE_DAY, local_day, local_midnight


@dataclass
class DemoMeter:
    """A statistic with its readings; answers what the services' queries would."""

    uid: str
    name: str
    unit: str
    description: str
    created: int
    times: array  # reading moments, ascending
    values: array  # cumulative, non-decreasing

    def value_at(self, moment: int) -> float:
        i = bisect_right(self.times, moment)
        return self.values[i - 1] if i else 0.0

    def readings(self, since: int, until: int) -> list[tuple[int, float]]:
        lo, hi = bisect_left(self.times, since), bisect_right(self.times, until)
        return list(zip(self.times[lo:hi], self.values[lo:hi], strict=True))

    def daily_rate(self) -> float:
        span = (self.times[-1] - self.times[0]) / ONE_DAY if len(self.times) > 1 else 0
        return (self.values[-1] - self.values[0]) / span if span > 0 else 1.0


def build_meter(owner: str, meter: Meter, rng: random.Random, uid: str, now: int) -> DemoMeter:
    """The meter ``meter`` on the object named ``owner``, read daily until ``now``."""
    # Readings begin before any project can start, so every cycle has a starting value.
    first_day = local_day(now - (HISTORY_DAYS + 60) * ONE_DAY)
    days = (local_day(now) - first_day).days
    low, high = meter.daily
    rate = rng.uniform(low, high)
    value = float(round(rng.uniform(200 * rate, 2000 * rate), meter.decimals))
    times, values = array("q"), array("d")
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        moment = local_midnight(day) + 20 * 3600  # read at the end of the day shift
        if moment > now:
            break
        weekend = 0.35 if day.weekday() >= 5 else 1.0
        value = round(value + rate * weekend * rng.uniform(0.6, 1.3), meter.decimals)
        if rng.random() < 0.08:  # nobody read the meter that day
            continue
        times.append(moment)
        values.append(value)
    created = local_midnight(first_day) - rng.randrange(1, 10) * ONE_DAY  # before its readings
    return DemoMeter(uid, f"{owner}{meter.name}", meter.unit,
                     f"{owner}的累计{meter.name},每日交班时抄表", created, times, values)

