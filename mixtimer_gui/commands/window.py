"""``mixtimer-gui`` without a command: the window. It opens its database itself, after its
first paint (``gui.app.WindowStart``), and offers recovery when that fails."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.gui.app import run_app
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.paths import resolve_db_path


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    # The same order as every command (paths.resolve_db_path); asking the settings here
    # also moves a location an earlier version kept among them into the shared file.
    settings = AppSettings()
    where = resolve_db_path(getattr(args, "db", None), saved=settings.database_location)
    return run_app(where, lang=args.lang, settings=settings,
                   minimized=bool(args.minimized))
