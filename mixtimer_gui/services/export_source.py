"""Handle rows for CSV export, streamed in batches so memory stays flat at any size.

The filter whitelist is the one ``get_v2_handle_list`` uses, so "export what the list shows"
means exactly that. Rows come raw (epoch ints, the stored JSON of list fields): turning them
into text is the exporter's job, and skipping Peewee's per-row conversion is what keeps a
million-row export close to the speed of ``sqlite3 -csv``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from mixtimer_gui.domain import clock
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.images import images_dir
from mixtimer_gui.store import csv_copy, queries

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

    @property
    def ordered(self) -> Any:
        """The filtered, ordered query of the raw ``EXPORT_COLUMNS`` as stored (text as
        text), for the server's formatting."""
        handle = self.ctx.store.Handle
        return self._ordered.select(*(getattr(handle, name) for name in EXPORT_COLUMNS))

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


# -- the handle CSV formatted by PostgreSQL ---------------------------------------------------

# The characters str.strip() removes (str.isspace), for the server's trims of picture names
# and units; tests/services/test_csv_copy.py checks the list against Python's own.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(
    chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000")
# The moments whose wall times the server must write as Python does before it formats an
# export's: one a day, 1970 to 2100, an hour and a minute later each day, so the probes meet
# every DST change of those years within a day and walk through the hours of the day. A
# moment outside them the server does not format (the Python writer takes the export).
PROBE_FIRST, PROBE_LAST, PROBE_STEP = 0, 4_102_444_800, 86_400 + 3_660
# (server, zone name, Python's zone) → the probe's answer
_agreeing: dict[tuple[str, str, str], bool] = {}


class ServerCannotFormat(Exception):
    """The server met a value it would not write as the Python writer does; nothing of
    the export is usable: write it the Python way."""


def server_format(ctx: ServiceContext, *, wire: bool,
                  data_dir: Path | None) -> csv_copy.CopyFormat | None:
    """How PostgreSQL would write the handle CSV, or ``None`` when it should not: SQLite,
    pictures on a system whose paths are not POSIX, or a workstation zone without a name
    the server knows and formats exactly as ``format_wire`` does (checked on probes, since
    the server's zone rules may be older or newer than Python's)."""
    if not ctx.store.is_postgres or (data_dir is not None and os.name != "posix"):
        return None
    zone = clock.local_zone_name()
    if zone is None or not _server_agrees(ctx, zone):
        return None
    folder = None if data_dir is None else str(images_dir(data_dir)) + os.sep
    return csv_copy.CopyFormat(zone=zone, wire=wire, image_folder=folder,
                               whitespace=WHITESPACE, first=PROBE_FIRST, last=PROBE_LAST)


def _server_agrees(ctx: ServiceContext, zone: str) -> bool:
    """Whether the server writes ``zone``'s wall times as Python does, once per server and
    zone in a session (the two rule books do not change under a running program)."""
    key = (str(getattr(ctx.store.db, "address", "")), zone, repr(clock.local_zone()))
    if key not in _agreeing:
        with ctx.read():
            texts = csv_copy.zone_texts(ctx.store, zone, PROBE_FIRST, PROBE_LAST, PROBE_STEP)
        local = clock.local_zone()
        # datetime's own conversion: what format_wire's faster table is tested against
        ours = [datetime.fromtimestamp(m, local).strftime(clock.WIRE_FORMAT)
                for m in range(PROBE_FIRST, PROBE_LAST + 1, PROBE_STEP)]
        _agreeing[key] = texts == ours
    return _agreeing[key]


def server_batches(source: HandleExportSource, fmt: csv_copy.CopyFormat,
                   size: int = BATCH_SIZE) -> Iterator[tuple[bytes, int]]:
    """The file's lines after the header, CR LF ended, as the server writes them:
    ``(lines, how many)`` about ``size`` rows at a time, in one read transaction. Raises
    ``ServerCannotFormat`` (possibly after some batches: start the file again)."""
    statement, params = csv_copy.copy_statement(source.ctx.store, source.ordered, fmt)
    line_end = b"\r\n"
    with source.ctx.read():
        rows: list[Any] = []
        try:
            for row in csv_copy.copy_lines(source.ctx.store, statement, params):
                rows.append(row[:-1])  # the server's LF
                if len(rows) >= size:
                    yield line_end.join(rows) + line_end, len(rows)
                    rows = []
        except csv_copy.RefusedByServer as exc:
            raise ServerCannotFormat(str(exc)) from exc
        if rows:
            yield line_end.join(rows) + line_end, len(rows)
