"""Words for values: domain values (Chinese on the wire) shown through translation, due dates
in words ("due in 3 days", "overdue by 2 days"), cycles ("every 2 days"), numbers.

Source strings are English; the zh_CN translation gives back the supervisor's words
(正常, 3 天后到期, 每 2 日). Functions here are not methods of a QObject, so they translate in
the "Humanize" context with literal strings that lupdate can find.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from mixtimer_gui.domain import clock, cycles, status
from mixtimer_gui.gui import theme

CONTEXT = "Humanize"

_DOMAIN_WORDS: dict[str, str] = {
    status.NORMAL: QT_TRANSLATE_NOOP("Humanize", "Normal"),
    status.DUE_SOON: QT_TRANSLATE_NOOP("Humanize", "Due soon"),
    status.DUE: QT_TRANSLATE_NOOP("Humanize", "Overdue"),
    status.NOT_STARTED: QT_TRANSLATE_NOOP("Humanize", "Not started"),
    cycles.NATURAL: QT_TRANSLATE_NOOP("Humanize", "Calendar cycle"),
    cycles.STATISTIC: QT_TRANSLATE_NOOP("Humanize", "Meter cycle"),
    cycles.STATISTIC_SYNONYM: QT_TRANSLATE_NOOP("Humanize", "Meter cycle"),
    cycles.FIRST: QT_TRANSLATE_NOOP("Humanize", "Whichever comes first"),
    cycles.BY_TIME: QT_TRANSLATE_NOOP("Humanize", "by time"),
    cycles.BY_METER: QT_TRANSLATE_NOOP("Humanize", "by meter"),
    cycles.BY_COMPLETION: QT_TRANSLATE_NOOP("Humanize", "From completion"),
    cycles.BY_PLAN: QT_TRANSLATE_NOOP("Humanize", "Fixed plan"),
    cycles.HOUR: QT_TRANSLATE_NOOP("Humanize", "hour"),
    cycles.DAY: QT_TRANSLATE_NOOP("Humanize", "day"),
    cycles.WEEK: QT_TRANSLATE_NOOP("Humanize", "week"),
    cycles.MONTH: QT_TRANSLATE_NOOP("Humanize", "month"),
    cycles.YEAR: QT_TRANSLATE_NOOP("Humanize", "year"),
    "忽略": QT_TRANSLATE_NOOP("Humanize", "Ignored"),
    "异常": QT_TRANSLATE_NOOP("Humanize", "Abnormal"),
}

STATUS_ORDER = (status.DUE, status.DUE_SOON, status.NORMAL, status.NOT_STARTED)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def domain_label(value: str | None) -> str:
    """A wire value such as 正常 or 自然时间周期 in the current language; unknown text as is."""
    if not value:
        return ""
    words = _DOMAIN_WORDS.get(value)
    return _tr(words) if words else value


def abnormal_label() -> str:
    """有异常: a record whose checklist found an 异常 check or a value out of limits."""
    return _tr("Abnormal")


def status_label(value: str | None) -> str:
    return domain_label(value)


def status_colors(value: str | None) -> tuple[QColor, QColor]:
    """(background, foreground) of a status badge: green / amber / red / grey, the theme's."""
    value = value if value in status.STATUSES else status.NOT_STARTED
    return theme.status_background(value), theme.status_color(value)


def number(value: Any) -> str:
    """``12.0`` → ``12``; ``12.5`` stays; ``None`` → ``""``; thousands are not grouped."""
    if value is None or value == "":
        return ""
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return str(value)
    if as_float.is_integer() and abs(as_float) < 1e15:
        return str(int(as_float))
    return f"{as_float:.6g}" if abs(as_float) >= 1e6 else f"{as_float:.2f}".rstrip("0")


def money(value: Any) -> str:
    try:
        return f"{float(value or 0):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _days_between(due_at: int, now: int) -> int:
    return (clock.to_local(due_at).date() - clock.to_local(now).date()).days


def due_in_words(due_at: str | int | None, now: int) -> str:
    """"due in 3 days" / "due today" / "overdue by 2 days" on the local calendar."""
    if due_at in (None, ""):
        return ""
    moment = clock.parse_wire(due_at) if isinstance(due_at, str) else due_at
    days = _days_between(moment, now)
    if days > 0:
        return QCoreApplication.translate(CONTEXT, "due in %n day(s)", None, days)
    if days < 0:
        return QCoreApplication.translate(CONTEXT, "overdue by %n day(s)", None, -days)
    if moment >= now:
        return QCoreApplication.translate(CONTEXT, "due today")
    return QCoreApplication.translate(CONTEXT, "overdue since today")


def due_moment(record: dict) -> str:
    """When a task comes due, as wire time: a whichever-first task by its meter has that
    limit's moment (``due_value_at``); every other one its ``due_at``."""
    if record.get("due_by") == cycles.BY_METER and record.get("due_value_at"):
        return str(record["due_value_at"])
    return str(record.get("due_at") or "")


def with_due_by(text: str, record: dict) -> str:
    """``text`` followed by which limit of a whichever-first task is due: (按读数)."""
    due_by = record.get("due_by")
    if not due_by or not text:
        return text
    return f"{text} ({domain_label(due_by)})"


def cycle_label(record: dict, statistic_unit: str = "") -> str:
    """"every 2 days" for a calendar cycle, "every 25 h" for a meter cycle, "every 6
    months or 500 h" for a whichever-first one."""
    count = int(record.get("period_num") or 0)
    if cycles.is_first(record.get("cycle_type")):
        calendar = cycle_label({**record, "cycle_type": cycles.NATURAL})
        meter = f"{number(record.get('statistics_period_num'))} {statistic_unit}".strip()
        return QCoreApplication.translate(CONTEXT, "%1 or %2, whichever first").replace(
            "%1", calendar).replace("%2", meter)
    if cycles.is_statistic(record.get("cycle_type")):
        unit = statistic_unit  # never the statistic's uid: a code is no unit
        return QCoreApplication.translate(CONTEXT, "every %1 %2").replace(
            "%1", str(count)).replace("%2", unit).strip()
    unit = record.get("period_unit")
    if unit == cycles.HOUR:
        return QCoreApplication.translate(CONTEXT, "every %n hour(s)", None, count)
    if unit == cycles.DAY:
        return QCoreApplication.translate(CONTEXT, "every %n day(s)", None, count)
    if unit == cycles.WEEK:
        return QCoreApplication.translate(CONTEXT, "every %n week(s)", None, count)
    if unit == cycles.MONTH:
        return QCoreApplication.translate(CONTEXT, "every %n month(s)", None, count)
    if unit == cycles.YEAR:
        return QCoreApplication.translate(CONTEXT, "every %n year(s)", None, count)
    return f"{count} {unit or ''}".strip()


def notice_label(record: dict) -> str:
    """"3 days before" / "1 month before" / "at due time": a project's notice in words."""
    count = int(record.get("notice_num") or 0)
    if count <= 0:
        return QCoreApplication.translate(CONTEXT, "at due time")
    unit = record.get("notice_unit") or cycles.DAY
    if unit == cycles.MONTH:
        return QCoreApplication.translate(CONTEXT, "%n month(s) before", None, count)
    if unit == cycles.DAY:
        return QCoreApplication.translate(CONTEXT, "%n day(s) before", None, count)
    return f"{count} {domain_label(unit)}".strip()  # no other unit passes the rules


def short_time(wire_time: str | None) -> str:
    """``2024-05-11 09:00:00`` → ``2024-05-11 09:00`` (seconds are noise in a list)."""
    return (wire_time or "")[:16]


def local_date(moment: int) -> date:
    return clock.to_local(moment).date()
