"""``mixtimer-gui demo-data``: fill a database that has no projects yet with realistic demo
data (``mixtimer_gui.demo``), then one summary line."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.commands.database import open_workspace
from mixtimer_gui.commands.errors import EXIT_OK, CommandError
from mixtimer_gui.demo.loader import DemoRefused, check_sizes, load
from mixtimer_gui.domain.clock import SystemClock


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    sizes = {"objects": args.objects, "projects": args.projects, "handles": args.handles}
    # A team database is loaded with COPY; like a file, only one without projects.
    try:
        check_sizes(**sizes)  # before opening: bad sizes create no database
        with open_workspace(db_path) as workspace:
            services = workspace.services
            summary = load(services.db, seed=args.seed, now=SystemClock().now(), **sizes)
    except DemoRefused as exc:
        raise CommandError(str(exc)) from exc
    print(summary.line(db_path))
    return EXIT_OK
