"""The CSV dialogs: file choosers faked, work on a worker thread, results shown without
blocking."""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import shiboken6
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from mixtimer_gui.gui import background, csv_dialogs
from mixtimer_gui.gui.csv_dialogs import CsvJob, ImportDialog
from mixtimer_gui.gui.import_start import ImportStartDialog
from mixtimer_gui.services import Services
from mixtimer_gui.services import export_source as export_source_module

WAIT_MS = 10_000


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def handles(services: Services) -> list[str]:
    """Three handles on two tasks: 张三 did two, one was ignored."""
    project = services.projects.create({"name": "空压机保养", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "月",
                                        "object_id_list": ["K1", "K2"]})["uid"]
    services.projects.start({"uid": project})
    tasks = [t["uid"] for t in services.tasks.list({"order_by": "object_id"})["data"]]
    made = []
    for task in tasks:
        made.append(services.handles.handle({
            "task_id": task, "description": "=换油,滤芯", "handler_id_list": [1],
            "handler_name_list": ["张三"], "fee": 120})["uid"])
        services.clock.advance(hours=1)  # type: ignore[attr-defined]
    made.append(services.handles.ignore({"task_id": tasks[0], "description": "停产"})["uid"])
    return made


def choose_save(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> list[tuple]:
    calls: list[tuple] = []

    def fake(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return str(path), "CSV (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return calls


def choose_open(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "CSV (*.csv)")))


def start_import(start: ImportStartDialog) -> None:
    """Past the first step (the accepted columns) to the file chooser."""
    assert start.isVisible()
    start.choose_button.click()
    assert not start.isVisible()


def shown_boxes(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.isVisible()]


def wait_box(qtbot: Any, parent: QWidget) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(shown_boxes(parent)), timeout=WAIT_MS)
    return shown_boxes(parent)[0]


def wait_import_dialog(qtbot: Any, parent: QWidget) -> ImportDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(ImportDialog)),
                    timeout=WAIT_MS)
    return next(d for d in parent.findChildren(ImportDialog) if d.isVisible())


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# -- export -----------------------------------------------------------------------------------


def test_export_writes_the_filtered_rows_and_offers_the_folder(
        qtbot: Any, parent: QWidget, services: Services, handles: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "records.csv"
    target.parent.mkdir()
    choose_save(monkeypatch, target)
    opened: list[str] = []
    monkeypatch.setattr(csv_dialogs.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    csv_dialogs.export_handles(parent, services, {"where_and": [["is_ignored", "=", 0]],
                                                  "where_or": [], "where_in": [],
                                                  "order_by": "-created"})
    box = wait_box(qtbot, parent)
    assert box.objectName() == "csvExportDone"
    assert "Exported 2 records" in box.text() and str(target) in box.text()
    rows = read_rows(target)
    assert [r[0] for r in rows[1:]] == [handles[1], handles[0]]  # the list's order
    assert rows[1][12] == "'=换油,滤芯"
    next(b for b in box.buttons() if b.objectName() == "openFolder").click()
    assert opened == [str(target.parent)]


def test_export_adds_the_csv_suffix(qtbot: Any, parent: QWidget, services: Services,
                                    handles: list[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    choose_save(monkeypatch, tmp_path / "records")
    csv_dialogs.export_handles(parent, services, {})
    wait_box(qtbot, parent)
    assert len(read_rows(tmp_path / "records.csv")) == len(handles) + 1


def test_export_to_excel_when_the_chooser_says_so(
        qtbot: Any, parent: QWidget, services: Services, handles: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The chooser offers both types; a name without an ending gets the chosen type's, and
    the workbook keeps the guarded text exactly as typed."""
    offered: list[str] = []

    def fake(_parent: Any, _title: str, _suggested: str, filters: str) -> tuple[str, str]:
        offered.append(filters)
        return str(tmp_path / "records"), csv_dialogs.excel_filter()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    csv_dialogs.export_handles(parent, services, {"where_and": [["is_ignored", "=", 0]]})
    box = wait_box(qtbot, parent)
    assert "Exported 2 records" in box.text()
    assert "*.csv" in offered[0] and "*.xlsx" in offered[0]
    with open(tmp_path / "records.xlsx", "rb") as fh:
        sheet = openpyxl.load_workbook(fh).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][12] == "=换油,滤芯"
    assert not (tmp_path / "records.csv").exists()


def test_no_file_chosen_does_nothing(qtbot: Any, parent: QWidget, services: Services,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    csv_dialogs.export_handles(parent, services, {})
    assert parent.findChildren(CsvJob) == []


def test_a_bad_filter_is_shown_as_a_warning(qtbot: Any, parent: QWidget, services: Services,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    choose_save(monkeypatch, tmp_path / "x.csv")
    csv_dialogs.export_handles(parent, services, {"where_and": [["colour", "=", "red"]]})
    box = wait_box(qtbot, parent)
    assert box.icon() == QMessageBox.Icon.Warning and "colour" in box.text()
    assert not (tmp_path / "x.csv").exists()


@pytest.fixture
def paused_export(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event,
                                                                       threading.Event]]:
    """Batches of one row; after the first the worker waits until the test lets it go."""
    first_sent, go_on = threading.Event(), threading.Event()
    original = export_source_module.HandleExportSource.batches

    def batches(self: Any, size: int | None = None) -> Iterator[list]:
        for number, batch in enumerate(original(self, 1)):
            if number == 1:
                first_sent.set()
                go_on.wait(WAIT_MS / 1000)
            yield batch

    monkeypatch.setattr(export_source_module.HandleExportSource, "batches", batches)
    yield first_sent, go_on
    go_on.set()


def test_cancel_leaves_no_file_and_the_old_one_intact(
        qtbot: Any, parent: QWidget, services: Services, handles: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, paused_export: tuple) -> None:
    first_sent, go_on = paused_export
    target = tmp_path / "out" / "records.csv"
    target.parent.mkdir()
    target.write_text("last week's export", encoding="utf-8")
    choose_save(monkeypatch, target)
    csv_dialogs.export_handles(parent, services, {})
    (job,) = parent.findChildren(CsvJob)
    ended: list[str] = []
    job.cancelled.connect(lambda: ended.append("cancelled"))
    job.done.connect(lambda _: ended.append("done"))
    assert first_sent.wait(WAIT_MS / 1000)
    job.progress.findChild(QPushButton).click()  # the dialog's Cancel button
    go_on.set()
    qtbot.waitUntil(lambda: ended == ["cancelled"], timeout=WAIT_MS)
    assert target.read_text(encoding="utf-8") == "last week's export"
    assert sorted(p.name for p in target.parent.iterdir()) == ["records.csv"]
    assert shown_boxes(parent) == []


def test_the_worker_closes_its_own_connection(qtbot: Any, parent: QWidget, services: Services,
                                              handles: list[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    closed_on: list[int] = []
    real_close = services.db.close

    def close() -> bool:
        closed_on.append(threading.get_ident())
        return real_close()

    monkeypatch.setattr(services.db, "close", close)
    choose_save(monkeypatch, tmp_path / "x.csv")
    csv_dialogs.export_handles(parent, services, {})
    wait_box(qtbot, parent)
    assert closed_on and threading.get_ident() not in closed_on
    assert services.handles.list({})["total_records"] == len(handles)  # GUI thread unharmed


# -- import -----------------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_objects_previews_then_imports(qtbot: Any, parent: QWidget, services: Services,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "名称,位置,备用\r\n" + "".join(f"设备{i},车间{i},x\r\n" for i in range(25))
    choose_open(monkeypatch, write(tmp_path / "o.csv", rows, "gbk"))
    start_import(csv_dialogs.import_objects(parent, services))
    dialog = wait_import_dialog(qtbot, parent)
    assert dialog.preview.model().rowCount() == csv_dialogs.PREVIEW_ROWS
    assert dialog.preview.model().index(0, 0).data() == "2"
    assert dialog.preview.model().index(0, 1).data() == "设备0"
    assert "GBK" in dialog.summary.text() and "备用" in dialog.summary.text()
    assert dialog.import_all.isVisible() and not dialog.import_good.isVisible()
    assert services.objects.list({})["total_records"] == 0  # the check kept nothing
    dialog.import_all.click()
    box = wait_box(qtbot, parent)
    assert "25" in box.text()
    assert services.objects.list({})["total_records"] == 25


def test_bad_rows_are_listed_and_only_good_rows_on_request(
        qtbot: Any, parent: QWidget, services: Services, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "uid,name\r\na,甲\r\nb c,乙\r\nc,\r\nd,丁\r\n"
    choose_open(monkeypatch, write(tmp_path / "o.csv", text))
    start_import(csv_dialogs.import_objects(parent, services))
    dialog = wait_import_dialog(qtbot, parent)
    model = dialog.errors.model()
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in
            range(model.rowCount())] == [("3", "uid"), ("4", "name")]
    # The problem in the window's words, naming the column as the file does.
    assert model.index(1, 2).data() == "name is required: please fill it in."
    assert not dialog.import_all.isVisible() and dialog.import_good.isVisible()
    assert "2" in dialog.import_good.text()
    dialog.import_good.click()
    wait_box(qtbot, parent)
    uids = {o["uid"] for o in services.objects.list({})["data"]}
    assert uids == {"a", "d"}


def test_existing_objects_can_be_updated_from_the_file(
        qtbot: Any, parent: QWidget, services: Services, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    services.objects.create({"uid": "P1", "name": "泵", "location": "一楼"})
    rows = "对象编号,名称\r\nP1,一号泵\r\nP2,二号泵\r\n"
    choose_open(monkeypatch, write(tmp_path / "o.csv", rows))
    start_import(csv_dialogs.import_objects(parent, services))
    first = wait_import_dialog(qtbot, parent)
    assert first.update_box.isVisible() and not first.update_box.isChecked()
    assert "1" in first.update_box.text() and first.errors.model().rowCount() == 1
    first.update_box.setChecked(True)  # checks the file again, updating this time
    qtbot.waitUntil(lambda: any(d.isVisible() and d is not first
                                for d in parent.findChildren(ImportDialog)), timeout=WAIT_MS)
    second = next(d for d in parent.findChildren(ImportDialog)
                  if d.isVisible() and d is not first)
    assert second.update_box.isChecked() and not second.errors.isVisible()
    assert "1 existing object will be updated." in second.summary.text()
    assert services.objects.get({"uid": "P1"})["name"] == "泵"  # a check keeps nothing
    second.import_all.click()
    box = wait_box(qtbot, parent)
    assert "Imported 2" in box.text() and "1 existing object was updated." in box.text()
    stored = services.objects.get({"uid": "P1"})
    assert (stored["name"], stored["location"]) == ("一号泵", "一楼")


def test_readings_offer_no_update(qtbot: Any, parent: QWidget, services: Services,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    services.statistics.create({"uid": "m1", "name": "表"})
    choose_open(monkeypatch, write(tmp_path / "r.csv", "statistics_id,value\r\nm1,5\r\n"))
    start_import(csv_dialogs.import_readings(parent, services))
    assert not wait_import_dialog(qtbot, parent).update_box.isVisible()


def test_cancelling_the_preview_imports_nothing(qtbot: Any, parent: QWidget,
                                                services: Services, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    choose_open(monkeypatch, write(tmp_path / "o.csv", "name\r\n甲\r\n,\r\n"))
    start_import(csv_dialogs.import_objects(parent, services))
    dialog = wait_import_dialog(qtbot, parent)
    dialog.reject()
    qtbot.wait(50)
    assert parent.findChildren(CsvJob) == []
    assert services.objects.list({})["total_records"] == 0


def test_an_unusable_file_is_explained(qtbot: Any, parent: QWidget, services: Services,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    choose_open(monkeypatch, write(tmp_path / "o.csv", "uid,alias\r\nx,y\r\n"))
    start_import(csv_dialogs.import_objects(parent, services))
    box = wait_box(qtbot, parent)
    assert box.icon() == QMessageBox.Icon.Warning and "name" in box.text()
    assert parent.findChildren(ImportDialog) == []


def test_import_readings(qtbot: Any, parent: QWidget, services: Services, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    services.statistics.create({"uid": "m1", "name": "运行小时"})
    text = "统计编号,读数,时间\r\nm1,20,2024-05-02\r\nm1,10,2024-05-01\r\n"
    choose_open(monkeypatch, write(tmp_path / "r.csv", text))
    start_import(csv_dialogs.import_readings(parent, services))
    dialog = wait_import_dialog(qtbot, parent)
    dialog.import_all.click()
    wait_box(qtbot, parent)
    values = services.statistics.value_list({"order_by": "time"})["data"]
    assert [v["value"] for v in values] == [10, 20]


def test_closing_the_window_mid_export_stops_the_worker_cleanly(
        qtbot: Any, services: Services, handles: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, paused_export: tuple) -> None:
    first_sent, go_on = paused_export
    window = QWidget()
    target = tmp_path / "out" / "records.csv"
    target.parent.mkdir()
    choose_save(monkeypatch, target)
    csv_dialogs.export_handles(window, services, {})
    assert first_sent.wait(WAIT_MS / 1000)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=WAIT_MS)
    go_on.set()
    assert background.wait_all(WAIT_MS / 1000)
    assert list(target.parent.iterdir()) == []


# -- the first step: accepted columns and a template ------------------------------------------


@pytest.mark.parametrize("kind", ["objects", "readings"])
def test_the_import_lists_every_accepted_column_name_first(
        qtbot: Any, parent: QWidget, services: Services, kind: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.exports.columns import import_columns

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: pytest.fail("chooser before the columns")))
    start = (csv_dialogs.import_objects if kind == "objects" else
             csv_dialogs.import_readings)(parent, services)
    document = QTextDocument()
    document.setHtml(start.columns.text())
    shown = set(re.split(r"[\s·]+", document.toPlainText()))
    for column in import_columns(kind):
        assert set(column.names) <= shown  # every synonym: 位置 and 安装位置 alike
    if kind == "objects":
        assert {"位置", "安装位置", "location", "required"} <= shown
    start.reject()


@pytest.mark.parametrize("kind, template", [("objects", "对象编号,名称,别名,位置,描述"),
                                            ("readings", "统计编号,读数,时间")])
def test_a_template_can_be_saved_and_imports_as_is(
        qtbot: Any, parent: QWidget, services: Services, tmp_path: Path, kind: str,
        template: str, monkeypatch: pytest.MonkeyPatch) -> None:
    start = (csv_dialogs.import_objects if kind == "objects" else
             csv_dialogs.import_readings)(parent, services)
    choose_save(monkeypatch, tmp_path / "template")  # no suffix: .csv is added
    path = start.save_template()
    assert path == tmp_path / "template.csv"
    assert path.read_bytes() == b"\xef\xbb\xbf" + template.encode() + b"\r\n"
    assert str(path) in start.note.text() and start.isVisible()
    choose_save(monkeypatch, tmp_path / "no-such-folder" / "t.csv")
    assert start.save_template() is None
    assert "could not be written" in start.note.text()
    start.reject()


def test_unused_columns_come_with_the_names_the_import_reads(
        qtbot: Any, parent: QWidget, services: Services, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    choose_open(monkeypatch, write(tmp_path / "o.csv", "名称,地点\r\n泵,一楼\r\n"))
    start_import(csv_dialogs.import_objects(parent, services))
    dialog = wait_import_dialog(qtbot, parent)
    summary = dialog.summary.text()
    assert "Columns not used: 地点." in summary
    assert "Location: location / 位置 / 安装位置" in summary
    dialog.reject()
