"""The first start of a new version on an existing database (#21): the upgrade (step 7
builds the search index of every handle: minutes at ten million) runs off the GUI thread.
A dialog over the window says how far it got and offers Quit; the window keeps processing
events meanwhile. Quit stops the upgrade with nothing changed. The step is slowed by a seam
that waits for the test, not by a big file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.upgrade import UpgradeDialog
from mixtimer_gui.services import Services, Workspace
from mixtimer_gui.store import migrations

HANDLES = 5


@pytest.fixture
def old_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file at step 6 (before the search index) with a few handles."""
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", [s for s in migrations.MIGRATIONS if s[0] <= 6])
        services = Services.open(db_path)
        try:
            for i in range(HANDLES):
                services.db.execute_sql(
                    'INSERT INTO "handle" ("organization_id", "created", "created_by", '
                    '"last_modified", "last_modified_by", "uid", "task_id", "project_id", '
                    '"project_name", "project_alias", "object_id", "object_name", '
                    '"object_alias", "description", "handler_id_list", "handler_name_list", '
                    '"fee", "result", "images", "is_ignored") VALUES (\'\', 0, 0, 0, 0, ?, '
                    '\'t\', \'p\', \'保养\', \'\', \'o\', \'一号机\', \'\', \'更换滤芯\', \'\', '
                    '\'\', 0, \'\', \'\', 0)', (f"H{i}",))
        finally:
            services.close()
    return db_path


@pytest.fixture
def held_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The index build reports its start, then waits for the test, then goes on (and
    reports again: where a Quit is seen)."""
    release = threading.Event()
    real = migrations.build_search_index

    def held(db: Any, progress: Any = None) -> None:
        if progress is not None:
            progress("search_index", 2, HANDLES)
        assert release.wait(30)
        if progress is not None:
            progress("search_index", HANDLES, HANDLES)
        real(db, progress)

    monkeypatch.setattr(migrations, "build_search_index", held)
    yield release
    release.set()


@pytest.fixture
def starting(app_settings: AppSettings, qtbot: Any, qapp: Any,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MainWindow, list[int]]]:
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    monkeypatch.setattr(app_module, "install_reminders", lambda *a: "reminders")
    monkeypatch.setattr(app_module, "start_daily_backups", lambda *a: None)
    left: list[int] = []
    monkeypatch.setattr(app_module, "leave_app", lambda app, status: left.append(status))
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    yield window, left


def _dialog() -> UpgradeDialog | None:
    found = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, UpgradeDialog) and w.isVisible()]
    return found[0] if found else None


def _turning(window: MainWindow, qtbot: Any) -> None:
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=3000)  # the loop turns meanwhile
    timer.stop()


def test_the_window_turns_while_the_upgrade_runs(old_db: Path, held_index: threading.Event,
                                                  starting: tuple, app_settings: AppSettings,
                                                  qtbot: Any, qapp: Any) -> None:
    window, left = starting
    start = app_module.WindowStart(qapp, window, old_db, app_settings)
    try:
        qtbot.waitUntil(lambda: _dialog() is not None
                        and "2 of 5" in _dialog().label.text(), timeout=5000)
        dialog = _dialog()
        assert dialog.bar.maximum() == 1000 and dialog.bar.value() == 400
        assert dialog.quit_button.isEnabled()
        _turning(window, qtbot)
        assert not window.is_attached()
        held_index.set()
        qtbot.waitUntil(window.is_attached, timeout=10000)
        assert _dialog() is None and left == [] and not start.gave_up
        assert not Workspace.upgrade_due(old_db)
        found = window.services.handles.list({"where_or": [["description", "like", "%滤芯%"]]})
        assert found["total_records"] == HANDLES
    finally:
        held_index.set()
        start.close()


def test_quit_stops_the_upgrade_and_changes_nothing(old_db: Path, held_index: threading.Event,
                                                     starting: tuple,
                                                     app_settings: AppSettings, qtbot: Any,
                                                     qapp: Any) -> None:
    window, left = starting
    start = app_module.WindowStart(qapp, window, old_db, app_settings)
    try:
        qtbot.waitUntil(lambda: _dialog() is not None, timeout=5000)
        dialog = _dialog()
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
        assert not dialog.quit_button.isEnabled() and "Stopping" in dialog.label.text()
        _turning(window, qtbot)  # still turning while the step winds down
        held_index.set()  # its next report sees the Quit
        qtbot.waitUntil(lambda: left == [1], timeout=10000)
        assert start.gave_up and not window.is_attached()
        assert Workspace.upgrade_due(old_db)  # still at step 6: the next start upgrades
    finally:
        held_index.set()
        start.close()
