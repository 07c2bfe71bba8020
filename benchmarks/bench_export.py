"""Export of handles to CSV (DESIGN §6: ≤ 2.5 × ``sqlite3 -csv`` of the same columns and
joins, memory flat).

Both sides run as child processes on the same database in the same run, alternating, so a
busy machine slows both alike:

- ``export``: ``python -m mixtimer_gui export-handles --db DB --out FILE`` (the command a user
  runs: interpreter start, opening the database, the streamed export, the atomic rename);
- ``floor``: ``sqlite3 -csv -header DB "<FLOOR_SQL>"`` into a file: the same file content
  written by hand in SQL, the way a competent engineer would get it from the command line
  (never the SQL the product generates): the Chinese header as column names, times made
  local text with ``strftime(…, 'localtime')``, each handle's people from its stored lists
  (``_joined``), the fee as a plain number, the on-time column as a ``CASE``, oldest
  first (the export reads the copies a handle keeps of its names and people: no join).
  Before timing, the two files are parsed and compared row by row (the export also writes
  a BOM and quotes every text cell, and neutralises formula cells, which the demo data has
  none of; the comparison would say so).

Each child's peak resident memory comes from ``os.wait4`` (its own ``ru_maxrss``). Memory is
"flat" when the export's peak at N handles is about its peak at a tenth of N.

The database is built once under ``benchmarks/.cache/`` with ``mixtimer-gui demo-data`` (or,
where that command is missing, by inserting plain rows with ``sqlite3.executemany``).

The Excel export (DESIGN §6: ≤ 3 × the CSV export, memory flat) is measured by
``measure_xlsx``: ``export-handles --out FILE.xlsx`` against ``export-handles --out FILE.csv``
(the product's own CSV command is its floor, as the target says), alternating in the same
run, each a child process with its own peak RSS; the workbook is read back (its row count)
before timing counts. ``--xlsx`` runs it; with ``--flat-check`` at a tenth of the size too.

Usage: ``python benchmarks/bench_export.py [--handles N] [--repeats R] [--db PATH] [--xlsx]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_HANDLES = 1_000_000
TARGET_RATIO = 2.5
# The stored columns the plain-rows fallback builder inserts.
COLUMNS = ("uid, task_id, project_id, project_name, project_alias, object_id, object_name, "
           "object_alias, handler_id_list, handler_name_list, fee, result, description, "
           "images, created, due_at, is_ignored, skipped_cycles, organization_id, created_by, "
           "last_modified, last_modified_by")


def _local(column: str) -> str:
    return f"strftime('%Y-%m-%d %H:%M:%S', h.{column}, 'unixepoch', 'localtime')"


def _joined(column: str) -> str:
    """A stored JSON list (``[3, 13]``, ``["王五", "杨磊"]``) as ``3;13`` / ``王五;杨磊``, by
    text replacement: the cheapest correct way for names without quotes or escapes (the
    file comparison would catch one). Joining handle_handler with group_concat, or
    json_each, gives the same text at about twice the floor's time (1.5–1.6 s against
    0.8 s at 100,000 handles): slower than the export itself, so no floor."""
    text = f"h.{column}"
    for old, new in (("[]", ""), ('["', ""), ('"]', ""), ('", "', ";"), ("[", ""), ("]", ""),
                     (", ", ";")):
        text = f"replace({text}, '{old}', '{new}')"
    return text


def _yes_no(column: str) -> str:
    return f"CASE WHEN h.{column} THEN '是' ELSE '否' END"


# The checklist summary by hand: each item's name and value (the demo data has no
# checklists; on data with abnormal measurements the file comparison would say the floor
# leaves out their limits).
_CHECKLIST = ("CASE WHEN h.checklist_results IN ('', '[]') THEN '' ELSE (SELECT "
              "group_concat(json_extract(value, '$.name') || ': ' || "
              "COALESCE(json_extract(value, '$.value'), ''), '; ') "
              "FROM json_each(h.checklist_results)) END")

FLOOR_SQL = f"""
SELECT h.uid AS 处理编号, h.task_id AS 任务编号, h.project_id AS 项目编号,
       h.project_name AS 项目名称, h.project_alias AS 项目别名, h.object_id AS 对象编号,
       h.object_name AS 对象名称, h.object_alias AS 对象别名,
       {_joined("handler_id_list")} AS 处理人编号, {_joined("handler_name_list")} AS 处理人,
       CASE WHEN h.fee = CAST(h.fee AS INTEGER) THEN CAST(h.fee AS INTEGER) ELSE h.fee END
         AS 费用,
       h.result AS 处理结果, h.description AS 描述, h.images AS 图片,
       {_local("created")} AS 处理时间, COALESCE({_local("due_at")}, '') AS 到期时间,
       CASE WHEN h.due_at IS NULL OR h.is_ignored THEN ''
            WHEN h.handled_at <= h.due_at THEN '是' ELSE '否' END AS 是否按时,
       {_yes_no("is_ignored")} AS 是否忽略, h.skipped_cycles AS 跳过周期数,
       {_yes_no("is_abnormal")} AS 是否异常, {_CHECKLIST} AS 检查结果,
       h.organization_id AS 组织编号, h.created_by AS 创建人编号,
       {_local("last_modified")} AS 最后修改时间, h.last_modified_by AS 最后修改人编号,
       {_local("handled_at")} AS 完成时间, {_yes_no("is_voided")} AS 已作废,
       h.void_reason AS 作废原因, COALESCE({_local("voided_at")}, '') AS 作废时间,
       h.voided_by AS 作废人编号
FROM handle AS h
ORDER BY h.created, h.id
"""


# -- the database -----------------------------------------------------------------------------


def cached_db(handles: int) -> Path:
    """A database with ``handles`` handles, built once and reused."""
    path = CACHE / f"export-{handles}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            building = Path(tmp) / path.name
            build(building, handles)
            os.replace(building, path)
    return path


def build(path: Path, handles: int) -> None:
    began = time.perf_counter()
    if importlib.util.find_spec("mixtimer_gui.demo") is not None:
        subprocess.run([sys.executable, "-m", "mixtimer_gui", "demo-data", "--db", str(path),
                        "--handles", str(handles), "--objects", "200", "--projects", "40"],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        _insert_plain(path, handles)
    print(f"built {path.name} in {time.perf_counter() - began:.1f} s", file=sys.stderr)


def _insert_plain(path: Path, handles: int) -> None:
    """Fallback: the schema from the app, then rows with ``executemany``."""
    from mixtimer_gui.store.db import open_database

    open_database(path).close()
    conn = sqlite3.connect(path)
    start = 1_700_000_000
    names = ['["张三"]', '["张三", "李四"]', '["王五"]']
    rows = ((f"MTH{i:013d}", f"MTT{i % 500:013d}", f"MTP{i % 40:013d}", f"项目{i % 40}",
             f"P{i % 40}", f"MTO{i % 500:013d}", f"设备{i % 500}", f"E{i % 500}",
             f"[{i % 3 + 1}]", names[i % 3], float(i % 7 * 50), "正常",
             "保养完成,试运行正常" if i % 2 else "更换滤芯", "", start + i * 60,
             start + i * 60 + 3600 * (1 if i % 5 else -1), int(i % 25 == 0), 0, "",
             0, start + i * 60, 0) for i in range(handles))
    with conn:
        conn.executemany(
            f"INSERT INTO handle ({COLUMNS}) VALUES ({','.join('?' * 22)})", rows)
    conn.close()


# -- one child, timed ---------------------------------------------------------------------------


def run_child(argv: list[str], stdout: Any = subprocess.DEVNULL) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process.

    CPU time is reported beside wall time because the machine may be shared: other work
    stretches wall time but hardly the CPU time a process itself uses.
    """
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {error.strip()[:300]}")
    rss_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return elapsed, usage.ru_utime + usage.ru_stime, rss_kib / 1024


def export_once(db: Path, out: Path) -> tuple[float, float, float]:
    return run_child([sys.executable, "-m", "mixtimer_gui", "export-handles", "--db", str(db),
                      "--out", str(out)])


# What the window does: the export alone, timed inside an already started process.
_IN_PROCESS = """
import json, sys, time
from mixtimer_gui.exports.csv_export import export_handles
from mixtimer_gui.services import Services
services = Services.open(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
export_handles(services, sys.argv[2])
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def in_process_once(db: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``export_handles`` alone (no interpreter start or open)."""
    done = subprocess.run([sys.executable, "-c", _IN_PROCESS, str(db), str(out)], check=True,
                          capture_output=True, text=True)
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu


def floor_once(db: Path, out: Path) -> tuple[float, float, float]:
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        raise RuntimeError("the sqlite3 command is not installed (apt install sqlite3)")
    with open(out, "wb") as fh:
        return run_child([sqlite, "-csv", "-header", str(db), FLOOR_SQL], stdout=fh)


def same_content(export: Path, floor: Path) -> int:
    """The floor's file holds what the export's holds: every row, every cell (the export's
    BOM and quoting aside). Returns the number of rows; raises at the first difference."""
    import csv
    import itertools

    with open(export, encoding="utf-8-sig", newline="") as a, \
            open(floor, encoding="utf-8", newline="") as b:
        rows = 0
        for line, (mine, theirs) in enumerate(itertools.zip_longest(csv.reader(a),
                                                                    csv.reader(b)), 1):
            if mine != theirs:
                raise RuntimeError(f"the floor writes another file: line {line}: export "
                                   f"{mine} vs floor {theirs}")
            rows += 1
    return rows - 1


def _summary(samples: list[tuple[float, float, float]]) -> dict[str, float]:
    times = [t for t, _, _ in samples]
    cpu = [c for _, c, _ in samples]
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "median_cpu_s": round(statistics.median(cpu), 3),
            "min_cpu_s": round(min(cpu), 3), "max_cpu_s": round(max(cpu), 3),
            "peak_rss_mib": round(max(rss for _, _, rss in samples), 1)}


def measure(db_path: Path | str, repeats: int = 5) -> list[dict[str, Any]]:
    """Time the export command, the export alone and the floor, alternating; one dict each
    (the exports' hold the ratio of the medians to the floor's)."""
    db = Path(db_path)
    if not db.exists():
        db = cached_db(DEFAULT_HANDLES)
    rows = _count(db)
    exports: list[tuple[float, float, float]] = []
    floors: list[tuple[float, float, float]] = []
    inside: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out, floor_out = Path(tmp) / "handles.csv", Path(tmp) / "floor.csv"
        export_once(db, out)  # warm the page cache for both sides alike
        floor_once(db, floor_out)
        same_content(out, floor_out)
        for _ in range(max(1, repeats)):
            floors.append(floor_once(db, floor_out))
            exports.append(export_once(db, out))
            inside.append(in_process_once(db, out))
        sizes = out.stat().st_size, floor_out.stat().st_size
    export, floor = _summary(exports), _summary(floors)
    ratio = export["median_s"] / floor["median_s"] if floor["median_s"] else None
    cpu_ratio = (export["median_cpu_s"] / floor["median_cpu_s"] if floor["median_cpu_s"]
                 else None)
    in_wall = statistics.median(w for w, _ in inside)
    in_cpu = statistics.median(c for _, c in inside)
    return [
        {"work": "export_csv", "handles": rows, **export, "file_mib": round(sizes[0] / 2**20, 1),
         "ratio_to_floor": round(ratio, 2) if ratio else None,
         "cpu_ratio_to_floor": round(cpu_ratio, 2) if cpu_ratio else None,
         "target_ratio": TARGET_RATIO},
        {"work": "export_in_process", "handles": rows, "median_s": round(in_wall, 3),
         "min_s": round(min(w for w, _ in inside), 3),
         "max_s": round(max(w for w, _ in inside), 3), "median_cpu_s": round(in_cpu, 3),
         "ratio_to_floor": round(in_wall / floor["median_s"], 2) if floor["median_s"] else None,
         "note": "export_handles alone, as the window runs it (no start-up, no open)"},
        {"work": "floor: sqlite3 -csv, the same content by hand", "handles": rows, **floor,
         "file_mib": round(sizes[1] / 2**20, 1)},
    ]


XLSX_TARGET_RATIO = 3.0


def xlsx_once(db: Path, out: Path) -> tuple[float, float, float]:
    return run_child([sys.executable, "-m", "mixtimer_gui", "export-handles", "--db", str(db),
                      "--out", str(out), "--format", "xlsx"])


def xlsx_rows(path: Path) -> int:
    """Data rows of every sheet, read back with openpyxl's streaming reader."""
    import openpyxl

    with open(path, "rb") as fh:
        book = openpyxl.load_workbook(fh, read_only=True)
        try:
            return sum(sheet.max_row - 1 for sheet in book.worksheets)
        finally:
            book.close()


def measure_xlsx(db_path: Path | str, repeats: int = 3) -> list[dict[str, Any]]:
    """The Excel export command against the CSV export command, alternating: one dict each
    (the Excel one holds the ratio of the medians)."""
    db = Path(db_path)
    rows = _count(db)
    workbooks: list[tuple[float, float, float]] = []
    csvs: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        xlsx_out, csv_out = Path(tmp) / "handles.xlsx", Path(tmp) / "handles.csv"
        csvs.append(export_once(db, csv_out))  # warms the page cache for both
        workbooks.append(xlsx_once(db, xlsx_out))
        if xlsx_rows(xlsx_out) != rows:
            raise RuntimeError("the workbook does not hold every handle")
        for _ in range(max(0, repeats - 1)):
            csvs.append(export_once(db, csv_out))
            workbooks.append(xlsx_once(db, xlsx_out))
        size = xlsx_out.stat().st_size
    book, floor = _summary(workbooks), _summary(csvs)
    ratio = book["median_s"] / floor["median_s"] if floor["median_s"] else None
    cpu_ratio = book["median_cpu_s"] / floor["median_cpu_s"] if floor["median_cpu_s"] else None
    return [
        {"work": "export_xlsx", "handles": rows, **book, "file_mib": round(size / 2**20, 1),
         "ratio_to_floor": round(ratio, 2) if ratio else None,
         "cpu_ratio_to_floor": round(cpu_ratio, 2) if cpu_ratio else None,
         "target_ratio": XLSX_TARGET_RATIO},
        {"work": "floor: the CSV export command", "handles": rows, **floor},
    ]


def _count(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM handle").fetchone()[0])
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handles", type=int, default=DEFAULT_HANDLES)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing database instead of the cache")
    parser.add_argument("--flat-check", action="store_true",
                        help="also measure at a tenth of the size, to show memory is flat")
    parser.add_argument("--xlsx", action="store_true",
                        help="the Excel export against the CSV export instead")
    args = parser.parse_args()
    sizes = [args.handles] + ([max(1000, args.handles // 10)] if args.flat_check else [])
    for handles in sizes:
        db = args.db or cached_db(handles)
        for row in (measure_xlsx if args.xlsx else measure)(db, args.repeats):
            print(json.dumps(row, ensure_ascii=False))
        if args.db:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
