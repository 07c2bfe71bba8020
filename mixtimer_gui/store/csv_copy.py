"""The handle CSV formatted by PostgreSQL: ``COPY (SELECT …) TO STDOUT (FORMAT csv)``.

On a team database an export of a million handles spent most of its time formatting rows in
Python. Here the server writes each row in the file's own dialect (``exports.csv_export``):
text cells neutralised (``exports.cells.neutralise``: a leading ``'`` before ``= + - @``, tab,
CR, or quotes before one) and always quoted (``FORCE_QUOTE``), numbers bare, an empty cell
as ``""`` (PostgreSQL quotes an empty string; nothing here is NULL), local wall times in the
zone named by the caller, lists joined by ``;``, the checklist summary of
``domain.checklists.summary`` through jsonb. The caller turns each row's LF into CR LF.

Every expression reproduces the Python writer's text for the values the program stores.
Where the two could differ (a number Python would write in another notation, a JSON value of
an unexpected type, a moment outside the years whose wall times were compared, text that is
not JSON) the expression divides by zero on purpose: the statement fails with a data
exception, and the caller writes the whole file the Python way instead
(``RefusedByServer``). Such data does not come from the program, so that costs nothing in
practice and keeps the bytes equal always.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from peewee import Select

from mixtimer_gui.store.models import Store


class RefusedByServer(Exception):
    """The server found a value it cannot format as the Python writer would (see above)."""


@dataclass(frozen=True)
class CopyFormat:
    """How the file reads: ``zone`` an IANA name the server knows; ``wire`` the header of
    wire names (yes/no as bare 1/0) rather than Chinese titles (是/否); ``image_folder`` the
    pictures' folder with its trailing separator, ``None`` to keep stored names as they are;
    ``whitespace`` every character Python's ``str.strip`` removes (``str.isspace``);
    ``first``/``last`` the moments between which the server's wall times were found to be
    Python's (a moment outside refuses)."""

    zone: str
    wire: bool
    image_folder: str | None
    whitespace: str
    first: int = 0
    last: int = 0


# The columns of the file in order (``exports.csv_export.COLUMNS``), each an expression over
# the raw row ``h`` (``services.export_source.EXPORT_COLUMNS``), and whether it is text
# (always quoted).
_TEXT = ("uid", "task_id", "project_id", "project_name", "project_alias", "object_id",
         "object_name", "object_alias")
_FAIL = "(length({x}::text) / 0)::text"  # never folded at plan time: depends on the row


def _literal(text: str) -> str:
    # '%' doubled: psycopg merges the filters' parameters into the statement
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _neutralised(x: str) -> str:
    # cells.neutralise: a formula start, or quotes followed by one, gets one more quote
    starts = "(9, 13, 43, 45, 61, 64)"  # tab, CR, + - = @
    return (f"(CASE WHEN ascii({x}) IN {starts} OR (ascii({x}) = 39 AND "
            f"ascii(ltrim({x}, '''')) IN {starts}) THEN '''' || {x} ELSE {x} END)")


def _guard(x: str) -> str:
    """The quote ``neutralise`` puts before a text starting as ``x`` does ('' or "'"): the
    plain lists' text starts as the stored text after its opening bracket and quote, and
    the characters that then differ (a quote, ';') are no formula starts either way."""
    starts = "(9, 13, 43, 45, 61, 64)"
    return (f"(CASE WHEN ascii({x}) IN {starts} OR (ascii({x}) = 39 AND "
            f"ascii(ltrim({x}, '''')) IN {starts}) THEN '''' ELSE '' END)")


def _time(x: str, fmt: CopyFormat) -> str:
    return (f"(CASE WHEN {x} IS NULL THEN '' WHEN {x} BETWEEN {fmt.first} AND {fmt.last} "
            # timestamp's own text (DateStyle ISO): YYYY-MM-DD HH:MM:SS, faster than to_char
            f"THEN (to_timestamp({x}) AT TIME ZONE {_literal(fmt.zone)})::text "
            f"ELSE {_FAIL.format(x=x)} END)")


def _fee(x: str) -> str:
    # cells.plain_number: a whole number as an integer; otherwise repr(), which is the
    # server's shortest float8 text (extra_float_digits = 1) between 1e-4 and 1e15
    return (f"(CASE WHEN {x} = trunc({x}) AND abs({x}) < 9007199254740992 "
            f"THEN trunc({x})::bigint::text "
            f"WHEN abs({x}) >= 0.0001 AND abs({x}) < 1e15 AND {x}::text !~ '[eE]' "
            f"THEN {x}::text ELSE {_FAIL.format(x=x)} END)")


# What json.dumps writes for a list of whole numbers, or of names without quotes or
# backslashes: joined by string operations, no JSON parsing (most handles' lists)
# (json.loads reads "-0" as 0 and refuses "01": such lists take the JSON way)
_PLAIN_IDS = "'^\\[(0|-?[1-9][0-9]*)(, (0|-?[1-9][0-9]*))*\\]$'"
# (no control characters either: json.loads refuses them raw, and then shows the stored text)
_PLAIN_NAMES = "'^\\[\"[^\"\\\\\\x01-\\x1f]*\"(, \"[^\"\\\\\\x01-\\x1f]*\")*\\]$'"


def _list(x: str) -> str:
    # cells.ListJoiner, neutralised: a JSON list's items joined by ';' (null as nothing);
    # an item of another kind than text, null or a whole number (written without '.' or
    # an exponent, which Python reads as a float), or text that is not a list, refuses.
    # The neutralising sits inside the subquery so that the list is joined once (around
    # it, each mention of the subquery would run it again).
    joined = "coalesce(string_agg(" \
        "CASE jsonb_typeof(e) WHEN 'string' THEN e #>> '{}' WHEN 'null' THEN '' " \
        f"WHEN 'number' THEN CASE WHEN e::text ~ '^-?[0-9]+$' AND {x} !~ '[.eE]' " \
        "THEN e::text " \
        f"ELSE {_FAIL.format(x='e')} END ELSE {_FAIL.format(x='e')} END, ';' ORDER BY o), '')"
    return (f"(CASE WHEN {x} IN ('[]', '') THEN '' "
            f"WHEN {x} ~ {_PLAIN_IDS} THEN {_guard(f'substr({x}, 2)')} "
            f"|| replace(substr({x}, 2, length({x}) - 2), {_C}, {_S}) "
            f"WHEN {x} ~ {_PLAIN_NAMES} THEN {_guard(f'substr({x}, 3)')} "
            f"|| replace(substr({x}, 3, length({x}) - 4), {_Q}, {_S}) "
            f"ELSE (SELECT {_neutralised(joined)} "
            f"FROM jsonb_array_elements({x}::jsonb) WITH ORDINALITY AS l(e, o)) END)")


_Q, _C, _S = "'\", \"'", "', '", "';'"


def _yes_no(x: str, wire: bool) -> str:
    if wire:  # a bare 1 / 0; empty (quoted by the server) when unknown
        return f"(CASE WHEN {x} IS NULL THEN '' WHEN {x} <> 0 THEN '1' ELSE '0' END)"
    return f"(CASE WHEN {x} IS NULL THEN '' WHEN {x} <> 0 THEN '是' ELSE '否' END)"


def _on_time(wire: bool) -> str:
    yes, no = ("'1'", "'0'") if wire else ("'是'", "'否'")
    return (f"(CASE WHEN h.due_at IS NULL OR h.is_ignored <> 0 THEN '' "
            f"WHEN h.handled_at <= h.due_at THEN {yes} ELSE {no} END)")


def _pictures(x: str, fmt: CopyFormat) -> str:
    if fmt.image_folder is None:
        return _neutralised(x)
    # ImagePaths: each ';'-part stripped (the characters str.strip removes), blanks dropped,
    # a stored name as its file's path (not a URL, no '/', not starting with '.'), the
    # first of repeated paths kept
    part = "btrim(p, " + _literal(fmt.whitespace) + ")"
    path = (f"CASE WHEN left(lower({part}), 8) = 'https://' OR left(lower({part}), 7) "
            f"= 'http://' OR strpos({part}, '/') > 0 OR left({part}, 1) = '.' "
            f"THEN {part} ELSE {_literal(fmt.image_folder)} || {part} END")
    joined = "coalesce(string_agg(q, ';' ORDER BY n), '')"
    return (f"(CASE WHEN {x} = '' THEN '' ELSE (SELECT {_neutralised(joined)} "
            f"FROM (SELECT q, min(o) AS n FROM (SELECT {path} AS q, o FROM "
            f"unnest(string_to_array({x}, ';')) WITH ORDINALITY AS s(p, o) "
            f"WHERE {part} <> '') AS named GROUP BY q) AS firsts) END)")


def _plain(n: str) -> str:
    # checklists._plain(float(n)) of a jsonb number n
    return (f"(CASE WHEN {n} = trunc({n}) AND abs({n}) < 1e15 THEN trunc({n})::text "
            f"WHEN abs({n}) >= 0.0001 AND abs({n}) < 1e15 AND {n}::text = {n}::float8::text "
            f"THEN {n}::text ELSE {_FAIL.format(x=n)} END)")


def _number_of(r: str, key: str) -> str:
    return (f"(CASE jsonb_typeof({r}->'{key}') WHEN 'number' "
            f"THEN {_plain(f'({r}->>{_literal(key)})::numeric')} "
            f"ELSE {_FAIL.format(x=r)} END)")


def _summary(x: str, fmt: CopyFormat) -> str:
    """``domain.checklists.summary`` of the stored results, in SQL, neutralised."""
    r = "r"
    name = (f"(CASE jsonb_typeof({r}->'name') WHEN 'string' THEN {r}->>'name' "
            f"ELSE CASE WHEN {r} ? 'name' THEN {_FAIL.format(x=r)} ELSE '' END END)")
    unit = (f"(CASE WHEN coalesce(jsonb_typeof({r}->'unit'), 'null') = 'null' THEN '' "
            f"WHEN jsonb_typeof({r}->'unit') = 'string' THEN {r}->>'unit' "
            f"ELSE {_FAIL.format(x=r)} END)")
    number = _plain(f"({r}->>'value')::numeric")
    value = (f"(CASE coalesce(jsonb_typeof({r}->'value'), 'null') WHEN 'null' THEN '' "
             f"WHEN 'string' THEN {r}->>'value' "
             # f"{number} {unit}".strip(): the number has no space at either end
             f"WHEN 'number' THEN rtrim({number} || ' ' || {unit}, {_literal(fmt.whitespace)}) "
             f"ELSE {_FAIL.format(x=r)} END)")
    low_given = f"coalesce(jsonb_typeof({r}->'min'), 'null') <> 'null'"
    high_given = f"coalesce(jsonb_typeof({r}->'max'), 'null') <> 'null'"
    low, high = _number_of(r, "min"), _number_of(r, "max")
    limits = (f"(CASE WHEN {low_given} AND {high_given} THEN {low} || '–' || {high} "
              f"WHEN {high_given} THEN '≤ ' || {high} WHEN {low_given} THEN '≥ ' || {low} "
              "ELSE '' END)")
    abnormal = (f"(CASE coalesce(jsonb_typeof({r}->'abnormal'), 'null') WHEN 'null' THEN false "
                f"WHEN 'boolean' THEN ({r}->'abnormal')::boolean "
                f"ELSE {_FAIL.format(x=r)}::boolean END)")
    item = (f"{name} || ': ' || {value} || CASE WHEN {abnormal} AND {r}->>'kind' = 'measure' "
            f"AND jsonb_typeof({r}->'kind') = 'string' "
            f"THEN ' (' || {limits} || ') 异常' ELSE '' END")
    checked = (f"CASE WHEN jsonb_typeof({r}) = 'object' THEN {item} "
               f"ELSE {_FAIL.format(x=r)} END")
    joined = f"coalesce(string_agg({checked}, '; ' ORDER BY o), '')"
    return (f"(CASE WHEN {x} IN ('[]', '') THEN '' ELSE (SELECT {_neutralised(joined)} "
            f"FROM jsonb_array_elements({x}::jsonb) WITH ORDINALITY AS c({r}, o)) END)")


def _cells(fmt: CopyFormat) -> list[tuple[str, bool]]:
    """``(expression, quoted)`` per column of the file."""
    text = [(_neutralised(f"h.{name}"), True) for name in _TEXT]
    return [*text,
            (_list("h.handler_id_list"), True),
            (_list("h.handler_name_list"), True),
            (_fee("h.fee"), False),
            (_neutralised("h.result"), True),
            (_neutralised("h.description"), True),
            (_pictures("h.images", fmt), True),
            (_time("h.created", fmt), True),
            (_time("h.due_at", fmt), True),
            (_on_time(fmt.wire), True),
            (_yes_no("h.is_ignored", fmt.wire), not fmt.wire),
            ("h.skipped_cycles::text", False),
            (_yes_no("h.is_abnormal", fmt.wire), not fmt.wire),
            (_summary("h.checklist_results", fmt), True),
            (_neutralised("h.organization_id"), True),
            ("h.created_by::text", False),
            (_time("h.last_modified", fmt), True),
            ("h.last_modified_by::text", False),
            (_time("h.handled_at", fmt), True),
            (_yes_no("h.is_voided", fmt.wire), not fmt.wire),
            (_neutralised("h.void_reason"), True),
            (_time("h.voided_at", fmt), True),
            ("h.voided_by::text", False)]


def copy_statement(store: Store, rows: Select, fmt: CopyFormat) -> tuple[str, list[Any]]:
    """The ``COPY`` whose rows are the file's lines (LF-ended) for the raw rows ``rows``
    selects (``EXPORT_COLUMNS``, filtered and ordered). The ordered query is the FROM of a
    projection without joins or sorting of its own, so its rows come out in its order."""
    sql, params = rows.sql()
    cells = _cells(fmt)
    columns = [f"c{i}" for i in range(len(cells))]
    select = ", ".join(f"{expr} AS {column}" for (expr, _), column in
                       zip(cells, columns, strict=True))
    quoted = ", ".join(c for (_, q), c in zip(cells, columns, strict=True) if q)
    statement = (f"COPY (SELECT {select} FROM ({sql}) AS h) TO STDOUT "
                 f"(FORMAT csv, FORCE_QUOTE ({quoted}))")
    return statement, list(params)


def _settings(cursor: Any) -> None:
    """The session settings the expressions' text depends on, for this transaction."""
    # float8 text is the shortest exact one at 1 (the default since 12, but a server or
    # role may set another); timestamps read YYYY-MM-DD HH:MM:SS under ISO; JIT would
    # compile the long expressions for seconds (10 s of 13 s at 100,000 rows) to save less
    cursor.execute("SET LOCAL extra_float_digits = 1")
    cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
    cursor.execute("SET LOCAL jit = off")


def copy_lines(store: Store, statement: str, params: list[Any]) -> Iterator[memoryview]:
    """Each row of ``statement`` as the server wrote it (with its LF), inside the caller's
    transaction. A value the server refuses to format raises ``RefusedByServer``."""
    connection = store.db.connection()
    try:
        with connection.cursor() as cursor:
            _settings(cursor)
            # the whole export is one statement (a cursor's FETCHes were many short ones):
            # the 60 s limit would end a large one; the user's cancel still can
            cursor.execute("SET LOCAL statement_timeout = 0")
            with cursor.copy(statement, params) as copy:
                while row := copy.read():
                    yield row
    except psycopg.DataError as exc:  # SQLSTATE class 22: the guards, or a bad value
        raise RefusedByServer(str(exc)) from exc


def zone_texts(store: Store, zone: str, first: int, last: int, step: int) -> list[str] | None:
    """The server's wall times in ``zone`` of the moments ``first, first + step, … ≤ last``
    as ``copy_statement`` writes them, or ``None`` when the server does not know the zone.
    Inside the caller's transaction (a savepoint keeps a refusal from ending it)."""
    connection = store.db.connection()
    try:
        with connection.transaction(), connection.cursor() as cursor:
            _settings(cursor)
            cursor.execute(
                f"SELECT {_time('t', CopyFormat(zone, False, None, '', first, last))} "
                "FROM generate_series(%s::bigint, "
                "%s::bigint, %s::bigint) AS t ORDER BY t", (first, last, step))
            return [row[0] for row in cursor.fetchall()]
    except psycopg.DataError:
        return None
