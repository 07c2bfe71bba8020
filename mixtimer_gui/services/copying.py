"""Copying a whole database to another location (``mixtimer-gui copy-db``, 导出离线副本).

The rows and the checks are ``store.transfer``'s; here both locations are opened (the target
created and migrated when it does not exist yet) and closed again, and the request itself is
checked first: a source that does not exist, or a target that is the source, changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from mixtimer_gui.services.core import Services
from mixtimer_gui.services.location import SQLITE, Location, open_location
from mixtimer_gui.store.models import Store
from mixtimer_gui.store.transfer import CopyError, CopyReport, Progress, TableCopy, copy_store

__all__ = ["CopyError", "CopyReport", "TableCopy", "copy_database", "copy_open_store",
           "export_offline_copy"]


def copy_database(source: Location | Path | str, target: Location | Path | str, *,
                  progress: Progress | None = None) -> CopyReport:
    """Copy every row at ``source`` into the empty database at ``target`` and verify it.

    Raises ``CopyError`` (or another ``StoreError`` from opening either side) with one
    sentence; a target that already holds data is left as it was.
    """
    src, dst = Location.parse(source), Location.parse(target)
    if not src.is_server and not src.path.is_file():
        raise CopyError(f"源数据库 {src} 不存在;请检查 --from 给出的位置")
    if _same(src, dst):
        raise CopyError(f"源和目标是同一个数据库 {src};请给 --to 指定另一个位置")
    source_store = open_location(src, check="auto")
    try:
        return copy_open_store(source_store, dst, progress=progress)
    finally:
        source_store.close()


def copy_open_store(source: Store, target: Location | Path | str, *,
                    progress: Progress | None = None) -> CopyReport:
    """``copy_database`` from a store that is already open (the window's own)."""
    dst = Location.parse(target)
    target_store = open_location(dst)
    try:
        return copy_store(source, target_store, target_name=str(dst), progress=progress)
    finally:
        target_store.close()


def export_offline_copy(services: Services, target: Path, *,
                        progress: Progress | None = None) -> CopyReport:
    """导出离线副本: every row of the open database into a new SQLite file at ``target``,
    which opens on any workstation by itself (single-workstation mode). Verified as
    ``copy_database``; a file that already holds records is refused."""
    if Path(target).exists() and Path(target).is_dir():
        raise CopyError(f"{target} 是一个文件夹;请给副本一个文件名，例如 mixtimer-副本.db")
    return copy_open_store(services.ctx.store, Location(SQLITE, Path(target)),
                           progress=progress)


def _same(a: Location, b: Location) -> bool:
    if a.is_server or b.is_server:
        return a.is_server and b.is_server and a.server == b.server
    return os.path.normcase(a.path.resolve()) == os.path.normcase(b.path.resolve())
