"""Local receivers on 127.0.0.1 that check what a real service would: each robot's
signature (computed here from the documented recipe, not with the app's functions) and the
shape of its payload. A receiver answers as the service does and keeps what it accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WECOM_KEY = "wecom-key-5f1c2a9e"
DING_TOKEN = "ding-token-77aa01"
DING_SECRET = "SECding-secret-e3b0c442"
FEISHU_HOOK = "feishu-hook-9b2d"
FEISHU_SECRET = "feishu-secret-4f8a"


def _ding_ok(query: dict[str, list[str]]) -> bool:
    timestamp = query.get("timestamp", [""])[0]
    expected = base64.b64encode(hmac.new(DING_SECRET.encode(),
                                         f"{timestamp}\n{DING_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    # parse_qs already undid the urlencoding the robot requires
    return query.get("sign", [""])[0] == expected and timestamp.isdigit() \
        and len(timestamp) == 13


def _feishu_ok(body: dict[str, Any]) -> bool:
    timestamp = body.get("timestamp", "")
    expected = base64.b64encode(hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"",
                                         hashlib.sha256).digest()).decode()
    return body.get("sign") == expected and str(timestamp).isdigit() \
        and len(str(timestamp)) == 10


class Receiver:
    """``accepted``: (service, text) per message taken; ``down``: answer 502 to all;
    ``hold``: paths whose requests wait for ``release`` (then refused, never accepted)."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []
        self.refused: list[str] = []
        self.down = False
        self.hold: set[str] = set()
        self.held = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                status, answer = receiver.handle(self.path, raw, self.headers)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def texts(self, service: str) -> list[str]:
        return [text for name, text in self.accepted if name == service]

    def handle(self, path: str, raw: bytes, headers: Any) -> tuple[int, dict[str, Any]]:
        url = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(url.query)
        if any(url.path.startswith(p) for p in self.hold):
            self.held.set()
            self.release.wait(30)
            return 502, {"errcode": -1, "errmsg": "held"}
        if self.down:
            return 502, {"errmsg": f"bad gateway for {path}"}  # echoes the key: redaction
        if "charset=utf-8" not in headers.get("Content-Type", ""):
            return 400, {"errcode": 400, "errmsg": "not utf-8"}
        body = json.loads(raw.decode("utf-8"))
        if url.path == "/cgi-bin/webhook/send":
            if query.get("key") != [WECOM_KEY]:
                return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
            if body.get("msgtype") != "markdown" or not body["markdown"].get("content"):
                return 200, {"errcode": 40008, "errmsg": "invalid message type"}
            self.accepted.append(("wecom", body["markdown"]["content"]))
            return 200, {"errcode": 0, "errmsg": "ok"}
        if url.path == "/robot/send":
            if query.get("access_token") != [DING_TOKEN] or not _ding_ok(query):
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
            markdown = body.get("markdown", {})
            if body.get("msgtype") != "markdown" or not markdown.get("title"):
                return 200, {"errcode": 40035, "errmsg": "缺少参数 title"}
            self.accepted.append(("dingtalk", markdown["text"]))
            return 200, {"errcode": 0, "errmsg": "ok"}
        if url.path == f"/open-apis/bot/v2/hook/{FEISHU_HOOK}":
            if not _feishu_ok(body):
                return 200, {"code": 19021, "msg": "sign match fail"}
            if body.get("msg_type") != "text":
                return 200, {"code": 9499, "msg": "Bad Request"}
            self.accepted.append(("feishu", body["content"]["text"]))
            return 200, {"code": 0, "msg": "success", "data": {}}
        if url.path == "/hook":
            self.accepted.append(("webhook", json.dumps(body, ensure_ascii=False)))
            return 200, {"received": True}
        return 404, {"errmsg": "no such path"}
