"""Checklists in the window: the template editor of the project form, and the items of the
handle dialog.

Both only build the wire shapes (``checklist`` items, ``checklist_results`` entries); the
rules that judge them are ``domain.checklists``, applied by the services, so a form says
exactly what the API would.

The handle dialog's items are made for the keyboard: Tab moves from item to item, Space
toggles a check (not checked → OK → Abnormal → OK …), a measurement takes the number
typed and turns red when it leaves its limits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import checklists
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.widgets import rich_text

NAME, KIND, UNIT, LOW, HIGH, REQUIRED = range(6)
ABNORMAL_STYLE = "color: #c62828; font-weight: bold;"
OK_STYLE = "color: #2e7d32;"


_KIND_WORDS = {
    checklists.CHECK: QT_TRANSLATE_NOOP("ChecklistEditor", "Check"),
    checklists.MEASURE: QT_TRANSLATE_NOOP("ChecklistEditor", "Measure"),
    checklists.TEXT: QT_TRANSLATE_NOOP("ChecklistEditor", "Text"),
}


def kind_label(kind: str) -> str:
    words = _KIND_WORDS.get(kind)
    return QCoreApplication.translate("ChecklistEditor", words) if words else kind


class ChecklistEditor(QWidget):
    """The template: a small table of items (at most 100) with add, remove, up, down.

    A handful of rows edited in place, never a paged list: ``QTableWidget`` keeps the
    editors (the kind's combo, the required box) in their cells.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("checklistTable")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(150)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        # The name takes what the narrow columns leave: at the form's 900 px about 130 px.
        for column, width in ((KIND, 104), (UNIT, 48), (LOW, 48), (HIGH, 48), (REQUIRED, 40)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.up_button = QPushButton(self)
        self.down_button = QPushButton(self)
        self.add_button.clicked.connect(lambda: self.add_item())
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("Item"), self.tr("Kind"), self.tr("Unit"), self.tr("Min"),
            self.tr("Max"), self.tr("Req.")])
        self.table.horizontalHeaderItem(REQUIRED).setToolTip(self.tr("Required"))
        self.table.horizontalHeaderItem(KIND).setToolTip(self.tr(
            "Check: OK or Abnormal. Measure: a number, abnormal outside Min–Max. Text: a "
            "note."))
        self.add_button.setText(self.tr("Add &item"))
        self.remove_button.setText(self.tr("Remove"))
        self.up_button.setText(self.tr("Up"))
        self.down_button.setText(self.tr("Down"))
        for row in range(self.table.rowCount()):
            combo = self._kind_combo(row)
            for index in range(combo.count()):
                combo.setItemText(index, kind_label(combo.itemData(index)))

    # -- rows -----------------------------------------------------------------------------

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            self.add_item(item, announce=False)
        self.table.blockSignals(False)

    def add_item(self, item: dict[str, Any] | None = None, *, announce: bool = True) -> None:
        item = item or {"name": "", "kind": checklists.CHECK}
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, key in ((NAME, "name"), (UNIT, "unit"), (LOW, "min"), (HIGH, "max")):
            value = item.get(key)
            text = humanize.number(value) if key in ("min", "max") else str(value or "")
            self.table.setItem(row, column, QTableWidgetItem(text))
        combo = QComboBox(self.table)
        for kind in checklists.KINDS:
            combo.addItem(kind_label(kind), kind)
        combo.setCurrentIndex(max(0, combo.findData(item.get("kind") or checklists.CHECK)))
        combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.table.setCellWidget(row, KIND, combo)
        required = QCheckBox(self.table)
        required.setChecked(bool(item.get("required")))
        required.toggled.connect(lambda _on: self.changed.emit())
        self.table.setCellWidget(row, REQUIRED, required)
        self.table.blockSignals(False)
        self._enable_limits(row)
        if announce:
            self.table.setCurrentCell(row, NAME)
            self.table.editItem(self.table.item(row, NAME))
            self.changed.emit()

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def move_current(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        items = self.items()
        items.insert(target, items.pop(row))
        self.set_items(items)
        self.table.setCurrentCell(target, NAME)
        self.changed.emit()

    def _kind_combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, KIND)
        assert isinstance(widget, QComboBox)
        return widget

    def _kind_changed(self) -> None:
        for row in range(self.table.rowCount()):
            self._enable_limits(row)
        self.changed.emit()

    def _enable_limits(self, row: int) -> None:
        """Unit and limits belong to measurements only; other kinds grey them out."""
        measure = self._kind_combo(row).currentData() == checklists.MEASURE
        for column in (UNIT, LOW, HIGH):
            cell = self.table.item(row, column)
            flags = cell.flags()
            cell.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if measure
                          else flags & ~Qt.ItemFlag.ItemIsEnabled)

    # -- the wire -------------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        """The template as ``create_v2_project`` takes it (limits as typed: the rule
        names a limit that is not a number)."""
        result = []
        for row in range(self.table.rowCount()):
            kind = self._kind_combo(row).currentData()
            item: dict[str, Any] = {"name": self._text(row, NAME), "kind": kind}
            if kind == checklists.MEASURE:
                item.update(unit=self._text(row, UNIT), min=self._text(row, LOW),
                            max=self._text(row, HIGH))
            required = self.table.cellWidget(row, REQUIRED)
            item["required"] = isinstance(required, QCheckBox) and required.isChecked()
            result.append(item)
        return result

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text().strip() if cell is not None else ""


class CheckToggle(QPushButton):
    """A check item: not checked yet → 正常 → 异常 → 正常 …; Space or a click toggles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = ""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)
        self.clicked.connect(self.toggle_value)
        self._show()

    def toggle_value(self) -> None:
        self.set_value(checklists.ABNORMAL if self.value == checklists.OK else checklists.OK)

    def set_value(self, value: str) -> None:
        self.value = value
        self._show()

    def _show(self) -> None:
        if self.value == checklists.OK:
            self.setText("✓ " + self.tr("OK"))
            self.setStyleSheet(OK_STYLE)
        elif self.value == checklists.ABNORMAL:
            self.setText("✗ " + self.tr("Abnormal"))
            self.setStyleSheet(ABNORMAL_STYLE)
        else:
            self.setText(self.tr("Not checked (Space)"))
            self.setStyleSheet("")


class ChecklistPanel(QWidget):
    """The items of a project's checklist in the handle dialog, one row each, in order."""

    changed = Signal()

    def __init__(self, items: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = list(items)
        self.inputs: list[QWidget] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        for row, item in enumerate(self.items):
            caption = QLabel(self._caption(item), self)
            caption.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(caption, row, 0)
            editor = self._editor(item)
            caption.setBuddy(editor)
            grid.addWidget(editor, row, 1)
            self.inputs.append(editor)
        for first, second in zip(self.inputs, self.inputs[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _caption(self, item: dict[str, Any]) -> str:
        text = rich_text(item["name"])
        if item.get("required"):
            text += " <span style='color:#c62828'>*</span>"
        limits = checklists.limits_text(item)
        unit = item.get("unit") or ""
        extra = " ".join(part for part in (limits, unit) if part)
        if extra:
            text += f" <span style='color:#6b7780'>({rich_text(extra)})</span>"
        return text

    def _editor(self, item: dict[str, Any]) -> QWidget:
        if item["kind"] == checklists.CHECK:
            toggle = CheckToggle(self)
            toggle.clicked.connect(lambda: self.changed.emit())
            return toggle
        edit = QLineEdit(self)
        if item["kind"] == checklists.MEASURE:
            edit.setPlaceholderText(self.tr("number"))
            edit.textChanged.connect(lambda _t, e=edit, i=item: self._mark_limits(e, i))
        edit.textChanged.connect(lambda _t: self.changed.emit())
        return edit

    @staticmethod
    def _mark_limits(edit: QLineEdit, item: dict[str, Any]) -> None:
        """Red as soon as a typed value leaves the item's limits: it will mark the
        record 有异常."""
        try:
            value = float(edit.text().strip().replace(",", "."))
        except ValueError:
            edit.setStyleSheet("")
            return
        abnormal = checklists.is_abnormal_value(item, value)
        edit.setStyleSheet(ABNORMAL_STYLE if abnormal else "")

    def results(self) -> list[dict[str, Any]]:
        """``checklist_results`` as ``v2_handle`` takes it: the answered items."""
        entries = []
        for item, editor in zip(self.items, self.inputs, strict=True):
            value = (editor.value if isinstance(editor, CheckToggle)
                     else editor.text().strip() if isinstance(editor, QLineEdit) else "")
            if value:
                entries.append({"name": item["name"], "value": value})
        return entries
