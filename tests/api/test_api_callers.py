"""Who may call (spec §1.1), through a real socket: Host, Origin and Content-Type on the action
path and the catalogue paths, CORS preflights, the token first, one log line per refusal.

Every refused request is a write (``create_v2_project``) and must change nothing.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_helpers import API, Reply, call, ok, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.actions import ACTIONS, catalogue_path
from mixtimer_gui.api.callers import Callers, allowed_host, allowed_origin
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import make_app
from mixtimer_gui.services import Services

PROJECT = {"action": "create_v2_project", "uid": "p1", "name": "空压机季检",
           "cycle_type": "自然时间周期", "period_num": 3, "period_unit": "月",
           "notice_num": 7, "notice_unit": "日", "object_id_list": ["ac-1"]}
CATALOGUE = catalogue_path(ACTIONS["create_v2_project"])
PATHS = [API, CATALOGUE]
DASHBOARD = "http://dashboard.local:8080"

# Refusals are what these tests are about; each one logs a line.
pytestmark = pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")


@pytest.fixture
def server(services: Services) -> Iterator[ApiServer]:
    with ApiServer(services, port=0, allow_hosts=["mixtimer.local", "proxy.local:80"],
                   allow_origins=[DASHBOARD]) as srv:
        yield srv


def projects(services: Services) -> int:
    return int(services.projects.list({})["total_records"])


def cors(reply: Reply) -> dict[str, str]:
    return {k: v for k, v in reply.headers.items() if k.lower().startswith("access-control")}


def assert_refused(reply: Reply, code: int, services: Services) -> None:
    status = {env.FORBIDDEN: 403, env.UNSUPPORTED_TYPE: 415, env.UNAUTHORIZED: 401}[code]
    assert (reply.status, reply.code) == (status, code), reply.envelope
    assert reply.envelope["resp"] == ""  # nothing of a refused request is echoed
    assert cors(reply) == {}
    assert projects(services) == 0


# -- Host -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}",
                                  "LOCALHOST:{port}", "mixtimer.local:{port}", "proxy.local"])
def test_loopback_and_allowed_hosts_are_served(server: ApiServer, services: Services,
                                               path: str, host: str) -> None:
    ok(post(server.port, PROJECT, path=path, headers={"Host": host.format(port=server.port)}))
    assert projects(services) == 1


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", [
    "evil.example:{port}", "evil.example", "127.0.0.1", "127.0.0.1:{other}",
    "localhost.evil.example:{port}", "127.0.0.1.evil.example:{port}", "mixtimer.local:{other}",
    "proxy.local:{port}", "[::2]:{port}", "127.0.0.1:{port}, evil.example", "", None])
def test_other_hosts_are_refused(server: ApiServer, services: Services, path: str,
                                 host: str | None) -> None:
    named = None if host is None else host.format(port=server.port, other=server.port + 1)
    reply = post(server.port, PROJECT, path=path, headers={"Host": named})
    assert_refused(reply, env.FORBIDDEN, services)
    assert "Host" in reply.info and "--allow-host" in reply.info


def test_the_address_bound_to_is_an_allowed_host(services: Services) -> None:
    with ApiServer(services, host="127.0.0.2", port=0, token="t0ken") as srv:
        auth = {"Authorization": "Bearer t0ken"}
        ok(post(srv.port, PROJECT, address="127.0.0.2",
                headers={**auth, "Host": f"127.0.0.2:{srv.port}"}))
        refused = post(srv.port, {**PROJECT, "uid": "p2"}, address="127.0.0.2",
                       headers={**auth, "Host": f"evil.example:{srv.port}"})
        assert refused.code == env.FORBIDDEN
    assert projects(services) == 1


# -- Origin and CORS ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:{port}",
                                    "http://dashboard.local", "https://dashboard.local:8080",
                                    "http://dashboard.local:8080.evil.example"])
def test_a_request_from_a_page_not_allowed_is_refused(server: ApiServer, services: Services,
                                                      path: str, origin: str) -> None:
    reply = post(server.port, PROJECT, path=path,
                 headers={"Origin": origin.format(port=server.port)})
    assert_refused(reply, env.FORBIDDEN, services)
    assert "--allow-origin" in reply.info


@pytest.mark.parametrize("path", PATHS)
def test_an_allowed_origin_is_served_and_may_read_every_answer(
        server: ApiServer, services: Services, path: str) -> None:
    reply = post(server.port, PROJECT, path=path, headers={"Origin": DASHBOARD})
    ok(reply)
    assert cors(reply) == {"Access-Control-Allow-Origin": DASHBOARD}
    assert reply.headers["Vary"] == "Origin"
    again = post(server.port, PROJECT, path=path, headers={"Origin": DASHBOARD})
    assert again.code == env.BAD_PARAMETER  # uid taken: an error it may read too
    assert cors(again) == {"Access-Control-Allow-Origin": DASHBOARD}


def test_no_cors_headers_without_an_origin(server: ApiServer) -> None:
    reply = post(server.port, {"action": "get_v2_project_list"})
    ok(reply)
    assert cors(reply) == {} and "Vary" not in reply.headers


@pytest.mark.parametrize("path", PATHS)
def test_a_preflight_from_an_allowed_origin_is_answered(server: ApiServer, services: Services,
                                                        path: str) -> None:
    reply = post(server.port, path=path, method="OPTIONS", headers={
        "Origin": DASHBOARD, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization", "Content-Type": None})
    assert (reply.status, reply.code, reply.envelope["resp"]) == (200, env.OK, "")
    headers = cors(reply)
    assert headers["Access-Control-Allow-Origin"] == DASHBOARD
    assert headers["Access-Control-Allow-Methods"] == "POST"
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed == {"content-type", "authorization"}
    assert int(headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Private-Network" not in headers
    assert projects(services) == 0


def test_a_private_network_preflight_is_answered_for_an_allowed_origin(
        server: ApiServer) -> None:
    reply = post(server.port, method="OPTIONS", headers={
        "Origin": DASHBOARD, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Private-Network": "true"})
    assert cors(reply)["Access-Control-Allow-Private-Network"] == "true"


@pytest.mark.parametrize("path", PATHS)
def test_a_preflight_from_another_origin_or_host_is_refused(server: ApiServer,
                                                            services: Services,
                                                            path: str) -> None:
    ask = {"Access-Control-Request-Method": "POST", "Content-Type": None}
    assert_refused(post(server.port, path=path, method="OPTIONS",
                        headers={**ask, "Origin": "http://evil.example"}),
                   env.FORBIDDEN, services)
    assert_refused(post(server.port, path=path, method="OPTIONS",
                        headers={**ask, "Origin": DASHBOARD,
                                 "Host": f"evil.example:{server.port}"}),
                   env.FORBIDDEN, services)
    # Without an Origin, OPTIONS is just another method that is not POST.
    assert post(server.port, path=path, method="OPTIONS").code == env.BAD_METHOD


def test_a_server_allows_no_origin_by_default(services: Services) -> None:
    with ApiServer(services, port=0) as srv:
        for origin in (DASHBOARD, f"http://127.0.0.1:{srv.port}"):
            reply = post(srv.port, PROJECT, headers={"Origin": origin})
            assert_refused(reply, env.FORBIDDEN, services)
            preflight = post(srv.port, method="OPTIONS", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST"})
            assert_refused(preflight, env.FORBIDDEN, services)


# -- Content-Type ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON;charset=UTF-8"])
def test_json_is_served(server: ApiServer, services: Services, path: str,
                        content_type: str) -> None:
    ok(post(server.port, PROJECT, path=path, headers={"Content-Type": content_type}))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/jsonp", "json", "text/json", "", None])
def test_anything_else_is_415(server: ApiServer, services: Services, path: str,
                              content_type: str | None) -> None:
    reply = post(server.port, PROJECT, path=path, headers={"Content-Type": content_type})
    assert_refused(reply, env.UNSUPPORTED_TYPE, services)
    assert "application/json" in reply.info


# -- order: the token first; then Host and Origin; then Content-Type -------------------------


def test_the_token_is_checked_before_anything_else(services: Services) -> None:
    with ApiServer(services, port=0, token="t0ken") as srv:
        for headers in ({"Content-Type": "text/plain"}, {"Origin": "http://evil.example"},
                        {"Host": "evil.example"}):
            assert_refused(post(srv.port, PROJECT, headers=headers), env.UNAUTHORIZED,
                           services)
        auth = {"Authorization": "Bearer t0ken"}
        assert_refused(post(srv.port, PROJECT, headers={
            **auth, "Origin": "http://evil.example", "Content-Type": "text/plain"}),
            env.FORBIDDEN, services)
        assert_refused(post(srv.port, PROJECT, headers={**auth, "Content-Type": "text/plain"}),
                       env.UNSUPPORTED_TYPE, services)
        ok(post(srv.port, PROJECT, headers=auth))


def test_refusals_on_a_catalogue_path_echo_no_action(services: Services) -> None:
    app = make_app(services, token="t0ken")
    for headers, code in (({}, env.UNAUTHORIZED),
                          ({"Authorization": "Bearer t0ken", "Host": "evil.example"},
                           env.FORBIDDEN),
                          ({"Authorization": "Bearer t0ken", "Content-Type": "text/plain"},
                           env.UNSUPPORTED_TYPE)):
        reply = call(app, PROJECT, path=CATALOGUE, headers=headers)
        assert (reply.code, reply.envelope["resp"]) == (code, "")


def test_a_bad_body_from_a_refused_caller_is_still_a_refusal(server: ApiServer,
                                                             services: Services) -> None:
    # Who may call comes before what the body says: a hostile page learns nothing from
    # whether its JSON was valid.
    reply = post(server.port, b"{not json", headers={"Content-Type": "text/plain"})
    assert_refused(reply, env.UNSUPPORTED_TYPE, services)


# -- the log --------------------------------------------------------------------------------


def test_a_refusal_logs_one_line_without_the_token(services: Services,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with ApiServer(services, port=0, token="s3cret-t0ken") as srv:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mixtimer_gui.api"):
            post(srv.port, {**PROJECT, "token": "s3cret-t0ken"},
                 headers={"Host": "evil.example"})
            post(srv.port, PROJECT, headers={"Authorization": "Bearer s3cret-t0ken",
                                             "Origin": "http://evil.example"})
            post(srv.port, PROJECT, headers={"Authorization": "Bearer wrong-one"})
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("mixtimer_gui.api")]
    assert len(lines) == 3, lines
    assert all("\n" not in line for line in lines)
    assert "10403" in lines[0] and "evil.example" in lines[0]
    assert "10403" in lines[1] and "http://evil.example" in lines[1]
    assert "10401" in lines[2]
    assert not any("s3cret" in line or "wrong-one" in line for line in lines)
    assert projects(services) == 0


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    ("workstation.local", ("workstation.local", None)), (" Host.Example ", ("host.example", None)),
    ("192.168.1.5:8848", ("192.168.1.5", 8848)), ("::1", ("[::1]", None)),
    ("[fe80::1]:80", ("[fe80::1]", 80))])
def test_allowed_hosts_are_read_as_the_host_header_writes_them(given: str, expected: tuple
                                                               ) -> None:
    assert allowed_host(given) == expected


@pytest.mark.parametrize("given", ["*", "http://x", "a b", "x:99999", "x/y", ":", "."])
def test_a_host_that_names_no_single_host_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="主机名"):
        allowed_host(given)


@pytest.mark.parametrize(("given", "expected"), [
    ("http://Dashboard.local:8080/", "http://dashboard.local:8080"),
    ("https://x.example:443", "https://x.example"), ("http://x.example:80", "http://x.example"),
    ("http://[::1]:3000", "http://[::1]:3000")])
def test_allowed_origins_are_read_as_browsers_write_them(given: str, expected: str) -> None:
    assert allowed_origin(given) == expected


@pytest.mark.parametrize("given", ["*", "null", "dashboard.local", "file:///x", "ftp://x",
                                   "http://x/path", "http://u@x", "http://x?q", "http://x:0x"])
def test_an_origin_that_names_no_web_origin_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="来源"):
        allowed_origin(given)
    with pytest.raises(ValueError):
        Callers.of(origins=[given])


def test_serve_takes_allowed_hosts_and_origins(tmp_path: Path) -> None:
    db = tmp_path / "serve" / "mixtimer.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixtimer_gui", "serve", "--db", str(db), "--port", "0",
         "--allow-host", "mixtimer.local", "--allow-host", "plant.local",
         "--allow-origin", DASHBOARD],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/mixtimer/api\n",
                             proc.stdout.readline())
        assert match
        port = int(match.group(1))
        for host in ("mixtimer.local", "plant.local"):
            ok(post(port, {"action": "get_v2_project_list"},
                    headers={"Host": f"{host}:{port}"}))
        assert post(port, {"action": "get_v2_project_list"},
                    headers={"Host": f"evil.example:{port}"}).code == env.FORBIDDEN
        reply = post(port, {"action": "get_v2_project_list"}, headers={"Origin": DASHBOARD})
        assert cors(ok_reply(reply)) == {"Access-Control-Allow-Origin": DASHBOARD}
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err


def ok_reply(reply: Reply) -> Reply:
    ok(reply)
    return reply


def test_serve_refuses_a_bad_allowed_origin(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mixtimer_gui", "serve", "--db", str(tmp_path / "x.db"),
         "--port", "0", "--allow-origin", "*"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "来源" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.db").exists()
