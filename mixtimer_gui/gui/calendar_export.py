"""导出日历: ask how far ahead and where, then write the .ics on a ``Worker`` (a large plant's
calendar takes a moment) and say in the status bar where it went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox

from mixtimer_gui import files
from mixtimer_gui.exports.calendar_ics import build_calendar
from mixtimer_gui.gui.background import Worker, own_connection
from mixtimer_gui.services import Services

DEFAULT_DAYS = 90
MAX_DAYS = 3660


def write_calendar(services: Services, path: Path, days: int) -> int:
    """Write the calendar to ``path`` (whole or not at all); returns how many events."""
    items = services.calendar.occurrences(days)
    data = build_calendar(items, services.clock.now())
    with files.replacing(path, files.new_file_beside(path)) as fh:
        fh.write(data)
    return len(items)


class CalendarExport(QObject):
    def __init__(self, window: QMainWindow, services: Services) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.worker = Worker(own_connection(services), "calendar-export", self)
        self.path: Path | None = None

    def start(self) -> None:
        days, ok = QInputDialog.getInt(
            self.window, self.tr("Export calendar"),
            self.tr("Also list the fixed plans' occurrences due within this many days:"),
            DEFAULT_DAYS, 0, MAX_DAYS)
        if not ok:
            self.deleteLater()
            return
        name, _filter = QFileDialog.getSaveFileName(
            self.window, self.tr("Export calendar"), str(Path.home() / "mixtimer.ics"),
            self.tr("iCalendar files (*.ics)"))
        if not name:
            self.deleteLater()
            return
        self.path = Path(name if name.lower().endswith(".ics") else name + ".ics")
        self.run(days)

    def run(self, days: int) -> None:
        path = self.path
        assert path is not None
        self.worker.run(lambda _job: write_calendar(self.services, path, days),
                        self._done, self._failed)

    def _done(self, count: Any) -> None:
        self.window.statusBar().showMessage(
            self.tr("%1 events written to %2").replace("%1", str(count))
            .replace("%2", str(self.path)), 8000)

    def _failed(self, error: Exception) -> None:
        QMessageBox.warning(self.window, self.tr("Export calendar"),
                            self.tr("The calendar could not be written: %1")
                            .replace("%1", str(error)))
