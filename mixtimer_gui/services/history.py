"""操作日志 (spec §8): who changed what, when, from where — one row per entity a write changed.

Each service write calls ``record`` inside its own transaction, so the row commits with the
change and a refused or failed write leaves none. ``changes`` keeps only the fields that
differ, ``{field: [before, after]}``, in wire shape (times as wire text); a creation has
``None`` before, a deletion ``None`` after.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.domain.clock import format_wire

WINDOW, API, CLI, IMPORT = "window", "api", "cli", "import"
SOURCES = (WINDOW, API, CLI, IMPORT)

# Entities as the history names them (``entity`` column).
PROJECT, TASK, HANDLE, OBJECT, STATISTIC, HANDLER, CHANNEL = (
    "project", "task", "handle", "object", "statistics", "handler", "notify_channel")

# Bookkeeping that changes with every write and says nothing a reader needs twice, and a
# task's grid internals (derived from what is shown; they made a handle's rows a quarter
# larger).
_NOT_SHOWN = frozenset({"id", "last_modified", "last_modified_by", "prior_state",
                        "grid_anchor", "cycle_index", "base_value"})


@dataclass(frozen=True)
class Actor:
    """Who writes and through what: the workstation's operator in the window, the request's
    ``created_by`` through the API (``operator_id`` 0 here: the request says)."""

    source: str = WINDOW
    operator_id: int = 0
    operator_name: str = ""


def changes(before: Mapping[str, Any] | None,
            after: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that differ (all of them on a creation
    or a deletion)."""
    old, new = dict(before or {}), dict(after or {})
    result: dict[str, list[Any]] = {}
    for name in dict.fromkeys([*old, *new]):
        if name in _NOT_SHOWN:
            continue
        was, now = old.get(name), new.get(name)
        if before is not None and after is not None and was == now:
            continue
        if before is None and now in (None, "", [], 0) and name != "uid":
            continue  # a creation lists what it set, not every empty default
        result[name] = [was if before is not None else None,
                        now if after is not None else None]
    return result


# Stored moments that the history shows as wire time.
_TIMES = frozenset({"created", "cycle_start", "grid_anchor", "due_at", "notice_at",
                    "last_handle_at", "handled_at", "voided_at", "time"})


def model_values(row: Any) -> dict[str, Any] | None:
    """Every field of a model instance (``None`` stays ``None``: nothing there)."""
    if row is None:
        return None
    names = tuple(name for name in row._meta.sorted_field_names if name not in _NOT_SHOWN)
    return row_values(row, names, tuple(n for n in names if n in _TIMES))


def row_values(row: Any, fields: tuple[str, ...], times: tuple[str, ...] = ()) -> dict[str, Any]:
    """Plain values of a model instance, times as wire text, for ``changes``."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(row, name)
        if name in times:
            value = format_wire(value)
        elif name.endswith("_list") and isinstance(value, str):
            value = json.loads(value or "[]")
        elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)  # as the wire shows it: 100, not 100.0
        values[name] = value
    return values

