"""Statistic forecast: when will a meter reach its threshold?

The usage rate is the least-squares slope of the readings of the last 30 days before the
latest reading (a straight line through the points; robust to one odd reading, unlike
first/last). With fewer than two readings in that window, or a rate that is not positive,
there is no forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

WINDOW_SECONDS = 30 * 86400
# A forecast further out than a plan's longest period (100 years), or past what the calendar
# can show, is no forecast: a meter that barely moves must not produce year 800000.
HORIZON_SECONDS = 100 * 366 * 86400
LATEST_MOMENT = int(datetime(9000, 1, 1, tzinfo=UTC).timestamp())


def usage_rate(readings: Sequence[tuple[int, float]]) -> float | None:
    """Units per second from ``(moment, value)`` readings sorted by moment, or ``None``."""
    if len(readings) < 2:
        return None
    latest = readings[-1][0]
    window = [(t, v) for t, v in readings if t >= latest - WINDOW_SECONDS]
    if len(window) < 2:
        window = list(readings[-2:])
    n = len(window)
    mean_t = sum(t for t, _ in window) / n
    mean_v = sum(v for _, v in window) / n
    var_t = sum((t - mean_t) ** 2 for t, _ in window)
    if var_t == 0:
        return None
    slope = sum((t - mean_t) * (v - mean_v) for t, v in window) / var_t
    return slope if slope > 0 else None


def forecast_due(readings: Sequence[tuple[int, float]], due_value: float) -> int | None:
    """The moment the meter is expected to reach ``due_value``; ``None`` if unknown."""
    if not readings:
        return None
    last_t, last_v = readings[-1]
    if last_v >= due_value:
        return last_t
    rate = usage_rate(readings)
    if rate is None:
        return None
    seconds = (due_value - last_v) / rate
    if seconds > HORIZON_SECONDS or last_t + seconds > LATEST_MOMENT:
        return None
    return int(last_t + seconds)


def reached_at(readings: Sequence[tuple[int, float]], since: int, due_value: float) -> int | None:
    """The moment of the first reading at or after ``since`` that is ≥ ``due_value``."""
    for t, v in readings:
        if t >= since and v >= due_value:
            return t
    return None
