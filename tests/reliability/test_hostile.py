"""Hostile conditions: each gets a clear sentence, changes nothing, and the data stays
viewable where it can. Also the start-up check in ``open_database``."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest
from reliability_helpers import (
    assert_unchanged,
    corrupt,
    files_of,
    handle,
    handle_uids,
    integrity,
    remount_read_only,
    set_schema_version,
    started_task,
    tmpfs_or_skip,
)

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup, errors, health
from mixtimer_gui.store.db import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    open_database,
)
from mixtimer_gui.store.errors import DiskFullError
from mixtimer_gui.store.health import Health
from mixtimer_gui.store.migrations import LATEST_VERSION

SHORT_WAIT = 0.2


@pytest.fixture
def closed_db(db_path: Path, fake_clock: FakeClock) -> tuple[Path, str, set[str]]:
    """A database with a few handles, every connection closed: (path, task uid, handles)."""
    services = Services.open(db_path, clock=fake_clock)
    task = started_task(services)
    for n in range(3):
        handle(services, task, f"第 {n} 次")
    services.close()
    return db_path, task, handle_uids(db_path)


def view(db_path: Path) -> Services:
    return Services.open(db_path, read_only=True)


# -- healthy, missing -----------------------------------------------------------------------


def test_healthy_database_reports_ok(closed_db) -> None:
    db_path, _, _ = closed_db
    report = health.check_database(db_path)
    assert report.state is Health.OK and report.usable


def test_missing_database_will_be_created(tmp_path: Path) -> None:
    report = health.check_database(tmp_path / "new" / "mixtimer.db")
    assert report.state is Health.MISSING and report.usable and "新建" in report.message
    assert not (tmp_path / "new").exists()


def test_synchronous_full_is_available_for_power_loss(db_path: Path) -> None:
    services = Services.open(db_path, synchronous="full")
    try:
        assert services.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert services.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        services.close()
    services = Services.open(db_path)
    try:
        assert services.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        services.close()


# -- not a database -------------------------------------------------------------------------


def test_random_bytes_are_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "mixtimer.db"
    path.write_bytes(os.urandom(20000))
    before = files_of(path)
    report = health.check_database(path)
    assert report.state is Health.NOT_A_DATABASE
    assert "不是 MixTimer 的数据库" in report.message and "--db" in report.message
    with pytest.raises(NotADatabaseError):
        open_database(path)
    assert_unchanged(before, path)


def test_someone_elses_sqlite_file_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = files_of(path)
    assert health.check_database(path).state is Health.NOT_A_DATABASE
    with pytest.raises(NotADatabaseError):
        open_database(path)
    assert_unchanged(before, path)


def test_not_a_database_offers_the_newest_good_backup(closed_db) -> None:
    db_path, _, _ = closed_db
    made = backup.backup_now(db_path, 1_700_000_000)
    db_path.write_bytes(os.urandom(20000))
    assert health.check_database(db_path).backup == made


# -- damaged --------------------------------------------------------------------------------


def test_damaged_database_is_refused_with_the_newest_good_backup(closed_db) -> None:
    db_path, _, _ = closed_db
    older = backup.backup_now(db_path, 1_700_000_000)
    newest = backup.backup_now(db_path, 1_700_086_400)
    corrupt(newest)  # the newest copy is damaged too: the next one is offered
    corrupt(db_path)
    before = files_of(db_path)
    report = health.check_database(db_path)
    assert report.state is Health.DAMAGED and report.backup == older
    assert older.name in report.message and "未被改动" in report.message
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(db_path)
    assert caught.value.backup == older and caught.value.path == db_path
    assert_unchanged(before, db_path)


def test_damaged_without_backup_says_so(closed_db) -> None:
    db_path, _, _ = closed_db
    corrupt(db_path)
    with pytest.raises(DamagedDatabaseError, match="没有可用的备份") as caught:
        open_database(db_path)
    assert caught.value.backup is None


def test_quick_check_can_be_skipped_for_speed(closed_db) -> None:
    db_path, _, _ = closed_db
    corrupt(db_path)
    with pytest.raises(DamagedDatabaseError):
        open_database(db_path)
    # Without the check the damage surfaces later, when the broken page is read.
    db = open_database(db_path, check=False)
    db.close()


# -- newer version --------------------------------------------------------------------------


def test_database_from_a_newer_version_is_refused_untouched(closed_db) -> None:
    db_path, _, _ = closed_db
    set_schema_version(db_path, LATEST_VERSION + 1)
    before = files_of(db_path)
    report = health.check_database(db_path)
    assert report.state is Health.NEWER_SCHEMA and "升级" in report.message
    with pytest.raises(SchemaTooNewError):
        open_database(db_path)
    with pytest.raises(SchemaTooNewError):
        open_database(db_path, read_only=True)
    assert_unchanged(before, db_path)


# -- locked by another program --------------------------------------------------------------


@pytest.fixture
def locked(closed_db) -> Iterator[tuple[Path, set[str]]]:
    db_path, _, uids = closed_db
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield db_path, uids
    holder.execute("ROLLBACK")
    holder.close()


def test_locked_database_is_reported_and_viewable(locked) -> None:
    db_path, uids = locked
    before = files_of(db_path)
    report = health.check_database(db_path, lock_wait_s=SHORT_WAIT)
    assert report.state is Health.LOCKED and report.viewable_read_only
    assert "另一个程序" in report.message
    with pytest.raises(DatabaseLockedError, match="只读方式查看"):
        open_database(db_path, lock_wait_s=SHORT_WAIT)
    viewer = view(db_path)
    try:
        page = viewer.handles.list({"page_size": 50})
        assert {r["uid"] for r in page["data"]} == uids
    finally:
        viewer.close()
    assert_unchanged(before, db_path)


def test_lock_taken_while_running_gives_a_clear_sentence(closed_db, fake_clock) -> None:
    db_path, task, uids = closed_db
    services = Services.open(db_path, clock=fake_clock)
    services.db.execute_sql(f"PRAGMA busy_timeout = {int(SHORT_WAIT * 1000)}")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="没有保存") as caught:
            handle(services, task)
        assert isinstance(caught.value.__cause__, peewee.OperationalError)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    handle(services, task, "锁释放之后")  # usable again once the other program lets go
    services.close()
    assert len(handle_uids(db_path)) == len(uids) + 1


# -- read-only file and folder --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores permission bits; the read-only mount tests cover it")
def test_read_only_file_by_permissions(closed_db) -> None:
    db_path, _, uids = closed_db
    db_path.chmod(0o444)
    try:
        before = files_of(db_path)
        assert health.check_database(db_path).state is Health.READ_ONLY
        with pytest.raises(ReadOnlyDatabaseError):
            open_database(db_path)
        viewer = view(db_path)
        assert {r["uid"] for r in viewer.handles.list({})["data"]} == uids
        viewer.close()
        assert_unchanged(before, db_path)
    finally:
        db_path.chmod(0o644)


@pytest.fixture
def read_only_folder(tmp_path: Path, fake_clock) -> Iterator[tuple[Path, str, set[str]]]:
    """A database on a file system remounted read-only (the folder and the file)."""
    with tmpfs_or_skip(tmp_path / "ro", "8m") as folder:
        db_path = folder / "mixtimer.db"
        services = Services.open(db_path, clock=fake_clock)
        task = started_task(services)
        handle(services, task)
        services.close()
        uids = handle_uids(db_path)
        remount_read_only(folder)
        yield db_path, task, uids


def test_read_only_folder_is_reported_and_viewable(read_only_folder, fake_clock) -> None:
    db_path, task, uids = read_only_folder
    before = files_of(db_path)
    report = health.check_database(db_path)
    assert report.state is Health.READ_ONLY and report.viewable_read_only
    assert "只读" in report.message
    with pytest.raises(ReadOnlyDatabaseError, match="只读方式查看"):
        open_database(db_path)
    viewer = Services.open(db_path, clock=fake_clock, read_only=True)
    try:
        assert {r["uid"] for r in viewer.handles.list({})["data"]} == uids
        with pytest.raises(ReadOnlyDatabaseError, match="没有保存"):
            handle(viewer, task)
    finally:
        viewer.close()
    assert files_of(db_path) == before


def test_new_database_in_a_read_only_folder(read_only_folder) -> None:
    db_path, _, _ = read_only_folder
    target = db_path.parent / "sub" / "new.db"
    report = health.check_database(target)
    assert report.state is Health.READ_ONLY and "--db" in report.message
    with pytest.raises(ReadOnlyDatabaseError, match="不可写"):
        open_database(target)


def test_read_only_connection_refuses_writes_in_a_writable_folder(closed_db, fake_clock) -> None:
    db_path, task, uids = closed_db
    viewer = Services.open(db_path, clock=fake_clock, read_only=True)
    try:
        with pytest.raises(ReadOnlyDatabaseError, match="没有保存"):
            handle(viewer, task)
    finally:
        viewer.close()
    assert handle_uids(db_path) == uids


# -- disk full ------------------------------------------------------------------------------


def _fill_until_full(services: Services, task: str) -> tuple[set[str], DiskFullError]:
    acknowledged: set[str] = set()
    for _ in range(100_000):
        try:
            acknowledged.add(handle(services, task, "记录" * 200))
        except DiskFullError as exc:
            return acknowledged, exc
    raise AssertionError("the disk never filled")


def test_size_limited_database_refuses_the_write_keeps_the_rest(closed_db, fake_clock) -> None:
    db_path, task, uids = closed_db
    services = Services.open(db_path, clock=fake_clock)
    pages = services.db.execute_sql("PRAGMA page_count").fetchone()[0]
    services.db.execute_sql(f"PRAGMA max_page_count = {pages + 20}")
    acknowledged, error = _fill_until_full(services, task)
    assert "磁盘已满" in str(error) and "重试" in str(error)
    assert handle_uids(db_path) == uids | acknowledged  # nothing half-written
    services.db.execute_sql(f"PRAGMA max_page_count = {pages + 1000}")  # space freed
    handle(services, task, "清理之后")
    services.close()
    assert integrity(db_path) == "ok"


def test_full_disk_refuses_the_write_keeps_the_rest(tmp_path: Path, fake_clock) -> None:
    with tmpfs_or_skip(tmp_path / "small", "1m") as folder:
        db_path = folder / "mixtimer.db"
        ballast = folder / "ballast"
        ballast.write_bytes(b"\0" * 300_000)
        services = Services.open(db_path, clock=fake_clock)
        task = started_task(services)
        acknowledged, _ = _fill_until_full(services, task)
        assert handle_uids(db_path) == acknowledged
        ballast.unlink()  # the user frees space: the app goes on without a restart
        handle(services, task, "清理之后")
        services.close()
        assert integrity(db_path) == "ok"
        assert len(handle_uids(db_path)) == len(acknowledged) + 1


def test_peewee_wrapped_full_error_is_explained() -> None:
    original = sqlite3.OperationalError("database or disk is full")
    original.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    masked = peewee.OperationalError(sqlite3.OperationalError("cannot rollback"))
    masked.__context__ = peewee.OperationalError(original)
    assert isinstance(errors.explain_write_error(masked), DiskFullError)


def test_other_errors_are_not_explained_away() -> None:
    assert errors.explain_write_error(ValueError("no")) is None
    assert errors.explain_write_error(sqlite3.IntegrityError("UNIQUE")) is None


# -- the command line: one line, exit status 1 ----------------------------------------------


def test_cli_reports_a_damaged_database_in_one_line(closed_db, tmp_path: Path, capsys) -> None:
    from mixtimer_gui import cli

    db_path, _, _ = closed_db
    made = backup.backup_now(db_path, 1_700_000_000)
    corrupt(db_path)
    before = files_of(db_path)
    status = cli.main(["export-handles", "--db", str(db_path), "--out",
                       str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "已损坏" in err and made.name in err
    assert "Traceback" not in err
    assert_unchanged(before, db_path)
    assert not (tmp_path / "out.csv").exists()


def test_services_open_passes_the_check_policy(closed_db, monkeypatch) -> None:
    db_path, _, _ = closed_db
    monkeypatch.setattr(health, "AUTO_CHECK_MAX_BYTES", 0)
    corrupt(db_path)
    with pytest.raises(DamagedDatabaseError):
        Services.open(db_path)
    Services.open(db_path, check="auto").close()  # large and cleanly closed: not checked
