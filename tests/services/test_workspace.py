"""The workspace (services/workspace.py) and the store per database (store/models.py Store).

Issue 12: "models not bound to a global database: two workspaces on two files in one process
work side by side". Before, every model was bound to one module-level proxy, so opening a
second database re-pointed the first workspace's queries at it. Here two workspaces stay open
at once; writes and reads are interleaved on one thread, then run from two threads at the
same time, and each sees its own rows only: counts, uids, and the uid sequences, which would
collide if the databases were mixed up.

Also: opening by location (a path, ``sqlite:///…``, a refused ``mysql://…``), read-only
viewing, the backups (back up, list, newest good copy, restore), the memory cap, closing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from peewee import InterfaceError

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import Location, Services, Workspace
from mixtimer_gui.services.errors import (
    ReadOnlyDatabaseError,
    StoreError,
    UnsupportedLocationError,
)
from mixtimer_gui.store import models

OBJECTS_PER_ROUND = 15


def rows(path: Path, table: str, column: str = "uid") -> list[Any]:
    """What the file itself holds, read past the workspaces."""
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}" ORDER BY 1')]
    finally:
        conn.close()


def project(name: str, objects: list[str]) -> dict[str, Any]:
    return {"name": name, "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "日",
            "object_id_list": objects}


@pytest.fixture
def two(tmp_path: Path, fake_clock: FakeClock) -> Any:
    first = Workspace.open(tmp_path / "plant-a" / "mixtimer.db", clock=fake_clock)
    second = Workspace.open(tmp_path / "plant-b" / "mixtimer.db", clock=fake_clock)
    yield first, second
    second.close()
    first.close()


def test_two_workspaces_on_one_thread_keep_their_own_data(two: Any) -> None:
    a, b = two
    made: dict[str, list[str]] = {"a": [], "b": []}
    for i in range(OBJECTS_PER_ROUND):  # each write of one is followed by a read of the other
        made["a"].append(a.services.objects.create({"name": f"甲{i}"})["uid"])
        assert b.services.objects.list({})["total_records"] == i
        made["b"].append(b.services.objects.create({"name": f"乙{i}"})["uid"])
        assert a.services.objects.list({})["total_records"] == i + 1
    pa = a.services.projects.create(project("甲项目", made["a"][:2]))["uid"]
    a.services.projects.start({"uid": pa})
    b.services.handlers.create({"name": "只在乙"})

    # Both sequences started at 1: the same uids in both files, each with its own names.
    assert made["a"] == made["b"]
    for ws, name in ((a, "甲"), (b, "乙")):
        listed = ws.services.objects.list({"page_size": 100})["data"]
        assert sorted(o["uid"] for o in listed) == sorted(made["a"])
        assert {o["name"][0] for o in listed} == {name}
    assert a.services.tasks.list({})["total_records"] == 2
    assert b.services.tasks.list({})["total_records"] == 0
    assert [h["name"] for h in b.services.handlers.list({})["data"]] == ["只在乙"]
    assert a.services.handlers.list({})["total_records"] == 0
    # And the files agree with what each workspace said.
    assert rows(a.location.path, "project") == [pa]
    assert rows(b.location.path, "project") == []
    assert rows(b.location.path, "handler", "name") == ["只在乙"]


def test_two_workspaces_written_from_two_threads_at_once(two: Any) -> None:
    a, b = two
    start = threading.Barrier(2, timeout=30)
    seen: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def work(key: str, ws: Workspace) -> None:
        try:
            with ws.services.ctx.thread_connection():
                start.wait()
                mine = [ws.services.objects.create({"name": f"{key}{i}"})["uid"]
                        for i in range(OBJECTS_PER_ROUND)]
                listed = ws.services.objects.list({"page_size": 100})["data"]
                assert sorted(o["uid"] for o in listed) == sorted(mine)
                assert {o["name"][0] for o in listed} == {key}
                seen[key] = mine
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=("甲", a)),
               threading.Thread(target=work, args=("乙", b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(seen["甲"]) == len(seen["乙"]) == OBJECTS_PER_ROUND
    assert rows(a.location.path, "maintenance_object", "name") == sorted(
        f"甲{i}" for i in range(OBJECTS_PER_ROUND))
    assert rows(b.location.path, "maintenance_object", "name") == sorted(
        f"乙{i}" for i in range(OBJECTS_PER_ROUND))


def test_the_model_definitions_query_no_database(services: Services) -> None:
    """Only a store's models reach a database; the definitions cannot be used by mistake."""
    services.objects.create({"uid": "x", "name": "机"})
    with pytest.raises(InterfaceError):
        models.MaintenanceObject.select().count()
    assert services.ctx.store.MaintenanceObject.select().count() == 1
    assert services.ctx.store.MaintenanceObject._meta.table_name == "maintenance_object"


# -- locations ------------------------------------------------------------------------------


def test_a_location_is_parsed_from_a_path_or_text(tmp_path: Path) -> None:
    path = tmp_path / "data" / "mixtimer.db"
    assert Location.parse(path) == Location.parse(str(path)) == Location("sqlite", path)
    assert Location.parse(f"sqlite://{path}") == Location("sqlite", path)
    assert Location.parse(Location.parse(path)) == Location("sqlite", path)
    assert str(Location.parse(path)) == str(path)
    assert Location.parse(path).data_dir == path.parent


def test_an_unknown_kind_of_location_is_refused_with_a_sentence() -> None:
    with pytest.raises(UnsupportedLocationError) as caught:
        Workspace.open("mysql://maint@db.example/plant")
    assert isinstance(caught.value, StoreError)  # what the outer layers already catch
    assert "mysql://maint@db.example/plant" in str(caught.value)
    assert "SQLite" in str(caught.value) and "postgresql://" in str(caught.value)


def test_the_database_files_are_known_to_the_location(tmp_path: Path) -> None:
    location = Location.parse(tmp_path / "mixtimer.db")
    for name in ("mixtimer.db", "mixtimer.db-wal", "mixtimer.db-shm"):
        assert location.is_database_file(tmp_path / name), name
    assert not location.is_database_file(tmp_path / "mixtimer.csv")
    assert not location.is_database_file(tmp_path / "other.db")


# -- the workspace's own facilities ---------------------------------------------------------


def test_a_read_only_workspace_reads_and_refuses_writes(tmp_path: Path,
                                                        fake_clock: FakeClock) -> None:
    path = tmp_path / "mixtimer.db"
    with Workspace.open(path, clock=fake_clock) as writable:
        writable.services.objects.create({"uid": "keep", "name": "原有"})
    with Workspace.open(path, clock=fake_clock, read_only=True) as viewer:
        assert viewer.read_only
        assert viewer.services.objects.get({"uid": "keep"})["name"] == "原有"
        with pytest.raises(ReadOnlyDatabaseError):
            viewer.services.objects.create({"uid": "new", "name": "新"})
    assert rows(path, "maintenance_object") == ["keep"]


def test_backups_through_the_workspace(tmp_path: Path, fake_clock: FakeClock) -> None:
    with Workspace.open(tmp_path / "mixtimer.db", clock=fake_clock) as ws:
        ws.services.objects.create({"uid": "before", "name": "备份前"})
        made = ws.backups.back_up_now(fake_clock.now())
        assert made.parent == ws.backups.folder == ws.data_dir / "backups"
        assert [b.path for b in ws.backups.list()] == [made]
        assert ws.backups.newest_good() == made
        ws.services.objects.create({"uid": "after", "name": "备份后"})
        heard: list[str] = []
        ws.services.bus.subscribe(lambda entity, _uids: heard.append(entity))
        kept = ws.backups.restore(made)
        # This thread's connection was reopened: the workspace reads the restored data.
        assert [o["uid"] for o in ws.services.objects.list({})["data"]] == ["before"]
        assert "object" in heard and kept.parent == ws.backups.folder


def test_daily_backups_start_once_and_stop_with_the_workspace(tmp_path: Path,
                                                              fake_clock: FakeClock) -> None:
    ws = Workspace.open(tmp_path / "mixtimer.db", clock=fake_clock)
    before = set(threading.enumerate())
    runner = ws.start_daily_backups(interval_s=3600)
    assert ws.start_daily_backups() is runner  # a second start is the same runner
    (thread,) = [t for t in threading.enumerate() if t not in before
                 and t.name == "daily-backup"]
    ws.close()  # waits for a copy in progress, then the thread ends
    assert not thread.is_alive()


@pytest.mark.sqlite_only  # SQLite's soft heap limit; a server keeps its own memory
def test_the_memory_cap_is_set_through_the_workspace(services: Services) -> None:
    workspace = Workspace(services)
    try:
        workspace.limit_memory(12)
        limit = services.db.execute_sql("PRAGMA soft_heap_limit").fetchone()[0]
        assert limit == 12 * 2**20
    finally:
        workspace.limit_memory(0)  # process-wide: leave the other tests unlimited


def test_import_rows_is_all_or_nothing_unless_good_rows_are_kept(services: Services) -> None:
    rows_in = [(2, {"uid": "a1", "name": "一号"}), (3, {"uid": "a2", "name": ""}),
               (4, {"uid": "a3", "name": "三号"})]
    refused = services.objects.import_rows(rows_in)
    assert (refused.good, refused.committed) == (2, False)
    ((line, error),) = refused.errors
    assert line == 3 and isinstance(error, DomainError) and error.field == "name"
    assert services.objects.list({})["total_records"] == 0
    kept = services.objects.import_rows(rows_in, keep_good=True)
    assert (kept.good, kept.committed) == (2, True)
    assert sorted(o["uid"] for o in services.objects.list({})["data"]) == ["a1", "a3"]
    again = services.objects.import_rows([(2, {"uid": "a1", "name": "改名"})],
                                         update_existing=True)
    assert (again.existing, again.updated, again.committed) == (1, 1, True)
    assert services.objects.get({"uid": "a1"})["name"] == "改名"
