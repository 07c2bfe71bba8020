"""Measure every performance target of DESIGN §6 in one command, each against its floor in
the same run, and write the table to ``benchmarks/RESULTS.md``.

Usage (from the repository root, with the project's environment)::

    python benchmarks/run.py                    # 1,000,000 handles, 10,007 tasks
    python benchmarks/run.py --handles 100000   # a quick look
    python benchmarks/run.py --only gui,reminders --repeats 3
    python benchmarks/run.py --handles 100000 --write   # also write RESULTS.md

The first run builds the database with ``mixtimer-gui demo-data`` (6,100 objects, 60
projects, seed 1; about a minute for a million handles) under ``benchmarks/.cache/``
(git-ignored) and keeps it; later runs reuse it. Measurements that write (the window's start
logs reminders) get a fresh private copy each run, so the cache stays as built.

What runs, each module only when its file is there (a missing one is listed as skipped):

- ``bench_gui``: start to a shown main window vs a bare PySide6 window with a tab widget;
  the Handles tab's first page and filter changes, and its services calls vs the same pages
  by hand in sqlite3; peak memory with the window open;
- ``bench_api``: ``get_v2_handle_list`` over loopback vs a hand-written ``COUNT(*)`` and
  page in sqlite3 behind a minimal HTTP reply;
- ``bench_export``: CSV export of all handles vs ``sqlite3 -csv`` of the same file's
  content, written by hand (times, lists, yes/no and on-time cells made in SQL);
- ``bench_export`` (``xlsx``): the Excel export command vs the CSV export command, at the
  run's size and at a tenth of it (peak memory must be flat between the two);
- ``bench_reminders``: the reminder engine on its own 10,000-task database (cached too) vs
  the owed reminders, their logging and the next change, by hand in sqlite3;
- ``bench_team``: team mode on a throw-away PostgreSQL cluster: copy-db, the list and the
  Handles tab's first page, the export vs ``psql \\copy``, four writer processes;
- built in here: the reminder scan and the due/notice task query on the demo database at
  the current time, against the same hand-written floors;
- ``bench_scale``: the rows of issue #21 (start after an unclean exit, ``serve`` to
  listening, the daily backup and its footprint, the person filter, text search), each with
  its target; with ``--handles 10000000`` each row also carries its 1 M figure.

Every floor answers the same question as the figure it stands beside, the way a competent
engineer would get that answer directly (DESIGN §6), never with SQL the product generated;
each checks its answer against the product's before its time counts.

Every figure is the median of ``--repeats`` runs with min and max. A full run (1,000,000
handles, every module) rewrites everything between the ``run.py`` markers in RESULTS.md
(``--write``/``--no-write`` override); notes outside them (before/after profiles) are kept.
Not part of the test run; CI does not run it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402  (the benchmarks folder is not a package)
    CACHE,
    DEMO_OBJECTS,
    DEMO_PROJECTS,
    DEMO_SEED,
    Row,
    cached_demo_db,
    count_rows,
    machine,
    normalize,
    scratch_copy,
    spread,
    timed_ms,
)

RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- run.py:begin -->", "<!-- run.py:end -->"
MODULES = ("gui", "api", "export", "xlsx", "reminders", "scan", "team", "scale")
SCAN_TARGET_MS = 100.0
FULL_SIZE = 1_000_000


# -- the measurements -----------------------------------------------------------------------


def bench_module(name: str) -> Any:
    return importlib.import_module(f"bench_{name}")


def run_gui(db: Path, scratch: Path, repeats: int) -> list[Row]:
    module = bench_module("gui")
    return rows_of(module.measure(scratch_copy(db, scratch), repeats))


# The API and the exports open the database, which upgrades an older cache in place: they
# measure a private copy, so the cache stays as built (other rows time that upgrade).
def run_api(db: Path, scratch: Path, repeats: int) -> list[Row]:
    return rows_of(bench_module("api").measure(scratch_copy(db, scratch), repeats))


def run_export(db: Path, scratch: Path, repeats: int) -> list[Row]:
    rows = rows_of(bench_module("export").measure(scratch_copy(db, scratch), repeats))
    return merge_floor_rows(rows)


def run_xlsx(db: Path, scratch: Path, repeats: int) -> list[Row]:
    """The Excel export against the CSV export at the run's size, then at a tenth of it for
    the memory comparison (the smaller database is the demo one of that size, cached)."""
    module = bench_module("export")
    handles = count_rows(db, "handle")
    rows = merge_floor_rows(rows_of(module.measure_xlsx(scratch_copy(db, scratch), repeats)))
    tenth = max(1000, handles // 10)
    if tenth < handles:
        small, _ = cached_demo_db(tenth)
        small_copy = scratch_copy(small, scratch.with_name(f"{scratch.stem}-{tenth}.db"))
        small_rows = merge_floor_rows(rows_of(module.measure_xlsx(small_copy, repeats)))
        big_peak, small_peak = (r[0].extra.get("peak_rss_mib") for r in (rows, small_rows))
        for row in small_rows:
            row.work = f"{row.work} ({tenth:,} handles)"
        if big_peak and small_peak:
            rows[0].note = "; ".join(x for x in (rows[0].note, (
                f"peak {big_peak} MiB at {handles:,} vs {small_peak} MiB at {tenth:,}"))
                if x)
        rows += small_rows
    return rows


def run_reminders(db: Path, scratch: Path, repeats: int) -> list[Row]:
    """The reminders engineer's own scenario (a database built for it: spread notice and
    due moments), cached; measured on a copy because the scan writes its log."""
    module = bench_module("reminders")
    cached = CACHE / "reminders-10k.db"
    if not cached.exists():
        module.build(cached)  # built once, never scanned: every run measures a fresh copy
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "reminders.db"
        shutil.copyfile(cached, copy)
        rows = module.measure(copy, repeats)
    named = [{**r, "work": f"reminders {r['work']}"} for r in rows]
    return merge_floor_rows(rows_of(named))


def run_scan(db: Path, scratch: Path, repeats: int) -> list[Row]:
    """The due/notice scan of the demo database's ~10,000 tasks at the current time, each
    figure against a floor written by hand (``bench_reminders.HandReminders`` for the engine;
    ``hand_due_tasks`` for the task list), on its own copy where the floor writes."""
    from mixtimer_gui.reminders.engine import ReminderEngine
    from mixtimer_gui.services import Services

    hand_module = bench_module("reminders")
    copy = scratch_copy(db, scratch)
    floor_copy = hand_module.copy_database(copy, scratch.with_name(scratch.stem + "-floor.db"))
    services = Services.open(copy)
    try:
        engine = ReminderEngine(services)
        hand = hand_module.HandReminders(floor_copy, engine.repeat_seconds())
        try:
            rows = [*task_query_rows(services, copy, repeats),
                    *engine_rows(engine, hand, hand_module, repeats)]
        finally:
            hand.close()
    finally:
        services.close()
        for leftover in (floor_copy, Path(f"{floor_copy}-wal"), Path(f"{floor_copy}-shm")):
            leftover.unlink(missing_ok=True)
    return rows


# The tasks in their notice window or due, by hand: what the Tasks tab and the tray's
# "due soon" ask the services for with where_in status and order_by due_at.
HAND_DUE_WHERE = ("FROM task AS t JOIN project AS p ON p.uid = t.project_id "
                  "LEFT JOIN maintenance_object AS o ON o.uid = t.object_id "
                  "WHERE p.is_active <> 0 AND t.cycle_start IS NOT NULL "
                  "AND (t.due_at <= :now OR t.notice_at <= :now)")
HAND_DUE_PAGE = (
    "SELECT t.*, p.name AS project_name, p.alias AS project_alias, p.cycle_type, "
    "p.statistics_id, p.period_num, p.period_unit, p.notice_num, p.notice_unit, p.guide, "
    "p.is_active, p.anchor_type, COALESCE(o.name, t.object_id) AS object_name, "
    "COALESCE(o.alias, t.object_id) AS object_alias, "
    "(SELECT r.value FROM reading AS r WHERE r.statistics_id = p.statistics_id "
    " ORDER BY r.time DESC, r.id DESC LIMIT 1) AS current_value, "
    "CASE WHEN t.due_at <= :now THEN '已到期' ELSE '即将到期' END AS status "
    f"{HAND_DUE_WHERE} ORDER BY t.due_at IS NULL, t.due_at, t.id LIMIT :size")


def hand_due_tasks(db: Path, now: int, size: int) -> Callable[[], tuple[int, list[str]]]:
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA cache_size = -16000")  # the app's page cache

    def read() -> tuple[int, list[str]]:
        conn.execute("BEGIN")
        try:
            total = conn.execute(f"SELECT COUNT(*) {HAND_DUE_WHERE}", {"now": now}).fetchone()
            cursor = conn.execute(HAND_DUE_PAGE, {"now": now, "size": size})
            uid = [d[0] for d in cursor.description].index("uid")
            return total[0], [row[uid] for row in cursor]
        finally:
            conn.execute("COMMIT")

    return read


def task_query_rows(services: Any, db: Path, repeats: int) -> list[Row]:
    due = {"page_size": 1000, "where_in": [["status", ["即将到期", "已到期"]]],
           "order_by": "due_at"}
    now = services.clock.now()
    floor = hand_due_tasks(db, now, 1000)
    answer = services.tasks.list(due)
    if floor() != (answer["total_records"], [t["uid"] for t in answer["data"]]):
        raise RuntimeError("the due/notice floor answers another question")
    floor_ms = [timed_ms(floor) for _ in range(repeats)]
    list_ms = [timed_ms(lambda: services.tasks.list(due)) for _ in range(repeats)]
    return [row_from("due/notice tasks (services, status filter)", list_ms, floor_ms,
                     "by hand: the same page in sqlite3", target=SCAN_TARGET_MS,
                     note=f"{answer['total_records']} tasks due or in notice, first 1000 "
                          "returned")]


def engine_rows(engine: Any, hand: Any, hand_module: Any, repeats: int) -> list[Row]:
    now = engine.clock.now()
    began = time.perf_counter()
    caught_up = engine.scan(now)
    catch_up = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    fired = hand_module.same_reminders(caught_up, hand.fire(now))
    catch_up_floor = (time.perf_counter() - began) * 1000
    if engine.scan(now) or hand.owed(now):
        raise RuntimeError("something is still owed after the catch-up")
    if engine.next_wakeup(now) != hand.next_change(now):
        raise RuntimeError("the floor finds another next moment")
    steady = [timed_ms(lambda: engine.scan(now)) for _ in range(repeats)]
    steady_floor = [timed_ms(lambda: hand.owed(now)) for _ in range(repeats)]
    wakeup = [timed_ms(lambda: engine.next_wakeup(now)) for _ in range(repeats)]
    wakeup_floor = [timed_ms(lambda: hand.next_change(now)) for _ in range(repeats)]
    return [
        row_from("reminder scan at start (catch-up)", [catch_up], [catch_up_floor],
                 "by hand: owed reminders logged in sqlite3",
                 note=f"fired and logged {fired} reminders (first scan of this copy)"),
        row_from("reminder scan, steady (engine)", steady, steady_floor,
                 "by hand: owed reminders in sqlite3", target=SCAN_TARGET_MS),
        row_from("reminder next wake-up (engine)", wakeup, wakeup_floor,
                 "by hand: next change in sqlite3", target=SCAN_TARGET_MS),
    ]


def row_from(work: str, samples: list[float], floor: list[float], floor_name: str, *,
             target: float | None = None, note: str = "") -> Row:
    m, f = spread(samples), spread(floor)
    return Row(work, "ms", *m, floor_name, *f, ratio=m[0] / f[0] if f[0] else None,
               target=target, note=note)


def run_team(db: Path, scratch: Path, repeats: int) -> list[Row]:
    """Team mode on a throw-away PostgreSQL cluster (``bench_team``), from a copy of the
    demo database (copy-db migrates its source, which must not touch the cache)."""
    return rows_of(bench_module("team").measure(scratch_copy(db, scratch), repeats))


def run_scale(db: Path, scratch: Path, repeats: int) -> list[Row]:
    """Issue #21's rows; beside each, the same row at 1 M handles when this run is at
    another size (``--handles 10000000``: both in one run)."""
    module = bench_module("scale")
    rows = rows_of(module.measure(db, repeats))
    reference, _ = cached_demo_db(FULL_SIZE)
    if reference == db:
        return rows
    at_1m = {r.work: r for r in rows_of(module.measure(reference, repeats))}
    for row in rows:
        other = at_1m.get(row.work)
        if other is not None and other.median is not None:
            row.note = "; ".join(x for x in (f"at 1 M: {fmt(other.median, other.unit)}",
                                             row.note) if x)
    return rows


RUNNERS: dict[str, Callable[[Path, Path, int], list[Row]]] = {
    "gui": run_gui, "api": run_api, "export": run_export, "xlsx": run_xlsx,
    "reminders": run_reminders,
    "scan": run_scan, "team": run_team, "scale": run_scale,
}


# -- shaping rows ---------------------------------------------------------------------------


NOTED_EXTRAS = {"peak_rss_mib": "peak {} MiB", "file_mib": "file {} MiB",
                "total_records": "{} records", "tasks": "{} tasks", "fired": "fired {}"}


def rows_of(dicts: list[dict[str, Any]]) -> list[Row]:
    rows = [normalize(d) for d in dicts]
    for row in rows:  # the figures a module reports beside its timing go into the note
        said = [text.format(row.extra[key]) for key, text in NOTED_EXTRAS.items()
                if row.extra.get(key) not in (None, "")]
        row.note = "; ".join(x for x in (row.note, *said) if x)
    return rows


def merge_floor_rows(rows: list[Row]) -> list[Row]:
    """Some modules report their floor as a row of its own: fold it into the others."""
    floors = [r for r in rows if "floor" in r.work.lower()]
    others = [r for r in rows if r not in floors]
    if len(floors) != 1:
        return rows
    floor = floors[0]
    for row in others:
        if row.floor_median is None:
            row.floor_name = floor.work
            row.floor_median, row.floor_min, row.floor_max = floor.median, floor.min, floor.max
            if row.ratio is None and floor.median:
                row.ratio = (row.median or 0) / floor.median
    return others


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.2f}"
    return f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def spread_text(median: float | None, low: float | None, high: float | None, unit: str) -> str:
    if median is None:
        return "–"
    text = f"{fmt(median, unit)} {unit}"
    if low is not None and high is not None and (low, high) != (median, median):
        text += f" ({fmt(low, unit)}–{fmt(high, unit)})"
    return text


def table(rows: list[Row]) -> list[str]:
    lines = ["| work | measured: median (min–max) | floor: median (min–max) | ratio | target "
             "| | note |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        floor = (f"{spread_text(r.floor_median, r.floor_min, r.floor_max, r.unit)}"
                 f"<br>{r.floor_name}" if r.floor_median is not None else "–")
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        lines.append(f"| {r.work} | {spread_text(r.median, r.min, r.max, r.unit)} | {floor} "
                     f"| {ratio} | {r.target_text} | {r.verdict} | {r.note} |")
    return lines


def print_table(rows: list[Row]) -> None:
    print(f"{'work':46} {'median (min-max)':>28} {'floor median':>14} {'ratio':>7} "
          f"{'target':>12}  verdict")
    for r in rows:
        floor = fmt(r.floor_median, r.unit) if r.floor_median is not None else "-"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        print(f"{r.work[:46]:46} {spread_text(r.median, r.min, r.max, r.unit):>28} "
              f"{floor:>14} {ratio:>7} {r.target_text:>12}  {r.verdict or r.note[:40]}")


# -- RESULTS.md -----------------------------------------------------------------------------


def report(args: argparse.Namespace, db: Path, build: dict[str, Any], rows: list[Row],
           notes: list[str], seconds: float) -> str:
    tasks, handles = count_rows(db, "task"), count_rows(db, "handle")
    lines = [BEGIN, "", f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
             f"`python benchmarks/run.py --handles {args.handles} --repeats {args.repeats}"
             f"{' --only ' + args.only if args.only else ''}` ({seconds:.0f} s).", "",
             "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine().items()]
    lines += ["", "### Data", "",
              f"`demo-data --objects {DEMO_OBJECTS} --projects {DEMO_PROJECTS} "
              f"--handles {args.handles} --seed {DEMO_SEED}`: {handles:,} handles, "
              f"{tasks:,} tasks, file {db.stat().st_size / 2**20:.0f} MiB."]
    if build:
        lines.append(f"Built in {build['seconds']:.1f} s with a peak of "
                     f"{build['peak_rss_mib']:.0f} MiB (the `demo-data` process).")
    lines += ["", "### Results", "", *table(rows), ""]
    if notes:
        lines += ["### Not measured", "", *[f"- {n}" for n in notes], ""]
    lines.append(END)
    return "\n".join(lines)


def write_results(block: str) -> None:
    head = "# Benchmark results\n\nWritten by `benchmarks/run.py`; see its docstring.\n\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else head
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def build_info(db: Path, built: dict[str, Any]) -> dict[str, Any]:
    """The build's figures, kept beside the cache so later runs can still report them."""
    sidecar = db.with_suffix(".build.json")
    if built:
        sidecar.write_text(json.dumps(built, ensure_ascii=False))
        return built
    return json.loads(sidecar.read_text()) if sidecar.exists() else {}


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handles", type=int, default=FULL_SIZE)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="", help=f"comma-separated subset of {MODULES}")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help="write RESULTS.md (default: only for a full run at 1,000,000 "
                             "handles, so a quick look never replaces the reference table)")
    args = parser.parse_args(argv)
    wanted = [m for m in (args.only.split(",") if args.only else MODULES) if m]
    unknown = [m for m in wanted if m not in MODULES]
    if unknown:
        parser.error(f"--only: unknown {', '.join(unknown)} (choose from {', '.join(MODULES)})")
    started = time.perf_counter()
    print(f"database: {args.handles:,} handles (building once if not cached) …", flush=True)
    db, built = cached_demo_db(args.handles)
    build = build_info(db, built)
    if built:
        print(f"built {db.name} in {built['seconds']:.1f} s, peak "
              f"{built['peak_rss_mib']:.0f} MiB", flush=True)
    rows: list[Row] = []
    if build:
        rows.append(Row(f"demo-data, {args.handles:,} handles (build, once)", "s",
                        build["seconds"], build["seconds"], build["seconds"],
                        note=f"peak {build['peak_rss_mib']:.0f} MiB; bulk inserts"))
    notes: list[str] = []
    scratch = CACHE / f"scratch-{args.handles}.db"
    for name in wanted:
        print(f"{name} …", flush=True)
        try:
            got = RUNNERS[name](db, scratch, args.repeats)
        except Exception as exc:  # one broken bench must not lose the others' figures
            traceback.print_exc()
            notes.append(f"`{name}` failed: {type(exc).__name__}: {exc}")
            continue
        for row in got:
            if row.median is None and row.note:
                notes.append(f"{row.work}: {row.note}")
            else:
                rows.append(row)
    for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        leftover.unlink(missing_ok=True)
    print()
    print_table(rows)
    for note in notes:
        print(f"note: {note}")
    write = args.write if args.write is not None else (args.handles == FULL_SIZE
                                                        and not args.only)
    if write:
        write_results(report(args, db, build, rows, notes, time.perf_counter() - started))
        print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
