"""The printed reports read back as a user's tools read them: ``pdftotext`` (poppler-utils)
finds the Chinese headings and the services' figures, ``zbarimg`` (zbar-tools) decodes every
QR code of a page rendered by ``pdftoppm`` back to its uid. Then the window's ways in: the
print preview and the command line.

The tools are Debian packages that ``.ci/run`` installs: missing, these tests skip on a
developer's machine and fail in CI (``CI`` set), as the browser test does."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction, QImage
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from mixtimer_gui.cli import main
from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui import report_dialogs, report_pages
from mixtimer_gui.gui.humanize import money
from mixtimer_gui.gui.i18n import install_language
from mixtimer_gui.services import Services
from mixtimer_gui.services.printouts import PrintoutService


def tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    package = "zbar-tools" if name == "zbarimg" else "poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, and CI must check the PDFs with it "
                    f"(.ci/run installs the Debian package {package})")
    pytest.skip(f"{name} is not installed (apt-get install {package})")


def pdf_text(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def qr_codes(path: Path, tmp_path: Path) -> list[list[str]]:
    """The QR codes of each page, as zbarimg reads them from a 200 dpi rendering."""
    prefix = tmp_path / "page"
    subprocess.run([tool("pdftoppm"), "-r", "200", "-png", str(path), str(prefix)],
                   check=True)
    pages = []
    for image in sorted(tmp_path.glob("page-*.png")):
        run = subprocess.run([tool("zbarimg"), "--quiet", "--raw", str(image)],
                             capture_output=True, text=True)
        pages.append(sorted(run.stdout.split()))
        image.unlink()
    return pages


def label_codes(path: Path, tmp_path: Path) -> list[str]:
    """The QR code of each label, page by page and slot by slot: each cell is cut out of a
    200 dpi rendering and read alone, as a scanner held to one label reads it (zbarimg
    misses some codes of a whole sheet of 24 at once)."""
    dpi = 200
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-png", str(path),
                    str(tmp_path / "sheet")], check=True)
    size = report_pages.page_size_mm()
    margin = report_pages.MARGIN_MM
    cell_w = (size.width() - 2 * margin) / report_pages.LABEL_COLUMNS
    cell_h = (size.height() - 2 * margin) / report_pages.LABEL_ROWS
    px = dpi / 25.4
    cells: list[Path] = []
    for sheet in sorted(tmp_path.glob("sheet-*.png")):
        image = QImage(str(sheet))
        for slot in range(report_pages.LABEL_COLUMNS * report_pages.LABEL_ROWS):
            x = margin + (slot % report_pages.LABEL_COLUMNS) * cell_w
            y = margin + (slot // report_pages.LABEL_COLUMNS) * cell_h
            cell = tmp_path / f"{sheet.stem}-{slot:02d}.png"
            image.copy(QRect(int(x * px), int(y * px), int(cell_w * px),
                             int(cell_h * px))).save(str(cell))
            cells.append(cell)
    codes = []
    for cell in cells:  # one at a time: an empty cell must not shift the others
        run = subprocess.run([tool("zbarimg"), "--quiet", "--raw", str(cell)],
                             capture_output=True, text=True)
        codes.append(run.stdout.strip())
    return codes


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_language("zh_CN")
    yield
    install_language("en")


def _local(*args: int) -> int:
    return clock.from_local(datetime(*args))


@pytest.fixture
def plant(services: Services, fake_clock: FakeClock) -> dict[str, str]:
    """Two compressors in 二车间 (a name whose 二 Noto CJK shares with a Kangxi radical):
    in May one done on time (100), one late (50.5), a cycle skipped for 停产检修."""
    services.objects.create({"uid": "K1", "name": "1号空压机", "location": "二车间东侧"})
    services.objects.create({"uid": "K2", "name": "2号空压机", "location": "二车间西侧"})
    project = services.projects.create({"name": "空压机保养", "cycle_type": "自然时间周期",
                                        "period_num": 7, "period_unit": "日",
                                        "guide": "检查油位,更换滤芯",
                                        "object_id_list": ["K1", "K2"]})["uid"]
    services.projects.start({"uid": project})
    tasks = {t["object_id"]: t["uid"] for t in services.tasks.list({"page_size": 10})["data"]}
    fake_clock.advance(days=1)
    services.handles.handle({"task_id": tasks["K1"], "fee": 100, "handler_name_list": ["张三"]})
    fake_clock.advance(days=9)
    services.handles.handle({"task_id": tasks["K2"], "fee": 50.5})
    services.handles.ignore({"task_id": tasks["K1"], "description": "停产检修"})
    return tasks


def test_monthly_report_says_what_the_services_say(services: Services, plant: dict[str, str],
                                                   chinese: None, tmp_path: Path) -> None:
    out = report_pages.write_pdf(tmp_path / "r.pdf",
                                 report_dialogs.monthly_drawing(services, "2024-05"), "月度报表")
    text = pdf_text(out)
    for heading in ("月度报表 2024-05", "各项目按时率", "各项目费用", "每月费用",
                    "跳过的周期", "月末逾期任务"):
        assert heading in text, heading
    report = PrintoutService(services.ctx).monthly("2024-05")
    [rate] = report.on_time
    [fees] = report.projects
    assert (rate.handled, rate.on_time, fees.fee) == (2, 1, 150.5)
    project_lines = [line.split() for line in text.splitlines()
                     if line.strip().startswith("空压机保养")]
    assert ["空压机保养", "2", "1", f"{rate.rate * 100:.1f}%"] in project_lines
    assert ["空压机保养", "2", "1", money(fees.fee)] in project_lines
    assert "停产检修" in text


def test_work_orders_carry_the_task_and_its_qr(services: Services, plant: dict[str, str],
                                               chinese: None, tmp_path: Path) -> None:
    out = report_pages.write_pdf(tmp_path / "wo.pdf", report_dialogs.work_orders_drawing(
        services, [plant["K1"], plant["K2"]]), "维保工单")
    text = pdf_text(out)
    assert text.count("维保工单") == 2
    for words in ("空压机保养", "1号空压机", "检查油位,更换滤芯", "处理人签字", "主管签字",
                  "日期", services.tasks.get({"uid": plant["K2"]})["due_at"]):
        assert words in text, words
    # copied text is the text typed: 二 not the look-alike radical ⼆ (U+2F06)
    assert "二车间东侧" in text and "\u2f06" not in text
    assert qr_codes(out, tmp_path) == [[plant["K1"]], [plant["K2"]]]


def test_work_order_checklist_items_get_boxes(services: Services, plant: dict[str, str],
                                              chinese: None, tmp_path: Path) -> None:
    """The hook for the checklists of issue #17: items given are printed under 检查项."""
    [order] = PrintoutService(services.ctx).work_orders([plant["K1"]])
    with_items = type(order)(**{**order.__dict__, "checklist": ("检查油位", "紧固螺栓")})
    out = report_pages.write_pdf(tmp_path / "wo.pdf", lambda pages: report_pages.
                                 draw_work_orders(pages, [with_items], "2024-05-21"), "工单")
    text = pdf_text(out)
    assert "检查项" in text and "紧固螺栓" in text
    assert "检查项" not in pdf_text(report_pages.write_pdf(
        tmp_path / "plain.pdf", lambda pages: report_pages.draw_work_orders(
            pages, [order], "2024-05-21"), "工单"))


def test_labels_fill_a4_sheets_and_every_qr_decodes(services: Services, chinese: None,
                                                    tmp_path: Path) -> None:
    uids = [f"PUMP-{n:02d}" for n in range(26)]  # a full sheet of 24 and two more
    for uid in uids:
        services.objects.create({"uid": uid, "name": f"{uid[-2:]}号水泵", "location": "泵房"})
    out = report_pages.write_pdf(tmp_path / "labels.pdf",
                                 report_dialogs.labels_drawing(services, uids), "设备标签")
    codes = label_codes(out, tmp_path)
    assert len(codes) == 48  # two sheets
    assert codes == [*uids, *[""] * 22]  # in order, one per label, the rest blank
    text = pdf_text(out)
    assert "07号水泵" in text and "编号: PUMP-07" in text and "位置: 泵房" in text


def test_english_reports(services: Services, plant: dict[str, str], qapp: Any,
                         tmp_path: Path) -> None:
    install_language("en")
    out = report_pages.write_pdf(tmp_path / "r.pdf",
                                 report_dialogs.monthly_drawing(services, "2024-05"), "r")
    text = pdf_text(out)
    assert "Monthly maintenance report 2024-05" in text and "On-time rate per project" in text


def test_command_line_reports(services: Services, plant: dict[str, str], db_path: Path,
                              tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              fake_clock: FakeClock) -> None:
    try:
        orders = tmp_path / "wo.pdf"
        assert main(["report", "work-orders", "--db", str(db_path), "--days", "30",
                     "--out", str(orders)]) == 0
        assert "维保工单" in pdf_text(orders)
        assert sorted(code for page in qr_codes(orders, tmp_path) for code in page) == sorted(
            plant.values())
        monthly = tmp_path / "r.pdf"
        assert main(["report", "monthly", "--db", str(db_path), "--month", "2024-05",
                     "--out", str(monthly), "--lang", "en"]) == 0
        assert "Monthly maintenance report 2024-05" in pdf_text(monthly)
        capsys.readouterr()
        assert main(["report", "monthly", "--db", str(db_path), "--month", "2024-13",
                     "--out", str(tmp_path / "bad.pdf")]) == 1
        assert "2026-11" in capsys.readouterr().err
        assert not (tmp_path / "bad.pdf").exists()
        labels = tmp_path / "labels.pdf"
        assert main(["report", "labels", "--db", str(db_path), "--object", "K2",
                     "--object", "K1", "--out", str(labels)]) == 0
        assert label_codes(labels, tmp_path)[:3] == ["K2", "K1", ""]
    finally:
        install_language("en")


def test_the_window_previews_work_orders(services: Services, plant: dict[str, str],
                                         qtbot: Any, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = report_dialogs.print_work_orders(parent, services, None)
    assert not dialog.selected_radio.isEnabled() and dialog.due_radio.isChecked()
    dialog.days.setValue(30)
    dialog.accept()
    preview = parent.findChild(QPrintPreviewDialog)
    assert preview is not None and preview.isVisible()
    assert preview.findChild(QAction, "savePdf") is not None
    preview.close()
    chosen = report_dialogs.print_work_orders(parent, services, services.tasks.get(
        {"uid": plant["K1"]}))
    assert chosen.selected_radio.isChecked()
    out = report_pages.write_pdf(tmp_path / "one.pdf", chosen.drawing(), "工单")
    assert qr_codes(out, tmp_path) == [[plant["K1"]]]  # the selected task alone
    chosen.reject()


def test_printing_the_preview_to_a_pdf_file_keeps_the_chinese_searchable(
        services: Services, plant: dict[str, str], chinese: None, qtbot: Any,
        tmp_path: Path) -> None:
    """The print dialog's "Print to File" has Qt's printer write the PDF: it gets the same
    ToUnicode repair as "Save PDF…", so 二车间 is not copied as ⼆车间."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = report_dialogs.print_labels(parent, services, ["K1", "K2"])
    assert dialog is not None
    out = tmp_path / "printed.pdf"
    printer = dialog.printer  # type: ignore[attr-defined]
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # as "Print to File" sets it
    printer.setOutputFileName(str(out))
    dialog.findChild(QPrintPreviewWidget).print()  # what the dialog's Print button runs
    dialog.close()
    text = pdf_text(out)
    assert "二车间东侧" in text and "\u2f06" not in text
    assert qr_codes(out, tmp_path) == [["K1", "K2"]]
