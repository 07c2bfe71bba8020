"""The first step of a CSV import: which columns the file may have, and a template.

Before the file chooser, ``ImportStartDialog`` lists every field the import reads with every
column name it accepts for it (the import's own table, ``exports.columns``), says which are
required, and offers a template file: the header row in UTF-8 with a BOM, as the export
writes, so Excel opens it with the Chinese intact. "Choose file…" goes on to the chooser.

Signals:
    chosen(): the user asked to choose the file (the dialog has closed).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.exports.columns import OBJECTS, import_columns, write_template
from mixtimer_gui.gui.widgets import role_label

TABLE_STYLE = ('border="1" cellspacing="0" cellpadding="4" '
               'style="border-collapse: collapse; border-color: #d5dbe3;"')


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportStart", text)


def csv_filter() -> str:
    """The file chooser's filter for CSV files, in the window's language."""
    return _tr("CSV files (*.csv *.txt);;All files (*)")


def field_label(field: str) -> str:
    """The window's name for a field an import fills."""
    labels = {"uid": _tr("Object number"), "name": _tr("Name"), "alias": _tr("Alias"),
              "location": _tr("Location"), "description": _tr("Description"),
              "statistics_id": _tr("Statistic number"), "value": _tr("Reading"),
              "time": _tr("Time read")}
    return labels.get(field, field)


def import_title(kind: str) -> str:
    return (_tr("Import maintenance objects") if kind == OBJECTS
            else _tr("Import meter readings"))


def accepted_columns_text(kind: str) -> str:
    """One line per field: its name, then every column name the import takes for it."""
    lines = []
    for column in import_columns(kind):
        required = f" ({_tr('required')})" if column.required else ""
        lines.append(f"{field_label(column.field)}{required}: {' / '.join(column.names)}")
    return "\n".join(lines)


def columns_table(kind: str) -> str:
    """The accepted columns as an HTML table (field, accepted names, required)."""
    head = "".join(f"<th align='left'>{html.escape(t)}</th>" for t in (
        _tr("Field"), _tr("Accepted column names"), _tr("Required")))
    rows = "".join(
        f"<tr><td>{html.escape(field_label(c.field))}</td>"
        f"<td>{' · '.join(html.escape(name) for name in c.names)}</td>"
        f"<td>{html.escape(_tr('required')) if c.required else ''}</td></tr>"
        for c in import_columns(kind))
    return f"<table {TABLE_STYLE}><tr>{head}</tr>{rows}</table>"


class ImportStartDialog(QDialog):
    chosen = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("ImportStartDialog")
        self.setWindowTitle(import_title(kind))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setText(self.tr(
            "Choose a CSV file (UTF-8 or GBK, as Excel saves it) whose first row names the "
            "columns. Any of the names in a row is read as that field; other columns are "
            "left out and named in the preview. Nothing is imported before the preview."))
        layout.addWidget(self.intro)
        self.columns = QLabel(columns_table(kind), self)
        self.columns.setObjectName("acceptedColumns")
        self.columns.setTextFormat(Qt.TextFormat.RichText)
        self.columns.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.columns)
        self.note = role_label(self, "hint", wrap=True)
        self.note.setText(self.tr("Start from a template: a file with just the header row, "
                                  "to fill in with Excel."))
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.template_button = QPushButton(self.tr("Save a &template…"), self)
        self.buttons.addButton(self.template_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button = QPushButton(self.tr("&Choose file…"), self)
        self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.choose_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.template_button.clicked.connect(self.save_template)
        self.choose_button.clicked.connect(self._choose)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _choose(self) -> None:
        self.accept()
        self.chosen.emit()

    def template_name(self) -> str:
        return (self.tr("objects-template") if self.kind == OBJECTS
                else self.tr("readings-template")) + ".csv"

    def save_template(self) -> Path | None:
        """Ask where, write the header row there, and say where it went."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save a template"),
                                                str(Path(folder) / self.template_name()),
                                                csv_filter())
        if not chosen:
            return None
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".csv")
        try:
            write_template(path, self.kind)
        except OSError as exc:
            self.note.setText(self.tr("The template could not be written: %1")
                              .replace("%1", exc.strerror or str(exc)))
            return None
        self.note.setText(self.tr("Template saved to %1. Fill it in, save it as CSV, then "
                                  "choose it here.").replace("%1", str(path)))
        return path
