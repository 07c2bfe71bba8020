"""Files written whole (backups, exports) are synced, and so is the folder after the rename.

Without the folder sync a power cut can undo the rename even though the file's data is on
the disk. What is synced is read back from the descriptors handed to ``os.fsync``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from mixtimer_gui import files
from mixtimer_gui.exports.csv_export import export_handles
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup, migrations
from mixtimer_gui.store.db import open_database

FD_LINKS = Path("/proc/self/fd")


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, list[str]]]:
    """Each ``os.fsync`` as (the synced path, the names in its folder at that moment)."""
    if not FD_LINKS.is_dir():
        pytest.skip("needs /proc to tell which file a descriptor belongs to")
    seen: list[tuple[Path, list[str]]] = []
    real = os.fsync

    def recording(fd: int) -> None:
        path = Path(os.readlink(FD_LINKS / str(fd)))
        folder = path if path.is_dir() else path.parent
        seen.append((path, sorted(p.name for p in folder.iterdir())))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return seen


def test_fsync_dir_syncs_the_folder_itself(tmp_path: Path, synced) -> None:
    files.fsync_dir(tmp_path)
    assert [path for path, _ in synced] == ([tmp_path.resolve()] if os.name == "posix" else [])


def test_remove_quietly_never_raises(tmp_path: Path) -> None:
    present = tmp_path / "present"
    present.write_bytes(b"x")
    files.remove_quietly(present)
    files.remove_quietly(tmp_path / "missing")
    folder = tmp_path / "a-folder"  # unlink refuses a folder: an OSError that is swallowed
    folder.mkdir()
    files.remove_quietly(folder)
    assert not present.exists() and folder.is_dir()


def test_export_syncs_its_folder_after_the_rename(services: Services, tmp_path: Path,
                                                  synced) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "records.csv"
    export_handles(services, target)
    assert synced[-1] == (out.resolve(), ["records.csv"])
    assert any(path.parent == out.resolve() and path.name.endswith(".part")
               for path, _ in synced[:-1])  # the data itself, before the rename


def test_backup_now_syncs_the_copy_then_its_folder(services: Services, db_path: Path,
                                                    synced) -> None:
    made = backup.backup_now(db_path, 1_715_400_000)
    folder = made.parent.resolve()
    assert synced[-1] == (folder, [made.name])
    assert synced[-2][0] == folder / f".{made.name}.part"


def test_the_copy_before_migrating_is_synced_then_renamed(tmp_path: Path, synced) -> None:
    db_path = tmp_path / "mixtimer.db"
    conn = sqlite3.connect(db_path)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute('INSERT INTO "schema_version" VALUES (1, 0)')
    conn.commit()
    conn.close()
    open_database(db_path).close()
    (made,) = backup.list_backups(db_path)
    assert made.kind == backup.BEFORE_MIGRATION
    folder = made.path.parent.resolve()
    assert synced == [(folder / f".{made.path.name}.part", [f".{made.path.name}.part"]),
                      (folder, [made.path.name])]
