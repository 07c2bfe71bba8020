"""Tasks and objects to CSV and to Excel on both engines: the list's filter and order, the
same columns in both files, text kept as typed, progress told, read back with openpyxl and
csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mixtimer_gui.exports.list_csv import export_objects_csv, export_tasks_csv
from mixtimer_gui.exports.sheets import OBJECTS, TASKS
from mixtimer_gui.exports.xlsx_export import export_objects_xlsx, export_tasks_xlsx
from mixtimer_gui.services import Services

pytestmark = pytest.mark.parametrize("engine", ["sqlite", "postgresql"])


@pytest.fixture
def plant(services: Services) -> str:
    for uid, name, location in (("0012", "=风机", "-二车间"), ("K1", "空压机", "一车间"),
                                ("K2", "1e5", "一车间")):
        services.objects.create({"uid": uid, "name": name, "location": location})
    project = services.projects.create({"name": "月保", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "月",
                                        "object_id_list": ["0012", "K1", "K2"]})["uid"]
    services.projects.start({"uid": project})
    return project


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_xlsx(path: Path) -> list[tuple[Any, ...]]:
    with open(path, "rb") as fh:
        return list(openpyxl.load_workbook(fh).worksheets[0].iter_rows(values_only=True))


def test_objects_in_both_files_with_the_filter_and_order(services: Services, plant: str,
                                                         tmp_path: Path) -> None:
    params = {"where_and": [["location", "=", "一车间"]], "where_or": [], "where_in": [],
              "order_by": "-uid"}
    told: list[tuple[int, int]] = []
    text = export_objects_csv(services, tmp_path / "o.csv", params,
                              progress=lambda done, total: told.append((done, total)))
    book = export_objects_xlsx(services, tmp_path / "o.xlsx", params)
    assert (text.rows, book.rows, told) == (2, 2, [(2, 2)])
    rows, cells = read_csv(tmp_path / "o.csv"), read_xlsx(tmp_path / "o.xlsx")
    assert rows[0] == list(cells[0]) == [c.title for c in OBJECTS.columns]
    assert [r[:2] for r in rows[1:]] == [["K2", "1e5"], ["K1", "空压机"]]
    assert [c[:2] for c in cells[1:]] == [("K2", "1e5"), ("K1", "空压机")]


def test_tasks_keep_text_as_typed_in_excel_and_guarded_in_csv(services: Services, plant: str,
                                                               tmp_path: Path) -> None:
    params = {"order_by": "object_id"}
    export_tasks_csv(services, tmp_path / "t.csv", params)
    export_tasks_xlsx(services, tmp_path / "t.xlsx", params)
    rows, cells = read_csv(tmp_path / "t.csv"), read_xlsx(tmp_path / "t.xlsx")
    assert rows[0] == list(cells[0]) == [c.title for c in TASKS.columns]
    assert [r[3] for r in rows[1:]] == [c[3] for c in cells[1:]] == ["0012", "K1", "K2"]
    assert rows[1][4] == "'=风机" and cells[1][4] == "=风机"  # 对象名称
    task = services.tasks.get({"uid": rows[1][0]})
    assert rows[1][11] == task["due_at"]  # CSV: the wire's local text
    assert cells[1][11].strftime("%Y-%m-%d %H:%M:%S") == task["due_at"]  # Excel: a date-time
    assert rows[1][8] == "1" and cells[1][8] == 1  # 周期数, a number in both
