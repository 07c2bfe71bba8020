"""The first run: a welcome that offers a demo database, and the demo database itself.

A new user on an empty database is greeted once (``maybe_welcome``): what the tabs are for,
in the order the work goes, and two ways on: start with one's own data, or look around a
demo database first. The demo is a separate file, ``demo.db`` in the data folder, filled by
the demo generator (``demo.loader.generate``) on a background worker while a progress
dialog waits; the real database is never touched. The window then starts again on the demo
file, as a new process: the database, its reminders, tray and backups belong to one file
from start to end, exactly as with ``--db``. On the demo, the title and the status bar say
so, with a button back to the real database (remembered in the settings); the action API is
not served from it, so no other tool writes there by mistake.
"""

from __future__ import annotations

import contextlib
import logging
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
)

from mixtimer_gui import paths
from mixtimer_gui.gui.background import Worker

if TYPE_CHECKING:
    from mixtimer_gui.gui.main_window import MainWindow

log = logging.getLogger(__name__)

DEMO_FILE = "demo.db"
# A plant a newcomer can take in at a glance, built in a second or two.
DEMO_SIZES = {"objects": 40, "projects": 12, "handles": 3000}


def demo_path(data_dir: Path) -> Path:
    """The demo database of the data folder ``data_dir``."""
    return Path(data_dir) / DEMO_FILE


def is_demo(location: object) -> bool:
    """Whether the database at ``location`` (a path or a ``Location``) is a demo database."""
    return Path(str(location)).name == DEMO_FILE


def relaunch_command(db_path: Path) -> tuple[str, list[str]]:
    """How to start this application on ``db_path``: the bundle's program, or this Python
    running the package."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: the program is the app
        return sys.executable, ["--db", str(db_path)]
    return sys.executable, ["-m", "mixtimer_gui", "--db", str(db_path)]


def start_detached(program: str, arguments: list[str]) -> bool:
    """Start a process that outlives this one (tests replace it)."""
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


def restart_on(window: MainWindow, db_path: Path) -> bool:
    """Start the window anew on ``db_path`` and close this one; ``False`` (and a message)
    when the new process could not be started, this window then stays."""
    program, arguments = relaunch_command(db_path)
    if not start_detached(program, arguments):
        QMessageBox.warning(window, _tr("MixTimer"),
                            _tr("MixTimer could not start again on %1.").replace(
                                "%1", str(db_path)))
        return False
    window.quit()
    return True


def back_to_own_database(window: MainWindow) -> bool:
    """From the demo back to the database the user left for it."""
    saved = window.settings.demo_return_to
    return restart_on(window, Path(saved) if saved else paths.default_db_path())


def _tr(text: str) -> str:
    return QCoreApplication.translate("Welcome", text)


# -- the first run ----------------------------------------------------------------------------


def is_first_run(window: MainWindow) -> bool:
    """Never welcomed, on a database with nothing in it yet (and not the demo)."""
    services = window.services
    if window.settings.welcome_shown or services is None or is_demo(services.location):
        return False
    try:
        for catalogue in (services.objects, services.projects, services.statistics):
            if catalogue.list({"page_size": 1})["total_records"]:
                return False
    except Exception:  # a welcome is never worth an error
        log.exception("checking for a first run failed")
        return False
    return True


def maybe_welcome(window: MainWindow) -> WelcomeDialog | None:
    """The welcome, on a first run (window-modal, not blocking); ``None`` otherwise."""
    if not is_first_run(window):
        return None
    dialog = WelcomeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class WelcomeDialog(QDialog):
    """Hello, the three steps of the work, and the demo database on offer."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("WelcomeDialog")
        self.setWindowTitle(self.tr("Welcome to MixTimer"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 12)
        layout.setSpacing(10)
        title = QLabel(self.tr("Welcome to MixTimer"), self)
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.steps = QLabel(self)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setWordWrap(True)
        self.steps.setText(
            "<p>" + self.tr("MixTimer keeps your maintenance plans and reminds you before each "
                            "piece of equipment comes due. The work goes in three steps:")
            + "</p><ol>"
            + "<li>" + self.tr("<b>Objects</b>: the equipment you maintain (or import a list "
                               "from a spreadsheet).") + "</li>"
            + "<li>" + self.tr("<b>Projects</b>: what to do, how often, on which objects. "
                               "Start a project and each object gets a task.") + "</li>"
            + "<li>" + self.tr("<b>Tasks</b>: come due, remind you, and are handled: each "
                               "handle is kept as a record.") + "</li></ol>")
        layout.addWidget(self.steps)
        self.demo_note = QLabel(self)
        self.demo_note.setWordWrap(True)
        self.demo_note.setProperty("role", "hint")
        self.demo_note.setText(self.tr(
            "To look around first, open a demo database: a made-up plant with a year of "
            "history, in a separate file (%1). Your own database stays empty and untouched; "
            "the status bar takes you back to it.").replace(
                "%1", str(demo_path(window.services.ctx.data_dir)) if window.services
                else DEMO_FILE))
        layout.addWidget(self.demo_note)
        help_note = QLabel(self.tr("The user guide is in the Help menu (F1)."), self)
        help_note.setProperty("role", "hint")
        layout.addWidget(help_note)
        self.buttons = QDialogButtonBox(self)
        self.demo_button = QPushButton(self.tr("Open the &demo database"), self)
        self.own_button = QPushButton(self.tr("&Start with my own data"), self)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.own_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.own_button.setDefault(True)
        self.own_button.clicked.connect(self.accept)
        self.demo_button.clicked.connect(self.open_demo)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.maker: DemoMaker | None = None

    def done(self, result: int) -> None:
        # Answered either way (Esc too): not offered again.
        self.window_.settings.welcome_shown = True
        self.window_.settings.sync()
        super().done(result)

    def open_demo(self) -> None:
        self.accept()
        self.maker = open_demo(self.window_)


# -- making and opening the demo --------------------------------------------------------------


@contextlib.contextmanager
def _own_file() -> Iterator[Callable[[], None]]:
    """The worker's "connection": the generator opens and closes the demo file itself."""
    yield lambda: None


def fill_demo(path: Path, now: int) -> Path:
    """Write the demo plant into ``path`` (created); an existing demo with projects is
    kept as it is (the generator refuses to add to one)."""
    from mixtimer_gui.demo.loader import DemoRefused, generate  # heavy: only when asked

    try:
        generate(path, **DEMO_SIZES, seed=random.randrange(1_000_000), now=now)
    except DemoRefused:
        if not path.exists():
            raise
    return path


class DemoMaker(QObject):
    """Fills the demo database on a worker, with a busy progress dialog, then restarts the
    window on it. Signals ``finished(object)`` (the path) and ``failed(str)``."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, window: MainWindow, path: Path,
                 fill: Callable[[Path, int], Path] = fill_demo) -> None:
        super().__init__(window)
        self.window_ = window
        self.path = path
        self.progress = QProgressDialog(self.tr("Building the demo database…"), "", 0, 0,
                                        window)
        self.progress.setWindowTitle(self.tr("Demo database"))
        self.progress.setCancelButton(None)  # one transaction: nothing to stop half-way
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        self.worker = Worker(_own_file, "mixtimer-demo", self)
        now = window.services.clock.now() if window.services else 0
        self.worker.run(lambda _job: fill(path, now), self._done, self._failed)

    def _close_progress(self) -> None:
        self.progress.close()
        self.progress.deleteLater()

    def _done(self, path: Any) -> None:
        self._close_progress()
        self.finished.emit(path)
        switch_to_demo(self.window_, Path(path))

    def _failed(self, error: Exception) -> None:
        self._close_progress()
        log.error("building the demo database failed", exc_info=error)
        message = self.tr("The demo database could not be built: %1").replace("%1", str(error))
        self.failed.emit(message)
        QMessageBox.warning(self.window_, self.tr("Demo database"), message)


def open_demo(window: MainWindow) -> DemoMaker | None:
    """Build the demo database beside the real one, then restart on it."""
    if window.services is None:
        return None
    return DemoMaker(window, demo_path(window.services.ctx.data_dir))


def switch_to_demo(window: MainWindow, path: Path) -> bool:
    if window.services is not None and not is_demo(window.services.location):
        window.settings.demo_return_to = str(window.services.location)
        window.settings.sync()
    return restart_on(window, path)

