"""The catalogue forms' base (``CatalogDialog``) and the maintenance-object form.

As every form (``gui.form_dialog``): what was typed goes to the service, and a refusal is
shown under the field it names, with nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from mixtimer_gui.domain import rules
from mixtimer_gui.gui.form_dialog import FormDialog
from mixtimer_gui.services import Services


class CatalogDialog(FormDialog):
    """The form of a catalogue record, ``uid, name, alias, …, description``: create
    (``record`` None) or edit. Subclasses give the service and their own fields, which
    stand between the alias and the description, and the rule (``domain.rules``) that the
    service checks a payload with."""

    def __init__(self, title: str, services: Services, service: Any,
                 record: dict[str, Any] | None, parent: QWidget | None,
                 *, rule: Callable[[dict[str, Any]], object], name_hint: str = "") -> None:
        super().__init__(title, parent)
        self.services = services
        self.service = service  # services.objects or services.statistics
        self.record = record
        self.saved_uid = ""
        self.uid_edit = QLineEdit()
        self.uid_edit.setPlaceholderText(self.tr("Leave empty to number it automatically"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(name_hint)
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText(self.tr("Short name; empty = the name"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        self.add_field("uid", self.tr("ID"), self.uid_edit)
        self.add_field("name", self.tr("Name"), self.name_edit)
        self.add_field("alias", self.tr("Alias"), self.alias_edit)
        self.add_own_fields()
        self.add_field("description", self.tr("Description"), self.description_edit)
        if record:
            self._fill(record)
        # Checked as the user types, with the rule the service applies: a message goes away
        # once its field is fixed, not at the next Save.
        self.validate_live(lambda: rule(self.payload()))
        self.watch("uid", self.uid_edit.textChanged)
        self.watch("name", self.name_edit.textChanged)
        self.watch("alias", self.alias_edit.textChanged)
        self.watch("description", self.description_edit.textChanged)
        for field, signal in self.own_edits().items():
            self.watch(field, signal)
        self.validate_now()
        self.name_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def add_own_fields(self) -> None:
        """Create and add the fields of this kind of record."""

    def fill_own(self, record: dict[str, Any]) -> None:
        """Show ``record``'s values in this kind's own fields."""

    def own_edits(self) -> dict[str, SignalInstance]:
        """The signal each of this kind's own fields gives when edited, by wire field."""
        return {}

    def own_payload(self) -> dict[str, Any]:
        return {}

    def _fill(self, record: dict[str, Any]) -> None:
        self.uid_edit.setText(record.get("uid", ""))
        self.uid_edit.setReadOnly(True)
        self.name_edit.setText(record.get("name", ""))
        self.alias_edit.setText(record.get("alias", ""))
        self.description_edit.setPlainText(record.get("description", ""))
        self.fill_own(record)

    def payload(self) -> dict[str, Any]:
        return {"uid": self.uid_edit.text().strip(), "name": self.name_edit.text(),
                "alias": self.alias_edit.text(), **self.own_payload(),
                "description": self.description_edit.toPlainText(),
                "organization_id": (self.record or {}).get("organization_id", "")}

    def save(self) -> None:
        if self.record:
            result = self.service.update(self.payload())
        else:
            result = self.service.create(self.payload())
        self.saved_uid = result["uid"]


class ObjectDialog(CatalogDialog):
    """Create (``record`` None) or edit a maintenance object."""

    def __init__(self, services: Services, record: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        title = self.tr("Edit object") if record else self.tr("New object")
        super().__init__(title, services, services.objects, record, parent,
                         rule=rules.object_input)

    def add_own_fields(self) -> None:
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText(self.tr("e.g. Workshop 2, line B"))
        self.add_field("location", self.tr("Location"), self.location_edit)

    def fill_own(self, record: dict[str, Any]) -> None:
        self.location_edit.setText(record.get("location", ""))

    def own_edits(self) -> dict[str, SignalInstance]:
        return {"location": self.location_edit.textChanged}

    def own_payload(self) -> dict[str, Any]:
        return {"location": self.location_edit.text()}
