"""Start-up recovery: the database could not be opened; say why and offer a way out.

``choose_recovery(parent, error, db_path=None)`` is what ``gui/app.py`` calls when
``Workspace.open`` raised a ``StoreError``; it returns the choice: ``RESTORED`` or ``RETRY``
(open the database again: a backup was restored, or the user closed the program holding the
lock), ``READ_ONLY`` for a locked or read-only database (``Workspace.open(path,
read_only=True)``), or ``QUIT``.

- damaged / not a database: the newest good backup is offered; restoring keeps the damaged
  file beside the database as ``<name>-damaged-<stamp>.db`` (never overwritten, never
  deleted), or Quit;
- locked by another program / read-only file or folder: Retry, View read-only, Quit;
- a PostgreSQL server (team mode) that is down, unreachable, refused the login or has no
  such database: Retry (once the administrator has seen to it) and Quit; the server keeps
  its own backups, so none is offered;
- from a newer version, a server location written wrong, or anything else: the sentence,
  and Quit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.services import Location
from mixtimer_gui.services.backups import Backups
from mixtimer_gui.services.errors import (
    BadLocationError,
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
    WrongCollationError,
)

log = logging.getLogger(__name__)


class Recovery(Enum):
    RESTORED = "restored"
    RETRY = "retry"
    READ_ONLY = "read_only"
    QUIT = "quit"


class RecoveryDialog(QDialog):
    """Explains ``error`` and offers what can be done; ``choice`` holds the answer."""

    def __init__(self, error: StoreError, db_path: Path | str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.db_path = db_path or getattr(error, "path", None)
        # A server's address is text, never a file name: Path("postgresql://u@h/db") would
        # read "postgresql:/u@h/db", a file that does not exist.
        self.location = _location(self.db_path)
        self.on_server = self.location is not None and self.location.is_server
        self.backups = (Backups(self.location) if self.location is not None
                        and not self.on_server else None)
        self.choice = Recovery.QUIT
        self.kept: Path | None = None
        self.good_backup = self._find_backup()
        self.setWindowTitle(self.tr("MixTimer cannot open its database"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.message = QLabel(str(error))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.backup_label = QLabel(self._backup_text())
        self.backup_label.setWordWrap(True)
        self.backup_label.setVisible(self.good_backup is not None)  # no empty gap
        layout.addWidget(self.backup_label)
        self.buttons = QDialogButtonBox()
        self.restore_button = self._button(self.tr("Restore this backup"), self._restore,
                                           visible=self.good_backup is not None)
        self.read_only_button = self._button(self.tr("View read-only"), self._read_only,
                                             visible=self._viewable())
        self.retry_button = self._button(self.tr("Retry"), self._retry,
                                         visible=self._viewable() or self._retryable())
        self.quit_button = self._button(self.tr("Quit"), self.reject, visible=True)
        default = (self.restore_button if self.good_backup else
                   self.retry_button if self._retryable() else self.quit_button)
        default.setDefault(True)
        layout.addWidget(self.buttons)

    def _button(self, text: str, slot: Callable[[], None], *, visible: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        if visible:
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            button.hide()
        return button

    def _find_backup(self) -> Path | None:
        if isinstance(self.error, DamagedDatabaseError):
            return self.error.backup
        if isinstance(self.error, NotADatabaseError) and self.backups is not None:
            return self.backups.newest_good()
        return None

    def _viewable(self) -> bool:
        return isinstance(self.error, DatabaseLockedError | ReadOnlyDatabaseError) \
            and self.location is not None and not self.on_server \
            and self.location.path.is_file()

    def _retryable(self) -> bool:
        """A server that may answer once it is back or its administrator has acted; not
        an address written wrong, a database made wrong or a newer program's."""
        return self.on_server and not isinstance(
            self.error, BadLocationError | WrongCollationError | SchemaTooNewError)

    def _backup_text(self) -> str:
        if self.good_backup is None:
            return ""
        listed = self.backups.list() if self.backups is not None else []
        info = next((b for b in listed if b.path == self.good_backup), None)
        when = clock.to_local(info.time) if info else datetime.fromtimestamp(
            self.good_backup.stat().st_mtime)
        size = info.size if info else self.good_backup.stat().st_size
        return self.tr("Newest good backup: %1 (made %2, %3 KB). Restoring it keeps the "
                       "damaged file beside the database.").replace(
            "%1", self.good_backup.name).replace(
            "%2", when.strftime("%Y-%m-%d %H:%M")).replace("%3", f"{size // 1024:,}")

    # -- the choices ----------------------------------------------------------------------

    def _restore(self) -> None:
        if self.good_backup is None or self.backups is None:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.kept = self.backups.restore(self.good_backup, keep_damaged=True)
        except StoreError as exc:
            QGuiApplication.restoreOverrideCursor()
            log.warning("restore of %s failed: %s", self.good_backup, exc)
            QMessageBox.critical(self, self.tr("Restore failed"), str(exc))
            self.restore_button.setEnabled(False)
            return
        QGuiApplication.restoreOverrideCursor()
        log.info("restored %s from %s; replaced file kept as %s", self.db_path,
                 self.good_backup, self.kept)
        QMessageBox.information(
            self, self.tr("Backup restored"),
            self.tr("The database was restored from %1. The damaged file was kept as %2.")
            .replace("%1", self.good_backup.name).replace("%2", str(self.kept)))
        self._finish(Recovery.RESTORED)

    def _read_only(self) -> None:
        self._finish(Recovery.READ_ONLY)

    def _retry(self) -> None:
        self._finish(Recovery.RETRY)

    def _finish(self, choice: Recovery) -> None:
        self.choice = choice
        self.accept()


def _location(where: Path | str | None) -> Location | None:
    if where is None:
        return None
    try:
        return Location.parse(where)
    except StoreError:  # a location that cannot be read: the error says so already
        return None


def choose_recovery(parent: QWidget | None, error: StoreError,
                    db_path: Path | str | None = None) -> Recovery:
    """Show the dialog and return what the user chose (``QUIT`` when closed)."""
    dialog = RecoveryDialog(error, db_path, parent)
    dialog.exec()
    return dialog.choice

