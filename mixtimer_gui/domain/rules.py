"""Field rules of the action spec (§2–§7), shared by the API, the GUI forms and the CLI.

Every function takes the wire-shaped ``dict`` a client sent (or a form built) and returns
clean Python values, or raises ``FieldError`` whose message names the wire field and says what
to do. Messages are Chinese, like the rest of the wire, with the field name verbatim; their
templates are in ``domain.messages``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.domain import checklists, clock, cycles, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError

NAME_MAX = 100
TEXT_MAX = 10_000
MAX_INT = 2**31 - 1
# Beyond this no field holds a number (the largest, fee and readings, stop at 1e15), and a
# float no longer counts every integer: the limit _as_number refuses above.
EXACT_MAX = 2**53
# What an ignore records as its result; lists and exports tell ignores apart by it.
IGNORED_RESULT = "忽略"


# -- scalar readers -------------------------------------------------------------------------


def read_text(data: Mapping[str, Any], field: str, *, required: bool = False,
              max_len: int = TEXT_MAX, strip: bool = False) -> str:
    """A string field; ``null``/absent is ``""``. Numbers are accepted and kept as text."""
    value = data.get(field)
    if value is None:
        value = ""
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError.of(say.NOT_TEXT, field)
    elif not isinstance(value, str):
        value = _number_text(value, field)
    if strip:
        value = value.strip()
    if required and not value.strip():
        raise FieldError.of(say.REQUIRED, field)
    if len(value) > max_len:
        raise FieldError.of(say.TOO_LONG, field, length=len(value), max_len=max_len)
    if "\x00" in value:
        raise FieldError.of(say.NUL_CHARACTER, field)
    return value


def _number_text(value: int | float, field: str) -> str:
    """A number sent where text is wanted, kept as its text; one too large for a float
    (it parsed to infinity) has no text to keep."""
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError.of(say.NUMBER_TOO_LARGE, field)
    return str(value)


def read_int(data: Mapping[str, Any], field: str, *, default: int | None = None,
             minimum: int | None = None) -> int:
    """An integer field; a numeric string such as ``"2"`` is accepted."""
    value = data.get(field)
    if value is None or value == "":
        if default is None:
            raise FieldError.of(say.INTEGER_REQUIRED, field)
        return default
    number = _as_number(value, field, integer=True)
    if not float(number).is_integer():
        raise FieldError.of(say.NOT_INTEGER, field, value=value)
    result = int(number)
    if abs(result) > MAX_INT:
        raise FieldError.of(say.INTEGER_TOO_LARGE, field, maximum=MAX_INT)
    if minimum is not None and result < minimum:
        raise FieldError.of(say.BELOW_MINIMUM, field, minimum=minimum, value=result)
    return result


def read_number(data: Mapping[str, Any], field: str, *, default: float | None = None,
                minimum: float | None = None) -> float:
    value = data.get(field)
    if value is None or value == "":
        if default is None:
            raise FieldError.of(say.NUMBER_REQUIRED, field)
        return default
    result = float(_as_number(value, field, integer=False))
    if minimum is not None and result < minimum:
        raise FieldError.of(say.BELOW_MINIMUM, field, minimum=_plain(minimum),
                            value=_plain(result))
    if abs(result) > 1e15:
        raise FieldError.of(say.NUMBER_TOO_LARGE, field)
    return result


def _as_number(value: Any, field: str, *, integer: bool) -> int | float:
    """A JSON number or numeric string as a number every caller can compare and convert.

    The one place a number from outside is let in: an integer too long for a float
    (``10**400``), an overflowing literal or string (``1e309``, ``"1e400"``, which parse to
    infinity) and NaN are refused here, naming the field, so no reader below ever meets a
    value ``float()`` or ``int()`` would raise on.
    """
    if isinstance(value, bool):
        raise FieldError.of(say.INTEGER_NOT_BOOLEAN if integer else say.NUMBER_NOT_BOOLEAN,
                            field)
    if isinstance(value, int | float):
        number: int | float = value
    elif isinstance(value, str):
        try:
            number = float(value.strip()) if value.strip() else math.nan
        except ValueError:
            raise FieldError.of(say.NOT_INTEGER if integer else say.NOT_NUMBER, field,
                                value=value) from None
    else:
        raise FieldError.of(say.INTEGER_WRONG_TYPE if integer else say.NUMBER_WRONG_TYPE,
                            field)
    if isinstance(number, float) and math.isnan(number):
        raise FieldError.of(say.INTEGER_NOT_FINITE if integer else say.NUMBER_NOT_FINITE,
                            field, value=_shown(value))
    if abs(number) > EXACT_MAX:  # infinity too; compared as int or float, never converted
        raise (FieldError.of(say.INTEGER_TOO_LARGE, field, maximum=MAX_INT) if integer
               else FieldError.of(say.NUMBER_TOO_LARGE, field))
    return number


def _shown(value: Any) -> Any:
    return value[:40] if isinstance(value, str) else value  # the sentence stays short


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def read_choice(data: Mapping[str, Any], field: str, choices: tuple[str, ...], *,
                default: str | None = None, synonyms: Mapping[str, str] | None = None) -> str:
    value = read_text(data, field, strip=True)
    if not value and default is not None:
        return default
    value = (synonyms or {}).get(value, value)
    if value not in choices:
        shown = "、".join(f"'{c}'" for c in choices)
        raise FieldError.of(say.NOT_ONE_OF, field, choices=shown, value=value)
    return value


def _list_value(data: Mapping[str, Any], field: str) -> list[Any]:
    value = data.get(field)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested too deep
                raise FieldError.of(say.NOT_JSON_LIST, field) from None
        else:
            value = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, list):
        raise FieldError.of(say.NOT_A_LIST, field)
    return value


def read_str_list(data: Mapping[str, Any], field: str, *, max_items: int = 1000) -> list[str]:
    items = _list_value(data, field)
    result: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise FieldError.of(say.ITEMS_NOT_TEXT, field)
        text = item if isinstance(item, str) else _number_text(item, field)
        if "\x00" in text or len(text) > 200:
            raise FieldError.of(say.ITEM_TOO_LONG, field)
        result.append(text)
    if len(result) > max_items:
        raise FieldError.of(say.TOO_MANY_ITEMS, field, max_items=max_items)
    return result


def read_int_list(data: Mapping[str, Any], field: str) -> list[int]:
    items = _list_value(data, field)
    result = []
    for index, item in enumerate(items):
        result.append(read_int({field: item}, field) if item != "" else _missing(field, index))
    if len(result) > 1000:
        raise FieldError.of(say.TOO_MANY_ITEMS, field, max_items=1000)
    return result


def _missing(field: str, index: int) -> int:
    raise FieldError.of(say.EMPTY_ITEM, field, position=index + 1)


def read_time(data: Mapping[str, Any], field: str) -> int | None:
    """A wire time ``YYYY-MM-DD HH:MM:SS``; absent or empty → ``None``."""
    text = read_text(data, field, strip=True)
    if not text:
        return None
    try:
        return clock.parse_wire(text)
    except (ValueError, OverflowError, OSError):
        raise FieldError.of(say.BAD_TIME, field, text=text) from None


def read_client_uid(data: Mapping[str, Any], field: str = "uid") -> str:
    """An optional client-given uid; ``""`` means "generate one"."""
    uid = read_text(data, field, strip=True)
    if uid and not uids.is_valid_client_uid(uid):
        raise FieldError.of(say.BAD_UID, field)
    return uid


def read_uid(data: Mapping[str, Any], field: str = "uid") -> str:
    uid = read_text(data, field, strip=True, max_len=64)
    if not uid:
        raise FieldError.of(say.UID_REQUIRED, field)
    return uid


def read_audit(data: Mapping[str, Any]) -> tuple[str, int]:
    """``organization_id`` and the operator id (``created_by``/``last_modified_by``)."""
    org = read_text(data, "organization_id", max_len=64)
    operator = read_int(data, "last_modified_by", default=read_int(data, "created_by",
                                                                     default=0))
    return org, operator


def dedupe(items: list[str]) -> list[str]:
    """Duplicates removed, first occurrence kept in place."""
    return list(dict.fromkeys(items))


# -- entity inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectInput:
    uid: str
    name: str
    alias: str
    description: str
    cycle_type: str
    statistics_id: str
    period_num: int
    period_unit: str
    notice_num: int
    notice_unit: str
    guide: str
    anchor_type: str
    object_id_list: list[str]
    organization_id: str
    operator: int
    statistics_period_num: float = 0.0
    checklist: list[checklists.Item] = dataclasses.field(default_factory=list)

    @property
    def rule(self) -> cycles.CycleRule:
        return cycles.CycleRule(self.cycle_type, self.period_num, self.period_unit,
                                self.notice_num, self.notice_unit, self.anchor_type,
                                self.statistics_period_num)


def project_input(data: Mapping[str, Any]) -> ProjectInput:
    """Validate a create/update request (spec §3)."""
    name = read_text(data, "name", required=True, max_len=NAME_MAX, strip=True)
    cycle_type = read_choice(data, "cycle_type", cycles.CYCLE_TYPES,
                             synonyms={cycles.STATISTIC_SYNONYM: cycles.STATISTIC})
    period_num = read_int(data, "period_num", minimum=1)
    calendar = cycle_type in (cycles.NATURAL, cycles.FIRST)
    if calendar:
        unit = read_text(data, "period_unit", strip=True)
        if not unit:
            raise FieldError.of(say.PERIOD_UNIT_REQUIRED, "period_unit")
        period_unit = read_choice(data, "period_unit", cycles.PERIOD_UNITS)
    else:
        period_unit = read_text(data, "period_unit", strip=True, max_len=10)
    notice_num = read_int(data, "notice_num", default=0, minimum=0)
    notice_unit = read_choice(data, "notice_unit", cycles.NOTICE_UNITS, default=cycles.DAY)
    if calendar:
        _check_span("period_num", period_num, period_unit)
    _check_span("notice_num", notice_num, notice_unit)
    objects = dedupe(read_str_list(data, "object_id_list"))
    for object_id in objects:
        if not uids.is_valid_client_uid(object_id):
            raise FieldError.of(say.BAD_OBJECT_ID, "object_id_list", object_id=object_id[:40])
    org, operator = read_audit(data)
    return ProjectInput(
        uid=read_client_uid(data),
        name=name,
        alias=read_text(data, "alias", max_len=NAME_MAX),
        description=read_text(data, "description"),
        cycle_type=cycle_type,
        statistics_id=read_text(data, "statistics_id", strip=True, max_len=64),
        period_num=period_num,
        period_unit=period_unit,
        notice_num=notice_num,
        notice_unit=notice_unit,
        guide=read_text(data, "guide"),
        anchor_type=read_choice(data, "anchor_type", cycles.ANCHOR_TYPES,
                                default=cycles.BY_COMPLETION),
        object_id_list=objects,
        organization_id=org,
        operator=operator,
        statistics_period_num=_meter_interval(data, cycle_type),
        checklist=checklists.read_checklist(data),
    )


def _meter_interval(data: Mapping[str, Any], cycle_type: str) -> float:
    """``statistics_period_num``: required (> 0) for 先到周期; other cycle types ignore it
    (stored as 0), though a value it could never hold is refused whatever the type."""
    number = read_number(data, "statistics_period_num", default=0.0, minimum=0)
    if cycle_type != cycles.FIRST:
        return 0.0
    if number <= 0:
        raise FieldError.of(say.METER_PERIOD_REQUIRED, "statistics_period_num")
    return number


def _check_span(field: str, count: int, unit: str) -> None:
    limit = cycles.MAX_PERIOD[unit]
    if count > limit:
        raise FieldError.of(say.SPAN_TOO_LONG, field, unit=unit, limit=limit)


@dataclass(frozen=True)
class HandleInput:
    uid: str
    task_id: str
    description: str
    handler_id_list: list[int]
    handler_name_list: list[str]
    fee: float
    result: str
    images: str
    organization_id: str
    operator: int
    handled_at: int | None = None  # back-dated work; None: now
    checklist_results: list[tuple[str, Any]] = dataclasses.field(default_factory=list)


def handle_input(data: Mapping[str, Any], *, ignoring: bool = False) -> HandleInput:
    """Validate ``v2_handle`` / ``v2_handle_ignore`` (spec §5)."""
    task_id = read_uid(data, "task_id")
    org, operator = read_audit(data)
    if ignoring:
        return HandleInput(read_client_uid(data), task_id, read_text(data, "description"),
                           [], [], 0.0, IGNORED_RESULT, "", org, operator,
                           read_time(data, "handled_at"))
    ids = read_int_list(data, "handler_id_list")
    names = read_str_list(data, "handler_name_list")
    if ids and names and len(ids) != len(names):
        raise FieldError.of(say.LIST_LENGTHS_DIFFER, "handler_name_list", ids=len(ids),
                            names=len(names))
    return HandleInput(
        uid=read_client_uid(data),
        task_id=task_id,
        description=read_text(data, "description"),
        handler_id_list=ids,
        handler_name_list=names,
        fee=read_number(data, "fee", default=0.0, minimum=0),
        result=read_text(data, "result"),
        images=read_images(data),
        organization_id=org,
        operator=operator,
        handled_at=read_time(data, "handled_at"),
        checklist_results=checklists.read_result_entries(data),
    )


# How far a done-at time may lie ahead of this workstation's clock: another machine's
# clock, or a form opened a minute ago, is a little ahead; a wrong day is refused.
CLOCK_SKEW_SECONDS = 5 * 60


def check_handled_at(handled_at: int | None, now: int, earliest: int | None) -> int:
    """The moment a handle closes its cycle: ``handled_at`` when given (back-dated work),
    else ``now``. Not in the future beyond the skew, not before ``earliest`` (the task's
    previous handle or its cycle start)."""
    if handled_at is None:
        return now
    if handled_at > now + CLOCK_SKEW_SECONDS:
        raise FieldError.of(say.HANDLED_AT_IN_FUTURE, "handled_at",
                            now=clock.format_wire(now), moment=clock.format_wire(handled_at),
                            skew_minutes=CLOCK_SKEW_SECONDS // 60)
    if earliest is not None and handled_at < earliest:
        raise FieldError.of(say.HANDLED_AT_TOO_EARLY, "handled_at",
                            earliest=clock.format_wire(earliest),
                            moment=clock.format_wire(handled_at))
    return handled_at


@dataclass(frozen=True)
class HandleCorrection:
    """``update_v2_handle``: only the fields given change (``None``: keep)."""

    uid: str
    description: str | None
    result: str | None
    fee: float | None
    handler_id_list: list[int] | None
    handler_name_list: list[str] | None
    images: str | None
    operator: int


def handle_correction(data: Mapping[str, Any]) -> HandleCorrection:
    """Validate ``update_v2_handle`` (spec §8): uid + any of the record's own fields."""
    _org, operator = read_audit(data)
    uid = read_uid(data)
    ids = read_int_list(data, "handler_id_list") if "handler_id_list" in data else None
    names = read_str_list(data, "handler_name_list") if "handler_name_list" in data else None
    if ids and names and len(ids) != len(names):
        raise FieldError.of(say.LIST_LENGTHS_DIFFER, "handler_name_list", ids=len(ids),
                            names=len(names))
    return HandleCorrection(
        uid=uid,
        description=read_text(data, "description") if "description" in data else None,
        result=read_text(data, "result") if "result" in data else None,
        fee=read_number(data, "fee", default=0.0, minimum=0) if "fee" in data else None,
        handler_id_list=ids, handler_name_list=names,
        images=read_images(data) if "images" in data else None,
        operator=operator)


def void_input(data: Mapping[str, Any]) -> tuple[str, str, int]:
    """``void_v2_handle``: uid, the reason (required), the operator."""
    _org, operator = read_audit(data)
    uid = read_uid(data)
    reason = read_text(data, "reason", required=True, strip=True)
    return uid, reason, operator


def read_images(data: Mapping[str, Any]) -> str:
    value = data.get("images")
    if isinstance(value, list):
        parts = read_str_list(data, "images")
        return ";".join(p for p in parts if p)
    return read_text(data, "images")


@dataclass(frozen=True)
class ObjectInput:
    uid: str
    name: str
    alias: str
    description: str
    location: str
    organization_id: str
    operator: int


def object_input(data: Mapping[str, Any]) -> ObjectInput:
    org, operator = read_audit(data)
    return ObjectInput(read_client_uid(data),
                       read_text(data, "name", required=True, max_len=NAME_MAX, strip=True),
                       read_text(data, "alias", max_len=NAME_MAX),
                       read_text(data, "description"),
                       read_text(data, "location", max_len=200), org, operator)


@dataclass(frozen=True)
class StatisticInput:
    uid: str
    name: str
    alias: str
    unit: str
    description: str
    organization_id: str
    operator: int


def statistic_input(data: Mapping[str, Any]) -> StatisticInput:
    org, operator = read_audit(data)
    return StatisticInput(read_client_uid(data),
                          read_text(data, "name", required=True, max_len=NAME_MAX, strip=True),
                          read_text(data, "alias", max_len=NAME_MAX),
                          read_text(data, "unit", max_len=20, strip=True),
                          read_text(data, "description"), org, operator)


# A reading dated further ahead than this is a typing mistake (2042 for 2024): accepting it
# would refuse every later real reading by the non-decreasing rule, with no way to undo it.
READING_FUTURE_TOLERANCE_S = 86400


def check_reading_time(moment: int, now: int) -> None:
    """A meter reading's ``time`` may not lie more than a day after ``now``."""
    if moment > now + READING_FUTURE_TOLERANCE_S:
        raise FieldError.of(say.READING_TOO_FAR_AHEAD, "time", moment=clock.format_wire(moment))
