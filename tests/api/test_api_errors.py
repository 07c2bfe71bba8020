"""Every code of spec §1 by a request that triggers it, in-process and over the socket."""

from __future__ import annotations

import http.client
import json
import logging
import socket

import pytest
from api_helpers import API, call, ok, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.actions import ACTIONS, catalogue_path
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import MAX_BODY, ActionApp, make_app
from mixtimer_gui.services import Services

PROJECT = {"action": "create_v2_project", "uid": "p1", "name": "泵房月检",
           "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "月",
           "notice_num": 3, "notice_unit": "日", "object_id_list": ["pump-1"]}


def test_success_envelope(api: ActionApp) -> None:
    reply = call(api, PROJECT)
    assert reply.status == 200
    assert reply.envelope == {"resp": "create_v2_project", "code": 200, "msg": "成功",
                              "result": {"name": "泵房月检", "uid": "p1"}}


@pytest.mark.parametrize(("raw", "where"), [
    (b'{"action": "get_v2_project_list",\n  "page_size": }', "第 2 行第 16 列"),
    (b'{"action": "get_v2_project_list", "name": "\xff"}', "第 1 行第 44 字节"),
    (b'', ""),
    (b'   \n ', ""),
    (b'{"action": "get_v2_project_list", "page_size": NaN}', "第 1 行第 48 列"),
    (b'{"name": "\\ud800"}', "第 1 行第 11 列"),
    (b'[' * 100_000, ""),
    (b'{"n": -Infinity}', "第 1 行第 7 列"),
])
def test_bad_json_is_10010_with_position(api: ActionApp, raw: bytes, where: str) -> None:
    reply = call(api, raw)
    assert (reply.status, reply.code) == (400, env.BAD_FORMAT)
    assert where in reply.info
    assert reply.envelope["resp"] == ""


@pytest.mark.parametrize(("body", "kind"), [([1, 2], "数组"), ("x", "字符串"), (3, "数字"),
                                             (None, "null"), (True, "布尔值")])
def test_body_that_is_not_an_object_is_10010(api: ActionApp, body: object, kind: str) -> None:
    reply = call(api, json.dumps(body).encode())
    assert reply.code == env.BAD_FORMAT
    assert kind in reply.info and "JSON 对象" in reply.info


def test_utf8_bom_is_tolerated(api: ActionApp) -> None:
    reply = call(api, b"\xef\xbb\xbf" + json.dumps({"action": "get_v2_project_list"}).encode())
    assert reply.code == env.OK


@pytest.mark.parametrize("body", [{}, {"action": ""}, {"action": None}])
def test_missing_action_is_10011(api: ActionApp, body: dict) -> None:
    reply = call(api, body)
    assert (reply.status, reply.code) == (200, env.UNKNOWN_ACTION)
    assert "action" in reply.info


@pytest.mark.parametrize("action", ["update_timer_project", "GET_V2_PROJECT", 7, ["x"], {}])
def test_unknown_action_is_10011(api: ActionApp, action: object) -> None:
    reply = call(api, {"action": action})
    assert reply.code == env.UNKNOWN_ACTION
    assert reply.envelope["resp"] == (action if isinstance(action, str) else "")


def test_bad_parameter_is_10013_naming_the_field(api: ActionApp, services: Services) -> None:
    reply = call(api, {**PROJECT, "period_num": "two"})
    assert (reply.status, reply.code, reply.envelope["resp"]) == (200, env.BAD_PARAMETER,
                                                                  "create_v2_project")
    assert "period_num" in reply.info
    assert services.projects.list({})["total_records"] == 0


def test_unknown_reference_is_10013(api: ActionApp) -> None:
    reply = call(api, {"action": "v2_handle", "task_id": "MTT404"})
    assert (reply.code, reply.info) == (env.BAD_PARAMETER, "task not found")


def test_state_conflict_is_10013(api: ActionApp) -> None:
    ok(call(api, PROJECT))
    ok(call(api, {"action": "start_v2_project", "uid": "p1"}))
    reply = call(api, {**PROJECT, "action": "delete_v2_project"})
    assert reply.code == env.BAD_PARAMETER
    assert reply.info == "项目下还有维保正在运行,请先停止项目下所有维保"


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")
def test_wrong_token_is_10401_and_changes_nothing(services: Services) -> None:
    app = make_app(services, token="s3cret")
    for headers, body in [({}, PROJECT), ({"Authorization": "Bearer nope"}, PROJECT),
                          ({}, {**PROJECT, "token": "nope"}), ({}, {**PROJECT, "token": 1}),
                          ({"Authorization": "Basic s3cret"}, PROJECT),
                          ({"Authorization": "Bearer nope"}, {**PROJECT, "token": "s3cret"}),
                          ({}, b"not json at all")]:
        reply = call(app, body, headers=headers)
        assert (reply.status, reply.code) == (401, env.UNAUTHORIZED), (headers, body)
        assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert services.projects.list({})["total_records"] == 0


def test_right_token_in_header_or_body(services: Services) -> None:
    app = make_app(services, token="s3cret-令牌")
    ok(call(app, PROJECT, headers={"Authorization": "Bearer s3cret-令牌".encode().decode(
        "latin-1")}))
    ok(call(app, {"action": "get_v2_project", "uid": "p1", "token": "s3cret-令牌"}))
    # a good token does not make bad JSON good
    assert call(app, b"{", headers={"Authorization": "bearer s3cret-令牌".encode().decode(
        "latin-1")}).code == env.BAD_FORMAT


@pytest.mark.parametrize("path", ["/", "/api", "/mixtimer", "/other/api", "/mixtimer/api/x",
                                  "/mixtimer/v2/project", "/mixtimer/v2/project/nope",
                                  "/mixtimer/v2/task/create_v2_project",
                                  "/mixtimer/v2/project/create_v2_project/x",
                                  "/MIXTIMER/api"])
def test_wrong_path_or_block_is_10404(api: ActionApp, path: str) -> None:
    reply = call(api, PROJECT, path=path)
    assert (reply.status, reply.code) == (404, env.BAD_PATH)


def test_configured_block(services: Services) -> None:
    app = make_app(services, block="plant-7")
    assert call(app, {"action": "get_v2_project_list"}, path="/plant-7/api").code == env.OK
    assert call(app, {"action": "get_v2_project_list"}, path=API).code == env.BAD_PATH
    with pytest.raises(ValueError, match="block"):
        make_app(services, block="a/b")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])
def test_not_post_is_10405(api: ActionApp, method: str) -> None:
    reply = call(api, {"action": "get_v2_project_list"}, method=method)
    assert (reply.status, reply.code) == (405, env.BAD_METHOD)
    assert reply.headers["Allow"] == "POST"


def test_body_over_the_limit_is_10413(api: ActionApp) -> None:
    at_limit = b'{"action": "get_v2_project_list", "pad": "' + b"x" * (MAX_BODY - 44) + b'"}'
    assert len(at_limit) == MAX_BODY
    assert call(api, at_limit).code == env.OK
    reply = call(api, at_limit + b" ")
    assert (reply.status, reply.code) == (413, env.TOO_LARGE)
    assert str(MAX_BODY) in reply.info


@pytest.mark.expect_log(r"unexpected error answering action", level="ERROR",
                        logger="mixtimer_gui.api.wsgi")
def test_exception_inside_is_10500_logged_not_leaked(
        services: Services, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(data: object) -> dict:
        raise RuntimeError("secret detail /home/x/db")

    monkeypatch.setattr(services.projects, "list", broken)
    with caplog.at_level(logging.ERROR, logger="mixtimer_gui.api.wsgi"):
        reply = call(make_app(services), {"action": "get_v2_project_list"})
    assert (reply.status, reply.code) == (500, env.INTERNAL)
    assert reply.envelope["resp"] == "get_v2_project_list"
    assert "secret" not in json.dumps(reply.envelope, ensure_ascii=False)
    assert "secret detail" in caplog.text and "Traceback" in caplog.text


# -- catalogue paths --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_has_a_catalogue_path(api: ActionApp, name: str) -> None:
    reply = call(api, {"uid": "nope"}, path=catalogue_path(ACTIONS[name]))
    assert reply.code in (env.OK, env.BAD_PARAMETER), reply.envelope
    assert reply.envelope["resp"] == name


def test_catalogue_path_with_matching_or_missing_action(api: ActionApp) -> None:
    path = "/mixtimer/v2/project/create_v2_project"
    ok(call(api, PROJECT, path=path))
    ok(call(api, {k: v for k, v in PROJECT.items() if k != "action"} | {"uid": "p2"},
            path=path))
    assert call(api, {"action": "get_v2_project", "uid": "p2"}).result["name"] == "泵房月检"


def test_catalogue_path_with_another_action_is_10013(api: ActionApp, services: Services
                                                     ) -> None:
    reply = call(api, PROJECT, path="/mixtimer/v2/project/delete_v2_project")
    assert reply.code == env.BAD_PARAMETER
    assert "action" in reply.info and "delete_v2_project" in reply.info
    assert services.projects.list({})["total_records"] == 0


# -- the same over a real socket ----------------------------------------------------------------


def test_codes_over_the_socket(server: ApiServer, services: Services) -> None:
    port = server.port
    assert post(port, PROJECT).code == env.OK
    assert post(port, b"{oops").status == 400
    assert post(port, {"action": "nope"}).code == env.UNKNOWN_ACTION
    assert post(port, {"action": "v2_handle", "task_id": "x"}).info == "task not found"
    assert post(port, PROJECT, path="/x/api").status == 404
    assert post(port, None, method="GET").status == 405
    big = post(port, b"x" * (MAX_BODY + 1))
    assert (big.status, big.code) == (413, env.TOO_LARGE)
    assert services.projects.list({})["total_records"] == 1


def test_chunked_body_over_the_limit_over_the_socket(server: ApiServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        chunks = (b"x" * 65536 for _ in range(MAX_BODY // 65536 + 2))
        conn.request("POST", API, body=chunks, encode_chunked=True,
                     headers={"Transfer-Encoding": "chunked"})
        response = conn.getresponse()
        envelope = json.loads(response.read())
    finally:
        conn.close()
    assert (response.status, envelope["code"]) == (413, env.TOO_LARGE)


def raw_exchange(port: int, request: bytes) -> tuple[bytes, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    return head, json.loads(payload)


def test_malformed_http_is_an_envelope_too(server: ApiServer) -> None:
    head, envelope = raw_exchange(server.port, b"POST /mixtimer/api HTTP/1.1\r\nHost: x\r\n"
                                  b"Content-Length: abc\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert envelope["code"] == env.BAD_FORMAT


def test_far_too_large_is_refused_before_the_body_is_sent(server: ApiServer) -> None:
    head, envelope = raw_exchange(server.port, b"POST /mixtimer/api HTTP/1.1\r\nHost: x\r\n"
                                  b"Content-Length: 1000000000\r\n\r\n{")
    assert head.startswith(b"HTTP/1.1 413")
    assert envelope["code"] == env.TOO_LARGE and envelope["result"] == {}
