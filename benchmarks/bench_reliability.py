"""What reliability costs: commit durability, the start-up check, a backup.

- ``v2_handle`` through the services with ``synchronous=normal`` (the default: nothing
  acknowledged is lost when the process dies) against ``synchronous=full`` (also survives
  power loss); the floor is a bare ``sqlite3`` INSERT+COMMIT in WAL/NORMAL.
- ``open_database`` of an existing large file with ``PRAGMA quick_check`` against the same
  open without it (``check=False``).
- ``backup_now`` (SQLite backup API, then synced) against ``shutil.copyfile`` of the file.

Usage: ``python benchmarks/bench_reliability.py [BIG_DB] [--repeats N] [--handles N]``.
BIG_DB defaults to the largest database in ``benchmarks/.cache``; without one, only the
commit figures are measured.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mixtimer_gui.services import Services
from mixtimer_gui.store import backup
from mixtimer_gui.store.db import open_database

CACHE = Path(__file__).resolve().parent / ".cache"


def _median_ms(run: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def _row(work: str, figure: tuple[float, float, float], floor_name: str,
         floor: tuple[float, float, float], note: str = "") -> dict[str, Any]:
    return {"work": work, "unit": "ms", "median": figure[0], "min": figure[1],
            "max": figure[2], "floor_name": floor_name, "floor_median": floor[0],
            "floor_min": floor[1], "floor_max": floor[2], "ratio": figure[0] / floor[0],
            "target_ratio": None, "target": None, "note": note}


def measure_commits(folder: Path, handles: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    per_handle: dict[str, tuple[float, float, float]] = {}
    for mode in ("normal", "full"):
        path = folder / f"commit-{mode}.db"
        services = Services.open(path, synchronous=mode)
        project = services.projects.create({
            "name": "bench", "cycle_type": "自然时间周期", "period_num": 1,
            "period_unit": "日", "notice_num": 0, "notice_unit": "日",
            "object_id_list": ["o1"]})["uid"]
        services.projects.start({"uid": project})
        task = services.tasks.list({})["data"][0]["uid"]

        def write_many(services: Services = services, task: str = task) -> None:
            for _ in range(handles):
                services.handles.handle({"task_id": task, "description": "bench"})

        total = _median_ms(write_many, repeats)
        per_handle[mode] = tuple(t / handles for t in total)  # type: ignore[assignment]
        services.close()
    floor_path = folder / "floor.db"
    conn = sqlite3.connect(floor_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=normal")
    conn.execute("CREATE TABLE t (x TEXT)")

    def bare() -> None:
        for _ in range(handles):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES ('bench')")
            conn.execute("COMMIT")

    floor = tuple(t / handles for t in _median_ms(bare, repeats))
    conn.close()
    rows.append(_row("v2_handle commit, synchronous=normal", per_handle["normal"],
                     "sqlite3 INSERT+COMMIT (WAL, normal)", floor))  # type: ignore[arg-type]
    rows.append(_row("v2_handle commit, synchronous=full", per_handle["full"],
                     "v2_handle commit, synchronous=normal", per_handle["normal"],
                     "the cost of surviving power loss"))
    return rows


def measure_big(big: Path, folder: Path, repeats: int) -> list[dict[str, Any]]:
    scratch = folder / "big.db"
    src = sqlite3.connect(big)
    dst = sqlite3.connect(scratch)
    src.backup(dst)
    dst.close()
    src.close()
    size_mb = scratch.stat().st_size / 1e6

    def open_checked() -> None:
        open_database(scratch).close()

    def open_unchecked() -> None:
        open_database(scratch, check=False).close()

    rows = [_row(f"open with quick_check ({size_mb:.0f} MB)", _median_ms(open_checked, repeats),
                 "open with check=False", _median_ms(open_unchecked, repeats),
                 "warm page cache")]
    made: list[Path] = []

    def backup_once() -> None:
        made.append(backup.backup_now(scratch))

    def plain_copy() -> None:
        shutil.copyfile(scratch, folder / "plain-copy.db")

    rows.append(_row(f"backup_now ({size_mb:.0f} MB)", _median_ms(backup_once, repeats),
                     "shutil.copyfile", _median_ms(plain_copy, repeats),
                     "online copy + journal-mode change + fsync"))
    start = time.perf_counter()
    ok = backup.verify(made[-1])
    verify_ms = (time.perf_counter() - start) * 1000
    rows.append(_row(f"verify (integrity_check, {size_mb:.0f} MB)", (verify_ms,) * 3,
                     "backup_now", (rows[-1]["median"],) * 3, "ok" if ok else "FAILED"))
    return rows


def measure(db_path: Path | None, repeats: int = 3, handles: int = 200) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="mixtimer-bench-rel-") as tmp:
        folder = Path(tmp)
        rows = measure_commits(folder, handles, repeats)
        if db_path is not None:
            rows += measure_big(db_path, folder, repeats)
        return rows


def _largest_cached() -> Path | None:
    found = sorted((p for p in CACHE.glob("*.db") if not p.name.startswith("scratch")),
                   key=lambda p: p.stat().st_size) if CACHE.is_dir() else []
    return found[-1] if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--handles", type=int, default=200)
    args = parser.parse_args()
    big = args.db or _largest_cached()
    for row in measure(big, args.repeats, args.handles):
        print(f"{row['work']:<44} {row['median']:9.2f} ms  (min {row['min']:.2f}, "
              f"max {row['max']:.2f})  floor {row['floor_name']}: {row['floor_median']:.2f} ms"
              f"  ratio {row['ratio']:.2f}  {row['note']}")


if __name__ == "__main__":
    main()
