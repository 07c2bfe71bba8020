"""API test helpers: in-process WSGI calls and real-socket calls give the same ``Reply``."""

from __future__ import annotations

import http.client
import io
import json
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.wsgi import ActionApp

API = "/mixtimer/api"


@dataclass
class Reply:
    status: int
    envelope: dict[str, Any]
    headers: dict[str, str]

    @property
    def code(self) -> int:
        return int(self.envelope["code"])

    @property
    def result(self) -> Any:
        return self.envelope["result"]

    @property
    def info(self) -> str:
        return str(self.envelope.get("info", ""))


def encode_body(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def check_envelope(status: int, envelope: Any) -> None:
    """Every answer, whatever the input: a well-formed envelope with a matching HTTP status."""
    assert isinstance(envelope, dict), envelope
    code = envelope["code"]
    assert code in env.MESSAGES, envelope
    expected_keys = {"resp", "code", "msg", "result"} | ({"info"} if code != env.OK else set())
    assert set(envelope) == expected_keys, envelope
    assert isinstance(envelope["resp"], str)
    assert envelope["msg"] == env.MESSAGES[code]
    assert isinstance(envelope["result"], dict)
    if code != env.OK:
        assert envelope["result"] == {}
        assert isinstance(envelope["info"], str) and envelope["info"].strip()
    assert status == int(env.HTTP_STATUS[code].split()[0]), (status, envelope)


def call(app: ActionApp, body: Any = None, *, path: str = API, method: str = "POST",
         headers: dict[str, str] | None = None) -> Reply:
    """One in-process WSGI request."""
    raw = encode_body(body) if body is not None else b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(raw)),
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "0", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(response_headers)

    payload = b"".join(app(environ, start_response))
    assert captured["headers"]["Content-Type"] == env.JSON_CONTENT_TYPE
    assert int(captured["headers"]["Content-Length"]) == len(payload)
    reply = Reply(captured["status"], json.loads(payload), captured["headers"])
    check_envelope(reply.status, reply.envelope)
    return reply


def post(port: int, body: Any = None, *, path: str = API, method: str = "POST",
         headers: dict[str, str] | None = None, timeout: float = 30) -> Reply:
    """One request over a real loopback socket."""
    raw = encode_body(body) if body is not None else b""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=raw if method != "GET" else None,
                     headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        payload = response.read()
        reply = Reply(response.status, json.loads(payload), dict(response.getheaders()))
    finally:
        conn.close()
    check_envelope(reply.status, reply.envelope)
    return reply


def ok(reply: Reply) -> Any:
    assert reply.code == env.OK, reply.envelope
    return reply.result




