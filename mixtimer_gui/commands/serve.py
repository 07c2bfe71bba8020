"""``mixtimer-gui serve``: the headless action API server, with the reminders going to the
log. Refused arguments are exit status 2, a port nobody can listen on 1."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mixtimer_gui.api.serve import CannotListen, ServeRefused, run_serve
from mixtimer_gui.commands.database import open_workspace
from mixtimer_gui.commands.errors import EXIT_BAD_ARGUMENTS, EXIT_OK, CommandError

if TYPE_CHECKING:
    from mixtimer_gui.services import Services


def _start_reminders(services: Services) -> Callable[[], None]:
    # Imported here: APScheduler is not needed before the listening line.
    from mixtimer_gui.reminders.headless import start_logged

    return start_logged(services)


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    try:
        # start_logged returns the function that stops the reminders, which serve calls
        # before it closes the database.
        run_serve(db_path, host=args.host, port=args.port, block=args.block, token=args.token,
                  open_workspace=lambda path: open_workspace(path, check="background"),
                  allow_hosts=args.allow_host,
                  allow_origins=args.allow_origin,
                  on_started=lambda services, _server: _start_reminders(services))
    except ServeRefused as exc:
        raise CommandError(str(exc), EXIT_BAD_ARGUMENTS) from exc
    except CannotListen as exc:
        raise CommandError(str(exc)) from exc
    return EXIT_OK
