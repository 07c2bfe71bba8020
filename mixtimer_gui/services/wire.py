"""Rows → wire records (spec field order and types), and list-request parameters."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mixtimer_gui.domain import cycles, rules
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.clock import format_wire
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import compiled, queries
from mixtimer_gui.store.queries import MAX_PAGE_SIZE, FieldMap, Page, Select

AUDIT = ("organization_id", "created", "created_by", "last_modified", "last_modified_by")


def number(value: float | None) -> int | float | None:
    """A stored REAL as the wire shows it: ``0`` not ``0.0``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def stored_list(text: str | None) -> list[Any]:
    """A list field as stored (JSON text) → a fresh list. The same few lists ("[1, 2]",
    '["张三"]') recur on most handles: parsing each once halves a list page's record time."""
    return list(_parsed_list(text or "[]"))


@functools.lru_cache(maxsize=4096)
def _parsed_list(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text))


def audit(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "organization_id": row["organization_id"],
        "created": format_wire(row["created"]),
        "created_by": row["created_by"],
        "last_modified": format_wire(row["last_modified"]),
        "last_modified_by": row["last_modified_by"],
    }


def project(row: Mapping[str, Any], object_ids: list[str]) -> dict[str, Any]:
    return {
        "uid": row["uid"], "name": row["name"], "alias": row["alias"],
        "description": row["description"], "cycle_type": row["cycle_type"],
        "statistics_id": row["statistics_id"], "period_num": row["period_num"],
        "period_unit": row["period_unit"], "notice_num": row["notice_num"],
        "notice_unit": row["notice_unit"], "guide": row["guide"],
        "object_id_list": object_ids, "is_active": row["is_active"],
        **audit(row),
        "anchor_type": row["anchor_type"],
        "statistics_period_num": number(row["statistics_period_num"]),
        "checklist": stored_json(row["checklist"]),
    }


def stored_json(text: str | None) -> list[Any]:
    """A JSON list column (a checklist, its results) → a fresh list of fresh dicts."""
    return json.loads(text or "[]")


def task(row: Mapping[str, Any]) -> dict[str, Any]:
    # 先到周期 shows both limits: ``due_at`` is its time limit (``time_due_at``); the
    # stored ``due_at``, the earlier limit, drives ``status`` and ``notice_at``.
    first = row["cycle_type"] == cycles.FIRST
    statistic = first or row["cycle_type"] == cycles.STATISTIC
    return {
        "uid": row["uid"], "description": row["description"],
        "project_id": row["project_id"], "project_name": row["project_name"],
        "project_alias": row["project_alias"], "object_id": row["object_id"],
        "object_name": row["object_name"], "object_alias": row["object_alias"],
        "cycle_type": row["cycle_type"], "statistics_id": row["statistics_id"],
        "period_num": row["period_num"], "period_unit": row["period_unit"],
        "notice_num": row["notice_num"], "notice_unit": row["notice_unit"],
        "guide": row["guide"],
        **audit(row),
        "is_active": row["is_active"], "anchor_type": row["anchor_type"],
        "cycle_start": format_wire(row["cycle_start"]),
        "due_at": format_wire(row["time_due_at"] if first else row["due_at"]),
        "notice_at": format_wire(row["notice_at"]),
        "status": row["status"],
        "start_value": number(row["start_value"]) if statistic else None,
        "current_value": number(row["current_value"]) if statistic else None,
        "due_value": number(row["due_value"]) if statistic else None,
        "last_handle_at": format_wire(row["last_handle_at"]),
        "due_value_at": format_wire(row["due_value_at"]),
        "due_by": row["due_by"],
        "statistics_period_num": number(row["statistics_period_num"]),
    }


def handle(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "uid": row["uid"], "description": row["description"], "task_id": row["task_id"],
        "project_id": row["project_id"], "project_alias": row["project_alias"],
        "project_name": row["project_name"], "object_id": row["object_id"],
        "object_name": row["object_name"], "object_alias": row["object_alias"],
        "handler_id_list": stored_list(row["handler_id_list"]),
        "handler_name_list": stored_list(row["handler_name_list"]),
        "fee": number(row["fee"]), "result": row["result"], "images": row["images"],
        **audit(row),
        "is_ignored": row["is_ignored"], "due_at": format_wire(row["due_at"]),
        "skipped_cycles": row["skipped_cycles"],
        "handled_at": format_wire(row["handled_at"] if row["handled_at"] is not None
                                  else row["created"]),
        "is_voided": row["is_voided"], "void_reason": row["void_reason"],
        "voided_at": format_wire(row["voided_at"]), "voided_by": row["voided_by"],
        "checklist_results": stored_json(row["checklist_results"]),
        "is_abnormal": row["is_abnormal"],
    }


def history_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"uid": row["id"], "time": format_wire(row["time"]),
            "operator_id": row["operator_id"], "operator_name": row["operator_name"],
            "source": row["source"], "action": row["action"], "entity": row["entity"],
            "entity_uid": row["entity_uid"], "changes": json.loads(row["changes"] or "{}")}


def maintenance_object(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"uid": row["uid"], "name": row["name"], "alias": row["alias"],
            "description": row["description"], "location": row["location"], **audit(row)}


def statistic(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"uid": row["uid"], "name": row["name"], "alias": row["alias"],
            "unit": row["unit"], "description": row["description"], **audit(row)}


def reading(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"statistics_id": row["statistics_id"], "time": format_wire(row["time"]),
            "value": number(row["value"]), "created": format_wire(row["created"])}


def handler(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "created": format_wire(row["created"])}


# -- list requests --------------------------------------------------------------------------


def page_params(data: Mapping[str, Any]) -> tuple[int, int]:
    """``page_index`` (≥ 1, default 1) and ``page_size`` (1–1000, default 10, capped)."""
    size = rules.read_int(data, "page_size", default=10)
    if size < 1:
        raise FieldError.of(say.PAGE_SIZE_OUT_OF_RANGE, "page_size", maximum=MAX_PAGE_SIZE,
                            value=size)
    index = rules.read_int(data, "page_index", default=1)
    if index < 1:
        raise FieldError.of(say.PAGE_INDEX_TOO_SMALL, "page_index", value=index)
    return index, min(size, MAX_PAGE_SIZE)


def page_result(result: Page, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"page_index": result.page_index, "page_size": result.page_size,
            "total_pages": result.total_pages, "total_records": result.total_records,
            "data": records}


def list_page(ctx: ServiceContext, query: Select, fields: FieldMap,
              data: Mapping[str, Any], to_wire: Callable[[Mapping[str, Any]], dict[str, Any]],
              *, id_column: Any, order_default: str = queries.DEFAULT_ORDER,
              extra: Iterable[Any] = (), count: bool = True,
              cache_as: str | None = None) -> dict[str, Any]:
    """A list request end to end: ``where_*`` on ``fields`` (plus ``extra`` conditions),
    ``order_by`` (``order_default`` when absent), one page, its records as ``to_wire``.

    ``cache_as`` names the list when ``query`` and ``extra`` are always the same for it:
    its compiled statements are then kept (``store.compiled``)."""
    index, size = page_params(data)
    extra = tuple(extra)
    key = None if cache_as is None or extra else compiled.list_key(
        cache_as, data, page_index=index, page_size=size, count=count,
        order_default=order_default)

    def plan() -> queries.PagePlan:
        filtered = queries.filtered(query, fields, where_and=data.get("where_and"),
                                    where_or=data.get("where_or"),
                                    where_in=data.get("where_in"), extra=extra)
        return queries.page_plan(filtered, fields, page_index=index, page_size=size,
                                 order_by=data.get("order_by") or order_default,
                                 id_column=id_column, count=count)

    with ctx.read():
        result = queries.run_plan(ctx.store.db, compiled.cached_plan(ctx.store, key, plan))
    return page_result(result, [to_wire(r) for r in result.rows])
