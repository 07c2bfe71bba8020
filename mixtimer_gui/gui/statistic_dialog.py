"""The statistic (meter) form: create / edit ``uid, name, alias, unit, description``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QComboBox, QWidget

from mixtimer_gui.domain import rules
from mixtimer_gui.gui.object_dialog import CatalogDialog
from mixtimer_gui.services import Services

# Units supervisors use for meters; the box stays editable for anything else.
COMMON_UNITS = ("小时", "运行小时", "次", "件", "km", "m³", "kWh", "t")


class StatisticDialog(CatalogDialog):
    """Create (``record`` None) or edit a statistic."""

    def __init__(self, services: Services, record: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        title = self.tr("Edit statistic") if record else self.tr("New statistic")
        super().__init__(title, services, services.statistics, record, parent,
                         name_hint=self.tr("e.g. Compressor 1 running hours"),
                         rule=rules.statistic_input)

    def add_own_fields(self) -> None:
        self.unit_box = QComboBox()
        self.unit_box.setEditable(True)
        self.unit_box.addItems(COMMON_UNITS)
        self.unit_box.setCurrentText("")
        self.add_field("unit", self.tr("Unit"), self.unit_box,
                       hint=self.tr("Readings are cumulative: a meter only counts up."))

    def fill_own(self, record: dict[str, Any]) -> None:
        self.unit_box.setCurrentText(record.get("unit", ""))

    def own_edits(self) -> dict[str, SignalInstance]:
        return {"unit": self.unit_box.currentTextChanged}

    def own_payload(self) -> dict[str, Any]:
        return {"unit": self.unit_box.currentText()}
