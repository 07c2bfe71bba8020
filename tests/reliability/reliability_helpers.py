"""Helpers for the reliability tests (imported by name: the test dirs have no __init__)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mixtimer_gui.services import Services


def project_data(objects: list[str]) -> dict[str, Any]:
    return {"uid": "", "name": "空压机保养", "alias": "", "description": "",
            "cycle_type": "自然时间周期", "statistics_id": "", "period_num": 2,
            "period_unit": "日", "notice_num": 1, "notice_unit": "日", "guide": "",
            "object_id_list": objects}


def started_task(services: Services, objects: list[str] | None = None) -> str:
    """A running project's first task uid."""
    uid = services.projects.create(project_data(objects or ["compressor-1"]))["uid"]
    services.projects.start({"uid": uid})
    page = services.tasks.list({"page_size": 10, "where_and": [["project_id", "=", uid]]})
    return page["data"][0]["uid"]


def handle(services: Services, task_uid: str, text: str = "更换滤芯") -> str:
    return services.handles.handle({"task_id": task_uid, "description": text,
                                    "handler_id_list": [1], "handler_name_list": ["张三"],
                                    "fee": 10, "result": "完成", "images": ""})["uid"]


def handle_uids(db_path: Path) -> set[str]:
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute('SELECT "uid" FROM "handle"')}
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def files_of(db_path: Path) -> dict[str, bytes]:
    """The database and its side files, byte for byte (to prove nothing changed)."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            found[suffix] = side.read_bytes()
    return found


def assert_unchanged(before: dict[str, bytes], db_path: Path) -> None:
    """The file and the side files it had are byte-identical. Opening a WAL database even
    read-only lets SQLite create an empty ``-wal`` and its ``-shm`` index: no data in those."""
    after = files_of(db_path)
    for suffix, content in before.items():
        assert after.get(suffix) == content, f"{db_path}{suffix} changed"
    assert after.get("-wal", b"") == before.get("-wal", b"")
    assert "-journal" not in after or "-journal" in before


def corrupt(db_path: Path) -> None:
    """Damage a b-tree page of the handle table; the file header stays valid."""
    conn = sqlite3.connect(db_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='handle'").fetchone()[0]
    conn.close()
    with db_path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * 64)


def set_schema_version(db_path: Path, version: int) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute('INSERT INTO "schema_version" VALUES (?, 0)', (version,))
    conn.commit()
    conn.close()


@contextlib.contextmanager
def tiny_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A size-limited file system at ``folder`` (root only); raises OSError when refused."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OSError(done.stderr.strip() or "mount refused")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def tmpfs_or_skip(folder: Path, size: str) -> Iterator[Path]:
    """``tiny_tmpfs`` for a test: skipped, with the reason, where mounting is not allowed."""
    if not can_mount():
        pytest.skip("needs root to mount a small file system; the max_page_count and mode=ro "
                    "tests cover the rule")
    try:
        mount = tiny_tmpfs(folder, size)
        mounted = mount.__enter__()
    except OSError as exc:
        pytest.skip(f"mount refused here: {exc}")
    try:
        yield mounted
    finally:
        mount.__exit__(None, None, None)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def can_mount() -> bool:
    return os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0
