"""Due/notice scan of 10,000 tasks (DESIGN §6: ≤ 100 ms).

Builds a database with ``projects × objects`` running tasks whose cycles started at spread
moments (some before notice, some in notice, due, or overdue), then times:

- ``scan_steady``: ``ReminderEngine.scan`` when everything owed is already logged (what the
  5-minute sweep and every change do almost always);
- ``scan_firing``: a scan that finds and logs one new reminder per due task (an overdue
  repeat moment for all of them at once: the worst case);
- ``next_wakeup``: the next moment anything changes;
- ``floor``: ``SELECT`` of the same task columns through plain ``sqlite3`` (a full read of
  the task table), the ratio's denominator.

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


def _best_ms(run: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times), result


def _floor(db_path: Path) -> Callable[[], int]:
    conn = sqlite3.connect(str(db_path))

    def run() -> int:
        rows = conn.execute('SELECT t."uid", t."cycle_start", t."due_at", t."notice_at", '
                            'p."is_active" FROM "task" t JOIN "project" p ON p."uid" = '
                            't."project_id"').fetchall()
        return len(rows)

    return run


# Every run scans at this moment (the build ends ~8.3 days after START): a run on a fresh
# build and a run on a cached copy do the same work.
SCAN_AT = START + 9 * DAY


def measure(db_path: Path, repeats: int = 20) -> list[dict[str, Any]]:
    """Build (if empty) and time the scan; one dict per measurement. The scan writes its
    log: pass a copy of a built database (``run.py`` does), so the next run finds the same
    nothing-yet-logged state."""
    db_path = Path(db_path)
    if not db_path.exists():
        build(db_path)
    clock = FakeClock(SCAN_AT)
    services = Services.open(db_path, clock=clock)
    try:
        engine = ReminderEngine(services)
        tasks = services.tasks.list({"page_size": 1})["total_records"]
        first = len(engine.scan())  # the catch-up logs what is owed now
        steady = _best_ms(engine.scan, repeats)
        wake = _best_ms(engine.next_wakeup, repeats)
        floor = _best_ms(_floor(db_path), repeats)

        def firing() -> int:
            clock.advance(hours=24)  # the next overdue repeat for every due task
            return len(engine.scan())

        fire = _best_ms(firing, max(1, min(repeats, 3)))
    finally:
        services.close()
    rows = [("scan_steady", steady, 0), ("next_wakeup", wake, None),
            ("scan_firing", fire, fire[2]), ("floor", floor, None)]
    return [{"work": name, "tasks": tasks, "best_ms": round(best, 2),
             "median_ms": round(median, 2), "fired": fired,
             "ratio_to_floor": round(best / floor[0], 2) if floor[0] else None,
             "target_ms": 100 if name != "floor" else None, "catch_up_fired": first}
            for name, (best, median, _), fired in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", help="database (built when missing; default temp)")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        for row in measure(db, args.repeats):
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
