"""Looking at a test's database the same way on both engines (tests/conftest.py runs the
store, services, API and reminder suites on SQLite and on PostgreSQL)."""

from __future__ import annotations

from mixtimer_gui.services import Services


def table_counts(services: Services) -> dict[str, int]:
    """{table: rows} of every table, read through the services' own connection."""
    db = services.db
    return {name: db.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in db.get_tables()}


def count(services: Services, table: str) -> int:
    return services.db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def integrity_ok(services: Services) -> bool:
    """SQLite's own check of the file; a PostgreSQL server keeps its files itself, so there
    the check is that every table still answers."""
    if services.location.is_server:
        return all(isinstance(n, int) for n in table_counts(services).values())
    return services.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def dump(services: Services) -> dict[str, list[tuple]]:
    """Every row of every table, in key order: equal dumps, nothing changed (both engines)."""
    db = services.db
    return {name: [tuple(row) for row in db.execute_sql(
                f'SELECT * FROM "{name}" ORDER BY 1').fetchall()]
            for name in sorted(db.get_tables())}
