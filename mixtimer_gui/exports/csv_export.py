"""Export handle records to CSV: streamed, written atomically, safe to open in Excel.

The file is UTF-8 with a BOM (Excel then reads Chinese correctly), ``\\r\\n`` line ends, a
Chinese header row by default (wire names on request). It is written to a temporary file in
the target folder and renamed over the target only when complete, so a failed or cancelled
export leaves no partial file and an existing file stays intact until the rename.
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mixtimer_gui.exports.cells import ListJoiner, WireTimeFormatter, neutralise, plain_number
from mixtimer_gui.services import Services
from mixtimer_gui.services.export_source import HandleExportSource

# (wire name, Chinese title), in file order. ``on_time`` is derived: created vs due_at.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("uid", "处理编号"),
    ("task_id", "任务编号"),
    ("project_id", "项目编号"),
    ("project_name", "项目名称"),
    ("project_alias", "项目别名"),
    ("object_id", "对象编号"),
    ("object_name", "对象名称"),
    ("object_alias", "对象别名"),
    ("handler_id_list", "处理人编号"),
    ("handler_name_list", "处理人"),
    ("fee", "费用"),
    ("result", "处理结果"),
    ("description", "描述"),
    ("images", "图片"),
    ("created", "处理时间"),
    ("due_at", "到期时间"),
    ("on_time", "是否按时"),
    ("is_ignored", "是否忽略"),
    ("skipped_cycles", "跳过周期数"),
    ("organization_id", "组织编号"),
    ("created_by", "创建人编号"),
    ("last_modified", "最后修改时间"),
    ("last_modified_by", "最后修改人编号"),
)
ON_TIME, LATE = "是", "否"

Progress = Callable[[int, int], None]


class ExportError(Exception):
    """An export that cannot be done as asked; ``str()`` is a sentence for the user."""


class ExportCancelled(Exception):
    """The user cancelled; the temporary file is gone and the target untouched."""


@dataclass(frozen=True)
class ExportResult:
    rows: int
    path: Path


def header(wire: bool = False) -> list[str]:
    return [name if wire else title for name, title in COLUMNS]


def row_converter() -> Callable[[tuple[Any, ...]], tuple[str | int, ...]]:
    """A function from a raw ``EXPORT_COLUMNS`` row to the cells of ``COLUMNS``.

    One closure with everything bound locally: this runs a million times per export.
    """
    when = WireTimeFormatter()
    join = ListJoiner()
    safe = neutralise
    fees: dict[float, str] = {}

    def fee_text(fee: float | None) -> str:
        text = fees.get(fee)  # type: ignore[arg-type]
        if text is None:
            text = plain_number(fee)
            if len(fees) < 10_000:
                fees[fee] = text  # type: ignore[index]
        return text

    def convert(row: tuple[Any, ...]) -> tuple[str | int, ...]:
        (uid, task_id, project_id, project_name, project_alias, object_id, object_name,
         object_alias, handler_ids, handler_names, fee, result, description, images, created,
         due_at, is_ignored, skipped, organization_id, created_by, last_modified,
         last_modified_by) = row
        # Empty when nothing was due, or when the cycle was skipped rather than done.
        on_time = ("" if due_at is None or is_ignored
                   else ON_TIME if created <= due_at else LATE)
        return (safe(uid), safe(task_id), safe(project_id), safe(project_name),
                safe(project_alias), safe(object_id), safe(object_name), safe(object_alias),
                join(handler_ids), join(handler_names), fee_text(fee), safe(result),
                safe(description), safe(images), when(created), when(due_at), on_time,
                is_ignored, skipped, safe(organization_id), created_by, when(last_modified),
                last_modified_by)

    return convert


def export_handles(services: Services, out: Path | str, params: Mapping[str, Any] | None = None,
                   *, wire_header: bool = False, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the handles matching ``params`` (where_and/where_or/where_in/order_by) to ``out``.

    Bad filters raise ``FieldError`` before any file is created. ``progress(done, total)`` is
    called after each batch; when ``cancelled()`` turns true the export stops, removes its
    temporary file and raises ``ExportCancelled``.
    """
    target = _checked_target(Path(out))
    source = HandleExportSource(services.ctx, params)
    total = source.count() if progress is not None else -1
    temp = _temporary_beside(target)
    try:
        with open(temp, "w", encoding="utf-8-sig", newline="", buffering=1 << 20) as fh:
            rows = _write(fh, source, wire_header, total, progress, cancelled)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        _remove_quietly(temp)
        raise
    return ExportResult(rows, target)


def _write(fh: Any, source: HandleExportSource, wire_header: bool, total: int,
           progress: Progress | None, cancelled: Callable[[], bool] | None) -> int:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(header(wire_header))
    convert = row_converter()
    done = 0
    for batch in source.batches():
        if cancelled is not None and cancelled():
            raise ExportCancelled
        writer.writerows(map(convert, batch))
        done += len(batch)
        if progress is not None:
            progress(done, max(total, done))
    if cancelled is not None and cancelled():
        raise ExportCancelled
    return done


def _checked_target(target: Path) -> Path:
    if target.is_dir():
        raise ExportError(f"{target} 是一个文件夹,请给出要写入的文件名(如 records.csv)")
    if not target.parent.is_dir():
        raise ExportError(f"文件夹 {target.parent} 不存在,请先创建或换一个位置")
    return target


def _temporary_beside(target: Path) -> Path:
    """A new file in the target's folder (same file system, so the rename is atomic).

    Created with mode 0o666 so the umask applies, as for any file the user saves.
    """
    for _ in range(10):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(f"无法在 {target.parent} 写入文件:{exc.strerror}") from exc
        os.close(fd)
        return temp
    raise ExportError(f"无法在 {target.parent} 创建临时文件")


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
