"""维保对象: the equipment catalogue — search, create, edit, delete, import from CSV."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.object_dialog import ObjectDialog
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.tasks_tab import (
    count_label,
    filter_bar,
    like_pattern,
    make_table,
    refresh_keeping_selection,
    restore_table,
    retitle_columns,
    save_table,
    search_box,
    selected_record,
)
from mixtimer_gui.services import Services, events

SEARCH_FIELDS = ("uid", "name", "alias", "location", "description")


def add_action(widget: QWidget, text: str, slot: Any, *keys: QKeySequence) -> QAction:
    """An action on a table view: in its context menu, with shortcuts while it has focus."""
    action = QAction(text, widget)
    if keys:
        action.setShortcuts(list(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


class ObjectsTab(QWidget):
    TABLE_KEY = "objects"

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.bridge = bridge
        self.model = PagedTableModel(services.objects.list, self._columns(), parent=self)
        self.model.loaded.connect(self._show_count)
        self.model.error.connect(lambda m: self.count.setText(m))
        self._build()
        self.retranslate()
        self.model.set_order("name", load=False)
        self._apply_filters()  # the one query of the set-up
        self.live = LiveRefresh(bridge.changed, (events.OBJECT,), self.refresh, parent=self)

    def _columns(self) -> list[Column]:
        return [
            Column("name", self.tr("Name"), width=170),
            Column("alias", self.tr("Alias"), width=120),
            Column("uid", self.tr("ID"), width=150),
            Column("location", self.tr("Location"), width=150),
            Column("last_modified", self.tr("Changed"),
                   display=lambda r: humanize.short_time(r.get("last_modified")), width=130),
            Column("description", self.tr("Description"), width=220),
        ]

    def _build(self) -> None:
        self.search, self._search_debounce = search_box("", self._apply_filters, self)
        self.view = make_table(self.model, "objectsTable")
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.new_button = QPushButton(icon("add"), "")
        self.edit_button = QPushButton(icon("edit"), "")
        self.delete_button = QPushButton(icon("delete"), "")
        self.import_button = QPushButton(icon("import"), "")
        self.new_button.clicked.connect(self.new_object)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_csv)
        self.count = count_label()
        layout = QVBoxLayout(self)
        layout.addWidget(filter_bar(self.search, self.import_button, self.new_button,
                                    stretch_after=0))
        layout.addWidget(self.view, 1)
        layout.addWidget(filter_bar(self.count, self.delete_button, self.edit_button,
                                    stretch_after=0))
        self.edit_action = add_action(self.view, "", self.edit_selected,
                                      QKeySequence(Qt.Key.Key_Return),
                                      QKeySequence(Qt.Key.Key_Enter))
        self.delete_action = add_action(self.view, "", self.delete_selected,
                                        QKeySequence(QKeySequence.StandardKey.Delete))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_object),
                           (QKeySequence.StandardKey.Find, self.search.setFocus),
                           (QKeySequence.StandardKey.Refresh, self.refresh)):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_actions()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search name, ID, location…"))
        self.new_button.setText(self.tr("New object…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete"))
        self.import_button.setText(self.tr("Import CSV…"))
        self.edit_action.setText(self.tr("Edit…"))
        self.delete_action.setText(self.tr("Delete"))
        self._show_count(self.model.total)
        retitle_columns(self.model, self._columns())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def save_state(self, settings: AppSettings) -> None:
        save_table(settings, self.TABLE_KEY, self.view)

    def restore_state(self, settings: AppSettings) -> None:
        restore_table(settings, self.TABLE_KEY, self.view)

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%n object(s)", "", total))

    def _apply_filters(self) -> None:
        text = self.search.text().strip()
        where_or = ([[f, "like", like_pattern(text)] for f in SEARCH_FIELDS] if text else [])
        self.model.set_filter(where_or=where_or)
        self._update_actions()

    def refresh(self) -> None:
        refresh_keeping_selection(self.view, self.model)
        self._update_actions()

    def selected_object(self) -> dict[str, Any] | None:
        return selected_record(self.view)

    def _update_actions(self, *_args: object) -> None:
        has = self.selected_object() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- actions --------------------------------------------------------------------------

    def new_object(self) -> bool:
        return self.run_dialog(ObjectDialog(self.services, None, self))

    def edit_selected(self) -> bool:
        record = self.selected_object()
        if record is None:
            return False
        return self.run_dialog(ObjectDialog(self.services, record, self))

    def delete_selected(self) -> bool:
        record = self.selected_object()
        if record is None:
            return False
        answer = QMessageBox.question(
            self, self.tr("Delete object"),
            self.tr("Delete “%1”? Its maintenance records are kept.").replace(
                "%1", record["name"]))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.services.objects.delete({"uid": record["uid"]})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Cannot delete"), exc.message)
            return False
        self.refresh()
        return True

    def import_csv(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        csv_dialogs.import_objects(self, self.services)
        self.refresh()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally; tests replace this to drive the dialog without a loop."""
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.refresh()
            select_uid(self.view, self.model, getattr(dialog, "saved_uid", ""))
        return accepted


def select_uid(view: QTableView, model: PagedTableModel, uid: str) -> None:
    """Select the row of ``uid`` when it is among the loaded rows (a just-saved record)."""
    row = model.row_of_uid(uid) if uid else None
    if row is not None:
        view.selectRow(row)
        view.scrollTo(model.index(row, 0))
