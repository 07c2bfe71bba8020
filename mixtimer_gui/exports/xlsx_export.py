"""Excel (.xlsx) export of handles, tasks and objects: typed cells, streamed, written atomically.

CSV cannot say "this is text": a spreadsheet reads a result of ``0012`` as 12, ``1e5`` as
100000 and ``2026-01-02`` as a date, and a cell guarded against formulas shows its
apostrophe. An .xlsx cell carries its type, so here text is always a text cell (exactly as
typed, never a formula, no apostrophe), numbers are numbers and moments are Excel date-times
with a display format (local time, as the window shows them).

Each sheet has a frozen Chinese header row, an autofilter over its rows and column widths
chosen per column. A sheet holds at most ``MAX_SHEET_ROWS`` rows (Excel's limit, header
included); further rows continue on a second sheet (``维保记录 (2)``), with its own header.

The data rows are deflated as they come into a temporary file (:class:`DeflatedRows`) and
put into the sheet's place in the zip when XlsxWriter closes the workbook; XlsxWriter's
``constant_memory`` mode keeps anything it writes itself flat too. So memory stays flat at
any size; the workbook is assembled into a temporary file beside the target and renamed
over it only when complete, as the CSV export does (a failed or cancelled export leaves no
file and an existing one intact).
"""

from __future__ import annotations

import math
import os
import queue
import re
import sys
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache, partial
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mixtimer_gui import files
from mixtimer_gui.domain.clock import local_zone
from mixtimer_gui.domain.status import handled_on_time
from mixtimer_gui.exports.cells import ListJoiner
from mixtimer_gui.exports.csv_export import (
    NO,
    YES,
    ChecklistSummaries,
    ExportCancelled,
    ExportResult,
    ImagePaths,
    _checked_target,
    _data_dir,
    _temporary_beside,
)
from mixtimer_gui.exports.sheets import (
    HANDLES,
    NUMBER,
    OBJECTS,
    TASKS,
    TEXT,
    TIME,
    Cell,
    Column,
    Sheet,
    object_fields,
    pages,
    task_fields,
)
from mixtimer_gui.services import Services
from mixtimer_gui.services.export_source import HandleExportSource

MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet, the header row included
ZIP_LEVEL = 1  # zlib's level for the workbook's zip: see quick_zip
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system (after 1900-03-01)

Progress = Callable[[int, int], None]



class ExcelTimes:
    """Epoch seconds → Excel serial date-times in local wall time, without a datetime per
    call: the zone's offset is looked up once per UTC day; a day with an offset change (DST)
    is looked up per moment."""

    _CHANGES = object()

    def __init__(self) -> None:
        self._zone = local_zone()
        self._offsets: dict[int, Any] = {}

    def __call__(self, moment: int | None) -> float | None:
        if moment is None:
            return None
        day = moment // 86400
        offset = self._offsets.get(day)
        if offset is None:
            offset = self._day_offset(day)
        if offset is self._CHANGES:
            offset = self._offset_at(moment)
        return (moment + offset) / 86400 + 25569  # 25569: the serial of 1970-01-01

    def _day_offset(self, day: int) -> Any:
        first, last = self._offset_at(day * 86400), self._offset_at(day * 86400 + 86399)
        offset = first if first == last else self._CHANGES
        if len(self._offsets) > 20_000:
            self._offsets.clear()
        self._offsets[day] = offset
        return offset

    def _offset_at(self, moment: int) -> int:
        delta = datetime.fromtimestamp(moment, self._zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0


def wire_time(text: str | None) -> float | None:
    """A wire moment (``2026-01-02 08:00:00``, local) as an Excel serial date-time."""
    if not text:
        return None
    return (datetime.fromisoformat(text) - _EXCEL_EPOCH).total_seconds() / 86400


class RowXml:
    """Data rows as sheet XML, a batch at a time, to be deflated into the sheet
    (:class:`DeflatedRows`): the cells XlsxWriter writes for the same values, read back the
    same.

    XlsxWriter spends about 13 µs of CPU on each cell (a call, a cell object, its XML built
    attribute by attribute), 20 times what a million-row export can afford. Here one
    ``str.format`` per row fills a template made once per pattern of empty cells, and each
    batch's text values are checked at once for anything a template cannot write as is
    (characters to escape, whitespace to keep, control characters, over-long text); only a
    batch that fails is looked at row by row, and only a row that fails is built cell by
    cell, escaped as XlsxWriter escapes (:meth:`careful_row`).

    Two differences from XlsxWriter's XML, both read back alike by Excel, LibreOffice and
    openpyxl (tests read both back):

    - a cell carries its reference (``r="B2"``) only after an empty cell; the others follow
      their left neighbour, as OOXML allows (ECMA-376 §18.3.1.4: ``r`` is optional) and as
      Microsoft's own exporters write. That halves the work of each row and shrinks the
      sheet by a sixth;
    - XlsxWriter writes a text that begins with ``<r>`` and ends with ``</r>`` unescaped,
      as rich-text markup; here it is text like any other, so it reads back as typed.
    """

    def __init__(self, columns: Sequence[Column], text_style: int, time_style: int) -> None:
        self._columns = tuple(columns)
        self._styles = {TEXT: f' s="{text_style}" t="inlineStr"', TIME: f' s="{time_style}"',
                        NUMBER: ""}
        self._pick_numbers = _picker([col for col, column in enumerate(self._columns)
                                      if column.kind != TEXT])
        self._pick_texts = _picker([col for col, column in enumerate(self._columns)
                                    if column.kind == TEXT])
        self._number_text = NumberText()
        self._templates: dict[tuple[bool, ...], tuple[bytes, Callable[..., Any]]] = {}

    def _start(self, col: int, after_gap: bool, number: str = "%d") -> str:
        """A cell's opening tag: its reference only where its left neighbour is missing."""
        ref = f' r="{xl_col_to_name(col)}{number}"' if after_gap else ""
        return f"<c{ref}{self._styles[self._columns[col].kind]}>"

    def _template(self, empty: tuple[bool, ...]) -> tuple[bytes, Callable[..., Any]]:
        """For a row whose cells ``empty`` are left out: its ``bytes %`` template, and what
        picks the template's values out of ``(row number, *cells)`` (the row number once
        for the row, and again for each cell after a gap)."""
        known = self._templates.get(empty)
        if known is not None:
            return known
        parts, plan, previous = ['<row r="%d">'], [0], -1
        for col, (column, left_out) in enumerate(zip(self._columns, empty, strict=True)):
            if left_out:
                continue
            gap = col != previous + 1
            start, previous = self._start(col, gap), col
            plan += [0, col + 1] if gap else [col + 1]
            if column.kind == TEXT:
                parts.append(f"{start}<is><t>%s</t></is></c>")
            elif column.kind == TIME:  # 17 digits read back exact, in 2/3 of repr()'s time
                parts.append(f"{start}<v>%.17g</v></c>")
            else:  # ints as str() writes them, floats as repr() does: both read back exact
                parts.append(f"{start}<v>%a</v></c>")
        parts.append("</row>")
        if len(self._templates) > 1000:
            self._templates.clear()
        known = ("".join(parts).encode(), itemgetter(*plan))
        self._templates[empty] = known
        return known

    def rows(self, rows: Sequence[Sequence[Cell]], first: int) -> bytes:
        """The XML of ``rows`` in UTF-8, the first being the sheet's row ``first``
        (1-based). Text comes best as UTF-8 bytes (``text_as_bytes``); text as ``str`` is
        encoded first."""
        plain = self._plain(rows)
        if not plain:
            rows = [_utf8(cells) for cells in rows]
            plain = self._plain(rows)
        if plain:
            template_of, empty_cell = self._template, _EMPTY_CELL
            parts = [template % values((number, *cells))
                     for number, cells in enumerate(rows, first)
                     for template, values in (template_of(tuple(map(empty_cell, cells))),)]
            if not parts or max(map(len, parts)) < _LONG_TEXT:  # no text too long for a cell
                return b"".join(parts)
        return b"".join(self._row(cells, number) for number, cells
                        in enumerate(rows, first))

    def _row(self, cells: Sequence[Cell], number: int) -> bytes:
        cells = _utf8(cells)
        if self._plain([cells]):
            template, values = self._template(tuple(map(_EMPTY_CELL, cells)))
            row = template % values((number, *cells))
            if len(row) < _LONG_TEXT:
                return row
        return self.careful_row(cells, number).encode()

    def _plain(self, rows: Sequence[Sequence[Cell]]) -> bool:
        """Whether the templates write ``rows`` as they are: every text UTF-8 bytes, none
        to escape (``&``, ``<``, ``>``, ``_x`` that looks like an OOXML escape), with a
        space at either end (``xml:space``) or with any other character that needs care
        (control characters, ``\\ufffe``, whitespace other than a space: none printable);
        every number and moment a finite int or float. Joined by ``<``, all the texts are
        searched at once: a ``<`` in a value shows in their number. (Text too long for a
        cell shows in the length of its row.)"""
        values = list(filter(None, chain.from_iterable(map(self._pick_texts, rows))))
        numbers = list(filter(None, chain.from_iterable(map(self._pick_numbers, rows))))
        try:
            texts = b"<".join(values).decode()
            total = sum(numbers)
        except (TypeError, UnicodeDecodeError):  # text as str, not UTF-8, or no number
            return False
        return (texts.count("<") == len(values) - 1 and ">" not in texts
                and "&" not in texts and "_x" not in texts and "< " not in texts
                and " <" not in texts and texts[:1] != " " and texts[-1:] != " "
                and texts.isprintable() and math.isfinite(total)
                and set(map(type, numbers)) <= _PLAIN_NUMBERS)

    def careful_row(self, cells: Sequence[Cell], number: int) -> str:
        """One row built cell by cell, escaped the way XlsxWriter escapes inline text."""
        parts, previous, row = [f'<row r="{number}">'], -1, str(number)
        for col, (column, value) in enumerate(zip(self._columns, cells, strict=True)):
            if _EMPTY_CELL(value):
                continue
            start, previous = self._start(col, col != previous + 1, row), col
            if column.kind == TEXT:
                text = inline_text(_text_of(value))
                space = ' xml:space="preserve"' if _EDGE_SPACE(text) else ""
                parts.append(f"{start}<is><t{space}>{xml_escape(text)}</t></is></c>")
            else:
                text = (self._number_text if column.kind == NUMBER else _time_text)(value)
                parts.append(f"{start}<v>{text}</v></c>")
        parts.append("</row>")
        return "".join(parts)


def _utf8(cells: Sequence[Cell]) -> tuple[Any, ...]:
    """``cells`` with text as UTF-8 (a lone surrogate, which no file can hold, as ``?``)."""
    return tuple(v.encode("utf-8", "replace") if isinstance(v, str) else v for v in cells)


def _text_of(value: Any) -> str:
    """A text cell's value as ``str``; bytes that are not UTF-8 keep what can be read."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class NumberText:
    """A number cell's value as XlsxWriter writes it (``.16G``): ``12``, ``0.5``,
    ``45605.66153935185``. Fees, counts and ids repeat, so each is formatted once (bounded
    cache); None (no cell) gives ``""``. Excel holds no infinite or undefined number, and
    XlsxWriter refuses one: so does this."""

    def __init__(self) -> None:
        self._texts: dict[Any, str] = {None: ""}

    def __call__(self, value: Any) -> str:
        text = self._texts.get(value)
        if text is None:
            text = self._text(value)
        return text

    def _text(self, value: Any) -> str:
        if not math.isfinite(value):
            raise ValueError(f"{value} is no number an Excel cell can hold")
        text = f"{value:.16G}"
        if len(self._texts) > 10_000:
            self._texts = {None: ""}
        self._texts[value] = text
        return text


def _time_text(value: float | None) -> str:
    """A date-time cell's serial number as XlsxWriter writes it; moments hardly repeat, so
    no cache."""
    if value is None:
        return ""
    if not math.isfinite(value):
        raise ValueError(f"{value} is no moment an Excel cell can hold")
    return f"{value:.16G}"


def _picker(columns: Sequence[int]) -> Callable[[Sequence[Cell]], Sequence[Cell]]:
    """The cells of ``columns`` out of a row, as a sequence, whatever their number."""
    if len(columns) > 1:
        return itemgetter(*columns)
    if columns:
        only = columns[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


_PLAIN_NUMBERS = {int, float}  # not bool: str() writes True, not 1
_EMPTY_CELL = frozenset({None, "", b""}).__contains__  # no cell is written for these
_LONG_TEXT = 16_384  # half of Excel's 32,767 UTF-16 units a cell: longer text needs a look
_EDGE_SPACE = re.compile(r"^\s|\s$").search
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_EXCEL_TEXT_LIMIT = 32_767


def inline_text(text: str) -> str:
    """``text`` as an inline cell holds it: at most 32,767 UTF-16 units, control
    characters as ``_xHHHH_`` and text that looks like such an escape escaped itself."""
    if len(text) > _LONG_TEXT - 1 and len(text.encode("utf-16-le")) // 2 > _EXCEL_TEXT_LIMIT:
        text = _utf16_truncated(text, _EXCEL_TEXT_LIMIT)
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _utf16_truncated(text: str, limit: int) -> str:
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > limit:
            return text[:index]
    return text


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SheetWriter:
    """Rows into a workbook, sheet after sheet: a new sheet (with its header) whenever one is
    full. Cells are written by their column's kind, never guessed from their value.

    XlsxWriter writes the workbook: styles, the header row, frozen panes, column widths, the
    autofilter, the zip. The data rows, as :class:`RowXml` makes them, are deflated as they
    come (``fast``) and put after the header row when the workbook closes (:meth:`close`):
    they never pass through XlsxWriter's row file, its copy of it into the sheet file, nor
    the zip's reading of that. That leans on one of XlsxWriter's internals
    (``_check_dimensions``, for the sheet's ``<dimension>``) and on the ``ZipFile`` it
    closes with; where they are missing (another XlsxWriter), or with ``fast=False``, each
    cell goes through XlsxWriter's own typed writers, as slow as they are.
    """

    def __init__(self, workbook: Any, sheet: Sheet, sheet_rows: int = MAX_SHEET_ROWS, *,
                 fast: bool = True) -> None:
        if sheet_rows < 2:
            raise ValueError("a sheet needs room for its header and a row")
        self._book = workbook
        self._sheet = sheet
        self._rows_per_sheet = sheet_rows
        self._header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7",
                                            "border": 1, "valign": "vcenter"})
        self._time = workbook.add_format({"num_format": TIME_FORMAT})
        self._text = workbook.add_format({"num_format": "@"})
        self._fast = fast
        self._xml: RowXml | None = None
        self._deflated: dict[str, DeflatedRows] = {}  # by the sheet's name in the zip
        self._rows_out: DeflatedRows | None = None
        self._worksheet: Any = None
        self._row = 0
        self.sheets = 0
        self.rows = 0

    def add(self, cells: Sequence[Cell]) -> None:
        self.add_rows([cells])

    def add_rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        while rows:
            if self._worksheet is None or self._row >= self._rows_per_sheet:
                self._next_sheet()
            room = self._rows_per_sheet - self._row
            part, rows = rows[:room], rows[room:]
            if self._xml is not None and self._rows_out is not None:
                self._rows_out.write(self._xml.rows(part, self._row + 1))
            else:
                for row, cells in enumerate(part, self._row):
                    self._write_cells(row, cells)
            self._row += len(part)
            self.rows += len(part)

    def _write_cells(self, row: int, cells: Sequence[Cell]) -> None:
        sheet, text_format, time_format = self._worksheet, self._text, self._time
        for col, (column, value) in enumerate(zip(self._sheet.columns, cells, strict=True)):
            if _EMPTY_CELL(value):
                continue
            kind = column.kind
            if kind == TEXT:
                sheet.write_string(row, col, _text_of(value), text_format)
            elif kind == NUMBER:
                sheet.write_number(row, col, value)
            else:
                sheet.write_number(row, col, value, time_format)

    def finish(self) -> None:
        """The autofilter of the last sheet; a sheet (with its header) even for no rows."""
        if self._worksheet is None:
            self._next_sheet()
        self._close_sheet()

    def close(self) -> None:
        """Finish and close the workbook, the deflated rows put in their sheets' places."""
        self.finish()
        with quick_zip(ZIP_LEVEL, self._deflated):
            self._book.close()
        self.discard()

    def discard(self) -> None:
        """The temporary files of the deflated rows (an unfinished export's too)."""
        for rows in self._deflated.values():
            rows.close()

    def _next_sheet(self) -> None:
        if self._worksheet is not None:
            self._close_sheet()
        self.sheets += 1
        name = self._sheet.name if self.sheets == 1 else f"{self._sheet.name} ({self.sheets})"
        sheet = self._book.add_worksheet(name)
        for col, column in enumerate(self._sheet.columns):
            cell_format = self._time if column.kind == TIME else (
                self._text if column.kind == TEXT else None)
            sheet.set_column(col, col, column.width, cell_format)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 20)
        for col, column in enumerate(self._sheet.columns):
            sheet.write_string(0, col, column.title, self._header)
        self._worksheet, self._row = sheet, 1
        self._rows_out = self._deflated_rows(sheet) if self._fast else None
        if self._rows_out is not None and self._xml is None:
            self._header._get_xf_index()  # numbered first, as XlsxWriter would number it
            self._xml = RowXml(self._sheet.columns, self._text._get_xf_index(),
                               self._time._get_xf_index())

    def _deflated_rows(self, sheet: Any) -> DeflatedRows | None:
        """Where the fast way deflates ``sheet``'s rows; None where this XlsxWriter cannot
        be told of them or closes with some other zip."""
        if not (callable(getattr(sheet, "_check_dimensions", None)) and _zip_swappable()):
            return None
        # XlsxWriter names the sheets in the zip by their order: sheet1.xml, sheet2.xml, …
        name = f"xl/worksheets/sheet{len(self._book.worksheets())}.xml"
        rows = self._deflated[name] = DeflatedRows()
        return rows

    def _close_sheet(self) -> None:
        last = max(self._row - 1, 0)
        if self._rows_out is not None and last > 0:
            # The sheet's <dimension>, and what tells XlsxWriter it has rows beyond the header.
            self._worksheet._check_dimensions(last, len(self._sheet.columns) - 1)
        self._worksheet.autofilter(0, 0, last, len(self._sheet.columns) - 1)
        if self._rows_out is not None:
            self._rows_out.finish()  # a full sheet's deflating ends now, not at the close


class DeflatedRows:
    """A sheet's data rows (XML in UTF-8), deflated at zip ``level`` as they come into an
    anonymous temporary file, with what the zip needs of them: their CRC-32 and length.

    The deflating runs on a thread of its own: zlib lets go of the interpreter while it
    works, so on a second core it costs the export hardly any time (a seventh of it on
    one core). At most two batches wait for it, which keeps memory flat; what goes wrong
    there is raised by the next ``write`` or by ``finish``.

    The stream ends on a sync flush, not a final block, so that it can be put between the
    deflated XML before and after the rows: each part begins on a byte boundary with a
    block of its own and refers back only into itself, which makes the three one valid
    deflate stream (RFC 1951 §3.2.3)."""

    def __init__(self, level: int = ZIP_LEVEL) -> None:
        # Anonymous: gone with the process, however the export ends.
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - kept open, closed by close()
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.crc = 0
        self.size = 0
        self._waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._failure: BaseException | None = None
        self._ended = False
        self._worker = threading.Thread(target=self._deflate_all, name="xlsx-deflate",
                                        daemon=True)
        self._worker.start()

    def write(self, xml: bytes) -> None:
        if self._failure is not None:
            raise self._failure
        self._waiting.put(xml)

    def finish(self) -> None:
        """Every row deflated and the stream flushed; raises what went wrong on the way."""
        if not self._ended:
            self._ended = True
            self._waiting.put(None)
        self._worker.join()
        if self._failure is not None:
            raise self._failure

    def _deflate_all(self) -> None:
        try:
            while (xml := self._waiting.get()) is not None:
                self.crc = zlib.crc32(xml, self.crc)
                self.size += len(xml)
                self._file.write(self._deflate.compress(xml))
            self._file.write(self._deflate.flush(zlib.Z_SYNC_FLUSH))
        except BaseException as failure:  # handed to the writing thread, raised there
            self._failure = failure
            while self._waiting.get() is not None:  # no writer may wait on a full queue
                pass

    def deflated(self, chunk: int = 1 << 20) -> Iterator[bytes]:
        self._file.seek(0)
        while data := self._file.read(chunk):
            yield data

    def inflated(self) -> Iterator[bytes]:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        for data in self.deflated():
            yield inflate.decompress(data)

    def close(self) -> None:
        if not self._ended:
            self._ended = True
            self._waiting.put(None)
        self._worker.join()
        self._file.close()


def write_workbook(out: Path | str, services: Services, sheet: Sheet,
                   batches: Iterable[list[Sequence[Cell]]], *,
                   total: int | Callable[[], int] = -1,
                   progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                   sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """Write the rows of ``batches`` (cells in ``sheet``'s column order) to ``out``; ``total``
    is the number of rows expected, or what tells it once the first batch is read."""
    target = _checked_target(Path(out), services.location)
    temp = _temporary_beside(target)
    workbook = xlsxwriter.Workbook(str(temp), {
        "constant_memory": True,
        # Text is text: never a formula, a URL or a number, whatever it looks like.
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    writer = SheetWriter(workbook, sheet, sheet_rows)
    try:
        for batch in batches:
            if cancelled is not None and cancelled():
                raise ExportCancelled
            writer.add_rows(batch)
            if progress is not None:
                known = total() if callable(total) else total
                progress(writer.rows, max(known, writer.rows))
        if cancelled is not None and cancelled():
            raise ExportCancelled
        writer.close()
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
        files.fsync_dir(target.parent)
    except BaseException:
        writer.discard()
        _discard(workbook)
        files.remove_quietly(temp)
        raise
    return ExportResult(writer.rows, target)


_ZIPPING = threading.Lock()


@contextmanager
def quick_zip(level: int = ZIP_LEVEL,
              deflated: Mapping[str, DeflatedRows] | None = None) -> Iterator[None]:
    """XlsxWriter's zip at zlib ``level`` rather than its default, 6, while a workbook closes,
    with the rows ``deflated`` for a sheet (by its name in the zip) put in its place.

    At level 6 deflating the sheet XML (about 1.2 GB for a million handles) took as long as
    building it; level 1 takes a third of that for a file about 40 % larger (16 MiB rather
    than 12 MiB per 100,000 handles, still half the CSV's size). XlsxWriter has no option
    for it: its ``ZipFile`` is swapped for :class:`_SheetZip` for the duration, one close at
    a time, and put back however the close ends.
    """
    with _ZIPPING:  # before looking: another export's close may have it swapped now
        module = sys.modules.get("xlsxwriter.workbook")
        if getattr(module, "ZipFile", None) is not zipfile.ZipFile:
            if deflated:  # closing without them would leave the sheets empty
                raise RuntimeError("XlsxWriter no longer closes with zipfile.ZipFile")
            yield  # not the XlsxWriter this was written for
            return
        module.ZipFile = partial(_SheetZip, compresslevel=level,  # type: ignore[union-attr]
                                 deflated=deflated or {})
        try:
            yield
        finally:
            module.ZipFile = zipfile.ZipFile  # type: ignore[union-attr]


def _zip_swappable() -> bool:
    """Whether XlsxWriter closes its workbooks with the ``ZipFile`` this module swaps (or
    has it swapped right now, by another export's close)."""
    zip_file = getattr(sys.modules.get("xlsxwriter.workbook"), "ZipFile", None)
    return zip_file is zipfile.ZipFile or getattr(zip_file, "func", None) is _SheetZip


class _SheetZip(zipfile.ZipFile):
    """The zip XlsxWriter writes a workbook into, where a sheet whose rows were deflated as
    they came (:class:`DeflatedRows`) gets them after its header row: its XML, as XlsxWriter
    wrote it with the header row alone, is split at ``</sheetData>``, and the entry is the
    part before, the rows and the part after, deflated each on its own and one after the
    other, with the CRC-32 of the whole combined from theirs."""

    def __init__(self, *args: Any, deflated: Mapping[str, DeflatedRows], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deflated = deflated

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        rows = self._deflated.get(arcname)
        if rows is None or compress_type not in (None, zipfile.ZIP_DEFLATED) \
                or self.compression != zipfile.ZIP_DEFLATED:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        with open(filename, "rb") as fh:
            before, end, after = fh.read().partition(b"</sheetData>")
        if not end:
            raise ValueError(f"{arcname} has no rows to put its data rows into")
        after = end + after
        info = zipfile.ZipInfo.from_file(filename, arcname)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = len(before) + rows.size + len(after)  # decides on zip64 beforehand
        level = self.compresslevel if self.compresslevel is not None else ZIP_LEVEL
        with self.open(info, "w") as entry:
            if _writes_deflated(entry):
                entry._compressor = _AsWritten()
                entry.write(_deflated(before, level, zlib.Z_SYNC_FLUSH))
                for data in rows.deflated():
                    entry.write(data)
                entry.write(_deflated(after, level, zlib.Z_FINISH))
                entry._file_size = info.file_size
                entry._crc = zlib.crc32(after, crc32_combine(zlib.crc32(before), rows.crc,
                                                             rows.size))
            else:  # another zipfile: the rows inflated again and deflated through it
                entry.write(before)
                for data in rows.inflated():
                    entry.write(data)
                entry.write(after)


def _writes_deflated(entry: Any) -> bool:
    """Whether a zip entry open for writing (CPython's ``_ZipWriteFile``) can be handed data
    already deflated: its compressor swapped for one that leaves data as it is, and its CRC
    and size set to those of the inflated data before it closes."""
    return all(hasattr(entry, name) for name in ("_compressor", "_crc", "_file_size")) \
        and callable(getattr(entry._compressor, "compress", None))


class _AsWritten:
    """A compressor for data already deflated."""

    @staticmethod
    def compress(data: bytes) -> bytes:
        return data

    @staticmethod
    def flush() -> bytes:
        return b""


def _deflated(data: bytes, level: int, mode: int) -> bytes:
    deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush(mode)


def crc32_combine(first: int, second: int, second_length: int) -> int:
    """The CRC-32 of two byte strings one after the other, from the CRC-32 of each and the
    second's length (zlib's ``crc32_combine``, which Python's zlib does not offer).

    Without its pre- and post-inversion, running the CRC register over a zero byte is a
    linear map on 32 bits; running ``crc32`` over the second string from the first's CRC
    gives that map applied ``second_length`` times to ``first``, xor ``second``. The map of
    ``2**k`` zero bytes is that of one squared ``k`` times, so this takes log₂ steps."""
    register, power = first, 0
    while second_length:
        if second_length & 1:
            register = _apply(_zero_bytes_map(power), register)
        second_length >>= 1
        power += 1
    return register ^ second


def _apply(columns: tuple[int, ...], value: int) -> int:
    """A linear map on 32 bits (the images of each bit) applied to ``value``."""
    result, bit = 0, 0
    while value:
        if value & 1:
            result ^= columns[bit]
        value >>= 1
        bit += 1
    return result


@cache
def _zero_bytes_map(power: int) -> tuple[int, ...]:
    """The map of the raw CRC-32 register over ``2**power`` zero bytes."""
    if power == 0:  # zlib's own: crc32 inverts the register before and after
        return tuple(zlib.crc32(b"\0", (1 << bit) ^ 0xFFFFFFFF) ^ 0xFFFFFFFF
                     for bit in range(32))
    half = _zero_bytes_map(power - 1)
    return tuple(_apply(half, column) for column in half)


def _discard(workbook: Any) -> None:
    """The row files of an unfinished workbook's sheets (constant_memory keeps one each)."""
    if workbook.fileclosed:
        return
    for sheet in workbook.worksheets():
        handle, name = getattr(sheet, "row_data_fh", None), getattr(sheet, "row_data_filename",
                                                                    None)
        if handle is not None and not handle.closed:
            handle.close()
        if name:
            files.remove_quietly(Path(name))
    workbook.fileclosed = True  # nothing left to write: its __del__ must not warn


# -- handles --------------------------------------------------------------------------------


def handle_cells(data_dir: Path | None = None) -> Callable[[tuple[Any, ...]], tuple[Cell, ...]]:
    """A raw ``EXPORT_COLUMNS`` row, its text as UTF-8 bytes (``text_as_bytes``), → the
    typed cells of ``HANDLES``, text as UTF-8 bytes: what :class:`RowXml` writes without
    decoding or encoding a thing."""
    lists, pictures, when = _Utf8(ListJoiner()), _Utf8(ImagePaths(data_dir)), ExcelTimes()
    checks = _Utf8(ChecklistSummaries())
    yes, no = YES.encode(), NO.encode()
    on_time = {None: None, True: yes, False: no}

    def flag(value: int | None) -> bytes | None:
        return None if value is None else (yes if value else no)

    def convert(row: tuple[Any, ...]) -> tuple[Cell, ...]:
        (uid, task_id, project_id, project_name, project_alias, object_id, object_name,
         object_alias, handler_ids, handler_names, fee, result, description, images, created,
         due_at, is_ignored, skipped, is_abnormal, checklist_results, organization_id,
         created_by, last_modified, last_modified_by, handled_at, is_voided, void_reason,
         voided_at, voided_by) = row
        done = when(created)
        return (uid, task_id, project_id, project_name, project_alias, object_id,
                object_name, object_alias, lists(handler_ids), lists(handler_names), fee,
                result, description, pictures(images), done, when(due_at),
                on_time[handled_on_time(handled_at, due_at, is_ignored)], flag(is_ignored),
                skipped, flag(is_abnormal), checks(checklist_results), organization_id,
                created_by,
                # most records were never changed after they were made, nor back-dated
                done if last_modified == created else when(last_modified), last_modified_by,
                done if handled_at == created else when(handled_at), flag(is_voided),
                void_reason, when(voided_at), voided_by)

    return convert


class _Utf8:
    """A text converter (``ListJoiner``, ``ImagePaths``) from stored UTF-8 bytes to UTF-8
    bytes; the same stored text repeats (a handler list, no pictures), so each is converted
    once (bounded cache)."""

    def __init__(self, convert: Callable[[str | None], str]) -> None:
        self._convert = convert
        self._done: dict[bytes | None, bytes] = {}

    def __call__(self, stored: bytes | None) -> bytes:
        done = self._done.get(stored)
        if done is None:
            text = None if stored is None else stored.decode("utf-8", "surrogateescape")
            done = self._convert(text).encode("utf-8", "replace")
            if len(self._done) > 10_000:
                self._done.clear()
            self._done[stored] = done
        return done


def export_handles_xlsx(services: Services, out: Path | str,
                        params: Mapping[str, Any] | None = None, *,
                        progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """The handles matching ``params`` (where_and/where_or/where_in/order_by) to ``out``.

    Bad filters raise ``FieldError`` before any file is created.
    """
    source = HandleExportSource(services.ctx, params, text_as_bytes=True)
    total = source.count() if progress is not None else -1
    convert = handle_cells(_data_dir(services))
    batches = ([convert(row) for row in batch] for batch in source.batches())
    return write_workbook(out, services, HANDLES, batches, total=total, progress=progress,
                          cancelled=cancelled, sheet_rows=sheet_rows)


# -- tasks and objects ------------------------------------------------------------------------


def typed(sheet: Sheet, fields: Callable[[Mapping[str, Any]], tuple[Cell, ...]],
          ) -> Callable[[Mapping[str, Any]], tuple[Cell, ...]]:
    """``fields`` with the moments of ``sheet``'s TIME columns as Excel serial date-times."""
    times = {col for col, column in enumerate(sheet.columns) if column.kind == TIME}

    def cells(record: Mapping[str, Any]) -> tuple[Cell, ...]:
        return tuple(wire_time(value) if col in times else value  # type: ignore[arg-type]
                     for col, value in enumerate(fields(record)))

    return cells


task_cells = typed(TASKS, task_fields)
object_cells = typed(OBJECTS, object_fields)


def _export_list(services: Services, out: Path | str, sheet: Sheet,
                 list_page: Callable[[dict[str, Any]], dict[str, Any]],
                 cells: Callable[[Mapping[str, Any]], tuple[Cell, ...]],
                 params: Mapping[str, Any] | None, progress: Progress | None,
                 cancelled: Callable[[], bool] | None, sheet_rows: int) -> ExportResult:
    total = [-1]
    batches = ([cells(record) for record in page]
               for page in pages(list_page, params, lambda n: total.__setitem__(0, n)))
    return write_workbook(out, services, sheet, batches, total=lambda: total[0],
                          progress=progress, cancelled=cancelled, sheet_rows=sheet_rows)


def export_tasks_xlsx(services: Services, out: Path | str,
                      params: Mapping[str, Any] | None = None, *,
                      progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """The tasks matching ``params`` (where_and/where_or/where_in/order_by) to ``out``."""
    return _export_list(services, out, TASKS, services.tasks.list, task_cells, params,
                        progress, cancelled, sheet_rows)


def export_objects_xlsx(services: Services, out: Path | str,
                        params: Mapping[str, Any] | None = None, *,
                        progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """The objects matching ``params`` to ``out``."""
    return _export_list(services, out, OBJECTS, services.objects.list, object_cells, params,
                        progress, cancelled, sheet_rows)
