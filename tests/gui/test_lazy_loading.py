"""What the window defers for speed at 1 M handles (DESIGN §6): tabs build on first show,
filter combos fill from name lists once their tab shows (or on use), the Handles tab shows
its first page before its total."""

from __future__ import annotations

from typing import Any

import pytest
from lists_seed import add_handles, seed
from PySide6.QtWidgets import QComboBox

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.handles_tab import HandlesTab
from mixtimer_gui.gui.main_window import MainWindow, TabHost
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.widgets import ANY, ChoiceCombo
from mixtimer_gui.services import Services


@pytest.fixture
def ids(services: Services, fake_clock: FakeClock) -> dict[str, Any]:
    return seed(services, fake_clock)


def built(window: MainWindow) -> set[str]:
    return {key for key in window.tab_by_key
            if window.tab_by_key.page(key).tab is not None}  # type: ignore[attr-defined]


# -- tabs -----------------------------------------------------------------------------------


def test_only_the_shown_tab_is_built_at_start(window: MainWindow, qtbot: Any) -> None:
    assert built(window) == set()  # nothing before the window shows
    window.show()
    qtbot.waitExposed(window)
    assert built(window) == {"overview"}


def test_a_tab_builds_on_first_show_and_only_once(window: MainWindow, qtbot: Any) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(3)
    assert built(window) == {"overview", "handles"}
    handles = window.tab_by_key["handles"]
    assert isinstance(handles, HandlesTab) and handles.isVisible()
    assert window.current_tab() is handles and window.tabs.currentWidget() is handles
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(3)
    assert window.tab_by_key["handles"] is handles


def test_asking_for_a_tab_builds_it_without_showing_it(window: MainWindow) -> None:
    tasks = window.tab_by_key["tasks"]
    assert built(window) == {"tasks"}
    assert isinstance(window.tab_by_key.page("tasks"), TabHost)
    assert window.tabs.indexOf(tasks) == 2  # the tab and its host are one place
    window.tabs.setCurrentWidget(tasks)
    assert window.tabs.currentIndex() == 2


def test_saving_state_does_not_build_the_other_tabs(window: MainWindow,
                                                    app_settings: AppSettings) -> None:
    window.tab_by_key["handles"].view.setColumnWidth(0, 222)
    window.close()
    assert built(window) == {"handles"}
    assert app_settings.column_widths("handles")[0] == 222


def test_a_tab_built_later_gets_its_saved_state(services: Services, app_settings: AppSettings,
                                                qtbot: Any) -> None:
    first = MainWindow(services, app_settings)
    qtbot.addWidget(first)
    first.tab_by_key["handles"].view.setColumnWidth(0, 222)
    first.close()
    second = MainWindow(services, app_settings)
    qtbot.addWidget(second)
    assert second.tab_by_key["handles"].view.columnWidth(0) == 222


def test_the_restored_current_tab_builds_when_the_window_shows(
        services: Services, app_settings: AppSettings, qtbot: Any) -> None:
    app_settings.current_tab = 4
    w = MainWindow(services, app_settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert built(w) == {"objects"}


# -- combos ---------------------------------------------------------------------------------


def test_short_combos_fill_once_the_tab_shows_from_name_lists(
        services: Services, bridge: ChangeBridge, ids: dict[str, Any], qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_full_lists(_data: Any) -> Any:
        raise AssertionError("combos must not load whole project records")

    tab = HandlesTab(services, bridge)
    qtbot.addWidget(tab)
    monkeypatch.setattr(services.projects, "list", no_full_lists)
    qtbot.wait(20)
    assert [c.count() for c in (tab.project_combo, tab.object_combo,
                                tab.handler_combo)] == [1, 1, 1]  # not shown: not loaded
    tab.show()
    qtbot.waitUntil(lambda: tab.project_combo.count() > 1)
    assert tab.project_combo.findData(ids["projects"]["daily"]) > 0
    assert tab.handler_combo.filled
    # Objects (thousands at a plant) wait for their list to open.
    assert tab.object_combo.count() == 1 and not tab.object_combo.filled
    tab.object_combo.showPopup()
    assert [tab.object_combo.itemText(i) for i in range(1, 5)] == sorted(
        ["空压机 1号", "空压机 2号", "冷却塔", "叉车"])
    tab.object_combo.hidePopup()


def test_a_combo_fills_when_it_pops_up_before_its_tab_filled_it(
        services: Services, ids: dict[str, Any], qtbot: Any) -> None:
    combo = ChoiceCombo(lambda: [(n, u) for u, n in services.objects.names()])
    qtbot.addWidget(combo)
    assert combo.count() == 1 and combo.currentData() == ANY and not combo.filled
    combo.showPopup()
    assert combo.filled and combo.count() == 5
    combo.hidePopup()


def test_refilling_keeps_the_choice_and_skips_combos_never_filled(
        services: Services, ids: dict[str, Any], qtbot: Any) -> None:
    calls: list[int] = []

    def choices() -> list[tuple[str, Any]]:
        calls.append(1)
        return [(n, u) for u, n in services.objects.names()]

    combo = ChoiceCombo(choices)
    qtbot.addWidget(combo)
    combo.reload_if_filled()
    assert calls == []
    assert combo.select_value("OBJ-T1") and combo.currentData() == "OBJ-T1"
    services.objects.create({"uid": "OBJ-A0", "name": "阿"})
    combo.reload_if_filled()
    assert combo.currentData() == "OBJ-T1" and combo.findData("OBJ-A0") > 0
    assert not combo.select_value("nope") and combo.currentData() == "OBJ-T1"


@pytest.mark.expect_log(r"filter choices failed", level="ERROR",
                        logger="mixtimer_gui.gui.widgets")
def test_a_failing_choice_list_leaves_the_combo_at_all(qtbot: Any) -> None:
    def broken() -> list[tuple[str, Any]]:
        raise RuntimeError("database went away")

    combo = ChoiceCombo(broken)
    qtbot.addWidget(combo)
    combo.ensure_filled()
    assert combo.count() == 1 and not combo.filled
    assert isinstance(combo, QComboBox)


def test_names_are_id_name_pairs_by_name(services: Services, ids: dict[str, Any]) -> None:
    objects = services.objects.names()
    assert objects == sorted(objects, key=lambda p: (p[1], p[0]))
    assert ("OBJ-T1", "冷却塔") in objects and len(objects) == 4
    projects = services.projects.names()
    assert (ids["projects"]["daily"], "空压机日检") in projects
    services.handlers.create({"name": "张三"})
    assert any(name == "张三" and isinstance(pid, int) for pid, name in
               services.handlers.names())


# -- the Handles tab's count ----------------------------------------------------------------


def test_handles_tab_says_counting_until_the_total_arrives(
        services: Services, bridge: ChangeBridge, ids: dict[str, Any], fake_clock: FakeClock,
        qtbot: Any) -> None:
    task = ids["tasks"][("空压机日检", "OBJ-P1")]
    add_handles(services, fake_clock, task, 260)
    tab = HandlesTab(services, bridge)
    qtbot.addWidget(tab)
    texts: list[str] = []
    tab.model.counting.connect(lambda: texts.append(tab.count.text()))
    tab.model.set_filter([["task_id", "=", task]])
    assert texts == [tab.tr("Counting…")]  # 260 rows: more than the first page
    qtbot.waitUntil(lambda: tab.model.total_known, timeout=10_000)
    assert tab.count.text() == tab.tr("%n record(s)", "", 260)
    assert tab.model.rowCount() == 260


def test_sqlite_memory_is_capped_for_the_whole_process(services: Services) -> None:
    from mixtimer_gui.services import Workspace

    workspace = Workspace(services)
    try:
        workspace.limit_memory(16)
        assert services.db.execute_sql("PRAGMA soft_heap_limit").fetchone()[0] == 16 * 2**20
    finally:
        workspace.limit_memory(0)  # process-wide: leave the other tests unlimited
