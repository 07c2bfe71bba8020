"""The answer envelope and the error codes of spec §1.

Every answer is ``{"resp", "code", "msg", "result"}`` (+ ``"info"`` on errors); ``result`` is
always an object, ``{}`` on errors. The HTTP status follows the code (table below).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

OK = 200
BAD_FORMAT = 10010
UNKNOWN_ACTION = 10011
BAD_PARAMETER = 10013
UNAUTHORIZED = 10401
FORBIDDEN = 10403  # a Host or Origin that was not allowed (spec §1.1)
BAD_PATH = 10404
BAD_METHOD = 10405
TOO_LARGE = 10413
UNSUPPORTED_TYPE = 10415  # Content-Type is not JSON (spec §1.1)
INTERNAL = 10500
# This project's addition: the database cannot take the request now (disk full, read-only,
# locked by another program). Not a bug, so not 10500; ``info`` says what to do.
UNAVAILABLE = 10503

MESSAGES: dict[int, str] = {
    OK: "成功",
    BAD_FORMAT: "请求-格式错误",
    UNKNOWN_ACTION: "请求-未知操作",
    BAD_PARAMETER: "请求-参数错误",
    UNAUTHORIZED: "请求-未授权",
    FORBIDDEN: "请求-来源不允许",
    BAD_PATH: "请求-路径错误",
    BAD_METHOD: "请求-方法错误",
    TOO_LARGE: "请求-内容过大",
    UNSUPPORTED_TYPE: "请求-类型错误",
    INTERNAL: "服务器内部错误",
    UNAVAILABLE: "服务-暂不可用",
}

HTTP_STATUS: dict[int, str] = {
    OK: "200 OK",
    BAD_FORMAT: "400 Bad Request",
    UNKNOWN_ACTION: "200 OK",
    BAD_PARAMETER: "200 OK",
    UNAUTHORIZED: "401 Unauthorized",
    FORBIDDEN: "403 Forbidden",
    BAD_PATH: "404 Not Found",
    BAD_METHOD: "405 Method Not Allowed",
    TOO_LARGE: "413 Content Too Large",
    UNSUPPORTED_TYPE: "415 Unsupported Media Type",
    INTERNAL: "500 Internal Server Error",
    UNAVAILABLE: "503 Service Unavailable",
}

# What a client sees of a bug: nothing that helps an attacker, something that helps a user.
INTERNAL_INFO = "服务器内部错误,详情已记入服务器日志;请稍后重试或联系管理员"

# Refusals of who may call: their answers do not echo what the request sent (spec §1).
REFUSALS = frozenset((UNAUTHORIZED, FORBIDDEN, UNSUPPORTED_TYPE))

# ``resp`` echoes the client's action; a huge one is cut so an answer stays small.
RESP_MAX = 200

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """A request refused before or outside the services: answered with ``code`` and ``info``."""

    def __init__(self, code: int, info: str, *, headers: tuple[tuple[str, str], ...] = ()
                 ) -> None:
        super().__init__(info)
        self.code = code
        self.info = info
        self.headers = headers


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: the envelope, its HTTP status and any extra headers."""

    envelope: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def code(self) -> int:
        return int(self.envelope["code"])

    @property
    def status(self) -> str:
        return HTTP_STATUS[self.code]

    def body(self) -> bytes:
        return encode(self.envelope)


def echo(action: Any) -> str:
    """The ``resp`` for a request's action: the action text, ``""`` when there was none."""
    if not isinstance(action, str):
        return ""
    return action[:RESP_MAX]


def success(action: str, result: dict[str, Any]) -> Answer:
    return Answer({"resp": echo(action), "code": OK, "msg": MESSAGES[OK], "result": result})


def failure(action: Any, code: int, info: str,
            headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer({"resp": echo(action), "code": code, "msg": MESSAGES[code], "info": info,
                   "result": {}}, headers)


def encode(envelope: dict[str, Any]) -> bytes:
    """UTF-8 JSON with Chinese kept readable; NaN is not JSON, so it is refused here too."""
    return json.dumps(envelope, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")
