"""The server: bind and token rules, per-request connections, change announcements, a
graceful stop, and ``mixtimer-gui serve`` as a real process."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from api_helpers import ok, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.serve import CannotListen, ServeRefused, run_serve
from mixtimer_gui.api.server import ApiServer, BindRefusedError
from mixtimer_gui.commands.database import open_workspace
from mixtimer_gui.services import Services

PROJECT = {"action": "create_v2_project", "uid": "p1", "name": "空压机季检",
           "cycle_type": "自然时间周期", "period_num": 3, "period_unit": "月",
           "notice_num": 7, "notice_unit": "日", "object_id_list": ["ac-1", "ac-2"]}


# -- bind and token -------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "localhost", "127.0.0.2"])
def test_non_loopback_bind_without_token_is_refused(services: Services, host: str) -> None:
    with pytest.raises(BindRefusedError, match="--token"):
        ApiServer(services, host=host, port=0)
    with pytest.raises(BindRefusedError):
        ApiServer(services, host=host, port=0, token="")


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")
def test_non_loopback_bind_with_token_serves_only_with_the_token(services: Services) -> None:
    with ApiServer(services, host="0.0.0.0", port=0, token="t0ken") as server:
        assert post(server.port, PROJECT).status == 401
        assert post(server.port, {**PROJECT, "token": "T0KEN"}).code == env.UNAUTHORIZED
        assert services.projects.list({})["total_records"] == 0
        ok(post(server.port, PROJECT, headers={"Authorization": "Bearer t0ken"}))
        ok(post(server.port, {"action": "get_v2_project", "uid": "p1", "token": "t0ken"}))


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")
def test_loopback_with_token_requires_it_too(services: Services) -> None:
    with ApiServer(services, port=0, token="abc") as server:
        assert post(server.port, {"action": "get_v2_project_list"}).code == env.UNAUTHORIZED


def test_port_in_use_raises_oserror(services: Services) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = ApiServer(services, port=taken.getsockname()[1])
        with pytest.raises(OSError):
            server.start()
        assert not server.running


# -- behaviour of the running server ------------------------------------------------------------


def test_api_write_is_announced_on_the_bus(server: ApiServer, services: Services) -> None:
    heard: list[tuple[str, tuple[str, ...], str]] = []
    services.bus.subscribe(lambda entity, uids: heard.append(
        (entity, uids, threading.current_thread().name)))
    ok(post(server.port, PROJECT))
    assert ("project", ("p1",)) in [(e, u) for e, u, _ in heard]
    assert sum(len(u) for e, u, _ in heard if e == "task") == 2
    assert all(name != threading.main_thread().name for _, _, name in heard)


def test_read_only_actions_announce_nothing(server: ApiServer, services: Services) -> None:
    ok(post(server.port, PROJECT))
    heard: list[str] = []
    services.bus.subscribe(lambda entity, uids: heard.append(entity))
    ok(post(server.port, {"action": "get_v2_project_list"}))
    ok(post(server.port, {"action": "get_v2_task_list"}))
    assert post(server.port, {**PROJECT, "period_num": 0}).code == env.BAD_PARAMETER
    assert heard == []


def test_workers_keep_a_connection_and_close_it_on_stop(services: Services) -> None:
    db = services.db
    events: list[tuple[str, str]] = []
    connect, close = db.connect, db.close

    def spy_connect(*args: object, **kwargs: object) -> bool:
        events.append(("open", threading.current_thread().name))
        return connect(*args, **kwargs)

    def spy_close() -> bool:
        events.append(("close", threading.current_thread().name))
        return close()

    db.connect, db.close = spy_connect, spy_close  # type: ignore[method-assign]
    try:
        with ApiServer(services, port=0) as server:
            for _ in range(20):
                ok(post(server.port, {"action": "get_v2_project_list"}))
            opened = [name for kind, name in events if kind == "open"]
            assert 1 <= len(opened) <= 4  # one per worker thread, not one per request
            assert not [e for e in events if e[0] == "close"]
        closed = [name for kind, name in events if kind == "close"]
        assert sorted(closed) == sorted(opened)  # each worker closed its own on stop
    finally:
        del db.connect, db.close


def test_a_transaction_left_open_costs_the_connection(services: Services) -> None:
    db = services.db
    worker_state: list[bool] = []

    def leaky_request() -> None:
        with services.ctx.connection_scope(keep=True):
            db.begin()
        worker_state.append(db.is_closed())

    thread = threading.Thread(target=leaky_request)
    thread.start()
    thread.join()
    assert worker_state == [True]


def test_stop_lets_a_request_in_flight_finish(services: Services) -> None:
    entered, release = threading.Event(), threading.Event()
    original = services.projects.create

    def slow_create(data: dict) -> dict:
        entered.set()
        assert release.wait(10)
        return original(data)

    services.projects.create = slow_create  # type: ignore[method-assign]
    server = ApiServer(services, port=0)
    server.start()
    port = server.port
    replies: list = []
    client = threading.Thread(target=lambda: replies.append(post(port, PROJECT)))
    client.start()
    assert entered.wait(10)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    release.set()
    stopper.join(15)
    client.join(15)
    assert not stopper.is_alive() and not server.running
    assert replies and replies[0].code == env.OK
    assert services.projects.get({"uid": "p1"})["name"] == "空压机季检"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_stop_is_idempotent_and_restartable(services: Services) -> None:
    server = ApiServer(services, port=0)
    server.stop()
    server.start()
    ok(post(server.port, {"action": "get_v2_project_list"}))
    server.stop()
    server.stop()
    server.start()
    ok(post(server.port, {"action": "get_v2_project_list"}))
    server.stop()


def test_stop_after_the_loop_has_ended_on_its_own(services: Services) -> None:
    """Seen once under load: the loop had closed its trigger before ``stop`` asked it to
    close the listener, and ``stop`` failed with EBADF. It now finds the loop gone and
    finishes."""
    server = ApiServer(services, port=0)
    server.start()
    loop = server._server
    assert loop is not None and server._thread is not None
    def end_loop() -> None:
        loop.close()  # the listener
        ApiServer._close_all(loop)  # the connections and the trigger: the loop returns

    ApiServer._in_loop(loop, end_loop)
    server._thread.join(5)
    assert not server.running
    server.stop()  # used to raise OSError: [Errno 9] Bad file descriptor
    server.start()
    ok(post(server.port, {"action": "get_v2_project_list"}))
    server.stop()


# -- run_serve and the serve command --------------------------------------------------------------


@pytest.mark.parametrize(("options", "named"), [
    ({"host": "0.0.0.0"}, "--token"),
    ({"block": "a b"}, "block"),
    ({"port": 70000}, "端口"),
])
def test_run_serve_refuses_bad_arguments(db_path: Path, options: dict[str, Any],
                                         named: str) -> None:
    with pytest.raises(ServeRefused, match=named):
        run_serve(db_path, **{"port": 0, **options}, open_workspace=open_workspace)
    assert not db_path.exists()  # nothing opened, nothing created


def test_run_serve_reports_a_taken_port(db_location: Path | str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CannotListen, match="无法"):
            run_serve(db_location, port=taken.getsockname()[1], open_workspace=open_workspace)


def test_run_serve_calls_on_started_and_its_cleanup(db_location: Path | str,
                                                   capsys: pytest.CaptureFixture) -> None:
    events: list[str] = []

    def on_started(services: Services, server: ApiServer) -> object:
        events.append(f"started {server.port}")
        ok(post(server.port, PROJECT))
        os.kill(os.getpid(), signal.SIGTERM)
        return lambda: events.append("cleanup")

    previous = signal.getsignal(signal.SIGTERM)
    run_serve(db_location, port=0, open_workspace=open_workspace, on_started=on_started)
    assert signal.getsignal(signal.SIGTERM) is previous
    assert events[0].startswith("started ") and events[1:] == ["cleanup"]
    port = events[0].split()[1]
    assert capsys.readouterr().out == f"listening on http://127.0.0.1:{port}/mixtimer/api\n"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_as_a_process(tmp_path: Path, stop_signal: signal.Signals) -> None:
    db = tmp_path / "serve" / "mixtimer.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixtimer_gui", "serve", "--db", str(db), "--port", "0",
         "--block", "plant"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/plant/api\n", line)
        assert match, line
        port = int(match.group(1))
        ok(post(port, PROJECT, path="/plant/api"))
        assert post(port, PROJECT, path="/mixtimer/api").code == env.BAD_PATH
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out == ""  # only the one line, already read
    assert "Traceback" not in err
    # The last connection closed checkpoints the WAL and removes it: the database was closed.
    assert not Path(f"{db}-wal").exists()
    services = Services.open(db)
    try:
        assert services.projects.get({"uid": "p1"})["object_id_list"] == ["ac-1", "ac-2"]
    finally:
        services.close()
