"""Bulk writes for generated data (``demo-data``, benchmarks): ``executemany`` in one
transaction, with the big tables' secondary indexes built once at the end.

The services write one record per transaction and keep every rule; this module writes rows
that were already computed by those rules (``domain.cycles``), so it checks nothing but the
database's own constraints. Rows are plain tuples in the order of the ``*_COLUMNS`` tuples
below, and may come from a generator: nothing is held in memory beyond one chunk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import SqliteDatabase

from mixtimer_gui.store.models import (
    Handle,
    HandleHandler,
    Handler,
    MaintenanceObject,
    Project,
    ProjectObject,
    Reading,
    Statistic,
    Task,
    UidSequence,
)

_AUDIT = ("organization_id", "created", "created_by", "last_modified", "last_modified_by")

OBJECT_COLUMNS = ("uid", "name", "alias", "description", "location", *_AUDIT)
STATISTIC_COLUMNS = ("uid", "name", "alias", "unit", "description", *_AUDIT)
READING_COLUMNS = ("statistics_id", "time", "value", "created")
HANDLER_COLUMNS = ("id", "name", "created")
PROJECT_COLUMNS = ("uid", "name", "alias", "description", "cycle_type", "statistics_id",
                   "period_num", "period_unit", "notice_num", "notice_unit", "guide",
                   "anchor_type", "is_active", *_AUDIT, "statistics_period_num", "checklist")
PROJECT_OBJECT_COLUMNS = ("project_id", "object_id", "position")
TASK_COLUMNS = ("uid", "project_id", "object_id", "description", "cycle_start", "grid_anchor",
                "cycle_index", "due_at", "notice_at", "start_value", "base_value", "due_value",
                "last_handle_at", *_AUDIT, "time_due_at", "due_value_at", "due_by")
HANDLE_COLUMNS = ("id", "uid", "task_id", "project_id", "project_name", "project_alias",
                  "object_id", "object_name", "object_alias", "description", "handler_id_list",
                  "handler_name_list", "fee", "result", "images", "is_ignored", "due_at",
                  "skipped_cycles", *_AUDIT, "checklist_results", "is_abnormal")
HANDLE_HANDLER_COLUMNS = ("handle_rowid", "handler_id", "handler_name")

# Indexes rebuilt after the load: one sorted build is far cheaper than a million random
# B-tree inserts into ``handle_task_id`` and friends.
_DEFERRED_INDEX_TABLES = (Handle._meta.table_name, HandleHandler._meta.table_name)


class BulkWriter:
    """Raw ``sqlite3`` inserts inside one ``BEGIN IMMEDIATE`` transaction (see ``bulk_load``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- what is already there ----------------------------------------------------------

    def count(self, table: str) -> int:
        return int(self._conn.execute(f'SELECT COUNT(*) FROM "{_known(table)}"').fetchone()[0])

    def max_id(self, table: str) -> int:
        row = self._conn.execute(f'SELECT MAX("id") FROM "{_known(table)}"').fetchone()
        return int(row[0] or 0)

    def sequence_last(self, prefix: str) -> int:
        row = self._conn.execute('SELECT "last" FROM "uid_sequence" WHERE "prefix" = ?',
                                 (prefix,)).fetchone()
        return int(row[0]) if row else 0

    # -- inserts ------------------------------------------------------------------------

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` (tuples in ``columns`` order); returns how many went in."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        counted = _Counter(rows)
        self._conn.executemany(f'INSERT INTO "{_known(table)}" ({names}) VALUES ({marks})',
                               counted)
        return counted.n

    def objects(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(MaintenanceObject._meta.table_name, OBJECT_COLUMNS, rows)

    def statistics(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(Statistic._meta.table_name, STATISTIC_COLUMNS, rows)

    def readings(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(Reading._meta.table_name, READING_COLUMNS, rows)

    def handlers(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(Handler._meta.table_name, HANDLER_COLUMNS, rows)

    def projects(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(Project._meta.table_name, PROJECT_COLUMNS, rows)

    def project_objects(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(ProjectObject._meta.table_name, PROJECT_OBJECT_COLUMNS, rows)

    def tasks(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(Task._meta.table_name, TASK_COLUMNS, rows)

    def handles(self, rows: Iterable[Sequence[Any]]) -> int:
        """Handle rows carry their ``id`` so ``handle_handler`` rows can point at them."""
        return self.insert(Handle._meta.table_name, HANDLE_COLUMNS, rows)

    def handle_handlers(self, rows: Iterable[Sequence[Any]]) -> int:
        return self.insert(HandleHandler._meta.table_name, HANDLE_HANDLER_COLUMNS, rows)

    def advance_sequences(self, last: dict[str, int]) -> None:
        """Move uid sequences past the numbers used, so later generated uids never collide."""
        table = UidSequence._meta.table_name
        self._conn.executemany(
            f'INSERT INTO "{table}" ("prefix", "last") VALUES (?, ?) '
            'ON CONFLICT("prefix") DO UPDATE SET "last" = MAX("last", excluded."last")',
            list(last.items()))


# What a bulk load writes into (the demo data's loader names it without importing Peewee).
LoadTarget = SqliteDatabase


@contextmanager
def bulk_load(db: LoadTarget, *, defer_indexes: bool = True) -> Iterator[BulkWriter]:
    """One write transaction for a whole load: all of it lands, or none of it.

    With ``defer_indexes`` the secondary indexes of ``handle`` and ``handle_handler`` are
    dropped for the load and rebuilt before the commit (still inside the transaction).
    """
    conn: sqlite3.Connection = db.connection()
    if conn.in_transaction:
        raise RuntimeError("bulk_load needs a connection outside any transaction")
    conn.execute("BEGIN IMMEDIATE")
    try:
        saved = _drop_indexes(conn) if defer_indexes else []
        yield BulkWriter(conn)
        for sql in saved:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    # A million rows leave a WAL as big as the data: fold it back now, not on some later read.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    marks = ", ".join("?" for _ in _DEFERRED_INDEX_TABLES)
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})", _DEFERRED_INDEX_TABLES).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


_TABLES = frozenset(m._meta.table_name for m in (
    MaintenanceObject, Statistic, Reading, Handler, Project, ProjectObject, Task, Handle,
    HandleHandler, UidSequence))


def _known(table: str) -> str:
    # Table names are pasted into SQL: only this module's own tables may get there.
    if table not in _TABLES:
        raise ValueError(f"not a bulk-loadable table: {table!r}")
    return table


class _Counter:
    """Passes rows through to ``executemany`` and counts them on the way."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._it = iter(rows)
        self.n = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> Sequence[Any]:
        row = next(self._it)
        self.n += 1
        return row
