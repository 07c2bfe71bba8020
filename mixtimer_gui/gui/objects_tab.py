"""维保对象: the equipment catalogue — search, create, edit, delete, import from CSV."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QDialog, QVBoxLayout, QWidget

from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.catalog_tab import CatalogTab
from mixtimer_gui.gui.object_dialog import ObjectDialog
from mixtimer_gui.gui.table_model import Column
from mixtimer_gui.gui.widgets import Guidance, selected_record
from mixtimer_gui.services import Services, events


class ObjectsTab(CatalogTab):
    TABLE_KEY = "objects"
    TABLE_NAME = "objectsTable"
    SEARCH_FIELDS = ("uid", "name", "alias", "location", "description")

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, services.objects, bridge, parent)
        self.model.error.connect(lambda m: self.count.setText(m))
        self._build()
        self._start(events.OBJECT)

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
        self._build_list()
        # Ctrl/Shift-click picks several objects: their labels print together.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.labels_button = self._button("export", self.print_labels)
        self.labels_button.setObjectName("labelsButton")
        self.export_button = self._button("export", self.export_objects)
        self.export_button.setObjectName("exportObjectsButton")
        self._list_column(QVBoxLayout(self), self.labels_button, self.export_button,
                          self.import_button, self.new_button)
        self._show_selected()

    def empty_guidance(self) -> Guidance:
        return (self.tr("No maintenance objects yet"),
                self.tr("Objects are the equipment you maintain: compressors, pumps, cooling "
                        "towers. Add them one by one, or import a list from a spreadsheet."),
                [(self.tr("New object…"), self.new_record),
                 (self.tr("Import CSV…"), self.import_csv)])

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search name, ID, location…"))
        self.new_button.setText(self.tr("New object…"))
        self.import_button.setText(self.tr("Import CSV…"))
        self.labels_button.setText(self.tr("Labels…"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Export the objects the list shows, as CSV or as an Excel workbook"))
        self.labels_button.setToolTip(
            self.tr("Print equipment labels with QR codes for the selected objects "
                    "(Ctrl-click to pick several), or for all the list shows"))
        super().retranslate()

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%n object(s)", "", total))

    def selected_object(self) -> dict[str, Any] | None:
        return selected_record(self.view)

    def _dialog(self, record: dict[str, Any] | None) -> QDialog:
        return ObjectDialog(self.services, record, self)

    def _delete_question(self, record: dict[str, Any]) -> tuple[str, str]:
        return (self.tr("Delete object"),
                self.tr("Delete “%1”? Its maintenance records are kept.").replace(
                    "%1", record["name"]))

    def new_object(self) -> bool:
        return self.new_record()

    def shown_object_ids(self) -> list[str]:
        """The objects the list shows (the search narrows them), in its order."""
        from mixtimer_gui.services.printouts import LABEL_LIMIT

        return [record["uid"] for row in range(min(self.model.total, LABEL_LIMIT))
                if (record := self.model.record(row)) is not None]

    def selected_object_ids(self) -> list[str]:
        """The selected objects, in the list's order (not the order they were clicked)."""
        from mixtimer_gui.services.printouts import LABEL_LIMIT

        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [record["uid"] for row in rows[:LABEL_LIMIT]
                if (record := self.model.record(row)) is not None]

    def label_object_ids(self) -> list[str]:
        """What 打印标签 prints: the selected objects, or every object the list shows."""
        return self.selected_object_ids() or self.shown_object_ids()

    def print_labels(self) -> object:
        from mixtimer_gui.gui import report_dialogs  # loaded when first used, not at start

        return report_dialogs.print_labels(self, self.services, self.label_object_ids())

    # Edit and Delete act on one object: with several selected, neither guesses which.

    def _show_selected(self, *_args: object) -> None:
        one = len(self.view.selectionModel().selectedRows()) == 1
        self.edit_button.setEnabled(one)
        self.delete_button.setEnabled(one)

    def edit_selected(self) -> bool:
        return len(self.selected_object_ids()) == 1 and super().edit_selected()

    def delete_selected(self) -> bool:
        return len(self.selected_object_ids()) == 1 and super().delete_selected()

    def export_objects(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        csv_dialogs.export_objects(self, self.services, self.model.filter_params())

    def import_csv(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        # The import runs on a worker; its writes refresh the list through the bridge.
        csv_dialogs.import_objects(self, self.services)
