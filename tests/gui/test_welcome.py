"""The first run's welcome, the demo database beside the real one, and the status bar's
word on the action API server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui import welcome
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Services

SMALL_DEMO = {"objects": 6, "projects": 3, "handles": 40}


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Processes the window would start (none is), and its quits (none happens)."""
    started: list[list[str]] = []
    monkeypatch.setattr(welcome, "start_detached",
                        lambda program, arguments: started.append([program, *arguments])
                        or True)
    monkeypatch.setattr(MainWindow, "quit", lambda self: started.append(["quit"]))
    return started


def _count(services: Services, catalogue: str) -> int:
    return getattr(services, catalogue).list({"page_size": 1})["total_records"]


def _counts(db: Path) -> tuple[int, int]:
    shown = Services.open(db)
    try:
        return _count(shown, "objects"), _count(shown, "projects")
    finally:
        shown.close()


def test_a_first_run_on_an_empty_database_is_welcomed_once(window: MainWindow,
                                                            qtbot: Any) -> None:
    window.show()
    dialog = welcome.maybe_welcome(window)
    assert dialog is not None and dialog.isVisible()
    assert "demo.db" in dialog.demo_note.text()
    assert "Objects" in dialog.steps.text() and "Projects" in dialog.steps.text()
    dialog.own_button.click()
    assert not dialog.isVisible() and window.settings.welcome_shown
    assert welcome.maybe_welcome(window) is None  # answered: never again


def test_a_database_with_data_is_not_a_first_run(window: MainWindow,
                                                 services: Services) -> None:
    services.objects.create({"uid": "P1", "name": "泵"})
    assert welcome.maybe_welcome(window) is None
    assert not window.settings.welcome_shown  # a new empty database will still welcome


def test_the_demo_is_built_beside_the_real_database_then_opened(
        window: MainWindow, services: Services, db_path: Path, qtbot: Any,
        launches: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(welcome, "DEMO_SIZES", SMALL_DEMO)
    window.show()
    dialog = welcome.maybe_welcome(window)
    dialog.demo_button.click()
    maker = dialog.maker
    assert maker is not None and maker.progress.isVisible()  # a worker builds it
    with qtbot.waitSignal(maker.finished, timeout=30_000) as built:
        pass
    demo = db_path.parent / "demo.db"
    assert built.args == [demo] and not maker.progress.isVisible()
    program, arguments = welcome.relaunch_command(demo)
    assert launches == [[program, *arguments], ["quit"]]
    assert window.settings.demo_return_to == str(db_path)
    assert _count(services, "objects") == 0  # the real database got nothing
    assert _counts(demo) == (6, 3)
    # Asked again (the demo exists, with projects): opened as it is, not refilled.
    again = welcome.open_demo(window)
    with qtbot.waitSignal(again.finished, timeout=30_000):
        pass
    assert _counts(demo) == (6, 3)


def test_the_demo_window_says_so_and_leads_back(tmp_path: Path, app_settings: AppSettings,
                                                fake_clock: Any, qtbot: Any,
                                                launches: list[list[str]]) -> None:
    mine = tmp_path / "mine" / "mixtimer.db"
    app_settings.demo_return_to = str(mine)
    demo = Services.open(tmp_path / "data" / "demo.db", clock=fake_clock)
    try:
        window = MainWindow(demo, app_settings)
        qtbot.addWidget(window)
        window.show()
        assert window.is_demo()
        assert window.windowTitle().startswith("[Demo database]")
        badge = window.findChild(QLabel, "demoBadge")
        assert badge is not None and badge.isVisible() and badge.text() == "Demo database"
        assert welcome.maybe_welcome(window) is None  # the demo is no first run
        window.retranslate()
        assert window.windowTitle().count("[Demo database]") == 1
        window.findChild(QPushButton, "backToOwnDatabase").click()
        program, arguments = welcome.relaunch_command(mine)
        assert launches == [[program, *arguments], ["quit"]]
        switch = app_module.ApiServerSwitch(app_settings, demo, window)
        app_settings.api_enabled = True
        switch.apply()
        assert switch.server is None and window.api_state() == ("demo", "")
        assert "demo" in window.api_status.text()
        window.close()
    finally:
        demo.close()


def test_the_real_database_shows_no_demo_badge(window: MainWindow) -> None:
    assert not window.is_demo() and window.findChild(QLabel, "demoBadge") is None
    assert not window.windowTitle().startswith("[Demo")


def test_relaunching_runs_this_program_on_the_other_database(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    assert welcome.relaunch_command(target) == (sys.executable,
                                                ["-m", "mixtimer_gui", "--db", str(target)])
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert welcome.relaunch_command(target) == (sys.executable, ["--db", str(target)])


# -- the action API in the status bar ---------------------------------------------------------


@pytest.mark.expect_log(r"action API not started", logger="mixtimer_gui.gui.app")
def test_the_status_bar_follows_the_api_server(window: MainWindow, services: Services,
                                               app_settings: AppSettings, qtbot: Any) -> None:
    switch = app_module.ApiServerSwitch(app_settings, services, window)
    try:
        switch.apply()
        assert window.api_state() == ("off", "") and window.api_status.text() == "API: off"
        app_settings.api_enabled, app_settings.api_port = True, 0
        switch.apply()
        url = switch.server.url
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mixtimer/api")
        assert window.api_state() == ("listening", url)
        assert window.api_status.text() == f"API: {url}"
        QGuiApplication.clipboard().clear()
        window.api_status.click()
        assert QGuiApplication.clipboard().text() == url
        app_settings.api_bind = "0.0.0.0"  # no token: refused
        switch.apply()
        state, reason = window.api_state()
        assert state == "failed" and "0.0.0.0" in reason
        assert window.api_status.text().startswith("API failed: ")
    finally:
        switch.stop()


def test_clicking_the_api_state_when_off_opens_the_settings(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[bool] = []
    monkeypatch.setattr(window, "open_settings", lambda: opened.append(True))
    window.set_api_state("off")
    window.api_status.click()
    assert opened == [True]
