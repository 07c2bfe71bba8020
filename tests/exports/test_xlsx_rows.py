"""The Excel export's own sheet rows (``RowXml``) against XlsxWriter's typed writers, read
back with openpyxl: every value that needs care comes back as the library writes it, in
batches that mix plain and tricky rows, across gaps and sheet splits; the rows deflated
apart make a valid zip entry; and the zip level is put back after each close."""

from __future__ import annotations

import math
import os
import re
import threading
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import xlsxwriter.workbook

from mixtimer_gui.exports import xlsx_export
from mixtimer_gui.exports.xlsx_export import Column, Sheet, SheetWriter, quick_zip

SHEET = Sheet("测试", (
    Column("编号", xlsx_export.TEXT, 14), Column("费用", xlsx_export.NUMBER, 10),
    Column("描述", xlsx_export.TEXT, 30), Column("时间", xlsx_export.TIME, 19),
    Column("备注", xlsx_export.TEXT, 14),
))

# Text the templates cannot write as it is: each must read back as XlsxWriter writes it.
CAREFUL = [
    "a<b", "a>b", "]]>", "R&D", "x_x0041_y", "_xFFFF_", " lead", "trail ", "\tab", "nl\n",
    "multi\nline", "\r", "ctrl\x01\x1f", "\x00", "\ufffe\uffff", "\u3000全角空格", "nbsp\xa0",
    "<t>", "</t></is></c>", "<v>1</v>", "\U0001f600 emoji", "中文" * 20_000,
]
PLAIN = ["0012", "=1+1", "-obj-1", "1e5", "2026-01-02", "'quoted", "TRUE", "叉车1号", "x"]


def rows_for(texts: list[str]) -> list[tuple[Any, ...]]:
    """Rows that put each text in every text column, with numbers, moments and gaps."""
    rows: list[tuple[Any, ...]] = []
    for i, text in enumerate(texts):
        rows.append((text, i * 0.5, text, 46000 + i / 7, text))
        rows.append((f"u{i}", None, "", None, text))  # gaps before the last cell
        rows.append((None, 12, text, 45000.25, None))  # a gap first
    return rows


def write(path: Path, rows: list[tuple[Any, ...]], *, fast: bool, sheet_rows: int = 1000,
          batch: int = 7) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    writer = SheetWriter(book, SHEET, sheet_rows, fast=fast)
    try:
        for start in range(0, len(rows), batch):
            writer.add_rows(rows[start:start + batch])
        writer.close()
    except BaseException:
        writer.discard()  # as write_workbook does: no deflating thread left waiting
        raise


def read(path: Path) -> list[list[list[tuple[Any, str, str]]]]:
    """Each sheet's cells as (value, type, number format), by openpyxl's full reader."""
    with open(path, "rb") as fh:
        book = openpyxl.load_workbook(fh)
    return [[[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets]


def streamed(path: Path) -> list[list[tuple[Any, ...]]]:
    """The same through openpyxl's streaming reader, which places cells by itself."""
    with open(path, "rb") as fh:
        book = openpyxl.load_workbook(fh, read_only=True)
        try:
            return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
        finally:
            book.close()


@pytest.mark.parametrize("texts", [PLAIN, CAREFUL, PLAIN + CAREFUL + PLAIN],
                         ids=["plain", "careful", "mixed"])
def test_rows_read_back_as_xlsxwriter_writes_them(texts: list[str], tmp_path: Path) -> None:
    rows = rows_for(texts)
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write(ours, rows, fast=True)
    write(theirs, rows, fast=False)
    assert read(ours) == read(theirs)
    assert streamed(ours) == streamed(theirs)
    assert len(streamed(ours)[0]) == len(rows) + 1


def test_the_fast_path_is_taken_and_writes_fewer_references(tmp_path: Path) -> None:
    """Cells follow their left neighbour without a reference; only one after a gap has one
    (and with it, the file is read back the same: the test above)."""
    out = tmp_path / "ours.xlsx"
    write(out, [("a", 1, "b", 46000.5, "c"), ("a", None, "", None, "c")], fast=True)
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="2"><c s="2" t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c>' in sheet
    assert '<row r="3"><c s="2" t="inlineStr"><is><t>a</t></is></c><c r="E3"' in sheet


def test_splits_into_sheets_inside_a_batch(tmp_path: Path) -> None:
    rows = rows_for(PLAIN + CAREFUL[:5])  # 42 rows: 9 a sheet, then 6
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write(ours, rows, fast=True, sheet_rows=10, batch=25)
    write(theirs, rows, fast=False, sheet_rows=10, batch=25)
    sheets = streamed(ours)
    assert [len(s) for s in sheets] == [10, 10, 10, 10, 7]
    assert sheets == streamed(theirs)
    book = openpyxl.load_workbook(ours)
    assert [s.auto_filter.ref for s in book.worksheets] == ["A1:E10"] * 4 + ["A1:E7"]


def test_rich_text_markup_is_text_like_any_other(tmp_path: Path) -> None:
    """XlsxWriter writes ``<r>…</r>`` unescaped, as rich-text markup: the cell lost its
    text (or broke the file). Here it reads back exactly as typed."""
    out = tmp_path / "ours.xlsx"
    texts = ["<r>z</r>", "<r><t>x</t></r>", "<r></is></c></row></r>"]
    write(out, [(t, 1, t, 46000.0, t) for t in texts], fast=True)
    assert [row[0] for row in streamed(out)[0][1:]] == texts
    assert [row[4] for row in read(out)[0][1:]] == [(t, "s", "@") for t in texts]


def test_a_moment_that_is_no_number_is_refused_as_xlsxwriter_refuses_it(
        tmp_path: Path) -> None:
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError):
            write(tmp_path / "bad.xlsx", [("a", 1, "b", 46000.0, "c"), ("a", 1, "b", bad, "c")],
                  fast=True)
        with pytest.raises(ValueError):
            write(tmp_path / "bad.xlsx", [("a", bad, "b", 46000.0, "c")], fast=True)


def test_the_zip_level_is_put_back(tmp_path: Path) -> None:
    before = xlsxwriter.workbook.ZipFile
    out = tmp_path / "ours.xlsx"
    write(out, rows_for(PLAIN), fast=True)
    assert xlsxwriter.workbook.ZipFile is before is zipfile.ZipFile
    with pytest.raises(RuntimeError), quick_zip():
        assert xlsxwriter.workbook.ZipFile is not zipfile.ZipFile
        raise RuntimeError
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    info = zipfile.ZipFile(out).getinfo("xl/worksheets/sheet1.xml")
    assert info.compress_type == zipfile.ZIP_DEFLATED


def test_a_flag_in_a_number_column_is_written_as_xlsxwriter_writes_it(tmp_path: Path) -> None:
    """``str(True)`` is no number: such a batch goes the careful way and reads back 1."""
    rows = [("a", True, "b", 46000.0, "c"), ("a", 2, "b", 46000.0, "c"), ("a", 0, "", None, "")]
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write(ours, rows, fast=True)
    write(theirs, rows, fast=False)
    assert read(ours) == read(theirs)
    assert [row[1] for row in streamed(ours)[0][1:]] == [1, 2, 0]


def test_text_as_utf8_bytes_reads_back_as_the_same_text(tmp_path: Path) -> None:
    """The handle export hands text over as the database's UTF-8 bytes; bytes that are no
    UTF-8 (never written by the app) still give a readable file, not a crash."""
    texts = PLAIN + CAREFUL[:-1]
    as_text, as_bytes = tmp_path / "text.xlsx", tmp_path / "bytes.xlsx"
    write(as_text, rows_for(texts), fast=True)
    write(as_bytes, [tuple(v.encode() if isinstance(v, str) else v for v in row)
                     for row in rows_for(texts)], fast=True)
    assert read(as_bytes) == read(as_text)
    broken = tmp_path / "broken.xlsx"
    write(broken, [(b"ok", 1, b"\xff\xfeA", 46000.0, b"")], fast=True)
    assert streamed(broken)[0][1] == ("ok", 1, "\ufffd\ufffdA", streamed(broken)[0][1][3], None)


@pytest.mark.parametrize("first_length", [0, 1, 17, 4096])
@pytest.mark.parametrize("second_length", [0, 1, 3, 255, 65_537])
def test_crc32_combine_gives_the_crc_of_the_joined_bytes(first_length: int,
                                                         second_length: int) -> None:
    first, second = os.urandom(first_length), os.urandom(second_length)
    assert xlsx_export.crc32_combine(zlib.crc32(first), zlib.crc32(second),
                                     second_length) == zlib.crc32(first + second)


def test_the_rows_deflated_apart_make_one_valid_zip_entry(tmp_path: Path) -> None:
    """The sheet's entry is the XML before the rows, the rows and the XML after, deflated
    apart: the zip's own check (CRC-32 and length of each entry) passes, and the sheet
    inflates to the XML XlsxWriter writes for the same rows, cell for cell."""
    rows = rows_for(PLAIN + CAREFUL)
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write(ours, rows, fast=True, sheet_rows=20, batch=9)
    write(theirs, rows, fast=False, sheet_rows=20, batch=9)
    with zipfile.ZipFile(ours) as book:
        assert book.testzip() is None
        sheet = book.read("xl/worksheets/sheet2.xml")
        info = book.getinfo("xl/worksheets/sheet2.xml")
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.file_size == len(sheet)
    assert sheet.count(b"<row ") == 20 and sheet.endswith(b"</worksheet>")
    assert read(ours) == read(theirs)


def test_where_a_zip_entry_takes_no_deflated_data_the_rows_are_inflated_into_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another zipfile than CPython's: the rows go through its own deflate, read back the
    same."""
    rows = rows_for(PLAIN + CAREFUL)
    ours, inflated = tmp_path / "ours.xlsx", tmp_path / "inflated.xlsx"
    write(ours, rows, fast=True, sheet_rows=20)
    monkeypatch.setattr(xlsx_export, "_writes_deflated", lambda entry: False)
    write(inflated, rows, fast=True, sheet_rows=20)
    with zipfile.ZipFile(inflated) as book:
        assert book.testzip() is None
    assert read(inflated) == read(ours)


def test_a_workbook_closing_while_another_closes_still_gets_its_rows(tmp_path: Path) -> None:
    """Two exports at once (the window and the API): the second close waits for the first
    to put XlsxWriter's zip back, rather than close without its rows (or with the other's)."""
    rows = rows_for(PLAIN)
    book = xlsxwriter.Workbook(str(tmp_path / "ours.xlsx"), {"constant_memory": True})
    writer = SheetWriter(book, SHEET, 1000)
    writer.add_rows(rows)
    swapped, release = threading.Event(), threading.Event()

    def other_close() -> None:
        with quick_zip():
            swapped.set()
            release.wait(10)

    other = threading.Thread(target=other_close)
    other.start()
    assert swapped.wait(10)
    closing = threading.Thread(target=writer.close)
    closing.start()
    release.set()
    other.join(10)
    closing.join(10)
    assert len(streamed(tmp_path / "ours.xlsx")[0]) == len(rows) + 1


def test_rows_that_cannot_be_put_in_place_fail_the_close_rather_than_vanish(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "ours.xlsx"), {"constant_memory": True})
    writer = SheetWriter(book, SHEET, 1000)
    writer.add_rows(rows_for(PLAIN))
    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", lambda *args, **kwargs: None)
    with pytest.raises(RuntimeError):
        writer.close()
    writer.discard()
    book.fileclosed = True


def test_a_moment_is_written_as_the_very_same_number(tmp_path: Path) -> None:
    """A date-time serial that 16 digits do not hold (XlsxWriter's ``.16G`` loses its last
    bit) is written by the fast way with the digits that give it back exactly: moments
    sort and compare as they were."""
    moment = 45000.651592972725
    assert float(f"{moment:.16G}") != moment
    out = tmp_path / "ours.xlsx"
    write(out, [("a", 1, "b", moment, "c"), ("a", 1, "b", 46000 + 1 / 7, "c")], fast=True)
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    written = [float(text) for text in re.findall(r'<c s="3"><v>([^<]*)</v>', sheet)]
    assert written == [moment, 46000 + 1 / 7]
    assert [row[3].date() for row in streamed(out)[0][1:]] == [
        date(2023, 3, 15), date(2025, 12, 9)]
