"""Shared by the benchmark scripts: the cached demo database, timing helpers, the machine's
description, and the one row shape ``run.py`` prints.

A bench module's ``measure(db_path, repeats) -> list[dict]`` may return rows in the
canonical shape below, or in the shapes the first bench modules used (``normalize`` reads
those too):

    {"work": str, "unit": "ms" | "s" | "MiB",
     "median": float, "min": float, "max": float,           # the measured figure
     "floor_name": str, "floor_median": float, "floor_min": float, "floor_max": float,
     "ratio": float,                                         # median / floor median
     "target_ratio": float | None, "target": float | None,   # ratio or absolute target
     "note": str}
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"

# 6,100 objects × 60 projects gives 10,007 tasks: the task count of DESIGN §6.
DEMO_OBJECTS = 6100
DEMO_PROJECTS = 60
DEMO_SEED = 1


# -- the cached database ----------------------------------------------------------------------


def demo_db_path(handles: int) -> Path:
    return CACHE / f"demo-{handles}h-{DEMO_OBJECTS}o-{DEMO_PROJECTS}p-s{DEMO_SEED}.db"


def cached_demo_db(handles: int) -> tuple[Path, dict[str, Any]]:
    """The demo database with ``handles`` handles and ~10,000 tasks, built once.

    Built under a temporary name and renamed when complete, so an interrupted build is
    never mistaken for a cache. Returns the path and, when it was built now, the build's
    time and peak memory (from a child process, so the figures are the command's own).
    """
    path = demo_db_path(handles)
    if path.exists():
        return path, {}
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    partial = path.with_name(path.stem + ".partial.db")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    child = run_child([sys.executable, "-m", "mixtimer_gui", "demo-data", "--db", str(partial),
                       "--objects", str(DEMO_OBJECTS), "--projects", str(DEMO_PROJECTS),
                       "--handles", str(handles), "--seed", str(DEMO_SEED)])
    os.replace(partial, path)
    return path, {"seconds": child.seconds, "peak_rss_mib": child.peak_rss_mib,
                  "summary": child.stdout.strip()}


def scratch_copy(source: Path, target: Path) -> Path:
    """A private copy for measurements that write (reminder log, window settings)."""
    from mixtimer_gui.store.backup import backup_to

    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return backup_to(source, target)


def count_rows(db: Path, table: str) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


# -- running and timing -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    started: float  # wall clock (time.time()) just before the child was spawned
    seconds: float
    peak_rss_mib: float
    stdout: str


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None) -> ChildRun:
    """Run a child to its end: wall time, its own peak RSS (``wait4``: this child's
    ``ru_maxrss``, not a maximum over all children), its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.time()
        began = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(str(a) for a in argv[:4])} … failed "
                           f"({proc.returncode}): {stderr.strip()[-600:]}")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return ChildRun(started, elapsed, usage.ru_maxrss / scale, stdout)


def timed_ms(run: Any) -> float:
    began = time.perf_counter()
    run()
    return (time.perf_counter() - began) * 1000


def spread(samples: Sequence[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(samples), min(samples), max(samples)


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores, memory, OS, Python, SQLite and Qt versions."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical (load average {os.getloadavg()[0]:.2f} at start)",
        "memory": memory or "unknown",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Qt": qt_versions(),
        "sqlite3 CLI": _sqlite_cli(),
    }


def qt_versions() -> str:
    """Asked in a child, so this process never loads Qt."""
    code = ("import PySide6; from PySide6 import QtCore; "
            "print(f'PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}')")
    try:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, check=True).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return "not installed"


def _sqlite_cli() -> str:
    exe = shutil.which("sqlite3")
    if not exe:
        return "not installed"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    return out.split()[0] if out else "unknown"


# -- the row every measurement becomes ----------------------------------------------------------


@dataclass
class Row:
    work: str
    unit: str = "ms"
    median: float | None = None
    min: float | None = None
    max: float | None = None
    floor_name: str = ""
    floor_median: float | None = None
    floor_min: float | None = None
    floor_max: float | None = None
    ratio: float | None = None
    target_ratio: float | None = None
    target: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.target_ratio is not None and self.ratio is not None:
            return "ok" if self.ratio <= self.target_ratio else "MISSED"
        if self.target is not None and self.median is not None:
            return "ok" if self.median <= self.target else "MISSED"
        return ""

    @property
    def target_text(self) -> str:
        if self.target_ratio is not None:
            return f"≤ {self.target_ratio:g}×"
        if self.target is not None:
            return f"≤ {self.target:g} {self.unit}"
        return ""


_CANONICAL = {"work", "unit", "median", "min", "max", "floor_name", "floor_median",
              "floor_min", "floor_max", "ratio", "target_ratio", "target", "note"}


def normalize(d: dict[str, Any]) -> Row:
    """A bench module's dict as a ``Row``: the canonical keys, or the variants in use
    (``api_median_ms``/``floor_median_ms``, ``median_s``/``min_s``/``max_s``,
    ``best_ms``/``median_ms``, ``ratio_to_floor``, ``target_ms``)."""
    if "median" in d:
        row = Row(**{k: v for k, v in d.items() if k in _CANONICAL})
        row.extra = {k: v for k, v in d.items() if k not in _CANONICAL}
        return row
    row = Row(work=str(d.get("work", "?")))
    for prefix in ("api_", ""):
        for unit in ("ms", "s"):
            if f"{prefix}median_{unit}" in d:
                row.unit = unit
                row.median = d[f"{prefix}median_{unit}"]
                row.min = d.get(f"{prefix}min_{unit}", d.get(f"{prefix}best_{unit}"))
                row.max = d.get(f"{prefix}max_{unit}")
        if row.median is not None:
            break
    if row.min is None and "best_ms" in d:
        row.min = d["best_ms"]
    if "floor_median_ms" in d:
        row.floor_name = "floor"
        row.floor_median, row.floor_min, row.floor_max = (
            d["floor_median_ms"], d.get("floor_min_ms"), d.get("floor_max_ms"))
    row.ratio = d.get("ratio", d.get("ratio_to_floor"))
    if "target_ratio" in d:
        row.target_ratio = d["target_ratio"]
    elif "target_ms" in d:
        row.target = d["target_ms"]
    elif "target" in d:
        row.target_ratio = d["target"]  # bench_api: "target" is its ratio
    used = {"work", "ratio", "ratio_to_floor", "target_ratio", "target_ms", "target"}
    row.extra = {k: v for k, v in d.items()
                 if k not in used and not k.startswith(("api_", "floor_", "median_", "min_",
                                                        "max_", "best_"))}
    return row
