"""#15 in the window: the 完成时间 field of the handle dialog, 编辑 and 作废 on the
Handles tab, the voided filter, operators shown by name."""

from __future__ import annotations

from typing import Any

import pytest
from lists_seed import seed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.handle_dialog import EditHandleDialog, HandleDialog, VoidDialog
from mixtimer_gui.gui.handles_tab import HandlesTab
from mixtimer_gui.services import Services


@pytest.fixture
def task(services: Services, fake_clock: FakeClock) -> dict[str, Any]:
    ids = seed(services, fake_clock)
    return services.tasks.get({"uid": ids["tasks"][("冷却塔月保", "OBJ-T1")]})


def shown(qtbot: Any, dialog: QDialog) -> None:
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)


def save_by_click(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_done_at_left_at_now_records_the_save_moment(qtbot: Any, services: Services,
                                                     task: dict[str, Any]) -> None:
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    assert dialog.done_at.dateTime().toSecsSinceEpoch() // 60 == services.clock.now() // 60
    assert dialog.submit()
    saved = services.handles.get({"uid": dialog.saved_uid})
    assert saved["handled_at"] == saved["created"]


def test_back_dated_done_at_starts_the_next_cycle_then(qtbot: Any, services: Services,
                                                       fake_clock: FakeClock,
                                                       task: dict[str, Any]) -> None:
    fake_clock.advance(hours=5)
    earlier = fake_clock.now() - 3 * 3600
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    dialog.done_at.set_moment(earlier)
    qtbot.keyClick(dialog.result_edit, Qt.Key.Key_Return)
    assert dialog.saved_uid
    assert services.handles.get({"uid": dialog.saved_uid})["handled_at"] == clock.format_wire(
        earlier)
    assert services.tasks.get({"uid": task["uid"]})["cycle_start"] == clock.format_wire(earlier)


def test_a_refused_done_at_shows_under_the_field_and_writes_nothing(
        qtbot: Any, services: Services, task: dict[str, Any]) -> None:
    before = services.handles.list({"page_size": 1})["total_records"]
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    dialog.done_at.set_moment(clock.parse_wire("2001-01-01 00:00:00"))
    assert not dialog.submit()
    assert dialog.error_text("handled_at")
    assert services.handles.list({"page_size": 1})["total_records"] == before


@pytest.fixture
def tab(qtbot: Any, services: Services, bridge: ChangeBridge,
        task: dict[str, Any]) -> HandlesTab:
    services.handlers.create({"id": 5, "name": "赵六"})
    services.handles.handle({"task_id": task["uid"], "fee": 100, "result": "正常",
                             "created_by": 5})
    widget = HandlesTab(services, bridge)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0)
    widget.view.selectRow(0)
    return widget


def test_edit_corrects_the_fee_and_leaves_the_task(qtbot: Any, services: Services,
                                                   tab: HandlesTab,
                                                   task: dict[str, Any]) -> None:
    record = tab.selected_handle()
    state = services.tasks.get({"uid": task["uid"]})
    dialog = EditHandleDialog(services, record, tab)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    dialog.fee_spin.selectAll()
    qtbot.keyClicks(dialog.fee_spin, "120")
    qtbot.keyClick(dialog.fee_spin, Qt.Key.Key_Return)
    assert services.handles.get({"uid": record["uid"]})["fee"] == 120
    assert services.tasks.get({"uid": task["uid"]}) == state


def test_void_needs_a_reason_then_hides_the_record(qtbot: Any, services: Services,
                                                   tab: HandlesTab) -> None:
    record = tab.selected_handle()
    dialog = VoidDialog(services, record, tab)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    save_by_click(qtbot, dialog)
    assert dialog.error_text("reason")
    assert services.handles.get({"uid": record["uid"]})["is_voided"] == 0
    qtbot.keyClicks(dialog.reason_edit, "wrong object")  # QTest types ASCII only
    save_by_click(qtbot, dialog)
    assert services.handles.get({"uid": record["uid"]})["is_voided"] == 1
    tab.refresh()
    qtbot.waitUntil(lambda: record["uid"] not in [
        tab.model.record(r)["uid"] for r in range(tab.model.rowCount())])
    tab.show_voided.setChecked(True)
    qtbot.waitUntil(lambda: record["uid"] in [
        tab.model.record(r)["uid"] for r in range(tab.model.rowCount())])


def test_the_operator_shows_by_name(tab: HandlesTab) -> None:
    assert tab.detail.value("created_by") == "赵六"
    assert tab.edit_button.isEnabled() and tab.void_button.isEnabled()


# -- the workstation's operator ----------------------------------------------------------


def test_the_operator_chosen_in_settings_writes_every_record(
        qtbot: Any, services: Services, app_settings: Any, task: dict[str, Any]) -> None:
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(app_settings, services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    dialog.operator_combo.setFocus()
    dialog.operator_combo.lineEdit().selectAll()
    qtbot.keyClicks(dialog.operator_combo, "Wang Wu")  # a new person, typed
    dialog.accept()
    assert app_settings.operator_name == "Wang Wu"
    person = [p for p in services.handlers.list({"page_size": 100})["data"]
              if p["name"] == "Wang Wu"]
    assert len(person) == 1
    uid = services.handles.handle({"task_id": task["uid"]})["uid"]
    assert services.handles.get({"uid": uid})["created_by"] == person[0]["id"]
    row = services.history.list({"where_and": [["entity_uid", "=", uid]]})["data"][0]
    assert (row["operator_id"], row["operator_name"], row["source"]) == (
        person[0]["id"], "Wang Wu", "window")


def test_the_operator_defaults_to_the_os_user(services: Services,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.gui import operator as main_window

    monkeypatch.setattr(main_window.getpass, "getuser", lambda: "zhang")
    services.handlers.create({"id": 4, "name": "zhang"})
    main_window.apply_operator(services, "")
    assert (services.ctx.actor.operator_id, services.ctx.actor.operator_name) == (4, "zhang")


def test_an_empty_operator_field_shows_who_writes_by_default(
        services: Services, qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.gui import operator
    from mixtimer_gui.gui.settings import AppSettings
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    monkeypatch.setattr(operator.getpass, "getuser", lambda: "zhang")
    dialog = SettingsDialog(AppSettings(tmp_path / "s.ini"), services)
    qtbot.addWidget(dialog)
    assert dialog.operator_combo.currentText() == ""
    assert dialog.operator_combo.lineEdit().placeholderText() == "zhang"


# -- 历史: the history view ----------------------------------------------------------------


def test_history_view_of_one_record_filters_and_exports(
        qtbot: Any, services: Services, tab: HandlesTab, tmp_path: Any) -> None:
    import csv

    from mixtimer_gui.gui.history_view import HistoryDialog

    record = tab.selected_handle()
    services.handles.update({"uid": record["uid"], "fee": 150})
    dialog = HistoryDialog(services, record["uid"], tab)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)  # handled, then corrected
    newest = dialog.model.record(0)
    assert (newest["action"], newest["changes"]) == ("update_v2_handle", {"fee": [100, 150]})
    assert "fee: 100 → 150" in dialog.model.data(dialog.model.index(0, 5))
    # a supervisor reads what was done, not the wire's name for it
    assert [dialog.model.data(dialog.model.index(row, 3)) for row in (0, 1)] == [
        "Correct a handle", "Record a handle"]
    assert dialog.action_combo.itemText(dialog.action_combo.findData("v2_handle")) == (
        "Record a handle")
    assert dialog.action_name("v9_future_action") == "v9_future_action"
    # the filter by keyboard, as a user picks it: the first action below 全部操作
    dialog.action_combo.setFocus()
    qtbot.keyClick(dialog.action_combo, Qt.Key.Key_Down)
    assert dialog.action_combo.currentData() == "v2_handle"
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    out = tmp_path / "history.csv"
    assert dialog.export_csv(out) == 1
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["编号", "时间"] and rows[1][5] == "v2_handle"
    assert rows[1][7] == record["uid"]


def test_ok_on_settings_without_touching_the_operator_registers_nobody(
        qtbot: Any, services: Services, app_settings: Any) -> None:
    from mixtimer_gui.gui.operator import apply_operator
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    apply_operator(services, "somebody")  # not among the people: id 0
    people = services.handlers.list({})["total_records"]
    dialog = SettingsDialog(app_settings, services)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert services.handlers.list({})["total_records"] == people
    assert services.ctx.actor.operator_name == "somebody"
