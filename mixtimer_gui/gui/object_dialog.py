"""The maintenance-object form (create / edit), and ``FormDialog``: the base of B's forms.

A form never checks rules itself: it sends what was typed to the service, and a
``DomainError`` comes back naming the wire field; the message is shown under that field's
widget and nothing is saved. The API gets the same message for the same input.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.messages import say
from mixtimer_gui.services import Services

ERROR_STYLE = "color: #b3261e;"
INVALID_STYLE = "border: 1px solid #b3261e; border-radius: 3px;"


class FormDialog(QDialog):
    """A dialog with a form whose rows are bound to wire field names.

    Subclasses add rows with ``add_field`` and implement ``save()`` (call the service; may
    raise ``DomainError``). ``submit()`` runs ``save`` and either accepts or shows the error
    under the field it names (or in the banner on top when no row has that name).
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fde2e1; color: #b3261e; padding: 6px 8px;"
                                  "border-radius: 4px;")
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(6)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._labels: dict[str, str] = {}

    def add_field(self, field: str, label: str, widget: QWidget,
                  hint: str = "") -> QWidget:
        """A form row for wire field ``field``: the widget, then its (hidden) error line."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: #6b7780;")
            column.addWidget(hint_label)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.setObjectName(f"error_{field}")
        error.hide()
        column.addWidget(error)
        self.form.addRow(label, box)
        self._fields[field] = (widget, error)
        self._labels[field] = label.replace("&", "").rstrip(":\uff1a")  # without mnemonic or colon
        return widget

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, error: DomainError) -> None:
        bound = self._fields.get(error.field)
        if bound is None:
            self.banner.setText(say(error))
            self.banner.show()
            self._fit()
            return
        widget, label = bound
        label.setText(say(error, self._labels.get(error.field)))
        label.show()
        widget.setStyleSheet(INVALID_STYLE)
        widget.setFocus()
        self._fit()

    def _fit(self) -> None:
        """Grow to make room for a message that appeared (a fixed size would overlap it)."""
        layout = self.layout()
        layout.activate()
        # Wrapped labels make the height depend on the width, which the minimum size ignores.
        height = max(layout.totalMinimumSize().height(),
                     layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                     else 0)
        if self.height() < height:
            self.resize(self.width(), height)

    def clear_errors(self) -> None:
        self.banner.hide()
        self.banner.clear()
        for widget, label in self._fields.values():
            label.hide()
            label.clear()
            widget.setStyleSheet("")

    def error_text(self, field: str) -> str:
        """The message shown for ``field`` ("" if none); the banner for ``""``."""
        if not field:
            return self.banner.text() if not self.banner.isHidden() else ""
        bound = self._fields.get(field)
        if bound is None or bound[1].isHidden():
            return ""
        return bound[1].text()

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        raise NotImplementedError

    def submit(self) -> bool:
        self.clear_errors()
        try:
            self.save()
        except DomainError as exc:
            self.show_error(exc)
            return False
        self.accept()
        return True


class CatalogDialog(FormDialog):
    """The form of a catalogue record, ``uid, name, alias, …, description``: create
    (``record`` None) or edit. Subclasses give the service and their own fields, which
    stand between the alias and the description."""

    def __init__(self, title: str, services: Services, service: Any,
                 record: dict[str, Any] | None, parent: QWidget | None,
                 name_hint: str = "") -> None:
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
        self.name_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def add_own_fields(self) -> None:
        """Create and add the fields of this kind of record."""

    def fill_own(self, record: dict[str, Any]) -> None:
        """Show ``record``'s values in this kind's own fields."""

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
        super().__init__(title, services, services.objects, record, parent)

    def add_own_fields(self) -> None:
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText(self.tr("e.g. Workshop 2, line B"))
        self.add_field("location", self.tr("Location"), self.location_edit)

    def fill_own(self, record: dict[str, Any]) -> None:
        self.location_edit.setText(record.get("location", ""))

    def own_payload(self) -> dict[str, Any]:
        return {"location": self.location_edit.text()}
