"""The overview: status tiles, the 14-day due list, the calendar, the charts, and clicks
that open the Tasks tab on exactly the tasks shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.overview_tab import OverviewTab
from mixtimer_gui.services import Services


def _project(services: Services, name: str, period: int, objects: list[str],
             start: bool = True) -> str:
    uid = services.projects.create({"name": name, "cycle_type": "自然时间周期",
                                    "period_num": period, "period_unit": "日",
                                    "notice_num": 2, "notice_unit": "日",
                                    "object_id_list": objects})["uid"]
    if start:
        services.projects.start({"uid": uid})
    return uid


@pytest.fixture
def seeded(services: Services) -> Services:
    _project(services, "三日检", 3, ["A", "B"])      # due 2024-05-14, in notice from 05-12
    _project(services, "二十日检", 20, ["C"])        # due 2024-05-31: outside 14 days
    _project(services, "停用", 1, ["D"], start=False)
    return services


@pytest.fixture
def overview(seeded: Services, bridge: Any, qtbot: Any) -> OverviewTab:
    tab = OverviewTab(seeded, bridge)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.charts_busy(), timeout=5000)
    return tab


def _due_rows(tab: OverviewTab) -> list[tuple[str, str]]:
    return [(tab.due_list.topLevelItem(i).text(2), tab.due_list.topLevelItem(i).text(0))
            for i in range(tab.due_list.topLevelItemCount())]


def test_tiles_count_tasks_by_status(overview: OverviewTab, seeded: Services,
                                     fake_clock: FakeClock) -> None:
    counts = {s: tile.number.text() for s, tile in overview.tiles.items()}
    assert counts == {"已到期": "0", "即将到期": "0", "正常": "3", "未启动": "1"}
    fake_clock.advance(days=2, hours=1)
    overview.refresh()
    assert overview.tiles["即将到期"].number.text() == "2"
    fake_clock.advance(days=1)
    overview.refresh()
    assert overview.tiles["已到期"].number.text() == "2"


def test_due_list_holds_the_next_14_days_soonest_first(overview: OverviewTab) -> None:
    assert _due_rows(overview) == [("三日检", "2024-05-14 09:00")] * 2
    assert overview.due_list.topLevelItem(0).text(1) == "due in 3 days"


def test_clicking_a_due_task_opens_it(overview: OverviewTab, qtbot: Any) -> None:
    item = overview.due_list.topLevelItem(0)
    with qtbot.waitSignal(overview.open_tasks) as blocker:
        overview.due_list.itemClicked.emit(item, 0)
    assert blocker.args[0] == [item.data(0, Qt.ItemDataRole.UserRole + 1)]


def test_calendar_marks_due_days_and_a_click_opens_their_tasks(overview: OverviewTab,
                                                               seeded: Services,
                                                               qtbot: Any) -> None:
    assert overview.calendar.selectedDate() == QDate(2024, 5, 11)
    assert overview.calendar.count_on(date(2024, 5, 14)) == 2
    assert overview.calendar.count_on(date(2024, 5, 31)) == 1
    assert overview.calendar.count_on(date(2024, 5, 15)) == 0
    fmt = overview.calendar.dateTextFormat(QDate(2024, 5, 14))
    assert fmt.fontWeight() > 400
    with qtbot.waitSignal(overview.open_tasks) as blocker:
        overview.calendar.clicked.emit(QDate(2024, 5, 14))
    expected = {t["uid"] for t in seeded.tasks.list({"page_size": 10, "where_and": [
        ["project_name", "=", "三日检"]]})["data"]}
    assert set(blocker.args[0]) == expected


def test_a_status_tile_opens_the_tasks_in_that_status(overview: OverviewTab,
                                                      qtbot: Any) -> None:
    # A filter, not a list of uids: every task in the status, and those that join it later.
    with qtbot.waitSignal(overview.open_task_filter) as blocker:
        overview.tiles["未启动"].clicked.emit("未启动")
    assert blocker.args == [{"status": "未启动"}]


def test_charts_show_on_time_rate_and_fees(overview: OverviewTab, seeded: Services,
                                          fake_clock: FakeClock, qtbot: Any) -> None:
    assert overview.rate_chart.bars() == [] and overview.fee_chart.bars() == []
    tasks = seeded.tasks.list({"page_size": 10, "where_and": [
        ["project_name", "=", "三日检"]]})["data"]
    fake_clock.advance(days=1)
    seeded.handles.handle({"task_id": tasks[0]["uid"], "fee": 120})  # on time
    fake_clock.advance(days=5)
    seeded.handles.handle({"task_id": tasks[1]["uid"], "fee": 80})   # late
    with qtbot.waitSignal(overview.charts_loaded, timeout=5000):
        overview.refresh()  # the charts come from a worker thread
    (bar,) = overview.rate_chart.bars()
    assert (bar.label, bar.value) == ("三日检", 0.5)
    fees = {b.label: b.value for b in overview.fee_chart.bars()}
    assert fees["24/05"] == 200
    assert len(fees) == 12


def test_the_charts_say_they_are_calculating_until_their_figures_arrive(
        seeded: Services, bridge: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from mixtimer_gui.services.reports import ReportService

    gate = threading.Event()
    real = ReportService.fees_by_month

    def slow_fees(self: ReportService, *args: Any) -> Any:
        assert gate.wait(10)
        return real(self, *args)

    monkeypatch.setattr(ReportService, "fees_by_month", slow_fees)
    tab = OverviewTab(seeded, bridge)
    qtbot.addWidget(tab)
    # An empty chart is not "no maintenance recorded" while its figures are on the way.
    assert tab.rate_chart._empty_text == tab.fee_chart._empty_text == "Calculating…"
    with qtbot.waitSignal(tab.charts_loaded, timeout=5000):
        gate.set()
    assert tab.rate_chart._empty_text == "No maintenance recorded yet."
    assert tab.fee_chart._empty_text == "No fees recorded yet."


@pytest.mark.expect_log(r"overview charts failed", level="ERROR",
                        logger="mixtimer_gui.gui.overview_tab")
def test_charts_that_fail_say_so(seeded: Services, bridge: Any, qtbot: Any,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.services.reports import ReportService

    def broken(self: ReportService, *args: Any) -> Any:
        raise OSError("disk I/O error")

    monkeypatch.setattr(ReportService, "fees_by_month", broken)
    tab = OverviewTab(seeded, bridge)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.charts_busy(), timeout=5000)
    qtbot.waitUntil(lambda: "could not be calculated" in tab.fee_chart._empty_text)


def test_changes_refresh_the_overview_when_visible(overview: OverviewTab, seeded: Services,
                                                   qtbot: Any) -> None:
    overview.show()
    _project(seeded, "新十日检", 10, ["E"])
    qtbot.waitUntil(lambda: overview.tiles["正常"].number.text() == "4", timeout=3000)


def test_language_change_rewords_the_due_list(overview: OverviewTab, qtbot: Any) -> None:
    from mixtimer_gui.gui import i18n

    i18n.install_language("zh_CN")
    qtbot.waitUntil(lambda: overview.due_list.topLevelItem(0).text(1) == "3 天后到期",
                    timeout=2000)
    assert overview.due_title.text() == "已逾期及未来 14 天内到期"


def test_live_changes_reload_the_charts_at_most_every_so_often(
        overview: OverviewTab, seeded: Services, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy API must not keep a core on the year-long aggregates."""
    starts: list[float] = []
    original = overview._load_charts

    def counting() -> None:
        starts.append(1)
        original()

    monkeypatch.setattr(overview, "_load_charts", counting)
    overview.refresh(live=True)  # the first load was just now: postponed
    assert starts == [] and overview._chart_timer.isActive()
    overview._charts_started -= 1000  # long ago
    overview.refresh(live=True)
    assert starts == [1]
    qtbot.waitUntil(lambda: not overview.charts_busy(), timeout=5000)
    overview.refresh()  # F5 always reloads
    assert starts == [1, 1]
    qtbot.waitUntil(lambda: not overview.charts_busy(), timeout=5000)


def test_enter_on_the_due_list_opens_the_task(overview: OverviewTab, qtbot: Any) -> None:
    overview.due_list.setCurrentItem(overview.due_list.topLevelItem(1))
    with qtbot.waitSignal(overview.open_tasks) as blocker:
        overview.open_selected()
    assert blocker.args[0] == [overview.due_list.topLevelItem(1).data(
        0, Qt.ItemDataRole.UserRole + 1)]
