"""The command line (DESIGN §5): a stable contract that tests and scripts drive.

This module parses the arguments and hands them to ``commands``, which runs the command and
turns what it raised into the exit status (0 success, 2 bad arguments, 1 failure with one
line on stderr).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from mixtimer_gui import __version__
from mixtimer_gui.commands.dispatch import run_command
from mixtimer_gui.paths import resolve_db_path


def _db_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # SUPPRESS on subcommands: otherwise their default None overwrites "--db" given before
    # the command name.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
                        help="database file or postgresql://… (default: $MIXTIMER_DB, else the "
                             "location chosen in Settings, else the user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mixtimer-gui",
        description="MixTimer GUI: maintenance planner. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_option(parser, sub=False)
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language")
    parser.add_argument("--minimized", action="store_true",
                        help="start the window hidden in the tray (minimised where the desktop "
                             "has no tray), as start at login does")
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

    export = sub.add_parser("export-handles", help="write handle records to CSV or Excel")
    _db_option(export)
    export.add_argument("--out", required=True, metavar="FILE.csv")
    export.add_argument("--format", choices=("csv", "xlsx"), default=None,
                        help="file format (default: from the file name's ending, else csv)")
    export.add_argument("--where-and", metavar="J")
    export.add_argument("--where-or", metavar="J")
    export.add_argument("--where-in", metavar="J")
    export.add_argument("--wire-header", action="store_true",
                        help="wire field names in the header row instead of Chinese")
    export.add_argument("--checklist-items", action="store_true",
                        help="one row per checklist result (long format, for pivot tables)")

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

    report = sub.add_parser("report", help="work orders, the monthly report or equipment "
                                           "labels as a PDF")
    report_kinds = report.add_subparsers(dest="kind", metavar="KIND", required=True)
    orders = report_kinds.add_parser("work-orders", help="work orders of the tasks due soon "
                                                        "(or of the --task given)")
    orders.add_argument("--days", type=int, default=7,
                        help="tasks due within this many days, overdue ones included")
    orders.add_argument("--task", action="append", default=[], metavar="UID",
                        help="a task to print (repeatable); instead of --days")
    monthly = report_kinds.add_parser("monthly", help="the monthly report of one month")
    monthly.add_argument("--month", required=True, metavar="YYYY-MM")
    labels = report_kinds.add_parser("labels", help="an A4 sheet of equipment labels")
    labels.add_argument("--object", action="append", default=[], metavar="UID",
                        help="an object to print a label for (repeatable)")
    for kind in (orders, monthly, labels):
        _db_option(kind)
        kind.add_argument("--out", required=True, metavar="FILE.pdf")
        kind.add_argument("--lang", choices=("zh_CN", "en"), default=argparse.SUPPRESS,
                          help="language of the report (default: zh_CN)")

    demo = sub.add_parser("demo-data", help="fill the database with realistic demo data")
    _db_option(demo)
    demo.add_argument("--objects", type=int, default=40)
    demo.add_argument("--projects", type=int, default=12)
    demo.add_argument("--handles", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)

    copy = sub.add_parser(
        "copy-db", help="copy every record into a new, empty database and verify the copy "
                        "(SQLite to PostgreSQL for team mode, or back)")
    copy.add_argument("--from", dest="source", required=True, metavar="SRC",
                      help="the database to copy: a SQLite file or postgresql://…")
    copy.add_argument("--to", dest="target", required=True, metavar="DST",
                      help="an empty (or not yet existing) database: a SQLite file or "
                           "postgresql://…")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args.command, args, resolve_db_path(getattr(args, "db", None)))


if __name__ == "__main__":
    raise SystemExit(main())
