"""Start the window: QApplication, translations, one instance per database, window, services.

``run_app`` is what ``mixtimer-gui`` runs without a subcommand. The window's shell (menus,
tab bar, "Opening the database…") is shown first; once it has been painted, ``WindowStart``
opens the workspace (``services.workspace``) and attaches its services, and the current tab
fills in. So the window is on screen while the store, the services and the first tab's data
load (DESIGN §6: start to a shown window ≤ 1.5 × a bare PySide6 window), and nothing on the
way to the first paint imports Peewee or the services: those imports sit inside the
functions that run after it.

A database that can't be opened gets the recovery dialog over the shell (restore a backup,
retry a lock, view read-only) or a clear message, and exit status 1 if the user quits; a
second launch on the same database raises the first window and exits 0.

``--minimized`` (what start at login runs) keeps the window hidden where the desktop has a
tray, whose icon then stands for the app, and minimised where it has none; should the tray
fail to appear after all, the window is shown minimised then.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from mixtimer_gui import desktop, logging_setup
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.icons import app_icon
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.single_instance import SingleInstance
from mixtimer_gui.gui.theme import apply_app_style

if TYPE_CHECKING:  # loaded after the first paint (WindowStart.open_database)
    from mixtimer_gui.gui.main_window import MainWindow
    from mixtimer_gui.gui.upgrade import Upgrade
    from mixtimer_gui.services import Services, Workspace
    from mixtimer_gui.services.backups import DailyBackups
    from mixtimer_gui.services.errors import StoreError

log = logging.getLogger(__name__)

# SQLite's memory for the whole window (the main connection and worker threads' counts and
# charts together); DESIGN §6 allows 150 MiB with the window open on 1 M handles.
SQLITE_MEMORY_MIB = 8
# The tray, reminders and API server start this long after the database is attached: loading
# the scheduler and the first reminder scan (~70 ms at 10,000 tasks) would otherwise come
# before the first tab's data; nothing in them is urgent to a fraction of a second.
BACKGROUND_START_MS = 300
# The database opens after the shell's first paint; a window that is not painted this soon
# (started minimised, say) opens it anyway.
PAINT_WAIT_MS = 500


def make_application() -> QApplication:
    # Before the first window: Windows names the notifications and groups the taskbar
    # button by this id (the installer's shortcut carries the same).
    desktop.set_app_user_model_id()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("mixtimer")
    app.setApplicationName("mixtimer-gui")
    # Qt appends the display name to every window's title ("维保计划 — MixTimer").
    app.setApplicationDisplayName("MixTimer")
    # The installed .desktop file's name (the Wayland app id): the desktop matches the
    # window to its entry and icon by it.
    app.setDesktopFileName(desktop.APP_ID)
    app.setWindowIcon(app_icon())
    apply_app_style(app)
    return app


def open_workspace(db_path: Path | str) -> Workspace:
    """The workspace on ``db_path``; raises ``StoreError``/``DomainError``/``OSError``.

    ``check="background"``: the full ``quick_check`` runs while opening for files under
    64 MiB; a large file is checked only after an unclean shutdown or a damage mark, and
    then on a thread once the window has the data (``WindowStart.start_check``: 34 s at
    10 M handles, cold); a large, cleanly closed file is checked through the verified daily
    copy instead (``start_daily_backups``), which reports damage while the window runs.
    """
    from mixtimer_gui.services import Workspace  # after the first paint: see the docstring

    return Workspace.open(db_path, check="background")


def upgrade_due(db_path: Path | str) -> bool:
    """The database's first opening by this version upgrades it (long with many records)."""
    from mixtimer_gui.services import Workspace  # after the first paint

    return Workspace.upgrade_due(db_path)


def open_read_only(db_path: Path | str) -> Workspace:
    """A read-only view of ``db_path`` (writes then fail with a message)."""
    from mixtimer_gui.services import Workspace  # after the first paint

    return Workspace.open(db_path, read_only=True)


def report_open_failure(db_path: Path | str, exc: Exception, parent: QWidget | None = None) -> None:
    QMessageBox.critical(
        parent, QApplication.translate("App", "MixTimer cannot open its database"),
        QApplication.translate(
            "App", "The database %1 could not be opened:\n\n%2\n\nCheck the path (--db or "
            "MIXTIMER_DB) and that the file is not from a newer version of MixTimer.")
        .replace("%1", str(db_path)).replace("%2", str(exc)))


def choose_recovery(db_path: Path | str, exc: StoreError, parent: QWidget | None = None) -> str:
    """What to do about a database that would not open: "retry", "read_only" or "quit",
    asked through the recovery dialog (restore the newest good backup, retry a lock, view
    read-only)."""
    from mixtimer_gui.gui.recovery_dialog import Recovery
    from mixtimer_gui.gui.recovery_dialog import choose_recovery as dialog

    choice = dialog(parent, exc, db_path)
    if choice in (Recovery.RESTORED, Recovery.RETRY):
        return "retry"
    return "read_only" if choice == Recovery.READ_ONLY else "quit"


MAX_OPEN_ATTEMPTS = 5
# ``open_with_recovery``'s answer when the database must be upgraded first: that runs off
# the GUI thread (``gui.upgrade``), and the opening is asked again after it.
UPGRADE_FIRST = "upgrade first"


def open_with_recovery(db_path: Path | str, parent: QWidget | None = None,
                       failed: Exception | None = None) -> Workspace | str | None:
    """Open the database, offering recovery while it fails; ``None``: the user gave up;
    ``UPGRADE_FIRST``: an upgrade is due. ``failed``: what the upgrade raised, offered
    recovery first."""
    from mixtimer_gui.services.errors import StoreError  # after the first paint

    for _attempt in range(MAX_OPEN_ATTEMPTS):
        try:
            if failed is not None:
                error, failed = failed, None
                raise error
            if upgrade_due(db_path):
                return UPGRADE_FIRST
            return open_workspace(db_path)
        except StoreError as exc:
            choice = choose_recovery(db_path, exc, parent)
        except (DomainError, OSError) as exc:
            report_open_failure(db_path, exc, parent)
            return None
        if choice == "quit":
            return None
        if choice == "read_only":
            try:
                return open_read_only(db_path)
            except (StoreError, OSError) as exc:
                report_open_failure(db_path, exc, parent)
                return None
    return None


def hold_log_records() -> None:
    """Keep what is logged until ``setup_logging`` (after the first paint) opens the file."""
    logging_setup.hold_early_records()


def setup_logging() -> None:
    """The rotating log file in the user log folder (with the records held until now)."""
    logging_setup.setup_logging()


def install_error_hook(app: QApplication) -> object | None:
    """Unexpected errors: logged, shown with "copy details", survived.

    Installed by ``WindowStart`` after the first paint: its queued signal needs Qt's
    namespace of enums (~11 ms), which nothing in the shell does; an error before then
    ends ``run_app`` with its traceback in the held log records and on stderr.
    """
    from mixtimer_gui.gui import error_dialog

    return error_dialog.install_error_hook(app, QApplication.activeWindow)


def exec_app(app: QApplication) -> int:
    return app.exec()


def leave_app(app: QApplication, status: int) -> None:
    """End ``exec_app`` with ``status`` (tests that run no loop replace both)."""
    app.exit(status)


def install_reminders(app: QApplication, window: object, services: Services) -> object | None:
    """The tray and reminders; the window works without them if they fail."""
    # Imported here: the scheduler and tray load after the first paint.
    from mixtimer_gui.gui import reminders_wiring

    try:
        return reminders_wiring.install_reminders(app, window, services)
    except Exception:  # reminders failing must not keep the window from opening
        log.exception("installing reminders failed")
        return None


def start_api_server(settings: AppSettings, services: Services, window: object) -> object | None:
    """The action API while the window is open, when Settings turn it on.

    A refusal (a network bind without a token, a port in use) is said in the status bar; the
    window works without the server. The window's ``set_api_state`` hears what became of it.
    """
    report = getattr(window, "set_api_state", None) or (lambda *_args: None)
    if not settings.api_enabled:
        report("off")
        return None
    try:
        from mixtimer_gui.api.server import ApiServer

        server = ApiServer(services, host=settings.api_bind, port=settings.api_port,
                           token=settings.api_token or None,
                           allow_hosts=settings.api_allowed_hosts,
                           allow_origins=settings.api_allowed_origins)
        server.start()
    except Exception as exc:  # ImportError, BindRefusedError, OSError: say it, keep going
        log.warning("action API not started: %s", exc)
        report("failed", str(exc))
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(QApplication.translate(
                "App", "The action API server did not start: %1").replace("%1", str(exc)))
        return None
    report("listening", server.url)
    return server


class ApiServerSwitch:
    """Keeps the action API server in step with Settings while the window is open: a
    change of on/off, bind, port, token or allowed hosts/origins restarts it when the
    dialog is accepted."""

    def __init__(self, settings: AppSettings, services: Services, window: object) -> None:
        self.settings = settings
        self.services = services
        self.window = window
        self.server: object | None = None
        self._running_config: tuple[object, ...] | None = None

    def _config(self) -> tuple[object, ...]:
        s = self.settings
        return (s.api_enabled, s.api_bind, s.api_port, s.api_token,
                tuple(s.api_allowed_hosts), tuple(s.api_allowed_origins))

    def apply(self) -> None:
        if self._on_demo():
            return
        config = self._config()
        if config == self._running_config:
            return
        self.stop()
        self.server = start_api_server(self.settings, self.services, self.window)
        self._running_config = config

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()  # type: ignore[attr-defined]
        self.server = None
        self._running_config = None

    def _on_demo(self) -> bool:
        """Never served from the demo database: another tool must not write there by
        mistake (``gui.welcome``)."""
        from mixtimer_gui.gui.welcome import is_demo  # after the first paint

        if not is_demo(self.services.location):
            return False
        report = getattr(self.window, "set_api_state", None)
        if callable(report):
            report("demo")
        return True


class DamageNotice(QObject):
    """Carries the daily backup's reports from its thread to the GUI thread: damage found,
    or a copy skipped for want of disk space."""

    damaged = Signal(str)
    skipped = Signal(str)


def start_daily_backups(workspace: Workspace, window: QWidget) -> DailyBackups:
    """Today's verified copy and hourly checks; damage found there is told to the user,
    and the next start runs the full check and offers the newest good backup."""
    notice = DamageNotice(window)

    def warn(message: str) -> None:
        QMessageBox.warning(window, QApplication.translate("App", "The database is damaged"),
                            QApplication.translate(
                                "App", "The daily check found the database damaged:\n\n%1\n\n"
                                "Close MixTimer and start it again: it will offer to restore "
                                "the newest good backup. The damaged file is kept.")
                            .replace("%1", message))

    notice.damaged.connect(warn)
    shown = getattr(window, "show_backup_skipped", None)
    if callable(shown):
        notice.skipped.connect(shown)
    return workspace.start_daily_backups(on_damaged=lambda exc: notice.damaged.emit(str(exc)),
                                         on_skipped=lambda exc: notice.skipped.emit(str(exc)))


class WindowStart(QObject):
    """After the shell's first paint: open the database (with recovery), attach it to the
    window, and a moment later start the tray, reminders, API server and daily backups.

    ``gave_up``: the user quit the recovery, the exit status is 1. ``close()`` stops what
    was started and closes the workspace, whether or not the event loop ever ran.
    """

    # the start-up check's finding, posted from its thread: None (sound) or the sentence
    check_finished = Signal(object)

    def __init__(self, app: QApplication, window: MainWindow, db_path: Path | str,
                 settings: AppSettings, *, hidden: bool = False) -> None:
        super().__init__(window)
        self.checking = False
        self.check_finished.connect(self._check_done)
        self.app = app
        self.window = window
        self.db_path = db_path
        self.settings = settings
        self.hidden = hidden  # started hidden to the tray (--minimized)
        self.workspace: Workspace | None = None
        self.api: ApiServerSwitch | None = None
        self.started: dict[str, object | None] = {}
        self.gave_up = False
        self.error_hook: object | None = None
        self.upgrade: Upgrade | None = None
        self._requested = False
        self._log_open = False
        self._background = self._single_shot(BACKGROUND_START_MS, self.start_background)
        self._unpainted = self._single_shot(PAINT_WAIT_MS, self._open_soon)
        window.installEventFilter(self)
        self._unpainted.start()

    def _single_shot(self, ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self._open_soon()
        return False

    def _open_soon(self) -> None:
        if self._requested:
            return
        self._requested = True
        self._unpainted.stop()
        self.window.removeEventFilter(self)
        # Queued: runs once this paint has reached the screen.
        QTimer.singleShot(0, self, self.open_database)

    def open_log(self) -> None:
        """The log file, with what was held until now; once, after the first tab's data
        (opening it is ~8 ms that the window's numbers need not wait for)."""
        if not self._log_open:
            self._log_open = True
            setup_logging()

    def open_database(self) -> None:
        self.error_hook = install_error_hook(self.app)
        self._open()

    def _open(self, failed: Exception | None = None) -> None:
        workspace = open_with_recovery(self.db_path, self.window, failed)
        if workspace == UPGRADE_FIRST:
            self.start_upgrade()
            return
        self._attach(workspace)  # type: ignore[arg-type]

    def start_upgrade(self) -> None:
        """The database's upgrade on its own thread, with progress and Quit; then the
        opening again (``_upgraded``)."""
        from mixtimer_gui.gui.upgrade import Upgrade  # after the first paint

        self.upgrade = Upgrade(self.db_path, self.window)
        self.upgrade.finished.connect(self._upgraded)
        self.upgrade.start()

    def _upgraded(self, outcome: Exception | None) -> None:
        from mixtimer_gui.gui.upgrade import UpgradeCancelled

        self.upgrade = None
        if isinstance(outcome, UpgradeCancelled):
            log.info("the user quit while the database was being upgraded")
            self._attach(None)
        else:  # upgraded (opens at once now), or what it raised: offered recovery
            self._open(outcome)

    def _attach(self, workspace: Workspace | None) -> None:
        if workspace is None:
            self.open_log()
            self.gave_up = True
            self.window.hide()
            leave_app(self.app, 1)
            return
        try:
            workspace.limit_memory(SQLITE_MEMORY_MIB)
        except Exception:  # a cap on a cache must never keep the window from opening
            log.exception("limiting SQLite's memory failed")
        self.workspace = workspace
        self.window.attach(workspace.services)
        if workspace.read_only:
            self.window.show_read_only(workspace.read_only_reason)
        self.api = ApiServerSwitch(self.settings, workspace.services, self.window)
        self.start_check()
        self._background.start()
        QTimer.singleShot(0, self, self.welcome)

    def welcome(self) -> None:
        """A first run on an empty database: the welcome, with the demo database on offer."""
        from mixtimer_gui.gui.welcome import maybe_welcome  # after the first paint

        try:
            maybe_welcome(self.window)
        except Exception:  # a greeting must never keep the window from working
            log.exception("the welcome failed")

    def start_check(self) -> None:
        """The start-up check after an unclean exit, on its own thread: the window shows
        the data meanwhile and says that changes wait (they get that sentence); the
        reminders and the API server (they write) start when it is done."""
        if self.workspace is None:
            return
        self.checking = self.workspace.start_pending_check(
            lambda found: self.check_finished.emit(None if found is None else str(found)))
        if self.checking:
            self.window.show_startup_check(True)

    def _check_done(self, problem: str | None) -> None:
        self.checking = False
        self.window.show_startup_check(False, problem)
        if not self._background.isActive() and "reminders" not in self.started:
            self.start_background()

    def start_background(self) -> None:
        self.open_log()
        if self.workspace is None or self.api is None or self.checking:
            return
        reminders = install_reminders(self.app, self.window, self.workspace.services)
        # team mode: the other workstations' writes reach this window's lists
        self.workspace.start_live_refresh()
        self.started["reminders"] = reminders
        if self.hidden and getattr(reminders, "tray", None) is None:
            # Started hidden for a tray that did not come: the window is all there is.
            self.window.showMinimized()
        self.api.apply()
        self.window.settings_applied.connect(self.api.apply)
        self.started["backups"] = start_daily_backups(self.workspace, self.window)

    def stop(self) -> None:
        """Stop the timers (a loop that never ran must not start anything after the close),
        the API server and the backups."""
        self._unpainted.stop()
        self._background.stop()
        if self.upgrade is not None:
            self.upgrade.stop()
        if self.api is not None:
            self.api.stop()
        backups = self.started.get("backups")
        if backups is not None:
            backups.stop()  # type: ignore[attr-defined]
        self.started.clear()

    def close(self) -> None:
        self.open_log()  # a run too short for the background start still gets its log
        self.stop()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None


def stays_hidden(minimized: bool, tray_available: bool | None = None) -> bool:
    """``--minimized`` on a desktop with a tray: no window until the user asks for it (the
    tray icon appears with the reminders once the database is open)."""
    if not minimized:
        return False
    return desktop_has_tray() if tray_available is None else tray_available


def desktop_has_tray() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def show_window(window: QWidget, *, minimized: bool, hidden: bool) -> None:
    if hidden:
        return
    if minimized:
        window.showMinimized()
    else:
        window.show()


def run_app(db_path: Path | str, lang: str | None = None,
            settings: AppSettings | None = None, *, minimized: bool = False) -> int:
    hold_log_records()
    app = make_application()
    settings = settings or AppSettings()
    i18n.install_language(lang or settings.language)

    instance = SingleInstance(db_path)
    if instance.ask_running_instance():
        setup_logging()
        log.info("another window has %s open; asked it to come forward", db_path)
        return 0
    instance.listen()

    from mixtimer_gui.gui.main_window import MainWindow

    window = MainWindow(None, settings)
    instance.activated.connect(window.bring_to_front)
    hidden = stays_hidden(minimized)
    start = WindowStart(app, window, db_path, settings, hidden=hidden)
    show_window(window, minimized=minimized, hidden=hidden)
    try:
        status = exec_app(app)
        return 1 if start.gave_up else status
    finally:
        start.stop()
        window.bridge.close()
        instance.close()
        start.close()
