"""``mixtimer-gui copy-db --from SRC --to DST``: every row of one database into another,
empty one (SQLite → PostgreSQL to start team mode, PostgreSQL → SQLite for a copy to take
away), then the per-table counts and the verdict of the check."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.commands.errors import EXIT_OK, CommandError
from mixtimer_gui.paths import resolve_db_path
from mixtimer_gui.services.copying import copy_database
from mixtimer_gui.services.errors import StoreError


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    # --from / --to are read as --db is: a file path, or a server location (team mode)
    source, target = resolve_db_path(args.source), resolve_db_path(args.target)
    try:
        report = copy_database(source, target)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    for table in report.tables:
        print(f"  {table.table}: {table.rows} 行，校验和 {table.checksum[:16]}")
    print(f"已从 {source} 复制 {report.rows} 行({len(report.tables)} 张表)到 {target};"
          "每张表的行数和校验和都已核对一致")
    return EXIT_OK
