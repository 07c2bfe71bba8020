"""维保任务 tab: order, filters, show_tasks, the handle/ignore actions, live refresh;
and the words it shows (due in words, cycles)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from lists_seed import (
    seed,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from mixtimer_gui.domain.clock import FakeClock, parse_wire
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.handle_dialog import HandleDialog, IgnoreDialog
from mixtimer_gui.gui.tasks_tab import TasksTab
from mixtimer_gui.services import Services


@pytest.fixture
def ids(services: Services, fake_clock: FakeClock) -> dict[str, Any]:
    seeded = seed(services, fake_clock)
    fake_clock.advance(hours=22)  # the 2-day checks and the oil change are now overdue
    return seeded


@pytest.fixture
def tab(qtbot: Any, services: Services, bridge: ChangeBridge,
        ids: dict[str, Any]) -> TasksTab:
    widget = TasksTab(services, bridge)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.project_combo.count() > 1)  # filled once shown
    return widget


def rows(tab: TasksTab) -> list[dict[str, Any]]:
    return [tab.model.record(r) for r in range(tab.model.rowCount())]


def uids(tab: TasksTab) -> set[str]:
    return {r["uid"] for r in rows(tab)}


def test_lists_every_task_soonest_due_first_never_started_last(tab: TasksTab) -> None:
    records = rows(tab)
    assert len(records) == 5
    dues = [r["due_at"] for r in records if r["due_at"]]
    assert dues == sorted(dues)
    assert records[-1]["status"] == "未启动"
    assert tab.model.filter_params()["order_by"] == "due_at"


def test_status_filter(tab: TasksTab) -> None:
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("已到期"))
    assert rows(tab) and all(r["status"] == "已到期" for r in rows(tab))
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("未启动"))
    assert [r["project_name"] for r in rows(tab)] == ["叉车年检"]
    tab.status_combo.setCurrentIndex(0)
    assert len(rows(tab)) == 5


def test_project_and_object_filters(tab: TasksTab, ids: dict[str, Any]) -> None:
    tab.project_combo.setCurrentIndex(tab.project_combo.findData(ids["projects"]["daily"]))
    assert {r["object_id"] for r in rows(tab)} == {"OBJ-P1", "OBJ-P2"}
    tab.object_combo.select_value("OBJ-P2")  # objects load when the list opens
    assert uids(tab) == {ids["tasks"][("空压机日检", "OBJ-P2")]}
    tab.project_combo.setCurrentIndex(0)
    tab.object_combo.select_value("OBJ-P1")
    assert {r["project_name"] for r in rows(tab)} == {"空压机日检", "换油"}


def test_text_search_is_debounced_and_matches_project_or_object(qtbot: Any,
                                                                tab: TasksTab) -> None:
    tab.search.setText("冷却")
    assert len(rows(tab)) == 5  # not yet: the search waits for a pause in typing
    qtbot.waitUntil(lambda: len(rows(tab)) == 1)
    assert rows(tab)[0]["object_name"] == "冷却塔"
    tab.search.setText("换油")
    tab.search.returnPressed.emit()  # Enter searches at once
    assert [r["project_name"] for r in rows(tab)] == ["换油"]


def test_show_tasks_filters_to_exactly_those_uids_and_clears(tab: TasksTab,
                                                             ids: dict[str, Any]) -> None:
    wanted = [ids["tasks"][("空压机日检", "OBJ-P2")], ids["tasks"][("换油", "OBJ-P1")]]
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("正常"))  # would hide them

    tab.show_tasks(wanted)

    assert uids(tab) == set(wanted)
    assert tab.model.filter_params()["where_in"] == [["uid", wanted]]
    assert not tab.reminded_bar.isHidden()
    assert "2" in tab.reminded_label.text()
    assert tab.status_combo.currentIndex() == 0
    assert tab.selected_task() is not None

    tab.clear_reminded()
    assert len(rows(tab)) == 5 and tab.reminded_bar.isHidden()


def test_show_tasks_with_an_unknown_uid_shows_only_the_known(tab: TasksTab,
                                                             ids: dict[str, Any]) -> None:
    known = ids["tasks"][("冷却塔月保", "OBJ-T1")]
    tab.show_tasks([known, "MTT9999999999999", known])
    assert uids(tab) == {known}


def test_handle_action_writes_through_the_dialog(qtbot: Any, tab: TasksTab,
                                                 services: Services) -> None:
    seen: list[HandleDialog] = []

    def run(dialog: HandleDialog) -> bool:
        seen.append(dialog)
        dialog.fee_spin.setValue(12)
        return dialog.submit()

    tab.run_dialog = run  # type: ignore[method-assign]
    tab.view.selectRow(0)
    task = tab.selected_task()
    assert task is not None

    assert tab.handle_selected()

    assert isinstance(seen[0], HandleDialog) and seen[0].task["uid"] == task["uid"]
    handle = services.handles.get({"uid": seen[0].saved_uid})
    assert handle["task_id"] == task["uid"] and handle["fee"] == 12
    qtbot.waitUntil(lambda: any(r["uid"] == task["uid"] and r["last_handle_at"]
                                == handle["created"] for r in rows(tab)))


def test_ignore_action_records_the_reason(tab: TasksTab, services: Services) -> None:
    outcomes: list[bool] = []

    def run(dialog: IgnoreDialog) -> bool:
        dialog.reason_edit.setPlainText("设备停用")
        outcomes.append(dialog.submit())
        return outcomes[-1]

    tab.run_dialog = run  # type: ignore[method-assign]
    tab.view.selectRow(1)
    task = tab.selected_task()
    assert task is not None
    assert tab.ignore_selected()
    assert outcomes == [True]
    handles = services.handles.list({"where_and": [["task_id", "=", task["uid"]]]})["data"]
    assert [(h["is_ignored"], h["description"]) for h in handles] == [(1, "设备停用")]


def test_actions_need_a_selection(tab: TasksTab) -> None:
    tab.view.clearSelection()
    assert not tab.handle_button.isEnabled()
    assert not tab.handle_selected() and not tab.ignore_selected()


def test_a_handle_from_another_thread_refreshes_the_row(qtbot: Any, tab: TasksTab,
                                                        services: Services,
                                                        ids: dict[str, Any]) -> None:
    target = ids["tasks"][("冷却塔月保", "OBJ-T1")]

    def api_client() -> None:
        with services.db.connection_context():
            services.handles.handle({"task_id": target, "description": "from the API"})

    worker = threading.Thread(target=api_client)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: any(r["uid"] == target and r["last_handle_at"]
                                for r in rows(tab)), timeout=3000)


def test_statuses_follow_the_clock_on_refresh(tab: TasksTab, fake_clock: FakeClock) -> None:
    before = {r["uid"]: r["status"] for r in rows(tab)}
    fake_clock.advance(days=40)
    tab.refresh()
    after = {r["uid"]: r["status"] for r in rows(tab)}
    assert after != before
    assert sum(s == "已到期" for s in after.values()) == 4


def test_the_table_stays_cheap_at_scale(tab: TasksTab) -> None:
    rows_header = tab.view.verticalHeader()
    assert rows_header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    header = tab.view.horizontalHeader()
    assert all(header.sectionResizeMode(c) != QHeaderView.ResizeMode.ResizeToContents
               for c in range(header.count()))


def test_sorting_by_a_header_requeries(tab: TasksTab) -> None:
    project_column = next(i for i, c in enumerate(tab.model.columns)
                          if c.key == "project_name")
    tab.view.horizontalHeader().setSortIndicator(project_column,
                                                 tab.view.horizontalHeader().sortIndicatorOrder())
    assert tab.model.filter_params()["order_by"].lstrip("-") == "project_name"


# -- words ----------------------------------------------------------------------------------


def test_due_in_words(qapp: Any) -> None:
    now = parse_wire("2024-05-11 09:00:00")
    assert humanize.due_in_words("2024-05-14 08:00:00", now) == "due in 3 days"
    assert humanize.due_in_words("2024-05-11 23:00:00", now) == "due today"
    assert humanize.due_in_words("2024-05-11 08:00:00", now) == "overdue since today"
    assert humanize.due_in_words("2024-05-09 10:00:00", now) == "overdue by 2 days"
    assert humanize.due_in_words("", now) == ""


def test_cycle_and_domain_labels(qapp: Any) -> None:
    natural = {"cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日"}
    assert humanize.cycle_label(natural) == "every 2 days"
    assert humanize.cycle_label({**natural, "period_unit": "月"}) == "every 2 months"
    meter = {"cycle_type": "统计周期", "period_num": 25, "statistics_id": "S1"}
    assert humanize.cycle_label(meter, "运行小时") == "every 25 运行小时"
    assert humanize.status_label("已到期") == "Overdue"
    assert humanize.domain_label("未知值") == "未知值"
    assert humanize.number(12.0) == "12" and humanize.number(12.5) == "12.5"


def test_column_widths_survive_a_new_tab(qtbot: Any, tab: TasksTab, services: Services,
                                         bridge: ChangeBridge, app_settings: Any) -> None:
    tab.view.setColumnWidth(1, 222)
    tab.save_state(app_settings)
    again = TasksTab(services, bridge)
    qtbot.addWidget(again)
    again.restore_state(app_settings)
    assert again.view.columnWidth(1) == 222


def test_a_language_change_retranslates_labels(tab: TasksTab,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    monkeypatch.setattr(TasksTab, "tr", lambda self, text, *a: f"«{text}»")
    QCoreApplication.sendEvent(tab, QEvent(QEvent.Type.LanguageChange))
    assert tab.handle_button.text() == "«Handle…»"
    assert tab.model.headerData(1, Qt.Orientation.Horizontal) == "«Project»"


# -- debouncing ------------------------------------------------------------------------------


def test_debouncer_runs_once_after_a_burst_and_flush_runs_now(qtbot: Any) -> None:
    from mixtimer_gui.gui.debounce import Debouncer

    fired: list[int] = []
    debouncer = Debouncer(lambda: fired.append(1), 60)
    for _ in range(5):
        debouncer()
    assert fired == [] and debouncer.pending
    qtbot.waitUntil(lambda: fired == [1])
    qtbot.wait(120)
    assert fired == [1]
    debouncer()
    debouncer.flush()
    assert fired == [1, 1] and not debouncer.pending
    debouncer.flush()  # nothing pending: nothing runs
    assert fired == [1, 1]


def test_a_steady_stream_of_changes_still_refreshes(qtbot: Any) -> None:
    from PySide6.QtCore import QTimer

    from mixtimer_gui.gui.debounce import Debouncer

    fired: list[int] = []
    debouncer = Debouncer(lambda: fired.append(1), 100, max_wait_ms=300)
    stream = QTimer()
    stream.setInterval(30)  # faster than the 100 ms pause the debouncer waits for
    stream.timeout.connect(debouncer)
    stream.start()
    qtbot.wait(1000)
    stream.stop()
    assert len(fired) >= 2


def test_progress_is_shown_for_running_cycles_only(tab: TasksTab) -> None:
    delegate = tab.view.itemDelegateForColumn(6)
    by_project = {r["project_name"]: r for r in rows(tab)}
    fraction, text = delegate.progress(by_project["换油"])
    assert fraction == pytest.approx(300 / 500) and text == "1300 / 1500 小时"
    assert delegate.progress(by_project["冷却塔月保"])[0] is not None
    assert delegate.progress(by_project["叉车年检"]) == (None, "")


def test_the_sort_order_is_remembered(qtbot: Any, services: Services, bridge: ChangeBridge,
                                      ids: dict[str, Any], app_settings: Any) -> None:
    first = TasksTab(services, bridge)
    qtbot.addWidget(first)
    column = next(n for n, c in enumerate(first.model.columns) if c.order_field() == "due_at")
    first.model.sort(column, Qt.SortOrder.DescendingOrder)
    assert first.model.order_by() == "-due_at"
    first.save_state(app_settings)

    again = TasksTab(services, bridge)
    qtbot.addWidget(again)
    assert again.model.order_by() != "-due_at"  # the tab's own default first
    again.restore_state(app_settings)
    assert again.model.order_by() == "-due_at"
    shown = again.view.horizontalHeader()
    assert (shown.sortIndicatorSection(), shown.sortIndicatorOrder()) == (
        column, Qt.SortOrder.DescendingOrder)


def test_a_stale_saved_order_is_ignored(qtbot: Any, services: Services, bridge: ChangeBridge,
                                        ids: dict[str, Any], app_settings: Any) -> None:
    app_settings.set_sort_order("tasks", "-no_such_field")
    tab = TasksTab(services, bridge)
    qtbot.addWidget(tab)
    default = tab.model.order_by()
    tab.restore_state(app_settings)
    assert tab.model.order_by() == default
