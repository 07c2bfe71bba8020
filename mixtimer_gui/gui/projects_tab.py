"""维保项目: the project list with search, filters, a running badge and the lifecycle actions.

The list pages from ``services.projects.list`` (SQL filter and order). Start / stop /
restart / delete go through the services with a confirmation where they change timers or
remove tasks; editing a running project explains the stop-first rule and offers
"stop, edit, start again".

Signals:
    open_task_filter(dict): ``{"project_id": …}`` of the selected project, for the Tasks tab.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import cycles
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.theme import RUNNING, STATUS_BACKGROUNDS, STATUS_COLORS, STOPPED
from mixtimer_gui.gui.widgets import (
    draw_pill,
    restore_table,
    rich_text,
    role_label,
    save_table,
    select_uid,
    single_shot_timer,
    statistic_units,
)
from mixtimer_gui.services import Services, events

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
LIVE_DELAY_MS = 300
TABLE_KEY = "projects"
ALL = ""


class BadgeDelegate(QStyledItemDelegate):
    """Paints the cell text as a rounded coloured pill (the running / stopped badge)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | Any) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        foreground = index.data(Qt.ItemDataRole.ForegroundRole) or QColor(STOPPED)
        background = index.data(Qt.ItemDataRole.BackgroundRole) or QColor("#eceff1")
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 18
        height = metrics.height() + 4
        rect = QRectF(option.rect.left() + 6, option.rect.center().y() - height / 2 + 1,
                      width, height)
        draw_pill(painter, rect, text, background, foreground)


class ProjectsTab(QWidget):
    open_task_filter = Signal(dict)

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._dirty = False
        self._form_factory = None  # tests replace the dialog runner
        self._statistic_units: dict[str, str] = {}
        self._load_statistic_units()
        self._search_timer = single_shot_timer(self, SEARCH_DELAY_MS, self.apply_filter)
        self._live_timer = single_shot_timer(self, LIVE_DELAY_MS, self._refresh_if_visible)
        bridge.changed.connect(self._on_changed)
        self.model = PagedTableModel(services.projects.list, self._columns(), page_size=200,
                                     parent=self)
        self._build()
        self.model.error.connect(self._show_list_error)
        self.model.loaded.connect(self._on_loaded)
        self.retranslate()
        self.apply_filter()

    # -- columns ----------------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        return [
            Column("is_active", self.tr("State"), display=self._state_text,
                   foreground=lambda r: QColor(RUNNING if r["is_active"] else STOPPED),
                   background=lambda r: QColor(STATUS_BACKGROUNDS["正常"] if r["is_active"]
                                               else STATUS_BACKGROUNDS["未启动"]), width=90),
            Column("name", self.tr("Name"), width=220),
            Column("alias", self.tr("Alias"), width=140),
            Column("cycle_type", self.tr("Cycle type"),
                   display=lambda r: humanize.domain_label(r["cycle_type"]), width=110),
            Column("period_num", self.tr("Cycle"), display=self._cycle_text, width=120),
            Column("notice_num", self.tr("Reminder"), display=self._notice_text, width=100),
            Column("anchor_type", self.tr("Next cycle"),
                   display=lambda r: humanize.domain_label(r["anchor_type"]), width=110),
            Column("object_id_list", self.tr("Objects"), sort_field="",
                   display=lambda r: str(len(r["object_id_list"])), align_right=True, width=70),
            Column("created", self.tr("Created"),
                   display=lambda r: humanize.short_time(r["created"]), width=140),
        ]

    def _cycle_text(self, record: dict) -> str:
        return humanize.cycle_label(record, self._statistic_units.get(
            record.get("statistics_id") or "", ""))

    def _load_statistic_units(self) -> None:
        """Units of the statistics, so a meter cycle reads "every 500 h", not an id."""
        self._statistic_units = statistic_units(self.services)

    def _state_text(self, record: dict) -> str:
        return self.tr("Running") if record["is_active"] else self.tr("Stopped")

    def _notice_text(self, record: dict) -> str:
        count = int(record.get("notice_num") or 0)
        if not count:
            return self.tr("at due time")
        return self.tr("%1 %2 before").replace("%1", str(count)).replace(
            "%2", humanize.domain_label(record.get("notice_unit") or cycles.DAY))

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_action = self._action("add", self.new_item)
        self.edit_action = self._action("edit", self.open_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.start_action = self._action("start", self.start_selected)
        self.stop_action = self._action("stop", self.stop_selected)
        self.restart_action = self._action("restart", self.restart_selected)
        self.toolbar.addSeparator()
        self.refresh_action = self._action("refresh", self.refresh)
        bar.addWidget(self.toolbar, 1)
        self.cycle_filter = QComboBox(self)
        self.cycle_filter.addItem("", ALL)
        for value in cycles.CYCLE_TYPES:
            self.cycle_filter.addItem("", value)
        self.state_filter = QComboBox(self)
        for value in (ALL, "1", "0"):
            self.state_filter.addItem("", value)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        bar.addWidget(self.cycle_filter)
        bar.addWidget(self.state_filter)
        bar.addWidget(self.search_edit)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableView(self.splitter)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.setItemDelegateForColumn(0, BadgeDelegate(self.table))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        for number, column in enumerate(self.model.columns):
            self.table.setColumnWidth(number, column.width)
        self.table.horizontalHeader().setSortIndicator(len(self.model.columns) - 1,
                                                       Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        side = QWidget(self.splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        self.detail = QTextBrowser(side)
        self.detail.setOpenLinks(False)
        side_layout.addWidget(self.detail, 1)
        self.tasks_button = QPushButton(icon("tasks"), "", side)
        self.tasks_button.clicked.connect(self._open_project_tasks)
        side_layout.addWidget(self.tasks_button)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 320])
        layout.addWidget(self.splitter, 1)
        self.count_label = role_label(self, "hint")
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.cycle_filter.currentIndexChanged.connect(self.apply_filter)
        self.state_filter.currentIndexChanged.connect(self.apply_filter)
        self._update_actions()

    def _action(self, icon_name: str, slot: Any) -> QAction:
        action = self.toolbar.addAction(icon(icon_name), "")
        action.triggered.connect(slot)
        return action

    def retranslate(self) -> None:
        for action, text, tip in (
                (self.new_action, self.tr("New"), self.tr("New project (Ctrl+N)")),
                (self.edit_action, self.tr("Edit"), self.tr("Edit the project (Enter)")),
                (self.delete_action, self.tr("Delete"), self.tr("Delete the project (Del)")),
                (self.start_action, self.tr("Start"), self.tr("Start the project's timers")),
                (self.stop_action, self.tr("Stop"), self.tr("Stop: no reminders, the dates "
                                                            "stay")),
                (self.restart_action, self.tr("Restart"),
                 self.tr("Every task starts a fresh cycle now")),
                (self.refresh_action, self.tr("Refresh"), self.tr("Reload the list (F5)"))):
            action.setText(text)
            action.setToolTip(tip)
        self.cycle_filter.setItemText(0, self.tr("All cycle types"))
        for index in range(1, self.cycle_filter.count()):
            self.cycle_filter.setItemText(index, humanize.domain_label(
                self.cycle_filter.itemData(index)))
        self.state_filter.setItemText(0, self.tr("Running and stopped"))
        self.state_filter.setItemText(1, self.tr("Running"))
        self.state_filter.setItemText(2, self.tr("Stopped"))
        self.search_edit.setPlaceholderText(self.tr("Search name, alias or number (Ctrl+F)"))
        self.tasks_button.setText(self.tr("Show this project's tasks"))
        self.model.set_columns(self._columns())  # titles and cell words in the new language
        self._on_loaded(self.model.total)
        self._show_detail(self.selected_project())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- list -------------------------------------------------------------------------------

    def filters(self) -> dict[str, list]:
        where_and: list = []
        cycle_type = self.cycle_filter.currentData()
        if cycle_type:
            where_and.append(["cycle_type", "=", cycle_type])
        state = self.state_filter.currentData()
        if state:
            where_and.append(["is_active", "=", int(state)])
        text = self.search_edit.text().strip()
        where_or = []
        if text:
            pattern = f"%{text}%"
            where_or = [["name", "like", pattern], ["alias", "like", pattern],
                        ["uid", "like", pattern]]
        return {"where_and": where_and, "where_or": where_or}

    def apply_filter(self) -> None:
        self._search_timer.stop()
        uid = self.selected_uid()
        self.model.set_filter(**self.filters())
        self._reselect(uid)

    def refresh(self) -> None:
        self._dirty = False
        self._load_statistic_units()
        uid = self.selected_uid()
        self.model.refresh()
        self._reselect(uid)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_project(self) -> dict | None:
        row = self.selected_row()
        return self.model.record(row) if row is not None else None

    def selected_uid(self) -> str | None:
        project = self.selected_project()
        return project["uid"] if project else None

    def select_uid(self, uid: str) -> bool:
        return select_uid(self.table, self.model, uid)

    def _reselect(self, uid: str | None) -> None:
        if uid is not None and not self.select_uid(uid):
            self.table.clearSelection()
        # The same row may stay selected with new contents (e.g. now running): no
        # selectionChanged then, so the actions and the detail are brought up to date here.
        self._update_actions()
        self._show_detail(self.selected_project())

    def _on_loaded(self, total: int) -> None:
        self.count_label.setText(self.tr("%1 project(s)").replace("%1", str(total)))

    def _show_list_error(self, message: str) -> None:
        self.count_label.setText(message)

    def _selection_changed(self, *_: object) -> None:
        self._update_actions()
        self._show_detail(self.selected_project())

    def _update_actions(self) -> None:
        project = self.selected_project()
        has = project is not None
        running = bool(project and project["is_active"])
        self.edit_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        self.start_action.setEnabled(has and not running)
        self.stop_action.setEnabled(running)
        self.restart_action.setEnabled(has)
        self.tasks_button.setEnabled(has)

    # -- detail pane ------------------------------------------------------------------------

    def _show_detail(self, project: dict | None) -> None:
        if project is None:
            hint = self.tr("Select a project to see its details.")
            self.detail.setHtml(f"<p style='color:#607d8b'>{hint}</p>")
            return
        counts = self._task_counts(project["uid"])
        objects = self._object_names(project["object_id_list"])
        state = self._state_text(project)
        color = RUNNING if project["is_active"] else STOPPED
        rows = [
            (self.tr("Number"), project["uid"]),
            (self.tr("Alias"), project["alias"]),
            (self.tr("Cycle"), f"{humanize.domain_label(project['cycle_type'])} · "
                               f"{humanize.cycle_label(project)}"),
            (self.tr("Reminder"), self._notice_text(project)),
            (self.tr("Next cycle"), humanize.domain_label(project["anchor_type"])),
        ]
        if project["cycle_type"] == cycles.STATISTIC:
            rows.append((self.tr("Statistic"), project["statistics_id"] or
                         self.tr("(none: the project cannot start)")))
        table = "".join(f"<tr><td style='color:#607d8b; padding-right:10px'>{rich_text(k)}</td>"
                        f"<td>{rich_text(str(v))}</td></tr>" for k, v in rows)
        badges = " ".join(
            f"<span style='color:{STATUS_COLORS[s]}'>{rich_text(humanize.status_label(s))} "
            f"<b>{n}</b></span>&nbsp;&nbsp;" for s, n in counts.items() if n)
        guide = rich_text(project["guide"]).replace("\n", "<br>") or "—"
        tasks_heading = self.tr("Tasks")
        objects_heading = self.tr("Objects")
        guide_heading = self.tr("Maintenance guide")
        description_heading = self.tr("Description")
        self.detail.setHtml(
            f"<h3 style='margin-bottom:2px'>{rich_text(project['name'])}</h3>"
            f"<p style='color:{color}; margin-top:0'><b>{state}</b></p>"
            f"<table cellspacing='2'>{table}</table>"
            f"<h4>{tasks_heading}</h4><p>{badges or '—'}</p>"
            f"<h4>{objects_heading} ({len(objects)})</h4>"
            f"<p>{'、'.join(rich_text(n) for n in objects[:40]) or '—'}"
            f"{' …' if len(objects) > 40 else ''}</p>"
            f"<h4>{guide_heading}</h4><p>{guide}</p>"
            + (f"<h4>{description_heading}</h4><p>{rich_text(str(project['description']))}</p>"
               if project["description"] else ""))

    def _task_counts(self, project_uid: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for status in humanize.STATUS_ORDER:
            try:
                page = self.services.tasks.list({
                    "page_size": 1, "where_and": [["project_id", "=", project_uid],
                                                  ["status", "=", status]]})
            except DomainError:
                continue
            counts[status] = page["total_records"]
        return counts

    def _object_names(self, uids: list[str]) -> list[str]:
        if not uids:
            return []
        try:
            page = self.services.objects.list({"page_size": 1000,
                                               "where_in": [["uid", uids[:1000]]]})
        except DomainError:
            return list(uids)
        names = {o["uid"]: o["name"] for o in page["data"]}
        return [names.get(uid, uid) for uid in uids]

    def _open_project_tasks(self) -> None:
        uid = self.selected_uid()
        if uid is None:
            return
        self.open_task_filter.emit({"project_id": uid})

    # -- actions ----------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        for action in (self.edit_action, self.start_action, self.stop_action,
                       self.restart_action, None, self.delete_action, None, self.new_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def run_form(self, project: dict | None) -> str | None:
        """Open the project form; the saved project's uid, or ``None`` if cancelled."""
        if self._form_factory is not None:
            return self._form_factory(project)
        from mixtimer_gui.gui.project_form import ProjectForm

        form = ProjectForm(self.services, project, self)
        form.exec()
        return form.saved_uid

    def new_item(self) -> None:
        uid = self.run_form(None)
        if uid:
            self.refresh()
            self.select_uid(uid)

    def open_selected(self) -> None:
        project = self.selected_project()
        if project is None:
            return
        try:  # fresh from the store: the API may have changed or deleted it meanwhile
            project = self.services.projects.get({"uid": project["uid"]})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not done"), say(exc))
            self.refresh()
            return
        restart = False
        if project["is_active"]:
            if not self._confirm(
                    self.tr("Edit a running project"),
                    self.tr("“%1” is running. Its cycle settings can only change while it is "
                            "stopped, so that no task's dates move under a running timer.\n\n"
                            "Stop it, edit it, and start it again afterwards?")
                    .replace("%1", project["name"]),
                    self.tr("Stop, edit, start again")):
                return
            if not self._call(self.services.projects.stop, project["uid"]):
                return
            restart = True
            project["is_active"] = 0
        uid = self.run_form(project)
        if restart:
            self._call(self.services.projects.start, project["uid"])
        if uid or restart:
            self.refresh()

    def delete_selected(self) -> None:
        project = self.selected_project()
        if project is None:
            return
        running = bool(project["is_active"])
        text = self.tr("Delete “%1” and its %2 task(s)? The maintenance records (handles) "
                       "are kept.").replace("%1", project["name"]).replace(
            "%2", str(len(project["object_id_list"])))
        if running:
            text += "\n\n" + self.tr("The project is running: it will be stopped first.")
        if not self._confirm(self.tr("Delete project"), text, self.tr("Delete"),
                             destructive=True):
            return
        if running and not self._call(self.services.projects.stop, project["uid"]):
            return
        if self._call(self.services.projects.delete, project["uid"]):
            self.refresh()

    def start_selected(self) -> None:
        project = self.selected_project()
        if project and self._call(self.services.projects.start, project["uid"]):
            self.refresh()

    def stop_selected(self) -> None:
        project = self.selected_project()
        if project is None:
            return
        if not self._confirm(self.tr("Stop project"),
                             self.tr("Stop “%1”? Its tasks give no reminders while it is "
                                     "stopped; their due dates stay.")
                             .replace("%1", project["name"]), self.tr("Stop")):
            return
        if self._call(self.services.projects.stop, project["uid"]):
            self.refresh()

    def restart_selected(self) -> None:
        project = self.selected_project()
        if project is None:
            return
        if not self._confirm(self.tr("Restart project"),
                             self.tr("Restart “%1”? Every task starts a fresh cycle now; the "
                                     "current due dates are replaced.")
                             .replace("%1", project["name"]), self.tr("Restart")):
            return
        if self._call(self.services.projects.restart, project["uid"]):
            self.refresh()

    def _call(self, method: Any, uid: str) -> bool:
        try:
            method({"uid": uid})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not done"), say(exc))
            return False
        return True

    def _confirm(self, title: str, text: str, accept_text: str, *,
                 destructive: bool = False) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning if destructive
                          else QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Cancel, self)
        accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel if destructive else accept)
        box.exec()
        return box.clickedButton() is accept

    # -- live updates and state -------------------------------------------------------------

    def _on_changed(self, entity: str, _uids: list) -> None:
        if entity in (events.PROJECT, events.TASK, events.OBJECT):
            self._dirty = True
            self._live_timer.start()

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def restore_state(self, settings: AppSettings) -> None:
        restore_table(settings, TABLE_KEY, self.table, self.splitter)

    def save_state(self, settings: AppSettings) -> None:
        save_table(settings, TABLE_KEY, self.table, self.splitter)



