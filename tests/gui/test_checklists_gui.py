"""Checklists and whichever-first plans in the window (#17): the project form builds the
same request an API client would, the handle dialog is worked with the keyboard (Tab
through the items, Space toggles a check, numbers typed), and what it writes is what the
services keep."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from mixtimer_gui.gui.checklist_widgets import CheckToggle
from mixtimer_gui.gui.handle_dialog import HandleDialog
from mixtimer_gui.gui.project_form import ProjectForm
from mixtimer_gui.services import Services

CHECKLIST = [
    {"name": "油位", "kind": "check", "required": True},
    {"name": "排气温度", "kind": "measure", "unit": "℃", "max": 95},
    {"name": "备注", "kind": "text"},
]


def _shown(dialog: QDialog, qtbot: Any) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def task(services: Services) -> dict[str, Any]:
    uid = services.projects.create({"name": "空压机月检", "cycle_type": "自然时间周期",
                                    "period_num": 1, "period_unit": "月",
                                    "object_id_list": ["KYJ-1"],
                                    "checklist": CHECKLIST})["uid"]
    services.projects.start({"uid": uid})
    return services.tasks.list({})["data"][0]


def test_the_handle_dialog_is_worked_with_the_keyboard(qtbot: Any, services: Services,
                                                       task: dict[str, Any]) -> None:
    dialog = _shown(HandleDialog(services, task), qtbot)
    check, measure, text = dialog.checklist.inputs
    assert dialog.focusWidget() is check  # the job's first item has the focus
    assert isinstance(check, CheckToggle) and check.value == ""
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.value == "正常"
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.value == "异常"
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.value == "正常"
    qtbot.keyClick(check, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is measure
    qtbot.keyClicks(measure, "96.5")
    assert "c62828" in measure.styleSheet()  # above 95: said at once, in red
    qtbot.keyClick(measure, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is text
    qtbot.keyClicks(text, "belt ok")
    assert dialog.submit()
    saved = services.handles.get({"uid": dialog.saved_uid})
    assert [(r["name"], r["value"]) for r in saved["checklist_results"]] == [
        ("油位", "正常"), ("排气温度", 96.5), ("备注", "belt ok")]
    assert saved["is_abnormal"] == 1


def test_a_required_item_left_out_is_named_and_nothing_is_written(
        qtbot: Any, services: Services, task: dict[str, Any]) -> None:
    dialog = _shown(HandleDialog(services, task), qtbot)
    measure = dialog.checklist.inputs[1]
    assert isinstance(measure, QLineEdit)
    qtbot.keyClicks(measure, "80")
    assert not dialog.submit()
    assert "油位" in dialog.error_text("checklist_results")
    assert dialog.focusWidget() is dialog.checklist.inputs[0]
    assert services.handles.list({})["total_records"] == 0


def test_a_handle_dialog_without_checklist_has_no_checklist_row(
        qtbot: Any, services: Services) -> None:
    uid = services.projects.create({"name": "巡检", "cycle_type": "自然时间周期",
                                    "period_num": 1, "period_unit": "日",
                                    "object_id_list": ["A"]})["uid"]
    services.projects.start({"uid": uid})
    dialog = _shown(HandleDialog(services, services.tasks.list({})["data"][0]), qtbot)
    assert "checklist_results" not in dialog.captions
    assert dialog.submit()


def test_the_project_form_saves_a_whichever_first_plan_with_its_checklist(
        qtbot: Any, services: Services) -> None:
    services.statistics.create({"uid": "RUNH", "name": "运行小时", "unit": "h"})
    services.statistics.add_value({"statistics_id": "RUNH", "value": 1000})
    form = _shown(ProjectForm(services), qtbot)
    assert not form.meter_spin.isVisibleTo(form)
    qtbot.keyClicks(form.name_edit, "Forklift")
    form.cycle_type_combo.setCurrentIndex(form.cycle_type_combo.findData("先到周期"))
    assert form.meter_spin.isVisibleTo(form) and form.statistic_combo.isVisibleTo(form)
    assert form.period_unit_combo.isVisibleTo(form)
    form.statistic_combo.setCurrentIndex(form.statistic_combo.findData("RUNH"))
    form.period_num_spin.setValue(6)
    form.period_unit_combo.setCurrentIndex(form.period_unit_combo.findData("月"))
    assert not form.submit()  # the meter interval is required, and said so under it
    assert "Meter interval" in form.error_text("statistics_period_num")
    assert services.projects.list({})["total_records"] == 0
    form.meter_spin.setValue(500)
    editor = form.checklist_editor
    editor.add_item({"name": "油位", "kind": "check", "required": True})
    editor.add_item({"name": "胎压", "kind": "measure", "unit": "bar", "min": 6, "max": 8})
    assert form.validate_now()
    assert "1500, 2000" in form.preview_label.text()  # the meter's limits in the preview
    editor.table.setCurrentCell(1, 0)
    editor.move_current(-1)
    form.submit()
    saved = services.projects.get({"uid": form.saved_uid})
    assert (saved["cycle_type"], saved["period_num"], saved["period_unit"],
            saved["statistics_id"], saved["statistics_period_num"]) == (
        "先到周期", 6, "月", "RUNH", 500)
    assert [(i["name"], i["kind"], i["min"], i["max"], i["required"])
            for i in saved["checklist"]] == [("胎压", "measure", 6, 8, False),
                                             ("油位", "check", None, None, True)]


def test_a_bad_checklist_item_is_named_under_the_checklist(qtbot: Any,
                                                           services: Services) -> None:
    form = _shown(ProjectForm(services), qtbot)
    form.name_edit.setText("日检")
    form.checklist_editor.add_item({"name": "温度", "kind": "measure", "min": "9",
                                    "max": "3"})
    assert not form.validate_now()
    form.submit()
    assert "温度" in form.error_text("checklist")
    assert services.projects.list({})["total_records"] == 0


def test_editing_keeps_the_checklist(qtbot: Any, services: Services,
                                     task: dict[str, Any]) -> None:
    project = services.projects.get({"uid": task["project_id"]})
    services.projects.stop({"uid": project["uid"]})
    form = _shown(ProjectForm(services, project), qtbot)
    assert [i["name"] for i in form.checklist_editor.items()] == ["油位", "排气温度", "备注"]
    assert form.validate_now()
    form.submit()
    assert services.projects.get({"uid": project["uid"]})["checklist"] == project["checklist"]


def test_the_records_tab_filters_abnormal_records_and_shows_their_checks(
        qtbot: Any, services: Services, task: dict[str, Any], bridge: Any) -> None:
    from mixtimer_gui.gui.handles_tab import HandlesTab

    bad = services.handles.handle({"task_id": task["uid"], "result": "done",
                                   "checklist_results": [{"name": "油位", "value": "正常"},
                                                         {"name": "排气温度",
                                                          "value": 99}]})["uid"]
    services.handles.handle({"task_id": task["uid"],
                             "checklist_results": [{"name": "油位", "value": "正常"}]})
    tab = HandlesTab(services, bridge)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    tab.abnormal_only.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.record(0)["uid"] == bad
    result = tab.model.index(0, [c.key for c in tab.model.columns].index("result"))
    assert result.data().startswith("⚠ Abnormal")
    tab.view.selectRow(0)
    html = tab.detail.fields.toPlainText()
    assert "Checklist" in html and "排气温度" in html and "99 ℃" in html and "≤ 95" in html
    tab.clear_filters()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    assert not tab.abnormal_only.isChecked()


def test_the_task_list_says_which_limit_of_a_whichever_first_plan_is_due(
        qtbot: Any, services: Services, bridge: Any, fake_clock: Any) -> None:
    from mixtimer_gui.gui.tasks_tab import TasksTab

    services.statistics.create({"uid": "RUNH", "name": "运行小时", "unit": "h"})
    services.statistics.add_value({"statistics_id": "RUNH", "value": 1000})
    uid = services.projects.create({"name": "叉车保养", "cycle_type": "先到周期",
                                    "statistics_id": "RUNH", "period_num": 6,
                                    "period_unit": "月", "statistics_period_num": 500,
                                    "object_id_list": ["FL-1"]})["uid"]
    services.projects.start({"uid": uid})
    fake_clock.advance(days=10)
    services.statistics.add_value({"statistics_id": "RUNH", "value": 1300})  # 30 h a day
    tab = TasksTab(services, bridge)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    record = tab.model.record(0)
    assert record["due_by"] == "读数"
    keys = [c.key for c in tab.model.columns]
    due = tab.model.index(0, keys.index("due_at")).data()
    assert due == f"{record['due_value_at'][:16]} (by meter)"
    # 200 h more at 30 h a day: 6⅔ days from 05-21 09:00 is 05-28 01:00, 7 dates ahead.
    assert record["due_value_at"] == "2024-05-28 01:00:00"
    assert tab.model.index(0, keys.index("due_words")).data() == "due in 7 days"
    cycle = tab.model.index(0, keys.index("cycle")).data()
    assert cycle == "every 6 months or 500 h, whichever first"
    delegate = tab.view.itemDelegateForColumn(keys.index("progress"))
    fraction, text = delegate.progress(record)
    assert fraction == pytest.approx(0.6) and text == "1300 / 1500 h"  # the meter is ahead


def test_the_overview_counts_abnormal_records_of_the_last_30_days(
        qtbot: Any, services: Services, task: dict[str, Any], bridge: Any,
        fake_clock: Any) -> None:
    from mixtimer_gui.gui.overview_tab import OverviewTab

    def handle(value: str) -> None:
        services.handles.handle({"task_id": task["uid"],
                                 "checklist_results": [{"name": "油位", "value": value}]})

    handle("异常")  # 31 days before the overview looks: outside the window
    fake_clock.advance(days=31)
    handle("异常")
    handle("正常")
    tab = OverviewTab(services, bridge)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.charts_busy(), timeout=5000)
    assert "1 record with abnormal checks in the last 30 days" in tab.abnormal_label.text()
    opened: list[int] = []
    tab.open_abnormal.connect(opened.append)
    tab.abnormal_label.linkActivated.emit("abnormal")
    assert opened == [30]
