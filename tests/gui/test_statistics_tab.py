"""统计 tab: statistic form errors, readings (the non-decreasing rule), chart, live rows."""

from __future__ import annotations

import threading
from itertools import pairwise
from typing import Any

import pytest
from lists_seed import (
    fake_csv_dialogs,
    project,
)
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from mixtimer_gui.domain.clock import FakeClock, parse_wire
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.charts import ReadingsChart, nice_step, time_format, value_ticks
from mixtimer_gui.gui.reading_dialog import ReadingDialog
from mixtimer_gui.gui.statistic_dialog import StatisticDialog
from mixtimer_gui.gui.statistics_tab import StatisticsTab
from mixtimer_gui.services import Services


@pytest.fixture
def meter(services: Services, fake_clock: FakeClock) -> dict[str, Any]:
    uid = services.statistics.create({"uid": "RUN", "name": "运行小时", "unit": "小时"})["uid"]
    services.statistics.create({"uid": "CNT", "name": "计数", "unit": "次"})
    for value in (100, 150, 230):
        services.statistics.add_value({"statistics_id": uid, "value": value})
        fake_clock.advance(days=1)
    return services.statistics.get({"uid": uid})


@pytest.fixture
def tab(qtbot: Any, services: Services, bridge: ChangeBridge,
        meter: dict[str, Any]) -> StatisticsTab:
    widget = StatisticsTab(services, bridge)
    qtbot.addWidget(widget)
    return widget


def statistic_count(services: Services) -> int:
    return services.statistics.list({"page_size": 1})["total_records"]


def reading_values(services: Services, uid: str) -> list[float]:
    page = services.statistics.value_list({"page_size": 100, "order_by": "time",
                                           "where_and": [["statistics_id", "=", uid]]})
    return [r["value"] for r in page["data"]]


def select(tab: StatisticsTab, uid: str) -> None:
    row = next(r for r in range(tab.model.rowCount()) if tab.model.record(r)["uid"] == uid)
    tab.view.selectRow(row)


# -- the statistic form ---------------------------------------------------------------------


def test_empty_name_shows_under_name_and_saves_nothing(qtbot: Any,
                                                       services: Services) -> None:
    dialog = StatisticDialog(services)
    qtbot.addWidget(dialog)
    dialog.unit_box.setCurrentText("小时")
    assert not dialog.submit()
    assert dialog.error_text("name") == "Name is required: please fill it in."
    assert statistic_count(services) == 0


def test_too_long_unit_shows_under_unit(qtbot: Any, services: Services) -> None:
    dialog = StatisticDialog(services)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("产量")
    dialog.unit_box.setCurrentText("很" * 30)
    assert not dialog.submit()
    assert dialog.error_text("unit").startswith("Unit is too long")
    assert dialog.error_text("name") == ""
    assert statistic_count(services) == 0


def test_create_and_edit_a_statistic(qtbot: Any, services: Services) -> None:
    dialog = StatisticDialog(services)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("注塑机计数")
    dialog.unit_box.setCurrentText("次")
    assert dialog.submit()
    created = services.statistics.get({"uid": dialog.saved_uid})
    assert (created["name"], created["unit"]) == ("注塑机计数", "次")
    edit = StatisticDialog(services, created)
    qtbot.addWidget(edit)
    assert edit.uid_edit.isReadOnly()
    edit.unit_box.setCurrentText("件")
    assert edit.submit()
    assert services.statistics.get({"uid": created["uid"]})["unit"] == "件"


# -- readings -------------------------------------------------------------------------------


def test_a_reading_below_the_last_shows_under_value_and_saves_nothing(
        qtbot: Any, services: Services, meter: dict[str, Any]) -> None:
    dialog = ReadingDialog(services, meter)
    qtbot.addWidget(dialog)
    assert dialog.value_spin.value() == 230  # starts from the last reading
    dialog.value_spin.setValue(200)
    assert not dialog.submit()
    assert "230" in dialog.error_text("value")
    assert reading_values(services, meter["uid"]) == [100, 150, 230]


def test_a_reading_at_an_earlier_time_is_placed_between(qtbot: Any, services: Services,
                                                        meter: dict[str, Any]) -> None:
    dialog = ReadingDialog(services, meter)
    qtbot.addWidget(dialog)
    dialog.at_check.setChecked(True)
    assert dialog.time_edit.isEnabled()
    dialog.time_edit.setDateTime(QDateTime.fromString("2024-05-11 21:00", "yyyy-MM-dd HH:mm"))
    dialog.value_spin.setValue(120)
    assert dialog.submit()
    assert reading_values(services, meter["uid"]) == [100, 120, 150, 230]
    assert dialog.saved["time"] == "2024-05-11 21:00:00"


def test_an_earlier_reading_above_a_later_one_is_refused(qtbot: Any, services: Services,
                                                         meter: dict[str, Any]) -> None:
    dialog = ReadingDialog(services, meter)
    qtbot.addWidget(dialog)
    dialog.at_check.setChecked(True)
    dialog.time_edit.setDateTime(QDateTime.fromString("2024-05-11 21:00", "yyyy-MM-dd HH:mm"))
    dialog.value_spin.setValue(180)  # more than the 150 read the next morning
    assert not dialog.submit()
    assert dialog.error_text("value")
    assert reading_values(services, meter["uid"]) == [100, 150, 230]


def test_the_first_statistic_is_shown_at_once(tab: StatisticsTab) -> None:
    first = tab.model.record(0)
    assert tab.selected_statistic() == first
    assert tab.add_reading_button.isEnabled() and tab.title.text() == first["name"]


def test_with_no_statistics_nothing_is_selected(qtbot: Any, services: Services,
                                                bridge: ChangeBridge) -> None:
    empty = StatisticsTab(services, bridge)
    qtbot.addWidget(empty)
    assert empty.selected_statistic() is None
    assert not empty.add_reading_button.isEnabled() and empty.chart.points() == []
    assert empty.readings.rowCount() == 0


def test_selecting_a_statistic_shows_its_readings_and_chart(tab: StatisticsTab,
                                                            meter: dict[str, Any]) -> None:
    select(tab, meter["uid"])
    values = [tab.readings.record(r)["value"] for r in range(tab.readings.rowCount())]
    assert values == [230, 150, 100]  # newest first
    assert [v for _, v in tab.chart.points()] == [100, 150, 230]
    assert tab.title.text() == "运行小时"
    select(tab, "CNT")
    assert tab.readings.rowCount() == 0 and tab.chart.points() == []


def test_add_reading_from_the_tab_updates_list_and_chart(tab: StatisticsTab,
                                                         services: Services,
                                                         meter: dict[str, Any]) -> None:
    select(tab, meter["uid"])

    def run(dialog: ReadingDialog) -> bool:
        dialog.value_spin.setValue(260)
        return dialog.submit()

    tab.run_dialog = run  # type: ignore[method-assign]
    assert tab.add_reading()
    assert tab.readings.record(0)["value"] == 260
    assert tab.chart.points()[-1][1] == 260


def test_a_reading_from_another_thread_appears(qtbot: Any, tab: StatisticsTab,
                                               services: Services, meter: dict[str, Any],
                                               fake_clock: FakeClock) -> None:
    select(tab, meter["uid"])

    def api_client() -> None:
        with services.db.connection_context():
            services.statistics.add_value({"statistics_id": meter["uid"], "value": 999})

    worker = threading.Thread(target=api_client)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: tab.readings.rowCount() == 4, timeout=3000)
    assert tab.chart.points()[-1] == (fake_clock.now(), 999.0)


def test_delete_of_a_statistic_in_use_shows_the_services_message(
        tab: StatisticsTab, services: Services, meter: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    project(services, "换油", ["OBJ"], cycle_type="统计周期", statistics_id=meter["uid"],
            period_num=500, period_unit="")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    select(tab, meter["uid"])
    assert not tab.delete_selected()
    assert len(warnings) == 1 and meter["uid"] in warnings[0]
    assert reading_values(services, meter["uid"]) == [100, 150, 230]
    select(tab, "CNT")
    assert tab.delete_selected()
    assert statistic_count(services) == 1


def test_import_readings_hands_over_and_refreshes(tab: StatisticsTab, services: Services,
                                                  meter: dict[str, Any], qtbot: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    select(tab, meter["uid"])

    def import_readings(parent: Any, svc: Services) -> None:
        assert parent is tab
        svc.statistics.add_value({"statistics_id": meter["uid"], "value": 400})

    fake_csv_dialogs(monkeypatch, import_readings=import_readings)
    tab.import_button.click()
    # The import's writes reach the readings through the change bridge.
    qtbot.waitUntil(lambda: tab.readings.record(0)["value"] == 400, timeout=3000)
    qtbot.waitUntil(lambda: tab.chart.points()[-1][1] == 400, timeout=3000)


# -- the chart ------------------------------------------------------------------------------


def test_axis_ticks_are_round_and_cover_the_values() -> None:
    assert nice_step(1000, 5) == 200
    assert nice_step(7, 4) == 2
    ticks = value_ticks(1013, 2287, 4)
    assert ticks[0] <= 1013 and ticks[-1] >= 2287
    assert len({round(b - a, 6) for a, b in pairwise(ticks)}) == 1
    assert value_ticks(5, 5, 3)[-1] > 5  # a flat line still gets an axis
    assert time_format(3600) == "%m-%d %H:%M" and time_format(400 * 86400) == "%Y-%m"


@pytest.mark.parametrize("size", [(220, 140), (640, 320)])
@pytest.mark.parametrize("count", [0, 1, 2, 200])
def test_chart_draws_any_number_of_points_at_any_size(qtbot: Any, size: tuple[int, int],
                                                      count: int) -> None:
    chart = ReadingsChart()
    qtbot.addWidget(chart)
    start = parse_wire("2024-05-11 09:00:00")
    chart.set_points([(start + i * 3600, 100 + i * 1.5) for i in range(count)], "小时")
    chart.resize(*size)
    image = chart.grab().toImage()
    assert image.width() == size[0]
    if count >= 2:  # the line is drawn in its colour somewhere
        blue = [image.pixelColor(x, y).name() for x in range(0, size[0], 2)
                for y in range(0, size[1], 2)]
        assert "#2563eb" in blue


def test_a_meter_without_a_unit_is_counted_in_its_name_everywhere(services: Services,
                                                                  qapp: Any) -> None:
    """The Projects and Tasks tabs and the project form share one rule for "every 500 …"."""
    from mixtimer_gui.gui.widgets import rich_text, statistic_unit, statistic_units

    services.statistics.create({"uid": "S1", "name": "运行小时", "unit": "h"})
    services.statistics.create({"uid": "S2", "name": "冲次"})
    assert statistic_units(services) == {"S1": "h", "S2": "冲次"}
    assert statistic_unit({"uid": "S3", "name": "模次", "unit": ""}) == "模次"
    assert rich_text("a<b>&\nc") == "a&lt;b&gt;&amp;<br>c"
