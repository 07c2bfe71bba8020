"""The reminder centre: every reminder fired, inside the window (there may be no tray).

A paged list of the reminder log (newest first) with time, kind, due time and the task
(named by its project and object, a link to it); unread rows are bold. Filters: unread
only, kind. Buttons open the selected tasks, mark the selection read, or mark everything
read. Live: a reminder fired or read anywhere (the runner, the tray, another window on
the API) refreshes it via the bridge.

Signals:
    unread_changed(int): the number of unread reminders, after every refresh.
    open_tasks(list): task uids to show in the Tasks tab (link click, double click, button).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.widgets import sized_to_items
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reminders import DUE, NOTICE, OVERDUE

log = logging.getLogger(__name__)

KIND_COLOURS = {NOTICE: "#9a5b00", DUE: "#b3261e", OVERDUE: "#7f0000"}
LINK_COLOUR = "#1565c0"
TASK_COLUMN = "task_id"


def task_name(record: dict) -> str:
    """``project · object``: how a supervisor names a task."""
    names = [record.get("project_name") or "", record.get("object_name") or ""]
    return " · ".join(name for name in names if name)


class ReminderTableModel(PagedTableModel):
    """The log page model, with unread rows bold and the task column drawn as a link."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            record = self.record(index.row())
            if record is None:
                return None
            font = QFont()
            font.setBold(not record.get("is_read"))
            font.setUnderline(self.columns[index.column()].key == TASK_COLUMN)
            return font
        return super().data(index, role)


class ReminderCenter(QWidget):
    unread_changed = Signal(int)
    open_tasks = Signal(list)

    def __init__(self, services: Services, bridge: ChangeBridge | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.unread = 0
        self.unread_label = QLabel(self)
        self.unread_label.setObjectName("ReminderUnread")
        self.unread_only = QCheckBox(self)
        self.kind_combo = sized_to_items(QComboBox(self))
        self.open_button = QPushButton(self)
        self.mark_read_button = QPushButton(self)
        self.mark_all_button = QPushButton(self)
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b3261e")
        self.error_label.hide()
        self.model = ReminderTableModel(services.reminders.list, self._columns(),
                                        page_size=200, parent=self)
        self.view = QTableView(self)
        self._build()
        self.retranslate()
        self.model.error.connect(self._show_error)
        self.model.loaded.connect(self._on_loaded)
        if bridge is not None:
            bridge.changed.connect(self.on_changed)
        self._apply_filters()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        for number, column in enumerate(self.model.columns):
            self.view.setColumnWidth(number, column.width)
        self.view.clicked.connect(self._on_clicked)
        self.view.doubleClicked.connect(lambda index: self._open_rows([index.row()]))
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.unread_only.toggled.connect(self._apply_filters)
        self.kind_combo.currentIndexChanged.connect(self._apply_filters)
        self.open_button.clicked.connect(lambda: self._open_rows(self._selected_rows()))
        self.mark_read_button.clicked.connect(self.mark_selected_read)
        self.mark_all_button.clicked.connect(self.mark_all_read)

        bar = QHBoxLayout()
        bar.addWidget(self.unread_label)
        bar.addSpacing(12)
        bar.addWidget(self.unread_only)
        bar.addWidget(self.kind_combo)
        bar.addStretch(1)
        for button in (self.open_button, self.mark_read_button, self.mark_all_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)

    def _columns(self) -> list[Column]:
        def kind_colour(record: dict) -> QColor:
            return QColor(KIND_COLOURS.get(record.get("kind", ""), "#000000"))

        return [
            Column("fired_at", self.tr("Time"), display=lambda r: humanize.short_time(
                r.get("fired_at")), width=140),
            Column("kind", self.tr("Kind"), display=lambda r: self.kind_label(r.get("kind")),
                   foreground=kind_colour, width=90),
            Column("due_at", self.tr("Due at"), display=lambda r: humanize.short_time(
                r.get("due_at")), width=140),
            # A task is its project on its object: named so, a link to it (never its uid).
            Column(TASK_COLUMN, self.tr("Task"), sort_field="project_name",
                   display=task_name, foreground=lambda _r: QColor(LINK_COLOUR), width=320),
        ]

    def kind_label(self, kind: str | None) -> str:
        labels = {NOTICE: self.tr("Due soon"), DUE: self.tr("Due"),
                  OVERDUE: self.tr("Overdue")}
        return labels.get(kind or "", kind or "")

    def retranslate(self) -> None:
        self.unread_only.setText(self.tr("Unread only"))
        current = self.kind_combo.currentIndex()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem(self.tr("All kinds"), "")
        for kind in (NOTICE, DUE, OVERDUE):
            self.kind_combo.addItem(self.kind_label(kind), kind)
        self.kind_combo.setCurrentIndex(max(0, current))
        self.kind_combo.blockSignals(False)
        self.open_button.setText(self.tr("Open task"))
        self.mark_read_button.setText(self.tr("Mark read"))
        self.mark_all_button.setText(self.tr("Mark all read"))
        self.empty_label.setText(self.tr("No reminders. When a task enters its notice window, "
                                         "becomes due or stays overdue, it is listed here."))
        self.model.set_columns(self._columns())
        self._show_unread()

    def showEvent(self, event: QShowEvent) -> None:
        # Another process (``serve``) may have fired or read reminders: no bus tells us.
        self.refresh()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- actions --------------------------------------------------------------------------

    def refresh(self) -> None:
        self.model.refresh()
        self._update_unread()

    def on_changed(self, entity: str, _uids: list | None = None) -> None:
        if entity == events.REMINDER:
            self.refresh()

    def mark_selected_read(self) -> None:
        ids = [r["id"] for r in self._records(self._selected_rows()) if not r.get("is_read")]
        self._call(lambda: self.services.reminders.mark_read({"id_list": ids}))

    def mark_all_read(self) -> None:
        self._call(self.services.reminders.mark_all_read)

    def _open_rows(self, rows: list[int]) -> None:
        records = self._records(rows)
        if not records:
            return
        unread = [r["id"] for r in records if not r.get("is_read")]
        if unread:
            self._call(lambda: self.services.reminders.mark_read({"id_list": unread}))
        self.open_tasks.emit(list(dict.fromkeys(r["task_id"] for r in records)))

    def _on_clicked(self, index: QModelIndex) -> None:
        if self.model.columns[index.column()].key == TASK_COLUMN:
            self._open_rows([index.row()])

    def _call(self, action: Any) -> None:
        try:
            action()
        except DomainError as exc:
            self._show_error(say(exc))
            return
        # The bus announces the change too; refreshing now keeps the view exact at once.
        self.refresh()

    # -- state ----------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        where: list[list[Any]] = []
        if self.unread_only.isChecked():
            where.append(["is_read", "=", 0])
        kind = self.kind_combo.currentData()
        if kind:
            where.append(["kind", "=", kind])
        self.model.set_filter(where_and=where)
        self._update_unread()

    def _on_loaded(self, total: int) -> None:
        self.error_label.hide()
        self.empty_label.setVisible(total == 0)
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _update_unread(self) -> None:
        try:
            count = self.services.reminders.unread_count()
        except Exception:
            log.exception("unread reminder count failed")
            return
        if count != self.unread:
            self.unread = count
            self.unread_changed.emit(count)
        self._show_unread()
        self._update_buttons()

    def _show_unread(self) -> None:
        self.unread_label.setText(self.tr("Unread: %1").replace("%1", str(self.unread)))

    def _update_buttons(self, *_args: object) -> None:
        selected = bool(self._selected_rows())
        self.open_button.setEnabled(selected)
        self.mark_read_button.setEnabled(selected)
        self.mark_all_button.setEnabled(self.unread > 0)

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.view.selectionModel().selectedRows()})

    def _records(self, rows: list[int]) -> list[dict]:
        return [r for r in (self.model.record(row) for row in rows) if r is not None]
