"""Start the window: QApplication, translations, one instance per database, services, window.

``run_app`` is what ``mixtimer-gui`` runs without a subcommand. A database that can't be
opened gets a clear message box and exit status 1; a second launch on the same database
raises the first window and exits 0.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.icons import app_icon
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.single_instance import SingleInstance
from mixtimer_gui.gui.theme import apply_app_style
from mixtimer_gui.services import Services
from mixtimer_gui.store.db import StoreError

log = logging.getLogger(__name__)


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
    """The services on ``db_path``; raises ``StoreError``/``DomainError``/``OSError``."""
    return Services.open(db_path)


def report_open_failure(db_path: Path, exc: Exception) -> None:
    QMessageBox.critical(
        None, QApplication.translate("App", "MixTimer cannot open its database"),
        QApplication.translate(
            "App", "The database %1 could not be opened:\n\n%2\n\nCheck the path (--db or "
            "MIXTIMER_DB) and that the file is not from a newer version of MixTimer.")
        .replace("%1", str(db_path)).replace("%2", str(exc)))


def install_reminders(app: QApplication, window: object, services: Services) -> object | None:
    """The tray and reminders (another module); the window works without them."""
    try:
        wiring = importlib.import_module("mixtimer_gui.gui.reminders_wiring")
    except ImportError:
        log.info("reminders wiring not available")
        return None
    try:
        return wiring.install_reminders(app, window, services)
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


def run_app(db_path: Path, lang: str | None = None,
            settings: AppSettings | None = None) -> int:
    app = make_application()
    settings = settings or AppSettings()
    i18n.install_language(lang or settings.language)

    instance = SingleInstance(db_path)
    if instance.ask_running_instance():
        log.info("another window has %s open; asked it to come forward", db_path)
        return 0
    instance.listen()

    try:
        services = open_services(db_path)
    except (StoreError, DomainError, OSError) as exc:
        report_open_failure(db_path, exc)
        instance.close()
        return 1

    from mixtimer_gui.gui.main_window import MainWindow

    window = MainWindow(services, settings)
    instance.activated.connect(window.bring_to_front)
    window.show()
    reminders = install_reminders(app, window, services)
    server = start_api_server(settings, services, window)
    try:
        return app.exec()
    finally:
        if server is not None:
            server.stop()
        del reminders
        instance.close()
        services.close()
