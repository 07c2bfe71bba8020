"""The project form (create and edit), on the shared ``FormDialog``.

The form builds the same wire dict an API client would send and checks it with the same
rule (``domain.rules.project_input``) as the user types (``FormDialog.validate_live``): the
message of the first broken rule shows under the field it names, and Save stays disabled
until the rules pass. Save calls ``services.projects.create/update``; a refusal there (a
statistic that doesn't exist, a running project) is shown like every form's, and nothing is
saved. A preview lists the next five due dates (``domain.cycles.next_due_dates``) as the
cycle is edited.
"""

from __future__ import annotations

import logging
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock, cycles, rules
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.checklist_widgets import ChecklistEditor
from mixtimer_gui.gui.debounce import Debouncer
from mixtimer_gui.gui.form_dialog import FormDialog, error_line
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.gui.widgets import (
    SEARCH_DELAY_MS,
    AddLine,
    role_label,
    search_conditions,
    sized_to_items,
    statistic_unit,
)
from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

PREVIEW_COUNT = 5
FIELDS_SLACK = 24  # wrapped hints ask for a little more than their size hint says
OBJECT_PAGE = 500
OBJECT_SEARCH_FIELDS = ("name", "alias", "uid")
UID_ROLE = Qt.ItemDataRole.UserRole + 1


class ProjectForm(FormDialog):
    # Its captions ask ("Every:"); a sentence names the field ("Cycle length …").
    NAMES_FROM_CAPTIONS = False

    def __init__(self, services: Services, project: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)  # builds the body: build_content
        self.services = services
        self.project = dict(project) if project else None
        self.saved_uid = ""
        self._checked: list[str] = list(self.project["object_id_list"]) if self.project else []
        self.setWindowIcon(icon("projects"))
        self.setMinimumSize(900, 640)
        self._object_search = Debouncer(self._load_objects, SEARCH_DELAY_MS, self)
        self.save_button.setIcon(icon("handle"))
        self.save_button.setDefault(True)
        self._set_tab_order()
        self._load_statistics()
        self._fill(self.project)
        self._load_objects()
        self._connect()
        self.retranslate()
        self.validate_live(lambda: rules.project_input(self.wire()))
        self.validate_now()
        self._fit_to_fields()

    # -- layout -----------------------------------------------------------------------------

    def _fit_to_fields(self) -> None:
        """Tall enough that the fields need no scrolling, where the screen allows."""
        fields = self.fields_scroll.widget().sizeHint().height()
        margins = self.layout().contentsMargins()
        height = (fields + margins.top() + margins.bottom() + self.layout().spacing()
                  + self.buttons.sizeHint().height() + FIELDS_SLACK)
        fit_to_screen(self, self.minimumWidth(), max(height, self.minimumHeight()))

    def build_content(self) -> QHBoxLayout:
        root = self.layout()
        root.setContentsMargins(16, 16, 16, 12)
        root.setSpacing(10)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        # The fields scroll when the screen is short (1024×700): squeezed below their
        # minimum, the cycle rows and their hints overlapped.
        self.fields_scroll = QScrollArea(self)
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fields = QWidget(self.fields_scroll)
        self.fields_scroll.setWidget(fields)
        left = QVBoxLayout(fields)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(10)
        right = QVBoxLayout()
        right.setSpacing(10)
        columns.addWidget(self.fields_scroll, 5)
        columns.addLayout(right, 4)
        left.addWidget(self._basic_box())
        left.addWidget(self._cycle_box())
        left.addWidget(self._preview_box(), 1)
        left.addWidget(self._checklist_box())
        right.addWidget(self._objects_box(), 3)
        right.addWidget(self._guide_box(), 2)
        return columns

    def _basic_box(self) -> QGroupBox:
        self.basic_box = QGroupBox(self)
        basic = self._form_in(self.basic_box)
        self.name_edit = QLineEdit(self.basic_box)
        self.name_edit.setMaxLength(200)  # longer than the rule allows, so the rule speaks
        self.alias_edit = QLineEdit(self.basic_box)
        self.description_edit = QLineEdit(self.basic_box)
        self.add_field("name", "", self.name_edit, form=basic)
        self.add_field("alias", "", self.alias_edit, form=basic)
        self.add_field("description", "", self.description_edit, form=basic)
        return self.basic_box

    def _cycle_box(self) -> QGroupBox:
        self.cycle_box = QGroupBox(self)
        cycle = self._form_in(self.cycle_box)
        self.cycle_type_combo = self._combo(cycles.CYCLE_TYPES)
        self.add_field("cycle_type", "", self.cycle_type_combo, form=cycle)
        self.statistic_combo = QComboBox(self.cycle_box)
        self.statistic_combo.setObjectName("statisticCombo")
        self.statistic_combo.setMinimumWidth(220)
        self.add_field("statistics_id", "", self.statistic_combo, form=cycle)
        self.period_num_spin = self._spin()
        self.period_unit_combo = self._combo(cycles.PERIOD_UNITS)
        self.period_unit_text = role_label(self.cycle_box, "hint")
        self.add_field("period_num", "", self.period_num_spin, form=cycle, row=self._pair(
            self.period_num_spin, self.period_unit_combo, self.period_unit_text))
        self.alias_field("period_unit", "period_num", self.period_unit_combo)
        # 先到周期: the meter interval beside the time interval above.
        self.meter_spin = QDoubleSpinBox(self.cycle_box)
        self.meter_spin.setObjectName("meterSpin")
        self.meter_spin.setRange(0, 1e9)
        self.meter_spin.setDecimals(2)
        self.meter_spin.setMinimumWidth(110)
        self.meter_unit_text = role_label(self.cycle_box, "hint")
        self.add_field("statistics_period_num", "", self.meter_spin, form=cycle,
                       row=self._pair(self.meter_spin, self.meter_unit_text))
        self.notice_num_spin = self._spin()
        self.notice_unit_combo = self._combo(cycles.NOTICE_UNITS)
        # What the notice will do when it is not the plain "this long before the due date"
        # (as long as the period; a meter's forecast), said beside it.
        self.notice_hint = role_label(self.cycle_box, "hint", wrap=True)
        self.notice_hint.setObjectName("noticeHint")
        notice_row = QWidget(self.cycle_box)
        notice_column = QVBoxLayout(notice_row)
        notice_column.setContentsMargins(0, 0, 0, 0)
        notice_column.setSpacing(2)
        notice_column.addWidget(self._pair(self.notice_num_spin, self.notice_unit_combo))
        notice_column.addWidget(self.notice_hint)
        self.add_field("notice_num", "", self.notice_num_spin, form=cycle, row=notice_row)
        self.alias_field("notice_unit", "notice_num", self.notice_unit_combo)
        self.anchor_combo = self._combo(cycles.ANCHOR_TYPES)
        self.add_field("anchor_type", "", self.anchor_combo, form=cycle)
        self.statistic_hint = role_label(self.cycle_box, "hint", wrap=True)
        cycle.addRow(self.statistic_hint)
        return self.cycle_box

    def _preview_box(self) -> QGroupBox:
        self.preview_box = QGroupBox(self)
        preview = QVBoxLayout(self.preview_box)
        self.preview_label = QLabel(self.preview_box)
        self.preview_label.setTextFormat(Qt.TextFormat.RichText)
        self.preview_label.setWordWrap(True)
        self.preview_label.setMinimumHeight(110)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        preview.addWidget(self.preview_label)
        return self.preview_box

    def _checklist_box(self) -> QGroupBox:
        self.checklist_box = QGroupBox(self)
        column = QVBoxLayout(self.checklist_box)
        self.checklist_editor = ChecklistEditor(self.checklist_box)
        column.addWidget(self.checklist_editor)
        column.addWidget(self.bind_field("checklist", self.checklist_editor.table))
        return self.checklist_box

    def _objects_box(self) -> QGroupBox:
        self.objects_box = QGroupBox(self)
        objects = QVBoxLayout(self.objects_box)
        self.object_search = QLineEdit(self.objects_box)
        self.object_search.setClearButtonEnabled(True)
        self.object_search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        objects.addWidget(self.object_search)
        self.object_list = QListWidget(self.objects_box)
        self.object_list.setUniformItemSizes(True)
        self.object_list.setMinimumHeight(160)
        objects.addWidget(self.object_list, 1)
        self.object_count = role_label(self.objects_box, "hint")
        objects.addWidget(self.object_count)
        objects.addWidget(self.bind_field("object_id_list", self.object_list))
        new_row = QHBoxLayout()
        self.new_object_edit = AddLine(self.objects_box)
        self.new_object_button = QPushButton(icon("add"), "", self.objects_box)
        new_row.addWidget(self.new_object_edit, 1)
        new_row.addWidget(self.new_object_button)
        objects.addLayout(new_row)
        self.new_object_error = error_line(self.objects_box)
        objects.addWidget(self.new_object_error)
        return self.objects_box

    def _guide_box(self) -> QGroupBox:
        self.guide_box = QGroupBox(self)
        guide = QVBoxLayout(self.guide_box)
        self.guide_edit = QPlainTextEdit(self.guide_box)
        self.guide_edit.setTabChangesFocus(True)
        self.guide_edit.setMinimumHeight(100)
        guide.addWidget(self.guide_edit)
        guide.addWidget(self.bind_field("guide", self.guide_edit))
        return self.guide_box

    @staticmethod
    def _form_in(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _combo(self, values: tuple[str, ...]) -> QComboBox:
        combo = sized_to_items(QComboBox(self))
        for value in values:
            combo.addItem("", value)
        return combo

    def _spin(self) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(0, 999_999)  # 0 allowed so that the rule can explain it
        spin.setMinimumWidth(110)
        return spin

    def _pair(self, *widgets: QWidget) -> QWidget:
        holder = QWidget(self)
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return holder

    def _set_tab_order(self) -> None:
        chain = [self.name_edit, self.alias_edit, self.description_edit, self.cycle_type_combo,
                 self.statistic_combo, self.period_num_spin, self.period_unit_combo,
                 self.meter_spin, self.notice_num_spin, self.notice_unit_combo,
                 self.anchor_combo, self.checklist_editor.table,
                 self.checklist_editor.add_button, self.checklist_editor.remove_button,
                 self.checklist_editor.up_button, self.checklist_editor.down_button,
                 self.object_search, self.object_list, self.new_object_edit,
                 self.new_object_button, self.guide_edit, self.save_button,
                 self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        editing = self.project is not None
        self.setWindowTitle(self.tr("Edit project") if editing else self.tr("New project"))
        self.basic_box.setTitle(self.tr("Project"))
        self.set_caption("name", self.tr("&Name:"))
        self.set_caption("alias", self.tr("&Alias:"))
        self.set_caption("description", self.tr("&Description:"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Air compressor monthly check"))
        self.alias_edit.setPlaceholderText(self.tr("empty: the project's number"))
        self.cycle_box.setTitle(self.tr("Cycle"))
        self.set_caption("cycle_type", self.tr("&Cycle type:"))
        self.set_caption("statistics_id", self.tr("S&tatistic:"))
        self.set_caption("period_num", self.tr("&Every:"))
        self.set_caption("notice_num", self.tr("Re&mind before:"))
        self.set_caption("anchor_type", self.tr("Ne&xt cycle starts:"))
        self.set_caption("statistics_period_num", self.tr("Or e&very (meter):"))
        self.checklist_box.setTitle(self.tr("Checklist"))
        self.checklist_editor.retranslate()
        for combo in (self.cycle_type_combo, self.period_unit_combo, self.notice_unit_combo,
                      self.anchor_combo):
            for index in range(combo.count()):
                combo.setItemText(index, humanize.domain_label(combo.itemData(index)))
        self.anchor_combo.setItemData(0, self.tr("The next cycle starts when the task is "
                                                 "handled or ignored."),
                                      Qt.ItemDataRole.ToolTipRole)
        self.anchor_combo.setItemData(1, self.tr("Due dates follow a fixed grid from the "
                                                 "first start, whenever the task is handled."),
                                      Qt.ItemDataRole.ToolTipRole)
        if self.statistic_combo.count():
            self.statistic_combo.setItemText(0, self.tr("(choose a statistic)"))
        self.preview_box.setTitle(self.tr("Next due dates"))
        self.objects_box.setTitle(self.tr("Objects"))
        self.object_search.setPlaceholderText(self.tr("Search objects by name, alias or number"))
        self.new_object_edit.setPlaceholderText(self.tr("New object name"))
        self.new_object_button.setText(self.tr("New &object"))
        self.guide_box.setTitle(self.tr("Maintenance guide"))
        self.guide_edit.setPlaceholderText(self.tr("What to do, step by step, and what to "
                                                   "check."))
        self.save_button.setText(self.tr("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self._update_cycle_fields()
        self._update_object_count()
        self._update_preview()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data in ----------------------------------------------------------------------------

    def _load_statistics(self) -> None:
        self.statistic_combo.clear()
        self.statistic_combo.addItem("", "")
        self._statistic_units: dict[str, str] = {}
        try:
            page = self.services.statistics.list({"page_size": 1000, "order_by": "name"})
        except DomainError as exc:
            log.warning("statistics list failed: %s", exc)
            return
        for stat in page["data"]:
            unit = f" ({stat['unit']})" if stat.get("unit") else ""
            self.statistic_combo.addItem(f"{stat['name']}{unit}", stat["uid"])
            self._statistic_units[stat["uid"]] = statistic_unit(stat)

    def _fill(self, project: dict | None) -> None:
        if project is None:
            self.period_num_spin.setValue(1)
            self._select(self.period_unit_combo, cycles.MONTH)
            self.notice_num_spin.setValue(3)
            self._select(self.notice_unit_combo, cycles.DAY)
            return
        self.name_edit.setText(project.get("name") or "")
        self.alias_edit.setText(project.get("alias") or "")
        self.description_edit.setText(str(project.get("description") or ""))
        cycle_type = project.get("cycle_type") or cycles.NATURAL
        if cycle_type == cycles.STATISTIC_SYNONYM:
            cycle_type = cycles.STATISTIC
        self._select(self.cycle_type_combo, cycle_type)
        stat = project.get("statistics_id") or ""
        if stat and self.statistic_combo.findData(stat) < 0:
            self.statistic_combo.addItem(stat, stat)  # a statistic deleted since: keep it
        self._select(self.statistic_combo, stat)
        self.period_num_spin.setValue(int(project.get("period_num") or 0))
        self._select(self.period_unit_combo, project.get("period_unit") or cycles.MONTH)
        self.notice_num_spin.setValue(int(project.get("notice_num") or 0))
        self._select(self.notice_unit_combo, project.get("notice_unit") or cycles.DAY)
        self._select(self.anchor_combo, project.get("anchor_type") or cycles.BY_COMPLETION)
        self.meter_spin.setValue(float(project.get("statistics_period_num") or 0))
        self.checklist_editor.set_items(list(project.get("checklist") or []))
        self.guide_edit.setPlainText(str(project.get("guide") or ""))

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def _load_objects(self) -> None:
        text = self.object_search.text().strip()
        params: dict[str, Any] = {"page_size": OBJECT_PAGE, "order_by": "name",
                                  "where_or": search_conditions(text, OBJECT_SEARCH_FIELDS)}
        try:
            page = self.services.objects.list(params)
        except DomainError as exc:
            log.warning("objects list failed: %s", exc)
            return
        rows = page["data"]
        if not text:
            # Chosen objects first, so an edit shows what the project has at a glance.
            shown = {o["uid"] for o in rows}
            missing = [uid for uid in self._checked if uid not in shown]
            if missing:
                extra = self.services.objects.list({"page_size": OBJECT_PAGE,
                                                    "where_in": [["uid", missing]]})["data"]
                rows = extra + rows
            rows.sort(key=lambda o: o["uid"] not in self._checked)
        self.object_list.blockSignals(True)
        self.object_list.clear()
        for obj in rows:
            label = obj["name"]
            if obj.get("alias") and obj["alias"] not in (obj["name"], obj["uid"]):
                label += f" · {obj['alias']}"
            item = QListWidgetItem(f"{label}    ({obj['uid']})")
            item.setData(UID_ROLE, obj["uid"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if obj["uid"] in self._checked
                               else Qt.CheckState.Unchecked)
            self.object_list.addItem(item)
        self.object_list.blockSignals(False)
        self._update_object_count()

    # -- wiring -----------------------------------------------------------------------------

    def _connect(self) -> None:
        for field, signal in (
                ("name", self.name_edit.textEdited), ("alias", self.alias_edit.textEdited),
                ("description", self.description_edit.textEdited),
                ("cycle_type", self.cycle_type_combo.currentIndexChanged),
                ("statistics_id", self.statistic_combo.currentIndexChanged),
                ("period_num", self.period_num_spin.valueChanged),
                ("period_unit", self.period_unit_combo.currentIndexChanged),
                ("notice_num", self.notice_num_spin.valueChanged),
                ("notice_unit", self.notice_unit_combo.currentIndexChanged),
                ("anchor_type", self.anchor_combo.currentIndexChanged),
                ("statistics_period_num", self.meter_spin.valueChanged),
                ("checklist", self.checklist_editor.changed),
                ("guide", self.guide_edit.textChanged)):
            self.watch(field, signal)
        self.cycle_type_combo.currentIndexChanged.connect(self._update_cycle_fields)
        self.statistic_combo.currentIndexChanged.connect(self._update_cycle_fields)
        self.object_search.textChanged.connect(self._object_search)
        self.object_list.itemChanged.connect(self._object_toggled)
        self.new_object_button.clicked.connect(self.create_object)
        self.new_object_edit.returnPressed.connect(self.create_object)

    def _object_toggled(self, item: QListWidgetItem) -> None:
        uid = item.data(UID_ROLE)
        if item.checkState() == Qt.CheckState.Checked and uid not in self._checked:
            self._checked.append(uid)
        elif item.checkState() != Qt.CheckState.Checked and uid in self._checked:
            self._checked.remove(uid)
        self._update_object_count()
        self.edited("object_id_list")

    def _update_object_count(self) -> None:
        self.object_count.setText(self.tr("%1 object(s) chosen").replace(
            "%1", str(len(self._checked))))

    def _update_cycle_fields(self) -> None:
        first = self.cycle_type() == cycles.FIRST
        statistic = self.cycle_type() == cycles.STATISTIC
        metered = statistic or first
        self.statistic_combo.setVisible(metered)
        self.captions["statistics_id"].setVisible(metered)
        self.period_unit_combo.setVisible(not statistic)
        self.period_unit_text.setVisible(statistic)
        self.meter_spin.parentWidget().setVisible(first)
        self.captions["statistics_period_num"].setVisible(first)
        stat = self.statistic_combo.currentData() or ""
        unit = self._statistic_units.get(stat, "") if stat else ""
        self.period_unit_text.setText(unit)
        self.meter_unit_text.setText(unit)
        self.statistic_hint.setVisible(metered)
        if first:
            self.statistic_hint.setText(self.tr(
                "Due after the time interval or when the statistic has grown by the meter "
                "interval, whichever comes first; handling restarts both."))
            if not stat:
                self.statistic_hint.setText(self.tr("Without a statistic the project can be "
                                                    "saved but not started."))
        elif statistic and not stat:
            self.statistic_hint.setText(self.tr("Without a statistic the project can be saved "
                                                "but not started."))
        else:
            self.statistic_hint.setText(self.tr("The task is due when the statistic has grown "
                                                "by this amount since the cycle began."))

    # -- the wire dict and validation -------------------------------------------------------

    def cycle_type(self) -> str:
        return self.cycle_type_combo.currentData() or cycles.NATURAL

    def wire(self) -> dict[str, Any]:
        """The request the form stands for: exactly what the API would receive."""
        statistic = self.cycle_type() == cycles.STATISTIC
        first = self.cycle_type() == cycles.FIRST
        data: dict[str, Any] = {
            "name": self.name_edit.text(),
            "alias": self.alias_edit.text(),
            "description": self.description_edit.text(),
            "cycle_type": self.cycle_type(),
            "statistics_id": ((self.statistic_combo.currentData() or "")
                              if statistic or first else ""),
            "period_num": self.period_num_spin.value(),
            "period_unit": "" if statistic else self.period_unit_combo.currentData(),
            "notice_num": self.notice_num_spin.value(),
            "notice_unit": self.notice_unit_combo.currentData(),
            "anchor_type": self.anchor_combo.currentData(),
            "guide": self.guide_edit.toPlainText(),
            "object_id_list": list(self._checked),
            "checklist": self.checklist_editor.items(),
        }
        if first:
            data["statistics_period_num"] = self.meter_spin.value()
        if self.project is not None:
            data["uid"] = self.project["uid"]
            data["organization_id"] = self.project.get("organization_id", "")
        return data

    def validate_now(self) -> bool:
        valid = super().validate_now()
        self._update_preview()
        return valid

    # -- preview ----------------------------------------------------------------------------

    def preview_dates(self) -> list[tuple[int, int]]:
        """(due, notice) of the next five cycles if started now and handled on time (the
        time limit of a whichever-first plan)."""
        if self.cycle_type() not in (cycles.NATURAL, cycles.FIRST):
            return []
        try:
            inp = rules.project_input({**self.wire(), "name": "x"})
        except DomainError:
            return []
        return cycles.next_due_dates(inp.rule, self.services.clock.now(), PREVIEW_COUNT)

    def notice_note(self) -> str:
        """What the notice does beyond "this long before the due date", or ""."""
        if self.notice_num_spin.value() <= 0:
            return ""
        if self.cycle_type() == cycles.STATISTIC:
            return self.tr("Counted back from the forecast due date, never before the cycle "
                           "began.")
        try:
            rule = rules.project_input({**self.wire(), "name": "x"}).rule
            reaches = cycles.notice_reaches_cycle_start(rule, self.services.clock.now())
        except (DomainError, OverflowError, ValueError, OSError):
            return ""
        if not reaches:
            return ""
        return self.tr("Not shorter than the cycle: the reminder comes as each cycle "
                       "begins.")

    def _update_notice_hint(self) -> None:
        note = self.notice_note()
        self.notice_hint.setText(note)
        self.notice_hint.setVisible(bool(note))

    def _update_preview(self) -> None:
        self._update_notice_hint()
        if self.cycle_type() == cycles.STATISTIC:
            self.preview_label.setText(self._statistic_preview())
            return
        try:
            dates = self.preview_dates()
        except (OverflowError, ValueError, OSError):
            dates = []
        if not dates:
            hint = self.tr("Fix the cycle settings to see the due dates.")
            self.preview_label.setText(f"<span style='color:#607d8b'>{hint}</span>")
            return
        lines = []
        for number, (due, notice) in enumerate(dates, 1):
            due_text = clock.format_wire(due)[:16]
            notice_text = clock.format_wire(notice)[:16]
            reminder = (self.tr("reminder %1").replace("%1", notice_text)
                        if notice != due else self.tr("reminder at the due time"))
            lines.append(f"<tr><td style='color:#607d8b; padding-right:10px'>{number}.</td>"
                         f"<td style='padding-right:16px'><b>{due_text}</b></td>"
                         f"<td style='color:#607d8b'>{reminder}</td></tr>")
        note = self.tr("If started now and each cycle is handled on its due date.")
        meter = f"<p>{self._statistic_preview()}</p>" if self.cycle_type() == cycles.FIRST \
            else ""
        self.preview_label.setText(f"<table>{''.join(lines)}</table>{meter}"
                                   f"<p style='color:#607d8b'>{note}</p>")

    def _statistic_preview(self) -> str:
        stat = self.statistic_combo.currentData() or ""
        if not stat:
            hint = self.tr("Choose a statistic to see when the task comes due.")
            return f"<span style='color:#607d8b'>{hint}</span>"
        try:
            readings = self.services.statistics.value_list({
                "statistics_id": stat, "page_size": 1, "order_by": "-time"})["data"]
        except DomainError:
            readings = []
        unit = self._statistic_units.get(stat, "")
        step = humanize.number(self.meter_spin.value() if self.cycle_type() == cycles.FIRST
                               else self.period_num_spin.value())
        if not readings:
            hint = self.tr("No readings yet: due every %1 %2 from the first reading.")
            hint = hint.replace("%1", step).replace("%2", unit)
            return f"<span style='color:#607d8b'>{hint}</span>"
        current = float(readings[0]["value"])
        try:
            rule = rules.project_input({**self.wire(), "name": "x"}).rule
        except DomainError:
            hint = self.tr("Fix the cycle settings to see the due dates.")
            return f"<span style='color:#607d8b'>{hint}</span>"
        values = ", ".join(humanize.number(value) for value in
                           cycles.next_due_values(rule, current, PREVIEW_COUNT))
        if self.cycle_type() == cycles.FIRST:
            return (self.tr("Or by the meter (latest reading %1 %2), at readings: %3 %2")
                    .replace("%1", humanize.number(current)).replace("%2", unit)
                    .replace("%3", values))
        return (self.tr("Latest reading %1 %2. Due at readings: %3 %2")
                .replace("%1", humanize.number(current)).replace("%2", unit)
                .replace("%3", values))

    # -- actions ----------------------------------------------------------------------------

    def create_object(self) -> None:
        """"New object" inline: created through the services, then chosen."""
        name = self.new_object_edit.text()
        self.new_object_error.hide()
        try:
            uid = self.services.objects.create({"name": name})["uid"]
        except DomainError as exc:
            self.new_object_error.setText(say(exc))
            self.new_object_error.show()
            return
        self.new_object_edit.clear()
        self._checked.append(uid)
        self.object_search.blockSignals(True)
        self.object_search.clear()
        self.object_search.blockSignals(False)
        self._load_objects()
        self.edited("object_id_list")

    def save(self) -> None:
        if self.project is None:
            result = self.services.projects.create(self.wire())
        else:
            result = self.services.projects.update(self.wire())
        self.saved_uid = result["uid"]
