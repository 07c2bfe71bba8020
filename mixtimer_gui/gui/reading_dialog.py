"""Add a reading to a statistic: the value, and optionally when it was read (default: now).

Readings are cumulative; the service refuses a value below an earlier reading and its message
appears under the value field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QDoubleSpinBox, QLabel, QWidget

from mixtimer_gui.domain import clock
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.form_dialog import FormDialog
from mixtimer_gui.services import Services

VALUE_LIMIT = 1e15


def qdatetime_of(moment: int) -> QDateTime:
    civil = clock.to_local(moment)
    return QDateTime.fromString(civil.strftime(clock.WIRE_FORMAT), "yyyy-MM-dd HH:mm:ss")


class ReadingDialog(FormDialog):
    def __init__(self, services: Services, statistic: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add reading"), parent)
        self.services = services
        self.statistic = statistic
        self.saved: dict[str, Any] = {}
        last = self._last_reading()
        unit = statistic.get("unit", "")
        self.header = QLabel(self._header_text(last))
        self.header.setWordWrap(True)
        self.form.addRow(self.header)
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setRange(-VALUE_LIMIT, VALUE_LIMIT)
        self.value_spin.setDecimals(3)
        self.value_spin.setGroupSeparatorShown(True)
        self.value_spin.setSuffix(f" {unit}" if unit else "")
        self.value_spin.setValue(float(last["value"]) if last else 0.0)
        self.value_spin.selectAll()
        self.at_check = QCheckBox(self.tr("Read earlier than now"))
        self.time_edit = QDateTimeEdit(qdatetime_of(services.clock.now()))
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setEnabled(False)
        self.at_check.toggled.connect(self.time_edit.setEnabled)
        self.add_field("value", self.tr("Value"), self.value_spin)
        self.add_field("time", self.tr("Time"), self.time_edit)
        self.form.insertRow(self.form.rowCount() - 1, "", self.at_check)
        self.value_spin.setFocus()
        self.resize(420, self.sizeHint().height())

    def _last_reading(self) -> dict[str, Any] | None:
        page = self.services.statistics.value_list({
            "page_size": 1, "where_and": [["statistics_id", "=", self.statistic["uid"]]],
            "order_by": "-time"})
        return page["data"][0] if page["data"] else None

    def _header_text(self, last: dict[str, Any] | None) -> str:
        name = self.statistic.get("name", self.statistic.get("uid", ""))
        if last is None:
            return self.tr("%1: no readings yet.").replace("%1", name)
        return (self.tr("%1: last reading %2 %3 at %4.")
                .replace("%1", name).replace("%2", humanize.number(last["value"]))
                .replace("%3", self.statistic.get("unit", ""))
                .replace("%4", humanize.short_time(last["time"])))

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"statistics_id": self.statistic["uid"],
                                "value": self.value_spin.value()}
        if self.at_check.isChecked():
            data["time"] = self.time_edit.dateTime().toString("yyyy-MM-dd HH:mm:ss")
        return data

    def save(self) -> None:
        self.saved = self.services.statistics.add_value(self.payload())
