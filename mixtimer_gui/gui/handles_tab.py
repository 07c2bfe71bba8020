"""维保记录: the history of handles, filtered in SQL, with a detail pane and its pictures.

Built for a million records: the table pages from ``services.handles.list`` (never all rows),
rows have a fixed height, nothing sizes itself to content, and the text search waits for the
user to pause. New handles (from this window or the API) appear through the change bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import checklists, clock
from mixtimer_gui.domain.status import handled_on_time
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.background import own_connection
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.handle_dialog import EditHandleDialog, VoidDialog
from mixtimer_gui.gui.history_view import open_history
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.images import ImageViewer, ThumbnailList, placeholder, stored_thumbnail
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.widgets import (
    ANY,
    ChoiceCombo,
    Guidance,
    ListTab,
    add_shortcuts,
    choices_of,
    chosen_conditions,
    count_label,
    filter_bar,
    make_table,
    retitle_columns,
    rich_text,
    search_box,
    search_conditions,
    selected_record,
    sized_to_items,
)
from mixtimer_gui.services import Services, events
from mixtimer_gui.services import images as stored_images
from mixtimer_gui.services.errors import StoreError

log = logging.getLogger(__name__)

IGNORED_FG = QColor("#7b868c")
ABNORMAL_FG = QColor("#c62828")
HANDLED, IGNORED = 0, 1
DEFAULT_DAYS = 30
THUMB = 84
# Not handler_name_list: its EXISTS per row doubled the search time at 1 M handles; people
# have their own filter.
TEXT_FIELDS = ("description", "result", "object_name", "project_name")


def _handlers(record: dict[str, Any]) -> str:
    return ", ".join(str(n) for n in record.get("handler_name_list") or [])


def _result(record: dict[str, Any]) -> str:
    if record.get("is_ignored"):
        text = humanize.domain_label("忽略")
    else:
        result = record.get("result") or ""
        # 有异常: a check said 异常 or a value left its limits
        text = (f"⚠ {humanize.abnormal_label()}  {result}".rstrip()
                if record.get("is_abnormal") else result)
    if record.get("is_voided"):  # shown only when the voided filter is on
        return QCoreApplication.translate("HandlesTab", "[Voided] %1").replace("%1", text)
    return text


def _ignored_fg(record: dict[str, Any]) -> QColor | None:
    return IGNORED_FG if record.get("is_ignored") or record.get("is_voided") else None


def _result_fg(record: dict[str, Any]) -> QColor | None:
    if record.get("is_abnormal"):
        return ABNORMAL_FG
    return _ignored_fg(record)


def checklist_html(results: list[dict[str, Any]], title: str) -> str:
    """The results of a record as they were written: item, value, the limits then; the
    abnormal ones in red."""
    if not results:
        return ""
    rows = []
    for result in results:
        limits = checklists.limits_text(result)
        colour = ABNORMAL_FG.name() if result.get("abnormal") else "#1f2a30"
        value = checklists.value_text(result)
        if result.get("kind") == checklists.CHECK:
            value = humanize.domain_label(value) or value
        rows.append(f"<tr><td style='color:#5f6b73; padding:2px 10px 2px 0'>"
                    f"{rich_text(result.get('name', ''))}</td>"
                    f"<td style='color:{colour}; padding:2px 8px 2px 0'>{rich_text(value)}</td>"
                    f"<td style='color:#7b868c'>{rich_text(limits)}</td></tr>")
    return (f"<h4 style='margin:10px 0 4px 0'>{rich_text(title)}</h4>"
            f"<table cellspacing='0'>{''.join(rows)}</table>")


class HandleDetail(QWidget):
    """Every field of one handle, and its pictures (click one to see it full size)."""

    def __init__(self, data_dir: Path | None, parent: QWidget | None = None, *,
                 fetch: Callable[[str], Path | None] | None = None,
                 people: Callable[[], list[tuple[int, str]]] | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        # brings a picture another workstation attached into this one's cache
        self.fetch = fetch
        # (id, name) of the people, so the operator shows by name, not by number
        self.people = people or list
        self.setMinimumWidth(260)
        self.fields = QTextBrowser()
        self.fields.setFrameShape(QFrame.Shape.NoFrame)
        self.fields.setOpenLinks(False)
        self.fields.setStyleSheet("QTextBrowser { background: transparent; }")
        self.images_title = QLabel()
        self.images_title.setStyleSheet("font-weight: 600; padding-left: 4px;")
        self.thumbs = ThumbnailList(THUMB)
        self.thumbs.setMinimumHeight(THUMB + 36)
        self.thumbs.setMaximumHeight(2 * (THUMB + 28) + 12)
        self.thumbs.opened.connect(self.open_image)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.images_title)
        layout.addWidget(self.thumbs)
        self._values: dict[str, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.images_title.setText(self.tr("Pictures"))
        self.show_record(getattr(self, "record", None))

    def _rows(self) -> list[tuple[str, str]]:
        rows = [("uid", self.tr("Record")), ("created", self.tr("Time")),
                ("handled_at", self.tr("Done at")),
                ("project", self.tr("Project")), ("object", self.tr("Object")),
                ("handlers", self.tr("Done by")),
                ("fee", self.tr("Fee")), ("result", self.tr("Result")),
                ("description", self.tr("Description")), ("due_at", self.tr("Cycle due")),
                ("on_time", self.tr("On time")), ("skipped_cycles", self.tr("Skipped cycles")),
                ("created_by", self.tr("Operator"))]
        if getattr(self, "record", None) and self.record.get("is_voided"):
            rows += [("voided", self.tr("Voided")), ("void_reason", self.tr("Void reason"))]
        return rows

    def show_record(self, record: dict[str, Any] | None) -> None:
        self.record = record
        self.thumbs.clear()
        if record is None:
            self._values = {}
            hint = rich_text(self.tr("Select a record to see its details."))
            self.fields.setHtml(f"<p style='color:#7b868c'>{hint}</p>")
            self.images_title.hide()
            self.thumbs.hide()
            return
        self._values = self._values_of(record)
        title = (self.tr("Ignored cycle") if record.get("is_ignored")
                 else self.tr("Maintenance record"))
        rows = "".join(
            f"<tr><td style='color:#5f6b73; padding:3px 10px 3px 0; white-space:nowrap'>"
            f"{rich_text(label)}</td>"
            f"<td style='padding:3px 0'>{rich_text(self._values[key])}</td></tr>"
            for key, label in self._rows())
        checks = checklist_html(record.get("checklist_results") or [], self.tr("Checklist"))
        self.fields.setHtml(f"<h3 style='margin:0 0 6px 0'>{rich_text(title)}</h3>"
                            f"<table cellspacing='0'>{rows}</table>{checks}")
        self._show_images(record.get("images") or "")

    def _values_of(self, record: dict[str, Any]) -> dict[str, str]:
        due = record.get("due_at")
        done = handled_on_time(clock.parse_wire(record.get("handled_at") or record["created"]),
                               clock.parse_wire(due) if due else None,
                               record.get("is_ignored", 0))
        on_time = {None: "", True: self.tr("Yes"), False: self.tr("No, late")}[done]
        return {
            "uid": record.get("uid", ""), "created": record.get("created", ""),
            "project": _with_id(record.get("project_name"), record.get("project_id")),
            "object": _with_id(record.get("object_name"), record.get("object_id")),
            "handlers": _handlers(record),
            "fee": humanize.money(record.get("fee")), "result": _result(record),
            "description": record.get("description", ""),
            "due_at": record.get("due_at", ""), "on_time": on_time,
            "skipped_cycles": str(record.get("skipped_cycles") or 0),
            "created_by": self.operator_name(record.get("created_by")),
            "handled_at": record.get("handled_at", ""),
            "voided": (f"{record.get('voided_at', '')} · "
                       f"{self.operator_name(record.get('voided_by'))}"),
            "void_reason": record.get("void_reason", ""),
        }

    def operator_name(self, operator: Any) -> str:
        """Who entered the record, by name (Settings → Operator; the API's created_by);
        operator 0 is a workstation that named nobody."""
        if operator in (None, "", 0, "0"):
            return self.tr("This workstation")
        names = dict(self.people())
        return names.get(int(operator)) or self.tr("Operator %1").replace("%1", str(operator))

    def value(self, key: str) -> str:
        return self._values.get(key, "")

    def _show_images(self, images: str) -> None:
        names = stored_images.split_names(images)
        self.images_title.setVisible(bool(names))
        self.thumbs.setVisible(bool(names))
        for name in names:
            if stored_images.is_url(name) or self.data_dir is None:
                self.thumbs.add_pixmap(placeholder(THUMB), "", name, name)
                continue
            self._fetch(name)
            path = stored_images.stored_path(self.data_dir, name)
            pixmap = stored_thumbnail(self.data_dir, name, THUMB)
            self.thumbs.add_pixmap(pixmap, "", str(path) if path else name, name)

    def _fetch(self, name: str) -> None:
        if self.fetch is None:
            return
        try:
            self.fetch(name)
        except (StoreError, OSError) as exc:  # the placeholder shows; the list goes on
            log.warning("fetching picture %s failed: %s", name, exc)

    def open_image(self, path: str) -> None:
        if stored_images.is_url(path):
            QDesktopServices.openUrl(QUrl(path))
            return
        viewer = ImageViewer(Path(path), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()


def _with_id(name: str | None, uid: str | None) -> str:
    if name and uid and name != uid:
        return f"{name}  ({uid})"
    return name or uid or ""


class HandlesTab(ListTab):
    """维保记录: filters (dates, project, object, handler, text, handled/ignored), a paged
    list, the selected record's details and pictures, and CSV export of exactly the rows
    the filters select.

    Only the time column sorts: the other columns have no index, and at 1 M records every
    page under such an order re-sorts the whole table (seconds per page while scrolling)."""

    TABLE_KEY = "handles"

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, bridge, parent)
        # At 1 M records a person filter or a text search takes ~0.3 s to count: the first
        # page shows at once and the total follows from a worker thread.
        self.model = PagedTableModel(services.handles.list, self._columns(), parent=self,
                                     count_connection=own_connection(services))
        self.model.loaded.connect(self._show_count)
        self.model.counting.connect(self._show_counting)
        self.model.searching.connect(self._show_searching)
        self.model.error.connect(self._show_error)
        self._build()
        self.retranslate()
        self.model.set_order("-created")  # loads the first page; no filter is set yet
        self.install_empty_state()
        self.live = LiveRefresh(bridge.changed, (events.HANDLE,), self.refresh_live,
                                parent=self)
        self.choices_live = LiveRefresh(bridge.changed, (events.PROJECT, events.OBJECT,
                                                         events.HANDLER),
                                        self._reload_choices, parent=self)

    def _columns(self) -> list[Column]:
        return [
            Column("created", self.tr("Time"),
                   display=lambda r: humanize.short_time(r.get("created")), width=125),
            Column("project_name", self.tr("Project"), sort_field="", width=130),
            Column("object_name", self.tr("Object"), sort_field="", width=110),
            Column("handlers", self.tr("Done by"), sort_field="", display=_handlers,
                   width=110),
            Column("result", self.tr("Result"), sort_field="", display=_result,
                   foreground=_result_fg, width=140),
            Column("fee", self.tr("Fee"), sort_field="",
                   display=lambda r: humanize.money(r.get("fee")), align_right=True, width=80),
            Column("description", self.tr("Description"), sort_field="",
                   foreground=_ignored_fg, width=160),
        ]

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.search, self._search_debounce = search_box("", self._apply_filters, self)
        self.search.setMinimumWidth(300)
        self.all_time = QCheckBox()
        self.all_time.setChecked(True)
        today = self._today()
        self.date_from = self._date_edit(today - timedelta(days=DEFAULT_DAYS))
        self.date_to = self._date_edit(today)
        self.all_time.toggled.connect(self._apply_filters)
        self.all_time.toggled.connect(self._enable_dates)
        self.abnormal_only = QCheckBox()
        self.abnormal_only.setObjectName("abnormalOnly")
        self.abnormal_only.toggled.connect(self._apply_filters)
        self.project_combo = ChoiceCombo(choices_of(self.services.projects.names))
        self.object_combo = ChoiceCombo(choices_of(self.services.objects.names),
                                        fill_on_show=False)
        self.handler_combo = ChoiceCombo(choices_of(self.services.handlers.names))
        self.kind_combo = sized_to_items(QComboBox())
        for kind in (ANY, HANDLED, IGNORED):
            self.kind_combo.addItem("", kind)
        for combo in (self.project_combo, self.object_combo, self.handler_combo,
                      self.kind_combo):
            combo.setMinimumWidth(120)
            combo.currentIndexChanged.connect(self._apply_filters)
        self.view = make_table(self.model, "handlesTable")
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.detail = HandleDetail(self.services.ctx.data_dir,
                                   fetch=self.services.images.local_path,
                                   people=self.services.handlers.names)
        self.show_voided = QCheckBox()
        self.show_voided.toggled.connect(self._apply_filters)
        self.edit_button = QPushButton(icon("edit"), "")
        self.edit_button.clicked.connect(self.edit_selected)
        self.void_button = QPushButton("")
        self.void_button.clicked.connect(self.void_selected)
        self.history_button = QPushButton("")
        self.history_button.clicked.connect(self.history_of_selected)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("handlesSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([780, 320])
        self.count = count_label()
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_csv)
        self.export_checks_button = QPushButton(icon("export"), "")
        self.export_checks_button.clicked.connect(self.export_checklist_csv)
        dash = QLabel("–")
        layout = QVBoxLayout(self)
        layout.addWidget(filter_bar(self.search, self.project_combo, self.object_combo,
                                    self.handler_combo, self.kind_combo))
        layout.addWidget(filter_bar(self.all_time, self.date_from, dash, self.date_to,
                                    self.show_voided, self.abnormal_only))
        layout.addWidget(self.splitter, 1)
        layout.addWidget(filter_bar(self.count, self.history_button, self.edit_button,
                                    self.void_button, self.export_checks_button,
                                    self.export_button, stretch_after=0))
        self._enable_dates(True)
        add_shortcuts(self, (QKeySequence.StandardKey.Find, self.search.setFocus),
                      (QKeySequence.StandardKey.Refresh, self.refresh))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            self.tr("Search result, description, project, object…"))
        self.all_time.setText(self.tr("All time"))
        self.project_combo.setItemText(0, self.tr("All projects"))
        self.object_combo.setItemText(0, self.tr("All objects"))
        self.handler_combo.setItemText(0, self.tr("Everyone"))
        for index, text in enumerate((self.tr("Handled and ignored"), self.tr("Handled only"),
                                      self.tr("Ignored only"))):
            self.kind_combo.setItemText(index, text)
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Export the records the filters show, as CSV or as an Excel workbook"))
        self.show_voided.setText(self.tr("Show voided"))
        self.edit_button.setText(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr("Correct who did it, the fee, the result or the "
                                            "description"))
        self.void_button.setText(self.tr("Void…"))
        self.history_button.setText(self.tr("History…"))
        self.void_button.setToolTip(self.tr("Withdraw a mistaken record (a task's latest)"))
        self.abnormal_only.setText(self.tr("Abnormal only"))
        self.abnormal_only.setToolTip(self.tr("Records whose checklist found something "
                                              "abnormal or out of limits"))
        self.export_checks_button.setText(self.tr("Export checklist results…"))
        self.export_checks_button.setToolTip(self.tr(
            "One row per checklist item of the records the filters show, for pivot tables"))
        self._show_count(self.model.total)
        retitle_columns(self.model, self._columns())
        self.detail.retranslate()

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self._apply_filters)
        return edit

    def _today(self) -> date:
        return clock.to_local(self.services.clock.now()).date()

    def _enable_dates(self, all_time: bool) -> None:
        self.date_from.setEnabled(not all_time)
        self.date_to.setEnabled(not all_time)

    def _choice_combos(self) -> list[ChoiceCombo]:
        return [self.project_combo, self.object_combo, self.handler_combo]

    # -- filters --------------------------------------------------------------------------

    def set_date_range(self, first: date | None, last: date | None = None) -> None:
        """Show records created from ``first`` through ``last`` (``None``: all time)."""
        for edit, day in ((self.date_from, first), (self.date_to, last or first)):
            if day is not None:
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.all_time.setChecked(first is None)
        self._apply_filters()

    def show_abnormal(self, days: int) -> None:
        """The records of the last ``days`` days with abnormal checks (the overview)."""
        today = self._today()
        self.abnormal_only.blockSignals(True)
        self.abnormal_only.setChecked(True)
        self.abnormal_only.blockSignals(False)
        self.set_date_range(today - timedelta(days=days), today)

    def filters(self) -> tuple[list, list]:
        """(where_and, where_or) for what the filter widgets say."""
        where_and: list = []
        if not self.all_time.isChecked():
            first = self.date_from.date().toPython()
            last = self.date_to.date().toPython()
            if last < first:
                first, last = last, first
            # Through the end of the last day: before the next midnight.
            where_and += [["created", ">=", first.isoformat()],
                          ["created", "<", (last + timedelta(days=1)).isoformat()]]
        if self.show_voided.isChecked():
            where_and.append(["is_voided", ">=", 0])  # naming the field shows voided too
        where_and += chosen_conditions((("project_id", self.project_combo),
                                        ("object_id", self.object_combo),
                                        ("handler_id_list", self.handler_combo),
                                        ("is_ignored", self.kind_combo)))
        if self.abnormal_only.isChecked():
            where_and.append(["is_abnormal", "=", 1])
        return where_and, search_conditions(self.search.text(), TEXT_FIELDS)

    def empty_guidance(self) -> Guidance:
        return (self.tr("No maintenance records yet"),
                self.tr("A record is written when a task is handled or ignored on the Tasks "
                        "tab: who did it, the fee, the result and photos. Records are "
                        "history and stay when projects change."),
                [(self.tr("Go to tasks"), lambda: self.go_to_tab.emit("tasks"))])

    def clear_filters(self) -> None:
        for combo in (self.project_combo, self.object_combo, self.handler_combo,
                      self.kind_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box, checked in ((self.all_time, True), (self.abnormal_only, False)):
            box.blockSignals(True)
            box.setChecked(checked)
            box.blockSignals(False)
        self._enable_dates(True)
        super().clear_filters()

    def _apply_filters(self) -> None:
        where_and, where_or = self.filters()
        # A word that is nowhere scans every record even for the first page (~0.5 s at
        # 1 M): a text search runs on a worker, and the window keeps going meanwhile.
        self.model.set_filter(where_and, where_or, background=bool(where_or))
        self._show_selected()

    # -- actions --------------------------------------------------------------------------

    def selected_handle(self) -> dict[str, Any] | None:
        return selected_record(self.view)

    def _show_selected(self, *_args: object) -> None:
        record = self.selected_handle()
        self.detail.show_record(record)
        correctable = record is not None and not record.get("is_voided")
        self.edit_button.setEnabled(correctable)
        self.history_button.setEnabled(record is not None)
        self.void_button.setEnabled(correctable)

    def history_of_selected(self) -> None:
        record = self.selected_handle()
        if record is not None:
            open_history(self, self.services, record["uid"])

    def edit_selected(self) -> bool:
        return self._open_on_selected(EditHandleDialog)

    def void_selected(self) -> bool:
        return self._open_on_selected(VoidDialog)

    def _open_on_selected(self, dialog_type: type[EditHandleDialog | VoidDialog]) -> bool:
        record = self.selected_handle()
        if record is None or record.get("is_voided"):
            return False
        dialog = dialog_type(self.services, record, self)
        accepted = bool(dialog.exec())
        if accepted:
            self.refresh()
        return accepted

    def export_csv(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        csv_dialogs.export_handles(self, self.services, self.model.filter_params())

    def export_checklist_csv(self) -> None:
        from mixtimer_gui.gui import csv_dialogs

        csv_dialogs.export_handles(self, self.services, self.model.filter_params(),
                                   checklist_items=True)

    def _show_count(self, total: int) -> None:
        self.view.setEnabled(True)
        if not self.model.total_known:
            self._show_counting()
            return
        self.count.setText(self.tr("%n record(s)", "", total))

    def _show_counting(self) -> None:
        self.view.setEnabled(True)
        self.count.setText(self.tr("Counting…"))

    def _show_searching(self) -> None:
        # The rows shown are the last filter's until the search's page arrives: greyed.
        self.view.setEnabled(False)
        self.count.setText(self.tr("Searching…"))

    def _show_error(self, message: str) -> None:
        self.view.setEnabled(True)
        self.count.setText(message)
