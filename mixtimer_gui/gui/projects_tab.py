"""维保项目: the project list with search, filters, a running badge and the lifecycle actions.

A ``ListTab`` as the others: the list pages from ``services.projects.list`` (SQL filter and
order). Start / stop / restart / delete go through the services with a confirmation where
they change timers or remove tasks; editing a running project explains the stop-first rule
and offers "stop, edit, start again".

Signals:
    open_task_filter(dict): ``{"project_id": …}`` of the selected project, for the Tasks tab.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import cycles
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.history_view import open_history
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.project_form import ProjectForm
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.theme import RUNNING, STATUS_BACKGROUNDS, STATUS_COLORS, STOPPED
from mixtimer_gui.gui.widgets import (
    ANY,
    Guidance,
    ListTab,
    chosen_conditions,
    count_label,
    draw_pill,
    filter_bar,
    make_table,
    retitle_columns,
    rich_text,
    search_box,
    search_conditions,
    select_uid,
    selected_record,
    sized_to_items,
    statistic_records,
    statistic_title,
    statistic_unit,
)
from mixtimer_gui.services import Services, events

log = logging.getLogger(__name__)

SEARCH_FIELDS = ("name", "alias", "uid")


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


class ProjectsTab(ListTab):
    open_task_filter = Signal(dict)

    TABLE_KEY = "projects"
    # The detail pane asks five questions per refresh: a hidden tab waits until it shows.
    REFRESH_WHILE_HIDDEN = False

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, bridge, parent)
        self._statistics: dict[str, dict] = statistic_records(services)
        self.model = PagedTableModel(services.projects.list, self._columns(), page_size=200,
                                     parent=self)
        self.model.loaded.connect(self._show_count)
        self.model.error.connect(self._show_error)
        self.model.set_order("-created", load=False)  # newest first; the header shows it
        self._build()
        self.retranslate()
        self._apply_filters()
        self.install_empty_state()
        self.live = LiveRefresh(bridge.changed, (events.PROJECT, events.TASK, events.OBJECT),
                                self.refresh_live, parent=self)

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
        statistic = self._statistics.get(record.get("statistics_id") or "")
        return humanize.cycle_label(record, statistic_unit(statistic) if statistic else "")

    def _statistic_text(self, project: dict) -> str:
        """The meter a project counts by, by name and unit (never its uid)."""
        uid = project.get("statistics_id") or ""
        if not uid:
            return self.tr("(none: the project cannot start)")
        statistic = self._statistics.get(uid)
        if statistic is None:
            return self.tr("(a statistic that no longer exists)")
        return statistic_title(statistic)

    def _state_text(self, record: dict) -> str:
        return self.tr("Running") if record["is_active"] else self.tr("Stopped")

    def _notice_text(self, record: dict) -> str:
        return humanize.notice_label(record)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        # The actions take the whole first row, the search and filters the second: in one
        # row, a 1024-pixel window hid Stop, Restart and Refresh.
        layout.addWidget(self._toolbar())
        self.cycle_type_combo = sized_to_items(QComboBox(self))
        self.cycle_type_combo.addItem("", ANY)
        for value in cycles.CYCLE_TYPES:
            self.cycle_type_combo.addItem("", value)
        self.state_combo = sized_to_items(QComboBox(self))
        for value in (ANY, 1, 0):
            self.state_combo.addItem("", value)
        for combo in (self.cycle_type_combo, self.state_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.search, self._search_debounce = search_box("", self._apply_filters, self)
        self.search.setMinimumWidth(280)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        layout.addWidget(filter_bar(self.search, self.cycle_type_combo, self.state_combo))
        self.view = make_table(self.model, "projectsTable")
        self.view.setItemDelegateForColumn(0, BadgeDelegate(self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self._detail_pane())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 320])
        layout.addWidget(self.splitter, 1)
        self.count = count_label()
        layout.addWidget(self.count)
        self._show_selected()

    def _toolbar(self) -> QToolBar:
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_action = self._action("add", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.start_action = self._action("start", self.start_selected)
        self.stop_action = self._action("stop", self.stop_selected)
        self.restart_action = self._action("restart", self.restart_selected)
        self.toolbar.addSeparator()
        self.refresh_action = self._action("refresh", self.refresh)
        return self.toolbar

    def _action(self, icon_name: str, slot: Any) -> QAction:
        action = self.toolbar.addAction(icon(icon_name), "")
        action.triggered.connect(slot)
        return action

    def _detail_pane(self) -> QWidget:
        side = QWidget(self.splitter)
        column = QVBoxLayout(side)
        column.setContentsMargins(6, 0, 0, 0)
        self.detail = QTextBrowser(side)
        self.detail.setOpenLinks(False)
        column.addWidget(self.detail, 1)
        self.tasks_button = QPushButton(icon("tasks"), "", side)
        self.tasks_button.clicked.connect(self._open_project_tasks)
        column.addWidget(self.tasks_button)
        self.history_button = QPushButton("", side)
        self.history_button.clicked.connect(self.history_of_selected)
        column.addWidget(self.history_button)
        return side

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
        self.cycle_type_combo.setItemText(0, self.tr("All cycle types"))
        for index in range(1, self.cycle_type_combo.count()):
            self.cycle_type_combo.setItemText(index, humanize.domain_label(
                self.cycle_type_combo.itemData(index)))
        self.state_combo.setItemText(0, self.tr("Running and stopped"))
        self.state_combo.setItemText(1, self.tr("Running"))
        self.state_combo.setItemText(2, self.tr("Stopped"))
        self.search.setPlaceholderText(self.tr("Search name, alias or number (Ctrl+F)"))
        self.tasks_button.setText(self.tr("Show this project's tasks"))
        self.history_button.setText(self.tr("History…"))
        retitle_columns(self.model, self._columns())
        self._show_count(self.model.total)
        self._show_selected()

    # -- list -------------------------------------------------------------------------------

    def filters(self) -> tuple[list, list]:
        """(where_and, where_or) for what the filter widgets say."""
        where_and = chosen_conditions((("cycle_type", self.cycle_type_combo),
                                       ("is_active", self.state_combo)))
        return where_and, search_conditions(self.search.text(), SEARCH_FIELDS)

    def empty_guidance(self) -> Guidance:
        return (self.tr("No maintenance projects yet"),
                self.tr("A project is a maintenance plan: what to do, how often, and on "
                        "which objects. Once it is started, each of its objects gets a task "
                        "with due dates and reminders."),
                [(self.tr("New project…"), self.new_record)])

    def clear_filters(self) -> None:
        for combo in (self.cycle_type_combo, self.state_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        super().clear_filters()

    def _apply_filters(self) -> None:
        uid = (self.selected_project() or {}).get("uid")
        self.model.set_filter(*self.filters())
        if uid is not None:  # still listed: still selected
            select_uid(self.view, self.model, uid)
        self._rows_changed()

    def refresh(self) -> None:
        self._statistics = statistic_records(self.services)
        super().refresh()

    def selected_project(self) -> dict | None:
        return selected_record(self.view)

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%1 project(s)").replace("%1", str(total)))

    def _show_error(self, message: str) -> None:
        self.count.setText(message)

    def history_of_selected(self) -> None:
        project = self.selected_project()
        if project is not None:
            open_history(self, self.services, project["uid"])

    def _show_selected(self, *_args: object) -> None:
        """The actions the selected project allows, and its details."""
        project = self.selected_project()
        has = project is not None
        running = bool(project and project["is_active"])
        self.edit_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        self.start_action.setEnabled(has and not running)
        self.stop_action.setEnabled(running)
        self.restart_action.setEnabled(has)
        self.tasks_button.setEnabled(has)
        self.history_button.setEnabled(has)
        self._show_detail(project)

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
                               f"{self._cycle_text(project)}"),
            (self.tr("Reminder"), self._notice_text(project)),
            (self.tr("Next cycle"), humanize.domain_label(project["anchor_type"])),
        ]
        if cycles.is_statistic(project["cycle_type"]):
            rows.append((self.tr("Statistic"), self._statistic_text(project)))
        table = "".join(f"<tr><td style='color:#607d8b; padding-right:10px'>{rich_text(k)}</td>"
                        f"<td>{rich_text(str(v))}</td></tr>" for k, v in rows)
        badges = " ".join(
            f"<span style='color:{STATUS_COLORS[s]}'>{rich_text(humanize.status_label(s))} "
            f"<b>{n}</b></span>&nbsp;&nbsp;" for s, n in counts.items() if n)
        guide = rich_text(project["guide"]) or "—"
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
        project = self.selected_project()
        if project is not None:
            self.open_task_filter.emit({"project_id": project["uid"]})

    # -- actions ----------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.selectRow(index.row())
        menu = QMenu(self)
        for action in (self.edit_action, self.start_action, self.stop_action,
                       self.restart_action, None, self.delete_action, None, self.new_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def new_record(self) -> bool:
        return self.run_dialog(ProjectForm(self.services, None, self))

    def edit_selected(self) -> bool:
        """Edit the selected project; a running one is stopped for the edit and started
        again after (its cycle settings change only while it is stopped)."""
        project = self.selected_project()
        if project is None:
            return False
        try:  # fresh from the store: the API may have changed or deleted it meanwhile
            project = self.services.projects.get({"uid": project["uid"]})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not done"), say(exc))
            self.refresh()
            return False
        running = bool(project["is_active"])
        if running:
            if not self._confirm(
                    self.tr("Edit a running project"),
                    self.tr("“%1” is running. Its cycle settings can only change while it is "
                            "stopped, so that no task's dates move under a running timer.\n\n"
                            "Stop it, edit it, and start it again afterwards?")
                    .replace("%1", project["name"]),
                    self.tr("Stop, edit, start again")):
                return False
            if not self._call(self.services.projects.stop, project["uid"]):
                return False
            project["is_active"] = 0
        saved = self.run_dialog(ProjectForm(self.services, project, self))
        if running:
            self._call(self.services.projects.start, project["uid"])
            self.refresh()
        return saved

    def delete_selected(self) -> bool:
        project = self.selected_project()
        if project is None:
            return False
        running = bool(project["is_active"])
        text = self.tr("Delete “%1” and its %2 task(s)? The maintenance records (handles) "
                       "are kept.").replace("%1", project["name"]).replace(
            "%2", str(len(project["object_id_list"])))
        if running:
            text += "\n\n" + self.tr("The project is running: it will be stopped first.")
        if not self._confirm(self.tr("Delete project"), text, self.tr("Delete"),
                             destructive=True):
            return False
        if running and not self._call(self.services.projects.stop, project["uid"]):
            return False
        return self._call_and_refresh(self.services.projects.delete, project["uid"])

    def start_selected(self) -> bool:
        project = self.selected_project()
        return project is not None and self._call_and_refresh(self.services.projects.start,
                                                              project["uid"])

    def stop_selected(self) -> bool:
        project = self.selected_project()
        if project is None or not self._confirm(
                self.tr("Stop project"),
                self.tr("Stop “%1”? Its tasks give no reminders while it is stopped; their "
                        "due dates stay.").replace("%1", project["name"]), self.tr("Stop")):
            return False
        return self._call_and_refresh(self.services.projects.stop, project["uid"])

    def restart_selected(self) -> bool:
        project = self.selected_project()
        if project is None or not self._confirm(
                self.tr("Restart project"),
                self.tr("Restart “%1”? Every task starts a fresh cycle now; the current due "
                        "dates are replaced.").replace("%1", project["name"]),
                self.tr("Restart")):
            return False
        return self._call_and_refresh(self.services.projects.restart, project["uid"])

    def _call_and_refresh(self, method: Any, uid: str) -> bool:
        done = self._call(method, uid)
        if done:
            self.refresh()
        return done

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
