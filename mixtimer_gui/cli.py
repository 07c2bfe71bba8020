"""The command line (DESIGN §5): a stable contract that tests and scripts drive.

Exit status: 0 success, 2 bad arguments, 1 failure with one clear line on stderr.
Each subcommand's work lives in its own module, imported only when that command runs, so
``mixtimer-gui --help`` and the headless commands never load Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mixtimer_gui import __version__
from mixtimer_gui.paths import resolve_db_path


class CommandError(Exception):
    """A failure to report as one line on stderr with exit status 1."""


def _db_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # SUPPRESS on subcommands: otherwise their default None overwrites "--db" given before
    # the command name.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
                        help="database file (default: $MIXTIMER_DB or the user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mixtimer-gui",
        description="MixTimer GUI: maintenance planner. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_option(parser, sub=False)
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="headless action API server with logged reminders")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8848, help="0 picks a free port")
    serve.add_argument("--block", default="mixtimer", help="the path segment before /api")
    serve.add_argument("--token", default=None,
                       help="required for any bind other than 127.0.0.1")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also accept requests naming this host (repeatable)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="let pages of this web origin call the API (repeatable)")

    export = sub.add_parser("export-handles", help="write handle records to CSV")
    _db_option(export)
    export.add_argument("--out", required=True, metavar="FILE.csv")
    export.add_argument("--where-and", metavar="J")
    export.add_argument("--where-or", metavar="J")
    export.add_argument("--where-in", metavar="J")
    export.add_argument("--wire-header", action="store_true",
                        help="wire field names in the header row instead of Chinese")

    for name, what in (("import-objects", "objects"), ("import-readings", "meter readings")):
        imp = sub.add_parser(name, help=f"import {what} from CSV (all or nothing)")
        _db_option(imp)
        imp.add_argument("file", metavar="FILE.csv")
        imp.add_argument("--keep-good", action="store_true",
                         help="import the good rows even when some rows are bad")
        if name == "import-objects":
            imp.add_argument("--update", action="store_true",
                             help="update objects whose number (uid) already exists, from the "
                                  "file's columns, instead of refusing those rows")

    demo = sub.add_parser("demo-data", help="fill the database with realistic demo data")
    _db_option(demo)
    demo.add_argument("--objects", type=int, default=40)
    demo.add_argument("--projects", type=int, default=12)
    demo.add_argument("--handles", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)
    return parser


def _run_gui(args: argparse.Namespace, db: Path) -> int:
    from mixtimer_gui.gui.app import run_app

    return run_app(db, lang=args.lang)


def _run_serve(args: argparse.Namespace, db: Path) -> int:
    from mixtimer_gui.api.serve import run_serve
    from mixtimer_gui.reminders.headless import start_logged

    # Headless reminders go to the log; start_logged returns the function that stops them,
    # which serve calls before it closes the database.
    return run_serve(db, host=args.host, port=args.port, block=args.block, token=args.token,
                     allow_hosts=args.allow_host, allow_origins=args.allow_origin,
                     on_started=lambda services, _server: start_logged(services))


def _run_export(args: argparse.Namespace, db: Path) -> int:
    from mixtimer_gui.exports.cli import run_export

    return run_export(db, args)


def _run_import(args: argparse.Namespace, db: Path) -> int:
    from mixtimer_gui.exports.cli import run_import

    return run_import(db, args)


def _run_demo(args: argparse.Namespace, db: Path) -> int:
    from mixtimer_gui.demo_data import run_demo

    return run_demo(db, objects=args.objects, projects=args.projects, handles=args.handles,
                    seed=args.seed)


COMMANDS: dict[str | None, Callable[[argparse.Namespace, Path], int]] = {
    None: _run_gui,
    "serve": _run_serve,
    "export-handles": _run_export,
    "import-objects": _run_import,
    "import-readings": _run_import,
    "demo-data": _run_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    db = resolve_db_path(getattr(args, "db", None))
    try:
        return COMMANDS[args.command](args, db)
    except CommandError as exc:
        print(f"mixtimer-gui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from mixtimer_gui.domain.errors import DomainError
        from mixtimer_gui.store.db import StoreError

        if isinstance(exc, DomainError | StoreError | OSError):
            print(f"mixtimer-gui: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    raise SystemExit(main())
