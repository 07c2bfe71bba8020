"""The reminder centre through pytest-qt: listing, unread count, read marks, links, live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QWidget
from visible_text import uid_like, visible_texts

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.reminder_center import TASK_COLUMN, ReminderCenter
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services


def make_project(services: Services, objects: list[str]) -> str:
    uid = services.projects.create({
        "name": "润滑", "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
        "notice_num": 1, "notice_unit": "日", "object_id_list": objects})["uid"]
    services.projects.start({"uid": uid})
    return uid


@pytest.fixture
def center(qtbot: Any, services: Services) -> Iterator[ReminderCenter]:
    holder = QWidget()
    qtbot.addWidget(holder)
    bridge = ChangeBridge(services.bus, holder)
    widget = ReminderCenter(services, bridge, holder)
    widget.resize(900, 400)
    yield widget
    bridge.close()


def fire(services: Services, clock: FakeClock, days: int) -> int:
    clock.advance(days=days)
    return len(ReminderEngine(services).scan())


def cell(center: ReminderCenter, row: int, key: str) -> str:
    column = [c.key for c in center.model.columns].index(key)
    return center.model.data(center.model.index(row, column))


def select_row(center: ReminderCenter, row: int) -> None:
    center.view.selectionModel().select(
        center.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)


def test_empty_centre_says_so(center: ReminderCenter) -> None:
    assert center.model.rowCount() == 0
    assert not center.empty_label.isHidden()
    assert center.unread_label.text() == "Unread: 0"
    assert not center.mark_all_button.isEnabled() and not center.open_button.isEnabled()


def test_lists_reminders_live_with_time_kind_project_object_and_task(
        center: ReminderCenter, services: Services, fake_clock: FakeClock,
        qtbot: Any) -> None:
    make_project(services, ["A", "B"])
    with qtbot.waitSignal(center.unread_changed) as blocker:
        assert fire(services, fake_clock, 1) == 2
    assert blocker.args == [2]
    qtbot.waitUntil(lambda: center.model.rowCount() == 2)
    assert center.empty_label.isHidden()
    assert cell(center, 0, "kind") == "Due soon"
    assert {cell(center, row, TASK_COLUMN) for row in (0, 1)} == {"润滑 · A", "润滑 · B"}
    assert cell(center, 0, "fired_at") == "2024-05-12 09:00"
    assert cell(center, 0, "due_at") == "2024-05-13 09:00"
    assert not any(uid_like(text) for text in visible_texts(center))
    assert center.unread_label.text() == "Unread: 2"
    font = center.model.data(center.model.index(0, 0), Qt.ItemDataRole.FontRole)
    assert font.bold()

    fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.model.rowCount() == 4)
    assert cell(center, 0, "kind") == "Due"  # newest first


def test_mark_selected_read_and_mark_all_read(center: ReminderCenter, services: Services,
                                             fake_clock: FakeClock, qtbot: Any) -> None:
    make_project(services, ["A", "B", "C"])
    fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.unread == 3)

    select_row(center, 0)
    assert center.mark_read_button.isEnabled()
    center.mark_read_button.click()
    assert center.unread == 2 and services.reminders.unread_count() == 2
    font = center.model.data(center.model.index(0, 0), Qt.ItemDataRole.FontRole)
    assert not font.bold()

    center.unread_only.setChecked(True)
    assert center.model.rowCount() == 2
    center.mark_all_button.click()
    assert center.unread == 0 and center.model.rowCount() == 0
    assert not center.mark_all_button.isEnabled()
    center.unread_only.setChecked(False)
    assert center.model.rowCount() == 3


def test_task_link_opens_the_task_and_marks_it_read(center: ReminderCenter, services: Services,
                                                    fake_clock: FakeClock, qtbot: Any) -> None:
    make_project(services, ["A"])
    fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.model.rowCount() == 1)
    center.show()
    column = [c.key for c in center.model.columns].index(TASK_COLUMN)
    rect = center.view.visualRect(center.model.index(0, column))
    with qtbot.waitSignal(center.open_tasks) as blocker:
        qtbot.mouseClick(center.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    task = services.tasks.list({})["data"][0]["uid"]
    assert blocker.args == [[task]]
    assert services.reminders.unread_count() == 0

    font = center.model.data(center.model.index(0, column), Qt.ItemDataRole.FontRole)
    assert font.underline()


def test_open_button_opens_every_selected_task_once(center: ReminderCenter,
                                                    services: Services,
                                                    fake_clock: FakeClock,
                                                    qtbot: Any) -> None:
    make_project(services, ["A", "B"])
    fire(services, fake_clock, 1)
    fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.model.rowCount() == 4)
    center.view.selectAll()
    with qtbot.waitSignal(center.open_tasks) as blocker:
        center.open_button.click()
    assert sorted(blocker.args[0]) == sorted(t["uid"] for t in
                                             services.tasks.list({})["data"])


def test_kind_filter(center: ReminderCenter, services: Services, fake_clock: FakeClock,
                     qtbot: Any) -> None:
    make_project(services, ["A"])
    for _ in range(3):
        fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.model.rowCount() == 3)
    center.kind_combo.setCurrentIndex(center.kind_combo.findData("逾期"))
    assert center.model.rowCount() == 1 and cell(center, 0, "kind") == "Overdue"
    center.kind_combo.setCurrentIndex(0)
    assert center.model.rowCount() == 3


def test_sorting_by_a_column_queries_in_order(center: ReminderCenter, services: Services,
                                              fake_clock: FakeClock, qtbot: Any) -> None:
    make_project(services, ["A"])
    fire(services, fake_clock, 1)
    fire(services, fake_clock, 1)
    qtbot.waitUntil(lambda: center.model.rowCount() == 2)
    center.model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [cell(center, r, "kind") for r in (0, 1)] == ["Due soon", "Due"]


def test_showing_the_centre_picks_up_reminders_fired_elsewhere(
        center: ReminderCenter, services: Services, fake_clock: FakeClock) -> None:
    """``serve`` may fire reminders in another process: no local bus event arrives."""
    make_project(services, ["A"])
    fake_clock.advance(days=1)
    services.reminders.record_pending(fake_clock.now(), 86400)
    center.on_changed("nothing")  # an unrelated change: no refresh
    assert center.model.rowCount() == 0
    center.parentWidget().show()  # e.g. the user switches to the Reminders tab
    assert center.model.rowCount() == 1 and center.unread == 1


def test_each_workstation_shows_its_own_operators_read_state(
        center: ReminderCenter, services: Services, fake_clock: FakeClock, qtbot: Any,
        db_path: Any) -> None:
    """Issue 16: read state is per operator. 张三 at this window reads a reminder; 李四 at
    another workstation on the same database still has it unread, and so does this window
    once 李四 takes it over (Settings → 操作员)."""
    from mixtimer_gui.gui.operator import apply_operator

    apply_operator(services, "张三", register=True)
    other = Services.open(db_path, clock=fake_clock)
    holder = QWidget()
    qtbot.addWidget(holder)
    try:
        apply_operator(other, "李四", register=True)
        there = ReminderCenter(other, None, holder)
        make_project(services, ["A", "B"])
        fire(services, fake_clock, 1)
        qtbot.waitUntil(lambda: center.unread == 2)
        center.show()
        center.view.setFocus()
        qtbot.keyClick(center.view, Qt.Key.Key_Home)  # the newest row, by the keyboard
        qtbot.keyClick(center.view, Qt.Key.Key_Space)
        assert center._selected_rows() == [0]
        qtbot.mouseClick(center.mark_read_button, Qt.MouseButton.LeftButton)
        assert center.unread == 1 and center.unread_label.text() == "Unread: 1"
        bold = center.model.data(center.model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
        assert not bold

        there.refresh()  # 李四's workstation, on its next look
        assert there.unread == 2 and there.unread_label.text() == "Unread: 2"
        assert all(there.model.data(there.model.index(row, 0),
                                    Qt.ItemDataRole.FontRole).bold() for row in (0, 1))

        with qtbot.waitSignal(center.unread_changed) as blocker:
            apply_operator(services, "李四")  # this window changes hands
        assert blocker.args == [2]
        qtbot.waitUntil(lambda: center.model.rowCount() == 2 and center.model.data(
            center.model.index(0, 0), Qt.ItemDataRole.FontRole).bold())
    finally:
        other.close()
