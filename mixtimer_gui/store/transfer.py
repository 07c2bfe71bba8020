"""Copying one whole database into another, across engines: SQLite → PostgreSQL (a
workstation's data moves into team mode), PostgreSQL → SQLite (an offline copy), or SQLite
→ SQLite.

Both stores are open at the newest schema, so their tables are the same: the tables copied
are the store's models (``Store.models``), whatever steps added them, and a table in either
database that no model names is refused rather than silently left behind. Every column is
copied as it is, ids and uids included, so every reference between rows stays right; the
PostgreSQL identity sequences are then moved past the copied ids.

The check afterwards reads both sides again: per table, the row count and a checksum that is
the sum (mod 2^256) of each row's SHA-256 over its values in a canonical form. A sum does
not depend on the order rows come in, so no ``ORDER BY`` (and no collation) is needed, and
it is computed by the same Python on both engines.

PostgreSQL is written with ``COPY … FROM STDIN`` (psycopg 3) and read with a server-side
cursor, so a million handles never sit in memory at once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from mixtimer_gui.store.errors import StoreError
from mixtimer_gui.store.migrations import MIN_CLIENT_KEY
from mixtimer_gui.store.models import BaseModel, Store

# Tables whose rows the target writes itself when it is opened (its own migration record).
# ``data_version`` is kept by the target's own triggers as the copied rows go in.
_OWN_ROWS_TABLES = ("schema_version", "data_version")
# Rows of ``setting`` that belong to the database they are in, not to its data: the oldest
# program allowed to write it is decided by the program that migrated it.
_OWN_SETTINGS = (MIN_CLIENT_KEY,)
_BATCH = 5_000
_MOD = 1 << 256


class CopyError(StoreError):
    """The copy was refused or did not verify (``str()``: one sentence for the user)."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


@dataclass
class CopyReport:
    """What was copied: per table, its rows and checksum (the same on both sides)."""

    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def count(self, table: str) -> int:
        return next(t.rows for t in self.tables if t.table == table)


Progress = Callable[[str, int], None]


# -- which tables, which columns ---------------------------------------------------------------


def copied_models(store: Store) -> list[type[BaseModel]]:
    """The models whose rows a copy carries: every table but the migration record."""
    return [m for m in store.models if m._meta.table_name not in _OWN_ROWS_TABLES]


def columns_of(model: type[BaseModel]) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def table_names(db: Database) -> set[str]:
    """The tables in ``db`` (SQLite's own and full-text shadow tables aside)."""
    if isinstance(db.connection(), sqlite3.Connection):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    else:
        rows = db.execute_sql("SELECT tablename FROM pg_tables "
                              "WHERE schemaname = current_schema()").fetchall()
    return {name for (name,) in rows}


def check_same_tables(source: Store, target: Store) -> None:
    """Both databases hold exactly the store's tables (plus tables the migrations keep for
    themselves, such as full-text index shadows, which are rebuilt from the rows)."""
    known = {m._meta.table_name for m in source.models}
    for store, which in ((source, "源"), (target, "目标")):
        unknown = sorted(n for n in table_names(store.db) - known if not _derived(n))
        if unknown:
            raise CopyError(f"{which}数据库里有本程序不认识的表 {', '.join(unknown)}"
                            "(可能来自更新的版本),为避免漏掉数据，没有复制;"
                            "请用最新版本的 mixtimer-gui 复制")


def _derived(table: str) -> bool:
    # SQLite FTS5 keeps its index in a virtual table and shadow tables named after it; the
    # target's triggers rebuild it from the copied rows.
    return table == "handle_fts" or table.startswith("handle_fts_") or table.endswith(
        ("_data", "_idx", "_content", "_docsize", "_config"))


# -- reading and writing rows -------------------------------------------------------------------


def _select(model: type[BaseModel]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns_of(model))
    return f'SELECT {cols} FROM "{model._meta.table_name}"'


def _own_settings_filter(model: type[BaseModel]) -> str:
    if model._meta.table_name != "setting":
        return ""
    keys = ", ".join("'" + k.replace("'", "''") + "'" for k in _OWN_SETTINGS)
    return f' WHERE "key" NOT IN ({keys})'


def read_rows(store: Store, model: type[BaseModel]) -> Iterator[tuple[Any, ...]]:
    """Every row of ``model``'s table (its own settings aside), streamed."""
    query = _select(model) + _own_settings_filter(model)
    if store.is_postgres:
        conn = store.db.connection()
        with conn.cursor(name=f"copy_{model._meta.table_name}") as cursor:
            cursor.itersize = _BATCH
            cursor.execute(query)
            yield from cursor
        return
    cursor = store.db.connection().execute(query)
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def write_rows(store: Store, model: type[BaseModel], rows: Iterable[tuple[Any, ...]],
               on_row: Callable[[tuple[Any, ...]], None]) -> None:
    """Insert ``rows`` into ``model``'s table of ``store`` (inside its open transaction);
    ``on_row`` sees each row on its way."""
    table = model._meta.table_name
    columns = columns_of(model)
    quoted = ", ".join(f'"{c}"' for c in columns)
    if store.is_postgres:
        cursor = store.db.connection().cursor()
        # One statement per table: the connection's limit (a stuck server must not hold the
        # window) would end a million handles' COPY on a busy machine; copy-db is a
        # deliberate bulk command whose user sees its progress and can stop it.
        cursor.execute("SET LOCAL statement_timeout = 0")
        with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                on_row(row)
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
    conn = store.db.connection()
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        on_row(row)
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.executemany(insert, batch)
            batch.clear()
    if batch:
        conn.executemany(insert, batch)


def reset_identities(store: Store) -> None:
    """Move every identity sequence past the largest id now in its table (PostgreSQL; SQLite
    numbers from the largest rowid by itself)."""
    if not store.is_postgres:
        return
    found = store.db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall()
    for table, column in found:
        store.db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"',
            (f'"{table}"', column))


def refresh_statistics(store: Store) -> None:
    """Let PostgreSQL's planner see the rows just loaded (autovacuum would, minutes later):
    without it a page of the newest handles was planned as a sort of the whole table."""
    if store.is_postgres:
        store.db.execute_sql("ANALYZE")


# -- checksums ---------------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    """One value in a form both engines' drivers give alike: exact floats, bytes as bytes."""
    if value is None:
        return b"N"
    if isinstance(value, bool):
        return b"i" + str(int(value)).encode()
    if isinstance(value, int):
        return b"i" + str(value).encode()
    if isinstance(value, float):
        return b"f" + value.hex().encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b"b" + bytes(value).hex().encode()
    return b"s" + str(value).encode("utf-8")


def row_digest(row: Sequence[Any]) -> int:
    digest = hashlib.sha256()
    for value in row:
        part = _canonical(value)
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return int.from_bytes(digest.digest(), "big")


class Tally:
    """A table's row count and order-free checksum, fed one row at a time."""

    def __init__(self) -> None:
        self.rows = 0
        self._sum = 0

    def add(self, row: Sequence[Any]) -> None:
        self.rows += 1
        self._sum = (self._sum + row_digest(row)) % _MOD

    @property
    def checksum(self) -> str:
        return f"{self._sum:064x}"


def tally_table(store: Store, model: type[BaseModel]) -> Tally:
    tally = Tally()
    with store.read():
        for row in read_rows(store, model):
            tally.add(row)
    return tally


def checksums(store: Store) -> dict[str, Tally]:
    """Every copied table's count and checksum in ``store``."""
    return {m._meta.table_name: tally_table(store, m) for m in copied_models(store)}


# -- the copy ------------------------------------------------------------------------------


def non_empty_tables(store: Store) -> list[str]:
    """The copied tables that hold rows in ``store`` (its own settings aside)."""
    found = []
    with store.read():
        for model in copied_models(store):
            query = f"SELECT 1 FROM ({_select(model)}{_own_settings_filter(model)}) AS t LIMIT 1"
            if store.db.execute_sql(query).fetchone() is not None:
                found.append(model._meta.table_name)
    return found


def copy_store(source: Store, target: Store, *, target_name: str,
               progress: Progress | None = None) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` in one transaction, then
    verify counts and checksums by reading the target back.

    ``CopyError`` when the target holds data or the tables differ (nothing written), or
    when the check after the commit fails (the sentence says not to use the copy).
    """
    check_same_tables(source, target)
    filled = non_empty_tables(target)
    if filled:
        raise CopyError(f"目标数据库 {target_name} 不是空的(表 {', '.join(filled)} 里已有数据),"
                        "没有复制任何数据;请指定一个新的、空的数据库")
    sent: dict[str, Tally] = {}
    with source.read(), target.write():
        for model in copied_models(target):
            table = model._meta.table_name
            tally = sent[table] = Tally()
            source_model = getattr(source, model.__name__)
            write_rows(target, model, read_rows(source, source_model), tally.add)
            if progress is not None:
                progress(table, tally.rows)
        reset_identities(target)
    refresh_statistics(target)
    return _verify(sent, checksums(target), target_name)


def _verify(sent: dict[str, Tally], found: dict[str, Tally], target_name: str) -> CopyReport:
    report = CopyReport()
    for table, tally in sent.items():
        there = found[table]
        if (there.rows, there.checksum) != (tally.rows, tally.checksum):
            raise CopyError(f"复制到 {target_name} 后核对不符：表 {table} 复制了 {tally.rows} 行，"
                            f"目标里读到 {there.rows} 行(或内容不同);请不要使用这份副本，"
                            "清空目标后重新复制")
        report.tables.append(TableCopy(table, tally.rows, tally.checksum))
    return report
