"""The project form: both cycle types saved through the services, rule errors next to their
field with nothing saved, the due-date preview, inline objects, tab order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.project_form import ProjectForm
from mixtimer_gui.services import Services


@pytest.fixture
def catalogue(services: Services) -> Services:
    for uid, name in (("PUMP-1", "水泵1号"), ("PUMP-2", "水泵2号"), ("FAN-1", "风机1号")):
        services.objects.create({"uid": uid, "name": name})
    services.statistics.create({"uid": "RUNH", "name": "运行小时", "unit": "h"})
    return services


def _form(services: Services, qtbot: Any, project: dict | None = None) -> ProjectForm:
    form = ProjectForm(services, project)
    qtbot.addWidget(form)
    return form


def _check(form: ProjectForm, *uids: str) -> None:
    for row in range(form.object_list.count()):
        item = form.object_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole + 1) in uids:
            item.setCheckState(Qt.CheckState.Checked)


def _choose(combo: Any, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def _projects(services: Services) -> list[dict]:
    return services.projects.list({"page_size": 100})["data"]


def test_create_a_natural_cycle_project(catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    assert not form.save_button.isEnabled()  # no name yet
    qtbot.keyClicks(form.name_edit, "Pump weekly")  # typed: keyClicks is ASCII only
    form.period_num_spin.setValue(2)
    _choose(form.period_unit_combo, "周")
    form.notice_num_spin.setValue(1)
    _choose(form.notice_unit_combo, "日")
    _choose(form.anchor_combo, "按计划时间")
    form.guide_edit.setPlainText("检查密封")
    _check(form, "PUMP-1", "PUMP-2")
    assert form.validate_now() and form.save_button.isEnabled()
    form.submit()
    assert form.result() == form.DialogCode.Accepted
    saved = catalogue.projects.get({"uid": form.saved_uid})
    assert (saved["name"], saved["cycle_type"], saved["period_num"], saved["period_unit"],
            saved["notice_num"], saved["notice_unit"], saved["anchor_type"], saved["guide"]) == (
        "Pump weekly", "自然时间周期", 2, "周", 1, "日", "按计划时间", "检查密封")
    assert saved["object_id_list"] == ["PUMP-1", "PUMP-2"]
    assert saved["is_active"] == 0


def test_create_a_statistic_cycle_project(catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    form.name_edit.setText("空压机保养")
    _choose(form.cycle_type_combo, "统计周期")
    assert form.statistic_combo.isVisibleTo(form)
    assert not form.period_unit_combo.isVisibleTo(form)
    _choose(form.statistic_combo, "RUNH")
    form.period_num_spin.setValue(500)
    _check(form, "FAN-1")
    form.submit()
    saved = catalogue.projects.get({"uid": form.saved_uid})
    assert (saved["cycle_type"], saved["statistics_id"], saved["period_num"],
            saved["period_unit"]) == ("统计周期", "RUNH", 500, "")
    assert saved["object_id_list"] == ["FAN-1"]


def test_an_invalid_period_shows_the_rule_next_to_it_and_saves_nothing(
        catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    qtbot.keyClicks(form.name_edit, "Round")
    form.period_num_spin.setValue(0)
    qtbot.waitUntil(lambda: bool(form.error_text("period_num")), timeout=2000)
    assert form.error_text("period_num") == "Cycle length cannot be less than 1 (it is 0)."
    assert form.error_labels["period_num"].isVisibleTo(form)
    assert not form.error_labels["name"].isVisibleTo(form)
    assert not form.save_button.isEnabled()
    form.submit()
    assert _projects(catalogue) == []
    assert not form.saved_uid
    form.period_num_spin.setValue(3)
    assert form.validate_now()
    assert form.error_text("period_num") == ""


def test_a_notice_beyond_the_rule_names_notice_num(catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    form.name_edit.setText("年检")
    _choose(form.notice_unit_combo, "月")
    form.notice_num_spin.setValue(5000)
    assert not form.validate_now()
    assert form.error_text("notice_num").startswith("Remind before is too large: at most")


def test_an_untouched_empty_name_is_said_quietly_until_save(catalogue: Services,
                                                            qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    assert form.error_text("name") == ""
    assert form.note.text() == "Name is required: please fill it in."  # beside Save
    form.submit()
    assert form.error_text("name") == "Name is required: please fill it in."
    assert _projects(catalogue) == []


def test_a_service_refusal_is_shown_and_nothing_changes(catalogue: Services,
                                                        qtbot: Any) -> None:
    uid = catalogue.projects.create({"name": "月检", "cycle_type": "自然时间周期",
                                     "period_num": 1, "period_unit": "月",
                                     "object_id_list": ["PUMP-1"]})["uid"]
    project = catalogue.projects.get({"uid": uid})
    catalogue.projects.start({"uid": uid})  # running: update is refused by the service
    form = _form(catalogue, qtbot, project)
    form.name_edit.setText("改名")
    form.submit()
    assert "stop it" in form.error_text("")  # the banner: no field of the form is wrong
    assert catalogue.projects.get({"uid": uid})["name"] == "月检"
    assert not form.saved_uid


def test_edit_keeps_and_changes_fields(catalogue: Services, qtbot: Any) -> None:
    uid = catalogue.projects.create({"name": "月检", "cycle_type": "自然时间周期",
                                     "period_num": 1, "period_unit": "月",
                                     "object_id_list": ["PUMP-2"]})["uid"]
    form = _form(catalogue, qtbot, catalogue.projects.get({"uid": uid}))
    assert form.name_edit.text() == "月检"
    assert form.object_list.item(0).data(Qt.ItemDataRole.UserRole + 1) == "PUMP-2"
    _check(form, "FAN-1")
    form.period_num_spin.setValue(2)
    form.submit()
    saved = catalogue.projects.get({"uid": uid})
    assert saved["period_num"] == 2
    assert saved["object_id_list"] == ["PUMP-2", "FAN-1"]


def _local(*args: int) -> int:
    return clock.from_local(datetime(*args))


def test_preview_follows_the_anchor_type(catalogue: Services, fake_clock: FakeClock,
                                         qtbot: Any) -> None:
    fake_clock.set(_local(2024, 1, 31, 8, 0))
    form = _form(catalogue, qtbot)
    form.name_edit.setText("月检")
    form.period_num_spin.setValue(1)
    _choose(form.period_unit_combo, "月")
    form.notice_num_spin.setValue(0)
    _choose(form.anchor_combo, "按计划时间")
    plan = [clock.format_wire(due)[:10] for due, _ in form.preview_dates()]
    assert plan == ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"]
    _choose(form.anchor_combo, "按完成时间")
    chained = [clock.format_wire(due)[:10] for due, _ in form.preview_dates()]
    assert chained == ["2024-02-29", "2024-03-29", "2024-04-29", "2024-05-29", "2024-06-29"]
    form.validate_now()
    assert "2024-03-29 08:00" in form.preview_label.text()


def test_preview_shows_the_notice_and_updates_with_the_cycle(catalogue: Services,
                                                             qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    form.name_edit.setText("日检")
    form.period_num_spin.setValue(10)
    _choose(form.period_unit_combo, "日")
    form.notice_num_spin.setValue(2)
    _choose(form.notice_unit_combo, "日")
    form.validate_now()
    (due, notice), *_ = form.preview_dates()
    assert due - notice == 2 * 86400
    assert "2024-05-21 09:00" in form.preview_label.text()
    form.period_num_spin.setValue(0)
    form.validate_now()
    assert form.preview_dates() == []
    assert "2024-05-21" not in form.preview_label.text()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_notice_as_long_as_the_period_is_accepted_and_explained(
        catalogue: Services, qtbot: Any, language: str) -> None:
    """The API takes such a plan (the notice is clamped to the cycle start); the form takes
    it too, and says beside the notice what the reminder will do."""
    from mixtimer_gui.gui import i18n

    i18n.install_language(language)
    form = _form(catalogue, qtbot)
    form.show()
    form.name_edit.setText("周检")
    form.period_num_spin.setValue(3)
    _choose(form.period_unit_combo, "日")
    form.notice_num_spin.setValue(2)
    _choose(form.notice_unit_combo, "日")
    assert form.validate_now() and form.notice_hint.isHidden()  # a plain notice: no note
    form.notice_num_spin.setValue(5)
    assert form.validate_now()  # accepted, as by the API
    assert form.notice_hint.isVisibleTo(form)
    assert form.notice_hint.text() in (
        "Not shorter than the cycle: the reminder comes as each cycle begins.",
        "提前量不短于周期:每个周期一开始就提醒。")
    (_due, notice), *_ = form.preview_dates()
    assert notice == catalogue.clock.now()  # what the note says: at the cycle's start
    assert form.submit()
    saved = catalogue.projects.get({"uid": form.saved_uid})
    assert (saved["period_num"], saved["notice_num"]) == (3, 5)


def test_a_meter_notice_says_it_counts_back_from_the_forecast(catalogue: Services,
                                                             qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    form.show()
    _choose(form.cycle_type_combo, "统计周期")
    _choose(form.statistic_combo, "RUNH")
    form.notice_num_spin.setValue(3)
    form.validate_now()
    assert form.notice_hint.isVisibleTo(form)
    assert "forecast due date" in form.notice_hint.text()
    form.notice_num_spin.setValue(0)  # no notice: nothing to say
    form.validate_now()
    assert form.notice_hint.isHidden()


def test_new_object_inline(catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    form.create_object()  # empty name: the service's message, nothing created
    assert form.new_object_error.text() == "Name is required: please fill it in."
    assert catalogue.objects.list({"page_size": 10})["total_records"] == 3
    form.new_object_edit.setText("冷却塔")
    form.create_object()
    assert catalogue.objects.list({"page_size": 10})["total_records"] == 4
    assert len(form.wire()["object_id_list"]) == 1
    assert form.object_list.item(0).checkState() == Qt.CheckState.Checked


def test_object_search_filters_in_sql_and_keeps_choices(catalogue: Services,
                                                        qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    _check(form, "FAN-1")
    form.object_search.setText("水泵")
    qtbot.waitUntil(lambda: form.object_list.count() == 2, timeout=2000)
    _check(form, "PUMP-2")
    form.object_search.clear()
    qtbot.waitUntil(lambda: form.object_list.count() == 3, timeout=2000)
    assert form.wire()["object_id_list"] == ["FAN-1", "PUMP-2"]


def _tab_sequence(form: ProjectForm, count: int) -> list[Any]:
    """The widgets Tab visits from the name field: the focus chain without the labels and
    the inner editors of spin boxes, and without hidden widgets (Tab skips them too)."""
    seen: list[Any] = []
    widget = form.name_edit
    while len(seen) < count:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None
                and widget.isVisibleTo(form)):
            seen.append(widget)
        widget = widget.nextInFocusChain()
    return seen


def test_tab_order_follows_the_form(catalogue: Services, qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    expected = [form.name_edit, form.alias_edit, form.description_edit,
                form.cycle_type_combo, form.period_num_spin, form.period_unit_combo,
                form.notice_num_spin, form.notice_unit_combo, form.anchor_combo,
                form.checklist_editor.table, form.checklist_editor.add_button,
                form.checklist_editor.remove_button, form.checklist_editor.up_button,
                form.checklist_editor.down_button, form.object_search, form.object_list,
                form.new_object_edit, form.new_object_button, form.guide_edit, form.save_button]
    sequence = _tab_sequence(form, len(expected))
    inner = {w.parent() for w in sequence if w.parent() in (form.period_num_spin,
                                                            form.notice_num_spin)}
    sequence = [w.parent() if w.parent() in inner else w for w in sequence]
    assert sequence == expected


def test_a_meter_preview_lists_the_due_readings(catalogue: Services, qtbot: Any) -> None:
    catalogue.statistics.add_value({"statistics_id": "RUNH", "value": 1000})
    form = _form(catalogue, qtbot)
    form.name_edit.setText("空压机保养")
    _choose(form.cycle_type_combo, "统计周期")
    _choose(form.statistic_combo, "RUNH")
    form.period_num_spin.setValue(500)
    form.validate_now()
    assert form.preview_label.text() == ("Latest reading 1000 h. Due at readings: "
                                         "1500, 2000, 2500, 3000, 3500 h")
    form.period_num_spin.setValue(0)
    form.validate_now()
    assert "Fix the cycle settings" in form.preview_label.text()


def test_a_refused_field_is_outlined_and_save_takes_the_user_there(catalogue: Services,
                                                                   qtbot: Any) -> None:
    form = _form(catalogue, qtbot)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()
    form.name_edit.setFocus()
    qtbot.keyClicks(form.name_edit, "Round")
    form.period_num_spin.setValue(0)
    qtbot.waitUntil(lambda: bool(form.error_text("period_num")), timeout=2000)
    assert form.period_num_spin.property("invalid") is True
    assert form.name_edit.hasFocus()  # checking as one types never takes the focus away
    assert not form.submit()
    assert form.period_num_spin.hasFocus()  # Save does: to what must change
    form.period_num_spin.setValue(2)
    assert form.validate_now() and form.period_num_spin.property("invalid") is False
