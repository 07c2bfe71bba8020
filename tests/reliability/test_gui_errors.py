"""Errors in the window: logged with the traceback, shown with "copy details", survived; and
the start-up recovery dialog for a database that cannot be opened."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from reliability_helpers import corrupt, handle, handle_uids, integrity, started_task

from mixtimer_gui import logging_setup
from mixtimer_gui.gui import error_dialog, recovery_dialog
from mixtimer_gui.gui.error_dialog import ErrorDialog, install_error_hook
from mixtimer_gui.gui.recovery_dialog import Recovery, RecoveryDialog
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup
from mixtimer_gui.store.db import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreError,
    open_database,
)
from mixtimer_gui.store.errors import DiskFullError, disk_full_message

# What these tests raise on purpose is logged as the bug it would be.
EXPECT_UNEXPECTED = pytest.mark.expect_log(r"unexpected error in", level="ERROR",
                                           logger="mixtimer_gui.errors")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = logging_setup.setup_logging(logging.INFO, log_dir=tmp_path / "logs")
    assert path is not None
    yield path
    logging_setup.shutdown_logging()


@pytest.fixture
def shown(monkeypatch) -> list[tuple[str, str]]:
    """Each error dialog's (summary, details) as it would be shown; exec does not block."""
    seen: list[tuple[str, str]] = []

    def fake_exec(dialog: ErrorDialog) -> int:
        QApplication.processEvents()  # a report queued meanwhile joins this dialog
        seen.append((dialog.summary_label.text(), dialog.details.toPlainText()))
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return seen


@pytest.fixture
def hook(qapp: QApplication, log_file: Path) -> Iterator[error_dialog.ErrorHook]:
    installed = install_error_hook(qapp)
    yield installed
    installed.uninstall()


def boom() -> None:
    raise RuntimeError("kaputt im Slot")


@EXPECT_UNEXPECTED
@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_logged_shown_and_survived(qtbot, hook, shown, log_file) -> None:
    button = QPushButton("boom")
    qtbot.addWidget(button)
    button.clicked.connect(boom)
    button.click()
    qtbot.waitUntil(lambda: len(shown) == 1)
    summary, details = shown[0]
    assert "keeps running" in summary and str(log_file) in summary
    assert "RuntimeError: kaputt im Slot" in details and "Traceback" in details
    log_text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log_text and "kaputt im Slot" in log_text
    # The application goes on: the next click runs the slot again and is reported again.
    button.click()
    qtbot.waitUntil(lambda: len(shown) == 2)


def test_copy_details_puts_summary_and_traceback_on_the_clipboard(qtbot) -> None:
    dialog = ErrorDialog("出错了", "Traceback ...\nRuntimeError: x")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert "出错了" in text and "RuntimeError: x" in text


@EXPECT_UNEXPECTED
@pytest.mark.qt_no_exception_capture
def test_second_error_joins_the_open_dialog(qtbot, hook, shown) -> None:
    def fake_exec(dialog: ErrorDialog) -> int:
        hook.handle_exception(ValueError, ValueError("second"), None)
        QApplication.processEvents()
        shown.append((dialog.summary_label.text(), dialog.details.toPlainText()))
        return 0

    ErrorDialog.exec = fake_exec  # type: ignore[method-assign]  # undone by monkeypatch
    hook.handle_exception(RuntimeError, RuntimeError("first"), None)
    qtbot.waitUntil(lambda: len(shown) == 1)
    QApplication.processEvents()
    assert len(shown) == 1
    assert "RuntimeError: first" in shown[0][1] and "ValueError: second" in shown[0][1]


@EXPECT_UNEXPECTED
@pytest.mark.qt_no_exception_capture
def test_worker_thread_error_is_shown_on_the_gui_thread(qtbot, hook, monkeypatch,
                                                        log_file) -> None:
    threads: list[bool] = []

    def fake_exec(dialog: ErrorDialog) -> int:
        threads.append(threading.current_thread() is threading.main_thread())
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    worker = threading.Thread(target=boom, name="export-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: threads == [True])
    assert "thread export-worker" in log_file.read_text(encoding="utf-8")


@EXPECT_UNEXPECTED
@pytest.mark.qt_no_exception_capture
def test_errors_the_user_can_act_on_show_their_sentence(qtbot, hook, shown) -> None:
    hook.handle_exception(DiskFullError, DiskFullError(disk_full_message()), None)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0][0] == disk_full_message()
    wrapped = sqlite3.OperationalError("database or disk is full")
    wrapped.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    hook.handle_exception(sqlite3.OperationalError, wrapped, None)
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown[1][0] == disk_full_message()


@pytest.mark.qt_no_exception_capture
def test_qt_messages_go_to_the_log(qtbot, hook, shown, log_file) -> None:
    qWarning("QWidget::setLayout: something odd")
    assert "something odd" in log_file.read_text(encoding="utf-8")
    assert shown == []  # Qt's chatter is logged, not shown


@pytest.mark.qt_no_exception_capture
def test_a_platform_limit_is_a_note_not_a_warning(qtbot, hook, shown, caplog) -> None:
    # The offscreen platform says this whenever a window's size limits change; the packaged
    # window's start check counts every warning in its log as trouble.
    with caplog.at_level(logging.DEBUG, logger="qt"):
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("QWidget::setLayout: something odd")
    levels = {r.getMessage().split(" (")[0]: r.levelno for r in caplog.records if r.name == "qt"}
    assert levels == {"This plugin does not support propagateSizeHints()": logging.DEBUG,
                      "QWidget::setLayout: something odd": logging.WARNING}
    assert shown == []


def test_uninstall_restores_the_previous_hooks(qapp) -> None:
    import sys

    before = sys.excepthook, threading.excepthook
    hook = install_error_hook(qapp)
    assert sys.excepthook == hook.handle_exception
    hook.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_log_folder_that_cannot_be_made_falls_back_to_stderr(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    try:
        assert logging_setup.setup_logging(log_dir=blocker / "logs") is None
        logging.getLogger("t").warning("still logged")
    finally:
        logging_setup.shutdown_logging()
    err = capsys.readouterr().err
    assert "无法写入日志文件" in err and "still logged" in err


def test_log_rotates(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2000)
    path = logging_setup.setup_logging(log_dir=tmp_path)
    try:
        for n in range(200):
            logging.getLogger("t").info("line %d %s", n, "x" * 50)
    finally:
        logging_setup.shutdown_logging()
    rotated = sorted(p.name for p in tmp_path.iterdir())
    assert path is not None and len(rotated) == 1 + logging_setup.BACKUP_COUNT
    assert "line 199" in path.read_text(encoding="utf-8")


# -- the recovery dialog --------------------------------------------------------------------


@pytest.fixture
def quiet_boxes(monkeypatch) -> list[str]:
    said: list[str] = []
    for name in ("information", "critical", "warning"):
        monkeypatch.setattr(QMessageBox, name,
                            staticmethod(lambda _p, title, text, *a, **k: said.append(text)))
    return said


@pytest.fixture
def damaged(db_path: Path, fake_clock) -> tuple[Path, Path, set[str]]:
    """A damaged database with a good backup: (path, backup, handles in the backup)."""
    services = Services.open(db_path, clock=fake_clock)
    task = started_task(services)
    handle(services, task)
    services.close()
    made = backup.backup_now(db_path, fake_clock.now())
    corrupt(db_path)
    return db_path, made, handle_uids(made)


def error_of(db_path: Path, **kwargs: object) -> StoreError:
    with pytest.raises(StoreError) as caught:
        open_database(db_path, **kwargs)
    return caught.value


def test_damaged_database_restored_from_the_newest_backup(qtbot, damaged, quiet_boxes) -> None:
    db_path, made, uids = damaged
    damaged_bytes = db_path.read_bytes()
    error = error_of(db_path)
    assert isinstance(error, DamagedDatabaseError)
    dialog = RecoveryDialog(error)
    qtbot.addWidget(dialog)
    assert made.name in dialog.backup_label.text()
    assert not dialog.restore_button.isHidden() and dialog.read_only_button.isHidden()
    dialog.restore_button.click()
    assert dialog.choice is Recovery.RESTORED
    assert integrity(db_path) == "ok" and handle_uids(db_path) == uids
    assert dialog.kept is not None and dialog.kept.read_bytes() == damaged_bytes
    assert str(dialog.kept) in quiet_boxes[0]
    open_database(db_path).close()  # opens normally now


def test_choose_recovery_restores_or_quits_as_chosen(qtbot, damaged, quiet_boxes,
                                                         monkeypatch) -> None:
    db_path, _, _ = damaged
    error = error_of(db_path)
    monkeypatch.setattr(RecoveryDialog, "exec", lambda d: d.quit_button.click() or 0)
    assert recovery_dialog.choose_recovery(None, error) is Recovery.QUIT
    assert isinstance(error_of(db_path), DamagedDatabaseError)  # quitting changed nothing
    monkeypatch.setattr(RecoveryDialog, "exec", lambda d: d.restore_button.click() or 1)
    assert recovery_dialog.choose_recovery(None, error) is Recovery.RESTORED


def test_damaged_without_backup_offers_only_quit(qtbot, db_path: Path, fake_clock) -> None:
    services = Services.open(db_path, clock=fake_clock)
    started_task(services)
    services.close()
    corrupt(db_path)
    dialog = RecoveryDialog(error_of(db_path))
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isHidden() and dialog.retry_button.isHidden()
    assert "没有可用的备份" in dialog.message.text()
    assert dialog.quit_button.isDefault()


@pytest.mark.expect_log(r"restore of .* failed", logger="mixtimer_gui.gui.recovery_dialog")
def test_failed_restore_is_reported_and_changes_nothing(qtbot, damaged, quiet_boxes) -> None:
    db_path, made, _ = damaged
    before = db_path.read_bytes()
    dialog = RecoveryDialog(error_of(db_path))
    qtbot.addWidget(dialog)
    corrupt(made)  # the backup went bad after it was chosen
    dialog.restore_button.click()
    assert dialog.choice is Recovery.QUIT and not dialog.restore_button.isEnabled()
    assert "已损坏" in quiet_boxes[0]
    assert db_path.read_bytes() == before


def test_not_a_database_offers_the_backup(qtbot, damaged, quiet_boxes) -> None:
    db_path, made, _ = damaged
    db_path.write_bytes(b"this is a text file, not a database" * 100)
    error = error_of(db_path)
    assert isinstance(error, NotADatabaseError)
    dialog = RecoveryDialog(error, db_path)
    qtbot.addWidget(dialog)
    assert dialog.good_backup == made
    dialog.restore_button.click()
    assert dialog.choice is Recovery.RESTORED and integrity(db_path) == "ok"


# 5 s: store.health._quick_check waits its own BUSY_TIMEOUT_S on the lock, not lock_wait_s
@pytest.mark.slow
def test_locked_database_offers_read_only_and_retry(qtbot, damaged, db_path: Path) -> None:
    _, made, _ = damaged
    backup.restore(db_path, made)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        error = error_of(db_path, lock_wait_s=0.1)
        assert isinstance(error, DatabaseLockedError)
        dialog = RecoveryDialog(error)
        qtbot.addWidget(dialog)
        assert not dialog.read_only_button.isHidden() and not dialog.retry_button.isHidden()
        assert dialog.restore_button.isHidden()
        dialog.read_only_button.click()
        assert dialog.choice is Recovery.READ_ONLY
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_newer_version_offers_only_quit(qtbot) -> None:
    dialog = RecoveryDialog(SchemaTooNewError("数据库来自更新的版本,请升级"))
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isHidden() and dialog.read_only_button.isHidden()
    assert "升级" in dialog.message.text()


def test_records_before_the_log_file_are_written_into_it(tmp_path: Path, capsys) -> None:
    """The window opens its log file after its first paint; what was logged before is kept
    and written first, and a warning is on stderr at once (the file may never open)."""
    logging_setup.hold_early_records()
    try:
        logging.getLogger("t").info("before the file %d", 1)
        logging.getLogger("t").warning("an early warning")
        assert "an early warning" in capsys.readouterr().err
        path = logging_setup.setup_logging(log_dir=tmp_path)
        logging.getLogger("t").info("after the file")
    finally:
        logging_setup.shutdown_logging()
    assert path is not None and logging_setup.current_log_file() is None
    text = path.read_text(encoding="utf-8")
    assert text.index("before the file 1") < text.index("an early warning") \
        < text.index("after the file")
    logging_setup.setup_logging(log_dir=tmp_path)  # a second set-up writes nothing twice
    logging_setup.shutdown_logging()
    assert path.read_text(encoding="utf-8").count("before the file 1") == 1
