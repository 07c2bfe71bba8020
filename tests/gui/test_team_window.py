"""Team mode, the window's side of faults — issue 16: a server that cannot be reached at
start gets Retry / Quit (never a file's recovery built from a URL taken for a path), and a
window opened read-only because the database wants a newer program says so in the status
bar, naming the version. Against the real throw-away cluster.

Code: gui/recovery_dialog.py, gui/app.py (WindowStart, open_with_recovery),
gui/main_window.py (show_read_only).
"""

from __future__ import annotations

from typing import Any

import pg_cluster as pg
import psycopg
import pytest
from PySide6.QtCore import Qt

from mixtimer_gui.gui import app as app_module
from mixtimer_gui.gui.main_window import MainWindow
from mixtimer_gui.gui.recovery_dialog import Recovery, RecoveryDialog
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.services import Workspace
from mixtimer_gui.services.errors import (
    BadLocationError,
    ServerUnreachableError,
    StoreError,
)
from mixtimer_gui.store import postgres
from mixtimer_gui.store.migrations import MIN_CLIENT_KEY

pytestmark = [pytest.mark.postgres,
              pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")]


def error_opening(url: str) -> StoreError:
    with pytest.raises(StoreError) as caught:
        Workspace.open(url)
    return caught.value


def test_a_server_that_is_down_offers_retry_and_quit(qtbot: Any, pg_cluster: pg.Cluster,
                                                     pg_database_url: str) -> None:
    pg_cluster.stop_server()
    try:
        error = error_opening(pg_database_url)
    finally:
        pg_cluster.start_again()
    assert isinstance(error, ServerUnreachableError)
    dialog = RecoveryDialog(error, pg_database_url)
    qtbot.addWidget(dialog)
    assert dialog.on_server and dialog.backups is None and dialog.good_backup is None
    assert not dialog.retry_button.isHidden() and not dialog.quit_button.isHidden()
    assert dialog.restore_button.isHidden() and dialog.read_only_button.isHidden()
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Retry is the default: Enter retries
    assert dialog.choice is Recovery.RETRY


def test_an_address_written_wrong_offers_only_quit(qtbot: Any) -> None:
    where = "postgresql://shift:secret@db.plant/mixtimer"  # a password: refused as written
    error = error_opening(where)
    assert isinstance(error, BadLocationError)
    dialog = RecoveryDialog(error, where)
    qtbot.addWidget(dialog)
    assert dialog.retry_button.isHidden() and dialog.quit_button.isDefault()


def test_the_window_retries_a_server_until_it_answers(
        qtbot: Any, pg_cluster: pg.Cluster, pg_database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def choose(where: Any, exc: StoreError, parent: Any) -> str:
        asked.append(str(exc))
        pg_cluster.start_again()  # the administrator started the server again
        return "retry"

    monkeypatch.setattr(app_module, "choose_recovery", choose)
    pg_cluster.stop_server()
    try:
        workspace = app_module.open_with_recovery(pg_database_url)
    finally:
        if not pg_cluster.socket_dir.joinpath(".s.PGSQL.5432").exists():
            pg_cluster.start_again()
    assert workspace is not None and len(asked) == 1
    workspace.close()


@pytest.fixture
def newer_database(pg_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A team database that wants version 9.1.0; this program says it is 0.1.0."""
    with psycopg.connect(pg_database_url, autocommit=True) as conn:
        conn.execute('UPDATE "setting" SET "value" = %s WHERE "key" = %s',
                     ("9.1.0", MIN_CLIENT_KEY))
    monkeypatch.setattr(postgres, "CLIENT_VERSION", "0.1.0")
    return pg_database_url


def test_a_window_opened_read_only_names_the_version_in_the_status_bar(
        qtbot: Any, qapp: Any, app_settings: AppSettings, newer_database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.show()
    start = app_module.WindowStart(qapp, window, newer_database, app_settings)
    try:
        qtbot.waitUntil(window.is_attached, timeout=10000)
        badge = window.findChild(type(window._status_label), "readOnlyBadge")
        reason = window.findChild(type(window._status_label), "readOnlyReason")
        assert badge is not None and badge.isVisible() and badge.text() == "Read-only"
        assert "9.1.0" in reason.text() and reason.isVisible()
    finally:
        start.close()


def test_a_read_write_window_shows_no_badge(qtbot: Any, qapp: Any, app_settings: AppSettings,
                                            pg_database_url: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "setup_logging", lambda: None)
    monkeypatch.setattr(app_module, "install_error_hook", lambda app: None)
    window = MainWindow(None, app_settings)
    qtbot.addWidget(window)
    window.show()
    start = app_module.WindowStart(qapp, window, pg_database_url, app_settings)
    try:
        qtbot.waitUntil(window.is_attached, timeout=10000)
        assert window.findChild(type(window._status_label), "readOnlyBadge") is None
    finally:
        start.close()
