"""The project list: search and filters change the rows; start / stop / restart / delete
from the list with confirmation; stop-edit-start for a running project; live updates."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from visible_text import uid_like, visible_texts

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.project_form import ProjectForm
from mixtimer_gui.gui.projects_tab import ProjectsTab
from mixtimer_gui.services import Services


def _create(services: Services, name: str, *, cycle: str = "自然时间周期",
            objects: tuple[str, ...] = ("OBJ-1",)) -> str:
    data = {"name": name, "cycle_type": cycle, "period_num": 1, "period_unit": "日",
            "object_id_list": list(objects)}
    if cycle == "统计周期":
        data.update(period_unit="", statistics_id="RUNH")
    return services.projects.create(data)["uid"]


@pytest.fixture
def tab(services: Services, bridge: Any, qtbot: Any) -> ProjectsTab:
    services.statistics.create({"uid": "RUNH", "name": "运行小时", "unit": "h"})
    _create(services, "水泵周检")
    _create(services, "风机月检")
    _create(services, "空压机保养", cycle="统计周期")
    widget = ProjectsTab(services, bridge)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def confirm(tab: ProjectsTab, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers every confirmation with yes and records the titles asked."""
    asked: list[str] = []

    def yes(title: str, _text: str, _accept: str, **_: Any) -> bool:
        asked.append(title)
        return True

    monkeypatch.setattr(tab, "_confirm", yes)
    return asked


def _select(tab: ProjectsTab, name: str) -> dict:
    for row in range(tab.model.rowCount()):
        if tab.model.record(row)["name"] == name:
            tab.view.selectRow(row)
            return tab.model.record(row)
    raise AssertionError(f"{name} not listed")


def _run_forms(tab: ProjectsTab, fill: Any) -> None:
    """The tab's dialogs run without an event loop: ``fill(form)`` drives each one."""
    original = type(tab).run_dialog

    def run(dialog: Any) -> bool:
        dialog.exec = lambda: int(fill(dialog))
        return original(tab, dialog)

    tab.run_dialog = run  # type: ignore[method-assign]


def _names(tab: ProjectsTab) -> set[str]:
    return {tab.model.record(r)["name"] for r in range(tab.model.rowCount())}


def test_lists_every_project_newest_first(tab: ProjectsTab) -> None:
    assert tab.model.rowCount() == 3
    assert tab.model.record(0)["name"] == "空压机保养"
    assert tab.model.order_by() == "-created"
    assert "3" in tab.count.text()


def test_search_is_debounced_and_matches_name_alias_or_uid(tab: ProjectsTab,
                                                          qtbot: Any) -> None:
    tab.search.setText("检")
    assert tab.model.rowCount() == 3  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=2000)
    assert _names(tab) == {"水泵周检", "风机月检"}
    tab.search.setText("MTP0000000000003")
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)  # Enter: at once
    assert _names(tab) == {"空压机保养"}


def test_filters_change_the_rows(tab: ProjectsTab, services: Services) -> None:
    tab.cycle_type_combo.setCurrentIndex(tab.cycle_type_combo.findData("统计周期"))
    assert _names(tab) == {"空压机保养"}
    tab.cycle_type_combo.setCurrentIndex(0)
    services.projects.start({"uid": _select(tab, "水泵周检")["uid"]})
    tab.state_combo.setCurrentIndex(tab.state_combo.findData(1))
    assert _names(tab) == {"水泵周检"}
    tab.state_combo.setCurrentIndex(tab.state_combo.findData(0))
    assert _names(tab) == {"风机月检", "空压机保养"}


def test_start_stop_restart_from_the_list(tab: ProjectsTab, services: Services,
                                          fake_clock: FakeClock, confirm: list[str]) -> None:
    uid = _select(tab, "水泵周检")["uid"]
    assert tab.start_action.isEnabled() and not tab.stop_action.isEnabled()
    tab.start_selected()
    assert services.projects.get({"uid": uid})["is_active"] == 1
    assert tab.selected_project()["uid"] == uid  # the selection survives the refresh
    assert tab.stop_action.isEnabled() and not tab.start_action.isEnabled()
    task = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]
    started = task["cycle_start"]
    fake_clock.advance(hours=5)
    tab.restart_selected()
    task = services.tasks.get({"uid": task["uid"]})
    assert task["cycle_start"] != started
    tab.stop_selected()
    assert services.projects.get({"uid": uid})["is_active"] == 0
    assert confirm == ["Restart project", "Stop project"]
    assert tab.selected_project()["is_active"] == 0


def test_a_refused_start_says_why(tab: ProjectsTab, services: Services,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    uid = _create(services, "无统计", cycle="统计周期")
    services.projects.update({"uid": uid, "name": "无统计", "cycle_type": "统计周期",
                              "period_num": 5, "statistics_id": "", "object_id_list": []})
    tab.refresh()
    _select(tab, "无统计")
    warned: list[str] = []
    monkeypatch.setattr("mixtimer_gui.gui.projects_tab.QMessageBox.warning",
                        lambda _parent, _title, text: warned.append(text))
    tab.start_selected()
    assert warned and warned[0].startswith("Statistic is empty")
    assert services.projects.get({"uid": uid})["is_active"] == 0


def test_delete_asks_and_keeps_the_project_when_declined(
        tab: ProjectsTab, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    uid = _select(tab, "风机月检")["uid"]
    monkeypatch.setattr(tab, "_confirm", lambda *a, **k: False)
    tab.delete_selected()
    assert services.projects.get({"uid": uid})["name"] == "风机月检"
    monkeypatch.setattr(tab, "_confirm", lambda *a, **k: True)
    services.projects.start({"uid": uid})  # running: stopped first, then deleted
    tab.refresh()
    tab.delete_selected()
    assert "风机月检" not in _names(tab)
    assert services.projects.list({"where_and": [["uid", "=", uid]]})["total_records"] == 0


def test_editing_a_running_project_stops_edits_and_starts_again(
        tab: ProjectsTab, services: Services, confirm: list[str]) -> None:
    uid = _select(tab, "水泵周检")["uid"]
    services.projects.start({"uid": uid})
    tab.refresh()
    seen: list[int] = []

    def edit(form: ProjectForm) -> bool:
        seen.append(services.projects.get({"uid": uid})["is_active"])
        form.name_edit.setText("水泵双周检")
        form.period_num_spin.setValue(2)
        return form.submit()

    _run_forms(tab, edit)
    assert tab.edit_selected()
    assert seen == [0]  # the form ran while the project was stopped
    project = services.projects.get({"uid": uid})
    assert (project["name"], project["period_num"], project["is_active"]) == ("水泵双周检", 2, 1)
    assert confirm == ["Edit a running project"]


def test_editing_a_running_project_can_be_declined(tab: ProjectsTab, services: Services,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    uid = _select(tab, "水泵周检")["uid"]
    services.projects.start({"uid": uid})
    tab.refresh()
    monkeypatch.setattr(tab, "_confirm", lambda *a, **k: False)
    _run_forms(tab, lambda form: pytest.fail("the form must not open"))
    assert not tab.edit_selected()
    assert services.projects.get({"uid": uid})["is_active"] == 1


def test_a_new_project_is_selected_once_saved(tab: ProjectsTab, services: Services) -> None:
    def create(form: ProjectForm) -> bool:
        form.name_edit.setText("新项目")
        return form.submit()

    _run_forms(tab, create)
    assert tab.new_record()
    assert tab.selected_project()["name"] == "新项目"


def test_a_change_from_another_thread_appears_without_refresh(
        tab: ProjectsTab, services: Services, qtbot: Any) -> None:
    tab.show()
    writer = threading.Thread(target=_create, args=(services, "API 建的项目"))
    writer.start()
    writer.join()
    qtbot.waitUntil(lambda: "API 建的项目" in _names(tab), timeout=3000)


def test_detail_pane_describes_the_selection(tab: ProjectsTab) -> None:
    _select(tab, "水泵周检")
    html = tab.detail.toPlainText()
    assert "水泵周检" in html and "OBJ-1" in html


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_detail_names_the_statistic_never_its_uid(tab: ProjectsTab,
                                                        language: str) -> None:
    from mixtimer_gui.gui import i18n

    i18n.install_language(language)
    _select(tab, "空压机保养")
    shown = tab.detail.toPlainText()
    assert "运行小时 (h)" in shown and ("每 1 h" in shown or "every 1 h" in shown)
    assert not any(uid_like(text) for text in visible_texts(tab))
    assert "RUNH" not in shown


def test_column_widths_and_splitter_are_remembered(tab: ProjectsTab, app_settings: Any,
                                                   services: Services, bridge: Any,
                                                   qtbot: Any) -> None:
    tab.view.setColumnWidth(1, 333)
    tab.save_state(app_settings)
    again = ProjectsTab(services, bridge)
    qtbot.addWidget(again)
    again.restore_state(app_settings)
    assert again.view.columnWidth(1) == 333


def test_the_sort_order_is_remembered(tab: ProjectsTab, app_settings: Any,
                                      services: Services, bridge: Any, qtbot: Any) -> None:
    column = next(n for n, c in enumerate(tab.model.columns) if c.order_field() == "name")
    tab.model.sort(column, Qt.SortOrder.DescendingOrder)
    tab.save_state(app_settings)
    again = ProjectsTab(services, bridge)
    qtbot.addWidget(again)
    assert again.model.order_by() != "-name"
    again.restore_state(app_settings)
    assert again.model.order_by() == "-name"
    names = [again.model.record(r)["name"] for r in range(again.model.rowCount())]
    assert names == sorted(names, reverse=True)


def test_editing_a_project_deleted_meanwhile_says_so(tab: ProjectsTab, services: Services,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    uid = _select(tab, "风机月检")["uid"]
    services.projects.delete({"uid": uid})  # e.g. through the API, before the list reloads
    warned: list[str] = []
    monkeypatch.setattr("mixtimer_gui.gui.projects_tab.QMessageBox.warning",
                        lambda _parent, _title, text: warned.append(text))
    _run_forms(tab, lambda form: pytest.fail("the form must not open"))
    assert not tab.edit_selected()
    assert warned and uid in warned[0]
    assert "风机月检" not in _names(tab)


def test_a_hidden_tab_catches_up_when_shown(tab: ProjectsTab, services: Services,
                                            qtbot: Any) -> None:
    """Its detail pane asks five questions a refresh: changes while the user is on another
    tab wait until the tab shows again."""
    fetched = tab.model.fetch_calls
    _create(services, "隐藏时建的项目")
    qtbot.waitUntil(lambda: not tab.live.pending, timeout=3000)
    assert tab.model.fetch_calls == fetched and "隐藏时建的项目" not in _names(tab)
    tab.show()
    assert "隐藏时建的项目" in _names(tab)


@pytest.mark.parametrize("language, one, three, months", [
    ("en", "1 day before", "3 days before", "2 months before"),
    ("zh_CN", "提前 1 天", "提前 3 天", "提前 2 个月")])
def test_the_notice_reads_as_words_with_plurals(services: Services, bridge: Any, qtbot: Any,
                                                language: str, one: str, three: str,
                                                months: str) -> None:
    from mixtimer_gui.gui import i18n

    i18n.install_language(language)
    for name, num, unit in (("一", 1, "日"), ("三", 3, "日"), ("月", 2, "月"), ("零", 0, "日")):
        services.projects.create({"name": name, "cycle_type": "自然时间周期",
                                  "period_num": 6, "period_unit": "月", "notice_num": num,
                                  "notice_unit": unit, "object_id_list": []})
    tab = ProjectsTab(services, bridge)
    qtbot.addWidget(tab)
    column = [c.key for c in tab.model.columns].index("notice_num")
    shown = {tab.model.record(r)["name"]: tab.model.index(r, column).data()
             for r in range(tab.model.rowCount())}
    assert (shown["一"], shown["三"], shown["月"]) == (one, three, months)
    assert shown["零"] in ("at due time", "到期时")
