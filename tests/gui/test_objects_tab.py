"""维保对象 tab and form: create/edit/delete, errors under their field, live rows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from lists_seed import (
    fake_csv_dialogs,
    project,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.object_dialog import ObjectDialog
from mixtimer_gui.gui.objects_tab import ObjectsTab
from mixtimer_gui.services import Services


@pytest.fixture
def tab(qtbot: Any, services: Services, bridge: ChangeBridge) -> ObjectsTab:
    for uid, name, location in (("P1", "空压机 1号", "一车间"), ("P2", "空压机 2号", "一车间"),
                                ("T1", "冷却塔", "屋顶")):
        services.objects.create({"uid": uid, "name": name, "location": location})
    widget = ObjectsTab(services, bridge)
    qtbot.addWidget(widget)
    return widget


def names(tab: ObjectsTab) -> list[str]:
    return [tab.model.record(r)["name"] for r in range(tab.model.rowCount())]


def object_count(services: Services) -> int:
    return services.objects.list({"page_size": 1})["total_records"]


def test_empty_name_shows_under_name_and_saves_nothing(qtbot: Any,
                                                       services: Services) -> None:
    dialog = ObjectDialog(services)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("   ")
    dialog.location_edit.setText("仓库")
    assert not dialog.submit()
    assert dialog.error_text("name") == "Name is required: please fill it in."
    assert dialog.error_text("location") == "" and dialog.error_text("") == ""
    assert object_count(services) == 0


@pytest.mark.parametrize("uid, words", [("bad uid!", "may only use"), ("P1", "is taken")])
def test_bad_or_taken_uid_shows_under_uid(qtbot: Any, services: Services, uid: str,
                                          words: str) -> None:
    services.objects.create({"uid": "P1", "name": "空压机"})
    dialog = ObjectDialog(services)
    qtbot.addWidget(dialog)
    dialog.uid_edit.setText(uid)
    dialog.name_edit.setText("新设备")
    assert not dialog.submit()
    assert words in dialog.error_text("uid")
    assert object_count(services) == 1


def test_fixing_the_field_clears_the_message_and_saves(qtbot: Any,
                                                       services: Services) -> None:
    dialog = ObjectDialog(services)
    qtbot.addWidget(dialog)
    assert not dialog.submit()
    dialog.name_edit.setText("叉车")
    dialog.alias_edit.setText("FL")
    assert dialog.submit()
    assert dialog.error_text("name") == ""
    saved = services.objects.get({"uid": dialog.saved_uid})
    assert (saved["name"], saved["alias"]) == ("叉车", "FL")


def test_lists_by_name_and_searches(qtbot: Any, tab: ObjectsTab) -> None:
    assert names(tab) == sorted(names(tab)) and len(names(tab)) == 3
    tab.search.setText("屋顶")
    qtbot.waitUntil(lambda: names(tab) == ["冷却塔"])
    tab.search.setText("p2")  # ids match case-insensitively
    tab.search.returnPressed.emit()
    assert names(tab) == ["空压机 2号"]


def test_create_from_the_tab_selects_the_new_object(tab: ObjectsTab,
                                                    services: Services) -> None:
    def run(dialog: ObjectDialog) -> bool:
        dialog.name_edit.setText("叉车")
        dialog.uid_edit.setText("F1")
        return dialog.submit()

    tab.run_dialog = _accepting(tab, run)  # type: ignore[method-assign]
    assert tab.new_object()
    assert "叉车" in names(tab)
    assert tab.selected_object()["uid"] == "F1"


def test_edit_keeps_the_uid_and_saves_the_changes(tab: ObjectsTab,
                                                  services: Services) -> None:
    tab.view.selectRow(names(tab).index("冷却塔"))

    def run(dialog: ObjectDialog) -> bool:
        assert dialog.uid_edit.isReadOnly() and dialog.uid_edit.text() == "T1"
        dialog.location_edit.setText("屋顶东侧")
        return dialog.submit()

    tab.run_dialog = _accepting(tab, run)  # type: ignore[method-assign]
    assert tab.edit_selected()
    assert services.objects.get({"uid": "T1"})["location"] == "屋顶东侧"


def test_delete_of_an_object_in_use_shows_the_services_message(
        tab: ObjectsTab, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    project(services, "冷却塔月保", ["T1"])
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    tab.view.selectRow(names(tab).index("冷却塔"))

    assert not tab.delete_selected()

    assert len(warnings) == 1 and "T1" in warnings[0] and "still used" in warnings[0]
    assert services.objects.get({"uid": "T1"})["name"] == "冷却塔"


def test_delete_asks_first_and_removes(tab: ObjectsTab, services: Services,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    tab.view.selectRow(names(tab).index("空压机 2号"))
    assert not tab.delete_selected()
    assert object_count(services) == 3
    assert tab.delete_selected()
    assert "空压机 2号" not in names(tab) and object_count(services) == 2


def test_an_object_created_elsewhere_appears(qtbot: Any, tab: ObjectsTab,
                                             services: Services) -> None:
    def api_client() -> None:
        with services.db.connection_context():
            services.objects.create({"uid": "X1", "name": "API 设备"})

    worker = threading.Thread(target=api_client)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "API 设备" in names(tab), timeout=3000)


def test_buttons_follow_the_selection(tab: ObjectsTab) -> None:
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    tab.view.selectRow(0)
    assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()


def _accepting(tab: ObjectsTab, fill: Any) -> Any:
    """A stand-in for ``run_dialog`` that drives the dialog and then does what the real one
    does after an accepted dialog."""
    original = type(tab).run_dialog

    def run(dialog: Any) -> bool:
        dialog.exec = lambda: int(fill(dialog))  # the real method, minus the event loop
        return original(tab, dialog)

    return run


def test_import_csv_hands_over_and_shows_the_new_rows(tab: ObjectsTab, services: Services,
                                                      qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any]] = []

    def import_objects(parent: Any, svc: Services) -> None:
        calls.append((parent, svc))
        svc.objects.create({"uid": "CSV1", "name": "导入的设备"})

    fake_csv_dialogs(monkeypatch, import_objects=import_objects)
    tab.import_button.click()
    assert calls == [(tab, services)]
    # The import's writes reach the list through the change bridge (it runs on a worker).
    qtbot.waitUntil(lambda: "导入的设备" in names(tab), timeout=3000)


# -- equipment labels for the selected objects --------------------------------------------------


def click_row(qtbot: Any, tab: ObjectsTab, row: int,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> list[list[str]]:
    """The objects each label sheet was drawn for, through the real preview."""
    from mixtimer_gui.gui import report_dialogs

    drawn: list[list[str]] = []
    real = report_dialogs.labels_drawing

    def spy(services: Services, object_ids: Any) -> Any:
        drawn.append(list(object_ids))
        return real(services, object_ids)

    monkeypatch.setattr(report_dialogs, "labels_drawing", spy)
    return drawn


def close_previews(tab: ObjectsTab) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    previews = tab.findChildren(QPrintPreviewDialog)
    assert previews and previews[-1].isVisible()
    for preview in previews:
        preview.close()


def test_labels_print_for_the_objects_picked_with_ctrl_click(
        qtbot: Any, tab: ObjectsTab, printed: list[list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question",  # were Delete to ask, it would be answered
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    tab.show()
    order = [tab.model.record(r)["uid"] for r in range(tab.model.rowCount())]
    click_row(qtbot, tab, 2)
    click_row(qtbot, tab, 0, Qt.KeyboardModifier.ControlModifier)
    assert tab.selected_object_ids() == [order[0], order[2]]  # the list's order
    # several selected: Edit and Delete would have to guess which one, so they wait
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert object_count(tab.services) == 3
    qtbot.mouseClick(tab.labels_button, Qt.MouseButton.LeftButton)
    assert printed == [[order[0], order[2]]]
    close_previews(tab)
    click_row(qtbot, tab, 1)  # a plain click picks one again
    assert tab.edit_button.isEnabled()
    qtbot.mouseClick(tab.labels_button, Qt.MouseButton.LeftButton)
    assert printed[-1] == [order[1]]
    close_previews(tab)


def test_labels_print_for_every_object_shown_when_none_is_selected(
        qtbot: Any, tab: ObjectsTab, printed: list[list[str]]) -> None:
    tab.show()
    tab.view.clearSelection()
    qtbot.mouseClick(tab.labels_button, Qt.MouseButton.LeftButton)
    assert printed == [[tab.model.record(r)["uid"] for r in range(3)]]
    close_previews(tab)
