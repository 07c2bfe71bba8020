"""The start after an unclean exit (#21): the integrity check of a large file runs off the
GUI thread. The window shows the data and keeps processing events while it runs, says that
changes wait (a write gets that sentence), and starts the reminders when it is done. The
check is slowed by a seam that waits for the test, not by a big file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Workspace
from mixtimer_gui.services import workspace as workspace_module
from mixtimer_gui.services.errors import CheckRunningError
from mixtimer_gui.store import backup


@pytest.fixture
def after_unclean_exit(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    Workspace.open(db_path).close()
    backup.mark_for_check(db_path)  # what an unclean exit's WAL or the daily copy leaves
    monkeypatch.setattr("mixtimer_gui.store.health.AUTO_CHECK_MAX_BYTES", 0)  # "large"
    return db_path


def test_the_window_works_while_the_check_runs(after_unclean_exit: Path,
                                               app_settings: AppSettings, qtbot: Any,
                                               qapp: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(workspace_module, "integrity_check",
                        lambda path: release.wait(30) and None)
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_reminders", lambda *a: "reminders")
    monkeypatch.setattr(app_module, "start_daily_backups", lambda *a: None)
    monkeypatch.setattr(app_module, "BACKGROUND_START_MS", 0)
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    start = app_module.WindowStart(qapp, window, after_unclean_exit, app_settings)
    try:
        qtbot.waitUntil(window.is_attached, timeout=5000)
        label, bar = window._check_widgets
        assert start.checking and label.isVisible() and bar.isVisible()
        ticks: list[int] = []
        timer = QTimer(window)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=3000)  # the loop turns meanwhile
        assert "reminders" not in start.started  # they write: after the check
        with pytest.raises(CheckRunningError):
            window.services.objects.create({"uid": "A", "name": "一号机"})
        assert window.services.objects.list({})["total_records"] == 0  # reading works
        release.set()
        qtbot.waitUntil(lambda: not start.checking, timeout=5000)
        assert not label.isVisible() and not bar.isVisible()
        qtbot.waitUntil(lambda: "reminders" in start.started, timeout=3000)
        window.services.objects.create({"uid": "A", "name": "一号机"})
        assert not backup.check_mark(after_unclean_exit).exists()
    finally:
        release.set()
        start.close()


@pytest.mark.expect_log("daily backup skipped", logger="mixtimer_gui.store.backup")
def test_the_window_says_when_the_daily_copy_was_skipped(
        db_path: Path, app_settings: AppSettings, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "free_bytes", lambda folder: 0)  # the disk is full
    workspace = Workspace.open(db_path)
    window = MainWindow(workspace.services, app_settings)
    qtbot.addWidget(window)
    window.show()
    daily = app_module.start_daily_backups(workspace, window)
    try:
        qtbot.waitUntil(lambda: window._skipped_label is not None
                        and window._skipped_label.isVisible(), timeout=5000)
        assert "disk" in window._skipped_label.text()
        assert "磁盘空间不足" in window._skipped_label.toolTip()
    finally:
        daily.stop()
        workspace.close()
