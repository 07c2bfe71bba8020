"""The frozen migrations have a PostgreSQL text per step that builds the same schema.

Run on a real throw-away cluster (tests/pg_cluster.py), never a mock: the point is what
PostgreSQL accepts and how its types behave where SQLite's would silently differ.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import PostgresqlDatabase

from mixtimer_gui.store.migrations import MIGRATIONS

pytestmark = pytest.mark.postgres


def _migrated_sqlite(path: Path) -> dict[str, dict[str, bool]]:
    """{table: {column: not_null}} of a SQLite file built by every step."""
    conn = sqlite3.connect(path)
    try:
        for _number, step in MIGRATIONS:
            _apply_on_sqlite(conn, step)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            if not r[0].startswith("handle_fts")]  # SQLite's search index; pg_trgm's is one
        return {t: {row[1]: bool(row[3]) or bool(row[5]) for row in
                    conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    finally:
        conn.close()


def _apply_on_sqlite(conn: sqlite3.Connection, step: Callable[[Any], None]) -> None:
    class _Db:
        def execute_sql(self, sql: str) -> sqlite3.Cursor:
            return conn.execute(sql)

    step(_Db())
    conn.commit()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[PostgresqlDatabase]:
    db = PostgresqlDatabase(pg_url)
    db.connect()
    with db.atomic():
        for _number, step in MIGRATIONS:
            step(db)
    yield db
    db.close()


def _pg_columns(db: PostgresqlDatabase) -> dict[str, dict[str, bool]]:
    rows = db.execute_sql(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'public'").fetchall()
    shape: dict[str, dict[str, bool]] = {}
    for table, column, nullable in rows:
        shape.setdefault(table, {})[column] = nullable == "NO"
    return shape


def test_every_step_builds_the_sqlite_schema_on_postgres(pg_db: PostgresqlDatabase,
                                                        tmp_path: Path) -> None:
    assert _pg_columns(pg_db) == _migrated_sqlite(tmp_path / "ref.db")


def test_indexes_match_sqlite(pg_db: PostgresqlDatabase, tmp_path: Path) -> None:
    _migrated_sqlite(tmp_path / "ref.db")
    conn = sqlite3.connect(tmp_path / "ref.db")
    sqlite_indexes = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
    conn.close()
    pg_indexes = {r[0] for r in pg_db.execute_sql(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
        "AND right(indexname, 5) <> '_pkey'").fetchall()}
    # each engine's own search index: FTS5 (a table) on SQLite, pg_trgm GIN on PostgreSQL
    assert pg_indexes - {"handle_search_trgm"} == sqlite_indexes


def test_ids_number_themselves_and_times_pass_2038(pg_db: PostgresqlDatabase) -> None:
    # SQLite's INTEGER PRIMARY KEY numbers rows and its INTEGER is 64-bit; PostgreSQL needs
    # an identity column and BIGINT for both to hold.
    after_2038 = 2**31 + 86_400
    cursor = pg_db.execute_sql(
        'INSERT INTO "reading" ("statistics_id", "time", "value", "created") '
        "VALUES (%s, %s, %s, %s) RETURNING id", ("S1", after_2038, 0.1 + 0.2, after_2038))
    first = cursor.fetchone()[0]
    cursor = pg_db.execute_sql(
        'INSERT INTO "reading" ("statistics_id", "time", "value", "created") '
        "VALUES (%s, %s, %s, %s) RETURNING id", ("S1", after_2038 + 1, 1.0, after_2038))
    assert cursor.fetchone()[0] == first + 1
    time, value = pg_db.execute_sql(
        'SELECT "time", "value" FROM "reading" WHERE id = %s', (first,)).fetchone()
    assert time == after_2038
    assert value == 0.1 + 0.2  # DOUBLE PRECISION: REAL would have kept ~7 digits


def test_handler_ids_are_the_clients_own(pg_db: PostgresqlDatabase) -> None:
    pg_db.execute_sql('INSERT INTO "handler" ("id", "name", "created") VALUES (%s, %s, %s)',
                      (9_000_000_000, "张工", 0))
    assert pg_db.execute_sql('SELECT "name" FROM "handler" WHERE id = %s',
                             (9_000_000_000,)).fetchone()[0] == "张工"


def test_text_sorts_by_bytes_as_on_sqlite(pg_db: PostgresqlDatabase) -> None:
    names = ["b", "B", "a", "张", "Z", "_x", "é"]
    for i, name in enumerate(names):
        pg_db.execute_sql('INSERT INTO "setting" ("key", "value") VALUES (%s, %s)',
                          (f"k{i}", name))
    on_pg = [r[0] for r in pg_db.execute_sql(
        'SELECT "value" FROM "setting" ORDER BY "value"').fetchall()]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE s (v TEXT)")
    conn.executemany("INSERT INTO s VALUES (?)", [(n,) for n in names])
    on_sqlite = [r[0] for r in conn.execute("SELECT v FROM s ORDER BY v")]
    assert on_pg == on_sqlite == sorted(names, key=lambda s: s.encode())
