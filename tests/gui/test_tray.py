"""The tray and the reminders wiring through pytest-qt: counts, pause, click-through."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.reminder_center import ReminderCenter
from mixtimer_gui.gui.reminders_wiring import ReminderGui, install_reminders, make_gui_scheduler
from mixtimer_gui.gui.tray import DUE_STATE, IDLE, PAUSED, SOON, ReminderTray, tray_pixmap
from mixtimer_gui.reminders.engine import Reminder, ReminderEngine, bundle
from mixtimer_gui.reminders.runner import NEXT_JOB_ID, SWEEP_JOB_ID
from mixtimer_gui.services import Services

DAY = 86400
# Later than the real clock, so APScheduler's timers never run a job on their own: tests
# move the fake clock and run the jobs themselves.
FUTURE = datetime(2031, 3, 3, 9, 0)


@pytest.fixture
def clock(fake_clock: FakeClock) -> FakeClock:
    fake_clock.set(clock_mod.from_local(FUTURE))
    return fake_clock


def make_project(services: Services, objects: list[str], **fields: Any) -> str:
    data = {"name": "润滑", "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
            "notice_num": 1, "notice_unit": "日", "object_id_list": objects, **fields}
    uid = services.projects.create(data)["uid"]
    services.projects.start({"uid": uid})
    return uid


def task_uids(services: Services) -> list[str]:
    return [t["uid"] for t in services.tasks.list({"order_by": "uid", "page_size": 100})["data"]]


class StubWindow(QWidget):
    """What ``install_reminders`` needs of the main window, and a record of the calls."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.bridge = ChangeBridge(services.bus, self)
        self.shown_tasks: list[list[str]] = []
        self.centers: list[QWidget] = []
        self.tray_available: bool | None = None
        self.unread = -1
        self.brought_forward = 0
        self.quit_called = 0
        QVBoxLayout(self)

    def show_tasks(self, uids: list[str]) -> None:
        self.shown_tasks.append(list(uids))

    def add_reminder_center(self, widget: QWidget) -> None:
        self.centers.append(widget)
        self.layout().addWidget(widget)
        widget.unread_changed.connect(self._set_unread)

    def _set_unread(self, count: int) -> None:
        self.unread = count

    def set_tray_available(self, available: bool) -> None:
        self.tray_available = available

    def bring_to_front(self) -> None:
        self.brought_forward += 1

    def quit(self) -> None:
        self.quit_called += 1


@pytest.fixture
def tray(qtbot: Any, services: Services, clock: FakeClock) -> Iterator[ReminderTray]:
    holder = QWidget()
    qtbot.addWidget(holder)
    tray = ReminderTray(services, holder)
    yield tray
    tray.hide()


@pytest.fixture
def wired(qapp: QApplication, qtbot: Any, services: Services,
          clock: FakeClock) -> Iterator[tuple[StubWindow, ReminderGui]]:
    window = StubWindow(services)
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, services, tray_available=True)
    yield window, gui
    gui.shutdown()


def test_tray_counts_due_and_soon_and_shows_them_in_icon_menu_and_tooltip(
        tray: ReminderTray, services: Services, clock: FakeClock) -> None:
    assert tray.state.look == IDLE
    make_project(services, ["A", "B"])
    make_project(services, ["C"], period_num=4, notice_num=3)
    clock.advance(days=2)
    tray.refresh()
    assert (tray.state.due, tray.state.soon, tray.state.look) == (2, 1, DUE_STATE)
    assert tray.count_action.text() == "Due: 2 · Due soon: 1"
    assert "Due: 2" in tray.tray.toolTip()
    assert not tray.tray.icon().isNull()


def test_tray_follows_changes_through_the_bridge(
        qtbot: Any, services: Services, clock: FakeClock) -> None:
    window = StubWindow(services)
    qtbot.addWidget(window)
    tray = ReminderTray(services, window)
    window.bridge.changed.connect(tray.on_changed)
    make_project(services, ["A"])
    clock.advance(days=2)
    services.projects.stop({"uid": services.projects.list({})["data"][0]["uid"]})
    qtbot.waitUntil(lambda: tray.state.due == 0)
    services.projects.start({"uid": services.projects.list({})["data"][0]["uid"]})
    qtbot.waitUntil(lambda: tray.state.due == 1)
    tray.hide()


def test_pause_menu_pauses_persists_and_resumes(tray: ReminderTray, services: Services,
                                                clock: FakeClock) -> None:
    tray.pause_hour_action.trigger()
    assert services.reminders.pause_state().until == clock.now() + 3600
    assert tray.state.look == PAUSED and not tray.pause_menu.isEnabled()
    assert tray.resume_action.isVisible()
    assert "paused until 2031-03-03 10:00" in tray.tray.toolTip()

    tray.resume_action.trigger()
    assert not services.reminders.pause_state().paused and tray.state.look == IDLE
    assert not tray.resume_action.isVisible()

    tray.pause_morning_action.trigger()
    until = services.reminders.pause_state().until
    assert clock_mod.to_local(until).replace(tzinfo=None) == datetime(2031, 3, 4, 8, 0)
    tray.resume_action.trigger()
    tray.pause_resume_action.trigger()
    assert services.reminders.pause_state().paused
    assert services.reminders.pause_state().until is None
    assert "until you resume" in tray.tray.toolTip()


def test_notification_texts_single_and_summary(tray: ReminderTray, services: Services,
                                               clock: FakeClock) -> None:
    make_project(services, ["A"])
    clock.advance(days=1)
    single = bundle(ReminderEngine(services).scan())[0]
    title, text = tray.describe(single)
    assert title == "Maintenance due soon" and text.startswith("润滑 · A\n")

    make_project(services, ["B", "C", "D", "E"])
    clock.advance(days=2)
    summary = bundle(ReminderEngine(services).scan())[0]
    title, text = tray.describe(summary)
    assert summary.is_summary and title == "5 maintenance tasks need attention"
    assert text.splitlines()[0] == "Overdue: 1 · Due: 4 · Due soon: 0"
    assert text.splitlines()[-1] == "…"


def test_clicking_the_bubble_opens_the_tasks_it_named(
        tray: ReminderTray, services: Services, clock: FakeClock, qtbot: Any) -> None:
    make_project(services, ["A", "B"])
    clock.advance(days=1)
    notes = bundle(ReminderEngine(services).scan())
    tray.show_notification(notes[-1])
    with qtbot.waitSignal(tray.open_tasks) as blocker:
        tray.tray.messageClicked.emit()
    assert blocker.args == [notes[-1].task_uids]
    assert len(blocker.args[0]) == 1

    tray.show_hint("MixTimer is still running", "…")  # names no tasks: opens the window
    with qtbot.waitSignal(tray.open_window):
        tray.tray.messageClicked.emit()


def test_icon_variants_differ(qapp: QApplication) -> None:
    images = {look: tray_pixmap(look, 3, 32).toImage() for look in (IDLE, SOON, DUE_STATE,
                                                                    PAUSED)}
    assert len({img.cacheKey() for img in images.values()}) == 4
    for look, image in images.items():
        assert image.width() == 32, look
    assert images[IDLE] != images[DUE_STATE] and images[IDLE] != images[PAUSED]
    assert images[IDLE] != images[SOON]
    assert tray_pixmap(DUE_STATE, 3, 64).toImage() != tray_pixmap(DUE_STATE, 150,
                                                                   64).toImage()


def test_install_reminders_fires_the_catch_up_and_clicks_through_to_the_tasks(
        qapp: QApplication, qtbot: Any, services: Services, clock: FakeClock) -> None:
    make_project(services, ["A", "B", "C", "D"])
    clock.advance(days=2)  # the app was closed when these fell due
    window = StubWindow(services)
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, services, tray_available=True)
    try:
        assert window.tray_available is True and window.centers == [gui.center]
        assert not qapp.quitOnLastWindowClosed()  # hidden to the tray, the app lives on
        assert len(gui.notified) == 1 and gui.notified[0].is_summary
        qtbot.waitUntil(lambda: window.unread == 4)  # the log's change, via the bridge
        assert gui.tray is not None and gui.tray.state.due == 4
        gui.tray.tray.messageClicked.emit()
        assert window.shown_tasks == [gui.notified[0].task_uids]
        assert sorted(window.shown_tasks[0]) == task_uids(services)
        gui.tray.open_action.trigger()
        gui.tray.quit_action.trigger()
        assert (window.brought_forward, window.quit_called) == (1, 1)
    finally:
        gui.shutdown()
    assert qapp.quitOnLastWindowClosed()


def test_jobs_only_post_to_the_gui_thread_and_the_runner_follows_the_clock(
        wired: tuple[StubWindow, ReminderGui], services: Services, clock: FakeClock,
        qtbot: Any) -> None:
    window, gui = wired
    assert gui.notified == []
    make_project(services, ["A"])
    qtbot.waitUntil(lambda: gui.runner.scheduled_for == clock.now() + DAY)
    job = gui.scheduler.get_job(NEXT_JOB_ID)
    assert int(job.trigger.run_date.timestamp()) == clock.now() + DAY

    clock.advance(days=1)
    job.func()  # what APScheduler would run: it only posts
    assert gui.notified == []
    qtbot.waitUntil(lambda: len(gui.notified) == 1)
    assert [r.kind for r in gui.notified[0].reminders] == ["提醒"]
    assert gui.scheduler.get_job(NEXT_JOB_ID) is not None  # the next one, kept
    assert gui.runner.scheduled_for == clock.now() + DAY
    qtbot.waitUntil(lambda: window.unread == 1)

    gui.scheduler.get_job(SWEEP_JOB_ID).func()
    qtbot.wait(10)
    assert len(gui.notified) == 1  # the sweep finds nothing new


def test_without_a_tray_the_centre_still_lists_every_reminder(
        qapp: QApplication, qtbot: Any, services: Services, clock: FakeClock) -> None:
    make_project(services, ["A"])
    clock.advance(days=2)
    window = StubWindow(services)
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, services, tray_available=False)
    try:
        assert gui.tray is None and window.tray_available is False
        assert len(gui.notified) == 1
        center = window.centers[0]
        assert isinstance(center, ReminderCenter)
        qtbot.waitUntil(lambda: center.model.rowCount() == 1)
    finally:
        gui.shutdown()


def test_gui_scheduler_keeps_one_timer_however_often_it_is_woken(qapp: QApplication) -> None:
    scheduler = make_gui_scheduler()
    scheduler.start(paused=True)
    scheduler.resume()
    for _ in range(50):
        scheduler.wakeup()
    assert scheduler.pending_timers() == 1
    scheduler.shutdown(wait=False)
    assert scheduler.pending_timers() == 0


def test_repeat_hours_of_the_window_settings_reach_the_engine(
        qapp: QApplication, qtbot: Any, services: Services, clock: FakeClock,
        app_settings: Any) -> None:
    window = StubWindow(services)
    window.settings = app_settings  # type: ignore[attr-defined]
    app_settings.overdue_repeat_hours = 6
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, services, tray_available=False)
    gui.shutdown()
    assert services.reminders.repeat_hours() == 6


def test_real_main_window_click_opens_the_filtered_tasks_tab(
        qapp: QApplication, qtbot: Any, services: Services, clock: FakeClock,
        app_settings: Any) -> None:
    from mixtimer_gui.gui.main_window import MainWindow

    make_project(services, ["A", "B", "C"])
    clock.advance(days=2)
    window = MainWindow(services, app_settings)
    qtbot.addWidget(window)
    gui = install_reminders(qapp, window, services, tray_available=True)
    try:
        assert "reminders" in window.tab_by_key
        index = window.tabs.indexOf(window.tab_by_key["reminders"])
        qtbot.waitUntil(lambda: window.tabs.tabText(index).endswith("(3)"))
        assert len(gui.notified) == 3  # three stay separate bubbles; the last one is clicked
        gui.tray.tray.messageClicked.emit()
        tasks = window.tab_by_key["tasks"]
        assert window.tabs.currentWidget() is tasks
        shown = [tasks.model.record(row)["uid"] for row in range(tasks.model.rowCount())]
        assert shown == gui.notified[-1].task_uids

        window.show()
        window.close()  # hides to the tray; the one-time hint is a bubble naming no task
        assert window.isHidden() and gui.tray.last_task_uids == []
    finally:
        gui.shutdown()
        window.set_tray_available(False)


def test_a_whichever_first_bubble_says_which_limit_is_due(tray: ReminderTray,
                                                          clock: FakeClock) -> None:
    reminder = Reminder(task_uid="t", kind="到期", seq=0, cycle_start=clock.now(),
                        due_at=clock.now(), fired_at=clock.now(), project_name="保养",
                        object_name="叉车", due_by="读数")
    _title, text = tray.describe(bundle([reminder])[0])
    assert text == "保养 · 叉车\ndue today (by meter)"


def test_a_restarted_window_tells_what_was_logged_while_it_was_closed_and_nothing_twice(
        qapp: QApplication, qtbot: Any, services: Services, clock: FakeClock,
        db_path: Any, settings_path: Any) -> None:
    """Issue 16: each workstation raises the tray notification for log rows newer than the
    last one it showed; where that was is kept in its settings, per database."""
    from mixtimer_gui.gui.settings import AppSettings
    from mixtimer_gui.reminders.engine import ReminderEngine

    make_project(services, ["A"])
    other = Services.open(db_path, clock=clock)  # another workstation (or serve) logs

    def start_window() -> ReminderGui:
        window = StubWindow(services)
        window.settings = AppSettings(settings_path)  # type: ignore[attr-defined]
        qtbot.addWidget(window)
        return install_reminders(qapp, window, services, tray_available=True)

    try:
        gui = start_window()
        clock.advance(days=1)
        ReminderEngine(other).scan()
        gui.runner.show_new()
        assert [r.kind for n in gui.notified for r in n.reminders] == ["提醒"]
        gui.shutdown()

        clock.advance(days=1)
        ReminderEngine(other).scan()  # 到期, logged while this window was closed
        gui = start_window()
        try:
            assert [r.kind for n in gui.notified for r in n.reminders] == ["到期"]
        finally:
            gui.shutdown()
    finally:
        other.close()
