"""Request bodies: bytes → the JSON object of an action, or a 10010 that says where it broke.

Stricter than ``json.loads`` on purpose: ``NaN``/``Infinity`` are not JSON (RFC 8259); a
``\\ud800`` escape without its pair decodes to a string SQLite cannot store. Both are refused
here, with a position.

A number too large for a float (``1e309``, an integer of 400 or 5,000 digits) is valid JSON
that no field can hold: it arrives as ±infinity, and the rule of the field it was sent in
refuses it with 10013 naming that field (spec §1.1; ``domain.rules``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from mixtimer_gui.api.envelope import BAD_FORMAT, ApiError

_BOM = "\ufeff"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_CONSTANT = re.compile(r"-?(?:NaN|Infinity)")
_KINDS = {list: "数组", str: "字符串", int: "数字", float: "数字", bool: "布尔值",
          type(None): "null"}


class _NotFinite(ValueError):
    pass


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"第 {line} 行第 {column} 列"


def _byte_position(raw: bytes, index: int) -> str:
    line = raw.count(b"\n", 0, index) + 1
    column = index - (raw.rfind(b"\n", 0, index) + 1) + 1
    return f"第 {line} 行第 {column} 字节"


def _integer(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts: far beyond any field anyway
        return -math.inf if text.startswith("-") else math.inf


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(BAD_FORMAT, f"请求体不是合法的 UTF-8 文本({_byte_position(raw, exc.start)}"
                       f"的字节 0x{raw[exc.start]:02x}),请以 UTF-8 编码发送 JSON") from None
    return text[1:] if text.startswith(_BOM) else text


def _has_lone_surrogate(value: Any) -> bool:
    # Iterative: a body nested close to the parser's limit must not overflow the stack here.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _not_finite(text: str, token: str) -> ApiError:
    match = _CONSTANT.search(text)
    where = f"({_position(text, match.start())})" if match else ""
    return ApiError(BAD_FORMAT, f"请求体中的数值 {token[:40]} 不是有限数字{where},"
                    "JSON 不支持 NaN/Infinity,请改为普通数字")


def parse_json(raw: bytes) -> Any:
    """Any JSON value from a UTF-8 body; ``ApiError(10010)`` with line/column otherwise."""
    text = _decode(raw)
    if not text.strip():
        raise ApiError(BAD_FORMAT, "请求体为空,应为 JSON 对象,如 "
                       "{\"action\": \"get_v2_project_list\"}")
    try:
        value = json.loads(text, parse_int=_integer, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ApiError(BAD_FORMAT, f"请求体不是合法的 JSON:{exc.msg}"
                       f"(第 {exc.lineno} 行第 {exc.colno} 列)") from None
    except _NotFinite as exc:
        raise _not_finite(text, str(exc)) from None
    except RecursionError:
        raise ApiError(BAD_FORMAT, "请求体的 JSON 嵌套过深,请简化结构") from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        match = _SURROGATE_ESCAPE.search(text)
        where = f"({_position(text, match.start())}附近)" if match else ""
        raise ApiError(BAD_FORMAT, f"请求体含有不成对的 \\u 代理项转义{where},"
                       "无法表示为文本,请检查字符编码")
    return value


def parse_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object (the only shape an action request has)."""
    value = parse_json(raw)
    if not isinstance(value, dict):
        kind = _KINDS.get(type(value), type(value).__name__)
        raise ApiError(BAD_FORMAT, f"请求体应为 JSON 对象(以 {{ 开头),收到{kind},"
                       "如 {\"action\": \"get_v2_project_list\"}")
    return value
