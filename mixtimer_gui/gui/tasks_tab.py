"""维保任务: every task with its status, due date in words and cycle progress.

Filters are the wire's ``where_and`` / ``where_or`` / ``where_in`` run in SQL by the service;
the list is a ``PagedTableModel``, ordered by due date (soonest first) unless the user sorts a
column. 处理 (Enter / double-click) and 忽略 open their dialogs. The status badge and the
progress bar are drawn by delegates; the list helpers it shares with the other tabs are in
``gui.widgets``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import cycles
from mixtimer_gui.domain import status as task_status
from mixtimer_gui.domain.clock import parse_wire
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.handle_dialog import HandleDialog, IgnoreDialog
from mixtimer_gui.gui.history_view import open_history
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.table_model import RECORD_ROLE, Column, PagedTableModel
from mixtimer_gui.gui.widgets import (
    ANY,
    ChoiceCombo,
    Guidance,
    ListTab,
    add_action,
    add_shortcuts,
    choices_of,
    chosen_conditions,
    count_label,
    draw_pill,
    filter_bar,
    make_table,
    retitle_columns,
    search_box,
    search_conditions,
    selected_record,
    show_order,
    sized_to_items,
    statistic_units,
)
from mixtimer_gui.services import Services, events

log = logging.getLogger(__name__)

PROGRESS_COLUMN = 6
CLOCK_TICK_MS = 60_000  # "due in N days" and the status move with time, not only with writes
Index = QModelIndex | QPersistentModelIndex


class StatusBadgeDelegate(QStyledItemDelegate):
    """The status as a coloured pill: 正常 green, 即将到期 amber, 已到期 red, 未启动 grey."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        record = index.data(RECORD_ROLE)
        if not record:
            return super().paint(painter, option, index)
        self._background(painter, option)
        value = record.get("status", "")
        background, foreground = humanize.status_colors(value)
        text = humanize.status_label(value)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 18
        height = min(option.rect.height() - 8, metrics.height() + 6)
        pill = QRectF(option.rect.left() + 6, option.rect.center().y() - height / 2 + 1,
                      min(width, option.rect.width() - 12), height)
        draw_pill(painter, pill, text, background, foreground)

    @staticmethod
    def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
        widget = option.widget
        style = widget.style() if widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                widget)


class ProgressDelegate(QStyledItemDelegate):
    """How far the cycle has run: meter readings for statistic cycles (with the numbers),
    elapsed time for calendar cycles."""

    def __init__(self, now: Callable[[], int], units: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._units = units

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        record = index.data(RECORD_ROLE)
        StatusBadgeDelegate._background(painter, option)
        if not record:
            return
        fraction, text = self.progress(record)
        if fraction is None:
            return
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        bar = QRectF(rect.left(), rect.center().y() - 3, min(72.0, rect.width() * 0.35), 6)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e5e8eb"))
        painter.drawRoundedRect(bar, 3, 3)
        filled = QRectF(bar.left(), bar.top(), bar.width() * min(fraction, 1.0), bar.height())
        painter.setBrush(humanize.status_colors(record.get("status"))[1])
        painter.drawRoundedRect(filled, 3, 3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(option.palette.highlightedText().color() if selected
                            else option.palette.text().color()))
        text_rect = QRectF(bar.right() + 6, rect.top(), rect.right() - bar.right() - 6,
                           rect.height())
        elided = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                               int(text_rect.width()))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         elided)
        painter.restore()

    def progress(self, record: dict[str, Any]) -> tuple[float | None, str]:
        if record.get("status") == task_status.NOT_STARTED:
            return None, ""  # a stopped project's numbers are stale: no bar
        fraction = cycles.progress(
            record.get("cycle_type") or "", self._now(),
            cycle_start=_moment(record.get("cycle_start")), due_at=_moment(record.get("due_at")),
            start_value=record.get("start_value"), current_value=record.get("current_value"),
            due_value=record.get("due_value"), time_due_at=_moment(record.get("due_at")))
        metered = (cycles.is_statistic(record.get("cycle_type"))
                   or cycles.is_first(record.get("cycle_type")))
        if fraction is None or not metered or record.get("current_value") is None:
            return fraction, ""
        unit = self._units(record.get("statistics_id") or "")
        text = (f"{humanize.number(record.get('current_value'))} / "
                f"{humanize.number(record.get('due_value'))} {unit}").strip()
        return fraction, text


def _moment(wire_time: str | None) -> int | None:
    return parse_wire(wire_time) if wire_time else None


# -- the tab --------------------------------------------------------------------------------


class TasksTab(ListTab):
    """维保任务. ``show_tasks(uids)`` narrows the list to exactly those tasks (tray clicks,
    the overview), with a bar that says so and clears it."""

    TABLE_KEY = "tasks"

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, bridge, parent)
        self._units: dict[str, str] = {}
        self._reminded: list[str] = []
        self.model = PagedTableModel(services.tasks.list, self._columns(), parent=self)
        self.model.loaded.connect(self._show_count)
        self.model.error.connect(self._show_error)
        self._build()
        self.retranslate()
        self._load_units()
        self.model.set_order("due_at")  # loads the first page; no filter is set yet
        show_order(self.view, self.model)
        self.install_empty_state()
        self.live = LiveRefresh(bridge.changed, (events.TASK, events.PROJECT, events.OBJECT,
                                                 events.READING, events.HANDLE),
                                self.refresh_live, parent=self)
        self.choices_live = LiveRefresh(bridge.changed, (events.PROJECT, events.OBJECT,
                                                         events.STATISTIC),
                                        self._reload_choices, parent=self)
        self._tick = QTimer(self)
        self._tick.setInterval(CLOCK_TICK_MS)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()

    # -- building -------------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        now = self.services.clock.now
        return [
            Column("status", self.tr("Status"), display=lambda r: humanize.status_label(
                r.get("status")), width=96),
            Column("project_name", self.tr("Project"), width=140),
            Column("object_name", self.tr("Object"), width=120),
            # wide enough for a whichever-first task's "2024-11-12 18:00 (按时间)"
            Column("due_at", self.tr("Due"), display=_due_time, width=185),
            Column("due_words", self.tr("Due in"), sort_field="due_at",
                   display=lambda r: _due_words(r, now()), foreground=_due_color, width=135),
            Column("cycle", self.tr("Cycle"), sort_field="",
                   display=lambda r: humanize.cycle_label(
                       r, self._units.get(r.get("statistics_id") or "", "")), width=175),
            Column("progress", self.tr("Progress"), sort_field="current_value", width=200,
                   display=lambda r: ""),
            Column("last_handle_at", self.tr("Last handled"),
                   display=lambda r: humanize.short_time(r.get("last_handle_at")), width=130),
        ]

    def _build(self) -> None:
        self.search, self._search_debounce = search_box("", self._apply_filters, self)
        self.status_combo = sized_to_items(QComboBox())
        self.status_combo.addItem("", ANY)
        for value in humanize.STATUS_ORDER:
            self.status_combo.addItem(humanize.status_label(value), value)
        self.project_combo = ChoiceCombo(choices_of(self.services.projects.names))
        self.project_combo.setMinimumWidth(160)
        self.object_combo = ChoiceCombo(choices_of(self.services.objects.names),
                                        fill_on_show=False)
        self.object_combo.setMinimumWidth(140)
        for combo in (self.status_combo, self.project_combo, self.object_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.reminded_bar = self._reminded_bar()
        self.view = make_table(self.model, "tasksTable")
        self.view.setItemDelegateForColumn(0, StatusBadgeDelegate(self.view))
        self.view.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(
            self.services.clock.now, lambda uid: self._units.get(uid, ""), self.view))
        self.view.doubleClicked.connect(lambda _i: self.handle_selected())
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.count = count_label()
        self.handle_button = QPushButton(icon("handle"), "")
        self.ignore_button = QPushButton(icon("ignore"), "")
        self.handle_button.clicked.connect(self.handle_selected)
        self.history_button = QPushButton("")
        self.history_button.clicked.connect(self.history_of_selected)
        self.ignore_button.clicked.connect(self.ignore_selected)
        self.orders_button = QPushButton(icon("export"), "")
        self.orders_button.setObjectName("workOrdersButton")
        self.orders_button.clicked.connect(self.print_work_orders)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.setObjectName("exportTasksButton")
        self.export_button.clicked.connect(self.export_tasks)
        layout = QVBoxLayout(self)
        layout.addWidget(filter_bar(self.search, self.status_combo, self.project_combo,
                                    self.object_combo))
        layout.addWidget(self.reminded_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(filter_bar(self.count, self.export_button, self.orders_button,
                                    self.history_button, self.ignore_button,
                                    self.handle_button, stretch_after=0))
        self._actions()
        self._show_selected()

    def _reminded_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("remindedBar")
        bar.setStyleSheet("#remindedBar { background: #fff3e0; border: 1px solid #ffcc80;"
                          " border-radius: 4px; }")
        self.reminded_label = QLabel()
        self.clear_reminded_button = QPushButton(icon("clear"), "")
        self.clear_reminded_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_reminded_button.clicked.connect(self.clear_reminded)
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.reminded_label)
        row.addStretch(1)
        row.addWidget(self.clear_reminded_button)
        bar.hide()
        return bar

    def _actions(self) -> None:
        self.handle_action = add_action(self.view, "", self.handle_selected,
                                        QKeySequence("Return"), QKeySequence("Enter"))
        self.handle_action.setIcon(icon("handle"))
        self.ignore_action = add_action(self.view, "", self.ignore_selected)
        self.ignore_action.setIcon(icon("ignore"))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        add_shortcuts(self, (QKeySequence.StandardKey.Find, self.search.setFocus),
                      (QKeySequence.StandardKey.Refresh, self.refresh))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search project or object…"))
        self.status_combo.setItemText(0, self.tr("All statuses"))
        for index, value in enumerate(humanize.STATUS_ORDER, start=1):
            self.status_combo.setItemText(index, humanize.status_label(value))
        self.project_combo.setItemText(0, self.tr("All projects"))
        self.object_combo.setItemText(0, self.tr("All objects"))
        self.handle_button.setText(self.tr("Handle…"))
        self.history_button.setText(self.tr("History…"))
        self.handle_button.setToolTip(self.tr("Record that this task was done (Enter)"))
        self.ignore_button.setText(self.tr("Ignore…"))
        self.ignore_button.setToolTip(self.tr("Skip this cycle, with a reason"))
        self.orders_button.setText(self.tr("Work orders…"))
        self.orders_button.setToolTip(
            self.tr("Print work orders for the selected task or the tasks due soon"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Export the tasks the filters show, as CSV or as an Excel workbook"))
        self.handle_action.setText(self.tr("Handle…"))
        self.ignore_action.setText(self.tr("Ignore…"))
        self.clear_reminded_button.setText(self.tr("Show all tasks"))
        self._show_reminded()
        self._show_count(self.model.total)
        retitle_columns(self.model, self._columns())

    # -- filters --------------------------------------------------------------------------

    def _choice_combos(self) -> list[ChoiceCombo]:
        return [self.project_combo, self.object_combo]

    def _reload_choices(self) -> None:
        super()._reload_choices()
        self._load_units()

    def _load_units(self) -> None:
        """Meter units for the cycle and progress columns ("every 500 h")."""
        self._units = statistic_units(self.services)

    def filters(self) -> tuple[list, list, list]:
        """(where_and, where_or, where_in) for what the filter widgets say."""
        where_and = chosen_conditions((("status", self.status_combo),
                                       ("project_id", self.project_combo),
                                       ("object_id", self.object_combo)))
        where_or = search_conditions(self.search.text(), ("project_name", "object_name",
                                                          "project_alias", "object_alias"))
        where_in = [["uid", list(self._reminded)]] if self._reminded else []
        return where_and, where_or, where_in

    def _apply_filters(self) -> None:
        self.model.set_filter(*self.filters())
        self._show_selected()

    def show_tasks(self, task_uids: list[str]) -> None:
        """Show exactly these tasks (other filters are cleared so none of them hides)."""
        self._reminded = list(dict.fromkeys(task_uids))
        self._clear_filters()
        self._show_reminded()
        self._apply_filters()
        if self.model.rowCount():
            self.view.selectRow(0)

    def show_filtered(self, *, status: str | None = None,
                      project_id: str | None = None) -> None:
        """Show the tasks in ``status`` and/or of ``project_id`` (a tile or a project
        clicked): a live filter, so 1,700 due tasks are all there and a task that comes
        due later joins them."""
        self._reminded = []
        self._clear_filters()
        if status is not None:
            self.status_combo.blockSignals(True)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))
            self.status_combo.blockSignals(False)
        if project_id is not None:
            self.project_combo.blockSignals(True)
            self.project_combo.select_value(project_id)
            self.project_combo.blockSignals(False)
        self._show_reminded()
        self._apply_filters()
        if self.model.rowCount():
            self.view.selectRow(0)

    def _clear_filters(self) -> None:
        for combo in (self.status_combo, self.project_combo, self.object_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_debounce.cancel()

    def empty_guidance(self) -> Guidance:
        return (self.tr("No tasks yet"),
                self.tr("Tasks appear when a project with objects is started: one for each "
                        "object, with its due date, reminders, and Handle… when it is done."),
                [(self.tr("Go to projects"), lambda: self.go_to_tab.emit("projects"))])

    def clear_filters(self) -> None:
        self._reminded = []
        self._clear_filters()
        self._show_reminded()
        self._apply_filters()

    def clear_reminded(self) -> None:
        self._reminded = []
        self._show_reminded()
        self._apply_filters()

    def _show_reminded(self) -> None:
        self.reminded_label.setText(self.tr("Showing %n reminded task(s)", "",
                                            len(self._reminded)))
        self.reminded_bar.setVisible(bool(self._reminded))

    # -- actions --------------------------------------------------------------------------

    def selected_task(self) -> dict[str, Any] | None:
        return selected_record(self.view)

    def print_work_orders(self) -> QDialog:
        from mixtimer_gui.gui import report_dialogs  # loaded when first used, not at start

        return report_dialogs.print_work_orders(self, self.services, self.selected_task())

    def export_tasks(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        csv_dialogs.export_tasks(self, self.services, self.model.filter_params())

    def _fresh(self, task: dict[str, Any]) -> dict[str, Any] | None:
        """The task as it is now (the row may be up to a refresh old)."""
        try:
            return self.services.tasks.get({"uid": task["uid"]})
        except DomainError as exc:
            self._show_error(say(exc))
            return None

    def handle_selected(self) -> bool:
        return self._open_on_selected(HandleDialog)

    def ignore_selected(self) -> bool:
        return self._open_on_selected(IgnoreDialog)

    def _open_on_selected(self, dialog: Callable[..., QDialog]) -> bool:
        """Run ``dialog`` on the selected task as it is now; ``False`` if none or gone."""
        task = self.selected_task()
        task = self._fresh(task) if task else None
        if task is None:
            return False
        return self.run_dialog(dialog(self.services, task, self))

    def _show_selected(self, *_args: object) -> None:
        """Handle and ignore need a task."""
        has = self.selected_task() is not None
        self.handle_button.setEnabled(has)
        self.ignore_button.setEnabled(has)
        self.history_button.setEnabled(has)

    def history_of_selected(self) -> None:
        task = self.selected_task()
        if task is not None:
            open_history(self, self.services, task["uid"])

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%n task(s)", "", total))

    def _show_error(self, message: str) -> None:
        self.count.setText(message)


def _due_time(record: dict[str, Any]) -> str:
    # A whichever-first task shows the limit that comes first, and says which.
    return humanize.with_due_by(humanize.short_time(humanize.due_moment(record)), record)


def _due_words(record: dict[str, Any], now: int) -> str:
    if record.get("status") == task_status.NOT_STARTED:
        return ""
    due = humanize.due_moment(record)
    if not due:
        return QCoreApplication.translate("TasksTab", "no forecast yet")
    return humanize.due_in_words(due, now)


def _due_color(record: dict[str, Any]) -> QColor | None:
    if record.get("status") in (task_status.DUE, task_status.DUE_SOON):
        return humanize.status_colors(record["status"])[1]
    return None
