"""The log: a rotating file in the user log folder (``paths.log_dir()``), for the window and
for ``serve``.

``setup_logging(level)`` is safe to call more than once (it replaces its own handlers) and
never fails: when the log folder cannot be written, it logs to stderr only and says so there.
Tracebacks of unexpected errors go here, never to the user (DESIGN §7).

The window opens the file after its first paint (``logging.handlers`` alone costs ~8 ms of
start-up): ``hold_early_records()`` keeps what is logged before that, and ``setup_logging``
writes it into the file first.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mixtimer_gui import paths

LOG_FILE_NAME = "mixtimer-gui.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

_MARK = "_mixtimer_handler"  # tags the handlers this module installed
# ``log.error(..., extra=FILE_ONLY)``: for the file, not for a stderr copy (the caller has
# already told the user in its own words).
FILE_ONLY = {"file_only": True}


class TerminalFormatter(logging.Formatter):
    """For stderr: the record's line without its traceback, which stays in the log file
    (DESIGN §7: no traceback reaches a user)."""

    def format(self, record: logging.LogRecord) -> str:
        # Formatter.format caches the traceback on the record (exc_text) for the handlers
        # after this one: hide it for this line only, then put everything back.
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _not_file_only(record: logging.LogRecord) -> bool:
    return not getattr(record, "file_only", False)


class EarlyRecords(logging.Handler):
    """Holds the records logged before the log file is opened, for ``setup_logging`` to
    write; warnings and errors also reach stderr at once, as they would with no handler."""

    LIMIT = 1000

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.LIMIT:
            self.records.append(record)
        if record.levelno >= logging.WARNING and logging.lastResort is not None:
            logging.lastResort.handle(record)


def hold_early_records(level: int | str = logging.INFO) -> None:
    """Keep what is logged from now until ``setup_logging`` opens the file."""
    shutdown_logging()
    root = logging.getLogger()
    root.setLevel(_level_of(level))
    handler = EarlyRecords()
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    logging.captureWarnings(True)


def setup_logging(level: int | str = logging.INFO, *, log_dir: Path | None = None,
                  stderr: bool = False) -> Path | None:
    """Log to ``<log_dir>/mixtimer-gui.log`` (rotated at 1 MB, 5 old files kept).

    ``stderr=True`` also copies records to stderr (``serve``: its stdout is reserved for
    the "listening on" line). Returns the log file, or ``None`` when it could not be opened.
    Records held by ``hold_early_records`` are written first.
    """
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    early = [r for h in root.handlers if isinstance(h, EarlyRecords) for r in h.records]
    shutdown_logging()
    root.setLevel(_level_of(level))
    log_file: Path | None = (log_dir or paths.log_dir()) / LOG_FILE_NAME
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = RotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8",
            delay=False)
    except OSError as exc:
        print(f"mixtimer-gui: 无法写入日志文件 {log_file}({exc}),日志只输出到终端",
              file=sys.stderr)
        log_file, file_handler, stderr = None, logging.NullHandler(), True
    file_handler.setFormatter(logging.Formatter(FORMAT))
    handlers = [file_handler]
    if stderr:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(TerminalFormatter(FORMAT))
        terminal.addFilter(_not_file_only)
        handlers.append(terminal)
    for handler in handlers:
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    logging.captureWarnings(True)
    for record in early:
        for handler in handlers:
            if record.levelno >= handler.level:
                handler.handle(record)
    return log_file


def shutdown_logging() -> None:
    """Remove and close the handlers ``setup_logging`` installed (tests, a clean exit)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()


def current_log_file() -> Path | None:
    """The file ``setup_logging`` writes to (for "open the log folder" or error details)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _MARK, False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def _level_of(level: int | str) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(level.upper())
    return value if isinstance(value, int) else logging.INFO
