"""Backups that scale (#21): the daily copy is compressed (zstd), read back against the
checksum of what was written, fully checked on the first copy of each week, kept within a
footprint of 2x the database, and skipped (never filling the disk) when there is no room.
Old plain copies are still listed and restored."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from reliability_helpers import (
    corrupt,
    handle,
    handle_uids,
    integrity,
    started_task,
    tmpfs_or_skip,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup
from mixtimer_gui.store.errors import BackupError, BackupSkippedError, DamagedDatabaseError


def at(year: int, month: int, day: int, hour: int = 9) -> int:
    return clock.from_local(datetime(year, month, day, hour))


@pytest.fixture
def filled(db_path: Path) -> Path:
    services = Services.open(db_path)
    task = started_task(services)
    for i in range(120):  # repetitive rows, as a plant's records are: they compress
        handle(services, task, f"更换滤芯,检查皮带 {i % 7}")
    services.close()
    return db_path


def daily_bytes(db_path: Path) -> int:
    return sum(b.size for b in backup.list_backups(db_path) if b.kind == backup.DAILY)


def test_the_daily_copy_is_compressed_and_restores(filled: Path) -> None:
    made = backup.ensure_daily_backup(filled, at(2024, 5, 11))
    assert made is not None and made.name.endswith("-daily.db.zst")
    assert made.stat().st_size * 3 < filled.stat().st_size
    assert backup.verify(made) and backup.is_restorable(made)
    with backup.plain_copy(made) as plain:
        assert handle_uids(plain) == handle_uids(filled)
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no leftovers
    expected = handle_uids(filled)
    services = Services.open(filled)
    handle(services, started_task(services), "备份之后")
    services.close()
    backup.restore(filled, made)
    assert handle_uids(filled) == expected and integrity(filled) == "ok"
    assert [p.name for p in made.parent.iterdir() if p.name.startswith(".")] == []


def test_an_old_plain_daily_copy_is_still_listed_and_restored(filled: Path) -> None:
    old = filled.parent / "backups" / "mixtimer-20240501-090000-daily.db"
    old.parent.mkdir()
    backup.backup_to(filled, old)
    expected = handle_uids(filled)
    assert [(b.path, b.kind) for b in backup.list_backups(filled)] == [(old, backup.DAILY)]
    assert backup.newest_restorable(filled) == old
    backup.restore(filled, old)
    assert handle_uids(filled) == expected


def test_a_damaged_compressed_copy_is_refused_and_changes_nothing(filled: Path) -> None:
    made = backup.ensure_daily_backup(filled, at(2024, 5, 11))
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.write_bytes(bytes(data))
    assert not backup.verify(made) and not backup.is_restorable(made)
    before = filled.read_bytes()
    with pytest.raises(BackupError):
        backup.restore(filled, made)
    assert filled.read_bytes() == before


def test_the_footprint_stays_within_twice_the_database(filled: Path) -> None:
    fake = FakeClock(at(2024, 5, 1))
    counts = []
    for _ in range(20):
        assert backup.ensure_daily_backup(filled, fake.now()) is not None
        assert daily_bytes(filled) <= 2 * filled.stat().st_size
        counts.append(len(backup.list_backups(filled)))
        fake.advance(days=1)
    newest = backup.list_backups(filled)[0]
    assert newest.time == at(2024, 5, 20) and newest.kind == backup.DAILY
    assert max(counts) > 1  # the bound rotated copies out, it did not keep just one


def test_the_footprint_bound_is_configurable(filled: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeClock(at(2024, 5, 1))
    copies = []
    for factor in (0.01, 100.0):
        monkeypatch.setattr(backup, "FOOTPRINT_FACTOR", factor)
        for _ in range(10):
            backup.ensure_daily_backup(filled, fake.now())
            fake.advance(days=1)
        copies.append(len(backup.list_backups(filled)))
    assert copies[0] == 1  # the newest is always kept, whatever the bound
    assert copies[1] == 8  # without the bound: 7 daily + this week's older weekly


@pytest.mark.expect_log("daily backup skipped", logger="mixtimer_gui.store.backup")
def test_a_copy_is_skipped_when_the_disk_has_no_room(filled: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "free_bytes", lambda folder: backup.FREE_RESERVE_BYTES)
    with pytest.raises(BackupSkippedError, match="磁盘空间不足"):
        backup.ensure_daily_backup(filled, at(2024, 5, 11))
    assert not (filled.parent / "backups").exists() or not any(
        (filled.parent / "backups").iterdir())
    skipped: list[BackupSkippedError] = []
    runner = backup.DailyBackups(filled, FakeClock(at(2024, 5, 11)), on_skipped=skipped.append)
    assert runner.run_once() is None and len(skipped) == 1
    monkeypatch.undo()
    assert runner.run_once() is not None  # room again: the copy is made


@pytest.mark.expect_log("daily backup skipped", logger="mixtimer_gui.store.backup")
def test_a_small_file_system_is_never_filled(filled: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "FREE_RESERVE_BYTES", 64 * 1024)
    with tmpfs_or_skip(filled.parent / "backups", "256k") as folder:
        skipped: list[BackupSkippedError] = []
        runner = backup.DailyBackups(filled, FakeClock(at(2024, 5, 11)),
                                     on_skipped=skipped.append)
        assert runner.run_once() is None and len(skipped) == 1
        assert list(folder.iterdir()) == []
        assert shutil.disk_usage(folder).used < 64 * 1024


@pytest.mark.expect_log(r"自动备份未通过完整性检查", level="CRITICAL",
                        logger="mixtimer_gui.store.backup")
def test_the_full_check_runs_on_the_first_copy_of_each_week(filled: Path) -> None:
    # 2024-05-06 is a Monday: its copy is checked in full; Tuesday's only by checksum.
    assert backup.full_check_due(filled, at(2024, 5, 6))
    backup.ensure_daily_backup(filled, at(2024, 5, 6))
    assert not backup.full_check_due(filled, at(2024, 5, 7))
    corrupt(filled)
    assert backup.ensure_daily_backup(filled, at(2024, 5, 7)) is not None
    with pytest.raises(DamagedDatabaseError):  # the next week's first copy finds it
        backup.ensure_daily_backup(filled, at(2024, 5, 13))
    runner = backup.DailyBackups(filled, FakeClock(at(2024, 5, 20)))
    assert runner.run_once() is None and backup.check_mark(filled).exists()
