"""Import maintenance objects and meter readings from CSV, all or nothing.

A file is read whole (imports are catalogue-sized), decoded as UTF-8 (with or without BOM) or,
failing that, as GB18030 (a superset of the GBK that Chinese Excel writes); Excel's "Unicode
text" (UTF-16 with BOM, tab-separated) is read too. The header row may
use wire names (``name``) or Chinese titles (``名称``). The rows go to the services' import
(``services.objects.import_rows`` / ``services.statistics.import_readings``): each through the
same service call the API uses, so a bad row is reported with the service's own message, and
all in one transaction: with any bad row nothing is kept, unless the caller asked to keep the
good rows. A dry run (``commit=False``) does the same work and rolls it back, which is how the
GUI previews exactly what an import would do.

An object row whose 对象编号 (uid) is already taken is refused, unless the caller asked to
update existing objects (``update_existing``): then the file's columns replace those fields
of the stored object (an empty cell clears it, as in the sheet) and the columns the file does
not have keep their stored values. The result counts such rows either way (``existing``),
so a preview can offer the choice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.cells import restore
from mixtimer_gui.services import Services
from mixtimer_gui.services.imports import ImportCancelled

OBJECTS, READINGS = "objects", "readings"

# Accepted header names → wire field. Wire names match case-insensitively.
_HEADERS: dict[str, dict[str, str]] = {
    OBJECTS: {
        "uid": "uid", "编号": "uid", "对象编号": "uid",
        "name": "name", "名称": "name", "对象名称": "name",
        "alias": "alias", "别名": "alias", "对象别名": "alias",
        "location": "location", "位置": "location", "安装位置": "location",
        "description": "description", "描述": "description", "说明": "description",
        "备注": "description",
    },
    READINGS: {
        "statistics_id": "statistics_id", "统计编号": "statistics_id",
        "value": "value", "读数": "value", "数值": "value",
        "time": "time", "时间": "time", "读数时间": "time",
    },
}
_REQUIRED = {OBJECTS: ("name",), READINGS: ("statistics_id", "value")}
_TITLES = {"uid": "对象编号", "name": "名称", "alias": "别名", "location": "位置",
           "description": "描述", "statistics_id": "统计编号", "value": "读数", "time": "时间"}
_XLSX_MAGIC = b"PK\x03\x04"
# Imports are catalogue-sized and read whole; a bigger file is surely the wrong one.
MAX_FILE_BYTES = 256 * 2**20


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``str()`` is a sentence for the user."""


@dataclass(frozen=True)
class RowError:
    line: int  # the file line where the row starts (the header is line 1)
    field: str  # the wire field, "" when the row as a whole is wrong
    column: str  # the column title as written in the file
    message: str
    # The service's refusal, when it was one: a screen says it in its own words from it.
    error: DomainError | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"第 {self.line} 行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}:{self.message}"


@dataclass
class ImportTable:
    kind: str
    path: Path
    encoding: str
    titles: dict[str, str]  # wire field → the title the file used
    ignored_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line, wire field → cell text)
    shape_errors: list[RowError] = field(default_factory=list)

    def preview(self, limit: int = 20) -> list[tuple[int, dict[str, str]]]:
        return self.rows[:limit]

    @property
    def fields(self) -> list[str]:
        return list(self.titles)


@dataclass(frozen=True)
class ImportResult:
    total: int  # data rows in the file
    good: int  # rows that were imported (or, in a dry run / refused run, would be)
    errors: list[RowError]
    committed: bool
    existing: int = 0  # object rows naming an object that is already there
    updated: int = 0  # of the good rows, those that updated an existing object

    @property
    def imported(self) -> int:
        return self.good if self.committed else 0


# -- reading the file -------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was in."""
    if data.startswith(_XLSX_MAGIC):
        raise ImportFileError("这是 Excel 工作簿(.xlsx)而不是 CSV:请在 Excel 中"
                              "“另存为”CSV 后再导入")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ImportFileError("文件的 UTF-16 编码有误:请另存为 UTF-8 的 CSV") from None
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ImportFileError("无法识别文件的编码:请另存为 UTF-8 或 GBK 编码的 CSV") from None


def read_table(path: Path | str, kind: str) -> ImportTable:
    """Read and check the shape of a CSV file; row contents are checked by the import."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"文件 {path.name} 超过 {MAX_FILE_BYTES // 2**20} MB,"
                                  "请分成几个较小的文件导入")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"文件 {path} 不存在") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} 是文件夹,请选择一个 CSV 文件") from None
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path}:{exc.strerror}") from exc
    text, encoding = decode(data)
    return parse_table(text, kind, path=path, encoding=encoding)


def parse_table(text: str, kind: str, *, path: Path | None = None,
                encoding: str = "UTF-8") -> ImportTable:
    if kind not in _HEADERS:
        raise ValueError(f"unknown import kind {kind!r}")
    # strict: an unclosed quote would otherwise swallow the rest of the file into one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True,
                        delimiter=_delimiter_of(text))
    try:
        head = next(reader, None)
        if head is None or not any(cell.strip() for cell in head):
            raise ImportFileError("文件是空的:第一行应为表头,如 " + _example_header(kind))
        positions, titles, ignored = _map_header(head, kind)
        table = ImportTable(kind, path or Path(), encoding, titles, ignored, [])
        _read_rows(reader, positions, len(head), table)
    except csv.Error as exc:
        raise ImportFileError(f"第 {reader.line_num} 行不是合法的 CSV:{exc}") from None
    if not table.rows and not table.shape_errors:
        raise ImportFileError("文件中只有表头,没有数据行")
    return table


def _delimiter_of(text: str) -> str:
    """Tab for Excel's "Unicode text" (tab-separated) files, else comma."""
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


def _map_header(head: list[str], kind: str) -> tuple[dict[str, int], dict[str, str],
                                                     list[str]]:
    known = _HEADERS[kind]
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(head):
        title = restore(raw).strip().lstrip("\ufeff").rstrip("*").strip()
        wire = known.get(title) or known.get(title.lower())
        if wire is None:
            if title:
                ignored.append(title)
            continue
        if wire in positions:
            raise ImportFileError(f"表头中「{titles[wire]}」和「{title}」都是 {wire} 列,"
                                  "请只保留一列")
        positions[wire] = index
        titles[wire] = title
    missing = [name for name in _REQUIRED[kind] if name not in positions]
    if missing:
        wanted = "、".join(f"{_TITLES[m]}({m})" for m in missing)
        raise ImportFileError(f"表头缺少 {wanted} 列;表头应为 {_example_header(kind)}")
    return positions, titles, ignored


def _read_rows(reader: Any, positions: dict[str, int], head_width: int,
               table: ImportTable) -> None:
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1  # a quoted cell may span several lines
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (Excel leaves some at the end) are not rows
        if any(cell.strip() for cell in cells[head_width:]):
            table.shape_errors.append(RowError(
                start, "", "", f"有 {len(cells)} 个单元格,多于表头的 {head_width} 列;"
                "请检查多余的逗号,或含逗号的内容是否加了引号"))
            continue
        record = {wire: restore(cells[i]) if i < len(cells) else ""
                  for wire, i in positions.items()}
        table.rows.append((start, record))


def _example_header(kind: str) -> str:
    if kind == OBJECTS:
        return "对象编号,名称,别名,位置,描述(或 uid,name,alias,location,description)"
    return "统计编号,读数,时间(或 statistics_id,value,time)"


# -- importing --------------------------------------------------------------------------------


def import_table(services: Services, table: ImportTable, *, commit: bool = True,
                 keep_good: bool = False, update_existing: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Apply every row through the services in one transaction.

    Nothing is kept when ``commit`` is false (a dry run), or when a row is bad (here or in
    the file's shape) and ``keep_good`` is false; a bad row leaves no trace even when the
    good rows are kept. ``progress(done, total)`` is called every 200 rows; when
    ``cancelled()`` turns true everything is rolled back and ``ImportCancelled`` raised.
    ``update_existing``: see the module docstring.
    """
    # Rows the file's shape already refused count like refused rows: without keep_good
    # they stop the import as well.
    keep = commit and (keep_good or not table.shape_errors)
    if table.kind == OBJECTS:
        outcome = services.objects.import_rows(
            table.rows, commit=keep, keep_good=keep_good, update_existing=update_existing,
            progress=progress, cancelled=cancelled)
    else:
        outcome = services.statistics.import_readings(
            table.rows, commit=keep, keep_good=keep_good, progress=progress,
            cancelled=cancelled)
    errors = [*table.shape_errors,
              *(_row_error(line, exc, table.titles) for line, exc in outcome.errors)]
    errors.sort(key=lambda e: e.line)
    return ImportResult(len(table.rows) + len(table.shape_errors), outcome.good, errors,
                        outcome.committed, outcome.existing, outcome.updated)


def _row_error(line: int, exc: DomainError, titles: Mapping[str, str]) -> RowError:
    return RowError(line, exc.field, titles.get(exc.field, exc.field), exc.message, exc)


__all__ = ["OBJECTS", "READINGS", "ImportCancelled", "ImportFileError", "ImportResult",
           "ImportTable", "RowError", "decode", "import_table", "parse_table", "read_table"]
