"""The long export of checklist results: one row per item result of each handle, for pivot
tables (#17). The handle CSV says the same in one summary cell per handle.

Same file conventions as the handle CSV (``csv_export``): UTF-8 with a BOM, CR LF, Chinese
titles by default or wire names, text cells quoted and neutralised, numbers bare, written
to a temporary file and renamed when complete. Each row carries the item as it was when
the work was recorded (name, kind, unit, limits), so a template edited since changes
nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mixtimer_gui import files
from mixtimer_gui.exports.cells import PlainNumber, WireTimeFormatter, neutralise
from mixtimer_gui.exports.csv_export import (
    BOM,
    NO,
    WIRE_NO,
    WIRE_YES,
    YES,
    ExportCancelled,
    ExportResult,
    Progress,
    _checked_target,
    _csv_writer,
    _temporary_beside,
)
from mixtimer_gui.services import Services
from mixtimer_gui.services.export_source import ChecklistExportSource

COLUMNS: tuple[tuple[str, str], ...] = (
    ("handle_id", "处理编号"),
    ("task_id", "任务编号"),
    ("project_name", "项目名称"),
    ("object_name", "对象名称"),
    ("created", "处理时间"),
    ("item", "检查项"),
    ("kind", "类型"),
    ("value", "结果"),
    ("unit", "单位"),
    ("min", "下限"),
    ("max", "上限"),
    ("is_abnormal", "是否异常"),
)
KIND_TITLES = {"check": "检查", "measure": "测量", "text": "文本"}


def header(wire: bool = False) -> list[str]:
    return [name if wire else title for name, title in COLUMNS]


def item_rows(row: tuple[Any, ...], wire: bool = False,
              when: Callable[[int | None], str] | None = None) -> Iterator[list[Any]]:
    """The cells of each stored result of one handle row (``CHECKLIST_COLUMNS``)."""
    when = when or WireTimeFormatter()
    uid, task_id, project_name, object_name, created, stored = row
    try:
        results = json.loads(stored or "[]")
    except ValueError:
        results = []
    for result in results if isinstance(results, list) else []:
        if not isinstance(result, Mapping):
            continue
        kind = str(result.get("kind") or "")
        abnormal = bool(result.get("abnormal"))
        yield [neutralise(uid), neutralise(task_id), neutralise(project_name),
               neutralise(object_name), when(created), neutralise(str(result.get("name", ""))),
               kind if wire else KIND_TITLES.get(kind, kind), _value(result.get("value")),
               neutralise(str(result.get("unit") or "")), _number(result.get("min")),
               _number(result.get("max")),
               (WIRE_YES if abnormal else WIRE_NO) if wire else (YES if abnormal else NO)]


def _value(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return PlainNumber(value)  # a number cell: a pivot table sums or averages it
    return neutralise("" if value is None else str(value))


def _number(value: Any) -> Any:
    return "" if value is None else PlainNumber(value)


def export_checklist_results(services: Services, out: Path | str,
                             params: Mapping[str, Any] | None = None, *,
                             wire_header: bool = False, progress: Progress | None = None,
                             cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write one row per checklist result of the handles ``params`` choose to ``out``.

    ``rows`` of the result counts item rows. Bad filters raise ``FieldError`` before any
    file exists; a cancel leaves no file and the target untouched.
    """
    target = _checked_target(Path(out), services.location)
    source = ChecklistExportSource(services.ctx, params)
    total = source.count() if progress is not None else -1
    with files.replacing(target, _temporary_beside(target), "w", encoding="utf-8",
                         newline="", buffering=1 << 20) as fh:
        fh.write(BOM.decode())
        rows = _write(fh, source, wire_header, total, progress, cancelled)
    return ExportResult(rows, target)


def _write(fh: Any, source: ChecklistExportSource, wire: bool, total: int,
           progress: Progress | None, cancelled: Callable[[], bool] | None) -> int:
    writer = _csv_writer(fh)
    writer.writerow(header(wire))
    when = WireTimeFormatter()
    handles = written = 0
    for batch in source.batches():
        if cancelled is not None and cancelled():
            raise ExportCancelled
        for row in batch:
            for cells in item_rows(row, wire, when):
                writer.writerow(cells)
                written += 1
        handles += len(batch)
        if progress is not None:
            progress(handles, max(total, handles))
    if cancelled is not None and cancelled():
        raise ExportCancelled
    return written
