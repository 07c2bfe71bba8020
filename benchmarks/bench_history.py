"""What the change history (#15) costs: ``v2_handle`` with its history rows against the same
call with ``ServiceContext.record`` made a no-op, and the history table's size per handle.

Both runs go through the services on a fresh SQLite file (WAL, synchronous=normal, the
defaults), alternating with/without so drift in the machine's load hits both. The size is
measured on the handles written by the services themselves (real use: one history row for
the handle, one for the task it moves) with SQLite's ``dbstat`` table when compiled in,
else the database pages the history table holds by ``page_count`` before/after, and
extrapolated linearly to 1,000,000 handles.

Usage: ``python benchmarks/bench_history.py [--repeats 5] [--handles 300] [--size 20000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from mixtimer_gui.services import Services
from mixtimer_gui.services.context import ServiceContext


def world(path: Path, objects: int = 200) -> tuple[Services, list[str]]:
    services = Services.open(path)
    services.projects.create({"uid": "p", "name": "保养", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "日",
                              "object_id_list": [f"o{n}" for n in range(objects)]})
    services.projects.start({"uid": "p"})
    tasks = [t["uid"] for t in services.tasks.list({"page_size": 1000})["data"]]
    return services, tasks


def handles_ms(services: Services, tasks: list[str], count: int) -> float:
    """Milliseconds per ``v2_handle``, the shape the window sends."""
    started = time.perf_counter()
    for n in range(count):
        services.handles.handle({"task_id": tasks[n % len(tasks)], "fee": 120.5,
                                 "handler_id_list": [1, 2], "handler_name_list": ["张三", "李四"],
                                 "result": "正常", "description": "更换滤芯,检查皮带"})
    return (time.perf_counter() - started) * 1000 / count


def latency(repeats: int, count: int) -> dict[str, Any]:
    with_history: list[float] = []
    without: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        services, tasks = world(Path(folder) / "bench.db")
        handles_ms(services, tasks, 50)  # warm: statement caches, page cache
        real_record = ServiceContext.record
        for _ in range(repeats):
            with_history.append(handles_ms(services, tasks, count))
            ServiceContext.record = lambda *args, **kwargs: None  # type: ignore[method-assign]
            try:
                without.append(handles_ms(services, tasks, count))
            finally:
                ServiceContext.record = real_record  # type: ignore[method-assign]
        services.close()
    return {"with": with_history, "without": without}


def history_bytes(db: Any) -> int:
    try:
        return int(db.execute_sql("SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                                  "('history', 'history_time', 'history_entity_uid_time')"
                                  ).fetchone()[0] or 0)
    except Exception:  # no dbstat in this build: the pages the file grew by
        page = db.execute_sql("PRAGMA page_size").fetchone()[0]
        return int(db.execute_sql("PRAGMA page_count").fetchone()[0]) * page


def size(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        services, tasks = world(Path(folder) / "size.db")
        start_rows = services.history.list({"page_size": 1})["total_records"]
        start_bytes = history_bytes(services.db)
        handles_ms(services, tasks, count)
        services.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = services.history.list({"page_size": 1})["total_records"] - start_rows
        grown = history_bytes(services.db) - start_bytes
        services.close()
    return {"handles": count, "rows": rows, "bytes": grown,
            "bytes_per_handle": grown / count, "at_1m_mib": grown / count * 1e6 / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--handles", type=int, default=300)
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    timed = latency(args.repeats, args.handles)
    med_with, med_without = (statistics.median(timed["with"]),
                             statistics.median(timed["without"]))
    print(f"load average {load:.2f}; {args.repeats} repeats × {args.handles} v2_handle")
    print(f"v2_handle with history    median {med_with:.3f} ms  "
          f"(min {min(timed['with']):.3f}, max {max(timed['with']):.3f})")
    print(f"v2_handle without history median {med_without:.3f} ms  "
          f"(min {min(timed['without']):.3f}, max {max(timed['without']):.3f})")
    print(f"ratio {med_with / med_without:.3f}")
    measured = size(args.size)
    print(f"history after {measured['handles']} handles: {measured['rows']} rows, "
          f"{measured['bytes'] / 2**20:.2f} MiB ({measured['bytes_per_handle']:.0f} B per "
          f"handle) → {measured['at_1m_mib']:.0f} MiB at 1,000,000 handles (linear)")


if __name__ == "__main__":
    main()
