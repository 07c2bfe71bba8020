"""Team mode in the window — issue 16: "a handle recorded on A appears in B's open list
within 1 s". Two workspaces on one database of the real throw-away cluster; B's 维保记录
list is open, listening through its change bridge. (``benchmarks/bench_refresh.py``
measures the delay; here the deadline only keeps a loaded machine from failing the test.)

Code: services/live.py, gui/bridge.py, gui/handles_tab.py (LiveRefresh).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.handles_tab import HandlesTab
from mixtimer_gui.services import Workspace

pytestmark = pytest.mark.postgres


@pytest.fixture
def a_and_b(pg_database_url: str, fake_clock: FakeClock) -> Iterator[tuple[Workspace, Workspace]]:
    a = Workspace.open(pg_database_url, clock=fake_clock)
    b = Workspace.open(pg_database_url, clock=fake_clock)
    yield a, b
    a.close()
    b.close()


def test_a_handle_recorded_on_a_appears_in_bs_open_list(
        qtbot: Any, a_and_b: tuple[Workspace, Workspace]) -> None:
    a, b = a_and_b
    a.services.projects.create({"uid": "P", "name": "润滑", "cycle_type": "自然时间周期",
                                "period_num": 1, "period_unit": "日",
                                "object_id_list": ["A"]})
    a.services.projects.start({"uid": "P"})
    task = a.services.tasks.list({})["data"][0]["uid"]
    bridge = ChangeBridge(b.services.bus)
    tab = HandlesTab(b.services, bridge)
    qtbot.addWidget(tab)
    tab.show()
    listener = b.start_live_refresh()
    assert listener is not None and listener.listening.wait(10)
    assert tab.model.rowCount() == 0

    a.services.handles.handle({"task_id": task, "uid": "recorded-on-a"})
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    assert tab.model.record(0)["uid"] == "recorded-on-a"
    bridge.close()


def test_a_reminder_fired_on_a_is_raised_on_b_too(
        qapp: Any, qtbot: Any, app_settings: Any, fake_clock: FakeClock,
        a_and_b: tuple[Workspace, Workspace]) -> None:
    from mixtimer_gui.gui.main_window import MainWindow
    from mixtimer_gui.gui.reminders_wiring import install_reminders
    from mixtimer_gui.reminders.engine import ReminderEngine

    a, b = a_and_b
    a.services.projects.create({"uid": "P", "name": "润滑", "cycle_type": "自然时间周期",
                                "period_num": 1, "period_unit": "日",
                                "object_id_list": ["A"]})
    a.services.projects.start({"uid": "P"})
    window = MainWindow(b.services, app_settings)
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, b.services, tray_available=False)
    try:
        listener = b.start_live_refresh()
        assert listener is not None and listener.listening.wait(10)
        assert gui.notified == []
        fake_clock.advance(days=2)
        assert len(ReminderEngine(a.services).scan()) == 1  # A's scheduler logs it
        qtbot.waitUntil(lambda: len(gui.notified) == 1, timeout=5000)
        assert gui.notified[0].reminders[0].task_uid == a.services.tasks.list({})[
            "data"][0]["uid"]
    finally:
        gui.shutdown()
