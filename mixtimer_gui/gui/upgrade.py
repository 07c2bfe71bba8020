"""The upgrade of an existing database to this version's schema, off the GUI thread (#21).

The first opening by a new version may run a long step: at a million handles, building the
search index takes a minute or so (ten at ten million). ``Upgrade`` runs ``Workspace.open``
on a ``Worker`` (the window's one way off the GUI thread) while a dialog over the window
says what it does and how far it got; the window goes on painting and answering meanwhile.
The dialog's Quit button stops the upgrade at the next progress report (the step under way
rolls back: nothing changed, the next start upgrades again) and ends the start; closing
the dialog is the same.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from mixtimer_gui.gui.background import Interrupt, Job, Worker

log = logging.getLogger(__name__)


class UpgradeCancelled(Exception):
    """The user quit while the database was being upgraded; nothing was changed."""


class UpgradeDialog(QDialog):
    """What the upgrade does, a bar (busy until it can count) and Quit."""

    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("upgradeDialog")
        self.setWindowTitle(self.tr("Upgrading the database"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(420)
        # room for three lines: the texts differ in length, and a shown dialog does not grow
        # for a word-wrapped label's new height
        self.label.setMinimumHeight(3 * self.label.fontMetrics().lineSpacing() + 4)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setToolTip(self.tr("Stop the upgrade and close MixTimer. Nothing is "
                                            "changed; the next start upgrades again."))
        self.quit_button.clicked.connect(self.request_quit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.stopping = False
        self.show_progress("start", 0, 0)

    def show_progress(self, what: str, done: int, total: int) -> None:
        if self.stopping:
            return
        if what == "search_index" and total > 0:
            self.label.setText(self.tr("Upgrading the database for this version of MixTimer: "
                                       "building the search index (%1 of %2 handles).")
                               .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * done / total))
            return
        self.bar.setRange(0, 0)
        if what == "backup":
            text = self.tr("Upgrading the database for this version of MixTimer: first a copy "
                           "of it goes to the backups.")
        else:
            text = self.tr("Upgrading the database for this version of MixTimer. With many "
                           "records this takes a few minutes, once.")
        self.label.setText(text)

    def request_quit(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        self.quit_button.setEnabled(False)
        self.bar.setRange(0, 0)
        self.label.setText(self.tr("Stopping the upgrade; nothing is changed…"))
        self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The title bar's close is Quit; the dialog itself goes when the opening ends.
        event.ignore()
        self.request_quit()

    def reject(self) -> None:  # Esc
        self.request_quit()


def _no_connection() -> AbstractContextManager[Interrupt]:
    # The work opens (and upgrades) the database itself: there is no connection to lend it
    # yet, nor a statement of the window's to interrupt.
    return nullcontext(lambda: None)


class Upgrade(QObject):
    """``Workspace.open(db_path)`` on a ``Worker`` (the upgrade; the workspace is closed
    again: the window then opens it as always, at once), the dialog shown meanwhile.
    ``finished`` carries ``None`` (upgraded), ``UpgradeCancelled`` (the user quit; nothing
    changed) or what the opening raised (a ``StoreError``: the caller's recovery)."""

    finished = Signal(object)

    def __init__(self, db_path: Path | str, parent: QWidget) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.dialog = UpgradeDialog(parent)
        self._worker = Worker(_no_connection, "mixtimer-upgrade", self)
        self.dialog.quit_requested.connect(self._worker.cancel)
        # what the upgrade said last (what, done, total): the worker carries (done, total)
        self._latest: tuple[str, int, int] = ("start", 0, 0)

    def start(self) -> None:
        log.info("upgrading %s to this version's schema", self.db_path)
        self._worker.run(self._work, lambda _none: self._finish(None), self._finish,
                         self._show)
        self.dialog.show()

    def stop(self) -> None:
        """The window is closing: stop at the next report (the process may end before: a
        step cut short rolls back all the same)."""
        self._worker.cancel()

    def _work(self, job: Job) -> None:
        from mixtimer_gui.services import Workspace

        def progress(what: str, done: int, total: int) -> None:
            if job.cancelled():
                raise UpgradeCancelled
            self._latest = (what, done, total)
            job.progress(done, total)

        Workspace.open(self.db_path, check="background", progress=progress).close()
        if job.cancelled():  # done before the Quit was seen: kept, and leaving
            raise UpgradeCancelled

    def _show(self, _done: int, _total: int) -> None:
        self.dialog.show_progress(*self._latest)

    def _finish(self, outcome: Exception | None) -> None:
        self.dialog.hide()
        self.dialog.deleteLater()
        self.finished.emit(outcome)
