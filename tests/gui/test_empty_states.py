"""An empty list says what it is for and offers the next step; a list emptied by its
filters says so and offers to clear them."""

from __future__ import annotations

from typing import Any

import pytest

from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.services import Services

GUIDANCE = [
    ("objects", "equipment you maintain", ["New object…", "Import CSV…"]),
    ("statistics", "is a meter", ["New statistic…"]),
    ("projects", "maintenance plan", ["New project…"]),
    ("tasks", "is started", ["Go to projects"]),
    ("handles", "handled or ignored", ["Go to tasks"]),
]


def _open(window: MainWindow, key: str, qtbot: Any) -> Any:
    window.show()
    window.show_tab(key)
    tab = window.tab_by_key[key]
    qtbot.waitUntil(tab.isVisible, timeout=2000)
    return tab


@pytest.mark.parametrize("key, words, buttons", GUIDANCE)
def test_an_empty_tab_says_what_it_is_for(window: MainWindow, qtbot: Any, key: str,
                                          words: str, buttons: list[str]) -> None:
    tab = _open(window, key, qtbot)
    state = tab.empty_state
    assert state is not None and state.isVisible()
    assert words in state.text.text() and state.title.text()
    assert [b.text() for b in state.buttons] == buttons
    assert state.geometry() == tab.view.viewport().rect()  # over the rows, header free


def test_the_next_step_buttons_do_it(window: MainWindow, qtbot: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    objects = window.tab_by_key["objects"]
    forms: list[Any] = []
    imports: list[bool] = []
    monkeypatch.setattr(objects, "run_dialog", lambda dialog: forms.append(dialog) or False)
    monkeypatch.setattr(objects, "import_csv", lambda: imports.append(True))
    objects.refresh()  # the guidance's buttons are made anew
    _open(window, "objects", qtbot)
    objects.empty_state.buttons[0].click()
    assert type(forms[0]).__name__ == "ObjectDialog"
    objects.empty_state.buttons[1].click()
    assert imports == [True]
    tasks = _open(window, "tasks", qtbot)
    tasks.empty_state.buttons[0].click()
    assert window.tabs.currentWidget() is window.tab_by_key["projects"]
    window.show_tab("handles")
    window.tab_by_key["handles"].empty_state.buttons[0].click()
    assert window.tabs.currentWidget() is tasks


def test_the_guidance_goes_with_the_first_record_and_speaks_chinese(
        window: MainWindow, services: Services, qtbot: Any) -> None:
    objects = _open(window, "objects", qtbot)
    i18n.install_language("zh_CN")
    qtbot.waitUntil(lambda: objects.empty_state.title.text() == "还没有维保对象", timeout=2000)
    assert [b.text() for b in objects.empty_state.buttons] == ["新建对象…", "导入 CSV…"]
    services.objects.create({"uid": "P1", "name": "泵"})
    objects.refresh()
    assert objects.model.rowCount() == 1 and not objects.empty_state.isVisible()


def test_a_filtered_empty_list_offers_to_clear_the_filters(
        window: MainWindow, services: Services, qtbot: Any) -> None:
    services.objects.create({"uid": "P1", "name": "泵"})
    objects = _open(window, "objects", qtbot)
    assert not objects.empty_state.isVisible()
    objects.search.setText("没有这个")
    objects._search_debounce.flush()
    state = objects.empty_state
    assert state.isVisible() and state.title.text() == "No matches"
    assert [b.text() for b in state.buttons] == ["Clear filters"]
    state.buttons[0].click()
    assert objects.search.text() == "" and objects.model.rowCount() == 1
    assert not state.isVisible()


def test_tasks_filtered_to_reminded_ones_clear_back_to_all(
        window: MainWindow, services: Services, qtbot: Any) -> None:
    services.objects.create({"uid": "P1", "name": "泵"})
    project = services.projects.create({"name": "日检", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "日",
                                        "object_id_list": ["P1"]})["uid"]
    services.projects.start({"uid": project})
    window.show()
    window.show_tasks(["MTT9999999999999"])  # a task deleted since it was reminded
    tasks = window.tab_by_key["tasks"]
    assert tasks.empty_state.isVisible() and tasks.reminded_bar.isVisibleTo(tasks)
    tasks.empty_state.buttons[0].click()
    assert tasks.model.rowCount() == 1 and not tasks.reminded_bar.isVisibleTo(tasks)
    assert not tasks.empty_state.isVisible()


def test_handles_filtered_by_dates_clear_back_to_all_time(
        window: MainWindow, services: Services, qtbot: Any) -> None:
    from datetime import date

    handles = _open(window, "handles", qtbot)
    handles.set_date_range(date(2020, 1, 1), date(2020, 1, 2))
    assert handles.empty_state.title.text() == "No matches"
    handles.empty_state.buttons[0].click()
    assert handles.all_time.isChecked() and not handles.filters_active()
    assert handles.empty_state.title.text() != "No matches"
