"""Start the window: QApplication, translations, one instance per database, services, window.

``run_app`` is what ``mixtimer-gui`` runs without a subcommand. A database that can't be
opened gets the recovery dialog (restore a backup, retry a lock, view read-only) or a clear
message, and exit status 1 if the user quits; a second launch on the same database raises
the first window and exits 0.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mixtimer_gui import logging_setup
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import error_dialog, i18n
from mixtimer_gui.gui.icons import app_icon
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.single_instance import SingleInstance
from mixtimer_gui.gui.theme import apply_app_style
from mixtimer_gui.services import Services
from mixtimer_gui.store.backup import DailyBackups
from mixtimer_gui.store.db import StoreError, limit_page_caches

log = logging.getLogger(__name__)

# SQLite's memory for the whole window (the main connection and worker threads' counts and
# charts together); DESIGN §6 allows 150 MiB with the window open on 1 M handles.
SQLITE_MEMORY_MIB = 8
# The tray, reminders and API server start this long after the window is shown: loading the
# scheduler and the first reminder scan (~70 ms at 10,000 tasks) would otherwise come before
# the window's first paint; nothing in them is urgent to a fraction of a second.
BACKGROUND_START_MS = 300


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("mixtimer")
    app.setApplicationName("mixtimer-gui")
    app.setApplicationDisplayName("MixTimer")
    app.setDesktopFileName("mixtimer-gui")
    app.setWindowIcon(app_icon())
    apply_app_style(app)
    return app


def open_services(db_path: Path) -> Services:
    """The services on ``db_path``; raises ``StoreError``/``DomainError``/``OSError``.

    ``check="auto"``: the full ``quick_check`` runs for files under 64 MiB and after an
    unclean shutdown; a large, cleanly closed file (0.5 s per 500 MB at every start) is
    checked through the verified daily copy instead (``DailyBackups``), which reports damage
    while the window runs.
    """
    return Services.open(db_path, check="auto")


def open_read_only(db_path: Path) -> Services:
    """The services on a read-only view of ``db_path`` (writes then fail with a message)."""
    from mixtimer_gui.store.db import open_database

    return Services(open_database(db_path, read_only=True), data_dir=db_path.parent)


def report_open_failure(db_path: Path, exc: Exception) -> None:
    QMessageBox.critical(
        None, QApplication.translate("App", "MixTimer cannot open its database"),
        QApplication.translate(
            "App", "The database %1 could not be opened:\n\n%2\n\nCheck the path (--db or "
            "MIXTIMER_DB) and that the file is not from a newer version of MixTimer.")
        .replace("%1", str(db_path)).replace("%2", str(exc)))


def choose_recovery(db_path: Path, exc: StoreError) -> str:
    """What to do about a database that would not open: "retry", "read_only" or "quit",
    asked through the recovery dialog (restore the newest good backup, retry a lock, view
    read-only)."""
    from mixtimer_gui.gui.recovery_dialog import Recovery
    from mixtimer_gui.gui.recovery_dialog import choose_recovery as dialog

    choice = dialog(None, exc, db_path)
    if choice in (Recovery.RESTORED, Recovery.RETRY):
        return "retry"
    return "read_only" if choice == Recovery.READ_ONLY else "quit"


MAX_OPEN_ATTEMPTS = 5


def open_with_recovery(db_path: Path) -> Services | None:
    """Open the database, offering recovery while it fails; ``None``: the user gave up."""
    for _attempt in range(MAX_OPEN_ATTEMPTS):
        try:
            return open_services(db_path)
        except StoreError as exc:
            choice = choose_recovery(db_path, exc)
        except (DomainError, OSError) as exc:
            report_open_failure(db_path, exc)
            return None
        if choice == "quit":
            return None
        if choice == "read_only":
            try:
                return open_read_only(db_path)
            except (StoreError, OSError) as exc:
                report_open_failure(db_path, exc)
                return None
    return None


def setup_logging() -> None:
    """The rotating log file in the user log folder."""
    logging_setup.setup_logging()


def install_error_hook(app: QApplication) -> object | None:
    """Unexpected errors: logged, shown with "copy details", survived."""
    return error_dialog.install_error_hook(app, QApplication.activeWindow)


def exec_app(app: QApplication) -> int:
    return app.exec()


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
    window works without the server.
    """
    if not settings.api_enabled:
        return None
    try:
        from mixtimer_gui.api.server import ApiServer

        server = ApiServer(services, host=settings.api_bind, port=settings.api_port,
                           token=settings.api_token or None)
        server.start()
    except Exception as exc:  # ImportError, BindRefusedError, OSError: say it, keep going
        log.warning("action API not started: %s", exc)
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(QApplication.translate(
                "App", "The action API server did not start: %1").replace("%1", str(exc)))
        return None
    return server


class ApiServerSwitch:
    """Keeps the action API server in step with Settings while the window is open: a
    change of on/off, bind, port or token restarts it when the dialog is accepted."""

    def __init__(self, settings: AppSettings, services: Services, window: object) -> None:
        self.settings = settings
        self.services = services
        self.window = window
        self.server: object | None = None
        self._running_config: tuple[object, ...] | None = None

    def _config(self) -> tuple[object, ...]:
        s = self.settings
        return (s.api_enabled, s.api_bind, s.api_port, s.api_token)

    def apply(self) -> None:
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


class DamageNotice(QObject):
    """Carries the daily backup's damage report from its thread to the GUI thread."""

    damaged = Signal(str)


def start_daily_backups(db_path: Path, services: Services, window: QWidget) -> DailyBackups:
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
    backups = DailyBackups(db_path, services.clock,
                           on_damaged=lambda exc: notice.damaged.emit(str(exc)))
    backups.start()
    return backups


def run_app(db_path: Path, lang: str | None = None,
            settings: AppSettings | None = None) -> int:
    setup_logging()
    app = make_application()
    settings = settings or AppSettings()
    i18n.install_language(lang or settings.language)
    error_hook = install_error_hook(app)

    instance = SingleInstance(db_path)
    if instance.ask_running_instance():
        log.info("another window has %s open; asked it to come forward", db_path)
        return 0
    instance.listen()

    services = open_with_recovery(db_path)
    if services is None:
        instance.close()
        return 1
    try:
        limit_page_caches(services.db, SQLITE_MEMORY_MIB)
    except Exception:  # a cap on a cache must never keep the window from opening
        log.exception("limiting SQLite's memory failed")

    from mixtimer_gui.gui.main_window import MainWindow

    window = MainWindow(services, settings)
    instance.activated.connect(window.bring_to_front)
    window.show()
    started: dict[str, object | None] = {}
    api = ApiServerSwitch(settings, services, window)

    def start_background() -> None:
        started["reminders"] = install_reminders(app, window, services)
        api.apply()
        window.settings_applied.connect(api.apply)
        started["backups"] = start_daily_backups(db_path, services, window)

    background = QTimer(window)
    background.setSingleShot(True)
    background.timeout.connect(start_background)
    background.start(BACKGROUND_START_MS)
    try:
        return exec_app(app)
    finally:
        background.stop()  # a loop that never ran must not start them after the close
        api.stop()
        backups = started.get("backups")
        if backups is not None:
            backups.stop()  # type: ignore[attr-defined]
        started.clear()
        del error_hook
        window.bridge.close()
        instance.close()
        services.close()
