"""Backups: online copies, rotation under a fake clock, verification, safe restore."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest
from reliability_helpers import (
    assert_unchanged,
    can_mount,
    corrupt,
    files_of,
    handle,
    handle_uids,
    integrity,
    set_schema_version,
    started_task,
    tmpfs_or_skip,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup, health
from mixtimer_gui.store.backup import BackupError, DatabaseInUseError
from mixtimer_gui.store.db import DamagedDatabaseError, open_database
from mixtimer_gui.store.migrations import LATEST_VERSION

# The daily copy of a damaged database raises the alarm at the highest level.
EXPECT_DAMAGE_ALARM = pytest.mark.expect_log(r"自动备份未通过完整性检查", level="CRITICAL",
                                             logger="mixtimer_gui.store.backup")


def at(year: int, month: int, day: int, hour: int = 9) -> int:
    return int(datetime(year, month, day, hour, tzinfo=clock.local_zone()).timestamp())


@pytest.fixture
def filled(services: Services) -> tuple[Services, str]:
    task = started_task(services)
    handle(services, task, "第一次")
    return services, task


# -- making copies --------------------------------------------------------------------------


def test_backup_now_copies_committed_data_into_backups_folder(filled, db_path: Path) -> None:
    moment = at(2024, 5, 11, 9)
    made = backup.backup_now(db_path, moment)
    assert made.parent == db_path.parent / "backups"
    assert made.name == "mixtimer-20240511-090000-manual.db"
    assert backup.verify(made)
    assert handle_uids(made) == handle_uids(db_path)
    # A self-contained file: no WAL mode, so viewing it read-only creates nothing beside it.
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert [p.name for p in made.parent.iterdir()] == [made.name]


def test_backup_is_online_while_a_write_is_in_progress(filled, db_path: Path) -> None:
    before = handle_uids(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    # The columns named: later schema steps add columns with defaults to "handle".
    columns = ("organization_id, created, created_by, last_modified, last_modified_by, "
               "{uid}, task_id, project_id, project_name, project_alias, object_id, "
               "object_name, object_alias, description, handler_id_list, handler_name_list, "
               "fee, result, images, is_ignored, due_at, skipped_cycles")
    writer.execute(f"""INSERT INTO "handle" ({columns.format(uid='uid')})
        SELECT {columns.format(uid="'UNCOMMITTED'")} FROM "handle" LIMIT 1""")
    made = backup.backup_now(db_path, at(2024, 5, 11))
    writer.execute("ROLLBACK")
    writer.close()
    assert handle_uids(made) == before  # committed rows only, and the copy did not wait


def test_two_backups_in_the_same_second_both_kept(filled, db_path: Path) -> None:
    first = backup.backup_now(db_path, at(2024, 5, 11))
    second = backup.backup_now(db_path, at(2024, 5, 11))
    assert first != second and first.exists() and second.exists()


def test_backup_of_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="不存在"):
        backup.backup_now(tmp_path / "nothing.db")
    assert not (tmp_path / "backups").exists()


@pytest.mark.skipif(not can_mount(), reason="a tiny tmpfs needs root and mount")
def test_backup_on_a_full_disk_leaves_no_partial_copy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db_path = data / "mixtimer.db"
    data.mkdir()
    services = Services.open(db_path)
    task = started_task(services)
    for _ in range(200):
        handle(services, task, "x" * 500)
    services.close()
    with tmpfs_or_skip(data / "backups", "64k") as folder:
        with pytest.raises(BackupError, match="磁盘"):
            backup.backup_now(db_path)
        assert list(folder.iterdir()) == []
    assert integrity(db_path) == "ok"


# -- daily copies and rotation --------------------------------------------------------------


def test_daily_backup_once_per_local_day(filled, db_path: Path) -> None:
    assert backup.daily_backup_due(db_path, at(2024, 5, 11, 9))
    made = backup.ensure_daily_backup(db_path, at(2024, 5, 11, 9))
    assert made is not None and made.name.endswith("-daily.db.zst")
    assert not backup.daily_backup_due(db_path, at(2024, 5, 11, 23))
    assert backup.ensure_daily_backup(db_path, at(2024, 5, 11, 23)) is None
    assert backup.daily_backup_due(db_path, at(2024, 5, 12, 0))


def test_manual_backup_does_not_replace_the_daily_check(filled, db_path: Path) -> None:
    backup.backup_now(db_path, at(2024, 5, 11, 8))
    assert backup.daily_backup_due(db_path, at(2024, 5, 11, 20))


def test_no_daily_backup_for_a_missing_database(tmp_path: Path) -> None:
    assert not backup.daily_backup_due(tmp_path / "none.db", at(2024, 5, 11))
    assert backup.ensure_daily_backup(tmp_path / "none.db", at(2024, 5, 11)) is None


def test_rotation_keeps_seven_daily_and_four_weekly(filled, db_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "FOOTPRINT_FACTOR", float("inf"))  # the count rule alone
    fake = FakeClock(at(2024, 5, 1, 9))  # a Wednesday
    manual = backup.backup_now(db_path, at(2024, 5, 2, 12))
    for _ in range(60):
        backup.ensure_daily_backup(db_path, fake.now())
        assert backup.ensure_daily_backup(db_path, fake.now() + 3600) is None
        fake.advance(days=1)
    # The last day is Saturday 2024-06-29. Daily: 06-23 … 06-29. Weekly (ISO weeks,
    # Monday–Sunday): 06-29, 06-23 (both already daily), 06-16, 06-09.
    kept = {b.path.name for b in backup.list_backups(db_path) if b.kind == backup.DAILY}
    expected = {f"mixtimer-2024{d}-090000-daily.db.zst" for d in
                ("0623", "0624", "0625", "0626", "0627", "0628", "0629", "0616", "0609")}
    assert kept == expected
    assert manual.exists()  # "backup now" copies are the user's to delete


def test_rotation_survives_clock_jumps(filled, db_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "FOOTPRINT_FACTOR", float("inf"))  # the count rule alone
    for day in range(1, 15):
        backup.backup_now(db_path, at(2024, 5, day), kind=backup.DAILY)
    backup.rotate(db_path, at(2024, 5, 14))
    kept = {b.path for b in backup.list_backups(db_path)}
    # 2024-05-14 is a Tuesday. Daily: 05-08 … 05-14; weekly: 05-14, 05-12 (daily already)
    # and 05-05; only three weeks have copies.
    assert {p.name[9:17] for p in kept} == {"20240505", *(f"202405{d:02}" for d in range(8, 15))}
    # The clock jumps back a month: the copies now "in the future" are not touched.
    assert backup.rotate(db_path, at(2024, 4, 14)) == []
    # … or forward a year: counting days that have copies still keeps them all.
    assert backup.rotate(db_path, at(2025, 5, 14)) == []
    assert {b.path for b in backup.list_backups(db_path)} == kept


def small_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def test_databases_sharing_a_folder_rotate_only_their_own_copies(tmp_path: Path) -> None:
    # "plant-2" also starts with "plant-": a prefix alone would mix the two up.
    plant, plant_2 = small_database(tmp_path / "plant.db"), small_database(tmp_path / "plant-2.db")
    theirs = {backup.backup_now(plant_2, at(2024, 5, day), kind=backup.DAILY)
              for day in range(1, 21)}
    fake = FakeClock(at(2024, 5, 1))
    for _ in range(20):  # each day's copy of plant rotates plant's copies
        assert backup.ensure_daily_backup(plant, fake.now()) is not None
        fake.advance(days=1)
    # 2024-05-20 is a Monday. Daily: 05-14 … 05-20; weekly: 05-20, 05-19, 05-12, 05-05.
    kept_days = {"20240505", "20240512", *(f"202405{d}" for d in range(14, 21))}
    ours = {b.path for b in backup.list_backups(plant)}
    assert {p.name[len("plant-"):][:8] for p in ours} == kept_days
    assert {b.path for b in backup.list_backups(plant_2)} == theirs
    assert all(p.exists() for p in theirs)
    removed = backup.rotate(plant_2, at(2024, 5, 20))
    assert len(removed) == 20 - len(kept_days) and set(removed) <= theirs
    assert {b.path for b in backup.list_backups(plant)} == ours
    assert all(p.exists() for p in ours)


def test_a_database_named_like_a_kind_keeps_its_manual_copies(tmp_path: Path) -> None:
    db = small_database(tmp_path / "plant-daily.db")
    manual = backup.backup_now(db, at(2024, 5, 1), kind=backup.MANUAL)
    assert manual.name == "plant-daily-20240501-090000-manual.db"
    for day in range(2, 20):
        backup.backup_now(db, at(2024, 5, day), kind=backup.DAILY)
    backup.rotate(db, at(2024, 5, 20))
    assert manual.exists()
    assert [b.kind for b in backup.list_backups(db) if b.path == manual] == [backup.MANUAL]


# (day, hour) of May 2024: at() needs the test's zone, which is set only once a test runs.
@pytest.mark.parametrize(("name", "kind", "when"), [
    ("plant-daily-20240501-090000-manual.db", backup.MANUAL, (1, 9)),
    ("plant-daily-20240501-090000-daily-2.db", backup.DAILY, (1, 9)),
    ("plant-daily-20240501-090000-before-restore.db", backup.BEFORE_RESTORE, (1, 9)),
    ("plant-daily-v1-before-migration-20240502-100000.db", backup.BEFORE_MIGRATION, (2, 10)),
    ("plant-daily-v1-before-migration-20240502-100000-2.db", backup.BEFORE_MIGRATION, (2, 10)),
    ("plant-daily-20240501-090000-renamed.db", "other", (1, 9)),
    ("plant-daily-copy.db", "other", None),
])
def test_the_kind_is_read_after_the_stamp(tmp_path: Path, name: str, kind: str,
                                          when: tuple[int, int] | None) -> None:
    db = tmp_path / "plant-daily.db"
    copy = tmp_path / "backups" / name
    copy.parent.mkdir()
    copy.write_bytes(b"x")
    (info,) = backup.list_backups(db)
    assert (info.path, info.kind) == (copy, kind)
    assert info.time == (int(copy.stat().st_mtime) if when is None else at(2024, 5, *when))


def test_list_backups_newest_first_with_kind_time_size(filled, db_path: Path) -> None:
    old = backup.backup_now(db_path, at(2024, 5, 1), kind=backup.DAILY)
    new = backup.backup_now(db_path, at(2024, 5, 3))
    migration = db_path.parent / "backups" / "mixtimer-v1-before-migration-20240502-100000.db"
    migration.write_bytes(old.read_bytes())
    (db_path.parent / "backups" / "other-20240509-000000-manual.db").write_bytes(b"x")
    infos = backup.list_backups(db_path)
    assert [i.path for i in infos] == [new, migration, old]
    assert [i.kind for i in infos] == ["manual", "before-migration", "daily"]
    assert infos[1].time == at(2024, 5, 2, 10)
    assert infos[0].size == new.stat().st_size


def test_verify_refuses_damage_and_garbage(filled, db_path: Path, tmp_path: Path) -> None:
    made = backup.backup_now(db_path, at(2024, 5, 11))
    assert backup.verify(made)
    corrupt(made)
    assert not backup.verify(made)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(16384))
    assert not backup.verify(garbage)
    assert not backup.verify(tmp_path / "missing.db")


# -- restore --------------------------------------------------------------------------------


def test_restore_round_trip(filled, db_path: Path) -> None:
    services, task = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    at_backup = handle_uids(db_path)
    later = handle(services, task, "备份之后")
    services.close()
    kept = backup.restore(db_path, made)
    assert handle_uids(db_path) == at_backup
    assert later in handle_uids(kept) and kept.parent == db_path.parent / "backups"
    assert backup.list_backups(db_path)[0].kind == backup.BEFORE_RESTORE
    reopened = Services.open(db_path, clock=services.clock)
    try:
        assert reopened.handles.list({"page_size": 50})["total_records"] == len(at_backup)
        handle(reopened, task, "恢复之后")  # the restored database takes writes again
    finally:
        reopened.close()
    assert integrity(db_path) == "ok"


def test_restore_keeps_rows_that_were_only_in_the_wal(filled, db_path: Path,
                                                     tmp_path: Path) -> None:
    services, task = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    later = handle(services, task, "只在 WAL 里")
    # What a kill -9 leaves behind: the main file plus a WAL holding the last commits.
    crashed = tmp_path / "crashed" / "mixtimer.db"
    crashed.parent.mkdir()
    for suffix in ("", "-wal"):
        Path(f"{crashed}{suffix}").write_bytes(Path(f"{db_path}{suffix}").read_bytes())
    assert Path(f"{crashed}-wal").stat().st_size > 0  # the commits are not in the main file
    kept = backup.restore(crashed, made)
    assert later in handle_uids(kept)
    assert later not in handle_uids(crashed)


def test_restore_of_a_corrupt_backup_is_refused(filled, db_path: Path) -> None:
    services, _ = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    corrupt(made)
    services.close()
    before = files_of(db_path)
    with pytest.raises(BackupError, match="已损坏"):
        backup.restore(db_path, made)
    assert_unchanged(before, db_path)
    assert [b.path for b in backup.list_backups(db_path)] == [made]


def test_restore_of_random_bytes_is_refused(filled, db_path: Path, tmp_path: Path) -> None:
    services, _ = filled
    services.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    before = files_of(db_path)
    with pytest.raises(BackupError):
        backup.restore(db_path, garbage)
    assert_unchanged(before, db_path)


def test_restore_of_a_backup_from_a_newer_version_is_refused(filled, db_path: Path) -> None:
    services, _ = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    set_schema_version(made, LATEST_VERSION + 1)
    services.close()
    before = files_of(db_path)
    with pytest.raises(BackupError, match="更新的版本"):
        backup.restore(db_path, made)
    assert_unchanged(before, db_path)


def test_restore_refused_while_another_connection_is_open(filled, db_path: Path) -> None:
    services, _ = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    before = files_of(db_path)[""]
    with pytest.raises(DatabaseInUseError, match="正被使用"):
        backup.restore(db_path, made)  # the services fixture still holds its connection
    assert files_of(db_path)[""] == before
    assert len(backup.list_backups(db_path)) == 1
    services.handles.list({})  # the open connection still works


def test_restore_over_a_damaged_file_keeps_it_beside(filled, db_path: Path) -> None:
    services, _ = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    services.close()
    corrupt(db_path)
    damaged_bytes = db_path.read_bytes()
    kept = backup.restore(db_path, made, keep_as=backup.DAMAGED)
    assert kept.parent == db_path.parent and "-damaged-" in kept.name
    assert kept.read_bytes() == damaged_bytes
    assert integrity(db_path) == "ok"
    assert kept not in {b.path for b in backup.list_backups(db_path)}


def test_restore_into_an_empty_folder(filled, db_path: Path, tmp_path: Path) -> None:
    made = backup.backup_now(db_path, at(2024, 5, 11))
    target = tmp_path / "elsewhere" / "mixtimer.db"
    target.parent.mkdir()
    assert backup.restore(target, made) == target
    assert handle_uids(target) == handle_uids(made)


def test_failed_swap_leaves_the_current_database(filled, db_path: Path, monkeypatch) -> None:
    services, task = filled
    made = backup.backup_now(db_path, at(2024, 5, 11))
    handle(services, task, "之后")
    services.close()
    current = handle_uids(db_path)

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.os, "replace", refuse)
    with pytest.raises(BackupError, match="未被替换"):
        backup.restore(db_path, made)
    assert handle_uids(db_path) == current and integrity(db_path) == "ok"
    assert not any(p.name.endswith("restore-part") for p in db_path.parent.iterdir())


# -- the daily copy doubles as the integrity check of large files ---------------------------


def test_daily_copy_of_a_damaged_database_raises_and_keeps_older_copies(
        filled, db_path: Path) -> None:
    services, _ = filled
    # last week's: today's is the first copy of its week, which gets the full check
    good = backup.backup_now(db_path, at(2024, 5, 3), kind=backup.DAILY)
    services.close()
    corrupt(db_path)
    with pytest.raises(DamagedDatabaseError, match="今天的自动备份未通过完整性检查") as caught:
        backup.ensure_daily_backup(db_path, at(2024, 5, 11))
    assert caught.value.backup == good and caught.value.path == db_path
    assert [b.path for b in backup.list_backups(db_path)] == [good]


def test_auto_check_skips_large_files_unless_shut_down_uncleanly(
        filled, db_path: Path, tmp_path: Path, monkeypatch) -> None:
    services, task = filled
    assert health.quick_check_due(db_path)  # small: always checked
    monkeypatch.setattr(health, "AUTO_CHECK_MAX_BYTES", 0)
    # A crash image: the main file plus a WAL with the last commits.
    crashed = tmp_path / "crashed" / "mixtimer.db"
    crashed.parent.mkdir()
    handle(services, task, "在 WAL 里")
    for suffix in ("", "-wal"):
        Path(f"{crashed}{suffix}").write_bytes(Path(f"{db_path}{suffix}").read_bytes())
    assert health.quick_check_due(crashed)
    services.close()  # a clean close folds the WAL in and removes it
    assert not health.quick_check_due(db_path)
    corrupt(db_path)
    open_database(db_path, check="auto").close()  # not caught at start: the daily copy will
    with pytest.raises(DamagedDatabaseError):
        open_database(db_path, check=True)


def test_restore_of_an_older_version_upgrades_it(filled, db_path: Path, tmp_path: Path) -> None:
    from mixtimer_gui.store.migrations import V1_SCHEMA

    services, _ = filled
    old = tmp_path / "mixtimer-v1-before-migration-20240101-000000.db"
    conn = sqlite3.connect(old)
    conn.executescript(V1_SCHEMA)
    conn.execute('INSERT INTO "schema_version" VALUES (1, 0)')
    conn.commit()
    conn.close()
    services.db.close()  # what the Settings dialog does before restoring
    backup.restore(db_path, old)
    conn = sqlite3.connect(db_path)
    assert conn.execute('SELECT MAX("version") FROM "schema_version"').fetchone()[0] \
        == LATEST_VERSION
    conn.close()
    services.db.connect(reuse_if_open=True)  # a reconnect (no reopen) finds today's schema
    assert services.handles.list({})["total_records"] == 0
    task = started_task(services, ["after-restore"])
    handle(services, task)


def test_a_failing_upgrade_during_restore_leaves_the_current_database(
        filled, db_path: Path, tmp_path: Path, monkeypatch) -> None:
    from mixtimer_gui.store import migrations

    services, _ = filled
    old = tmp_path / "mixtimer-v1-before-migration-20240101-000000.db"
    conn = sqlite3.connect(old)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute('INSERT INTO "schema_version" VALUES (1, 0)')
    conn.commit()
    conn.close()
    services.close()
    current = handle_uids(db_path)

    def io_error(_db: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    # The restore upgrades through migrations.migrate, so it runs the very steps opening would.
    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], (2, io_error)])
    with pytest.raises(BackupError, match="未被替换"):
        backup.restore(db_path, old)
    assert handle_uids(db_path) == current and integrity(db_path) == "ok"
    assert backup.list_backups(db_path) == []  # the copy of the replaced file is dropped
    assert not any(p.name.endswith("restore-part") for p in db_path.parent.iterdir())


@EXPECT_DAMAGE_ALARM
def test_daily_backups_runner(filled, db_path: Path) -> None:
    fake = FakeClock(at(2024, 5, 11))
    damaged: list[DamagedDatabaseError] = []
    runner = backup.DailyBackups(db_path, fake, on_damaged=damaged.append)
    first = runner.run_once()
    assert first is not None and runner.run_once() is None  # once a day
    fake.advance(days=1)
    runner.start()  # the thread makes today's copy at once
    try:
        for _ in range(500):
            if backup.list_backups(db_path)[0].path != first:
                break
            threading.Event().wait(0.01)  # waiting for the worker's file, not for time
    finally:
        runner.stop()
    assert [b.path.name[9:17] for b in backup.list_backups(db_path)] == ["20240512",
                                                                        "20240511"]
    filled[0].close()
    corrupt(db_path)
    fake.advance(days=1)
    assert runner.run_once() is None
    assert len(damaged) == 1 and damaged[0].backup is not None


def test_rotation_removes_stale_partial_copies_only(filled, db_path: Path) -> None:
    made = backup.backup_now(db_path, at(2024, 5, 11), kind=backup.DAILY)
    stale = made.parent / ".old.db.part"
    fresh = made.parent / ".fresh.db.part"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (0, 0))
    backup.rotate(db_path, at(2024, 5, 11))
    assert not stale.exists() and fresh.exists()


@EXPECT_DAMAGE_ALARM
def test_damage_found_by_the_daily_copy_is_checked_at_the_next_start(
        filled, db_path: Path, monkeypatch) -> None:
    services, _ = filled
    services.close()
    monkeypatch.setattr(health, "AUTO_CHECK_MAX_BYTES", 0)  # "large": skipped at start
    corrupt(db_path)
    open_database(db_path, check="auto").close()  # a clean large file opens unchecked
    reported: list[DamagedDatabaseError] = []
    daily = backup.DailyBackups(db_path, FakeClock(at(2024, 5, 11)),
                                on_damaged=reported.append)
    assert daily.run_once() is None and len(reported) == 1
    assert backup.check_mark(db_path).exists()
    # The next start runs the full check despite check="auto", and so offers recovery.
    with pytest.raises(DamagedDatabaseError):
        open_database(db_path, check="auto")


def test_a_passing_check_clears_the_mark(filled, db_path: Path) -> None:
    services, _ = filled
    services.close()
    backup.mark_for_check(db_path)
    open_database(db_path, check="auto").close()
    assert not backup.check_mark(db_path).exists()
