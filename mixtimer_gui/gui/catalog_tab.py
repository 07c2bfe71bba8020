"""The catalogue list tabs (维保对象, 统计): one kind of record, searched, created, edited and
deleted in a paged table; ``CatalogDialog`` (gui.object_dialog) is their form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QLayout, QMessageBox, QPushButton, QWidget

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.widgets import (
    ListTab,
    add_action,
    add_shortcuts,
    count_label,
    filter_bar,
    make_table,
    retitle_columns,
    search_box,
    search_conditions,
    selected_record,
)
from mixtimer_gui.services import Services


class CatalogTab(ListTab):
    """A list of the records of ``catalog`` (a service with ``list`` and ``delete``), ordered
    by name, searched in ``SEARCH_FIELDS``, refreshed live on ``entity`` changes.

    A subclass gives its columns, its form (``_dialog``), the words of its count and of the
    delete question, and lays out the widgets ``_build_list`` makes (``_list_column``)."""

    TABLE_NAME = ""  # the view's object name
    SEARCH_FIELDS: tuple[str, ...] = ()

    def __init__(self, services: Services, catalog: Any, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, bridge, parent)
        self.catalog = catalog
        self.model = PagedTableModel(catalog.list, self._columns(), parent=self)
        self.model.loaded.connect(self._show_count)

    def _start(self, entity: str) -> None:
        """Once the widgets are built: their words, the one query of the set-up, live rows."""
        self.retranslate()
        self.model.set_order("name", load=False)
        self._apply_filters()
        self.install_empty_state()
        self.live = LiveRefresh(self.bridge.changed, (entity,), self.refresh_live, parent=self)

    # -- what a catalogue says --------------------------------------------------------------

    def _columns(self) -> list[Column]:
        raise NotImplementedError

    def _dialog(self, record: dict[str, Any] | None) -> QDialog:
        """The form that creates (``None``) or edits ``record``."""
        raise NotImplementedError

    def _delete_question(self, record: dict[str, Any]) -> tuple[str, str]:
        """The title and the question of the delete confirmation."""
        raise NotImplementedError

    def _show_count(self, total: int) -> None:
        raise NotImplementedError

    # -- building ---------------------------------------------------------------------------

    def _build_list(self) -> None:
        """The search box, the table, its buttons, actions and keys (not yet laid out)."""
        self.search, self._search_debounce = search_box("", self._apply_filters, self)
        self.view = make_table(self.model, self.TABLE_NAME)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.new_button = self._button("add", self.new_record)
        self.edit_button = self._button("edit", self.edit_selected)
        self.delete_button = self._button("delete", self.delete_selected)
        self.import_button = self._button("import", self.import_csv)
        self.count = count_label()
        self.edit_action = add_action(self.view, "", self.edit_selected,
                                      QKeySequence(Qt.Key.Key_Return),
                                      QKeySequence(Qt.Key.Key_Enter))
        self.delete_action = add_action(self.view, "", self.delete_selected,
                                        QKeySequence(QKeySequence.StandardKey.Delete))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        add_shortcuts(self, (QKeySequence.StandardKey.New, self.new_record),
                      (QKeySequence.StandardKey.Find, self.search.setFocus),
                      (QKeySequence.StandardKey.Refresh, self.refresh))

    @staticmethod
    def _button(icon_name: str, slot: Any) -> QPushButton:
        button = QPushButton(icon(icon_name), "")
        button.clicked.connect(slot)
        return button

    def _list_column(self, layout: QLayout, *top: QWidget) -> None:
        """Search and ``top`` above the table; the count, Delete and Edit below it."""
        layout.addWidget(filter_bar(self.search, *top, stretch_after=0))
        layout.addWidget(self.view, 1)
        layout.addWidget(filter_bar(self.count, self.delete_button, self.edit_button,
                                    stretch_after=0))

    def retranslate(self) -> None:
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete"))
        self.edit_action.setText(self.tr("Edit…"))
        self.delete_action.setText(self.tr("Delete"))
        self._show_count(self.model.total)
        retitle_columns(self.model, self._columns())

    # -- list -------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self.model.set_filter(where_or=search_conditions(self.search.text(),
                                                         self.SEARCH_FIELDS))
        self._rows_changed()

    def _show_selected(self, *_args: object) -> None:
        has = selected_record(self.view) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- actions ----------------------------------------------------------------------------

    def new_record(self) -> bool:
        return self.run_dialog(self._dialog(None))

    def edit_selected(self) -> bool:
        record = selected_record(self.view)
        if record is None:
            return False
        return self.run_dialog(self._dialog(record))

    def delete_selected(self) -> bool:
        record = selected_record(self.view)
        if record is None:
            return False
        title, question = self._delete_question(record)
        if QMessageBox.question(self, title, question) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.catalog.delete({"uid": record["uid"]})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Cannot delete"), say(exc))
            return False
        self.refresh()
        return True

    def import_csv(self) -> None:
        raise NotImplementedError
