"""Team mode (PostgreSQL, issue 16): the same demo workload on a throw-away cluster.

A cluster is started the tests' way (``tests/pg_cluster.py``: Debian's server, unix socket
only, C collation, fsync off — so the figures are the software's, not the disk's), the
cached SQLite demo database is moved in with ``copy-db`` (timed), and then:

- ``list page 1``: ``services.handles.list`` (the API's list without HTTP) vs a floor in
  psycopg written by hand: ``SELECT COUNT(*) FROM handle`` and ``SELECT … ORDER BY created
  DESC, id DESC LIMIT 10`` in one REPEATABLE READ transaction. Target ≤ 2×.
- ``Handles tab first page``: the services call the tab makes for its first 200 rows
  (count on a worker, so without it). Target ≤ 150 ms. Not the widget's paint.
- ``export``: ``export_handles`` of every handle vs ``psql -c "\\copy (…) to stdout csv
  header"`` into a file, where ``(…)`` is the same file content written by hand
  (``hand_formatted_sql``: local times, lists, yes/no and on-time cells in SQL, the twin of
  ``bench_export``'s sqlite3 floor; the two files are compared cell by cell before the time
  counts). Target ≤ 2.5×. The stored columns copied bare are timed too, as a lower bound
  (not the same answer). The same export by the Python
  writer (the server's formatting switched off) is timed beside it, and its file must be
  byte-equal. ``MIXTIMER_BENCH_TEAM_EXPORT=1`` measures only copy-db and the export.
- ``4 writers``: four processes, each its own ``Services`` on the database, recording
  handles through ``services.handles.handle``: throughput and p95 latency per write.

Each floor checks its answer (counts, first uids) against the product's before it counts.
Usage: ``python benchmarks/run.py --only team [--handles N]`` (needs Debian's postgresql).
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import bench_export  # noqa: E402
import pg_cluster as pg  # noqa: E402

from mixtimer_gui.domain import clock  # noqa: E402
from mixtimer_gui.domain.clock import SystemClock  # noqa: E402
from mixtimer_gui.exports import csv_export  # noqa: E402
from mixtimer_gui.exports.csv_export import export_handles  # noqa: E402
from mixtimer_gui.services import Services  # noqa: E402
from mixtimer_gui.services.copying import copy_database  # noqa: E402

WRITERS = 4
# MIXTIMER_BENCH_TEAM_EXPORT=1: copy-db and the export rows only (to iterate on the export)
ONLY_EXPORT_ENV = "MIXTIMER_BENCH_TEAM_EXPORT"
WRITES_EACH = 150
HAND_COLUMNS = ("uid, task_id, project_id, project_name, object_id, object_name, "
                "description, handler_name_list, fee, result, images, is_ignored, due_at, "
                "created")


def _spread(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), min(samples), max(samples)


def _row(work: str, samples: list[float], floor: list[float] | None = None,
         floor_name: str = "", *, target_ratio: float | None = None,
         target: float | None = None, unit: str = "ms", note: str = "") -> dict[str, Any]:
    m = _spread(samples)
    row: dict[str, Any] = {"work": work, "unit": unit, "median": m[0], "min": m[1],
                           "max": m[2], "target_ratio": target_ratio, "target": target,
                           "note": note}
    if floor:
        f = _spread(floor)
        row.update(floor_name=floor_name, floor_median=f[0], floor_min=f[1], floor_max=f[2],
                   ratio=m[0] / f[0])
    return row


def _ms(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return (time.perf_counter() - started) * 1000, value


# -- list -------------------------------------------------------------------------------------


def hand_list(conn: psycopg.Connection[Any]) -> tuple[int, list[str]]:
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        total = conn.execute("SELECT COUNT(*) FROM handle").fetchone()[0]
        rows = conn.execute("SELECT * FROM handle ORDER BY created DESC, id DESC "
                            "LIMIT 10").fetchall()
    return total, [r[6] for r in rows]  # uid is the 7th column (audit fields first)


def list_rows(services: Services, url: str, repeats: int) -> list[dict[str, Any]]:
    conn = psycopg.connect(url, autocommit=True)
    ours = services.handles.list({"page_index": 1, "page_size": 10})
    mine = hand_list(conn)
    assert mine == (ours["total_records"], [h["uid"] for h in ours["data"]]), "floor differs"
    api, floor, tab = [], [], []
    for _ in range(repeats):
        api.append(statistics.mean(_ms(lambda: services.handles.list(
            {"page_index": 1, "page_size": 10}))[0] for _ in range(5)))
        floor.append(statistics.mean(_ms(lambda: hand_list(conn))[0] for _ in range(5)))
        tab.append(_ms(lambda: services.handles.list({"page_index": 1, "page_size": 201},
                                                     count=False))[0])
    conn.close()
    return [_row("team: list page 1 (services, no HTTP)", api, floor,
                 "psycopg COUNT + page by hand", target_ratio=2.0,
                 note=f"{ours['total_records']} records"),
            _row("team: Handles tab first page (200 rows, services)", tab, target=150.0)]


# -- export ----------------------------------------------------------------------------------


def psql_bare(cluster: pg.Cluster, dbname: str, out: Path) -> int:
    """The stored columns as they are (the issue's first floor: no local times, no lists,
    no yes/no cells): how fast the server hands the rows out at all."""
    return _psql_copy(cluster, dbname, out, f"SELECT {HAND_COLUMNS} FROM handle "
                      "ORDER BY created DESC, id DESC")


def _local(column: str, zone: str) -> str:
    # the timestamp's own text under the default DateStyle (ISO): YYYY-MM-DD HH:MM:SS
    return f"COALESCE((to_timestamp(h.{column}) AT TIME ZONE '{zone}')::text, '')"


def _yes_no(column: str) -> str:
    return f"CASE WHEN h.{column} <> 0 THEN '是' ELSE '否' END"


def hand_formatted_sql(zone: str) -> str:
    """The export's file content (its Chinese header and every cell) written by hand, the
    PostgreSQL twin of ``bench_export.FLOOR_SQL``: what a competent engineer would run with
    psql to get the same report. The demo data has no formula-like text, pictures or
    checklists; the file comparison would say if it had."""
    checklist = ("CASE WHEN h.checklist_results IN ('', '[]') THEN '' ELSE (SELECT "
                 "string_agg((r->>'name') || ': ' || COALESCE(r->>'value', ''), '; ') "
                 "FROM jsonb_array_elements(h.checklist_results::jsonb) AS r) END")
    return f"""SELECT h.uid AS 处理编号, h.task_id AS 任务编号, h.project_id AS 项目编号,
 h.project_name AS 项目名称, h.project_alias AS 项目别名, h.object_id AS 对象编号,
 h.object_name AS 对象名称, h.object_alias AS 对象别名,
 {bench_export._joined("handler_id_list")} AS 处理人编号,
 {bench_export._joined("handler_name_list")} AS 处理人,
 CASE WHEN h.fee = trunc(h.fee) THEN trunc(h.fee)::bigint::text ELSE h.fee::text END AS 费用,
 h.result AS 处理结果, h.description AS 描述, h.images AS 图片,
 {_local("created", zone)} AS 处理时间, {_local("due_at", zone)} AS 到期时间,
 CASE WHEN h.due_at IS NULL OR h.is_ignored <> 0 THEN ''
      WHEN h.handled_at <= h.due_at THEN '是' ELSE '否' END AS 是否按时,
 {_yes_no("is_ignored")} AS 是否忽略, h.skipped_cycles AS 跳过周期数,
 {_yes_no("is_abnormal")} AS 是否异常, {checklist} AS 检查结果,
 h.organization_id AS 组织编号, h.created_by AS 创建人编号,
 {_local("last_modified", zone)} AS 最后修改时间, h.last_modified_by AS 最后修改人编号,
 {_local("handled_at", zone)} AS 完成时间, {_yes_no("is_voided")} AS 已作废,
 h.void_reason AS 作废原因, {_local("voided_at", zone)} AS 作废时间, h.voided_by AS 作废人编号
FROM handle AS h ORDER BY h.created, h.id"""


def psql_formatted(cluster: pg.Cluster, dbname: str, out: Path) -> int:
    zone = clock.local_zone_name() or "UTC"
    return _psql_copy(cluster, dbname, out, " ".join(hand_formatted_sql(zone).split()))


def _psql_copy(cluster: pg.Cluster, dbname: str, out: Path, select: str) -> int:
    query = f"\\copy ({select}) to stdout csv header"
    with out.open("wb") as fh:
        command = [str(cluster.bindir / "psql"), "-X", "-q", "-h", str(cluster.socket_dir),
                   "-U", cluster.user, "-d", dbname, "-c", query]
        if _as_root():
            command = ["runuser", "-u", cluster.user, "--", *command]
        subprocess.run(command, check=True, stdout=fh)
    with out.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def _as_root() -> bool:
    import os

    return os.geteuid() == 0


def _python_writer(services: Services, out: Path) -> Any:
    """The export as the Python writer makes it (what a team database did before the
    server formatted the lines): the server's path switched off for this call."""
    original = csv_export._written_by_server
    csv_export._written_by_server = lambda *args: None  # type: ignore[assignment]
    try:
        return export_handles(services, out, {})
    finally:
        csv_export._written_by_server = original  # type: ignore[assignment]


def export_rows(services: Services, cluster: pg.Cluster, dbname: str, repeats: int,
                folder: Path) -> list[dict[str, Any]]:
    ours, bare, formatted, python = [], [], [], []
    for i in range(max(1, repeats // 2)):
        took, result = _ms(lambda i=i: export_handles(services, folder / f"ours-{i}.csv", {}))
        ours.append(took)
        took, lines = _ms(lambda i=i: psql_bare(cluster, dbname, folder / f"psql-{i}.csv"))
        bare.append(took)
        assert lines == result.rows, (lines, result.rows)
        took, _ = _ms(lambda i=i: psql_formatted(cluster, dbname, folder / f"hand-{i}.csv"))
        formatted.append(took)
        bench_export.same_content(folder / f"ours-{i}.csv", folder / f"hand-{i}.csv")
        took, by_python = _ms(lambda i=i: _python_writer(services, folder / f"py-{i}.csv"))
        python.append(took)
        same = (folder / f"py-{i}.csv").read_bytes() == (folder / f"ours-{i}.csv").read_bytes()
        assert same and by_python.rows == result.rows, "the two writers differ"
        for name in (f"ours-{i}.csv", f"psql-{i}.csv", f"hand-{i}.csv", f"py-{i}.csv"):
            (folder / name).unlink()
    note = f"{lines} rows; server formats (COPY)"
    return [_row("team: export all handles to CSV", ours, formatted,
                 "psql \\copy of the same file content by hand", target_ratio=2.5, note=note),
            _row("team: export all handles to CSV, vs the bare columns", ours, bare,
                 "psql \\copy (stored columns) to stdout csv header",
                 note="no local times, lists or yes/no cells: a lower bound, not the answer"),
            _row("team: export all handles to CSV, Python writer", python, formatted,
                 "psql \\copy of the same file content by hand",
                 note="the same bytes, formatted in Python (before)")]


# -- writers ---------------------------------------------------------------------------------


def _writer(url: str, task: str, n: int, out: Any) -> None:
    services = Services.open(url, clock=SystemClock())
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        services.handles.handle({"task_id": task, "handler_id_list": [1], "result": "bench"})
        latencies.append((time.perf_counter() - started) * 1000)
    services.close()
    out.put(latencies)


def writer_rows(services: Services, url: str) -> list[dict[str, Any]]:
    tasks = [t["uid"] for t in services.tasks.list({"page_size": WRITERS})["data"]]
    queue: Any = multiprocessing.get_context("spawn").Queue()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(url, tasks[i % len(tasks)], WRITES_EACH, queue))
             for i in range(WRITERS)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    latencies: list[float] = []
    for _ in procs:
        latencies += queue.get(timeout=600)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    p95 = statistics.quantiles(latencies, n=20)[18]
    throughput = len(latencies) / elapsed
    return [_row(f"team: {WRITERS} writer processes, one handle each write", latencies,
                 note=f"{throughput:.0f} writes/s over {len(latencies)} writes incl. start; "
                      f"p95 {p95:.1f} ms")]


# -- the run ---------------------------------------------------------------------------------


def measure(db: Path, repeats: int) -> list[dict[str, Any]]:
    cluster = pg.start_cluster()
    try:
        url = cluster.create_database("bench")
        took, report = _ms(lambda: copy_database(db, url))
        rows = [_row("team: copy-db SQLite → PostgreSQL (verified)", [took / 1000], unit="s",
                     note=f"{report.rows} rows")]
        services = Services.open(url, clock=SystemClock())
        only_export = os.environ.get(ONLY_EXPORT_ENV) == "1"
        try:
            if not only_export:
                rows += list_rows(services, url, repeats)
            with tempfile.TemporaryDirectory() as tmp:
                rows += export_rows(services, cluster, "bench", repeats, Path(tmp))
            if not only_export:
                rows += writer_rows(services, url)
        finally:
            services.close()
        return rows
    finally:
        pg.remove_cluster(cluster)
