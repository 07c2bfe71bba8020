"""The window at 1 M handles (DESIGN §6), each figure against its floor in the same run.

- ``start``: process start to a shown ``MainWindow`` (offscreen), through ``cli.main``
  exactly as ``mixtimer-gui --db DB`` runs it, vs. a bare PySide6 ``QMainWindow`` with a
  ``QTabWidget`` of six empty tabs (target ≤ 1.5×). Both are child processes, alternated;
  each child reports the wall-clock moment its window was exposed and first painted
  (``repaint()``), and the parent subtracts the moment it spawned the child (interpreter
  start and imports included on both sides). The app's window is first painted as a shell
  (menus, tab bar, "Opening the database…"; see ``gui.app``), so the child also reports
  ``start to overview data``: the moment the database is attached and the overview, with
  its numbers, due list and calendar, has been painted.
- ``handles``: inside one app child, after the window is shown: switching to the Handles tab;
  a new Handles tab built and shown (its first page loaded and painted); filter changes
  (project, person) until the view has repainted (target ≤ 100 ms each). A text search
  runs on a worker, as the tab runs it: its first page shown, and how long the window was
  held by it (the ``set_filter`` call on the GUI thread; target ≤ 100 ms).
- ``memory``: that child's peak RSS (``wait4``) with the window open on the database, after
  the Handles tab work (target ≤ 150 MiB; the bare window's peak is the floor).
- ``Handles tab services call``: each page the tab asked for, as ``services.handles.list``
  alone, against the same page got by hand (``HandFloor``: ``SELECT COUNT(*)`` and
  ``SELECT * … ORDER BY created DESC, id DESC LIMIT n`` with the tab's conditions written
  as SQL by hand, on a ``sqlite3`` connection with the app's page cache); the floor's total
  and uids are checked against the services' answer first.

Children get a private settings/log folder (``XDG_*``) so the user's own are never touched.
Pass a copy of the cached database: starting the app writes to it (reminder log, settings).

Usage: ``python benchmarks/bench_gui.py DB [--repeats N]``; ``run.py`` calls ``measure``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, run_child, spread

START_TARGET_RATIO = 1.5
PAGE_TARGET_MS = 100.0
MEMORY_TARGET_MIB = 150.0
TAB_COUNT = 6


# -- the parent ---------------------------------------------------------------------------------


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MIXTIMER_DB", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                 "XDG_RUNTIME_DIR"):
        env[name] = str(home / name.lower())
        (home / name.lower()).mkdir(parents=True, exist_ok=True, mode=0o700)
    return env


def run_mode(mode: str, db: Path, env: dict[str, str], repeats: int = 1) -> dict[str, Any]:
    child = run_child([sys.executable, str(Path(__file__).resolve()), "--child", mode, str(db),
                       "--repeats", str(repeats)], env=env)
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{mode} child printed no result: {child.stdout[-300:]!r}")
    report = json.loads(lines[-1])
    if "error" in report:
        raise RuntimeError(f"{mode} child: {report['error']}")
    report["start_ms"] = (report["shown"] - child.started) * 1000
    if "data_shown" in report:
        report["data_ms"] = (report["data_shown"] - child.started) * 1000
    report["peak_rss_mib"] = child.peak_rss_mib
    return report


def skipped(reason: str) -> list[dict[str, Any]]:
    return [{"work": "main window (start, Handles tab, memory)", "median": None,
             "note": f"skipped: {reason}"}]


def measure(db_path: Path | str, repeats: int = 5) -> list[dict[str, Any]]:
    """One dict per figure, in the canonical shape of ``common``."""
    db = Path(db_path)
    if importlib.util.find_spec("mixtimer_gui.gui.main_window") is None:
        return skipped("mixtimer_gui.gui.main_window is not there yet")
    if importlib.util.find_spec("PySide6") is None:
        return skipped("PySide6 is not installed")
    compile_package()
    with tempfile.TemporaryDirectory(prefix="mixtimer-bench-gui-") as tmp:
        env = child_env(Path(tmp))
        run_mode("bare", db, env)  # warm-ups: page cache, font cache, first-run settings
        run_mode("app", db, env)
        bare, app = [], []
        for _ in range(max(1, repeats)):
            bare.append(run_mode("bare", db, env))
            app.append(run_mode("app", db, env))
        handles = run_mode("handles", db, env, repeats=max(3, repeats))
    return (start_rows(bare, app) + handle_rows(handles) + service_rows(handles)
            + memory_rows(bare, handles))


def compile_package() -> None:
    """Byte-compile the package first, as an installed copy is (pip and PyInstaller both
    ship bytecode). Without it an editable checkout under PYTHONDONTWRITEBYTECODE compiles
    every module from source at every start, ~60 ms that no user pays; PySide6 and the other
    libraries on the floor's side are installed compiled already."""
    import compileall

    import mixtimer_gui

    compileall.compile_dir(str(Path(mixtimer_gui.__file__).parent), quiet=1)


def start_rows(bare: list[dict[str, Any]], app: list[dict[str, Any]]) -> list[dict[str, Any]]:
    a = spread([r["start_ms"] for r in app])
    d = spread([r["data_ms"] for r in app])
    f = spread([r["start_ms"] for r in bare])
    floor = {"floor_name": "bare QMainWindow + QTabWidget", "floor_median": f[0],
             "floor_min": f[1], "floor_max": f[2]}
    sizes = f"{app[0].get('tasks', '?')} tasks, {app[0].get('handles', '?')} handles"
    return [{"work": "start to shown main window", "unit": "ms",
             "median": a[0], "min": a[1], "max": a[2], **floor, "ratio": a[0] / f[0],
             "target_ratio": START_TARGET_RATIO,
             "note": f"{sizes}; the shell: menus, tab bar, \"Opening the database…\""},
            {"work": "start to overview data shown", "unit": "ms",
             "median": d[0], "min": d[1], "max": d[2], **floor, "ratio": d[0] / f[0],
             "note": "database attached; status tiles, due list, calendar painted"}]


SERVICE_CALLS = (("first_page", "first page"), ("filter_project", "filter by project"),
                 ("filter_person", "filter by person"), ("filter_text", "search text"))


def service_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each Handles tab services call against its hand-written floor."""
    rows = []
    for key, label in SERVICE_CALLS:
        service, floor = report.get(f"{key}_service") or [], report.get(f"{key}_floor") or []
        if not service or not floor:
            continue
        m, f = spread(service), spread(floor)
        rows.append({"work": f"Handles tab services call: {label}", "unit": "ms",
                     "median": m[0], "min": m[1], "max": m[2], "floor_name": HandFloor.NAME,
                     "floor_median": f[0], "floor_min": f[1], "floor_max": f[2],
                     "ratio": m[0] / f[0] if f[0] else None})
    return rows


def handle_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, label in (("switch_tab", "Handles tab: switch to it"),
                       ("first_page", "Handles tab: new tab, first page shown"),
                       ("filter_project", "Handles tab: filter by project"),
                       ("filter_person", "Handles tab: filter by person"),
                       ("filter_text", "Handles tab: search text (worker)"),
                       ("filter_text_blocked", "Handles tab: search text, window held")):
        samples = report.get(key) or []
        if not samples:
            continue
        m = spread(samples)
        service = report.get(f"{key}_service") or []
        rows.append({"work": label, "unit": "ms", "median": m[0], "min": m[1], "max": m[2],
                     "target": PAGE_TARGET_MS,
                     "note": f"services call alone {spread(service)[0]:.1f} ms" if service
                     else ""})
    return rows


def memory_rows(bare: list[dict[str, Any]], handles: dict[str, Any]) -> list[dict[str, Any]]:
    floor = spread([r["peak_rss_mib"] for r in bare])
    peak = handles["peak_rss_mib"]
    return [{"work": "peak memory, window open", "unit": "MiB", "median": peak, "min": peak,
             "max": peak, "floor_name": "bare window", "floor_median": floor[0],
             "floor_min": floor[1], "floor_max": floor[2], "ratio": peak / floor[0],
             "target": MEMORY_TARGET_MIB,
             "note": f"after the Handles tab work, {handles.get('handles', '?')} handles"}]


# -- the floor of the Handles tab's services calls --------------------------------------------


HAND_EQUALS = {"project_id": "project_id = ?", "object_id": "object_id = ?",
               "is_ignored": "is_ignored = ?"}
# A person: newest handles first, each checked against the side table's (handle_rowid)
# index, so the page stops after ``size`` matches; counted in the side table alone.
HAND_PERSON = ("EXISTS (SELECT 1 FROM handle_handler AS hh WHERE hh.handle_rowid = "
               "handle.id AND hh.handler_id = ?)")
HAND_PERSON_COUNT = ("SELECT COUNT(DISTINCT handle_rowid) FROM handle_handler "
                     "WHERE handler_id = ?")


class HandFloor:
    """The page the Handles tab asks for, got by hand in ``sqlite3``: its total and its first
    ``size`` records, newest first. The tab's conditions are turned into SQL here, by hand,
    for the few it makes; anything else is refused rather than answered wrongly."""

    NAME = "by hand: COUNT + page in sqlite3"
    TEXT = ("description", "result", "object_name", "project_name")

    def __init__(self, db: Path) -> None:
        import sqlite3

        self.conn = sqlite3.connect(str(db), isolation_level=None)
        self.conn.execute("PRAGMA cache_size = -16000")  # the app's page cache
        columns = [row[1] for row in self.conn.execute("PRAGMA table_info(handle)")]
        self.uid_index = columns.index("uid")

    def where(self, where_and: list, where_or: list) -> tuple[list[str], list[Any]]:
        from datetime import datetime

        tests: list[str] = []
        params: list[Any] = []
        for field, op, value in where_and:
            if field == "created" and op in (">=", "<"):
                tests.append(f"created {op} ?")
                params.append(int(datetime.fromisoformat(value).timestamp()))  # local midnight
            elif op == "=" and field in HAND_EQUALS:
                tests.append(HAND_EQUALS[field])
                params.append(value)
            elif op == "=" and field == "handler_id_list":
                tests.append(HAND_PERSON)
                params.append(value)
            else:
                raise ValueError(f"no hand-written SQL for {field} {op}")
        if where_or:
            if {(field, op) for field, op, _ in where_or} != {(f, "like") for f in self.TEXT}:
                raise ValueError(f"no hand-written SQL for {where_or}")
            tests.append("(" + " OR ".join(f"{f} LIKE ?" for f in self.TEXT) + ")")
            params += [dict((f, v) for f, _, v in where_or)[f] for f in self.TEXT]
        return tests, params

    def page(self, where_and: list, where_or: list, size: int) -> tuple[int, list[str]]:
        tests, params = self.where(where_and, where_or)
        where = " WHERE " + " AND ".join(tests) if tests else ""
        count = ((HAND_PERSON_COUNT, params) if tests == [HAND_PERSON]
                 else (f"SELECT COUNT(*) FROM handle{where}", params))
        self.conn.execute("BEGIN")
        try:
            total = self.conn.execute(*count).fetchone()[0]
            rows = self.conn.execute(f"SELECT * FROM handle{where} ORDER BY created DESC, "
                                     "id DESC LIMIT ?", [*params, size]).fetchall()
        finally:
            self.conn.execute("COMMIT")
        return total, [row[self.uid_index] for row in rows]


def floor_ms(floor: HandFloor, services: Any, where_and: list, where_or: list,
             size: int) -> float:
    """The floor's time, after checking that it answers what the services answer."""
    from common import timed_ms

    got = services.handles.list({"page_size": size, "where_and": where_and,
                                 "where_or": where_or})
    expected = (got["total_records"], [r["uid"] for r in got["data"]])
    if floor.page(where_and, where_or, size) != expected:
        raise RuntimeError(f"the floor answers another question for {where_and} {where_or}")
    return timed_ms(lambda: floor.page(where_and, where_or, size))


# -- the children ---------------------------------------------------------------------------


def child(mode: str, db: Path, repeats: int) -> None:
    """Runs in the child process; prints one JSON line, then leaves at once (teardown of a
    big window is not part of any figure)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])

    def finish(report: dict[str, Any]) -> None:
        print(json.dumps(report), flush=True)
        os._exit(0)

    def guarded(work: Any) -> Any:
        def run() -> None:
            try:
                work()
            except Exception as exc:  # the parent gets one line, not a hung child
                finish({"error": f"{type(exc).__name__}: {exc}"})
        return run

    if mode == "bare":
        QTimer.singleShot(0, guarded(lambda: finish(bare_window(app))))
        app.exec()
        return
    QTimer.singleShot(0, guarded(lambda: finish(app_window(app, mode, repeats))))
    from mixtimer_gui.cli import main

    main(["--db", str(db)])
    finish({"error": "the app returned without showing its window (another instance?)"})


def bare_window(app: Any) -> dict[str, Any]:
    import time

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

    window = QMainWindow()
    tabs = QTabWidget(window)
    for i in range(TAB_COUNT):
        tabs.addTab(QLabel(f"tab {i}"), f"tab {i}")
    window.setCentralWidget(tabs)
    window.resize(1100, 700)
    window.show()
    QTest.qWaitForWindowExposed(window, 10_000)
    window.repaint()
    app.__dict__["keep"] = window
    return {"shown": time.time()}


def app_window(app: Any, mode: str, repeats: int) -> dict[str, Any]:
    import time

    from PySide6.QtTest import QTest

    from mixtimer_gui.gui.main_window import MainWindow

    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if not windows:
        return {"error": "no MainWindow among the top-level widgets"}
    window = windows[0]
    QTest.qWaitForWindowExposed(window, 10_000)
    window.repaint()
    report: dict[str, Any] = {"shown": time.time()}
    deadline = time.monotonic() + 60
    while not window.is_attached():
        if time.monotonic() > deadline:
            return {"error": "the window did not attach its database within 60 s"}
        app.processEvents()
    window.repaint()
    report["data_shown"] = time.time()
    services = window.services
    report["handles"] = services.handles.list({"page_size": 1})["total_records"]
    report["tasks"] = services.tasks.list({"page_size": 1})["total_records"]
    if mode == "handles":
        report.update(handles_tab_work(app, window, repeats))
    return report


def handles_tab_work(app: Any, window: Any, repeats: int) -> dict[str, list[float]]:
    import time

    from common import timed_ms
    from PySide6.QtCore import QEvent

    from mixtimer_gui.gui.handles_tab import HandlesTab

    tab = window.tab_by_key["handles"]
    services = window.services
    out: dict[str, list[float]] = {k: [] for k in (
        "switch_tab", "first_page", "first_page_service", "filter_project",
        "filter_project_service", "filter_person", "filter_person_service", "filter_text",
        "filter_text_service", "filter_text_blocked", "first_page_floor",
        "filter_project_floor", "filter_person_floor", "filter_text_floor")}
    floor = HandFloor(Path(str(services.db.database)))
    size = tab.model.page_size

    def settle() -> None:
        app.processEvents()
        tab.view.viewport().repaint()

    overview = window.tabs.widget(0)
    for _ in range(repeats):
        window.tabs.setCurrentWidget(overview)
        settle()
        out["switch_tab"].append(timed_ms(lambda: (window.tabs.setCurrentWidget(tab),
                                                   settle())))
    for _ in range(repeats):
        def build() -> None:
            fresh = HandlesTab(services, window.bridge)
            fresh.resize(1100, 650)
            fresh.show()
            app.processEvents()
            fresh.view.viewport().repaint()
            fresh.close()
            fresh.deleteLater()
        out["first_page"].append(timed_ms(build))
        # processEvents() leaves deferred deletes of its own loop level pending: without
        # this, every measured tab stayed alive and counted in the window's peak memory.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        out["first_page_service"].append(timed_ms(
            lambda: services.handles.list({"page_size": tab.model.page_size,
                                           "order_by": "-created"})))
        out["first_page_floor"].append(floor_ms(floor, services, [], [], size))
    combos = (("filter_project", tab.project_combo), ("filter_person", tab.handler_combo))
    for key, combo in combos:
        for i in range(repeats):
            index = 1 + i % max(1, min(3, combo.count() - 1))
            combo.setCurrentIndex(0)
            settle()
            out[key].append(timed_ms(lambda c=combo, n=index: (c.setCurrentIndex(n),
                                                               settle())))
            where_and, where_or = tab.filters()
            out[f"{key}_service"].append(timed_ms(lambda w=where_and, o=where_or: (
                services.handles.list({"page_size": tab.model.page_size, "where_and": w,
                                       "where_or": o}))))
            out[f"{key}_floor"].append(floor_ms(floor, services, where_and, where_or, size))
        combo.setCurrentIndex(0)
        settle()
    for i in range(repeats):
        words = ("滤芯", "异响", "张三")[i % 3]
        tab.search.blockSignals(True)  # the debounce delay is on purpose: time the query
        tab.search.setText(words)
        tab.search.blockSignals(False)
        where_and, where_or = tab.filters()
        began = time.perf_counter()
        out["filter_text_blocked"].append(timed_ms(lambda w=where_and, o=where_or: (
            tab.model.set_filter(w, o, background=True))))
        while tab.model.searching_in_background:
            app.processEvents()
        settle()
        out["filter_text"].append((time.perf_counter() - began) * 1000)
        out["filter_text_service"].append(timed_ms(lambda w=where_and, o=where_or: (
            services.handles.list({"page_size": tab.model.page_size, "where_and": w,
                                   "where_or": o}))))
        out["filter_text_floor"].append(floor_ms(floor, services, where_and, where_or, size))
    return out


# -- command line ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", choices=("bare", "app", "handles"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.db, args.repeats)
        return 0
    for d in measure(args.db, args.repeats):
        row = Row(**{k: v for k, v in d.items() if k in Row.__dataclass_fields__})
        floor = (f"floor {row.floor_median:.1f} ({row.ratio:.2f}x)"
                 if row.floor_median is not None and row.ratio is not None else "")
        print(f"{row.work:42} {row.median if row.median is not None else '-':>10.1f} "
              f"{row.unit:4} {row.target_text:10} {row.verdict:6} {floor} {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
