"""Printing in the window: work orders (Tasks tab), the monthly report (Overview), equipment
labels (Objects tab). Each shows Qt's print preview, which prints to any printer; its
toolbar also gets "Save PDF…" (``report_pages.write_pdf``: searchable Chinese).

``offscreen_pdf`` is the command line's way in: a QApplication on the offscreen platform,
the language installed, one PDF written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import report_pages
from mixtimer_gui.gui.i18n import install_language
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.report_pages import Draw
from mixtimer_gui.services import Services
from mixtimer_gui.services.printouts import PrintoutService

_app: QApplication | None = None  # the command line's, kept for the process


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def printed_at(services: Services) -> str:
    return clock.format_wire(services.clock.now())[:16]


# -- the three reports as drawings ------------------------------------------------------------


def work_orders_drawing(services: Services, task_ids: Sequence[str] | None = None,
                        days: int | None = None) -> Draw:
    orders = PrintoutService(services.ctx).work_orders(task_ids, days=days)
    when = printed_at(services)
    return lambda pages: report_pages.draw_work_orders(pages, orders, when)


def monthly_drawing(services: Services, month: str) -> Draw:
    report = PrintoutService(services.ctx).monthly(month)
    when = printed_at(services)
    return lambda pages: report_pages.draw_monthly(pages, report, when)


def labels_drawing(services: Services, object_ids: Sequence[str]) -> Draw:
    labels = PrintoutService(services.ctx).labels(object_ids)
    return lambda pages: report_pages.draw_labels(pages, labels)


# -- preview ----------------------------------------------------------------------------------


def preview(parent: QWidget, title: str, draw: Draw) -> QPrintPreviewDialog:
    """Qt's print preview of ``draw`` on A4, with "Save PDF…" added to its toolbar."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(report_pages.a4_layout())
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("reportPreview")
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda device: paint_requested(device, draw))
    save = QAction(_tr("Save PDF…"), dialog)
    save.setObjectName("savePdf")
    save.triggered.connect(lambda: save_pdf(dialog, title, draw))
    toolbar = dialog.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(save)
    dialog.printer = printer  # type: ignore[attr-defined]  # kept alive with the dialog
    dialog.resize(900, 760)
    dialog.open()
    return dialog


def paint_requested(device: QPrinter, draw: Draw) -> None:
    """What the preview asks for: its pages, or the print, on ``device``.

    Printed to a PDF file (the print dialog's "Print to File"), Qt's printer writes the file
    itself; it gets the same ToUnicode repair as "Save PDF…" (``report_pages.write_pdf``),
    so its Chinese is searched and copied as typed, not as look-alike radicals.
    """
    report_pages.paint(device, draw)
    name = device.outputFileName() if isinstance(device, QPrinter) else ""
    if name and device.outputFormat() == QPrinter.OutputFormat.PdfFormat \
            and Path(name).is_file():
        report_pages.unify_radicals(Path(name))


def save_pdf(parent: QWidget, title: str, draw: Draw) -> Path | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, _tr("Save PDF"),
                                            str(Path(folder) / f"{title}.pdf"),
                                            _tr("PDF files (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".pdf")
    try:
        return report_pages.write_pdf(path, draw, title)
    except OSError as exc:
        QMessageBox.warning(parent, _tr("Save PDF"), str(exc))
        return None


def _show(parent: QWidget, title: str, make: Callable[[], Draw]) -> QPrintPreviewDialog | None:
    try:
        draw = make()
    except DomainError as exc:
        QMessageBox.warning(parent, title, say(exc))
        return None
    return preview(parent, title, draw)


# -- the dialogs that choose what to print ----------------------------------------------------


class WorkOrdersDialog(QDialog):
    """The selected task, or the tasks due within N days (overdue ones included)."""

    def __init__(self, services: Services, selected: dict | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.selected = selected
        self.setObjectName("workOrdersDialog")
        self.setWindowTitle(_tr("Print work orders"))
        self.selected_radio = QRadioButton()
        self.due_radio = QRadioButton(_tr("Tasks due within"))
        self.days = QSpinBox()
        self.days.setRange(0, 366)
        self.days.setValue(7)
        self.days.setSuffix(_tr(" days"))
        if selected:
            self.selected_radio.setText(_tr("The selected task: %1 · %2").replace(
                "%1", selected.get("project_name") or "").replace(
                "%2", selected.get("object_name") or ""))
            self.selected_radio.setChecked(True)
        else:
            self.selected_radio.setText(_tr("The selected task (none is selected)"))
            self.selected_radio.setEnabled(False)
            self.due_radio.setChecked(True)
        form = QFormLayout()
        form.addRow(self.selected_radio)
        form.addRow(self.due_radio, self.days)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_tr("Preview…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def drawing(self) -> Draw:
        if self.selected_radio.isChecked() and self.selected:
            return work_orders_drawing(self.services, [self.selected["uid"]])
        return work_orders_drawing(self.services, days=self.days.value())


class MonthDialog(QDialog):
    """Which month the monthly report covers (the previous one by default)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("monthDialog")
        self.setWindowTitle(_tr("Monthly report"))
        today = clock.to_local(services.clock.now()).date()
        previous = date(today.year, today.month, 1).toordinal() - 1
        last_month = date.fromordinal(previous)
        self.month = QDateEdit(QDate(last_month.year, last_month.month, 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        form = QFormLayout()
        form.addRow(_tr("Month"), self.month)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_tr("Preview…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def month_text(self) -> str:
        return self.month.date().toString("yyyy-MM")


def print_work_orders(parent: QWidget, services: Services, selected: dict | None) -> QDialog:
    dialog = WorkOrdersDialog(services, selected, parent)
    dialog.accepted.connect(lambda: _show(parent, _tr("Work orders"), dialog.drawing))
    dialog.open()
    return dialog


def print_monthly(parent: QWidget, services: Services) -> QDialog:
    dialog = MonthDialog(services, parent)
    dialog.accepted.connect(lambda: _show(
        parent, _tr("Monthly report %1").replace("%1", dialog.month_text()),
        lambda: monthly_drawing(services, dialog.month_text())))
    dialog.open()
    return dialog


def print_labels(parent: QWidget, services: Services, object_ids: Sequence[str],
                 ) -> QPrintPreviewDialog | None:
    if not object_ids:
        QMessageBox.information(parent, _tr("Equipment labels"),
                                _tr("No object to print a label for."))
        return None
    return _show(parent, _tr("Equipment labels"), lambda: labels_drawing(services, object_ids))


# -- the command line ---------------------------------------------------------------------


def offscreen_pdf(out: Path | str, title: str, make: Callable[[], Draw],
                  language: str | None) -> Path:
    """``make()``'s drawing into the PDF ``out``, with Qt on its offscreen platform (the
    chart widgets need a QApplication; no display is needed)."""
    if QApplication.instance() is None:
        global _app
        _app = QApplication(["mixtimer-gui", "-platform", "offscreen"])

    install_language(language)
    return report_pages.write_pdf(out, make(), title)
