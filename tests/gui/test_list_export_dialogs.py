"""Export… on the tasks and objects tabs: the chooser offers CSV and Excel, the file holds
exactly what the list's filters show, read back as a user's tools would (openpyxl, csv)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lists_seed import seed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui import csv_dialogs
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.objects_tab import ObjectsTab
from mixtimer_gui.gui.tasks_tab import TasksTab
from mixtimer_gui.services import Services

WAIT_MS = 10_000


def choose(monkeypatch: pytest.MonkeyPatch, path: Path, excel: bool) -> list[str]:
    """Answer the save chooser with ``path`` and the CSV or Excel type; returns the types
    it offered."""
    offered: list[str] = []

    def fake(_parent: Any, _title: str, _suggested: str, filters: str) -> tuple[str, str]:
        offered.append(filters)
        return str(path), csv_dialogs.excel_filter() if excel else "CSV (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return offered


def finished_box(qtbot: Any, parent: QWidget) -> QMessageBox:
    def shown() -> list[QMessageBox]:
        return [b for b in parent.findChildren(QMessageBox) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=WAIT_MS)
    return shown()[0]


def workbook(path: Path) -> Any:
    with open(path, "rb") as fh:
        return openpyxl.load_workbook(fh).worksheets[0]


@pytest.fixture
def objects_tab(qtbot: Any, services: Services, bridge: ChangeBridge) -> ObjectsTab:
    for uid, name, location in (("0012", "空压机 1号", "=A1"), ("-obj-1", "1e5", "一车间"),
                                ("T1", "冷却塔", "屋顶")):
        services.objects.create({"uid": uid, "name": name, "location": location})
    tab = ObjectsTab(services, bridge)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_objects_to_excel_with_the_search_applied(qtbot: Any, objects_tab: ObjectsTab,
                                                  services: Services, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    offered = choose(monkeypatch, tmp_path / "objects", excel=True)
    qtbot.keyClicks(objects_tab.search, "obj-1")  # narrows the list to one object
    qtbot.waitUntil(lambda: objects_tab.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.mouseClick(objects_tab.export_button, Qt.MouseButton.LeftButton)
    box = finished_box(qtbot, objects_tab)
    assert "Exported 1 record" in box.text()
    assert "*.csv" in offered[0] and "*.xlsx" in offered[0]
    sheet = workbook(tmp_path / "objects.xlsx")
    assert [c.value for c in sheet[1]][:4] == ["对象编号", "对象名称", "对象别名", "位置"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G2"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width
    uid, name = sheet["A2"], sheet["B2"]
    assert (uid.value, uid.data_type, name.value, name.data_type) == ("-obj-1", "s", "1e5", "s")
    created = sheet["F2"]
    wire = services.objects.get({"uid": "-obj-1"})
    assert isinstance(created.value, datetime)
    assert created.value.strftime("%Y-%m-%d %H:%M:%S") == wire["created"]


def test_objects_to_csv_keep_text_guarded(qtbot: Any, objects_tab: ObjectsTab,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    choose(monkeypatch, tmp_path / "objects", excel=False)
    qtbot.mouseClick(objects_tab.export_button, Qt.MouseButton.LeftButton)
    finished_box(qtbot, objects_tab)
    with open(tmp_path / "objects.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["对象编号", "对象名称", "对象别名", "位置"]
    by_uid = {row[0]: row for row in rows[1:]}
    assert set(by_uid) == {"0012", "'-obj-1", "T1"}  # the formula guard, as for handles
    assert by_uid["0012"][3] == "'=A1"
    assert not (tmp_path / "objects.xlsx").exists()


@pytest.fixture
def tasks_tab(qtbot: Any, services: Services, bridge: ChangeBridge,
              fake_clock: FakeClock) -> TasksTab:
    seed(services, fake_clock)
    fake_clock.advance(hours=22)
    tab = TasksTab(services, bridge)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.project_combo.count() > 1)
    return tab


def test_tasks_to_excel_in_the_list_order_with_its_filter(
        qtbot: Any, tasks_tab: TasksTab, services: Services, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    choose(monkeypatch, tmp_path / "tasks.xlsx", excel=True)
    tasks_tab.status_combo.setCurrentIndex(tasks_tab.status_combo.findData("已到期"))
    shown = [tasks_tab.model.record(r)["uid"] for r in range(tasks_tab.model.rowCount())]
    assert len(shown) >= 2
    qtbot.mouseClick(tasks_tab.export_button, Qt.MouseButton.LeftButton)
    finished_box(qtbot, tasks_tab)
    sheet = workbook(tmp_path / "tasks.xlsx")
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == shown
    assert {r[6].value for r in rows} == {"已到期"}
    first = services.tasks.get({"uid": shown[0]})
    due, period = rows[0][11], rows[0][8]
    assert due.number_format == "yyyy-mm-dd hh:mm:ss"
    assert due.value.strftime("%Y-%m-%d %H:%M:%S") == first["due_at"]
    assert (period.data_type, period.value) == ("n", first["period_num"])
    assert sheet["A1"].value == "任务编号" and sheet.freeze_panes == "A2"


def test_tasks_to_csv(qtbot: Any, tasks_tab: TasksTab, services: Services, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    choose(monkeypatch, tmp_path / "tasks", excel=False)
    qtbot.mouseClick(tasks_tab.export_button, Qt.MouseButton.LeftButton)
    finished_box(qtbot, tasks_tab)
    with open(tmp_path / "tasks.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + services.tasks.list({"page_size": 1})["total_records"]
    task = services.tasks.get({"uid": rows[1][0]})
    assert rows[1][11] == (task["due_at"] or "") and rows[1][8] == str(task["period_num"])
