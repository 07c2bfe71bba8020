"""Team mode over the API — issue 16's tests: "two ``serve`` instances and concurrent writers
on one database → 0 errors, uids unique; reminders fire once per team; an older client
against a newer schema opens read-only; a restart of PostgreSQL mid-load loses no
acknowledged write" (and duplicates none: the client uids).

Real ``serve`` processes, a real socket, the real throw-away cluster.

Code: store/postgres.py (the write lock, the reconnect, the version gate), api/wsgi.py
(10503 for a StoreError), services/handles.py (the repeat after a lost connection).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pg_cluster as pg
import psycopg
import pytest
from api_helpers import call, ok, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import make_app
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services, Workspace
from mixtimer_gui.store import postgres
from mixtimer_gui.store.migrations import MIN_CLIENT_KEY

pytestmark = pytest.mark.postgres

OBJECTS = [f"m{i}" for i in range(8)]
PROJECT = {"action": "create_v2_project", "uid": "team", "name": "班组润滑",
           "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "日",
           "anchor_type": "按计划时间", "object_id_list": OBJECTS}


def seed(port: int) -> list[str]:
    ok(post(port, PROJECT))
    ok(post(port, {"action": "start_v2_project", "uid": "team"}))
    tasks = ok(post(port, {"action": "get_v2_task_list", "page_size": 100}))["data"]
    return [t["uid"] for t in tasks]


# -- the version gate on the wire -------------------------------------------------------------


@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")
@pytest.mark.expect_log(logger="mixtimer_gui.services.context")
@pytest.mark.expect_log(logger="mixtimer_gui.api.wsgi")
def test_an_older_program_answers_writes_with_10503_naming_the_version(
        pg_database_url: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    with psycopg.connect(pg_database_url, autocommit=True) as conn:
        conn.execute('UPDATE "setting" SET "value" = %s WHERE "key" = %s', ("9.1.0",
                                                                            MIN_CLIENT_KEY))
    monkeypatch.setattr(postgres, "CLIENT_VERSION", "0.1.0")
    services = Services.open(pg_database_url, clock=fake_clock)
    try:
        app = make_app(services)
        refused = call(app, PROJECT)
        assert refused.code == env.UNAVAILABLE and refused.status == 503
        assert "9.1.0" in refused.info and "只读" in refused.info
        assert ok(call(app, {"action": "get_v2_project_list"}))["total_records"] == 0
    finally:
        services.close()


# -- a restart mid-load -------------------------------------------------------------------------


CLIENTS = 4
HANDLES_EACH = 40


@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")
@pytest.mark.expect_log(logger="mixtimer_gui.services.context")
@pytest.mark.expect_log(logger="mixtimer_gui.api.wsgi")
def test_a_restart_mid_load_loses_no_acknowledged_handle_and_doubles_none(
        pg_database_url: str, pg_cluster: pg.Cluster) -> None:
    services = Services.open(pg_database_url)
    server = ApiServer(services, port=0)
    server.start()
    try:
        tasks = seed(server.port)
        acknowledged: list[str] = []
        unavailable: list[str] = []
        failures: list[Any] = []
        halfway = threading.Event()

        def client(n: int) -> None:
            try:
                for i in range(HANDLES_EACH):
                    uid = f"c{n}-{i}"
                    body = {"action": "v2_handle", "task_id": tasks[(n + i) % len(tasks)],
                            "uid": uid, "handler_id_list": [n]}
                    for _attempt in range(50):  # what a client does with 10503: try again
                        reply = post(server.port, body)
                        if reply.code == env.OK:
                            acknowledged.append(reply.result["uid"])
                            break
                        if reply.code != env.UNAVAILABLE:
                            failures.append(reply.envelope)
                            return
                        unavailable.append(reply.info)
                    else:
                        failures.append(f"{uid}: never acknowledged")
                    if len(acknowledged) >= CLIENTS * HANDLES_EACH // 3:
                        halfway.set()
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        assert halfway.wait(120)
        pg_cluster.restart()  # every connection of every worker thread dropped at once
        for thread in threads:
            thread.join(300)
        assert not failures, failures
        assert all("数据库连接中断" in text for text in unavailable), unavailable
        stored = [h["uid"] for h in services.handles.list({"page_size": 1000})["data"]]
        assert sorted(stored) == sorted(acknowledged)  # none lost, none twice
        assert len(set(stored)) == CLIENTS * HANDLES_EACH
    finally:
        server.stop()
        services.close()


# -- two serve processes on one database ------------------------------------------------------


@pytest.fixture
def two_serves(pg_database_url: str) -> Iterator[list[int]]:
    """Two ``mixtimer-gui serve`` processes on the same team database; their ports."""
    processes = [subprocess.Popen(
        [sys.executable, "-m", "mixtimer_gui", "serve", "--db", pg_database_url,
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}) for _ in range(2)]
    try:
        ports = []
        for process in processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/mixtimer/api\n", line)
            assert match, (line, process.stderr.read() if process.poll() is not None else "")
            ports.append(int(match.group(1)))
        yield ports
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            _, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            assert "Traceback" not in err, err
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


WRITERS = 8
WRITES_EACH = 25


def test_two_serves_take_concurrent_handles_without_an_error(
        two_serves: list[int], pg_database_url: str) -> None:
    tasks = seed(two_serves[0])
    answers: list[dict[str, Any]] = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        port = two_serves[n % 2]  # half the writers on each process
        start.wait(60)
        for i in range(WRITES_EACH):
            body: dict[str, Any] = {"action": "v2_handle",
                                    "task_id": tasks[(n + i) % len(tasks)]}
            if i % 2:
                body["uid"] = f"w{n}-{i}"  # the rest take uids from the shared counter
            answers.append(post(port, body).envelope)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert [a for a in answers if a["code"] != env.OK] == []
    uids = [a["result"]["uid"] for a in answers]
    assert len(uids) == len(set(uids)) == WRITERS * WRITES_EACH
    with psycopg.connect(pg_database_url) as conn:
        assert conn.execute('SELECT count(*), count(DISTINCT "uid") FROM "handle"'
                            ).fetchone() == (WRITERS * WRITES_EACH,) * 2
        # A fixed plan handled early moves one cycle on per handle: a task's cycle number
        # counts its handles, unless two writers read the same task row and one of the
        # updates was lost (what the one-writer lock prevents).
        rows = conn.execute('SELECT t."cycle_index", (SELECT count(*) FROM "handle" h '
                            'WHERE h."task_id" = t."uid") FROM "task" t').fetchall()
        assert rows and all(index == 1 + handled for index, handled in rows), rows


# -- reminders once per team ------------------------------------------------------------------


def test_two_workstations_scanning_at_the_same_moment_fire_each_reminder_once(
        pg_database_url: str, fake_clock: FakeClock) -> None:
    first = Workspace.open(pg_database_url, clock=fake_clock)
    second = Workspace.open(pg_database_url, clock=fake_clock)
    try:
        first.services.projects.create({**PROJECT, "action": None})
        first.services.projects.start({"uid": "team"})
        fake_clock.advance(days=3)  # every task overdue: one reminder each is owed
        together = threading.Barrier(2)
        fired: dict[str, int] = {}
        failed: list[BaseException] = []

        def scan(name: str, workspace: Workspace) -> None:
            try:
                together.wait(30)
                fired[name] = len(ReminderEngine(workspace.services).scan())
            except BaseException as exc:
                failed.append(exc)
            finally:
                workspace.services.ctx.release_connection()

        threads = [threading.Thread(target=scan, args=("first", first)),
                   threading.Thread(target=scan, args=("second", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not failed, failed
        assert sum(fired.values()) == len(OBJECTS)  # between them, once each
        log = first.services.reminders.list({"page_size": 100})["data"]
        assert sorted(r["task_id"] for r in log) == sorted(
            t["uid"] for t in first.services.tasks.list({"page_size": 100})["data"])
    finally:
        first.close()
        second.close()
