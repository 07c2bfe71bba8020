"""统计: meters (running hours, counters), their cumulative readings and a chart over time.

Left: the statistics, with create / edit / delete / CSV import. Right: the selected
statistic's readings over time (chart) and as a list, with "add reading".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from mixtimer_gui.domain.clock import parse_wire
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.catalog_tab import CatalogTab
from mixtimer_gui.gui.charts import ReadingsChart
from mixtimer_gui.gui.debounce import LiveRefresh
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.reading_dialog import ReadingDialog
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.statistic_dialog import StatisticDialog
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.gui.widgets import (
    Guidance,
    count_label,
    filter_bar,
    make_table,
    restore_table,
    retitle_columns,
    save_table,
    selected_record,
)
from mixtimer_gui.services import Services, events

CHART_READINGS = 1000  # the most recent readings drawn; older ones stay in the list
NO_STATISTIC = "\x00"  # a filter value no uid can have: an empty readings list


class StatisticsTab(CatalogTab):
    TABLE_KEY = "statistics"
    TABLE_NAME = "statisticsTable"
    SEARCH_FIELDS = ("uid", "name", "alias", "unit", "description")
    READINGS_KEY = "readings"

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, services.statistics, bridge, parent)
        self.readings = PagedTableModel(services.statistics.value_list,
                                        self._reading_columns(), parent=self)
        self._build()
        self._start(events.STATISTIC)
        self.readings.set_order("-time")
        self._show_selected()
        self.readings_live = LiveRefresh(bridge.changed, (events.READING,),
                                         self.refresh_readings, parent=self)

    def _columns(self) -> list[Column]:
        return [
            Column("name", self.tr("Name"), width=150),
            Column("unit", self.tr("Unit"), width=60),
            Column("uid", self.tr("ID"), width=120),
            Column("alias", self.tr("Alias"), width=100),
            Column("description", self.tr("Description"), width=120),
        ]

    def _reading_columns(self) -> list[Column]:
        return [
            Column("time", self.tr("Read at"),
                   display=lambda r: humanize.short_time(r.get("time")), width=140),
            Column("value", self.tr("Value"), display=lambda r: humanize.number(r.get("value")),
                   align_right=True, width=120),
            Column("created", self.tr("Entered"),
                   display=lambda r: humanize.short_time(r.get("created")), width=140),
        ]

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self._build_list()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self._list_column(column, self.new_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("statisticsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self._readings_pane())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([440, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _readings_pane(self) -> QWidget:
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.add_reading_button = QPushButton(icon("add"), "")
        self.add_reading_button.clicked.connect(self.add_reading)
        self.chart = ReadingsChart()
        self.readings_view = make_table(self.readings, "readingsTable")
        self.readings_count = count_label()
        self.readings.loaded.connect(self._show_readings_count)
        self.inner_splitter = inner = QSplitter(Qt.Orientation.Vertical)
        inner.setObjectName("readingsSplitter")
        inner.addWidget(self.chart)
        inner.addWidget(self.readings_view)
        inner.setSizes([260, 200])
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(filter_bar(self.title, self.import_button, self.add_reading_button,
                                    stretch_after=0))
        column.addWidget(inner, 1)
        column.addWidget(self.readings_count)
        return pane

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search statistics…"))
        self.new_button.setText(self.tr("New statistic…"))
        self.import_button.setText(self.tr("Import readings CSV…"))
        self.add_reading_button.setText(self.tr("Add reading…"))
        super().retranslate()
        self._show_readings_count(self.readings.total)
        retitle_columns(self.readings, self._reading_columns())
        if self.selected_statistic() is None:
            self.title.setText(self.tr("Select a statistic"))
        self.chart.update()

    def empty_guidance(self) -> Guidance:
        return (self.tr("No statistics yet"),
                self.tr("A statistic is a meter: running hours, a counter, kilometres. "
                        "Projects on a meter cycle come due as its readings grow."),
                [(self.tr("New statistic…"), self.new_record)])

    def save_state(self, settings: AppSettings) -> None:
        super().save_state(settings)
        save_table(settings, self.READINGS_KEY, self.readings_view, self.inner_splitter)

    def restore_state(self, settings: AppSettings) -> None:
        super().restore_state(settings)
        restore_table(settings, self.READINGS_KEY, self.readings_view, self.inner_splitter)

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%n statistic(s)", "", total))

    def _show_readings_count(self, total: int) -> None:
        self.readings_count.setText(self.tr("%n reading(s)", "", total))

    # -- list -----------------------------------------------------------------------------

    def _rows_changed(self) -> None:
        self._select_first_when_none()
        self._show_selected()

    def _select_first_when_none(self) -> None:
        """A chart is what people come here for: show the first meter's straight away."""
        if self.selected_statistic() is None and self.model.rowCount():
            self.view.selectionModel().blockSignals(True)
            self.view.selectRow(0)
            self.view.selectionModel().blockSignals(False)

    def selected_statistic(self) -> dict[str, Any] | None:
        return selected_record(self.view)

    def _show_selected(self, *_args: object) -> None:
        super()._show_selected()
        statistic = self.selected_statistic()
        has = statistic is not None
        self.add_reading_button.setEnabled(has)
        self.title.setText(statistic["name"] if has else self.tr("Select a statistic"))
        uid = statistic["uid"] if has else NO_STATISTIC
        self.readings.set_filter([["statistics_id", "=", uid]])
        self._load_chart(statistic)

    def refresh_readings(self) -> None:
        self.readings.refresh()
        self._load_chart(self.selected_statistic())

    def _load_chart(self, statistic: dict[str, Any] | None) -> None:
        if statistic is None:
            self.chart.set_points([])
            return
        page = self.services.statistics.value_list({
            "page_size": CHART_READINGS, "order_by": "-time",
            "where_and": [["statistics_id", "=", statistic["uid"]]]})
        points = [(parse_wire(r["time"]), float(r["value"])) for r in page["data"]]
        self.chart.set_points(points, statistic.get("unit", ""))

    # -- actions --------------------------------------------------------------------------

    def _dialog(self, record: dict[str, Any] | None) -> QDialog:
        return StatisticDialog(self.services, record, self)

    def _delete_question(self, record: dict[str, Any]) -> tuple[str, str]:
        return (self.tr("Delete statistic"),
                self.tr("Delete “%1” and all its readings?").replace("%1", record["name"]))

    def new_statistic(self) -> bool:
        return self.new_record()

    def add_reading(self) -> bool:
        statistic = self.selected_statistic()
        if statistic is None:
            return False
        accepted = self.run_dialog(ReadingDialog(self.services, statistic, self))
        if accepted:
            self.refresh_readings()
        return accepted

    def import_csv(self) -> None:
        from mixtimer_gui.gui import csv_dialogs  # loaded when first used, not at start

        # The import runs on a worker; its writes refresh the readings through the bridge.
        csv_dialogs.import_readings(self, self.services)
