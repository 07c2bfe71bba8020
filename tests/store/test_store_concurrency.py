"""Concurrent writers — DESIGN §2 (per-thread connections, busy_timeout) and §8 (BEGIN
IMMEDIATE: deferred read-then-write transactions from several threads gave "database is
locked"); issue 2's "Concurrency" test.

Four threads share one Services on a temporary FILE database (Peewee gives each thread its own
connection) and write handles at once, with readings and list reads mixed in: every write must
be present, uids unique, no thread may see "database is locked".

Code: store/db.py (make_database: lock_type='IMMEDIATE', timeout), services/context.py
(write/read transactions), services/handles.py.
"""

from __future__ import annotations

import threading

from engines import count, integrity_ok

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import Services

THREADS = 4
HANDLES_PER_THREAD = 40


def run_threads(services: Services, work: list[threading.Thread]) -> None:
    for thread in work:
        thread.start()
    for thread in work:
        thread.join(timeout=120)
        assert not thread.is_alive()


def test_four_threads_writing_handles_lose_nothing(services: Services,
                                                   fake_clock: FakeClock) -> None:
    services.objects.create({"uid": "shared", "name": "共用设备"})
    services.projects.create({"uid": "p", "name": "并发", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "日",
                              "object_id_list": ["shared", "a", "b", "c", "d"]})
    services.projects.start({"uid": "p"})
    tasks = [t["uid"] for t in services.tasks.list({"order_by": "uid"})["data"]]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS, timeout=60)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(HANDLES_PER_THREAD):
                # Half go to one shared task (same row), half to the thread's own task.
                task = tasks[0] if i % 2 else tasks[1 + n]
                if i % 5 == 0:
                    services.handles.ignore({"task_id": task, "uid": f"t{n}-{i}"})
                else:
                    services.handles.handle({"task_id": task, "uid": f"t{n}-{i}",
                                             "handler_id_list": [n, 100 + i],
                                             "handler_name_list": [f"工{n}", f"人{i}"]})
                if i % 10 == 0:
                    services.handles.list({"where_and": [["task_id", "=", task]]})
            for _ in range(5):  # generated uids from the shared sequence
                services.handles.handle({"task_id": tasks[1 + n]})
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            services.db.close()  # this thread's connection

    run_threads(services, [threading.Thread(target=writer, args=(n,), daemon=True)
                           for n in range(THREADS)])
    assert not errors, errors
    expected = THREADS * (HANDLES_PER_THREAD + 5)
    page = services.handles.list({"page_size": 1000})
    assert page["total_records"] == expected
    uids = [h["uid"] for h in page["data"]]
    assert len(set(uids)) == expected
    for n in range(THREADS):
        for i in range(HANDLES_PER_THREAD):
            assert f"t{n}-{i}" in uids
    assert count(services, "handle") == expected
    assert integrity_ok(services)
    handler_rows = count(services, "handle_handler")
    assert handler_rows == THREADS * (HANDLES_PER_THREAD - HANDLES_PER_THREAD // 5) * 2
    names = {h["id"] for h in services.handlers.list({"page_size": 1000})["data"]}
    assert set(range(THREADS)) <= names


def test_readings_and_handles_from_threads_keep_meters_monotonic(
        services: Services, fake_clock: FakeClock) -> None:
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    services.statistics.add_value({"statistics_id": "hours", "value": 0})
    services.projects.create({"uid": "s", "name": "按小时", "cycle_type": "统计周期",
                              "statistics_id": "hours", "period_num": 50,
                              "object_id_list": ["a"]})
    services.projects.start({"uid": "s"})
    task = services.tasks.list({})["data"][0]["uid"]
    errors: list[BaseException] = []
    refused: list[str] = []
    start = threading.Barrier(THREADS, timeout=60)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(20):
                if n == 0:
                    services.handles.handle({"task_id": task})
                else:
                    try:
                        services.statistics.add_value({"statistics_id": "hours",
                                                       "value": i * 10 + n})
                    except DomainError as exc:  # a value below one already stored
                        refused.append(exc.message)
        except BaseException as exc:
            errors.append(exc)
        finally:
            services.db.close()

    run_threads(services, [threading.Thread(target=worker, args=(n,), daemon=True)
                           for n in range(THREADS)])
    assert not errors, errors
    assert all("value" in text for text in refused)
    values = [r["value"] for r in services.statistics.value_list(
        {"page_size": 1000, "order_by": "time"})["data"]]
    assert values == sorted(values)
    assert services.handles.list({})["total_records"] == 20
