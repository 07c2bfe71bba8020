"""Export handle records to CSV: streamed, written atomically, safe to open in Excel.

The file is UTF-8 with a BOM (Excel then reads Chinese correctly), CR LF line ends, a
Chinese header row by default (wire names on request), every text cell quoted.

The header decides how yes/no cells read, the same for both of them: under the Chinese
titles, 是否按时 and 是否忽略 read 是 / 否 (a person reads the file); under wire names
(``--wire-header``), ``on_time`` and ``is_ignored`` read 1 / 0 as the API's ``is_ignored``
does (a program reads it). ``on_time`` is empty when nothing was due or the cycle was
ignored. 图片 / ``images`` lists the pictures' files, absolute paths joined by ``;`` (URLs a
client stored stay as they are), so a reader can open them; the stored names alone meant
nothing outside the data folder. Rows are
streamed from the database in batches, so memory stays flat at any size. The file is written
to a temporary file in the target folder and renamed over the target only when complete, so a
failed or cancelled export leaves no partial file and an existing file stays intact until the
rename.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mixtimer_gui import files
from mixtimer_gui.domain import checklists
from mixtimer_gui.domain.status import handled_on_time
from mixtimer_gui.exports.cells import (
    FORMULA_STARTS,
    QUOTE,
    ListJoiner,
    PlainNumber,
    WireTimeFormatter,
    neutralise,
)
from mixtimer_gui.services import Location, Services
from mixtimer_gui.services import images as stored_images
from mixtimer_gui.services.export_source import (
    HandleExportSource,
    ServerCannotFormat,
    server_batches,
    server_format,
)

# (wire name, Chinese title), in file order. ``on_time`` is derived: handled_at vs
# due_at. 已作废 / ``is_voided`` reads like 是否忽略; a voided record stays in the file.
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
    ("is_abnormal", "是否异常"),
    ("checklist_results", "检查结果"),  # one line: 油位: 正常; 排气温度: 96 ℃ (≤ 95) 异常
    ("organization_id", "组织编号"),
    ("created_by", "创建人编号"),
    ("last_modified", "最后修改时间"),
    ("last_modified_by", "最后修改人编号"),
    ("handled_at", "完成时间"),
    ("is_voided", "已作废"),
    ("void_reason", "作废原因"),
    ("voided_at", "作废时间"),
    ("voided_by", "作废人编号"),
)
YES, NO = "是", "否"  # the yes/no cells of a file with Chinese titles
WIRE_YES, WIRE_NO = 1, 0  # ... and of one with wire names
LINE_END = "\r\n"  # what Excel writes and expects
BOM = "\ufeff".encode()  # tells Excel the file is UTF-8

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


def _header_line(wire: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(header(wire))  # plain names
    return buffer.getvalue().encode()


class ImagePaths:
    """A handle's stored picture names (``a1b2….jpg;c3d4….png``) as the pictures' files
    (absolute paths, ``;``-joined); URLs and names that are no stored file stay as they
    are, and without a data folder every name does. Repeated lists are converted once."""

    def __init__(self, data_dir: Path | None) -> None:
        self._data_dir = data_dir
        self._cache: dict[str, str] = {"": ""}

    def __call__(self, stored: str | None) -> str:
        if stored is None:
            return ""
        paths = self._cache.get(stored)
        if paths is None:
            paths = self._paths(stored)
            if len(self._cache) < 10_000:
                self._cache[stored] = paths
        return paths

    def _paths(self, stored: str) -> str:
        if self._data_dir is None:
            return stored
        names = stored_images.split_names(stored)
        found = [stored_images.stored_path(self._data_dir, name) for name in names]
        return stored_images.join_names(str(path) if path is not None else name
                                 for name, path in zip(names, found, strict=True))


class ChecklistSummaries:
    """A handle's stored results (JSON) as the one-line summary of ``checklists.summary``;
    most handles store ``[]`` or the same few results, so each text is converted once."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {"[]": "", "": ""}

    def __call__(self, stored: str | None) -> str:
        if stored is None:
            return ""
        text = self._cache.get(stored)
        if text is None:
            try:
                results = json.loads(stored)
            except ValueError:
                results = []
            text = checklists.summary(results) if isinstance(results, list) else ""
            if len(self._cache) < 10_000:
                self._cache[stored] = text
        return text


class _Formatters:
    """The per-export caches both converters share (times, handler lists, pictures), and
    the header's way of writing yes and no."""

    def __init__(self, *, wire: bool = False, data_dir: Path | None = None) -> None:
        self.when = WireTimeFormatter()
        self.join = ListJoiner()
        self.pictures = ImagePaths(data_dir)
        self.checks = ChecklistSummaries()
        self.wire = wire

    @staticmethod
    def fee(fee: float | None) -> PlainNumber | str:
        # A number cell, written bare: spreadsheets sum it without conversion.
        return "" if fee is None else PlainNumber(fee)


# on_time is always a text cell (it may be empty); is_ignored is text under Chinese titles
# and a bare number under wire names.
_ON_TIME_TEXT = {False: {None: "", True: YES, False: NO},
                 True: {None: "", True: str(WIRE_YES), False: str(WIRE_NO)}}


def _on_time(handled_at: int, due_at: int | None, is_ignored: int, wire: bool) -> str:
    return _ON_TIME_TEXT[wire][handled_on_time(handled_at, due_at, is_ignored)]


def _ignored(is_ignored: int | None, wire: bool) -> str | int:
    if is_ignored is None:  # never stored so; written empty rather than guessed
        return ""
    if wire:
        return WIRE_YES if is_ignored else WIRE_NO
    return YES if is_ignored else NO


def row_converter(formatters: _Formatters | None = None,
                  ) -> Callable[[tuple[Any, ...]], tuple[str | int | float, ...]]:
    """A function from a raw ``EXPORT_COLUMNS`` row to the cells of ``COLUMNS``.

    This is the definition of the file's content; :func:`line_converter` is the fast way to
    the same text.
    """
    fmt = formatters or _Formatters()
    when, join, fee_text, safe, pictures = fmt.when, fmt.join, fmt.fee, neutralise, fmt.pictures
    checks, wire = fmt.checks, fmt.wire

    def convert(row: tuple[Any, ...]) -> tuple[str | int | float, ...]:
        (uid, task_id, project_id, project_name, project_alias, object_id, object_name,
         object_alias, handler_ids, handler_names, fee, result, description, images, created,
         due_at, is_ignored, skipped, is_abnormal, checklist_results, organization_id,
         created_by, last_modified, last_modified_by, handled_at, is_voided, void_reason,
         voided_at, voided_by) = row
        return (safe(uid), safe(task_id), safe(project_id), safe(project_name),
                safe(project_alias), safe(object_id), safe(object_name), safe(object_alias),
                safe(join(handler_ids)), safe(join(handler_names)), fee_text(fee),
                safe(result), safe(description), safe(pictures(images)), when(created),
                when(due_at), _on_time(handled_at, due_at, is_ignored, wire),
                _ignored(is_ignored, wire), skipped, _ignored(is_abnormal, wire),
                safe(checks(checklist_results)), safe(organization_id), created_by,
                when(last_modified), last_modified_by, when(handled_at),
                _ignored(is_voided, wire), safe(void_reason), when(voided_at), voided_by)

    return convert


def _csv_writer(fh: Any) -> Any:
    """The file's dialect: every text cell quoted, integers bare, CR LF line ends.

    Quoting every text cell is what lets :func:`line_converter` skip looking for commas and
    line breaks in each cell; spreadsheets still read quoted numbers and times as numbers and
    times.
    """
    return csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator=LINE_END)


# One line of the file when no cell needs care; numbers bare (fee, then the integers).
# Under Chinese titles is_ignored is text (是/否), under wire names a number (1/0).
_LINES = {
    False: (b'"%s","%s","%s","%s","%s","%s","%s","%s","%s","%s",%s,"%s","%s","%s","%s","%s",'
            b'"%s","%s",%d,"%s","%s","%s",%d,"%s",%d,"%s","%s","%s","%s",%d'),
    True: (b'"%s","%s","%s","%s","%s","%s","%s","%s","%s","%s",%s,"%s","%s","%s","%s","%s",'
           b'"%s",%d,%d,%d,"%s","%s",%d,"%s",%d,"%s",%d,"%s","%s",%d'),
}
# A quote opening a cell, then a character that makes ``neutralise`` change the cell: one of
# the formula starts, or a quote (already-quoted text gets one more).
_QUOTE_BEFORE_FORMULA = re.compile(
    b'"[' + re.escape("".join(sorted(FORMULA_STARTS | {QUOTE})).encode()) + b"]").search
_ON_TIME_BYTES = {wire: {done: text.encode() for done, text in _ON_TIME_TEXT[wire].items()
                         if done is not None} for wire in (False, True)}
_IGNORED_CELL = {False: {1: YES.encode(), 0: NO.encode()}, True: {1: WIRE_YES, 0: WIRE_NO}}


def _decoded(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # surrogateescape: whatever bytes are stored come back out unchanged
    return tuple(v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v
                 for v in row)


def _line_tools(wire: bool = False, data_dir: Path | None = None,
                ) -> tuple[Callable[[tuple[Any, ...]], bytes], Callable[[tuple[Any, ...]], bytes]]:
    """``(fast, careful)``: two ways from a row with UTF-8 text (``text_as_bytes``) to its CSV
    line as UTF-8 bytes without line end, for a file headed by wire names (``wire``) or not,
    with the pictures of ``data_dir``.

    ``careful`` is the definition: :func:`_csv_writer` over the cells of
    :func:`row_converter`. ``fast`` formats the line in one operation and is right whenever
    :func:`_needs_care` says the line needs none (a row holding a NULL goes the careful way).
    """
    fmt = _Formatters(wire=wire, data_dir=data_dir)
    careful = row_converter(fmt)
    when = WireTimeFormatter(as_bytes=True)
    join, fee_text = fmt.join, fmt.fee
    line_format, on_time_of, ignored_of = _LINES[wire], _ON_TIME_BYTES[wire], _IGNORED_CELL[wire]
    picture_paths: dict[bytes, bytes] = {b"": b""}
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    lists: dict[bytes | None, bytes] = {}
    fees: dict[float, bytes] = {}
    summaries: dict[bytes, bytes] = {b"[]": b""}

    def written(row: tuple[Any, ...]) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(careful(_decoded(row)))
        return buffer.getvalue()[:-len(LINE_END)].encode("utf-8", "surrogateescape")

    def listed(stored: bytes | None) -> bytes:
        text = join(None if stored is None else stored.decode("utf-8", "surrogateescape"))
        joined = text.encode("utf-8", "surrogateescape")
        if len(lists) < 10_000:
            lists[stored] = joined
        return joined

    def pictures(stored: bytes) -> bytes:
        paths = fmt.pictures(stored.decode("utf-8", "surrogateescape")).encode(
            "utf-8", "surrogateescape")
        if len(picture_paths) < 10_000:
            picture_paths[stored] = paths
        return paths

    def summary(stored: bytes) -> bytes:
        text = fmt.checks(stored.decode("utf-8", "surrogateescape")).encode(
            "utf-8", "surrogateescape")
        if len(summaries) < 10_000:
            summaries[stored] = text
        return text

    def fee_bytes(fee: float) -> bytes:
        if fee is None:
            raise TypeError("no fee")
        text = str(fee_text(fee)).encode()
        if len(fees) < 10_000:
            fees[fee] = text
        return text

    def fast(row: tuple[Any, ...]) -> bytes:
        (uid, task_id, project_id, project_name, project_alias, object_id, object_name,
         object_alias, handler_ids, handler_names, fee, result, description, images, created,
         due_at, is_ignored, skipped, is_abnormal, checklist_results, organization_id,
         created_by, last_modified, last_modified_by, handled_at, is_voided, void_reason,
         voided_at, voided_by) = row
        created_text = when(created)
        if due_at is None:
            due_text = on_time = b""
        else:
            due_text = when(due_at)
            # domain.status.handled_on_time, inlined for the fast path (due_at is set here)
            on_time = b"" if is_ignored else on_time_of[handled_at <= due_at]
        ids = lists.get(handler_ids)
        if ids is None:
            ids = listed(handler_ids)
        names = lists.get(handler_names)
        if names is None:
            names = listed(handler_names)
        try:
            fee_cell = fees.get(fee)
            if fee_cell is None:
                fee_cell = fee_bytes(fee)
            paths = picture_paths.get(images)
            if paths is None:
                paths = pictures(images)
            checks = summaries.get(checklist_results)
            if checks is None:
                checks = summary(checklist_results)
            return line_format % (
                uid, task_id, project_id, project_name, project_alias, object_id,
                object_name, object_alias, ids, names, fee_cell, result, description, paths,
                created_text, due_text, on_time, ignored_of[is_ignored], skipped,
                ignored_of[is_abnormal], checks, organization_id, created_by,
                created_text if last_modified == created else when(last_modified),
                last_modified_by,
                created_text if handled_at == created else when(handled_at),
                ignored_of[is_voided], void_reason,
                b"" if voided_at is None else when(voided_at), voided_by)
        except (TypeError, KeyError, AttributeError):
            # A NULL where the schema has none: let the careful path show it.
            return written(row)

    return fast, written


def _needs_care(lines: bytes, count: int = 1, wire: bool = False) -> bool:
    """Whether ``count`` fast lines (joined by line ends) may differ from the careful ones.

    A quote inside a cell shows in the number of quotes (every fast line has at least two
    per text cell, so the total is exact only when no line has more). With every text cell
    quoted, a cell that may need neutralising shows as a quote followed by a formula
    character; a closing quote is always followed by a comma (the last cell is a number, so
    no quote meets a line end). The search may also hit inside a cell's text (``a"=b``):
    that only costs the careful path.
    """
    return (lines.count(b'"') != _QUOTES_IN_PLAIN_LINE[wire] * count
            or _QUOTE_BEFORE_FORMULA(lines) is not None)


_QUOTES_IN_PLAIN_LINE = {wire: line.count(b'"') for wire, line in _LINES.items()}


def line_converter(wire: bool = False, data_dir: Path | None = None,
                   ) -> Callable[[tuple[Any, ...]], bytes]:
    """One row → its line: the fast way when the line shows no need for care."""
    fast, careful = _line_tools(wire, data_dir)

    def convert(row: tuple[Any, ...]) -> bytes:
        line = fast(row)
        return careful(row) if _needs_care(line, 1, wire) else line

    return convert


def batch_converter(wire: bool = False, data_dir: Path | None = None,
                    ) -> Callable[[list[tuple[Any, ...]]], bytes]:
    """A batch of rows → their lines joined by line ends (none after the last).

    This runs on a million rows per export, so the check runs once on the whole batch (most
    batches need no care at all); only a batch that fails it is checked line by line.
    """
    fast, careful = _line_tools(wire, data_dir)
    line_end = LINE_END.encode()

    def convert(rows: list[tuple[Any, ...]]) -> bytes:
        lines = list(map(fast, rows))
        joined = line_end.join(lines)
        if not lines or not _needs_care(joined, len(lines), wire):
            return joined
        return line_end.join([careful(row) if _needs_care(line, 1, wire) else line
                              for line, row in zip(lines, rows, strict=True)])

    return convert


def export_handles(services: Services, out: Path | str, params: Mapping[str, Any] | None = None,
                   *, wire_header: bool = False, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the handles matching ``params`` (where_and/where_or/where_in/order_by) to ``out``.

    Bad filters raise ``FieldError`` before any file is created. ``progress(done, total)`` is
    called after each batch; when ``cancelled()`` turns true the export stops, removes its
    temporary file and raises ``ExportCancelled``.
    """
    target = _checked_target(Path(out), services.location)
    source = HandleExportSource(services.ctx, params, text_as_bytes=True)
    total = source.count() if progress is not None else -1
    data_dir = _data_dir(services)
    with files.replacing(target, _temporary_beside(target), "wb", buffering=1 << 20) as fh:
        rows = _written_by_server(fh, source, wire_header, total, progress, cancelled,
                                  data_dir)
        if rows is None:
            fh.seek(0)
            fh.truncate()
            rows = _write(fh, source, wire_header, total, progress, cancelled, data_dir)
    return ExportResult(rows, target)


def _written_by_server(fh: Any, source: HandleExportSource, wire_header: bool, total: int,
                       progress: Progress | None, cancelled: Callable[[], bool] | None,
                       data_dir: Path | None) -> int | None:
    """The file written with PostgreSQL formatting the lines (the same bytes; the workstation
    then only copies them, see benchmarks/RESULTS.md for the time), or ``None`` when the
    Python writer must do it: SQLite,
    or a team database that cannot promise the same bytes (``server_format``), or a value
    met on the way that only Python writes right (the part written is then discarded)."""
    fmt = server_format(source.ctx, wire=wire_header, data_dir=data_dir)
    if fmt is None:
        return None
    fh.write(BOM + _header_line(wire_header))
    done = 0
    try:
        for lines, count in server_batches(source, fmt):
            if cancelled is not None and cancelled():
                raise ExportCancelled
            fh.write(lines)
            done += count
            if progress is not None:
                progress(done, max(total, done))
    except ServerCannotFormat:
        return None
    if cancelled is not None and cancelled():
        raise ExportCancelled
    return done


def _data_dir(services: Services) -> Path | None:
    """The folder the pictures live under, when the database has one."""
    try:
        return services.ctx.data_dir
    except (AttributeError, TypeError):
        return None


def _write(fh: Any, source: HandleExportSource, wire_header: bool, total: int,
           progress: Progress | None, cancelled: Callable[[], bool] | None,
           data_dir: Path | None = None) -> int:
    fh.write(BOM + _header_line(wire_header))
    convert = batch_converter(wire_header, data_dir)
    line_end = LINE_END.encode()
    done = 0
    for batch in source.batches():
        if cancelled is not None and cancelled():
            raise ExportCancelled
        fh.write(convert(batch))
        fh.write(line_end)
        done += len(batch)
        if progress is not None:
            progress(done, max(total, done))
    if cancelled is not None and cancelled():
        raise ExportCancelled
    return done


def _checked_target(target: Path, database: Location) -> Path:
    if database.is_database_file(target):
        raise ExportError(f"{target} 是数据库文件本身,请换一个导出文件名")
    if target.is_dir():
        raise ExportError(f"{target} 是一个文件夹,请给出要写入的文件名(如 records.csv)")
    if not target.parent.is_dir():
        raise ExportError(f"文件夹 {target.parent} 不存在,请先创建或换一个位置")
    return target


def _temporary_beside(target: Path) -> Path:
    """``files.new_file_beside``, its failure said as an export error."""
    try:
        return files.new_file_beside(target)
    except FileExistsError as exc:
        raise ExportError(f"无法在 {target.parent} 创建临时文件") from exc
    except OSError as exc:
        raise ExportError(f"无法在 {target.parent} 写入文件:{exc.strerror}") from exc
