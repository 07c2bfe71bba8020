"""The maintenance calendar as an iCalendar file (RFC 5545), written with ``icalendar``.

One VEVENT per occurrence (``services.calendar``): it starts at the due moment, lasts an
hour, and carries a VALARM at the notice moment. Times are written in the workstation's zone
with a TZID and the matching VTIMEZONE (``add_missing_timezones``), so a calendar in another
zone shows the right moment. UIDs are stable (task + cycle), so a refresh updates events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from mixtimer_gui import __version__
from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.services.calendar import Occurrence

EVENT_LENGTH = timedelta(hours=1)
CALENDAR_NAME = "MixTimer 维保计划"


def _zone() -> ZoneInfo:
    """The local zone as an IANA zone (a VTIMEZONE needs its rules); UTC when unknown."""
    zone = clock_mod.local_zone()
    if isinstance(zone, ZoneInfo):
        return zone
    key = getattr(zone, "key", None) or getattr(zone, "zone", None)
    try:
        return ZoneInfo(str(key)) if key else ZoneInfo("UTC")
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def _event(item: Occurrence, zone: ZoneInfo, stamp: object) -> Event:
    due = clock_mod.to_local(item.due_at).astimezone(zone)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + EVENT_LENGTH)
    event.add("summary", f"{item.project_name} · {item.object_name}")
    text = f"维保计划:{item.project_name}\n对象:{item.object_name}"
    if item.guide:
        text += f"\n作业指导:{item.guide}"
    event.add("description", text)
    event.add("categories", ["维保"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"维保即将到期:{item.project_name} · {item.object_name}")
    alarm.add("trigger", timedelta(seconds=min(0, item.notice_at - item.due_at)))
    event.add_component(alarm)
    return event


def build_calendar(occurrences: Iterable[Occurrence], now: int) -> bytes:
    zone = _zone()
    calendar = Calendar()
    calendar.add("prodid", f"-//MixTimer GUI//{__version__}//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", zone.key)
    stamp = clock_mod.to_local(now).astimezone(ZoneInfo("UTC"))
    for item in occurrences:
        calendar.add_component(_event(item, zone, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
