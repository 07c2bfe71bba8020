"""Checklists (spec §3, §5): a project's template of ordered items, a handle's results.

A template item is ``{"name", "kind", "unit", "min", "max", "required"}``; ``kind`` is
``check`` (正常/异常), ``measure`` (a number, with a unit and optional limits) or ``text``.
A result keeps a copy of its item as it was when the work was recorded (name, kind, unit,
limits), so editing the template later never changes what a past record says, and whether
it was abnormal: an 异常 check, or a measurement outside its limits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError

CHECK, MEASURE, TEXT = "check", "measure", "text"
KINDS = (CHECK, MEASURE, TEXT)
OK, ABNORMAL = "正常", "异常"
MAX_ITEMS = 100
NAME_MAX = 100
UNIT_MAX = 20
TEXT_MAX = 1000

Item = dict[str, Any]
Result = dict[str, Any]


def _entries(data: Mapping[str, Any], field: str) -> list[Any]:
    """A JSON array, as such or as JSON text (as filters arrive); absent or ``""`` → []."""
    value = data.get(field)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise FieldError.of(say.NOT_JSON_LIST, field) from None
    if not isinstance(value, list):
        raise FieldError.of(say.NOT_A_LIST, field)
    return value


# -- the template ---------------------------------------------------------------------------


def read_checklist(data: Mapping[str, Any], field: str = "checklist") -> list[Item]:
    """The template a create/update request carries; absent or empty → no checklist."""
    entries = _entries(data, field)
    if len(entries) > MAX_ITEMS:
        raise FieldError.of(say.TOO_MANY_ITEMS, field, max_items=MAX_ITEMS)
    items: list[Item] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        item = _read_item(entry, field, position)
        if item["name"] in seen:
            raise FieldError.of(say.CHECKLIST_NAME_TWICE, field, name=item["name"])
        seen.add(item["name"])
        items.append(item)
    return items


def _read_item(entry: Any, field: str, position: int) -> Item:
    if not isinstance(entry, Mapping):
        raise FieldError.of(say.CHECKLIST_ITEM_NOT_OBJECT, field, position=position)
    name = entry.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise FieldError.of(say.CHECKLIST_NAME_REQUIRED, field, position=position)
    if len(name) > NAME_MAX or "\x00" in name:
        raise FieldError.of(say.CHECKLIST_NAME_TOO_LONG, field, position=position,
                            max_len=NAME_MAX)
    kind = entry.get("kind") if entry.get("kind") not in (None, "") else CHECK
    if kind not in KINDS:
        raise FieldError.of(say.CHECKLIST_BAD_KIND, field, name=name, value=str(kind)[:40])
    item: Item = {"name": name, "kind": kind, "unit": "", "min": None, "max": None,
                  "required": bool(entry.get("required"))}
    if kind == MEASURE:
        unit = entry.get("unit")
        unit = unit.strip() if isinstance(unit, str) else ""
        if len(unit) > UNIT_MAX:
            raise FieldError.of(say.CHECKLIST_UNIT_TOO_LONG, field, name=name,
                                max_len=UNIT_MAX)
        low, high = (_limit(entry, key, field, name) for key in ("min", "max"))
        if low is not None and high is not None and low > high:
            raise FieldError.of(say.CHECKLIST_LIMITS_REVERSED, field, name=name,
                                low=_plain(low), high=_plain(high))
        item.update(unit=unit, min=low, max=high)
    return item


def _limit(entry: Mapping[str, Any], key: str, field: str, name: str) -> float | int | None:
    value = entry.get(key)
    if value is None or value == "":
        return None
    number = _number(value)
    if number is None:
        raise FieldError.of(say.CHECKLIST_BAD_LIMIT, field, name=name, key=key,
                            value=str(value)[:40])
    return number


def _number(value: Any) -> float | int | None:
    """A finite number from a JSON number or numeric text, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number) or abs(number) > 1e15:
        return None
    # Whole numbers stay whole on the wire (95, not 95.0), as the other number fields do.
    return int(number) if number.is_integer() else number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# -- the results ----------------------------------------------------------------------------


def read_result_entries(data: Mapping[str, Any],
                        field: str = "checklist_results") -> list[tuple[str, Any]]:
    """``(name, value)`` pairs as a ``v2_handle`` request sends them; the values are
    checked against the project's items by ``evaluate``."""
    entries = _entries(data, field)
    if len(entries) > MAX_ITEMS:
        raise FieldError.of(say.TOO_MANY_ITEMS, field, max_items=MAX_ITEMS)
    pairs: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise FieldError.of(say.RESULT_NOT_OBJECT, field, position=position)
        name = entry["name"].strip()
        if name in seen:
            raise FieldError.of(say.RESULT_TWICE, field, name=name[:NAME_MAX])
        seen.add(name)
        pairs.append((name, entry.get("value")))
    return pairs


def evaluate(entries: Sequence[tuple[str, Any]], template: Sequence[Item],
             field: str = "checklist_results") -> list[Result]:
    """The results of ``entries`` against ``template``, in the template's order, each with
    a copy of its item and whether it is abnormal. An empty value is no result; a required
    item without one, a name not in the template, or a value of the wrong kind is refused,
    naming the item."""
    given = dict(entries)
    known = {item["name"] for item in template}
    for name, _value in entries:
        if name not in known:
            raise FieldError.of(say.RESULT_UNKNOWN_ITEM, field, name=name[:NAME_MAX])
    results: list[Result] = []
    for item in template:
        value = given.get(item["name"])
        if value is None or (isinstance(value, str) and not value.strip()):
            if item.get("required"):
                raise FieldError.of(say.RESULT_REQUIRED, field, name=item["name"])
            continue
        results.append(_result(item, _checked_value(item, value, field)))
    return results


def _checked_value(item: Item, value: Any, field: str) -> Any:
    name, kind = item["name"], item["kind"]
    if kind == CHECK:
        text = value.strip() if isinstance(value, str) else value
        if text not in (OK, ABNORMAL):
            raise FieldError.of(say.RESULT_BAD_CHECK, field, name=name, value=str(value)[:40])
        return text
    if kind == MEASURE:
        number = _number(value)
        if number is None:
            raise FieldError.of(say.RESULT_NOT_NUMBER, field, name=name, value=str(value)[:40])
        return number
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError.of(say.RESULT_NOT_TEXT, field, name=name)
    text = str(value)
    if len(text) > TEXT_MAX or "\x00" in text:
        raise FieldError.of(say.RESULT_TEXT_TOO_LONG, field, name=name, max_len=TEXT_MAX)
    return text


def _result(item: Item, value: Any) -> Result:
    return {"name": item["name"], "kind": item["kind"], "unit": item.get("unit", ""),
            "min": item.get("min"), "max": item.get("max"), "value": value,
            "abnormal": is_abnormal_value(item, value)}


def is_abnormal_value(item: Mapping[str, Any], value: Any) -> bool:
    """An 异常 check, or a measurement below its lower or above its upper limit."""
    if item.get("kind") == CHECK:
        return value == ABNORMAL
    if item.get("kind") == MEASURE and isinstance(value, int | float):
        low, high = item.get("min"), item.get("max")
        return (low is not None and value < low) or (high is not None and value > high)
    return False


def is_abnormal(results: Sequence[Mapping[str, Any]]) -> bool:
    return any(result.get("abnormal") for result in results)


def limits_text(item: Mapping[str, Any]) -> str:
    """``20–80``, ``≤ 95``, ``≥ 0.2`` or ``""``: a measurement's limits, as stored."""
    low, high = item.get("min"), item.get("max")
    if low is not None and high is not None:
        return f"{_plain(float(low))}–{_plain(float(high))}"
    if high is not None:
        return f"≤ {_plain(float(high))}"
    if low is not None:
        return f"≥ {_plain(float(low))}"
    return ""


def value_text(result: Mapping[str, Any]) -> str:
    """A result's value as a person reads it: ``96 ℃``, ``正常``, the text."""
    value = result.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = result.get("unit") or ""
        return f"{_plain(float(value))} {unit}".strip()
    return "" if value is None else str(value)


def summary(results: Sequence[Mapping[str, Any]]) -> str:
    """One line for a CSV cell: ``油位: 正常; 排气温度: 96 ℃ (≤ 95) 异常``; the abnormal
    ones say so, with the limits they broke."""
    parts = []
    for result in results:
        text = f"{result.get('name', '')}: {value_text(result)}"
        if result.get("abnormal") and result.get("kind") == MEASURE:
            text += f" ({limits_text(result)}) {ABNORMAL}"
        parts.append(text)
    return "; ".join(parts)
