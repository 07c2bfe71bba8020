"""``mixtimer-gui import-objects`` / ``import-readings``: a CSV file into the database, all or
nothing unless ``--keep-good``. Each bad row is one line on stderr (its line and column),
then one line says what was imported, or why nothing was."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mixtimer_gui.commands.database import DatabaseAt, no_such_file, open_workspace
from mixtimer_gui.commands.errors import EXIT_OK, PROG, CommandError
from mixtimer_gui.exports.csv_import import (
    OBJECTS,
    READINGS,
    ImportFileError,
    ImportResult,
    import_table,
    read_table,
)


def run(args: argparse.Namespace, db_path: DatabaseAt) -> int:
    kind = OBJECTS if args.command == "import-objects" else READINGS
    if getattr(args, "db", None) and no_such_file(db_path):
        # A mistyped --db would otherwise get a new, empty database and the import in it.
        # (Without --db the user's own database may not exist yet: an import may start it.)
        raise CommandError(f"数据库 {db_path} 不存在;检查 --db 的路径")
    try:
        table = read_table(Path(args.file), kind)
    except ImportFileError as exc:
        raise CommandError(str(exc)) from exc
    with open_workspace(db_path) as workspace:
        services = workspace.services
        result = import_table(services, table, commit=True, keep_good=bool(args.keep_good),
                              update_existing=bool(getattr(args, "update", False)))
    return _report(result, kind, Path(args.file))


def _report(result: ImportResult, kind: str, path: Path) -> int:
    what = "维保对象" if kind == OBJECTS else "统计读数"
    for error in result.errors:
        print(f"{PROG}: {path.name} {error}", file=sys.stderr)
    if result.committed:
        updated = f",其中更新已有对象 {result.updated} 条" if result.updated else ""
        skipped = f",{len(result.errors)} 行有错误未导入" if result.errors else ""
        print(f"已导入 {result.imported} 条{what}(共 {result.total} 行{updated}{skipped})")
        return EXIT_OK
    hint = (f";对象编号已存在的 {result.existing} 行可加 --update 更新"
            if result.existing and not result.updated else "")
    if result.good:
        raise CommandError(f"{len(result.errors)} 行有错误,没有导入任何数据;改正后重试,"
                           f"或加 --keep-good 只导入正确的 {result.good} 行{hint}")
    raise CommandError(f"{len(result.errors)} 行都有错误,没有导入任何数据{hint}")
