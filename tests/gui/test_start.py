"""Start-up order (DESIGN §6): the window's shell is painted before the database and the
services load; then the database is attached and the current tab fills in."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Services, Workspace


class PaintLog(QObject):
    """Counts the paint events each main window receives (an application-wide filter)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: dict[int, int] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, MainWindow) and event.type() == QEvent.Type.Paint:
            self.painted[id(watched)] = self.painted.get(id(watched), 0) + 1
        return False


@pytest.fixture
def paints(qapp: Any) -> Any:
    log = PaintLog()
    qapp.installEventFilter(log)
    yield log
    qapp.removeEventFilter(log)


@pytest.fixture
def no_side_effects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "hold_log_records", lambda: None)
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    monkeypatch.setattr(app_module, "install_reminders", lambda *a: None)
    monkeypatch.setattr(app_module, "leave_app", lambda app, status: None)


def _until_attached(qtbot: Any) -> Any:
    def loop(_app: Any) -> int:
        # run_app's own window: the shown one still waiting (earlier tests leave others).
        ours = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible() and not w.is_attached()]
        assert len(ours) == 1
        qtbot.waitUntil(ours[0].is_attached, timeout=5000)
        ours[0].hide()
        return 0
    return loop


def test_the_shell_is_painted_before_the_database_opens(
        db_path: Path, settings_path: Path, qtbot: Any, paints: PaintLog,
        no_side_effects: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, bool, str]] = []
    real_open = app_module.open_workspace

    def spy(path: Path) -> Workspace:
        waiting = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible() and not w.is_attached()]
        seen.append((paints.painted.get(id(waiting[0]), 0), len(waiting),
                     waiting[0]._status_label.text()))
        return real_open(path)

    monkeypatch.setattr(app_module, "open_workspace", spy)
    monkeypatch.setattr(app_module, "exec_app", _until_attached(qtbot))
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 0
    assert len(seen) == 1
    painted, waiting, status = seen[0]
    assert painted >= 1 and waiting == 1 and status == "Opening the database…"


def test_the_shell_builds_no_tab_until_the_database_is_attached(
        services: Services, app_settings: AppSettings, qtbot: Any) -> None:
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(2)  # switching tabs in the shell builds nothing either
    assert window.tab_by_key.built() == [] and not window.is_attached()
    assert not window.new_action.isEnabled() and not window.settings_action.isEnabled()
    assert window.tab_actions[0].isEnabled() and window.quit_action.isEnabled()
    with pytest.raises(RuntimeError, match="attach"):
        window.tab_by_key["tasks"]
    with qtbot.waitSignal(window.attached, timeout=3000):
        window.attach(services)
    assert [type(t).__name__ for t in window.tab_by_key.built()] == ["TasksTab"]
    assert window.new_action.isEnabled() and window.settings_action.isEnabled()
    qtbot.waitUntil(lambda: "Due: 0" in window._status_label.text(), timeout=3000)


def test_the_shell_hears_changes_once_attached(services: Services,
                                               app_settings: AppSettings, qtbot: Any) -> None:
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.attach(services)
    with qtbot.waitSignal(window.bridge.changed, timeout=3000):
        services.objects.create({"uid": "A", "name": "一号机"})


def test_a_window_that_is_never_painted_opens_the_database_anyway(
        db_path: Path, app_settings: AppSettings, qtbot: Any, qapp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "PAINT_WAIT_MS", 50)
    window = MainWindow(None, app_settings)  # never shown: no paint will come
    qtbot.addWidget(window)
    start = app_module.WindowStart(qapp, window, db_path, app_settings)
    try:
        qtbot.waitUntil(window.is_attached, timeout=3000)
    finally:
        start.close()


def test_the_recovery_dialog_sits_on_the_shown_window(
        db_path: Path, settings_path: Path, qtbot: Any, no_side_effects: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.services.errors import StoreError

    parents: list[Any] = []

    def refuse(path: Path) -> Workspace:
        raise StoreError("数据库已损坏")

    def ask(path: Path, exc: Exception, parent: Any) -> str:
        parents.append((parent, parent.isVisible()))
        return "quit"

    def loop(_app: Any) -> int:
        qtbot.waitUntil(lambda: bool(parents), timeout=5000)
        return 0

    monkeypatch.setattr(app_module, "open_workspace", refuse)
    monkeypatch.setattr(app_module, "choose_recovery", ask)
    monkeypatch.setattr(app_module, "exec_app", loop)
    assert app_module.run_app(db_path, "en", AppSettings(settings_path)) == 1
    window, was_visible = parents[0]
    assert isinstance(window, MainWindow) and was_visible and not window.isVisible()


def test_nothing_before_the_first_paint_loads_the_store(tmp_path: Path) -> None:
    """The shell stays clear of Peewee, the store and the services (~40 ms), and of Qt's
    namespace of enums (~11 ms: created on first use of ``Qt``)."""
    script = textwrap.dedent(f"""
        import sys
        from PySide6 import QtCore
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from mixtimer_gui import cli
        from mixtimer_gui.gui import app as gui_app
        from mixtimer_gui.gui.main_window import MainWindow
        from mixtimer_gui.gui.settings import AppSettings
        gui_app.make_application()
        window = MainWindow(None, AppSettings({str(tmp_path / "s.ini")!r}))
        window.show()
        window.repaint()
        loaded = sorted(m for m in sys.modules if m == "peewee"
                        or m.startswith(("mixtimer_gui.store", "mixtimer_gui.services",
                                         "logging.handlers")))
        if "Qt" in QtCore.__dict__:
            loaded.append("the Qt namespace")
        print(",".join(loaded))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == ""
