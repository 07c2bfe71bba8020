"""Read state per operator — issue 16: "Reminders once per team, seen by everyone: ... read
state is per operator". Two workstations on one database, each with its own operator (Settings
→ 操作员), each keep their own unread list; a cycle that ends is settled for everyone; the
marks made before the step (``reminder_log.is_read``) stay read for every operator.

Code: store/reminder_queries.py (unread_by, log_for, mark_read), services/reminders.py,
store/migrations.py (step 11, ``reminder_read``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services
from mixtimer_gui.services.history import WINDOW, Actor
from mixtimer_gui.store import migrations


def as_operator(svc: Services, name: str) -> Services:
    svc.ctx.actor = svc.handlers.operator(name, register=True)
    return svc


@pytest.fixture
def zhang(services: Services) -> Services:
    """Workstation A, 张三 at the keyboard."""
    return as_operator(services, "张三")


@pytest.fixture
def li(db_location: str | Path, fake_clock: FakeClock, zhang: Services
       ) -> Iterator[Services]:
    """Workstation B on the same database, 李四 at the keyboard."""
    svc = Services.open(db_location, clock=fake_clock)
    yield as_operator(svc, "李四")
    svc.close()


@pytest.fixture
def four_logged(zhang: Services, fake_clock: FakeClock,
                make_project: Callable[..., str]) -> list[int]:
    """Four reminders logged once for the team: 提醒 and 到期 for A and B."""
    make_project(["A", "B"])
    engine = ReminderEngine(zhang)
    fake_clock.advance(days=1)
    engine.scan()
    fake_clock.advance(days=1)
    engine.scan()
    return [r["id"] for r in zhang.reminders.list({"page_size": 10})["data"]]


def unread_ids(svc: Services) -> list[int]:
    page = svc.reminders.list({"where_and": [["is_read", "=", 0]], "page_size": 10})
    return [r["id"] for r in page["data"]]


def test_each_operator_reads_their_own_reminders(zhang: Services, li: Services,
                                                 four_logged: list[int]) -> None:
    assert zhang.ctx.actor.operator_id != li.ctx.actor.operator_id != 0
    assert zhang.reminders.unread_count() == li.reminders.unread_count() == 4

    assert zhang.reminders.mark_read({"id_list": four_logged[:1]}) == {"count": 1}
    assert zhang.reminders.unread_count() == 3
    assert li.reminders.unread_count() == 4  # 李四 has not read it
    assert unread_ids(zhang) == four_logged[1:] and unread_ids(li) == four_logged
    read_by = {r["id"]: r["is_read"] for r in zhang.reminders.list({"page_size": 10})["data"]}
    assert read_by == {four_logged[0]: 1, **{i: 0 for i in four_logged[1:]}}
    assert all(r["is_read"] == 0 for r in li.reminders.list({"page_size": 10})["data"])

    assert li.reminders.mark_read({"id_list": four_logged[:2]}) == {"count": 2}
    assert zhang.reminders.mark_read({"id_list": four_logged[:2]}) == {"count": 1}
    assert li.reminders.mark_all_read() == {"count": 2}
    assert (li.reminders.unread_count(), zhang.reminders.unread_count()) == (0, 2)
    assert zhang.reminders.mark_all_read() == {"count": 2}
    assert zhang.reminders.mark_all_read() == {"count": 0}


def test_the_read_state_orders_and_filters_with_the_other_fields(
        zhang: Services, li: Services, four_logged: list[int]) -> None:
    li.reminders.mark_read({"id_list": [four_logged[2]]})
    page = li.reminders.list({"order_by": "is_read,-id", "page_size": 10,
                              "where_and": [["kind", "=", "提醒"]]})
    assert [(r["id"], r["is_read"]) for r in page["data"]] == [
        (four_logged[3], 0), (four_logged[2], 1)]


def test_a_cycle_that_ends_is_read_for_every_operator(
        zhang: Services, li: Services, four_logged: list[int]) -> None:
    li.reminders.mark_read({"id_list": four_logged[:1]})
    project = zhang.reminders.list({"page_size": 1})["data"][0]["project_id"]
    zhang.projects.restart({"uid": project})
    # 张三 restarted the cycles: nothing is left to do about their reminders, for anyone
    assert zhang.reminders.unread_count() == li.reminders.unread_count() == 0
    assert li.reminders.mark_all_read() == {"count": 0}


def test_a_workstation_without_an_operator_keeps_a_state_of_its_own(
        zhang: Services, db_location: str | Path, fake_clock: FakeClock,
        four_logged: list[int]) -> None:
    nobody = Services.open(db_location, clock=fake_clock)
    try:
        nobody.ctx.actor = Actor(WINDOW, 0, "")
        assert nobody.reminders.mark_all_read() == {"count": 4}
        assert nobody.reminders.unread_count() == 0
        assert zhang.reminders.unread_count() == 4
    finally:
        nobody.close()


@pytest.mark.sqlite_only
def test_marks_made_before_the_step_stay_read_for_every_operator(
        db_path: Path, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file at step 10 with one reminder read, one not: after step 11 the read one is
    read for everybody (one workstation, one reader: whoever read it, it was read)."""
    monkeypatch.setattr(migrations, "MIGRATIONS",
                        [(n, step) for n, step in migrations.MIGRATIONS if n <= 10])
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path))
    try:
        migrations.migrate(db, 0)
        for log_id, is_read in ((1, 1), (2, 0)):
            db.execute_sql('INSERT INTO "reminder_log" VALUES (?, ?, 0, \'提醒\', 0, 0, 0, '
                           "'P', '润滑', 'O', '泵', ?, '')", (log_id, f"T{log_id}", is_read))
    finally:
        db.close()
    monkeypatch.undo()
    for name in ("张三", "李四"):
        svc = Services.open(db_path, clock=fake_clock)
        try:
            assert svc.ctx.store.ReminderRead.select().count() == 0
            as_operator(svc, name)
            assert unread_ids(svc) == [2] and svc.reminders.unread_count() == 1
        finally:
            svc.close()
