"""Handle rows for CSV export, streamed in batches so memory stays flat at any size.

The filter whitelist is the one ``get_v2_handle_list`` uses, so "export what the list shows"
means exactly that. Rows come raw (epoch ints, the stored JSON of list fields): turning them
into text is the exporter's job, and skipping Peewee's per-row conversion is what keeps a
million-row export close to the speed of ``sqlite3 -csv``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import queries

# The stored columns an export reads, in the order rows are yielded.
EXPORT_COLUMNS: tuple[str, ...] = (
    "uid", "task_id", "project_id", "project_name", "project_alias", "object_id",
    "object_name", "object_alias", "handler_id_list", "handler_name_list", "fee", "result",
    "description", "images", "created", "due_at", "is_ignored", "skipped_cycles",
    "is_abnormal", "checklist_results",
    "organization_id", "created_by", "last_modified", "last_modified_by",
    "handled_at", "is_voided", "void_reason", "voided_at", "voided_by",
)

# Columns whose text can come as UTF-8 bytes (``text_as_bytes``).
TEXT_COLUMNS = frozenset((
    "uid", "task_id", "project_id", "project_name", "project_alias", "object_id",
    "object_name", "object_alias", "handler_id_list", "handler_name_list", "result",
    "description", "images", "checklist_results", "organization_id", "void_reason"))

# Oldest first: an exported record book reads in the order the work was done.
DEFAULT_ORDER = "created"
BATCH_SIZE = 2000


class HandleExportSource:
    """The rows of one export: validated filters, a count for progress, then batches.

    Build it where the export runs (the worker thread): each thread has its own connection.
    Bad filters raise ``FieldError`` from the constructor, before any file is touched.

    With ``text_as_bytes`` the ``TEXT_COLUMNS`` come as their stored UTF-8 bytes (``CAST AS
    BLOB``): a writer of UTF-8 files then neither decodes nor re-encodes them, which is about
    a third of the cost of a large export.
    """

    def __init__(self, ctx: ServiceContext, params: Mapping[str, Any] | None = None, *,
                 text_as_bytes: bool = False) -> None:
        params = params or {}
        self.ctx = ctx
        handle, fields = ctx.store.Handle, queries.handle_fields(ctx.store)
        columns = [getattr(handle, name) for name in EXPORT_COLUMNS]
        if text_as_bytes:
            columns = [queries.utf8_bytes(ctx.store, c) if c.name in TEXT_COLUMNS else c
                       for c in columns]
        base = handle.select(*columns)
        self._query = queries.filtered(base, fields,
                                       where_and=params.get("where_and"),
                                       where_or=params.get("where_or"),
                                       where_in=params.get("where_in"))
        self._ordered = queries.ordered(self._query, fields,
                                        params.get("order_by") or DEFAULT_ORDER, handle.id)

    def count(self) -> int:
        with self.ctx.read():
            return queries.count_rows(self._query)

    def batches(self, size: int | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """Raw row tuples (columns as ``EXPORT_COLUMNS``), ``size`` at a time.

        One cursor inside one read transaction: a consistent snapshot that never holds the
        write lock (WAL), and rows are handed over as they are read, not all at once (on
        PostgreSQL a server-side cursor). Stopping early (cancel) closes the cursor and ends
        the transaction.
        """
        size = size or BATCH_SIZE
        with self.ctx.read():
            cursor = queries.stream(self.ctx.store, self._ordered)
            try:
                while True:
                    rows = cursor.fetchmany(size)
                    if not rows:
                        return
                    yield rows
            finally:
                cursor.close()


# The long export of checklist results (#17): the handle's keys and its stored results.
CHECKLIST_COLUMNS: tuple[str, ...] = (
    "uid", "task_id", "project_name", "object_name", "created", "checklist_results",
)


class ChecklistExportSource(HandleExportSource):
    """The handles with checklist results among those ``params`` choose, oldest first,
    as ``CHECKLIST_COLUMNS`` rows (text as text: these files are read by people)."""

    def __init__(self, ctx: ServiceContext, params: Mapping[str, Any] | None = None) -> None:
        params = params or {}
        self.ctx = ctx
        handle, fields = ctx.store.Handle, queries.handle_fields(ctx.store)
        base = (handle.select(*(getattr(handle, name) for name in CHECKLIST_COLUMNS))
                .where(handle.checklist_results != "[]"))
        self._query = queries.filtered(base, fields,
                                       where_and=params.get("where_and"),
                                       where_or=params.get("where_or"),
                                       where_in=params.get("where_in"))
        self._ordered = queries.ordered(self._query, fields,
                                        params.get("order_by") or DEFAULT_ORDER, handle.id)
