"""Export tasks and objects to CSV, in the handle export's dialect: UTF-8 with a BOM, CR LF,
every text cell quoted and guarded against formulas, numbers bare, moments as local text.

The columns are the Excel export's (``sheets.TASKS`` / ``sheets.OBJECTS``), so the two files
of a list hold the same columns under the same Chinese titles. The records come from the
services' list a page at a time; the file is written beside the target and renamed over it
when complete, as the handle export does.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from mixtimer_gui import files
from mixtimer_gui.exports.cells import PlainNumber, neutralise
from mixtimer_gui.exports.csv_export import (
    BOM,
    LINE_END,
    ExportCancelled,
    ExportResult,
    _checked_target,
    _temporary_beside,
)
from mixtimer_gui.exports.sheets import (
    NUMBER,
    OBJECTS,
    TASKS,
    Cell,
    Sheet,
    object_fields,
    pages,
    task_fields,
)
from mixtimer_gui.services import Services

Progress = Callable[[int, int], None]


def csv_cells(sheet: Sheet, values: tuple[Cell, ...]) -> list[str | float]:
    """One record's cells: numbers bare (``csv`` leaves floats unquoted), everything else
    quoted text, guarded against formulas; nothing becomes an empty cell."""
    cells: list[str | float] = []
    for column, value in zip(sheet.columns, values, strict=True):
        if value is None or value == "":
            cells.append("")
        elif column.kind == NUMBER and not isinstance(value, str):
            cells.append(PlainNumber(value))
        else:
            cells.append(neutralise(str(value)))
    return cells


def write_csv(out: Path | str, services: Services, sheet: Sheet,
              records: Iterable[list[tuple[Cell, ...]]], *,
              total: Callable[[], int] = lambda: -1, progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> ExportResult:
    target = _checked_target(Path(out), services.location)
    temp = _temporary_beside(target)
    done = 0
    try:
        with open(temp, "w", encoding="utf-8", newline="") as fh:
            fh.write(BOM.decode())
            writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator=LINE_END)
            writer.writerow([column.title for column in sheet.columns])
            for batch in records:
                if cancelled is not None and cancelled():
                    raise ExportCancelled
                writer.writerows(csv_cells(sheet, values) for values in batch)
                done += len(batch)
                if progress is not None:
                    progress(done, max(total(), done))
            if cancelled is not None and cancelled():
                raise ExportCancelled
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
        files.fsync_dir(target.parent)
    except BaseException:
        files.remove_quietly(temp)
        raise
    return ExportResult(done, target)


def _export(services: Services, out: Path | str, sheet: Sheet,
            list_page: Callable[[dict[str, Any]], dict[str, Any]],
            fields: Callable[[Mapping[str, Any]], tuple[Cell, ...]],
            params: Mapping[str, Any] | None, progress: Progress | None,
            cancelled: Callable[[], bool] | None) -> ExportResult:
    total = [-1]
    records = ([fields(record) for record in page]
               for page in pages(list_page, params, lambda n: total.__setitem__(0, n)))
    return write_csv(out, services, sheet, records, total=lambda: total[0], progress=progress,
                     cancelled=cancelled)


def export_tasks_csv(services: Services, out: Path | str,
                     params: Mapping[str, Any] | None = None, *,
                     progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """The tasks matching ``params`` (where_and/where_or/where_in/order_by) to ``out``."""
    return _export(services, out, TASKS, services.tasks.list, task_fields, params, progress,
                   cancelled)


def export_objects_csv(services: Services, out: Path | str,
                       params: Mapping[str, Any] | None = None, *,
                       progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """The objects matching ``params`` to ``out``."""
    return _export(services, out, OBJECTS, services.objects.list, object_fields, params,
                   progress, cancelled)
