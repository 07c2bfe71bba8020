"""From a parsed command line to an exit status.

Each command's module is imported only when that command runs: the window's start never
pays for the CSV or server code, and ``--help`` or a headless command never loads Qt.

Whatever a command raises ends here. An expected failure (``CommandError``, a rule's
``DomainError``, an ``OSError`` such as a full disk) is one line on stderr and exit status 1;
an unexpected one is a bug: its traceback goes to the log file and one line on stderr says
where (DESIGN §7: no traceback reaches a user).
"""

from __future__ import annotations

import argparse
import importlib
import logging
from pathlib import Path

from mixtimer_gui.commands.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    CommandError,
    say,
)
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.logging_setup import FILE_ONLY, current_log_file, setup_logging

log = logging.getLogger(__name__)

# command name (None: no command, the window) → module of mixtimer_gui.commands
MODULES: dict[str | None, str] = {
    None: "window",
    "serve": "serve",
    "export-handles": "export_handles",
    "import-objects": "import_csv",
    "import-readings": "import_csv",
    "demo-data": "demo_data",
    "copy-db": "copy_db",
    "report": "report",
}


def run_command(command: str | None, args: argparse.Namespace, db_path: Path | str) -> int:
    """Run ``command`` with its parsed ``args``; returns the exit status."""
    try:
        module = importlib.import_module(f"mixtimer_gui.commands.{MODULES[command]}")
        return int(module.run(args, db_path))
    except CommandError as exc:
        say(str(exc))
        return exc.status
    except (DomainError, OSError) as exc:
        say(str(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:
        return report_unexpected(command, exc)


def report_unexpected(command: str | None, exc: Exception) -> int:
    """The traceback into the log file (opened now if the command had not), one line on
    stderr naming that file; exit status 1."""
    log_file = current_log_file() or setup_logging()
    what = f"{type(exc).__name__}: {exc}"
    if log_file is None:  # setup_logging has said on stderr why there is no file
        say(f"意外错误({what}),无法写入日志")
        return EXIT_FAILURE
    log.error("unexpected error in %s", command or "the window", exc_info=exc,
              extra=FILE_ONLY)
    say(f"意外错误({what});详细信息已写入日志 {log_file}")
    return EXIT_FAILURE
