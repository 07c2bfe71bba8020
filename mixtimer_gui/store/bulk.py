"""Bulk writes for generated data (``demo-data``, benchmarks): ``executemany`` in one
transaction, with the big tables' secondary indexes built once at the end; on PostgreSQL
(team mode) ``COPY … FROM STDIN`` under the one-writer lock, the same rows.

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
    History,
    MaintenanceObject,
    Project,
    ProjectObject,
    Reading,
    Statistic,
    Task,
    UidSequence,
)
from mixtimer_gui.store.postgres import TeamDatabase

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
                  "skipped_cycles", *_AUDIT, "handled_at", "checklist_results", "is_abnormal")
HANDLE_HANDLER_COLUMNS = ("handle_rowid", "handler_id", "handler_name", "created")
HISTORY_COLUMNS = ("time", "operator_id", "operator_name", "source", "action", "entity",
                   "entity_uid", "changes")

# Indexes rebuilt after the load: one sorted build is far cheaper than a million random
# B-tree inserts into ``handle_task_id`` and friends.
_DEFERRED_INDEX_TABLES = (Handle._meta.table_name, HandleHandler._meta.table_name,
                          History._meta.table_name)


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

    def history(self, rows: Iterable[Sequence[Any]]) -> int:
        """Change-history rows; their ids are the table's own."""
        return self.insert(History._meta.table_name, HISTORY_COLUMNS, rows)

    def advance_sequences(self, last: dict[str, int]) -> None:
        """Move uid sequences past the numbers used, so later generated uids never collide."""
        table = UidSequence._meta.table_name
        self._conn.executemany(
            f'INSERT INTO "{table}" ("prefix", "last") VALUES (?, ?) '
            'ON CONFLICT("prefix") DO UPDATE SET "last" = MAX("last", excluded."last")',
            list(last.items()))


class CopyWriter(BulkWriter):
    """The same writes on PostgreSQL: ``COPY`` for the rows (psycopg 3 sends them in the
    binary-free text format, one stream per table), the same reads and the same sequence
    rule (``GREATEST``: PostgreSQL's two-argument ``MAX``)."""

    def __init__(self, conn: Any) -> None:  # a psycopg connection
        self._pg = conn

    def _one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        row = self._pg.execute(sql, args).fetchone()
        return row[0] if row else None

    def count(self, table: str) -> int:
        return int(self._one(f'SELECT COUNT(*) FROM "{_known(table)}"'))

    def max_id(self, table: str) -> int:
        return int(self._one(f'SELECT MAX("id") FROM "{_known(table)}"') or 0)

    def sequence_last(self, prefix: str) -> int:
        return int(self._one('SELECT "last" FROM "uid_sequence" WHERE "prefix" = %s',
                             (prefix,)) or 0)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        names = ", ".join(f'"{c}"' for c in columns)
        n = 0
        with self._pg.cursor() as cursor, cursor.copy(
                f'COPY "{_known(table)}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    def advance_sequences(self, last: dict[str, int]) -> None:
        table = UidSequence._meta.table_name
        with self._pg.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{table}" ("prefix", "last") VALUES (%s, %s) '
                'ON CONFLICT ("prefix") DO UPDATE SET "last" = '
                f'GREATEST("{table}"."last", excluded."last")', list(last.items()))

    def move_identities_past_ids(self) -> None:
        """Rows written with their own ids (handles) leave the identity sequence behind."""
        for table in (Handle._meta.table_name,):
            self._pg.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f'COALESCE(MAX("id"), 0) + 1, false) FROM "{table}"', (f'"{table}"',))


# What a bulk load writes into (the demo data's loader names it without importing Peewee).
LoadTarget = SqliteDatabase | TeamDatabase


@contextmanager
def bulk_load(db: LoadTarget, *, defer_indexes: bool = True) -> Iterator[BulkWriter]:
    """One write transaction for a whole load: all of it lands, or none of it.

    With ``defer_indexes`` the secondary indexes of ``handle`` and ``handle_handler`` are
    dropped for the load and rebuilt before the commit (still inside the transaction).
    On PostgreSQL: one transaction holding the one-writer lock, rows sent with ``COPY``.
    """
    if isinstance(db, TeamDatabase):
        with _copy_load(db) as writer:
            yield writer
        return
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


@contextmanager
def _copy_load(db: TeamDatabase) -> Iterator[CopyWriter]:
    if db.connection_in_transaction():
        raise RuntimeError("bulk_load needs a connection outside any transaction")
    with db.atomic():
        db.hold_write_lock()
        writer = CopyWriter(db.connection())
        yield writer
        writer.move_identities_past_ids()
    db.execute_sql("ANALYZE")  # the planner sees the loaded rows now, not after autovacuum


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
    HandleHandler, History, UidSequence))


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
