"""Cell values shared by export and import: formula neutralising, numbers, times, lists.

Spreadsheets run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some also one that
begins with a tab or a carriage return) as a formula, so text written by a client could run in
the supervisor's Excel. Such cells get a leading ``'``; a cell that already begins with quotes
before one of those characters gets one more, so the importer can always take exactly one off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mixtimer_gui.domain.clock import format_wire, local_zone

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"
LIST_SEPARATOR = ";"
_CACHE_LIMIT = 20_000


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet (reversed by :func:`restore`)."""
    if text and (text[0] in FORMULA_STARTS
                 or (text[0] == QUOTE and text.lstrip(QUOTE)[:1] in FORMULA_STARTS)):
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """The text a neutralised cell stood for; other cells are returned unchanged."""
    if len(text) > 1 and text[0] == QUOTE:
        rest = text.lstrip(QUOTE)
        if rest and rest[0] in FORMULA_STARTS:
            return text[1:]
    return text


def plain_number(value: float | int | None) -> str:
    """A number as a spreadsheet reads it: ``12``, ``0.5``, never ``1e-05`` or ``12.0``."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


class PlainNumber(float):
    """A float that ``csv`` writes bare (it is a number) and as :func:`plain_number` text."""

    def __str__(self) -> str:
        return plain_number(float(self))

    __repr__ = __str__


class ListJoiner:
    """A stored JSON list (``["张三", "李四"]``) as readable text (``张三;李四``).

    Handler lists repeat a lot, so each distinct stored text is joined once (bounded cache).
    The result is not neutralised: the caller treats it as any other text cell.
    """

    def __init__(self) -> None:
        self._cache: dict[str, str] = {"[]": "", "": ""}

    def __call__(self, stored: str | None) -> str:
        if stored is None:
            return ""
        joined = self._cache.get(stored)
        if joined is None:
            joined = self._join(stored)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache = {"[]": "", "": ""}
            self._cache[stored] = joined
        return joined

    @staticmethod
    def _join(stored: str) -> str:
        try:
            items = json.loads(stored)
        except ValueError:
            return stored  # not JSON: show what is stored rather than lose it
        if not isinstance(items, list):
            return str(items)
        return LIST_SEPARATOR.join("" if item is None else str(item) for item in items)


class WireTimeFormatter:
    """``domain.clock.format_wire`` for many moments, without a datetime per call.

    The zone's UTC offset is looked up once per UTC day; a day with an offset change (DST)
    falls back to ``format_wire`` for each moment, so the text is always the same as
    ``format_wire`` gives. With ``as_bytes`` it gives that text UTF-8 encoded.
    """

    _CHANGES = object()

    def __init__(self, *, as_bytes: bool = False) -> None:
        self._zone = local_zone()
        self._encode: Callable[[str], Any] = str.encode if as_bytes else str
        self._empty = self._encode("")
        self._offsets: dict[int, Any] = {}
        self._days: dict[int, Any] = {}
        self._minutes = [self._encode(f"{m // 60:02d}:{m % 60:02d}:") for m in range(1440)]
        self._seconds = [self._encode(f"{s:02d}") for s in range(60)]

    def __call__(self, moment: int | None) -> Any:
        if moment is None:
            return self._empty
        utc_day = moment // 86400
        offset = self._offsets.get(utc_day)
        if offset is None:
            offset = self._offset_of_day(utc_day)
        if offset is self._CHANGES:
            return self._encode(format_wire(moment))
        day, second = divmod(moment + offset, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._day_prefix(day)
        return prefix + self._minutes[second // 60] + self._seconds[second % 60]

    def _offset_of_day(self, utc_day: int) -> Any:
        start = utc_day * 86400
        try:
            first = self._offset_at(start)
            last = self._offset_at(start + 86399)
        except (OverflowError, OSError, ValueError):
            first, last = 0, 1  # outside what datetime handles: let format_wire decide
        offset = first if first == last else self._CHANGES
        if len(self._offsets) > _CACHE_LIMIT:
            self._offsets.clear()
        self._offsets[utc_day] = offset
        return offset

    def _offset_at(self, moment: int) -> int:
        delta = datetime.fromtimestamp(moment, self._zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def _day_prefix(self, day: int) -> Any:
        prefix = self._encode(date.fromordinal(day + _EPOCH_ORDINAL).isoformat() + " ")
        if len(self._days) > _CACHE_LIMIT:
            self._days.clear()
        self._days[day] = prefix
        return prefix


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
