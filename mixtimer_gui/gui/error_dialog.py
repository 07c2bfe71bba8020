"""Unexpected errors in the window: logged with their traceback, shown in a dialog, survived.

``install_error_hook(app)`` routes three sources into the log and, for exceptions, into an
``ErrorDialog`` with "Copy details":

- ``sys.excepthook``: PySide6 reports an exception raised in a slot or a virtual override
  there, then goes on with the event loop, so the window keeps running;
- ``threading.excepthook``: a worker thread's exception (the dialog is still shown on the
  GUI thread: the report travels through a queued signal);
- Qt's own messages (``qInstallMessageHandler``): logged at the matching level, no dialog.

A second error while the dialog is open is appended to it rather than stacking dialogs.
Errors the user can act on (disk full, read-only, locked database) show their sentence.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui import __version__
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.logging_setup import current_log_file

log = logging.getLogger("mixtimer_gui.errors")
qt_log = logging.getLogger("qt")
# How Qt's platform plugins begin "I cannot do that here" (e.g. "This plugin does not support
# propagateSizeHints()" from the offscreen platform).
PLATFORM_LIMITS = ("This plugin does not support",)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ErrorDialog(QDialog):
    """A short sentence, the details (traceback) folded below, "Copy details" and "Close"."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("MixTimer: unexpected error"))
        self.setMinimumWidth(520)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(
            f"{self.summary_label.text()}\n\n{self.details.toPlainText()}")
        self.copy_button.setText(self.tr("Copied"))

    def add_error(self, summary: str, details: str) -> None:
        """Another error arrived while this one is shown."""
        self.summary_label.setText(summary)
        self.details.appendPlainText(f"\n{'-' * 60}\n{details}")


class ErrorHook(QObject):
    """Catches unexpected exceptions and Qt messages; see the module docstring.

    Signal ``reported(summary, details)``: emitted for each exception, from any thread;
    connected (queued) to showing the dialog on the GUI thread.
    """

    reported = Signal(str, str)

    def __init__(self, app: QApplication,
                 parent_widget: Callable[[], QWidget | None] | None = None) -> None:
        super().__init__(app)
        self._parent_widget = parent_widget or QApplication.activeWindow
        self._dialog: ErrorDialog | None = None
        self._previous_excepthook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._previous_qt_handler = None
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.handle_exception
        threading.excepthook = self.handle_thread_exception
        self._previous_qt_handler = qInstallMessageHandler(self.handle_qt_message)

    def uninstall(self) -> None:
        sys.excepthook = self._previous_excepthook
        threading.excepthook = self._previous_thread_hook
        qInstallMessageHandler(self._previous_qt_handler)

    # -- the hooks ------------------------------------------------------------------------

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException,
                         tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self._report((exc_type, exc, tb), "GUI thread")

    def handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self._report((args.exc_type, args.exc_value, args.exc_traceback), f"thread {name}")

    def handle_qt_message(self, mode: QtMsgType, context: QMessageLogContext,
                          message: str) -> None:
        where = f" ({context.file}:{context.line})" if context.file else ""
        level = _QT_LEVELS.get(mode, logging.WARNING)
        if message.startswith(PLATFORM_LIMITS):
            # A platform without some window feature says so (the offscreen one, each time a
            # window's size limits change): a fact about the platform, not trouble.
            level = logging.DEBUG
        qt_log.log(level, "%s%s", message, where)

    # -- reporting ------------------------------------------------------------------------

    def _report(self, info: ExcInfo, where: str) -> None:
        exc = info[1]
        try:
            log.error("unexpected error in %s", where, exc_info=info)
        except Exception:  # a broken log must not hide the error from the user
            traceback.print_exception(*info)
        self.reported.emit(self.summary_of(exc), self.details_of(info, where))

    def summary_of(self, exc: BaseException) -> str:
        # Imported here: the hook is installed before the window shows, the services after.
        from mixtimer_gui.services.errors import StoreError, explain_write_error

        known = explain_write_error(exc)
        if isinstance(exc, StoreError | DomainError):
            known = exc
        if known is not None:
            return str(known)
        log_file = current_log_file()
        where = self.tr(" It was written to the log: %1").replace("%1", str(log_file)) \
            if log_file else ""
        return self.tr("Something went wrong, but MixTimer keeps running and your saved data "
                       "is safe. If it happens again, copy the details and send them to "
                       "support.") + where

    @staticmethod
    def details_of(info: ExcInfo, where: str) -> str:
        text = "".join(traceback.format_exception(*info))
        return f"MixTimer GUI {__version__}, Python {sys.version.split()[0]}, {where}\n\n{text}"

    def _show(self, summary: str, details: str) -> None:
        if self._dialog is not None:
            self._dialog.add_error(summary, details)
            return
        self._dialog = ErrorDialog(summary, details, self._parent_widget())
        try:
            self._dialog.exec()
        finally:
            self._dialog.deleteLater()
            self._dialog = None


def install_error_hook(app: QApplication,
                       parent_widget: Callable[[], QWidget | None] | None = None) -> ErrorHook:
    """Install the hooks for the life of ``app``; returns the hook (``uninstall()`` undoes)."""
    hook = ErrorHook(app, parent_widget)
    hook.install()
    return hook
