"""The statistic (meter) form: create / edit ``uid, name, alias, unit, description``."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from mixtimer_gui.gui.object_dialog import FormDialog
from mixtimer_gui.services import Services

# Units supervisors use for meters; the box stays editable for anything else.
COMMON_UNITS = ("小时", "运行小时", "次", "件", "km", "m³", "kWh", "t")


class StatisticDialog(FormDialog):
    """Create (``record`` None) or edit a statistic."""

    def __init__(self, services: Services, record: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        title = self.tr("Edit statistic") if record else self.tr("New statistic")
        super().__init__(title, parent)
        self.services = services
        self.record = record
        self.saved_uid = ""
        self.uid_edit = QLineEdit()
        self.uid_edit.setPlaceholderText(self.tr("Leave empty to number it automatically"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. Compressor 1 running hours"))
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText(self.tr("Short name; empty = the name"))
        self.unit_box = QComboBox()
        self.unit_box.setEditable(True)
        self.unit_box.addItems(COMMON_UNITS)
        self.unit_box.setCurrentText("")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        self.add_field("uid", self.tr("ID"), self.uid_edit)
        self.add_field("name", self.tr("Name"), self.name_edit)
        self.add_field("alias", self.tr("Alias"), self.alias_edit)
        self.add_field("unit", self.tr("Unit"), self.unit_box,
                       hint=self.tr("Readings are cumulative: a meter only counts up."))
        self.add_field("description", self.tr("Description"), self.description_edit)
        if record:
            self._fill(record)
        self.name_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def _fill(self, record: dict[str, Any]) -> None:
        self.uid_edit.setText(record.get("uid", ""))
        self.uid_edit.setReadOnly(True)
        self.name_edit.setText(record.get("name", ""))
        self.alias_edit.setText(record.get("alias", ""))
        self.unit_box.setCurrentText(record.get("unit", ""))
        self.description_edit.setPlainText(record.get("description", ""))

    def payload(self) -> dict[str, Any]:
        return {"uid": self.uid_edit.text().strip(), "name": self.name_edit.text(),
                "alias": self.alias_edit.text(), "unit": self.unit_box.currentText(),
                "description": self.description_edit.toPlainText(),
                "organization_id": (self.record or {}).get("organization_id", "")}

    def save(self) -> None:
        if self.record:
            result = self.services.statistics.update(self.payload())
        else:
            result = self.services.statistics.create(self.payload())
        self.saved_uid = result["uid"]
