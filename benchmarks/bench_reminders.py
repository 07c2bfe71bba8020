"""Due/notice scan of 10,000 tasks (DESIGN §6: ≤ 100 ms), each figure against a floor
written by hand.

Builds a database with ``projects × objects`` running tasks whose cycles started at spread
moments (some before notice, some in notice, due, or overdue), then times:

- ``scan_catch_up``: the first scan, which logs every reminder owed now;
- ``scan_steady``: ``ReminderEngine.scan`` when everything owed is already logged (what the
  5-minute sweep and every change do almost always);
- ``scan_firing``: a scan that finds and logs one new reminder per due task (an overdue
  repeat moment for all of them at once: the worst case);
- ``next_wakeup``: the next moment anything changes.

The floors answer the same questions the way a competent engineer would by hand in
``sqlite3``, never with the SQL the product generates: ``OWED_SQL`` (which reminders are
owed now: each running task's state ranked notice 0, due 1, overdue n 1 + n, less what the
log already holds for its cycle), the same rows logged with ``executemany`` in one write
transaction for the scans that fire, and ``NEXT_SQL`` (one pass over the running tasks: the
next notice, due or overdue repeat). The floors that write run on their own copy of the
database at the same moments as the engine, and every floor's answer is checked against the
engine's (the same reminders, the same moment) before its time counts.

Usage: ``python benchmarks/bench_reminders.py [DB] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services

START = 1_700_000_000
DAY = 86400


def build(db_path: Path, projects: int = 100, objects: int = 100) -> FakeClock:
    """``projects × objects`` tasks, started one project per 2 hours over ~8 days."""
    clock = FakeClock(START)
    services = Services.open(db_path, clock=clock)
    try:
        for p in range(projects):
            uid = services.projects.create({
                "name": f"项目{p:03d}", "cycle_type": "自然时间周期", "period_num": 3,
                "period_unit": "日", "notice_num": 1, "notice_unit": "日",
                "object_id_list": [f"OBJ-{p:03d}-{o:03d}" for o in range(objects)]})["uid"]
            services.projects.start({"uid": uid})
            clock.advance(hours=2)
    finally:
        services.close()
    return clock


# -- the floors, by hand -----------------------------------------------------------------

NOTICE, DUE, OVERDUE = "提醒", "到期", "逾期"

OWED_SQL = f"""
WITH state AS (
  SELECT t.uid AS task_id, t.cycle_start, t.due_at, t.notice_at, t.project_id,
         p.name AS project_name, t.object_id, COALESCE(o.name, t.object_id) AS object_name,
         CASE WHEN t.due_at + :repeat <= :now THEN 1 + (:now - t.due_at) / :repeat
              WHEN t.due_at <= :now THEN 1
              ELSE 0 END AS rank
  FROM task AS t
  JOIN project AS p ON p.uid = t.project_id
  LEFT JOIN maintenance_object AS o ON o.uid = t.object_id
  WHERE p.is_active = 1 AND t.cycle_start IS NOT NULL AND t.notice_at <= :now)
SELECT task_id, cycle_start,
       CASE WHEN rank > 1 THEN '{OVERDUE}' WHEN rank = 1 THEN '{DUE}' ELSE '{NOTICE}' END,
       MAX(rank - 1, 0), due_at, project_id, project_name, object_id, object_name
FROM state AS s
WHERE NOT EXISTS (
  SELECT 1 FROM reminder_log AS r
  WHERE r.task_id = s.task_id AND r.cycle_start = s.cycle_start
    AND CASE r.kind WHEN '{NOTICE}' THEN 0 WHEN '{DUE}' THEN 1 ELSE 1 + r.seq END >= s.rank)
"""

LOG_SQL = ("INSERT OR IGNORE INTO reminder_log (task_id, cycle_start, kind, seq, due_at, "
           "project_id, project_name, object_id, object_name, fired_at, is_read) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")

NEXT_SQL = """
SELECT MIN(CASE WHEN t.notice_at > :now THEN t.notice_at
                WHEN t.due_at > :now THEN t.due_at
                ELSE t.due_at + ((:now - t.due_at) / :repeat + 1) * :repeat END)
FROM task AS t JOIN project AS p ON p.uid = t.project_id
WHERE p.is_active = 1 AND t.cycle_start IS NOT NULL
"""


class HandReminders:
    """The reminder questions answered in plain ``sqlite3`` on one connection."""

    def __init__(self, db_path: Path, repeat_seconds: int) -> None:
        self.conn = sqlite3.connect(str(db_path), isolation_level=None)
        # The app's page cache and commit durability (WAL, synchronous=normal): the floor's
        # writes must not pay for a stricter setting than the app's.
        self.conn.execute("PRAGMA cache_size = -16000")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.repeat = repeat_seconds

    def owed(self, now: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(OWED_SQL, {"now": now, "repeat": self.repeat}).fetchall()

    def fire(self, now: int) -> list[tuple[Any, ...]]:
        """Log what is owed at ``now`` in one write transaction; return it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            rows = self.owed(now)
            self.conn.executemany(LOG_SQL, [(*row, now) for row in rows])
        finally:
            self.conn.execute("COMMIT")
        return rows

    def next_change(self, now: int) -> int | None:
        return self.conn.execute(NEXT_SQL, {"now": now, "repeat": self.repeat}).fetchone()[0]

    def close(self) -> None:
        self.conn.close()


def same_reminders(engine_fired: list[Any], floor_rows: list[tuple[Any, ...]]) -> int:
    """The floor fired what the engine fired: (task, cycle, kind, seq) for each."""
    engine = sorted((r.task_uid, r.cycle_start, r.kind, r.seq) for r in engine_fired)
    floor = sorted((r[0], r[1], r[2], r[3]) for r in floor_rows)
    if engine != floor:
        raise RuntimeError(f"the floor fires other reminders: {len(engine)} vs {len(floor)}")
    return len(engine)


def copy_database(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


# -- timing ---------------------------------------------------------------------------------


def samples(run: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - began) * 1000)
    return times, result


def row(work: str, measured: list[float], floor: list[float], floor_name: str, *,
        note: str = "", target: float | None = 100.0) -> dict[str, Any]:
    m, f = statistics.median(measured), statistics.median(floor)
    return {"work": work, "unit": "ms", "median": m, "min": min(measured),
            "max": max(measured), "floor_name": floor_name, "floor_median": f,
            "floor_min": min(floor), "floor_max": max(floor), "ratio": m / f if f else None,
            "target": target, "note": note}


# Every run scans at this moment (the build ends ~8.3 days after START): a run on a fresh
# build and a run on a cached copy do the same work.
SCAN_AT = START + 9 * DAY


def measure(db_path: Path, repeats: int = 20) -> list[dict[str, Any]]:
    """Build (if empty) and time the scans and their floors; one row each. The scan writes
    its log: pass a copy of a built database (``run.py`` does), so the next run finds the
    same nothing-yet-logged state."""
    db_path = Path(db_path)
    if not db_path.exists():
        build(db_path)
    with tempfile.TemporaryDirectory() as tmp:
        floor_db = copy_database(db_path, Path(tmp) / "floor.db")  # before anything is logged
        clock = FakeClock(SCAN_AT)
        services = Services.open(db_path, clock=clock)
        try:
            engine = ReminderEngine(services)
            hand = HandReminders(floor_db, engine.repeat_seconds())
            try:
                return _measure(services, engine, hand, clock, repeats)
            finally:
                hand.close()
        finally:
            services.close()


def _measure(services: Services, engine: ReminderEngine, hand: HandReminders,
             clock: FakeClock, repeats: int) -> list[dict[str, Any]]:
    tasks = services.tasks.list({"page_size": 1})["total_records"]
    began = time.perf_counter()
    caught_up = engine.scan()  # the catch-up logs what is owed now
    catch_up = [(time.perf_counter() - began) * 1000]
    began = time.perf_counter()
    fired = same_reminders(caught_up, hand.fire(SCAN_AT))
    catch_up_floor = [(time.perf_counter() - began) * 1000]

    if engine.scan() or hand.owed(SCAN_AT):
        raise RuntimeError("something is still owed after the catch-up")
    steady, _ = samples(engine.scan, repeats)
    steady_floor, _ = samples(lambda: hand.owed(SCAN_AT), repeats)

    if engine.next_wakeup() != hand.next_change(SCAN_AT):
        raise RuntimeError("the floor finds another next moment")
    wake, _ = samples(engine.next_wakeup, repeats)
    wake_floor, _ = samples(lambda: hand.next_change(SCAN_AT), repeats)

    firing, firing_floor, fires = [], [], 0
    for _ in range(max(1, min(repeats, 3))):
        clock.advance(hours=24)  # the next overdue repeat for every due task
        now = clock.now()
        began = time.perf_counter()
        by_engine = engine.scan()
        firing.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        by_hand = hand.fire(now)
        firing_floor.append((time.perf_counter() - began) * 1000)
        fires = same_reminders(by_engine, by_hand)
    owed = "by hand: owed reminders in sqlite3"
    logged = "by hand: owed reminders logged in sqlite3"
    return [
        row("scan_catch_up", catch_up, catch_up_floor, logged, target=None,
            note=f"{tasks} tasks; fired {fired}"),
        row("scan_steady", steady, steady_floor, owed, note=f"{tasks} tasks; fired 0"),
        row("next_wakeup", wake, wake_floor, "by hand: next change in sqlite3",
            note=f"{tasks} tasks"),
        row("scan_firing", firing, firing_floor, logged, note=f"{tasks} tasks; fired {fires}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", help="database (built when missing; default temp)")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        for result in measure(db, args.repeats):
            print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
