"""The column lists screens show are the import's and the export's real behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixtimer_gui.exports import columns
from mixtimer_gui.exports.csv_export import header
from mixtimer_gui.exports.csv_import import ImportFileError, parse_table

KINDS = (columns.OBJECTS, columns.READINGS)


def _header_with(kind: str, name: str, field: str) -> list[str]:
    """``name`` for ``field``, plus one accepted name for every other required field."""
    others = [c.names[0] for c in columns.import_columns(kind)
              if c.required and c.field != field]
    return [name, *others]


@pytest.mark.parametrize("kind", KINDS)
def test_every_listed_name_is_read_as_its_field(kind: str) -> None:
    for column in columns.import_columns(kind):
        for name in column.names:
            head = _header_with(kind, name, column.field)
            table = parse_table(",".join(head) + "\n" + ",".join("1" for _ in head), kind)
            assert table.titles[column.field] == name
            assert table.ignored_columns == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_required_column_left_out_is_refused(kind: str) -> None:
    for column in columns.import_columns(kind):
        if not column.required:
            continue
        head = [c.names[0] for c in columns.import_columns(kind)
                if c.required and c.field != column.field] or ["x"]
        with pytest.raises(ImportFileError):
            parse_table(",".join(head) + "\n" + ",".join("1" for _ in head), kind)


def test_a_name_not_listed_is_not_taken() -> None:
    assert "地点" not in columns.accepted_headers(columns.OBJECTS)
    table = parse_table("名称,地点\nA,B\n", columns.OBJECTS)
    assert table.ignored_columns == ["地点"]


def test_the_export_columns_are_the_files_header() -> None:
    listed = columns.export_columns()
    assert [title for title, _wire in listed] == header()
    assert [wire for _title, wire in listed] == header(wire=True)


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_is_a_header_the_import_reads_whole(kind: str, tmp_path: Path) -> None:
    path = columns.write_template(tmp_path / f"{kind}.csv", kind)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")  # as the export
    head = data.decode("utf-8-sig").rstrip("\r\n")
    assert head.split(",") == columns.template_header(kind)
    table = parse_table(head + "\n" + ",".join("1" for _ in head.split(",")), kind)
    assert table.fields == [c.field for c in columns.import_columns(kind)]
    assert table.ignored_columns == []
