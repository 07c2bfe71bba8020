"""The Excel export read back with openpyxl, as a spreadsheet would: cell types, the exact
text of values CSV turned into numbers, dates or formulas, the header, the split into sheets,
and the command line's ``--format xlsx``."""

from __future__ import annotations

import errno
import io
import json
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from export_samples import TRICKY, Sample
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape

from mixtimer_gui.cli import main
from mixtimer_gui.domain.clock import FakeClock, format_wire
from mixtimer_gui.exports import csv_export
from mixtimer_gui.exports.csv_export import ExportCancelled
from mixtimer_gui.exports.xlsx_export import (
    HANDLES,
    export_handles_xlsx,
    export_objects_xlsx,
    export_tasks_xlsx,
)
from mixtimer_gui.services import Services

# What CSV lost in a spreadsheet (issue #19): each must come back as this very text.
LOOKS_LIKE_SOMETHING_ELSE = ["0012", "=1+1", "-obj-1", "1e5", "2026-01-02", "'quoted",
                             "TRUE", "http://example.com/x", " padded "]


def rows_of(path: Path, sheet: int = 0) -> list[tuple[Any, ...]]:
    with open(path, "rb") as fh:  # a file object: openpyxl judges a name by its ending
        book = openpyxl.load_workbook(fh)
    return [tuple(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


def cells_of(path: Path, sheet: int = 0) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book.worksheets[sheet].iter_rows()]


def column(title: str) -> int:
    return [c.title for c in HANDLES.columns].index(title)


@pytest.fixture
def tricky_handles(services: Services, fake_clock: FakeClock) -> list[str]:
    services.objects.create({"uid": "-obj-1", "name": "0012", "location": "=A1"})
    project = services.projects.create({"name": "1e5", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "日",
                                        "object_id_list": ["-obj-1"]})["uid"]
    services.projects.start({"uid": project})
    task = services.tasks.list({"page_size": 10})["data"][0]["uid"]
    made = []
    for text in LOOKS_LIKE_SOMETHING_ELSE:
        fake_clock.advance(hours=1)
        made.append(services.handles.handle({"task_id": task, "description": text,
                                             "result": text, "fee": 12.5,
                                             "handler_name_list": [text]})["uid"])
    return made


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_text_stays_exactly_as_typed(services: Services, tricky_handles: list[str],
                                     tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    result = export_handles_xlsx(services, out)
    assert result.rows == len(LOOKS_LIKE_SOMETHING_ELSE)
    rows = cells_of(out)[1:]
    for text, row in zip(LOOKS_LIKE_SOMETHING_ELSE, rows, strict=True):
        for title in ("描述", "处理结果", "处理人"):
            cell = row[column(title)]
            assert (cell.value, cell.data_type) == (text, "s"), (title, text)
        assert row[column("对象编号")].value == "-obj-1"
        assert row[column("对象名称")].value == "0012"
        assert row[column("项目名称")].value == "1e5"


def test_numbers_and_times_are_typed(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    export_handles_xlsx(sample.services, out)
    cells = cells_of(out)
    handles = {h["uid"]: h for h in sample.services.handles.list(
        {"page_size": 100})["data"]}
    for row in cells[1:]:
        wire = handles[row[0].value]
        fee = row[column("费用")]
        assert fee.data_type == "n" and fee.value == pytest.approx(wire["fee"])
        created = row[column("处理时间")]
        assert isinstance(created.value, datetime)
        assert created.number_format == "yyyy-mm-dd hh:mm:ss"
        assert created.value.strftime("%Y-%m-%d %H:%M:%S") == wire["created"]
        assert row[column("跳过周期数")].data_type == "n"
    # The late handle reads 否, the ignored one has no on-time cell and reads 是 ignored.
    late, ignored = cells[-2], cells[-1]
    assert late[column("是否按时")].value == "否"
    assert (ignored[column("是否按时")].value, ignored[column("是否忽略")].value) == (None, "是")


def test_the_csv_tricky_values_come_back_unguarded(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    export_handles_xlsx(sample.services, out)
    descriptions = [r[column("描述")] for r in rows_of(out)[1:len(TRICKY) + 1]]
    # An empty description is an empty cell; every other one exactly as typed, no apostrophe.
    # A carriage return is stored as OOXML's _x000D_ escape, which Excel and LibreOffice
    # read back as the character; openpyxl leaves it to its caller for inline strings.
    assert [unescape(d) if d else d for d in descriptions] == [t if t else None
                                                                for t in TRICKY]
    assert descriptions[TRICKY.index("=SUM(A1:A9)")] == "=SUM(A1:A9)"


def test_header_is_frozen_chinese_with_a_filter_and_widths(sample: Sample,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    export_handles_xlsx(sample.services, out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]] == csv_export.header()
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(csv_export.header()))  # AB: every column of the CSV
    assert sheet.auto_filter.ref == f"A1:{last}{len(sample.handles) + 1}"
    widths = {sheet.column_dimensions[c].width for c in ("A", "M", "O")}
    assert len(widths) == 3 and min(widths) >= 10  # set per column, not left at default


def test_rows_continue_on_a_second_sheet(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    result = export_handles_xlsx(sample.services, out, sheet_rows=11)  # header + 10 rows
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["维保记录", "维保记录 (2)"]
    first, second = (list(s.iter_rows(values_only=True)) for s in book.worksheets)
    assert len(first) == 11 and len(second) == len(sample.handles) - 10 + 1
    assert first[0] == second[0]  # each sheet has its header
    assert [r[0] for r in first[1:] + second[1:]] == sample.handles
    assert result.rows == len(sample.handles)
    assert book.worksheets[1].freeze_panes == "A2"


def test_filters_apply_and_an_empty_export_still_has_its_header(sample: Sample,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "ignored.xlsx"
    result = export_handles_xlsx(sample.services, out,
                                 {"where_and": [["is_ignored", "=", 1]]})
    assert result.rows == 1 and len(rows_of(out)) == 2
    none = tmp_path / "none.xlsx"
    export_handles_xlsx(sample.services, none, {"where_and": [["fee", "=", 999]]})
    assert rows_of(none) == [tuple(csv_export.header())]


def test_cancel_leaves_no_file_and_keeps_the_old_one(sample: Sample, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder, scratch = tmp_path / "out", tmp_path / "scratch"
    folder.mkdir()
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the row files go
    out = folder / "records.xlsx"
    out.write_bytes(b"old")
    calls = iter([False, True])  # cancelled after the first batch's rows were written
    with pytest.raises(ExportCancelled):
        export_handles_xlsx(sample.services, out, cancelled=lambda: next(calls))
    assert out.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["records.xlsx"]
    assert list(scratch.iterdir()) == []


class FullDisk(io.BytesIO):
    """A temporary file on a disk that is full."""

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_deflating_fails_the_export_and_keeps_the_old_file(
        sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows are deflated on a thread of their own: what goes wrong there reaches the
    export (no file written, the old one intact) and leaves no thread behind."""
    out = tmp_path / "records.xlsx"
    out.write_bytes(b"old")
    before = sorted(tmp_path.iterdir())
    monkeypatch.setattr(tempfile, "TemporaryFile", FullDisk)
    with pytest.raises(OSError, match="No space left"):
        export_handles_xlsx(sample.services, out)
    assert out.read_bytes() == b"old"
    assert sorted(tmp_path.iterdir()) == before
    assert not [t for t in threading.enumerate() if t.name == "xlsx-deflate"]


def test_tasks_and_objects(sample: Sample, tmp_path: Path) -> None:
    services = sample.services
    tasks_out, objects_out = tmp_path / "tasks.xlsx", tmp_path / "objects.xlsx"
    every_task = services.tasks.list({})["total_records"]  # the sample's and the checklist's
    assert export_tasks_xlsx(services, tasks_out).rows == every_task
    assert export_objects_xlsx(services, objects_out).rows == 2
    tasks = cells_of(tasks_out)
    assert tasks[0][0].value == "任务编号"
    [weekly] = [row for row in tasks[1:] if row[0].value == sample.tasks[0]]
    wire = services.tasks.get({"uid": weekly[0].value})
    due = weekly[11]
    assert isinstance(due.value, datetime) and due.value.strftime(
        "%Y-%m-%d %H:%M:%S") == wire["due_at"]
    assert weekly[8].data_type == "n" and weekly[8].value == 7
    objects = rows_of(objects_out)
    assert objects[0][:4] == ("对象编号", "对象名称", "对象别名", "位置")
    assert ("fan-2", "=风机") in {row[:2] for row in objects[1:]}
    # the sheets split as the handles' do
    export_tasks_xlsx(services, tasks_out, sheet_rows=2)
    # a sheet of 2 rows: the header and one task
    assert len(openpyxl.load_workbook(tasks_out).sheetnames) == every_task


def test_command_line_format_xlsx(sample: Sample, db_path: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "records.dat"
    code = main(["export-handles", "--db", str(db_path), "--out", str(out),
                 "--format", "xlsx", "--where-and", json.dumps([["fee", "=", 3]])])
    stdout, stderr = capsys.readouterr()
    assert (code, stderr) == (0, "")
    rows = rows_of(out)
    assert f"已导出 {len(rows) - 1} " in stdout and len(rows) > 2
    assert all(r[column("费用")] == 3 for r in rows[1:])
    # the file's ending picks Excel too; --wire-header is CSV's alone
    by_name = tmp_path / "records.xlsx"
    assert main(["export-handles", "--db", str(db_path), "--out", str(by_name)]) == 0
    assert rows_of(by_name)[0][0] == "处理编号"
    assert main(["export-handles", "--db", str(db_path), "--out", str(by_name),
                 "--wire-header"]) == 1
    assert "--wire-header" in capsys.readouterr().err


def test_times_are_local_wall_time(services: Services, tricky_handles: list[str],
                                   tmp_path: Path) -> None:
    out = tmp_path / "records.xlsx"
    export_handles_xlsx(services, out)
    created = rows_of(out)[1][column("处理时间")]
    handle = services.handles.get({"uid": tricky_handles[0]})
    assert created.strftime("%Y-%m-%d %H:%M:%S") == handle["created"]
    assert format_wire(services.clock.now()) >= handle["created"]


def test_a_voided_handle_is_exported_marked(sample: Sample, tmp_path: Path) -> None:
    """Like the CSV (#15): a voided record stays in the file, marked 已作废 with its reason
    and time (a filter on is_voided picks them); 完成时间 is a date-time cell."""
    last = sample.handles[-1]
    sample.services.handles.void({"uid": last, "reason": "录入错误"})
    out = tmp_path / "records.xlsx"
    export_handles_xlsx(sample.services, out, {"where_and": [["is_voided", "=", 1]]})
    [_header, row] = rows_of(out)
    assert row[column("处理编号")] == last
    assert (row[column("已作废")], row[column("作废原因")]) == ("是", "录入错误")
    assert isinstance(row[column("作废时间")], datetime)
    assert isinstance(row[column("完成时间")], datetime)
    every = tmp_path / "all.xlsx"
    export_handles_xlsx(sample.services, every)
    marks = {r[column("处理编号")]: r[column("已作废")] for r in rows_of(every)[1:]}
    assert marks[last] == "是" and set(marks.values()) == {"是", "否"}
