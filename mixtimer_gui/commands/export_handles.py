"""``mixtimer-gui export-handles``: the handles matching the filters to a CSV or Excel file,
one line saying how many went where."""

from __future__ import annotations

import argparse
from pathlib import Path

from mixtimer_gui.commands.database import DatabaseAt, no_such_file, open_workspace
from mixtimer_gui.commands.errors import EXIT_OK, CommandError
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.checklist_export import export_checklist_results
from mixtimer_gui.exports.csv_export import ExportError, export_handles


def file_format(args: argparse.Namespace) -> str:
    """``--format``, else the file name's ending (``.xlsx`` is Excel), else CSV."""
    if args.format:
        return str(args.format)
    return "xlsx" if Path(args.out).suffix.lower() == ".xlsx" else "csv"


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
            if file_format(args) == "xlsx":
                if args.wire_header:
                    raise CommandError("--wire-header 只用于 CSV;Excel 文件的表头总是中文,"
                                       "去掉 --wire-header 或导出为 .csv")
                if long_format:
                    raise CommandError("--checklist-items 只导出 CSV;去掉 --format xlsx "
                                       "或导出为 .csv")
                # loaded only for Excel: the CSV path stays as quick to start as it was
                from mixtimer_gui.exports.xlsx_export import export_handles_xlsx

                result = export_handles_xlsx(services, Path(args.out), params)
            else:
                result = write(services, Path(args.out), params,
                               wire_header=bool(args.wire_header))
        except (DomainError, ExportError) as exc:
            raise CommandError(str(exc)) from exc
    what = "条检查结果" if long_format else "条维保记录"
    print(f"已导出 {result.rows} {what}到 {result.path}")
    return EXIT_OK
