"""Keys inside the forms: Enter in a small "add" box adds and does not save the dialog; a
message under a field goes once the field is fixed."""

from __future__ import annotations

from typing import Any

import pytest
from lists_seed import seed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.handle_dialog import HandleDialog
from mixtimer_gui.gui.object_dialog import ObjectDialog
from mixtimer_gui.gui.project_form import ProjectForm
from mixtimer_gui.gui.statistic_dialog import StatisticDialog
from mixtimer_gui.services import Services


def _shown(dialog: QDialog, qtbot: Any) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog


def _total(page: dict) -> int:
    return page["total_records"]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["Return", "Enter"])
def test_enter_in_the_new_person_box_adds_and_keeps_the_dialog_open(
        qtbot: Any, services: Services, fake_clock: FakeClock, key: Qt.Key) -> None:
    ids = seed(services, fake_clock)
    task = services.tasks.get({"uid": ids["tasks"][("冷却塔月保", "OBJ-T1")]})
    before = _total(services.handles.list({"page_size": 1}))
    dialog = _shown(HandleDialog(services, task), qtbot)
    edit = dialog.handlers.new_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Wang Wu")  # QTest types ASCII only
    qtbot.keyClick(edit, key)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.handlers.checked_names() == ["Wang Wu"] and edit.text() == ""
    assert _total(services.handles.list({"page_size": 1})) == before  # nothing recorded
    # Enter elsewhere in the form still saves: the default button is untouched.
    dialog.fee_spin.setFocus()
    qtbot.keyClick(dialog.fee_spin, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _total(services.handles.list({"page_size": 1})) == before + 1


def test_enter_in_the_new_object_box_adds_and_keeps_the_form_open(
        qtbot: Any, services: Services) -> None:
    form = _shown(ProjectForm(services), qtbot)
    form.name_edit.setText("日检")
    form.validate_now()
    assert form.save_button.isEnabled()  # Enter would have saved the project
    qtbot.keyClicks(form.new_object_edit, "Pump 3")
    qtbot.keyClick(form.new_object_edit, Qt.Key.Key_Return)
    assert form.isVisible() and form.result() != QDialog.DialogCode.Accepted
    assert _total(services.projects.list({"page_size": 1})) == 0
    objects = services.objects.list({"page_size": 10})["data"]
    assert [o["name"] for o in objects] == ["Pump 3"]
    assert form.wire()["object_id_list"] == [objects[0]["uid"]]


@pytest.mark.parametrize("make", [StatisticDialog, ObjectDialog])
def test_the_name_message_goes_once_the_name_is_typed(qtbot: Any, services: Services,
                                                       make: Any) -> None:
    dialog = _shown(make(services), qtbot)
    assert not dialog.submit()
    assert dialog.error_text("name") == "Name is required: please fill it in."
    dialog.name_edit.setFocus()
    qtbot.keyClicks(dialog.name_edit, "Compressor hours")
    qtbot.waitUntil(lambda: dialog.error_text("name") == "", timeout=2000)
    assert dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved_uid
