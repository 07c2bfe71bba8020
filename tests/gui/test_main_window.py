"""The main window: tabs, language switch, remembered state, shortcuts, tray manners,
single instance per database, start-up failures; and the zh_CN catalogue is complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.single_instance import SingleInstance, server_name
from mixtimer_gui.services import Services, Workspace
from mixtimer_gui.services.errors import StoreError

# The sources are in the top-level resources/; the package ships the compiled catalogue.
TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "mixtimer_zh_CN.ts"
QM = i18n.TRANSLATIONS_DIR / "mixtimer_zh_CN.qm"
ENGLISH_TABS = ["Overview", "Projects", "Tasks", "Handles", "Objects", "Statistics"]
CHINESE_TABS = ["概览", "维保项目", "维保任务", "维保记录", "维保对象", "统计"]


def _tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(6)]


def test_six_tabs_in_order(window: MainWindow) -> None:
    assert _tab_titles(window) == ENGLISH_TABS
    assert set(window.tab_by_key) >= {"overview", "projects", "tasks", "handles", "objects",
                                      "statistics"}
    assert window.bridge is not None


def test_switching_language_changes_the_labels(window: MainWindow, qtbot: Any) -> None:
    projects = window.tab_by_key["projects"]
    i18n.install_language("zh_CN")
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "概览", timeout=2000)
    assert _tab_titles(window) == CHINESE_TABS
    assert projects.new_action.text() == "新建"
    assert window.file_menu.title() == "文件(&F)"
    i18n.install_language("en")
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "Overview", timeout=2000)
    assert projects.new_action.text() == "New"


def test_qt_standard_buttons_are_chinese_too(qapp: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    i18n.install_language("zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("取消")


def test_every_source_string_has_a_chinese_translation() -> None:
    root = ET.parse(TS).getroot()
    missing = []
    total = 0
    for context in root.iter("context"):
        for message in context.iter("message"):
            total += 1
            translation = message.find("translation")
            forms = [f.text or "" for f in translation.findall("numerusform")]
            text = "".join(forms) if forms else (translation.text or "")
            if not text.strip() or translation.get("type") == "unfinished":
                missing.append(message.findtext("source"))
    assert total > 100
    assert missing == []
    assert QM.stat().st_size > 1000


def test_english_plurals_read_naturally(window: MainWindow) -> None:
    from mixtimer_gui.gui import i18n

    i18n.install_language("en")
    say = QApplication.translate
    assert say("Humanize", "overdue by %n day(s)", None, 1) == "overdue by 1 day"
    assert say("Humanize", "overdue by %n day(s)", None, 3) == "overdue by 3 days"
    assert say("CsvDialogs", "%n bad row(s) were left out.", None, 1) == \
        "1 bad row was left out."
    # Every plural source of the zh_CN catalogue has its two English forms.
    english = ET.parse(TS.with_name("mixtimer_en.ts")).getroot()
    plural_sources = {m.findtext("source") for m in ET.parse(TS).getroot().iter("message")
                      if m.get("numerus") == "yes"}
    assert plural_sources == {m.findtext("source") for m in english.iter("message")}


def test_window_state_persists_across_a_restart(services: Services, settings_path: Path,
                                                qtbot: Any) -> None:
    first = MainWindow(services, AppSettings(settings_path))
    qtbot.addWidget(first)
    first.show()
    first.resize(777, 666)  # inside the 800×800 offscreen screen
    first.tabs.setCurrentIndex(1)
    first.close()
    second = MainWindow(services, AppSettings(settings_path))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (777, 666)
    assert second.tabs.currentIndex() == 1


def test_settings_dialog_values_survive_a_restart(services: Services, settings_path: Path,
                                                  qtbot: Any) -> None:
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(settings_path), services)
    qtbot.addWidget(dialog)
    dialog.repeat_spin.setValue(6)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.accept()
    again = AppSettings(settings_path)
    assert (again.overdue_repeat_hours, again.language) == (6, "en")


def test_shortcuts_reach_the_current_tab(window: MainWindow,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    projects = window.tab_by_key["projects"]
    window.tabs.setCurrentWidget(projects)
    opened: list[Any] = []
    monkeypatch.setattr(projects, "run_dialog", lambda form: opened.append(form.project))
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    window.new_action.trigger()
    assert opened == [None]
    assert QKeySequence("F5") in window.refresh_action.shortcuts()
    window.find_action.trigger()
    assert projects.search.hasFocus() or projects.search.selectedText() == ""


def test_delete_and_enter_act_only_on_a_focused_list(window: MainWindow,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    projects = window.tab_by_key["projects"]
    window.tabs.setCurrentWidget(projects)
    calls: list[str] = []
    monkeypatch.setattr(projects, "delete_selected", lambda: calls.append("delete"))
    monkeypatch.setattr("mixtimer_gui.gui.main_window.QApplication.focusWidget",
                        lambda: projects.search)
    window.delete_action.trigger()
    assert calls == []
    monkeypatch.setattr("mixtimer_gui.gui.main_window.QApplication.focusWidget",
                        lambda: projects.view)
    window.delete_action.trigger()
    assert calls == ["delete"]


def test_show_tasks_switches_to_the_tasks_tab(window: MainWindow) -> None:
    window.show_tasks(["MTT0000000000001"])
    assert window.tabs.currentWidget() is window.tab_by_key["tasks"]


def test_overview_clicks_route_to_the_tasks_tab(window: MainWindow,
                                               services: Services) -> None:
    """Through the connections the window made: a due row's uid, then a status tile."""
    for number in (1, 2):
        services.objects.create({"uid": f"B{number}", "name": f"泵{number}"})
    project = services.projects.create({"name": "日检", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "日",
                                        "object_id_list": ["B1", "B2"]})["uid"]
    services.projects.start({"uid": project})
    uids = [t["uid"] for t in services.tasks.list({})["data"]]
    overview = window.tab_by_key["overview"]
    overview.open_tasks.emit(uids[:1])
    tasks = window.tab_by_key["tasks"]
    assert window.tabs.currentWidget() is tasks
    assert tasks.filters()[2] == [["uid", uids[:1]]] and tasks.model.rowCount() == 1
    window.tabs.setCurrentIndex(0)
    overview.open_task_filter.emit({"status": "正常"})
    assert window.tabs.currentWidget() is tasks
    assert tasks.filters()[0] == [["status", "=", "正常"]] and tasks.filters()[2] == []
    assert tasks.model.rowCount() == 2


def test_a_projects_tasks_open_as_a_project_filter(window: MainWindow,
                                                    services: Services, qtbot: Any) -> None:
    services.objects.create({"uid": "B1", "name": "泵"})
    project = services.projects.create({"name": "日检", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "日",
                                        "object_id_list": ["B1"]})["uid"]
    projects = window.tab_by_key["projects"]
    projects.refresh()
    with qtbot.waitSignal(projects.open_task_filter) as blocker:
        projects.view.selectRow(0)
        projects._open_project_tasks()
    assert blocker.args == [{"project_id": project}]
    tasks = window.tab_by_key["tasks"]
    assert window.tabs.currentWidget() is tasks
    assert ["project_id", "=", project] in tasks.filters()[0]


class FakeCenter(QLabel):
    unread_changed = Signal(int)


def test_reminder_centre_gets_a_tab_with_an_unread_badge(window: MainWindow) -> None:
    center = FakeCenter("reminders")
    window.add_reminder_center(center)
    index = window.tabs.indexOf(center)
    assert window.tabs.tabText(index) == "Reminders"
    center.unread_changed.emit(3)
    assert window.tabs.tabText(index) == "Reminders (3)"
    center.unread_changed.emit(0)
    assert window.tabs.tabText(index) == "Reminders"


def test_close_hides_to_the_tray_and_says_so_once(window: MainWindow, qtbot: Any) -> None:
    hints: list[bool] = []
    window.hidden_to_tray.connect(lambda: hints.append(True))
    window.set_tray_available(True)
    window.show()
    window.close()
    assert not window.isVisible()
    window.show()
    window.close()
    assert hints == [True]
    assert window.settings.tray_hint_shown


def test_close_without_a_tray_closes(window: MainWindow) -> None:
    window.show()
    assert window.close()
    assert not window.isVisible()


def test_a_second_instance_asks_the_first_to_come_forward(db_path: Path, qtbot: Any) -> None:
    first = SingleInstance(db_path)
    assert first.listen()
    try:
        with qtbot.waitSignal(first.activated, timeout=3000):
            assert SingleInstance(db_path).ask_running_instance()
        other = SingleInstance(db_path.with_name("other.db"))
        assert not other.ask_running_instance()
    finally:
        first.close()
    assert server_name(db_path) != server_name(db_path.with_name("other.db"))


def test_run_app_exits_0_when_another_window_has_the_database(
        db_path: Path, settings_path: Path, qapp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = SingleInstance(db_path)
    first.listen()
    monkeypatch.setattr(app_module, "open_workspace",
                        lambda path: pytest.fail("must not open the database"))
    try:
        assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    finally:
        first.close()


def _main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


@pytest.fixture
def quiet_start(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> list[Any]:
    """run_app without the user's log folder and without its own event loop: events are
    processed until the window has its database (or was hidden because the user gave up),
    then the visible windows are collected and hidden."""
    windows: list[Any] = []
    monkeypatch.setattr(app_module, "hold_log_records", lambda: None)
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    # exit() with no loop running would end the next loop pytest-qt runs at once.
    monkeypatch.setattr(app_module, "leave_app", lambda app, status: None)

    def no_loop(app: Any) -> int:
        qtbot.waitUntil(lambda: all(w.is_attached() or not w.isVisible()
                                    for w in _main_windows()), timeout=5000)
        windows.extend(w for w in _main_windows() if w.isVisible())
        for window in windows:
            window.hide()
        return 0

    monkeypatch.setattr(app_module, "exec_app", no_loop)
    return windows


def test_run_app_opens_the_window(db_path: Path, settings_path: Path, qapp: Any,
                                  quiet_start: list[Any]) -> None:
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert len(quiet_start) == 1
    assert quiet_start[0].tabs.tabText(0) == "Overview"
    assert db_path.exists()


def test_run_app_quits_when_the_user_gives_up_on_a_broken_database(
        db_path: Path, settings_path: Path, qapp: Any, quiet_start: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def refuse(path: Path) -> Workspace:
        raise StoreError("数据库已损坏")

    monkeypatch.setattr(app_module, "open_workspace", refuse)
    monkeypatch.setattr(app_module, "choose_recovery",
                        lambda path, exc, parent: asked.append(str(exc)) or "quit")
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 1
    assert asked == ["数据库已损坏"] and quiet_start == []


def test_run_app_retries_after_recovery(db_path: Path, settings_path: Path, qapp: Any,
                                        quiet_start: list[Any],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []
    real_open = app_module.open_workspace

    def locked_once(path: Path) -> Workspace:
        attempts.append(1)
        if len(attempts) == 1:
            raise StoreError("数据库被另一个程序锁定")
        return real_open(path)

    monkeypatch.setattr(app_module, "open_workspace", locked_once)
    monkeypatch.setattr(app_module, "choose_recovery",
                        lambda path, exc, parent: "retry")
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert len(attempts) == 2 and len(quiet_start) == 1


def test_run_app_can_open_read_only(db_path: Path, settings_path: Path, qapp: Any,
                                    quiet_start: list[Any],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    Services.open(db_path).close()  # an existing database to view

    def locked(path: Path) -> Workspace:
        raise StoreError("数据库被另一个程序锁定")

    monkeypatch.setattr(app_module, "open_workspace", locked)
    monkeypatch.setattr(app_module, "choose_recovery",
                        lambda path, exc, parent: "read_only")
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert len(quiet_start) == 1


def test_run_app_reports_what_it_cannot_recover(db_path: Path, settings_path: Path,
                                                qapp: Any, quiet_start: list[Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def refuse(path: Path) -> Workspace:
        raise OSError("磁盘不可读")

    monkeypatch.setattr(app_module, "open_workspace", refuse)
    monkeypatch.setattr(app_module.QMessageBox, "critical",
                        lambda _parent, _title, text: shown.append(text))
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 1
    assert shown and "磁盘不可读" in shown[0] and str(db_path) in shown[0]


def test_a_tab_that_cannot_be_imported_is_a_bug_that_surfaces(
        services: Services, app_settings: AppSettings, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.gui import main_window

    specs = list(main_window.TAB_SPECS)
    specs[2] = ("tasks", "mixtimer_gui.gui.no_such_tab", "TasksTab", "tasks")
    monkeypatch.setattr(main_window, "TAB_SPECS", tuple(specs))
    w = MainWindow(services, app_settings)
    qtbot.addWidget(w)
    with pytest.raises(ModuleNotFoundError, match="no_such_tab"):
        w.tab_by_key["tasks"]
    assert w.tab_by_key.page("tasks").tab is None  # nothing stands in for it
    with pytest.raises(ModuleNotFoundError):  # asked again: said again
        w.tab_by_key["tasks"]


def test_status_bar_counts_follow_changes(window: MainWindow, services: Services,
                                          qtbot: Any) -> None:
    uid = services.projects.create({"name": "日检", "cycle_type": "自然时间周期",
                                    "period_num": 1, "period_unit": "日", "notice_num": 0,
                                    "object_id_list": ["A"]})["uid"]
    services.projects.start({"uid": uid})
    services.ctx.clock.advance(days=2)
    services.projects.stop({"uid": uid})
    services.projects.start({"uid": uid})  # announce again now that the task is due
    qtbot.waitUntil(lambda: "Due: 1" in window._status_label.text(), timeout=3000)




@pytest.mark.expect_log(r"action API not started", logger="mixtimer_gui.gui.app")
def test_the_api_server_starts_when_settings_say_so(window: MainWindow, services: Services,
                                                    app_settings: AppSettings) -> None:
    assert app_module.start_api_server(app_settings, services, window) is None  # off
    app_settings.api_enabled = True
    app_settings.api_bind = "0.0.0.0"  # refused without a token: said in the status bar
    assert app_module.start_api_server(app_settings, services, window) is None
    assert "0.0.0.0" in window.statusBar().currentMessage()
    app_settings.api_bind = "127.0.0.1"
    app_settings.api_port = 1  # privileged or taken: refused by the OS, window keeps going
    server = app_module.start_api_server(app_settings, services, window)
    if server is not None:  # running as root binds port 1; stop it again
        server.stop()


def test_a_tab_with_its_own_keys_gets_them_alone(window: MainWindow) -> None:
    """Two shortcuts with one key in scope are ambiguous and neither fires."""
    from PySide6.QtGui import QShortcut
    from PySide6.QtWidgets import QWidget

    own = QWidget()
    QShortcut(QKeySequence.StandardKey.Find, own, lambda: None)
    window.tabs.addTab(own, "own keys")
    window.tabs.setCurrentWidget(own)
    assert window.find_action.shortcuts() == []
    assert window.new_action.shortcuts() == [QKeySequence(QKeySequence.StandardKey.New)]
    window.tabs.setCurrentWidget(window.tab_by_key["projects"])
    assert window.find_action.shortcuts() == [QKeySequence(QKeySequence.StandardKey.Find)]


def test_ctrl_n_typed_in_the_projects_tab_opens_the_form(window: MainWindow,
                                                         qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    projects = window.tab_by_key["projects"]
    window.tabs.setCurrentWidget(projects)
    opened: list[Any] = []
    projects.run_dialog = lambda form: opened.append(form.project)  # type: ignore[method-assign]
    with qtbot.waitActive(window):  # shortcuts fire only in the active window
        window.show()
        window.activateWindow()
    projects.view.setFocus()
    qtbot.keyClick(projects.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [None]


def test_every_list_tab_has_the_same_names(window: MainWindow) -> None:
    """The table view, its model, the search box, the count line, the verbs: one set of
    names, so the window (and a reader) finds them on every list."""
    from PySide6.QtWidgets import QLineEdit, QTableView

    from mixtimer_gui.gui.table_model import PagedTableModel
    from mixtimer_gui.gui.widgets import ListTab

    for key in ("projects", "tasks", "handles", "objects", "statistics"):
        tab = window.tab_by_key[key]
        assert isinstance(tab, ListTab), key
        assert isinstance(tab.view, QTableView) and tab.view.model() is tab.model, key
        assert isinstance(tab.model, PagedTableModel), key
        assert isinstance(tab.search, QLineEdit) and isinstance(tab.count, QLabel), key
        assert callable(tab.refresh) and callable(tab.focus_search), key
    for key in ("projects", "objects", "statistics"):
        tab = window.tab_by_key[key]
        assert all(callable(getattr(tab, verb, None))
                   for verb in ("new_record", "edit_selected", "delete_selected")), key


def test_the_projects_keys_typed_on_the_window(window: MainWindow, services: Services,
                                               qtbot: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter edits the selected project, Delete asks to delete it, Ctrl+F goes to the
    search, Ctrl+N opens a new form: real key events, as a user types them."""
    from PySide6.QtCore import Qt

    services.projects.create({"name": "日检", "cycle_type": "自然时间周期", "period_num": 1,
                              "period_unit": "日", "object_id_list": ["B1"]})
    projects = window.tab_by_key["projects"]
    window.tabs.setCurrentWidget(projects)
    projects.refresh()
    forms: list[Any] = []
    monkeypatch.setattr(projects, "run_dialog", lambda form: forms.append(form) or False)
    asked: list[str] = []
    monkeypatch.setattr(projects, "_confirm", lambda title, *a, **k: asked.append(title))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    projects.view.selectRow(0)
    projects.view.setFocus()
    qtbot.keyClick(projects.view, Qt.Key.Key_Return)
    assert [form.project["name"] for form in forms] == ["日检"]
    qtbot.keyClick(projects.view, Qt.Key.Key_Delete)
    assert asked == ["Delete project"]
    qtbot.keyClick(projects.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert projects.search.hasFocus()
    qtbot.keyClick(projects.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(forms) == 2 and forms[1].project is None


def test_menu_verbs_fall_back_to_the_tab_names(window: MainWindow) -> None:
    from PySide6.QtWidgets import QWidget

    class OtherTab(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[str] = []
            self.search = QLineEdit(self)

        def new_object(self) -> None:
            self.calls.append("new")

        def edit_selected(self) -> None:
            self.calls.append("edit")

    from PySide6.QtWidgets import QLineEdit

    tab = OtherTab()
    window.tabs.addTab(tab, "other")
    window.tabs.setCurrentWidget(tab)
    window.new_action.trigger()
    window._call_tab("open_selected")
    window._call_tab("focus_search")
    assert tab.calls == ["new", "edit"]


def test_ctrl_n_in_a_tab_with_its_own_binding_fires_once(window: MainWindow, qtbot: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    objects = window.tab_by_key["objects"]
    if not hasattr(objects, "run_dialog"):
        pytest.skip("the objects tab is not in this build")
    dialogs: list[Any] = []
    monkeypatch.setattr(objects, "run_dialog", lambda dialog: dialogs.append(dialog) or False)
    window.tabs.setCurrentWidget(objects)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    objects.view.setFocus() if hasattr(objects, "view") else objects.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or objects, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs) == 1


def test_reminders_and_the_api_start_after_the_window_shows(
        db_path: Path, settings_path: Path, qapp: Any, quiet_start: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool]] = []

    def reminders(_app: Any, window: MainWindow, _services: Any) -> object:
        calls.append(("reminders", window.isVisible()))
        return object()

    def server(_settings: Any, _services: Any, window: MainWindow) -> None:
        calls.append(("server", window.isVisible()))

    def one_turn(app: Any) -> int:
        app.processEvents()
        assert calls == []  # nothing yet when the window first paints
        QTest.qWait(app_module.BACKGROUND_START_MS + 200)
        return 0

    monkeypatch.setattr(app_module, "install_reminders", reminders)
    monkeypatch.setattr(app_module, "start_api_server", server)
    monkeypatch.setattr(app_module, "exec_app", one_turn)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert calls == [("reminders", True), ("server", True)]


def test_a_loop_that_never_ran_starts_no_reminders_later(
        db_path: Path, settings_path: Path, qapp: Any, quiet_start: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(app_module, "install_reminders", lambda *a: calls.append("r"))
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    QTest.qWait(app_module.BACKGROUND_START_MS + 200)
    assert calls == []


def test_the_window_keeps_a_daily_backup(db_path: Path, settings_path: Path, qapp: Any,
                                         quiet_start: list[Any], qtbot: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def one_turn(app: Any) -> int:
        # Until the background start has begun the daily copy (a fixed wait of the start's
        # delay failed on a loaded machine, where the first paint comes late).
        qtbot.waitUntil(lambda: (db_path.parent / "backups").is_dir(), timeout=10000)
        return 0

    monkeypatch.setattr(app_module, "install_reminders", lambda *a: None)
    monkeypatch.setattr(app_module, "exec_app", one_turn)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    # run_app stops (and so waits for) the backup thread before it returns.
    assert [p for p in (db_path.parent / "backups").glob("*.db.zst") if "daily" in p.name]


def test_damage_found_by_the_daily_check_is_told_on_the_gui_thread(
        services: Any, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from mixtimer_gui.services.errors import DamagedDatabaseError

    window = QWidget()
    qtbot.addWidget(window)
    warnings: list[tuple[str, bool]] = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", lambda parent, title, text:
                        warnings.append((text, threading.current_thread()
                                         is threading.main_thread())))
    workspace = Workspace(services)
    backups = app_module.start_daily_backups(workspace, window)
    try:
        worker = threading.Thread(target=backups.on_damaged, args=(
            DamagedDatabaseError("数据库已损坏", db_path, None),))
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(warnings))
    finally:
        workspace.stop_daily_backups()
    assert "数据库已损坏" in warnings[0][0] and warnings[0][1]
