"""``export-handles`` / ``import-objects`` / ``import-readings``: one line per outcome.

Exit status as DESIGN §5: 0 done, 1 failed (``CommandError``: ``cli.main`` prints the reason
on stderr), 2 bad arguments (argparse). An import with bad rows lists each of them with its
line number first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mixtimer_gui.cli import CommandError
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.csv_export import ExportError, export_handles
from mixtimer_gui.exports.csv_import import (
    OBJECTS,
    READINGS,
    ImportFileError,
    ImportResult,
    import_table,
    read_table,
)
from mixtimer_gui.services import Services
from mixtimer_gui.store.db import DatabaseLockedError, ReadOnlyDatabaseError

PROG = "mixtimer-gui"


def run_export(db_path: Path, args: argparse.Namespace) -> int:
    if not Path(db_path).is_file():
        raise CommandError(f"数据库 {db_path} 不存在;用 --db 指定要导出的数据库")
    params = {"where_and": args.where_and, "where_or": args.where_or,
              "where_in": args.where_in}
    services = _open_for_reading(db_path)
    try:
        result = export_handles(services, Path(args.out), params,
                                wire_header=bool(args.wire_header))
    except (DomainError, ExportError) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        services.close()
    print(f"已导出 {result.rows} 条维保记录到 {result.path}")
    return 0


def _open_for_reading(db_path: Path) -> Services:
    """Opened for writing, so a damaged database is reported (with its newest good backup) up
    front; ``check="auto"`` skips only the integrity scan of a large, cleanly closed file (half
    a second at a million handles; the daily backup verifies those). One that cannot be
    written (read-only, or locked by another program) is still readable: an export never
    writes."""
    try:
        return Services.open(db_path, check="auto")
    except (ReadOnlyDatabaseError, DatabaseLockedError):
        return Services.open(db_path, read_only=True)


def run_import(db_path: Path, args: argparse.Namespace) -> int:
    kind = OBJECTS if args.command == "import-objects" else READINGS
    if getattr(args, "db", None) and not Path(db_path).is_file():
        # A mistyped --db would otherwise get a new, empty database and the import in it.
        # (Without --db the user's own database may not exist yet: an import may start it.)
        raise CommandError(f"数据库 {db_path} 不存在;检查 --db 的路径")
    try:
        table = read_table(Path(args.file), kind)
    except ImportFileError as exc:
        raise CommandError(str(exc)) from exc
    services = Services.open(db_path)
    try:
        result = import_table(services, table, commit=True, keep_good=bool(args.keep_good),
                              update_existing=bool(getattr(args, "update", False)))
    finally:
        services.close()
    return _report(result, kind, Path(args.file))


def _report(result: ImportResult, kind: str, path: Path) -> int:
    what = "维保对象" if kind == OBJECTS else "统计读数"
    for error in result.errors:
        print(f"{PROG}: {path.name} {error}", file=sys.stderr)
    if result.committed:
        updated = f",其中更新已有对象 {result.updated} 条" if result.updated else ""
        skipped = f",{len(result.errors)} 行有错误未导入" if result.errors else ""
        print(f"已导入 {result.imported} 条{what}(共 {result.total} 行{updated}{skipped})")
        return 0
    hint = (f";对象编号已存在的 {result.existing} 行可加 --update 更新"
            if result.existing and not result.updated else "")
    if result.good:
        raise CommandError(f"{len(result.errors)} 行有错误,没有导入任何数据;改正后重试,"
                           f"或加 --keep-good 只导入正确的 {result.good} 行{hint}")
    raise CommandError(f"{len(result.errors)} 行都有错误,没有导入任何数据{hint}")
