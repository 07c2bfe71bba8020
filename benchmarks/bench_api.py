"""``get_v2_handle_list`` over loopback HTTP vs. the same SQL with sqlite3 (DESIGN §6: ≤ 2×).

Three requests against a database of N handles (default 1,000,000, built once by
``demo.loader.generate`` and cached under ``benchmarks/.cache/``):

- ``page 1``: the newest 10 handles (with the total count, as every list answer has);
- ``page 500``: ``page_index`` 500;
- ``project+created``: ``where_and`` on ``project_id`` (the busiest project) and ``created``.

Each is timed through the real ``ApiServer`` (waitress, per-request connection, the services,
the envelope) with a keep-alive ``http.client`` connection, and against a floor measured in
the same run: the very SQL statements the services executed for that request (captured from
Peewee's log), run with plain ``sqlite3`` in one read transaction (as the services do) on a
connection kept by the handler thread, inside a minimal ``http.server`` handler that sends
the rows back as JSON. Runs alternate between the two; each run is the mean of a few
requests; the table shows the median with min/max and the ratio of the medians.

Where the time goes (profiled 2026-11-28): on the pages that count a million rows the SQL
dominates and the ratio is about 1; on a small filtered page the SQL takes ~0.25 ms and the
API adds waitress (~0.16 ms a request vs ~0.10 ms for ``http.server``) and the services'
Peewee work (query compilation, row conversion, wire records: ~0.45 ms); the WSGI layer
itself adds ~0.02 ms. A fresh connection per request cost a further 0.3–2.5 ms (schema
parse, cold page cache), which is why the server's workers keep theirs.

Usage: ``python benchmarks/bench_api.py [--handles N] [--repeats R] [--db PATH]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import socket
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def requests_for(db_path: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(str(db_path))
    try:
        project, count = conn.execute(
            'SELECT project_id, COUNT(*) FROM "handle" GROUP BY project_id '
            "ORDER BY 2 DESC LIMIT 1").fetchone()
        middle = conn.execute('SELECT created FROM "handle" WHERE project_id = ? '
                              "ORDER BY created LIMIT 1 OFFSET ?",
                              (project, count // 2)).fetchone()[0]
    finally:
        conn.close()
    base = {"action": "get_v2_handle_list", "page_size": 10}
    return {
        "page 1": {**base, "page_index": 1},
        "page 500": {**base, "page_index": 500},
        "project+created": {**base, "page_index": 1, "where_and": json.dumps(
            [["project_id", "=", project], ["created", ">", format_wire(middle)]])},
    }


# -- the floor: the same SQL, sqlite3, a minimal HTTP reply ------------------------------------


@contextmanager
def captured_sql() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The SELECTs Peewee runs on this thread while the block runs."""
    statements: list[tuple[str, tuple[Any, ...]]] = []
    me = threading.get_ident()

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if threading.get_ident() != me or not isinstance(record.msg, tuple):
                return
            sql, params = record.msg
            if sql.lstrip().upper().startswith("SELECT"):
                statements.append((sql, tuple(params or ())))

    logger = logging.getLogger("peewee")
    handler, level = Capture(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def floor_server(db_path: Path, plans: dict[str, list[tuple[str, tuple[Any, ...]]]]
                 ) -> ThreadingHTTPServer:
    """POST /<name> runs that request's statements and answers their rows as JSON."""
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
            results = []
            conn.execute("BEGIN DEFERRED")  # one snapshot for count and page, as the services
            for sql, params in plans[self.path.lstrip("/")]:
                cursor = conn.execute(sql, params)
                names = [d[0] for d in cursor.description]
                results.append([dict(zip(names, row, strict=True)) for row in cursor])
            conn.execute("COMMIT")
            body = json.dumps(results, ensure_ascii=False).encode("utf-8")
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


def summary(samples: list[float]) -> dict[str, float]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def measure(db_path: Path | str, repeats: int = 7,
            handles: int = DEFAULT_HANDLES) -> list[dict[str, Any]]:
    """Time the three list requests, API vs. floor; one dict per request."""
    db_path = Path(db_path)
    if not db_path.exists():
        build(db_path, handles)
    requests = requests_for(db_path)
    services = Services.open(db_path)
    try:
        plans: dict[str, list[tuple[str, tuple[Any, ...]]]] = {}
        totals: dict[str, int] = {}
        for name, body in requests.items():
            with captured_sql() as statements:
                totals[name] = services.handles.list(body)["total_records"]
            plans[name.replace(" ", "_")] = statements
        floor = floor_server(db_path, plans)
        api = ApiServer(services, port=0)
        api.start()
        try:
            return [_compare(name, body, totals[name], api.port, floor.server_address[1],
                             repeats) for name, body in requests.items()]
        finally:
            api.stop()
            floor.shutdown()
            floor.server_close()
    finally:
        services.close()


def _compare(name: str, body: dict[str, Any], total: int, api_port: int, floor_port: int,
             repeats: int) -> dict[str, Any]:
    api, floor = Client(api_port), Client(floor_port)
    raw = json.dumps(body).encode()
    floor_path = "/" + name.replace(" ", "_")
    try:
        answer = json.loads(api.post("/mixtimer/api", raw))
        if answer["code"] != 200 or answer["result"]["total_records"] != total:
            raise RuntimeError(f"{name}: unexpected answer {str(answer)[:300]}")
        floor.post(floor_path, raw)
        api_ms, floor_ms = [], []
        for _ in range(repeats):  # alternate, so drift hits both sides alike
            api_ms.append(timed_run(lambda: api.post("/mixtimer/api", raw)))
            floor_ms.append(timed_run(lambda: floor.post(floor_path, raw)))
    finally:
        api.close()
        floor.close()
    a, f = summary(api_ms), summary(floor_ms)
    return {"work": f"get_v2_handle_list {name}", "total_records": total,
            "api_median_ms": round(a["median"], 2), "api_min_ms": round(a["min"], 2),
            "api_max_ms": round(a["max"], 2), "floor_median_ms": round(f["median"], 2),
            "floor_min_ms": round(f["min"], 2), "floor_max_ms": round(f["max"], 2),
            "ratio": round(a["median"] / f["median"], 2), "target": TARGET}


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'work':34} {'api ms (min-max)':>24} {'floor ms (min-max)':>24} {'ratio':>6}"
          f" {'ok':>3}")
    for r in rows:
        api = f"{r['api_median_ms']:.2f} ({r['api_min_ms']:.2f}-{r['api_max_ms']:.2f})"
        floor = f"{r['floor_median_ms']:.2f} ({r['floor_min_ms']:.2f}-{r['floor_max_ms']:.2f})"
        ok = "yes" if r["ratio"] <= r["target"] else "NO"
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
    return 0 if all(r["ratio"] <= r["target"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
