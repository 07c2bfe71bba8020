"""``where_and`` / ``where_or`` / ``where_in`` / ``order_by`` → Peewee expressions (spec §6).

Every entity declares a whitelist of its wire fields, each with a kind (text, integer,
number, time, status, or a list) and the SQL expression behind it. Only names from that
whitelist and operators from ``OPS`` are accepted; values always travel as query parameters.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from peewee import OP, SQL, Case, ColumnBase, Expression, Field, Node, NodeList, Value, fn

from mixtimer_gui.domain import clock, status
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.domain.status import STATUSES

OPS = ("=", "!=", "<>", ">", ">=", "<", "<=", "like", "not like", "in", "not in")
ORDER_OPS = (">", ">=", "<", "<=")

TEXT, INT, NUMBER, TIME, STATUS, LIST_INT, LIST_TEXT = (
    "text", "int", "number", "time", "status", "list_int", "list_text")

# A list field is given as a function: (element predicate builder) → EXISTS expression.
ListMatcher = Callable[[Callable[[ColumnBase], Expression]], Node]


@dataclass(frozen=True)
class FilterField:
    kind: str
    column: Any  # a column/expression; for list kinds, a ListMatcher
    # what ``like`` compares for a number: its text (``number_text``); None for the others
    text: Any = None

    @property
    def is_list(self) -> bool:
        return self.kind in (LIST_INT, LIST_TEXT)


FieldMap = Mapping[str, FilterField]


def parse_filter_param(value: Any, param: str) -> list[Any]:
    """A filter parameter as JSON text inside a string, or as a JSON array; ""/None = none."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise FieldError(f"{param} 不是合法的 JSON:{exc.msg}(第 {exc.lineno} 行第 "
                             f"{exc.colno} 列)", param) from None
        except RecursionError:  # "[[[[…" nested deeper than the parser's stack
            raise FieldError(f"{param} 的 JSON 嵌套过深", param) from None
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"{param} 应为条件列表,如 [[\"name\",\"like\",\"%泵%\"]]", param)
    return value


def _coerce_scalar(kind: str, value: Any, param: str, field: str) -> Any:
    if isinstance(value, list | dict):
        raise FieldError(f"{param} 中 {field} 的值应为单个值,不是列表或对象", param)
    if kind in (INT, NUMBER, LIST_INT):
        if isinstance(value, bool):
            return int(value)
        try:
            number = float(value) if not isinstance(value, int) else value
        except (TypeError, ValueError):
            raise FieldError(f"{param} 中 {field} 的值 {value!r} 不是数字", param) from None
        if isinstance(number, float) and number != number:  # NaN never matches; refuse it
            raise FieldError(f"{param} 中 {field} 的值不是有限数字", param)
        if isinstance(number, int) and abs(number) > 2**63 - 1:
            # beyond SQLite's INTEGER a REAL still compares right; beyond a float's range
            # infinity does (10**400 exceeds every stored value, as "1e400" does)
            try:
                return float(number)
            except OverflowError:
                return math.inf if number > 0 else -math.inf
        return number
    if kind == TIME:
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise FieldError(f"{param} 中 {field} 的时间应写作 'YYYY-MM-DD HH:MM:SS'", param)
        try:
            return clock.parse_wire(str(value))
        except (ValueError, OverflowError, OSError):
            raise FieldError(f"{param} 中 {field} 的时间 {value!r} 格式应为 "
                             "YYYY-MM-DD HH:MM:SS", param) from None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return _no_nul(str(value), param, field)


def _no_nul(text: str, param: str, field: str) -> str:
    # SQLite's LIKE stops at NUL, so "\x00" would act as "" and match empty values.
    if "\x00" in text:
        raise FieldError(f"{param} 中 {field} 的值含有空字符", param)
    return text


def _param(kind: str, value: Any) -> Any:
    """A numeric filter value as a bare parameter: the column's own converter would make
    ``period_num = 2.5`` into ``= 2`` (int()) and fail on integers beyond 64 bits."""
    if kind in (INT, NUMBER, LIST_INT) and value is not None:
        return Value(value, converter=False)
    return value


def _compare(column: Any, op: str, value: Any) -> Expression:
    if value is None:  # a time field compared with "": present or absent
        if op == "=":
            return column.is_null()
        if op in ("!=", "<>"):
            return column.is_null(False)
        return Value(0) == Value(1)
    return {
        "=": lambda: column == value,
        "!=": lambda: column != value,
        "<>": lambda: column != value,
        ">": lambda: column > value,
        ">=": lambda: column >= value,
        "<": lambda: column < value,
        "<=": lambda: column <= value,
    }[op]()


def condition(fields: FieldMap, field: Any, op: Any, value: Any, param: str) -> Node:
    """One ``[field, op, value]`` as an expression; errors name the field or the op."""
    if not isinstance(field, str) or field not in fields:
        shown = field if isinstance(field, str) else json.dumps(field, ensure_ascii=False)
        raise FieldError(f"{param} 中的字段 '{str(shown)[:60]}' 不存在,可用字段:"
                         f"{', '.join(fields)}", param)
    if not isinstance(op, str) or op.lower() not in OPS:
        raise FieldError(f"{param} 中 {field} 的操作符 '{str(op)[:20]}' 不支持,可用:"
                         f"{' '.join(OPS)}", param)
    op = op.lower()
    spec = fields[field]
    if op in ("in", "not in"):
        if not isinstance(value, list):
            raise FieldError(f"{param} 中 {field} 的 {op} 需要一个值列表", param)
        values = [_coerce_scalar(spec.kind, v, param, field) for v in value]
        return _membership(spec, values, negate=op == "not in")
    if op in ("like", "not like"):
        if isinstance(value, list | dict):
            raise FieldError(f"{param} 中 {field} 的 like 需要一个文本模式", param)
        pattern = _no_nul("" if value is None else str(value), param, field)
        if spec.is_list:
            expr = spec.column(lambda element: like(_element_text(spec, element), pattern))
        else:
            expr = like(_text_of(spec), pattern)
        return ~expr if op == "not like" else expr
    coerced = _coerce_scalar(spec.kind, value, param, field)
    if spec.is_list:
        if op in ORDER_OPS:
            raise FieldError(f"{param} 中列表字段 {field} 只支持 = != like in", param)
        contains = spec.column(lambda element: element == _param(spec.kind, coerced))
        return contains if op == "=" else ~contains
    if spec.kind == STATUS and coerced not in STATUSES and op in ("=", "!=", "<>"):
        raise FieldError(f"{param} 中 status 的值应为 {'/'.join(STATUSES)} 之一", param)
    if spec.kind == TEXT and op in ("=", "!=", "<>") and "%" in coerced:
        # The original's list examples send ["object_name","=","%test%"] and show the
        # record whose name contains "test": a text "=" with a % wildcard acts as like.
        expr = like(spec.column, coerced)
        return expr if op == "=" else ~expr
    return _compare(spec.column, op, _param(spec.kind, coerced))


def like(text: Any, pattern: str) -> Node:
    """``text LIKE pattern`` as SQLite's LIKE means it on both engines: ``%`` and ``_`` are
    the only wildcards, ASCII letters match either case, other letters only themselves, and
    a backslash is a plain character.

    Peewee's ``**`` is LIKE on SQLite and ILIKE on PostgreSQL (which folds ASCII only in a C
    database, the only kind team mode opens). PostgreSQL's LIKE treats a backslash as an
    escape by default, so one is named on both and the pattern's own backslashes doubled.
    """
    escaped = Value(pattern.replace("\\", "\\\\"), converter=False)
    return Expression(text, OP.ILIKE, NodeList((escaped, SQL("ESCAPE '\\'"))))


def _text_of(spec: FilterField) -> Any:
    # like on a number compares its text form, so ["period_num","like","2%"] works.
    if spec.text is not None:
        return spec.text
    if spec.kind in (INT, NUMBER):
        return spec.column.cast("TEXT")
    return spec.column


def _element_text(spec: FilterField, element: Any) -> Any:
    # a list of numbers (handler ids): PostgreSQL has no LIKE on a number
    return element.cast("TEXT") if spec.kind == LIST_INT else element


# Integers a double holds exactly; beyond them a number is shown with an exponent.
_EXACT = 2**53


def number_text(column: Any, *, postgres: bool) -> Any:
    """A stored number (REAL / DOUBLE PRECISION) as ``like`` sees it, the same on both
    engines: a whole number as the wire shows it (``2``, not SQLite's ``2.0``), any other
    with 15 significant digits (SQLite's CAST; PostgreSQL's own text would give up to 17,
    ``0.30000000000000004`` where SQLite says ``0.3``, so it goes through NUMERIC, which
    keeps 15). They still differ below 1e-4 (SQLite writes ``1.0e-05``), where no fee or
    meter reading lives."""
    if postgres:
        whole = (column == fn.TRUNC(column)) & (fn.ABS(column) < _EXACT)
        return Case(None, [(whole, column.cast("BIGINT").cast("TEXT"))],
                    column.cast("NUMERIC").cast("TEXT"))
    whole = (column == column.cast("INTEGER")) & (fn.ABS(column) < _EXACT)
    return Case(None, [(whole, column.cast("INTEGER").cast("TEXT"))], column.cast("TEXT"))


def _membership(spec: FilterField, values: list[Any], *, negate: bool) -> Node:
    if spec.kind in (INT, NUMBER, LIST_INT):
        values = [_param(spec.kind, v) for v in values]
    if spec.is_list:
        expr = spec.column(lambda element: element.in_(values)) if values else \
            (Value(0) == Value(1))
    elif spec.kind == TIME and None in values:
        present = [v for v in values if v is not None]
        expr = spec.column.is_null() | (spec.column.in_(present) if present else
                                         (Value(0) == Value(1)))
    else:
        expr = spec.column.in_(values) if values else (Value(0) == Value(1))
    return ~expr if negate else expr


def build_where(fields: FieldMap, where_and: Any = None, where_or: Any = None,
                where_in: Any = None) -> Node | None:
    """The three filter parameters, combined with AND, as one expression (or ``None``)."""
    parts: list[Node] = []
    for item in parse_filter_param(where_and, "where_and"):
        parts.append(_triple(fields, item, "where_and"))
    ors = [_triple(fields, item, "where_or") for item in parse_filter_param(where_or,
                                                                             "where_or")]
    if ors:
        combined = ors[0]
        for expr in ors[1:]:
            combined = combined | expr
        parts.append(combined)
    for item in parse_filter_param(where_in, "where_in"):
        if not isinstance(item, list) or len(item) != 2:
            raise FieldError("where_in 的每一项应为 [字段, [值1, 值2, ...]]", "where_in")
        parts.append(condition(fields, item[0], "in", item[1], "where_in"))
    if not parts:
        return None
    where = parts[0]
    for expr in parts[1:]:
        where = where & expr
    return where


def _triple(fields: FieldMap, item: Any, param: str) -> Node:
    if not isinstance(item, list) or len(item) != 3:
        raise FieldError(f"{param} 的每一项应为 [字段, 操作符, 值],收到 "
                         f"{json.dumps(item, ensure_ascii=False)[:80]}", param)
    return condition(fields, item[0], item[1], item[2], param)


def build_order(fields: FieldMap, order_by: Any, default: str = "-created") -> list[Node]:
    """``order_by``: a field name, ``-`` for descending; several comma-separated."""
    text = order_by if isinstance(order_by, str) and order_by.strip() else default
    if not isinstance(order_by, str | None):
        raise FieldError("order_by 应为字段名文本,如 \"-created\"", "order_by")
    ordering: list[Node] = []
    for part in text.split(","):
        name = part.strip()
        descending = name.startswith("-")
        name = name.lstrip("-+").strip()
        spec = fields.get(name)
        if spec is None or spec.is_list:
            raise FieldError(f"order_by 的字段 '{name[:60]}' 不能排序,可用:"
                             f"{', '.join(k for k, v in fields.items() if not v.is_list)}",
                             "order_by")
        ordering.append(_ordered(spec.column, descending))
    return ordering


def _ordered(column: Any, descending: bool) -> Node:
    """Empty values last on both engines (PostgreSQL puts them first when descending). A
    column that cannot be empty gets no NULLS clause: PostgreSQL's index on it serves only
    its own order, and ``created DESC NULLS LAST`` sorted all 1,000,000 handles for a page
    (1.1 s against 0.3 ms)."""
    if isinstance(column, Field) and not column.null:
        return column.desc() if descending else column.asc()
    return column.desc(nulls="LAST") if descending else column.asc(nulls="LAST")


def status_case(is_active: Any, cycle_start: Any, due_at: Any, notice_at: Any,
                now: int) -> Case:
    """``domain.status.task_status`` in SQL, built from its ``STATUS_RULE`` step by step,
    with ``now`` as a parameter."""
    tests = {
        status.NOT_RUNNING: (is_active == 0) | cycle_start.is_null(),
        status.DUE_PASSED: due_at.is_null(False) & (due_at <= now),
        status.NOTICE_PASSED: notice_at.is_null(False) & (notice_at <= now),
    }
    return Case(None, [(tests[test], name) for name, test in status.STATUS_RULE],
                status.OTHERWISE)
