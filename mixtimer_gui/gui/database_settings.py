"""Settings → 数据库: where the data is now, where it will be at the next start, a test of
that location, backing up a team database (``pg_dump``) and 导出离线副本.

The location typed here is kept for the next start of the window and of every command
(``serve``, ``export-handles`` …), after ``--db`` and ``MIXTIMER_DB``
(``paths.resolve_db_path``). It never holds a password: a
server location with one is refused (libpq's ``.pgpass`` is the place). The connection test
and the offline copy run on ``Worker`` threads: a server that does not answer never freezes
the window.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.gui.background import Worker, own_connection
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.widgets import role_label
from mixtimer_gui.services import Services
from mixtimer_gui.services.copying import CopyReport, export_offline_copy
from mixtimer_gui.services.errors import StoreError
from mixtimer_gui.services.location import (
    FILE_EXISTS,
    SERVER_ANSWERS,
    Location,
    check_location,
)


@contextlib.contextmanager
def _no_connection() -> Iterator[Callable[[], None]]:
    """The connection test's "connection": it opens (and closes) its own."""
    yield lambda: None


def pg_dump_command(location: Location, today: date) -> str:
    """A backup command for the team database, to copy into a terminal on the server."""
    return f'pg_dump -Fc -d "{location.server}" -f mixtimer-{today.isoformat()}.dump'


class DatabaseBox(QGroupBox):
    """The 数据库 section of the settings dialog; ``apply()`` saves it (on OK)."""

    def __init__(self, settings: AppSettings, services: Services, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.services = services
        self.today = today
        self._tester = Worker(_no_connection, "mixtimer-db-test", self)
        self._copier = Worker(own_connection(services), "mixtimer-offline-copy", self)
        self._build()
        self.location_edit.setText(settings.database_location)
        self.retranslate()

    @property
    def location(self) -> Location:
        return self.services.location

    def _build(self) -> None:
        column = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        column.addLayout(form)
        self.current_label = QLabel(self)
        # a read-only field, not a label: a long server location scrolls (a wrapped label
        # in a form row is squeezed) and can be selected and copied
        self.current_value = QLineEdit(str(self.location), self)
        self.current_value.setReadOnly(True)
        self.current_value.setFrame(False)
        self.current_value.setCursorPosition(0)
        form.addRow(self.current_label, self.current_value)
        next_row = QHBoxLayout()
        self.location_edit = QLineEdit(self)
        self.test_button = QPushButton(self)
        self.test_button.clicked.connect(self.test_connection)
        next_row.addWidget(self.location_edit, 1)
        next_row.addWidget(self.test_button)
        self.next_label = QLabel(self)
        self.next_label.setBuddy(self.location_edit)
        form.addRow(self.next_label, next_row)
        self.test_status = role_label(self, "hint", wrap=True)
        self.test_status.hide()
        column.addWidget(self.test_status)
        self.next_hint = role_label(self, "hint", wrap=True)
        column.addWidget(self.next_hint)

        self.dump_hint = role_label(self, "hint", wrap=True)
        column.addWidget(self.dump_hint)
        dump_row = QHBoxLayout()
        self.dump_edit = QLineEdit(self)
        self.dump_edit.setReadOnly(True)
        self.copy_command_button = QPushButton(self)
        self.copy_command_button.clicked.connect(self.copy_dump_command)
        dump_row.addWidget(self.dump_edit, 1)
        dump_row.addWidget(self.copy_command_button)
        column.addLayout(dump_row)
        team = self.location.is_server
        self.dump_edit.setText(pg_dump_command(self.location, self.today) if team else "")
        self.dump_edit.setCursorPosition(0)
        for widget in (self.dump_hint, self.dump_edit, self.copy_command_button):
            widget.setVisible(team)

        offline_row = QHBoxLayout()
        self.offline_button = QPushButton(icon("export"), "", self)
        self.offline_button.clicked.connect(self.choose_offline_copy)
        offline_row.addWidget(self.offline_button)
        offline_row.addStretch(1)
        column.addLayout(offline_row)
        # Return in a field is the dialog's OK, never one of these
        for button in (self.test_button, self.copy_command_button, self.offline_button):
            button.setAutoDefault(False)
        self.offline_status = role_label(self, "hint", wrap=True)
        self.offline_status.hide()
        column.addWidget(self.offline_status)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Database"))
        self.current_label.setText(self.tr("Now open:"))
        self.current_value.setToolTip(
            self.tr("Team mode: a PostgreSQL database shared by every workstation")
            if self.location.is_server
            else self.tr("This workstation only: a SQLite file"))
        self.next_label.setText(self.tr("At &next start:"))
        self.location_edit.setPlaceholderText(
            self.tr("the same; or a file, or postgresql://user@host/dbname"))
        self.test_button.setText(self.tr("Test &connection"))
        self.next_hint.setText(self.tr(
            "Used from the next start on, by the window and by the commands (serve, "
            "export-handles …), unless --db or MIXTIMER_DB names a database. "
            "Never type a password here: each workstation keeps it in its own .pgpass "
            "file."))
        self.dump_hint.setText(self.tr(
            "In team mode the program makes no file backups: the database lives on the "
            "server. Back it up there with pg_dump, for example:"))
        self.copy_command_button.setText(self.tr("Cop&y"))
        self.offline_button.setText(self.tr("E&xport offline copy…"))
        self.offline_button.setToolTip(self.tr(
            "A SQLite file with every record, which opens on any computer by itself "
            "(single-workstation mode)."))

    # -- the next start -------------------------------------------------------------------

    def problem(self) -> str:
        """Why the typed location cannot be saved (a password in it, an unknown kind), or
        ""."""
        text = self.location_edit.text().strip()
        if not text:
            return ""
        try:
            Location.parse(text)
        except StoreError as exc:
            return str(exc)
        return ""

    def apply(self) -> bool:
        """Save the typed location for the next start; ``False`` (and why, shown) when it
        cannot be."""
        problem = self.problem()
        if problem:
            self._say(self.test_status, problem, error=True)
            return False
        try:
            self.settings.database_location = self.location_edit.text()
        except OSError as exc:
            self._say(self.test_status, self.tr(
                "The location could not be kept for the next start: %1").replace(
                    "%1", exc.strerror or str(exc)), error=True)
            return False
        return True

    def test_connection(self) -> None:
        text = self.location_edit.text().strip() or str(self.location)
        self.test_button.setEnabled(False)
        self._say(self.test_status, self.tr("Connecting…"))
        self._tester.run(lambda _job: check_location(text), self._tested, self._test_failed)

    def _tested(self, found: tuple[Location, str]) -> None:
        location, kind = found
        self.test_button.setEnabled(True)
        if kind == SERVER_ANSWERS:
            text = self.tr("Connected: the server answers and the database is there.")
        elif kind == FILE_EXISTS:
            text = self.tr("The file %1 exists.").replace("%1", str(location))
        else:
            text = self.tr("The file %1 does not exist yet: it will be created at the next "
                           "start.").replace("%1", str(location))
        self._say(self.test_status, text)

    def _test_failed(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        if not isinstance(error, (StoreError, OSError)):
            raise error
        self._say(self.test_status, str(error), error=True)

    def copy_dump_command(self) -> None:
        QApplication.clipboard().setText(self.dump_edit.text())

    # -- 导出离线副本 ------------------------------------------------------------------------

    def choose_offline_copy(self) -> None:
        suggested = self.services.ctx.data_dir / f"mixtimer-{self.today.isoformat()}.db"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export offline copy"), str(suggested),
            self.tr("Databases (*.db)"), options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.export_offline_copy(Path(path))

    def export_offline_copy(self, path: Path) -> None:
        """Copy the open database into a new SQLite file at ``path``, off the GUI thread."""
        self.offline_button.setEnabled(False)
        self._say(self.offline_status, self.tr("Copying…"))
        services = self.services
        self._copier.run(lambda _job: export_offline_copy(services, path),
                         lambda report: self._copied(path, report), self._copy_failed)

    def _copied(self, path: Path, report: CopyReport) -> None:
        self.offline_button.setEnabled(True)
        self._say(self.offline_status, self.tr(
            "Copied %1 records into %2; every table's count and checksum match.")
            .replace("%1", str(report.rows)).replace("%2", str(path)))

    def _copy_failed(self, error: Exception) -> None:
        self.offline_button.setEnabled(True)
        if not isinstance(error, (StoreError, OSError)):
            raise error
        self._say(self.offline_status, str(error), error=True)

    def _say(self, label: QLabel, text: str, *, error: bool = False) -> None:
        label.setProperty("role", "error" if error else "hint")
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)
        label.show()

    def busy(self) -> bool:
        return self._tester.busy or self._copier.busy

    def wait(self) -> Any:
        return self._tester.wait() and self._copier.wait()
