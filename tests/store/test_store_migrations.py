"""Schema versions and migrations — DESIGN §2 "A schema_version row and numbered migrations
... a database from any earlier released version opens and upgrades without losing a row; a
newer one is refused with a clear message, never touched", and issue 2's "Migration" test.

A version-1 database is built here from the frozen V1 DDL (store/migrations.py V1_SCHEMA) with
rows in several tables, then opened: it must reach the latest version with every row kept,
new columns defaulted and a backup written first. Also guards the models against drifting from
the frozen DDL: after migrating, each table's columns equal its model's fields.

Code: store/db.py (open_database), store/probe.py (read_schema_version),
store/migrations.py (migrate), store/models.py (Store).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup, migrations
from mixtimer_gui.store import db as store_db
from mixtimer_gui.store.models import ALL_MODELS, Store
from mixtimer_gui.store.probe import read_schema_version

T0 = 1_715_389_200  # 2024-05-11 09:00 Asia/Shanghai

V1_ROWS: dict[str, list[dict[str, Any]]] = {
    "uid_sequence": [{"prefix": "MTH", "last": 2}, {"prefix": "MTP", "last": 7},
                     {"prefix": "MTT", "last": 3}],
    "maintenance_object": [
        {"id": 1, "organization_id": "", "created": T0, "created_by": 0, "last_modified": T0,
         "last_modified_by": 0, "uid": "kyj1", "name": "空压机1号", "alias": "KYJ1",
         "description": "", "location": "一号车间"}],
    "statistic": [
        {"id": 1, "organization_id": "", "created": T0, "created_by": 0, "last_modified": T0,
         "last_modified_by": 0, "uid": "STATISTICS0000000000001", "name": "运行小时",
         "alias": "运行小时", "unit": "h", "description": ""}],
    "reading": [{"id": 1, "statistics_id": "STATISTICS0000000000001", "time": T0, "value": 10.0,
                 "created": T0},
                {"id": 2, "statistics_id": "STATISTICS0000000000001", "time": T0 + 3600,
                 "value": 11.5, "created": T0 + 3600}],
    "project": [
        {"id": 1, "organization_id": "", "created": T0, "created_by": 0, "last_modified": T0,
         "last_modified_by": 0, "uid": "MTP0000000000007", "name": "空压机保养",
         "alias": "MTP0000000000007", "description": "", "cycle_type": "自然时间周期",
         "statistics_id": "", "period_num": 2, "period_unit": "日", "notice_num": 1,
         "notice_unit": "日", "guide": "换油", "anchor_type": "按完成时间", "is_active": 1}],
    "project_object": [{"id": 1, "project_id": "MTP0000000000007", "object_id": "kyj1",
                        "position": 0}],
    "task": [
        {"id": 1, "organization_id": "", "created": T0, "created_by": 0, "last_modified": T0,
         "last_modified_by": 0, "uid": "MTT0000000000003", "project_id": "MTP0000000000007",
         "object_id": "kyj1", "description": "", "cycle_start": T0, "grid_anchor": T0,
         "cycle_index": 1, "due_at": T0 + 2 * 86400, "notice_at": T0 + 86400,
         "start_value": None, "base_value": None, "due_value": None,
         "last_handle_at": None}],
    "handle": [
        {"id": 1, "organization_id": "", "created": T0, "created_by": 0, "last_modified": T0,
         "last_modified_by": 0, "uid": "MTH0000000000002", "task_id": "MTT0000000000003",
         "project_id": "MTP0000000000007", "project_name": "空压机保养",
         "project_alias": "MTP0000000000007", "object_id": "kyj1", "object_name": "空压机1号",
         "object_alias": "KYJ1", "description": "换滤芯", "handler_id_list": "[1]",
         "handler_name_list": "[\"张三\"]", "fee": 12.5, "result": "正常", "images": "",
         "is_ignored": 0, "due_at": T0}],
    "handle_handler": [{"id": 1, "handle_rowid": 1, "handler_id": 1, "handler_name": "张三"}],
    "handler": [{"id": 1, "name": "张三", "created": T0}],
}


def build_v1(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(migrations.V1_SCHEMA)
        conn.execute('INSERT INTO "schema_version" VALUES (1, ?)', (T0,))
        for table, rows in V1_ROWS.items():
            for row in rows:
                columns = ", ".join(f'"{c}"' for c in row)
                marks = ", ".join("?" for _ in row)
                conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
                             list(row.values()))
        conn.commit()
    finally:
        conn.close()


def rows_of(path: Path, table: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')]
    finally:
        conn.close()


def columns_of(path: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    finally:
        conn.close()


@pytest.fixture
def v1_path(db_path: Path) -> Path:
    build_v1(db_path)
    return db_path


def test_version_1_upgrades_to_the_latest(v1_path: Path) -> None:
    assert read_schema_version(v1_path) == 1
    store_db.open_database(v1_path).close()
    assert read_schema_version(v1_path) == migrations.LATEST_VERSION == 5


def test_every_row_is_kept(v1_path: Path) -> None:
    store_db.open_database(v1_path).close()
    for table, rows in V1_ROWS.items():
        kept = rows_of(v1_path, table)
        assert len(kept) == len(rows), table
        for before, after in zip(rows, kept, strict=True):
            assert {k: after[k] for k in before} == before, table


def test_new_columns_are_defaulted(v1_path: Path) -> None:
    store_db.open_database(v1_path).close()
    assert rows_of(v1_path, "handle")[0]["skipped_cycles"] == 0
    assert rows_of(v1_path, "reminder_log") == []
    assert rows_of(v1_path, "setting") == []


def test_a_backup_is_written_before_migrating(v1_path: Path) -> None:
    store_db.open_database(v1_path).close()
    backups = list((v1_path.parent / "backups").glob("*.db"))
    assert len(backups) == 1
    assert "v1" in backups[0].name
    assert read_schema_version(backups[0]) == 1
    assert rows_of(backups[0], "handle") == [V1_ROWS["handle"][0]]


def test_the_backup_before_migrating_never_overwrites_another(
        v1_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moment = T0
    monkeypatch.setattr(time, "time", lambda: moment)
    stamp = clock.to_local(moment).strftime(backup.STAMP_FORMAT)
    folder = v1_path.parent / "backups"
    folder.mkdir()
    earlier = folder / f"mixtimer-v1-before-migration-{stamp}.db"  # same version, same second
    earlier.write_bytes(b"an earlier copy")
    store_db.open_database(v1_path).close()
    assert earlier.read_bytes() == b"an earlier copy"
    made = folder / f"mixtimer-v1-before-migration-{stamp}-2.db"
    assert sorted(p.name for p in folder.iterdir()) == sorted([earlier.name, made.name])
    info = next(b for b in backup.list_backups(v1_path) if b.path == made)
    assert (info.kind, info.time) == (backup.BEFORE_MIGRATION, moment)
    assert backup.is_restorable(made) and rows_of(made, "handle") == V1_ROWS["handle"]
    conn = sqlite3.connect(made)  # self-contained: no WAL left to lose beside it
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_failed_backup_before_migrating_stops_the_migration(
        v1_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.os, "replace", disk_full)
    with pytest.raises(backup.BackupError, match="备份失败"):
        store_db.open_database(v1_path)
    monkeypatch.undo()
    assert read_schema_version(v1_path) == 1
    assert list((v1_path.parent / "backups").iterdir()) == []  # no partial copy left


def test_backup_dir_can_be_chosen(v1_path: Path, tmp_path: Path) -> None:
    store_db.open_database(v1_path, backup_dir=tmp_path / "elsewhere").close()
    assert len(list((tmp_path / "elsewhere").glob("*.db"))) == 1


def test_the_latest_version_opens_without_a_backup(db_path: Path) -> None:
    store_db.open_database(db_path).close()
    store_db.open_database(db_path).close()
    assert not (db_path.parent / "backups").exists()
    versions = [r["version"] for r in rows_of(db_path, "schema_version")]
    assert versions == [number for number, _ in migrations.MIGRATIONS]


def test_migrated_data_works_through_the_services(v1_path: Path,
                                                  fake_clock: FakeClock) -> None:
    services = Services.open(v1_path, clock=fake_clock)
    try:
        handle = services.handles.get({"uid": "MTH0000000000002"})
        assert (handle["object_name"], handle["fee"], handle["skipped_cycles"]) == ("空压机1号",
                                                                                    12.5, 0)
        task = services.tasks.get({"uid": "MTT0000000000003"})
        assert task["due_at"] == "2024-05-13 09:00:00"
        assert services.projects.get({"uid": "MTP0000000000007"})["object_id_list"] == ["kyj1"]
        new = services.handles.handle({"task_id": "MTT0000000000003"})
        assert new["uid"] == "MTH0000000000003"  # the stored sequence goes on
        assert services.handlers.list({})["data"][0]["name"] == "张三"
    finally:
        services.close()


def test_columns_equal_the_models_after_migrating(v1_path: Path) -> None:
    store_db.open_database(v1_path).close()
    columns = columns_of(v1_path)
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert columns.get(table) == set(model._meta.columns), table


def test_a_new_database_has_the_same_columns_as_a_migrated_one(v1_path: Path,
                                                               tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "mixtimer.db"
    store_db.open_database(fresh).close()
    store_db.open_database(v1_path).close()
    assert columns_of(fresh) == columns_of(v1_path)


def test_migrate_writes_into_the_database_it_is_given(v1_path: Path, tmp_path: Path) -> None:
    # A restore upgrades a copy while another database is open.
    bound = tmp_path / "bound" / "mixtimer.db"
    store_db.open_database(bound).close()
    db = SqliteDatabase(str(v1_path))
    db.connect()
    try:
        migrations.migrate(db, 1)
    finally:
        db.close()
    steps = [number for number, _ in migrations.MIGRATIONS]
    assert [r["version"] for r in rows_of(v1_path, "schema_version")] == steps
    assert [r["version"] for r in rows_of(bound, "schema_version")] == steps
    assert read_schema_version(v1_path) == migrations.LATEST_VERSION


# -- refusals -------------------------------------------------------------------------------


def file_state(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_a_newer_database_is_refused_and_untouched(db_path: Path) -> None:
    build_v1(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute('INSERT INTO "schema_version" VALUES (99, ?)', (T0,))
    conn.commit()
    conn.close()
    before = file_state(db_path)
    mtime = os.stat(db_path).st_mtime_ns
    with pytest.raises(store_db.SchemaTooNewError) as info:
        store_db.open_database(db_path)
    assert "99" in str(info.value)
    assert file_state(db_path) == before
    assert os.stat(db_path).st_mtime_ns == mtime


def test_random_bytes_are_refused_and_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(bytes(range(256)) * 64)
    before = file_state(db_path)
    with pytest.raises(store_db.NotADatabaseError):
        store_db.open_database(db_path)
    assert file_state(db_path) == before


def test_another_programs_sqlite_file_is_refused_and_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes VALUES (1, 'keep me')")
    conn.commit()
    conn.close()
    before = file_state(db_path)
    with pytest.raises(store_db.NotADatabaseError):
        store_db.open_database(db_path)
    assert file_state(db_path) == before


def test_an_empty_file_becomes_a_new_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    store_db.open_database(db_path).close()
    assert read_schema_version(db_path) == migrations.LATEST_VERSION


def schema_of(path: Path) -> tuple[dict[str, set[tuple[Any, ...]]], set[str]]:
    """Each table's (column, type, not null, pk) and every index's SQL."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        columns = {t: {(r[1], r[2].upper(), r[3], r[5]) for r in
                       conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}
        indexes = {r[0].replace("IF NOT EXISTS ", "") for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
        return columns, indexes
    finally:
        conn.close()


def test_migrated_schema_equals_what_the_models_would_create(v1_path: Path,
                                                             tmp_path: Path) -> None:
    store_db.open_database(v1_path).close()
    from_models = tmp_path / "models.db"
    db = SqliteDatabase(str(from_models))
    try:
        db.create_tables(Store(db).models)  # the bound subclasses: same tables and indexes
    finally:
        db.close()
    assert schema_of(v1_path) == schema_of(from_models)


def test_a_failing_migration_step_leaves_the_old_version_intact(
        v1_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_then_fail(db: Any) -> None:
        db.execute_sql('ALTER TABLE "handle" ADD COLUMN "skipped_cycles" INTEGER NOT NULL '
                       "DEFAULT 0")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0],
                                                   (2, half_then_fail)])
    with pytest.raises(RuntimeError):
        store_db.open_database(v1_path)
    monkeypatch.undo()
    assert read_schema_version(v1_path) == 1
    assert "skipped_cycles" not in columns_of(v1_path)["handle"]
    for table, rows in V1_ROWS.items():
        assert len(rows_of(v1_path, table)) == len(rows), table
    store_db.open_database(v1_path).close()  # and the real migration still runs afterwards
    assert read_schema_version(v1_path) == migrations.LATEST_VERSION
