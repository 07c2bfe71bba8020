"""``mixtimer-gui`` without a command: the window. It opens its database itself, after its
first paint (``gui.app.WindowStart``), and offers recovery when that fails."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.gui.app import run_app


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    return run_app(db_path, lang=args.lang, minimized=bool(args.minimized))
