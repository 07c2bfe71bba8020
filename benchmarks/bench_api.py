"""``get_v2_handle_list`` over loopback HTTP vs. a hand-written floor (DESIGN §6: ≤ 2×).

Three requests against a database of N handles (default 1,000,000, built once by
``demo.loader.generate`` and cached under ``benchmarks/.cache/``):

- ``page 1``: the newest 10 handles (with the total count, as every list answer has);
- ``page 500``: ``page_index`` 500;
- ``project+created``: ``where_and`` on ``project_id`` (the busiest project) and ``created``.

Each is timed through the real ``ApiServer`` (waitress, the request checks, the services, the
envelope) with a keep-alive ``http.client`` connection, and against a floor measured in the
same run: the same answer got the way a competent engineer would get it by hand, never the
SQL the product generates (a replay would measure nothing; it hid a count that missed
SQLite's fast path). The floor is a minimal ``http.server`` handler with a connection kept
per thread that, in one read transaction (as the services), runs two hand-written
statements, ``SELECT COUNT(*) FROM handle [WHERE …]`` and ``SELECT * FROM handle [WHERE …]
ORDER BY created DESC, id DESC LIMIT ? OFFSET ?``, and sends the total and the rows back as
JSON. Before timing, the floor's total and page (uids, in order) are checked against the
API's answer. Runs alternate between the two; each run is the mean of a few requests; the
table shows the median with min/max and the ratio of the medians.

Where the time goes (profiled 2026-11-28): on a small filtered page the SQL takes ~0.25 ms and
the API adds waitress (~0.16 ms a request vs ~0.10 ms for ``http.server``) and the services'
Peewee work (query compilation, row conversion, wire records: ~0.45 ms); the WSGI layer
itself adds ~0.02 ms. A fresh connection per request cost a further 0.3–2.5 ms (schema
parse, cold page cache), which is why the server's workers keep theirs.

Usage: ``python benchmarks/bench_api.py [--handles N] [--repeats R] [--db PATH]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.domain.clock import SystemClock, format_wire
from mixtimer_gui.services import Services

CACHE = Path(__file__).with_name(".cache")
DEFAULT_HANDLES = 1_000_000
REQUESTS_PER_RUN = 5
TARGET = 2.0
PAGE_SIZE = 10
NEWEST_FIRST = "ORDER BY created DESC, id DESC LIMIT ? OFFSET ?"
FLOOR_NAME = "by hand: COUNT(*) + page in sqlite3, http.server reply"
FLOOR_CACHE_KIB = -16_000  # as store.db gives every connection of the app


# -- the database ---------------------------------------------------------------------------


def cached_db(handles: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    return CACHE / f"api-{handles}.db"


def build(db_path: Path, handles: int) -> None:
    """Demo data with ``handles`` handles; written to a temporary name, renamed when done."""
    from mixtimer_gui.demo.loader import generate

    partial = db_path.with_suffix(".partial.db")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(partial, objects=max(50, min(2000, handles // 500)),
             projects=max(5, min(400, handles // 2500)), handles=handles, seed=1,
             now=SystemClock().now())
    partial.rename(db_path)
    print(f"built {db_path} with {handles} handles in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)


@dataclass(frozen=True)
class FloorPlan:
    """One request's answer by hand: its count and its page, each SQL with parameters."""

    count_sql: str
    count_params: tuple[Any, ...]
    page_sql: str
    page_params: tuple[Any, ...]


def requests_for(db_path: Path) -> dict[str, tuple[dict[str, Any], FloorPlan]]:
    """Each request's body for the API, and its floor written by hand."""
    conn = sqlite3.connect(str(db_path))
    try:
        project, count = conn.execute(
            "SELECT project_id, COUNT(*) FROM handle GROUP BY project_id "
            "ORDER BY 2 DESC LIMIT 1").fetchone()
        middle = conn.execute("SELECT created FROM handle WHERE project_id = ? "
                              "ORDER BY created LIMIT 1 OFFSET ?",
                              (project, count // 2)).fetchone()[0]
    finally:
        conn.close()
    base = {"action": "get_v2_handle_list", "page_size": PAGE_SIZE}
    everything = ("SELECT COUNT(*) FROM handle", (), f"SELECT * FROM handle {NEWEST_FIRST}")
    where = "WHERE project_id = ? AND created > ?"
    return {
        "page 1": ({**base, "page_index": 1}, FloorPlan(*everything, (PAGE_SIZE, 0))),
        "page 500": ({**base, "page_index": 500},
                     FloorPlan(*everything, (PAGE_SIZE, 499 * PAGE_SIZE))),
        "project+created": (
            {**base, "page_index": 1, "where_and": json.dumps(
                [["project_id", "=", project], ["created", ">", format_wire(middle)]])},
            FloorPlan(f"SELECT COUNT(*) FROM handle {where}", (project, middle),
                      f"SELECT * FROM handle {where} {NEWEST_FIRST}",
                      (project, middle, PAGE_SIZE, 0))),
    }


# -- the floor: hand-written SQL, sqlite3, a minimal HTTP reply ----------------------------------


def floor_answer(conn: sqlite3.Connection, plan: FloorPlan) -> dict[str, Any]:
    conn.execute("BEGIN DEFERRED")  # one snapshot for count and page, as the services
    try:
        total = conn.execute(plan.count_sql, plan.count_params).fetchone()[0]
        cursor = conn.execute(plan.page_sql, plan.page_params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor]
    finally:
        conn.execute("COMMIT")
    return {"total": total, "rows": rows}


def floor_server(db_path: Path, plans: dict[str, FloorPlan]) -> ThreadingHTTPServer:
    """POST /<name> answers that request by hand, as JSON."""
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # as waitress does: headers and body go out as separate writes, and Nagle plus
            # delayed ACK would add 40 ms to every answer of the floor
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = sqlite3.connect(str(db_path), isolation_level=None)
                # The app's page cache: with sqlite3's default 2 MB, a count at 1 M rows
                # rereads its index from the OS every time and the floor would flatter us.
                conn.execute(f"PRAGMA cache_size = {FLOOR_CACHE_KIB}")
            answer = floor_answer(conn, plans[self.path.lstrip("/")])
            body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="floor-http", daemon=True).start()
    return server


# -- timing ---------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path: str, body: bytes) -> bytes:
        self.conn.request("POST", path, body=body,
                          headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {payload[:200]!r}")
        return payload

    def close(self) -> None:
        self.conn.close()


def timed_run(send: Callable[[], bytes]) -> float:
    """Mean milliseconds of one request over REQUESTS_PER_RUN."""
    started = time.perf_counter()
    for _ in range(REQUESTS_PER_RUN):
        send()
    return (time.perf_counter() - started) * 1000 / REQUESTS_PER_RUN


def measure(db_path: Path | str, repeats: int = 7,
            handles: int = DEFAULT_HANDLES) -> list[dict[str, Any]]:
    """Time the three list requests, API vs. floor; one row (``common``'s shape) each."""
    db_path = Path(db_path)
    if not db_path.exists():
        build(db_path, handles)
    requests = requests_for(db_path)
    services = Services.open(db_path)
    try:
        floor = floor_server(db_path, {key(name): plan
                                       for name, (_, plan) in requests.items()})
        api = ApiServer(services, port=0)
        api.start()
        try:
            return [_compare(name, body, api.port, floor.server_address[1], repeats)
                    for name, (body, _) in requests.items()]
        finally:
            api.stop()
            floor.shutdown()
            floor.server_close()
    finally:
        services.close()


def key(name: str) -> str:
    return name.replace(" ", "_")


def same_answer(name: str, api_answer: dict[str, Any], floor_answer: dict[str, Any]) -> int:
    """The floor must answer what the API answers: the total, and the page's uids in order."""
    if api_answer.get("code") != 200:
        raise RuntimeError(f"{name}: unexpected answer {str(api_answer)[:300]}")
    result = api_answer["result"]
    api_uids = [r["uid"] for r in result["data"]]
    floor_uids = [r["uid"] for r in floor_answer["rows"]]
    if (result["total_records"], api_uids) != (floor_answer["total"], floor_uids):
        raise RuntimeError(f"{name}: the floor answers another question: API "
                           f"{result['total_records']} {api_uids[:3]}…, floor "
                           f"{floor_answer['total']} {floor_uids[:3]}…")
    return int(result["total_records"])


def _compare(name: str, body: dict[str, Any], api_port: int, floor_port: int,
             repeats: int) -> dict[str, Any]:
    api, floor = Client(api_port), Client(floor_port)
    raw = json.dumps(body).encode()
    floor_path = "/" + key(name)
    try:
        total = same_answer(name, json.loads(api.post("/mixtimer/api", raw)),
                            json.loads(floor.post(floor_path, raw)))
        api_ms, floor_ms = [], []
        for _ in range(repeats):  # alternate, so drift hits both sides alike
            api_ms.append(timed_run(lambda: api.post("/mixtimer/api", raw)))
            floor_ms.append(timed_run(lambda: floor.post(floor_path, raw)))
    finally:
        api.close()
        floor.close()
    a, f = statistics.median(api_ms), statistics.median(floor_ms)
    return {"work": f"get_v2_handle_list {name}", "unit": "ms",
            "median": a, "min": min(api_ms), "max": max(api_ms),
            "floor_name": FLOOR_NAME, "floor_median": f, "floor_min": min(floor_ms),
            "floor_max": max(floor_ms), "ratio": a / f, "target_ratio": TARGET,
            "note": f"{total} records"}


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'work':34} {'api ms (min-max)':>24} {'floor ms (min-max)':>24} {'ratio':>6}"
          f" {'ok':>3}")
    for r in rows:
        api = f"{r['median']:.2f} ({r['min']:.2f}-{r['max']:.2f})"
        floor = f"{r['floor_median']:.2f} ({r['floor_min']:.2f}-{r['floor_max']:.2f})"
        ok = "yes" if r["ratio"] <= r["target_ratio"] else "NO"
        print(f"{r['work']:34} {api:>24} {floor:>24} {r['ratio']:>6.2f} {ok:>3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handles", type=int, default=DEFAULT_HANDLES)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--db", type=Path, help="database to use (built when missing)")
    args = parser.parse_args(argv)
    db = args.db or cached_db(args.handles)
    rows = measure(db, args.repeats, handles=args.handles)
    print(f"database: {db}")
    print_table(rows)
    return 0 if all(r["ratio"] <= r["target_ratio"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
