"""Excel (.xlsx) export of handles, tasks and objects: typed cells, streamed, written atomically.

CSV cannot say "this is text": a spreadsheet reads a result of ``0012`` as 12, ``1e5`` as
100000 and ``2026-01-02`` as a date, and a cell guarded against formulas shows its
apostrophe. An .xlsx cell carries its type, so here text is always a text cell (exactly as
typed, never a formula, no apostrophe), numbers are numbers and moments are Excel date-times
with a display format (local time, as the window shows them).

Each sheet has a frozen Chinese header row, an autofilter over its rows and column widths
chosen per column. A sheet holds at most ``MAX_SHEET_ROWS`` rows (Excel's limit, header
included); further rows continue on a second sheet (``维保记录 (2)``), with its own header.

XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as soon as the
next one starts, so memory stays flat at any size; the workbook is assembled into a
temporary file beside the target and renamed over it only when complete, as the CSV export
does (a failed or cancelled export leaves no file and an existing one intact).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

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
from mixtimer_gui.services import Services
from mixtimer_gui.services.export_source import HandleExportSource

MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet, the header row included
TEXT, NUMBER, TIME = "text", "number", "time"
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system (after 1900-03-01)
_PAGE = 1000  # the services' largest list page

Progress = Callable[[int, int], None]
Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    title: str  # the Chinese header
    kind: str  # TEXT, NUMBER or TIME
    width: float  # in Excel's character widths (a Chinese character is about two)


@dataclass(frozen=True)
class Sheet:
    """What one kind of export writes: the sheet's name and its columns."""

    name: str
    columns: tuple[Column, ...]


def _text(title: str, width: float = 14) -> Column:
    return Column(title, TEXT, width)


def _number(title: str, width: float = 10) -> Column:
    return Column(title, NUMBER, width)


def _time(title: str) -> Column:
    return Column(title, TIME, 19)


# The columns of the CSV export (csv_export.COLUMNS), in its order, typed.
HANDLES = Sheet("维保记录", (
    _text("处理编号"), _text("任务编号"), _text("项目编号"), _text("项目名称", 20),
    _text("项目别名"), _text("对象编号"), _text("对象名称", 20), _text("对象别名"),
    _text("处理人编号"), _text("处理人", 16), _number("费用"), _text("处理结果", 24),
    _text("描述", 36), _text("图片", 30), _time("处理时间"), _time("到期时间"),
    _text("是否按时", 9), _text("是否忽略", 9), _number("跳过周期数", 11),
    _text("是否异常", 9), _text("检查结果", 36), _text("组织编号"),
    _number("创建人编号", 11), _time("最后修改时间"), _number("最后修改人编号", 15),
    _time("完成时间"), _text("已作废", 9), _text("作废原因", 24), _time("作废时间"),
    _number("作废人编号", 11),
))

TASKS = Sheet("维保任务", (
    _text("任务编号"), _text("项目编号"), _text("项目名称", 20), _text("对象编号"),
    _text("对象名称", 20), _text("对象别名"), _text("状态", 9), _text("周期类型", 12),
    _number("周期数", 8), _text("周期单位", 9), _time("周期开始"), _time("到期时间"),
    _time("提醒时间"), _time("上次处理时间"), _number("当前值"), _number("到期值"),
    _text("是否启用", 9), _text("描述", 30), _time("创建时间"),
))

OBJECTS = Sheet("维保对象", (
    _text("对象编号"), _text("对象名称", 20), _text("对象别名"), _text("位置", 24),
    _text("描述", 36), _time("创建时间"), _time("最后修改时间"),
))


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


class SheetWriter:
    """Rows into a workbook, sheet after sheet: a new sheet (with its header) whenever one is
    full. Cells are written by their column's kind, never guessed from their value."""

    def __init__(self, workbook: Any, sheet: Sheet, sheet_rows: int = MAX_SHEET_ROWS) -> None:
        if sheet_rows < 2:
            raise ValueError("a sheet needs room for its header and a row")
        self._book = workbook
        self._sheet = sheet
        self._rows_per_sheet = sheet_rows
        self._header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7",
                                            "border": 1, "valign": "vcenter"})
        self._time = workbook.add_format({"num_format": TIME_FORMAT})
        self._text = workbook.add_format({"num_format": "@"})
        self._worksheet: Any = None
        self._row = 0
        self.sheets = 0
        self.rows = 0

    def add(self, cells: Sequence[Cell]) -> None:
        if self._worksheet is None or self._row >= self._rows_per_sheet:
            self._next_sheet()
        sheet, row, text_format, time_format = self._worksheet, self._row, self._text, \
            self._time
        for col, (column, value) in enumerate(zip(self._sheet.columns, cells, strict=True)):
            if value is None or value == "":
                continue
            kind = column.kind
            if kind == TEXT:
                sheet.write_string(row, col, value, text_format)
            elif kind == NUMBER:
                sheet.write_number(row, col, value)
            else:
                sheet.write_number(row, col, value, time_format)
        self._row += 1
        self.rows += 1

    def finish(self) -> None:
        """The autofilter of the last sheet; a sheet (with its header) even for no rows."""
        if self._worksheet is None:
            self._next_sheet()
        self._close_sheet()

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

    def _close_sheet(self) -> None:
        last = max(self._row - 1, 0)
        self._worksheet.autofilter(0, 0, last, len(self._sheet.columns) - 1)


def write_workbook(out: Path | str, services: Services, sheet: Sheet,
                   batches: Iterable[list[Sequence[Cell]]], *, total: int = -1,
                   progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                   sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """Write the rows of ``batches`` (cells in ``sheet``'s column order) to ``out``."""
    target = _checked_target(Path(out), services.location)
    temp = _temporary_beside(target)
    workbook = xlsxwriter.Workbook(str(temp), {
        "constant_memory": True,
        # Text is text: never a formula, a URL or a number, whatever it looks like.
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    try:
        writer = SheetWriter(workbook, sheet, sheet_rows)
        for batch in batches:
            if cancelled is not None and cancelled():
                raise ExportCancelled
            for cells in batch:
                writer.add(cells)
            if progress is not None:
                progress(writer.rows, max(total, writer.rows))
        if cancelled is not None and cancelled():
            raise ExportCancelled
        writer.finish()
        workbook.close()
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
        files.fsync_dir(target.parent)
    except BaseException:
        _discard(workbook)
        files.remove_quietly(temp)
        raise
    return ExportResult(writer.rows, target)


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
    """A raw ``EXPORT_COLUMNS`` row → the typed cells of ``HANDLES``."""
    join, pictures, when = ListJoiner(), ImagePaths(data_dir), ExcelTimes()
    checks = ChecklistSummaries()
    yes_no = {None: None, True: YES, False: NO}

    def convert(row: tuple[Any, ...]) -> tuple[Cell, ...]:
        (uid, task_id, project_id, project_name, project_alias, object_id, object_name,
         object_alias, handler_ids, handler_names, fee, result, description, images, created,
         due_at, is_ignored, skipped, is_abnormal, checklist_results, organization_id,
         created_by, last_modified, last_modified_by, handled_at, is_voided, void_reason,
         voided_at, voided_by) = row
        return (uid, task_id, project_id, project_name, project_alias, object_id,
                object_name, object_alias, join(handler_ids), join(handler_names), fee,
                result, description, pictures(images), when(created), when(due_at),
                yes_no[handled_on_time(handled_at, due_at, is_ignored)],
                _yes_no(is_ignored), skipped, _yes_no(is_abnormal),
                checks(checklist_results), organization_id, created_by,
                when(last_modified), last_modified_by, when(handled_at), _yes_no(is_voided),
                void_reason, when(voided_at), voided_by)

    return convert


def _yes_no(flag: int | None) -> str | None:
    return None if flag is None else (YES if flag else NO)


def export_handles_xlsx(services: Services, out: Path | str,
                        params: Mapping[str, Any] | None = None, *,
                        progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    """The handles matching ``params`` (where_and/where_or/where_in/order_by) to ``out``.

    Bad filters raise ``FieldError`` before any file is created.
    """
    source = HandleExportSource(services.ctx, params)
    total = source.count() if progress is not None else -1
    convert = handle_cells(_data_dir(services))
    batches = ([convert(row) for row in batch] for batch in source.batches())
    return write_workbook(out, services, HANDLES, batches, total=total, progress=progress,
                          cancelled=cancelled, sheet_rows=sheet_rows)


# -- tasks and objects ------------------------------------------------------------------------


def _pages(list_page: Callable[[dict[str, Any]], dict[str, Any]],
           params: Mapping[str, Any] | None) -> Iterator[list[dict[str, Any]]]:
    """Every record of a service's list, a page at a time, oldest first."""
    request = {"order_by": "created", **(params or {}), "page_size": _PAGE}
    index = 1
    while True:
        page = list_page({**request, "page_index": index})
        if page["data"]:
            yield page["data"]
        if index >= page["total_pages"]:
            return
        index += 1


def _yes_no(flag: Any) -> str | None:
    return None if flag is None else (YES if flag else NO)


def task_cells(task: Mapping[str, Any]) -> tuple[Cell, ...]:
    return (task["uid"], task["project_id"], task["project_name"], task["object_id"],
            task["object_name"], task["object_alias"], task["status"], task["cycle_type"],
            task["period_num"], task["period_unit"], wire_time(task["cycle_start"]),
            wire_time(task["due_at"]), wire_time(task["notice_at"]),
            wire_time(task["last_handle_at"]), task["current_value"], task["due_value"],
            _yes_no(task["is_active"]), task["description"], wire_time(task["created"]))


def object_cells(item: Mapping[str, Any]) -> tuple[Cell, ...]:
    return (item["uid"], item["name"], item["alias"], item["location"], item["description"],
            wire_time(item["created"]), wire_time(item["last_modified"]))


def export_tasks_xlsx(services: Services, out: Path | str,
                      params: Mapping[str, Any] | None = None, *,
                      sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    batches = ([task_cells(t) for t in page] for page in _pages(services.tasks.list, params))
    return write_workbook(out, services, TASKS, batches, sheet_rows=sheet_rows)


def export_objects_xlsx(services: Services, out: Path | str,
                        params: Mapping[str, Any] | None = None, *,
                        sheet_rows: int = MAX_SHEET_ROWS) -> ExportResult:
    batches = ([object_cells(o) for o in page]
               for page in _pages(services.objects.list, params))
    return write_workbook(out, services, OBJECTS, batches, sheet_rows=sheet_rows)
