"""操作日志: who changed what and when — the whole history with filters (time, operator,
record, action), or one record's (历史 in a detail pane), and its CSV export."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.widgets import count_label, filter_bar, make_table
from mixtimer_gui.services import Services


def changes_text(record: dict[str, Any]) -> str:
    from mixtimer_gui.exports.history_csv import changes_text as text

    return text(record.get("changes") or {})


class HistoryDialog(QDialog):
    """The history, newest first; ``entity_uid`` opens it on one record."""

    def __init__(self, services: Services, entity_uid: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._action_names = self._names_of_actions()
        self.setWindowTitle(self.tr("History"))
        self.model = PagedTableModel(services.history.list, self._columns(), parent=self)
        self.record_edit = QLineEdit(entity_uid)
        self.record_edit.setPlaceholderText(self.tr("Record number"))
        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText(self.tr("Operator"))
        self.action_combo = QComboBox()
        self.action_combo.addItem(self.tr("All actions"), "")
        for action, name in self._action_names.items():
            self.action_combo.addItem(name, action)
        self.all_time = QCheckBox(self.tr("All time"))
        self.all_time.setChecked(True)
        today = clock.to_local(services.clock.now()).date()
        self.date_from = self._date_edit(today - timedelta(days=30))
        self.date_to = self._date_edit(today)
        for edit in (self.record_edit, self.operator_edit):
            edit.textChanged.connect(self.apply_filters)
        self.action_combo.currentIndexChanged.connect(self.apply_filters)
        self.all_time.toggled.connect(self.apply_filters)
        self.view = make_table(self.model, "historyTable")
        self.count = count_label()
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(filter_bar(self.record_edit, self.operator_edit, self.action_combo))
        layout.addWidget(filter_bar(self.all_time, self.date_from, QLabel("–"),
                                    self.date_to))
        layout.addWidget(self.view, 1)
        layout.addWidget(filter_bar(self.count, self.export_button, stretch_after=0))
        layout.addWidget(buttons)
        self.model.loaded.connect(
            lambda total: self.count.setText(self.tr("%n change(s)", "", total)))
        self.model.set_order("-time", load=False)
        self.apply_filters()
        fit_to_screen(self, 1180, 640)

    def _columns(self) -> list[Column]:
        return [Column("time", self.tr("Time"), width=140),
                Column("operator_name", self.tr("Operator"), sort_field="",
                       display=self._operator, width=120),
                Column("source", self.tr("From"), sort_field="", display=self._source,
                       width=100),
                Column("action", self.tr("Action"), sort_field="",
                       display=lambda r: self.action_name(r.get("action", "")), width=140),
                Column("entity_uid", self.tr("Record"), sort_field="", width=150),
                Column("changes", self.tr("Changes"), sort_field="", display=changes_text,
                       width=380)]

    def action_name(self, action: str) -> str:
        """What a supervisor calls the action; the wire's name for one this build lacks
        (written by a newer workstation of the team)."""
        return self._action_names.get(action, action)

    def _names_of_actions(self) -> dict[str, str]:
        """The write actions the history records (its action column holds the wire's
        names), in the order the filter offers them."""
        return {
            "v2_handle": self.tr("Record a handle"),
            "v2_handle_ignore": self.tr("Skip a cycle"),
            "update_v2_handle": self.tr("Correct a handle"),
            "void_v2_handle": self.tr("Void a handle"),
            "create_v2_project": self.tr("New project"),
            "update_v2_project": self.tr("Edit project"),
            "delete_v2_project": self.tr("Delete project"),
            "start_v2_project": self.tr("Start project"),
            "stop_v2_project": self.tr("Stop project"),
            "restart_v2_project": self.tr("Restart project"),
            "create_v2_object": self.tr("New object"),
            "update_v2_object": self.tr("Edit object"),
            "delete_v2_object": self.tr("Delete object"),
            "create_v2_statistics": self.tr("New statistic"),
            "update_v2_statistics": self.tr("Edit statistic"),
            "delete_v2_statistics": self.tr("Delete statistic"),
            "add_v2_statistics_value": self.tr("Add reading"),
            "create_v2_handler": self.tr("New person"),
            "save_notify_channel": self.tr("Save channel"),
            "delete_notify_channel": self.tr("Delete channel"),
        }

    def _operator(self, record: dict[str, Any]) -> str:
        if record.get("operator_name"):
            return str(record["operator_name"])
        if record.get("operator_id"):
            return self.tr("Operator %1").replace("%1", str(record["operator_id"]))
        return self.tr("This workstation")

    def _source(self, record: dict[str, Any]) -> str:
        return {"window": self.tr("Window"), "api": self.tr("API"),
                "cli": self.tr("Command line"), "import": self.tr("Import")}.get(
                    record.get("source", ""), record.get("source", ""))

    def _date_edit(self, day: Any) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self.apply_filters)
        return edit

    def filters(self) -> list[list[Any]]:
        where: list[list[Any]] = []
        if self.record_edit.text().strip():
            where.append(["entity_uid", "=", self.record_edit.text().strip()])
        if self.operator_edit.text().strip():
            where.append(["operator_name", "like", f"%{self.operator_edit.text().strip()}%"])
        if self.action_combo.currentData():
            where.append(["action", "=", self.action_combo.currentData()])
        if not self.all_time.isChecked():
            first, last = sorted((self.date_from.date().toPython(),
                                  self.date_to.date().toPython()))
            where += [["time", ">=", first.isoformat()],
                      ["time", "<", (last + timedelta(days=1)).isoformat()]]
        self.date_from.setEnabled(not self.all_time.isChecked())
        self.date_to.setEnabled(not self.all_time.isChecked())
        return where

    def apply_filters(self) -> None:
        self.model.set_filter(self.filters())

    def export_csv(self, target: Path | None = None) -> int:
        from mixtimer_gui.exports.history_csv import export_history

        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export history"),
                                                    "history.csv", "CSV (*.csv)")
            if not chosen:
                return 0
            target = Path(chosen)
        try:
            return export_history(self.services, target, self.model.filter_params())
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export history"),
                                self.tr("The file could not be written: %1").replace(
                                    "%1", str(exc)))
            return 0


def open_history(parent: QWidget, services: Services, entity_uid: str = "") -> None:
    """历史: the history of one record (or all of it) in its own window."""
    dialog = HistoryDialog(services, entity_uid, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
