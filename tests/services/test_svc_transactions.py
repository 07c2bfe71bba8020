"""One transaction per call, announcements after commit — issue 2 "each call one transaction;
change announcements (entity, uids) to subscribers", DESIGN §1 ("services announce changes").

A call that fails half-way leaves nothing behind; listeners hear (entity, uids) only after the
data is committed (another connection can already read it), never for a refused call, and a
listener that raises does not undo the write.

Code: services/context.py (ServiceContext.write/changed), services/events.py (ChangeBus).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from svc_factories import ProjectFactory, project_data

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import ChangeBus, Services, cycle_ops


def test_failure_half_way_through_start_leaves_the_project_stopped(
        services: Services, make_project: ProjectFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    uid = make_project(object_id_list=["a", "b", "c"])
    real_begin = cycle_ops.begin
    calls: list[str] = []

    def begin_then_fail(store: Any, task: Any, project: Any, now: int) -> None:
        calls.append(task.uid)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_begin(store, task, project, now)

    monkeypatch.setattr(cycle_ops, "begin", begin_then_fail)
    with pytest.raises(RuntimeError):
        services.projects.start({"uid": uid})
    monkeypatch.undo()
    assert services.projects.get({"uid": uid})["is_active"] == 0
    tasks = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"]
    assert {t["cycle_start"] for t in tasks} == {""}


def test_failure_half_way_through_create_leaves_nothing(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.services import projects as projects_module

    def fail(*_args: Any) -> str:
        raise RuntimeError("sequence broken")

    monkeypatch.setattr(projects_module, "new_task_uid", fail)
    with pytest.raises(RuntimeError):
        services.projects.create(project_data(uid="p", object_id_list=["new1", "new2"]))
    monkeypatch.undo()
    assert services.projects.list({})["total_records"] == 0
    assert services.objects.list({})["total_records"] == 0  # registration rolled back too


def test_announcements_come_after_commit(services: Services, db_location: Path | str,
                                         make_project: ProjectFactory) -> None:
    seen_by_other_connection: list[int] = []
    other = Services.open(db_location)  # its own store: its own connection

    def listener(entity: str, uids: tuple[str, ...]) -> None:
        if entity == "handle":
            seen_by_other_connection.append(other.handles.list(
                {"where_and": [["uid", "=", uids[0]]]})["total_records"])

    uid = make_project(start=True, object_id_list=["a"])
    task = services.tasks.list({"where_and": [["project_id", "=", uid]]})["data"][0]["uid"]
    services.bus.subscribe(listener)
    try:
        services.handles.handle({"task_id": task})
    finally:
        other.close()
    assert seen_by_other_connection == [1]


def test_refused_calls_announce_nothing(services: Services,
                                        make_project: ProjectFactory) -> None:
    uid = make_project(start=True)
    heard: list[str] = []
    services.bus.subscribe(lambda entity, uids: heard.append(entity))
    for call, data in ((services.projects.update, project_data(uid=uid)),
                       (services.projects.delete, {"uid": uid}),
                       (services.handles.handle, {"task_id": "nope"}),
                       (services.objects.delete, {"uid": "a"}),
                       (services.statistics.add_value, {"statistics_id": "nope", "value": 1})):
        with pytest.raises(DomainError):
            call(data)
    assert heard == []


@pytest.mark.expect_log(r"change listener failed", level="ERROR",
                        logger="mixtimer_gui.services.events")
def test_a_failing_listener_does_not_undo_the_write(services: Services,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken(entity: str, uids: tuple[str, ...]) -> None:
        raise ValueError("listener bug")

    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(broken)
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    services.objects.create({"uid": "kyj1", "name": "空压机1号"})
    assert services.objects.get({"uid": "kyj1"})["name"] == "空压机1号"
    assert heard == [("object", ("kyj1",))]
    assert "listener failed" in caplog.text


def test_unsubscribe_stops_the_announcements() -> None:
    bus = ChangeBus()
    heard: list[str] = []
    stop = bus.subscribe(lambda entity, uids: heard.append(entity))
    bus.publish("task", ("t1",))
    stop()
    stop()  # twice is harmless
    bus.publish("task", ("t2",))
    assert heard == ["task"]


def test_one_call_announces_each_uid_once(services: Services,
                                          make_project: ProjectFactory) -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    uid = make_project(object_id_list=["a", "b"])
    heard.clear()
    services.projects.restart({"uid": uid})
    tasks = [uids for entity, uids in heard if entity == "task"]
    assert len(tasks) == 1 and len(tasks[0]) == len(set(tasks[0])) == 2


def test_a_thread_connection_is_closed_after_and_can_be_interrupted(services) -> None:
    """ServiceContext.thread_connection: a worker's own connection, closed when done."""
    import threading

    seen: dict[str, object] = {}

    def worker() -> None:
        with services.ctx.thread_connection() as interrupt:
            seen["open"] = not services.db.is_closed()
            interrupt()  # no statement runs: SQLite ignores it, the next query works
            seen["count"] = services.ctx.store.Handle.select().count()
        seen["closed"] = services.db.is_closed()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert seen == {"open": True, "count": 0, "closed": True}
