"""CSV in the window: export the handles a list shows, import objects and meter readings.

Each entry point asks for a file, then runs the work on a ``background.Worker`` (its own
thread and database connection, closed when done) while a progress dialog with a cancel
button stays responsive; every widget is touched on the GUI thread. Dialogs open
window-modal with ``open()``, never ``exec()``, so the event loop keeps running (and tests
can drive them).

- ``export_handles(parent, services, filter_params)``: save-file chooser offering CSV or
  Excel (the chosen type, or the name's ending, decides), streamed export, then a message
  with the row count and an "Open folder" button. Cancel leaves no file.
- ``import_objects(parent, services)`` / ``import_readings(parent, services)``: the
  columns the import reads with a template to save (``gui.import_start``), open-file
  chooser, a dry run (the real import, rolled back), then a preview of the first rows and
  every bad row with its line and column; "Import" when all rows are good, "Import the good
  rows" when some are bad. The import runs in one transaction. When object rows name objects
  that are already there, a check box offers to update them from the file instead (the
  preview is checked again that way).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.checklist_export import (
    export_checklist_results as write_checklist_csv,
)
from mixtimer_gui.exports.csv_export import ExportCancelled, ExportError, ExportResult
from mixtimer_gui.exports.csv_export import export_handles as write_handles_csv
from mixtimer_gui.exports.csv_import import (
    OBJECTS,
    READINGS,
    ImportCancelled,
    ImportFileError,
    ImportResult,
    ImportTable,
    import_table,
    read_table,
)
from mixtimer_gui.gui.background import Worker, own_connection
from mixtimer_gui.gui.import_start import (
    ImportStartDialog,
    accepted_columns_text,
    csv_filter,
    import_title,
)
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

PREVIEW_ROWS = 20
SHOWN_ERRORS = 500  # a file of 10,000 bad rows is told in numbers, not in 10,000 lines
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


def _tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("CsvDialogs", text, disambiguation, n)


# -- running work off the GUI thread ----------------------------------------------------------


class CsvJob(QObject):
    """One export or import step: a progress dialog with cancel, and a worker.

    Signals ``done(object)``, ``failed(str)``, ``cancelled()`` arrive on the GUI thread after
    the progress dialog is closed. The job deletes itself afterwards; deleted earlier (its
    window closed), it stops the work, which leaves nothing behind.
    """

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, services: Services, label: str, work: Work) -> None:
        super().__init__(parent)
        self._finished = False
        self.progress = QProgressDialog(label, _tr("Cancel"), 0, 0, parent)
        self.progress.setWindowTitle(_tr("MixTimer"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a quick job never flashes a dialog
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self._worker = Worker(own_connection(services), "mixtimer-csv", self)
        self._worker.run(lambda job: work(job.progress, job.cancelled), self._on_done,
                         self._on_error, self._show_progress)

    @property
    def finished(self) -> bool:
        return self._finished

    def cancel(self) -> None:
        self._worker.cancel()
        self.progress.setLabelText(_tr("Cancelling…"))

    def _show_progress(self, done: int, total: int) -> None:
        if self.progress.maximum() != total:
            self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))

    def _end(self) -> None:
        self._finished = True
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()
        self.deleteLater()

    def _on_done(self, result: object) -> None:
        self._end()
        self.done.emit(result)

    def _on_error(self, error: Exception) -> None:
        self._end()
        if isinstance(error, (ExportCancelled, ImportCancelled)):
            self.cancelled.emit()
        else:
            self.failed.emit(_failure_text(error))


def _failure_text(error: Exception) -> str:
    """What went wrong, as a sentence for the user."""
    if isinstance(error, DomainError):
        return say(error)
    if isinstance(error, (ExportError, ImportFileError)):
        return str(error)
    if isinstance(error, OSError):
        return _tr("Could not write the file: %1").replace("%1", error.strerror or str(error))
    # A bug: logged with its traceback, the user gets a sentence.
    log.error("CSV work failed", exc_info=error)
    return _tr("Something went wrong; the details are in the log.")


def _message(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def _failure(parent: QWidget, title: str) -> Callable[[str], None]:
    def show(message: str) -> None:
        _message(parent, QMessageBox.Icon.Warning, title, message)

    return show


# -- export -----------------------------------------------------------------------------------


def export_handles(parent: QWidget, services: Services, filter_params: dict, *,
                   checklist_items: bool = False) -> None:
    """Export exactly the handles ``filter_params`` selects (the list's current filter);
    with ``checklist_items``, one row per checklist result of them (the long form, CSV only:
    it feeds pivot tables)."""

    def write(path: Path, params: dict, progress: Callable[[int, int], None],
              cancelled: Callable[[], bool]) -> Any:
        if checklist_items:
            return write_checklist_csv(services, path, params, progress=progress,
                                       cancelled=cancelled)
        if path.suffix.lower() == ".xlsx":
            # loaded on first use: XlsxWriter is not needed to start the window
            from mixtimer_gui.exports.xlsx_export import export_handles_xlsx

            return export_handles_xlsx(services, path, params, progress=progress,
                                       cancelled=cancelled)
        return write_handles_csv(services, path, params, progress=progress,
                                 cancelled=cancelled)

    if checklist_items:
        _export(parent, services, filter_params, write, _tr("Export checklist results"),
                _tr("checklist-results"), _tr("Exporting checklist results…"), excel=False)
    else:
        _export(parent, services, filter_params, write, _tr("Export maintenance records"),
                _tr("maintenance-records"), _tr("Exporting maintenance records…"))


def export_tasks(parent: QWidget, services: Services, filter_params: dict) -> None:
    """Export the tasks ``filter_params`` selects (the list's current filter and order)."""
    _export(parent, services, filter_params, _list_writer(services, "tasks"),
            _tr("Export maintenance tasks"), _tr("maintenance-tasks"),
            _tr("Exporting maintenance tasks…"))


def export_objects(parent: QWidget, services: Services, filter_params: dict) -> None:
    """Export the objects ``filter_params`` selects (the list's current search and order)."""
    _export(parent, services, filter_params, _list_writer(services, "objects"),
            _tr("Export maintenance objects"), _tr("maintenance-objects"),
            _tr("Exporting maintenance objects…"))


Writer = Callable[[Path, dict, Callable[[int, int], None], Callable[[], bool]], Any]


def _list_writer(services: Services, kind: str) -> Writer:
    def write(path: Path, params: dict, progress: Callable[[int, int], None],
              cancelled: Callable[[], bool]) -> Any:
        if path.suffix.lower() == ".xlsx":
            from mixtimer_gui.exports import xlsx_export

            excel = (xlsx_export.export_tasks_xlsx if kind == "tasks"
                     else xlsx_export.export_objects_xlsx)
            return excel(services, path, params, progress=progress, cancelled=cancelled)
        from mixtimer_gui.exports import list_csv

        text = list_csv.export_tasks_csv if kind == "tasks" else list_csv.export_objects_csv
        return text(services, path, params, progress=progress, cancelled=cancelled)

    return write


def _export(parent: QWidget, services: Services, filter_params: dict, write: Writer,
            title: str, file_name: str, working: str, *, excel: bool = True) -> None:
    """Ask for a file (CSV, or Excel when ``excel``), then write it on a worker with
    progress and cancel."""
    path = _ask_save_path(parent, title, file_name, excel)
    if path is None:
        return
    params = dict(filter_params or {})
    job = CsvJob(parent, services, working,
                 lambda progress, cancelled: write(path, params, progress, cancelled))
    job.done.connect(lambda result: _exported(parent, result))
    job.failed.connect(_failure(parent, _tr("Export failed")))


def _ask_save_path(parent: QWidget, title: str, file_name: str,
                   excel: bool = True) -> Path | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder) / (file_name + ".csv"))
    workbook = excel_filter()
    choices = f"{csv_filter()};;{workbook}" if excel else csv_filter()
    chosen, chosen_filter = QFileDialog.getSaveFileName(parent, title, suggested, choices)
    if not chosen:
        return None
    path = Path(chosen)
    if not excel and path.suffix.lower() != ".csv":
        return path.with_name(path.name + ".csv")  # written as CSV only
    if path.suffix:
        return path
    return path.with_suffix(".xlsx" if chosen_filter == workbook else ".csv")


def excel_filter() -> str:
    """The file chooser's type for an Excel workbook: typed cells, text kept as text."""
    return _tr("Excel workbook (*.xlsx)")


def _exported(parent: QWidget, result: ExportResult) -> QMessageBox:
    text = _tr("Exported %n record(s) to\n%1", "", result.rows).replace("%1", str(result.path))
    box = QMessageBox(QMessageBox.Icon.Information, _tr("Export finished"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("csvExportDone")
    open_folder = box.addButton(_tr("Open folder"), QMessageBox.ButtonRole.ActionRole)
    open_folder.setObjectName("openFolder")
    open_folder.clicked.connect(lambda: QDesktopServices.openUrl(
        QUrl.fromLocalFile(str(result.path.parent))))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


# -- import -----------------------------------------------------------------------------------


def import_objects(parent: QWidget, services: Services) -> ImportStartDialog:
    return _ask_for_file(parent, services, OBJECTS)


def import_readings(parent: QWidget, services: Services) -> ImportStartDialog:
    return _ask_for_file(parent, services, READINGS)


def _ask_for_file(parent: QWidget, services: Services, kind: str) -> ImportStartDialog:
    """First the columns the import reads (and a template), then the file chooser."""
    start = ImportStartDialog(kind, parent)
    start.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    start.chosen.connect(lambda: _start_import(parent, services, kind))
    start.open()
    return start


def _titles(kind: str) -> tuple[str, str]:
    what = _tr("object(s)") if kind == OBJECTS else _tr("reading(s)")
    return import_title(kind), what


def _start_import(parent: QWidget, services: Services, kind: str) -> None:
    title, _ = _titles(kind)
    chosen, _ = QFileDialog.getOpenFileName(parent, title, "", csv_filter())
    if not chosen:
        return

    def read_and_check(progress: Callable[[int, int], None],
                       cancelled: Callable[[], bool]) -> Any:
        # Reading a big file is slow too: it happens on the worker, like the dry run.
        table = read_table(chosen, kind)
        return table, import_table(services, table, commit=False, progress=progress,
                                   cancelled=cancelled)

    job = CsvJob(parent, services, _tr("Checking %1…").replace("%1", Path(chosen).name),
                 read_and_check)
    job.done.connect(lambda outcome: _preview(parent, services, *outcome))
    job.failed.connect(_failure(parent, title))


def _check_again(parent: QWidget, services: Services, table: ImportTable,
                 update_existing: bool) -> None:
    """The dry run once more, updating existing objects or not, then a fresh preview."""
    title, _ = _titles(table.kind)

    def check(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        return import_table(services, table, commit=False, update_existing=update_existing,
                            progress=progress, cancelled=cancelled)

    job = CsvJob(parent, services, _tr("Checking %1…").replace("%1", table.path.name), check)
    job.done.connect(lambda checked: _preview(parent, services, table, checked,
                                              update_existing))
    job.failed.connect(_failure(parent, title))


def _preview(parent: QWidget, services: Services, table: ImportTable,
             checked: ImportResult, update_existing: bool = False) -> ImportDialog:
    dialog = ImportDialog(table, checked, parent, update_existing=update_existing)
    dialog.chosen.connect(lambda keep_good: _run_import(parent, services, table, keep_good,
                                                        update_existing))
    dialog.update_chosen.connect(lambda update: _check_again(parent, services, table, update))
    dialog.open()
    return dialog


def _run_import(parent: QWidget, services: Services, table: ImportTable,
                keep_good: bool, update_existing: bool = False) -> None:
    title, _ = _titles(table.kind)

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        return import_table(services, table, keep_good=keep_good,
                            update_existing=update_existing, progress=progress,
                            cancelled=cancelled)

    job = CsvJob(parent, services, _tr("Importing %1…").replace("%1", table.path.name), work)
    job.done.connect(lambda result: _imported(parent, table, result))
    job.failed.connect(_failure(parent, title))


def _imported(parent: QWidget, table: ImportTable, result: ImportResult) -> QMessageBox:
    title, what = _titles(table.kind)
    if result.committed:
        text = _tr("Imported %1 %2.").replace("%1", str(result.imported)).replace("%2", what)
        if result.updated:
            text += " " + _tr("%n existing object(s) were updated.", "", result.updated)
        if result.errors:
            text += " " + _tr("%n bad row(s) were left out.", "", len(result.errors))
        return _message(parent, QMessageBox.Icon.Information, title, text)
    # The data changed between the check and the import, and a row went bad meanwhile.
    lines = "\n".join(str(e) for e in result.errors[:10])
    return _message(parent, QMessageBox.Icon.Warning, title,
                    _tr("Nothing was imported:") + "\n" + lines)


class ImportDialog(QDialog):
    """The dry run's outcome: first rows, every bad row, and the choice to import.

    ``chosen(bool keep_good)`` is emitted when the user picks "Import" (False) or "Import the
    good rows" (True); the dialog then closes.
    """

    chosen = Signal(bool)  # keep_good
    update_chosen = Signal(bool)  # check again, updating existing objects or not

    def __init__(self, table: ImportTable, checked: ImportResult,
                 parent: QWidget | None = None, *, update_existing: bool = False) -> None:
        super().__init__(parent)
        self.table = table
        self.checked = checked
        title, what = _titles(table.kind)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self._summary_text(what))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("First rows:")))
        self.preview = self._table_view(self._preview_model())
        layout.addWidget(self.preview, 2)
        self.update_box = QCheckBox(self.tr(
            "Update the %n object(s) whose number is already there, from this file", "",
            checked.existing))
        self.update_box.setToolTip(self.tr(
            "The file's columns replace those fields (an empty cell clears one); the "
            "columns the file does not have stay as they are."))
        self.update_box.setChecked(update_existing)
        self.update_box.setVisible(table.kind == OBJECTS and checked.existing > 0)
        self.update_box.toggled.connect(self._choose_update)
        layout.addWidget(self.update_box)
        self.errors_label = QLabel()
        self.errors = self._table_view(self._errors_model())
        if checked.errors:
            self.errors_label.setText(self._errors_text())
            layout.addWidget(self.errors_label)
            layout.addWidget(self.errors, 2)
        else:
            self.errors.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_all = self._button(self.tr("Import"), keep_good=False)
        self.import_good = self._button(
            self.tr("Import the good rows (%n)", "", checked.good), keep_good=True)
        self.import_all.setVisible(not checked.errors)
        self.import_good.setVisible(bool(checked.errors) and checked.good > 0)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 760, 520)

    def _button(self, text: str, *, keep_good: bool) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.clicked.connect(lambda: self._choose(keep_good))
        return button

    def _choose(self, keep_good: bool) -> None:
        self.accept()
        self.chosen.emit(keep_good)

    def _choose_update(self, update: bool) -> None:
        self.reject()  # a fresh preview follows, checked the new way
        self.update_chosen.emit(update)

    def _summary_text(self, what: str) -> str:
        text = self.tr("%1: %2 row(s), %3 encoding.").replace("%1", self.table.path.name) \
            .replace("%2", str(self.checked.total)).replace("%3", self.table.encoding)
        if self.checked.errors:
            text += " " + self.tr("%1 row(s) are bad; nothing is imported unless you choose "
                                  "to import the %2 good row(s).") \
                .replace("%1", str(len(self.checked.errors))).replace("%2", str(self.checked.good))
        else:
            text += " " + self.tr("All rows are good: %1 %2 will be imported.") \
                .replace("%1", str(self.checked.good)).replace("%2", what)
        if self.checked.updated:
            text += " " + self.tr("%n existing object(s) will be updated.", "",
                                  self.checked.updated)
        if self.table.ignored_columns:
            # Say what the import does read, so 地点 finds its way to 位置.
            text += " " + self.tr("Columns not used: %1.").replace(
                "%1", "、".join(self.table.ignored_columns))
            text += "\n" + self.tr("The columns this import reads:") + "\n" + \
                accepted_columns_text(self.table.kind)
        return text

    def _errors_text(self) -> str:
        count = len(self.checked.errors)
        if count <= SHOWN_ERRORS:
            return self.tr("Bad rows:")
        return self.tr("Bad rows (the first %1 of %2):").replace(
            "%1", str(SHOWN_ERRORS)).replace("%2", str(count))

    def _preview_model(self) -> QStandardItemModel:
        fields = self.table.fields
        model = QStandardItemModel(0, len(fields) + 1, self)
        model.setHorizontalHeaderLabels([self.tr("Line")] + [self.table.titles[f]
                                                              for f in fields])
        for line, record in self.table.preview(PREVIEW_ROWS):
            model.appendRow([_item(str(line))] + [_item(record.get(f, "")) for f in fields])
        return model

    def _errors_model(self) -> QStandardItemModel:
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Column"), self.tr("Problem")])
        for error in self.checked.errors[:SHOWN_ERRORS]:
            problem = error.message if error.error is None else say(error.error, error.column)
            model.appendRow([_item(str(error.line)), _item(error.column), _item(problem)])
        return model

    def _table_view(self, model: QStandardItemModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return view


def _item(text: str) -> QStandardItem:
    # One line per cell in the preview: a multi-line description would make rows tall.
    item = QStandardItem(text.replace("\r\n", " ⏎ ").replace("\n", " ⏎ "))
    item.setToolTip(text)
    return item
