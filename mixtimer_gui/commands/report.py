"""``mixtimer-gui report``: work orders, the monthly report or equipment labels as a PDF.

The figures come from the services; the pages are drawn by ``gui.report_pages`` with Qt's
PDF writer, so Qt is loaded here, late, and only for this command (on its offscreen
platform: no display needed).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mixtimer_gui.commands.database import DatabaseAt, no_such_file, open_workspace
from mixtimer_gui.commands.errors import EXIT_OK, CommandError

TITLES = {"work-orders": "维保工单", "monthly": "月度报表", "labels": "设备标签"}


def run(args: argparse.Namespace, db_path: DatabaseAt) -> int:
    if no_such_file(db_path):
        raise CommandError(f"数据库 {db_path} 不存在;用 --db 指定数据库")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CommandError(f"文件夹 {out.parent} 不存在,请先创建或换一个位置")
    from mixtimer_gui.gui import report_dialogs  # Qt, loaded only for this command

    with open_workspace(db_path, for_reading=True) as workspace:
        make = _drawing(report_dialogs, workspace.services, args)
        path = report_dialogs.offscreen_pdf(out, _title(args), make, args.lang)
    print(f"已写入 {path}")
    return EXIT_OK


def _title(args: argparse.Namespace) -> str:
    title = TITLES[args.kind]
    return f"{title} {args.month}" if args.kind == "monthly" else title


def _drawing(dialogs: Any, services: Any, args: argparse.Namespace) -> Callable[[], Any]:
    if args.kind == "work-orders":
        tasks = args.task or None
        return lambda: dialogs.work_orders_drawing(services, tasks,
                                                   None if tasks else args.days)
    if args.kind == "monthly":
        return lambda: dialogs.monthly_drawing(services, args.month)
    if not args.object:
        raise CommandError("设备标签需要至少一个 --object 对象编号")
    return lambda: dialogs.labels_drawing(services, args.object)
