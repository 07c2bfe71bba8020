"""``mixtimer-gui export-handles``: the handles matching the filters to a CSV file, one line
saying how many went where."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.commands.database import DatabaseAt, no_such_file, open_workspace
from mixtimer_gui.commands.errors import EXIT_OK, CommandError
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.checklist_export import export_checklist_results
from mixtimer_gui.exports.csv_export import ExportError, export_handles


def run(args: argparse.Namespace, db_path: DatabaseAt) -> int:
    if no_such_file(db_path):
        raise CommandError(f"数据库 {db_path} 不存在;用 --db 指定要导出的数据库")
    params = {"where_and": args.where_and, "where_or": args.where_or,
              "where_in": args.where_in}
    with open_workspace(db_path, for_reading=True) as workspace:
        services = workspace.services
        long_format = bool(getattr(args, "checklist_items", False))
        write = export_checklist_results if long_format else export_handles
        try:
            result = write(services, Path(args.out), params,
                           wire_header=bool(args.wire_header))
        except (DomainError, ExportError) as exc:
            raise CommandError(str(exc)) from exc
    what = "条检查结果" if long_format else "条维保记录"
    print(f"已导出 {result.rows} {what}到 {result.path}")
    return EXIT_OK
