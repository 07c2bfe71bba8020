"""The handle list's two filters that must stay fast at 10 M handles (#21).

- **A person** (``handler_id_list = n``, the window's person filter): read through the side
  table's (handler_id, created, handle_rowid) index, newest first, so a page costs its own
  rows, not the person's million matches.
- **Text** (``like '%words%'`` on the searched columns, the window's search box): on SQLite
  the search index (``handle_fts``, FTS5 trigram, schema step 7) names the candidate rows
  and the ``like`` itself still decides, so the answer is the ``like``'s to the row.
  Words of three characters or more are a trigram phrase; a two-character word (most
  Chinese words) is every indexed trigram that starts with it (each value is indexed with a
  trailing U+001F, so even a word at the end of a value starts one). A word of one
  character, or of two with upper/lower case, has no index: it scans, as before.
  PostgreSQL answers the same ``like`` through its pg_trgm GIN index by itself.

A word found in many rows is best answered by walking the time index until a page is full;
a rare one by the candidates. ``text_is_common`` tells them apart with a bounded probe
(the count always goes through the candidates).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import SQL, Node, NodeList, Select, fn

from mixtimer_gui.store import filters as f
from mixtimer_gui.store.migrations import SEARCH_COLUMNS
from mixtimer_gui.store.models import Store
from mixtimer_gui.store.versions import has_data_versions

# The fewest candidates that make a word "common". Walking the time index reads about
# page * rows / candidates rows for a page; the candidates cost about their number: the
# walk wins past sqrt(page * rows) candidates (4,500 at 100 k handles, 45,000 at 10 M).
MIN_COMMON = 1_000
_LAST_CHAR = "\U0010ffff"
_NO_MATCH = '"\x1f\x1f\x1f"'  # three marks in a row are never indexed


@dataclass(frozen=True)
class Person:
    handler_id: int
    rest: list[Any]  # the other where_and conditions


def person_filter(store: Store, data: Mapping[str, Any]) -> Person | None:
    """The one person asked for, when the request is the person filter's shape: exactly one
    ``handler_id_list = n`` and the default (time) order. Anything else: ``None`` (the
    general filter, which also gives every error its sentence)."""
    if not has_data_versions(store) or not _time_order(data.get("order_by")):
        return None
    try:
        where_and = f.parse_filter_param(data.get("where_and"), "where_and")
    except f.FieldError:
        return None
    people = [i for i, c in enumerate(where_and) if isinstance(c, list) and len(c) == 3
              and c[0] == "handler_id_list" and c[1] == "="]
    if len(people) != 1:
        return None
    value = where_and[people[0]][2]
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        handler_id = int(value)
    except ValueError:
        return None
    if str(handler_id) != str(value).strip() or abs(handler_id) > 2**63 - 1:
        return None
    return Person(handler_id, [c for i, c in enumerate(where_and) if i != people[0]])


def person_select(store: Store, handler_id: int) -> tuple[Select, list[Node]]:
    """A person's handles through the side table, and the order of its (created, handle)
    index: the page reads its own rows. One side row per handle, should a list name
    someone twice."""
    handle, people = store.Handle, store.HandleHandler
    twin = people.alias("twin")
    first = (twin.select(fn.MIN(twin.id))
             .where((twin.handle_rowid == people.handle_rowid)
                    & (twin.handler_id == people.handler_id)))
    select = (people.select(*handle._meta.sorted_fields)
              .join(handle, on=(handle.id == people.handle_rowid))
              .where((people.handler_id == handler_id) & (people.id == first)))
    return select, [people.created.desc(), people.handle_rowid.desc()]


def _time_order(order_by: Any) -> bool:
    return order_by is None or (isinstance(order_by, str)
                                and order_by.strip() in ("", "-created"))


def text_match(store: Store, data: Mapping[str, Any]) -> Node | None:
    """``handle.id IN (the search index's candidates)`` for the request's ``where_or``, when
    it is a text search the index can answer (SQLite only); else ``None``."""
    if store.is_postgres or not has_data_versions(store):
        return None
    try:
        where_or = f.parse_filter_param(data.get("where_or"), "where_or")
    except f.FieldError:
        return None
    if not where_or:
        return None
    parts: list[Node] = []
    for item in where_or:
        part = _column_match(item)
        if part is None:
            return None
        parts.append(part)
    expression = parts[0]
    for part in parts[1:]:
        expression = NodeList((SQL("("), expression, SQL("|| ' OR ' ||"), part, SQL(")")))
    return expression


def _column_match(item: Any) -> Node | None:
    """The FTS5 query text (as SQL) for one ``[column, "like", "%words%"]``, or ``None``."""
    if not (isinstance(item, list) and len(item) == 3 and item[0] in SEARCH_COLUMNS
            and item[1] == "like" and isinstance(item[2], str)):
        return None
    pattern = item[2]
    if len(pattern) < 2 or not (pattern.startswith("%") and pattern.endswith("%")):
        return None
    words = pattern[1:-1]
    if any(c in words for c in "%_\\\x00"):
        return None
    column = f"{{{item[0]}}} : "
    if len(words) >= 3:
        return SQL("?", (column + _phrase(words),))
    if len(words) == 2 and words.lower() == words.upper():
        # every indexed trigram that begins with the two characters, read at run time
        return SQL(
            "(SELECT ? || coalesce('(' || group_concat('\"' || replace(\"term\", '\"', "
            "'\"\"') || '\"', ' OR ') || ')', ?) FROM \"handle_fts_terms\" "
            "WHERE \"term\" >= ? AND \"term\" <= ?)",
            (column, _NO_MATCH, words, words + _LAST_CHAR))
    return None


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def _index_rows(match: Node) -> NodeList:
    return NodeList((SQL('(SELECT "rowid" FROM "handle_fts" WHERE "handle_fts" MATCH'), match,
                     SQL(")")))


def candidates(store: Store, match: Node) -> Node:
    """``handle.id`` among the rows the index finds for ``match``."""
    return store.Handle.id.in_(_index_rows(match))


def text_is_common(store: Store, match: Node, page_size: int) -> bool:
    """More candidates than walking the time index would read for a page (read no
    further than that)."""
    top = store.db.execute_sql('SELECT MAX("id") FROM "handle"').fetchone()[0] or 0
    common = max(MIN_COMMON, math.isqrt(max(1, page_size) * int(top)))
    probe = NodeList((SQL("SELECT count(*) FROM"),
                      NodeList((SQL('(SELECT "rowid" FROM "handle_fts" WHERE "handle_fts" '
                                    "MATCH"), match, SQL(f"LIMIT {common + 1})")))))
    sql, params = store.db.get_sql_context().sql(probe).query()
    return int(store.db.execute_sql(sql, params).fetchone()[0]) > common
