"""API test helpers: in-process WSGI calls and real-socket calls give the same ``Reply``."""

from __future__ import annotations

import http.client
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.wsgi import ActionApp

API = "/mixtimer/api"
# What an in-process request names as its server, as a real client of 127.0.0.1:8848 would.
PORT = 8848


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


class JsonLiteral(str):
    """A number written into a body as given, where ``json.dumps`` cannot write it: ``1e309``
    (a float would be ``Infinity``), an integer of 5,000 digits (``str()`` refuses it)."""

    _MARK = "\ue000"

    def __new__(cls, literal: str) -> JsonLiteral:
        return super().__new__(cls, f"{cls._MARK}{literal}{cls._MARK}")


_LITERAL = re.compile(f'"{JsonLiteral._MARK}([^"{JsonLiteral._MARK}]*){JsonLiteral._MARK}"')


def encode_body(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    text = json.dumps(body, ensure_ascii=False)
    return _LITERAL.sub(lambda m: m[1], text).encode("utf-8")


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
         headers: dict[str, str | None] | None = None) -> Reply:
    """One in-process WSGI request, with the headers a well-behaved client sends (``Host``,
    ``Content-Type``); ``headers`` adds or replaces them, a value ``None`` leaves one out."""
    raw = encode_body(body) if body is not None else b""
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(raw)),
        "HTTP_HOST": f"127.0.0.1:{PORT}", "REMOTE_ADDR": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(PORT), "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        key = key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
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
         headers: dict[str, str | None] | None = None, timeout: float = 30,
         address: str = "127.0.0.1") -> Reply:
    """One request over a real socket, with ``Content-Type: application/json`` and the
    ``Host`` http.client writes; ``headers`` adds or replaces them, ``None`` leaves one out."""
    raw = encode_body(body) if body is not None else b""
    wanted = {"Content-Type": "application/json", **(headers or {})}
    conn = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host="Host" in wanted,
                        skip_accept_encoding=True)
        for name, value in wanted.items():
            if value is not None:
                conn.putheader(name, value)
        if method != "GET":
            conn.putheader("Content-Length", str(len(raw)))
        conn.endheaders(raw if method != "GET" else None)
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




