"""A table model that pages from a services list method (DESIGN §1, §8).

Rows load lazily, one page at a time, when the view asks for them; a small LRU of pages keeps
memory flat however many rows the filter matches. Sorting re-queries with ``order_by`` (never
a proxy model: sorting 100 k Python rows in a proxy took seconds). Filters are the wire's
``where_and`` / ``where_or`` / ``where_in``, so what the list shows is exactly what the API
and the CSV export would return for the same parameters.

With ``count_connection`` (``background.own_connection(services)``: a worker thread's own
connection; for a fetch that takes ``count=``), a new filter shows its first page without
waiting for the total: page 1 is fetched with one extra row and no count, and the count
runs on a ``background.Worker``. Until it arrives, ``rowCount`` is the rows loaded plus one
when a further row exists; views that scroll to the end fetch more (``fetchMore``). A new
filter, order or refresh makes a running count stale: it is interrupted and its total
ignored. At 1 M handles a LIKE search or a person filter takes ~0.3 s to count but ~10 ms
to show its first page.

``set_filter(..., background=True)`` fetches page 1 itself on a worker too: a text search
for a word that is nowhere scans every row even for its first page (~0.5 s at 1 M
handles), and the window must not stand still meanwhile. The rows shown stay until the new
page arrives; a newer filter interrupts the search and wins. ``refresh`` (a live change)
of such a filter goes the same way, keeping row positions as it does otherwise.

Signals:
    loaded(int): after each (re)count, with the total number of matching rows.
    counting(): a first page is shown and its total is being counted.
    searching(): a first page is being fetched in the background.
    error(str): a ``DomainError`` from the fetch (the model is then empty).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.background import Connect, Job, Worker
from mixtimer_gui.gui.messages import say

log = logging.getLogger(__name__)

Fetch = Callable[..., dict]
Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Column:
    """One column. ``sort_field`` is the wire field to ORDER BY (``None``: the column's
    ``key``; ``""``: not sortable). ``display`` formats the record for the cell."""

    key: str
    title: str
    sort_field: str | None = None
    display: Callable[[dict], str] | None = None
    foreground: Callable[[dict], QColor | None] | None = None
    background: Callable[[dict], QColor | None] | None = None
    align_right: bool = False
    width: int = 120

    def order_field(self) -> str | None:
        if self.sort_field is None:
            return self.key
        return self.sort_field or None

    def text(self, record: dict) -> str:
        if self.display is not None:
            return self.display(record)
        value = record.get(self.key)
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


class PagedTableModel(QAbstractTableModel):
    loaded = Signal(int)
    counting = Signal()
    searching = Signal()
    error = Signal(str)

    MAX_CACHED_PAGES = 8

    def __init__(self, fetch: Fetch, columns: list[Column], page_size: int = 200,
                 parent: QObject | None = None, *,
                 count_connection: Connect | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._columns = list(columns)
        self._page_size = max(1, min(page_size, 1000))
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._total = 0
        self._where_and: list = []
        self._where_or: list = []
        self._where_in: list = []
        self._order_by = ""
        self._accepts_count = _accepts_keyword(fetch, "count")
        # Each on a connection of its own, one run at a time: the total, and a first page
        # that takes long (a text search).
        self._counter: Worker | None = None
        self._searcher: Worker | None = None
        if count_connection is not None and self._accepts_count:
            self._counter = Worker(count_connection, "mixtimer-table-count", self)
            self._searcher = Worker(count_connection, "mixtimer-table-search", self)
            self._page_size = min(self._page_size, 999)  # page 1 asks one row more
        self._counted = True  # False while a worker counts the current filter
        self._more = False  # before the count: a row exists past the loaded ones
        self._background = False  # the filter's first page comes from a worker
        self._loaded_once = False
        self.fetch_calls = 0  # how many pages were fetched: tests and benchmarks read it

    # -- the public interface ---------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def set_columns(self, columns: list[Column]) -> None:
        """Replace the columns' titles and formatting (e.g. after a language switch); the
        number of columns must stay the same."""
        if len(columns) != len(self._columns):
            raise ValueError("set_columns keeps the number of columns")
        self._columns = list(columns)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(columns) - 1)
        if self._total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._total - 1, len(columns) - 1))

    @property
    def total(self) -> int:
        """The row count: the total once counted, else the rows known so far (+1)."""
        return self._total

    @property
    def total_known(self) -> bool:
        return self._counted

    @property
    def counting_in_background(self) -> bool:
        return self._counter is not None and self._counter.busy

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def searching_in_background(self) -> bool:
        return self._searcher is not None and self._searcher.busy

    def set_filter(self, where_and: list | None = None, where_or: list | None = None,
                   where_in: list | None = None, *, background: bool = False) -> None:
        """Show what the filter matches; ``background``: fetch page 1 on a worker (with
        ``count_connection``; otherwise at once, as without it)."""
        self._where_and = list(where_and or [])
        self._where_or = list(where_or or [])
        self._where_in = list(where_in or [])
        self._background = background and self._searcher is not None
        if self._background:
            self._stop_counting()
            self.searching.emit()
            self._start_page(refresh=False)
        else:
            self._reload()

    def set_order(self, order_by: str, *, load: bool = True) -> None:
        """Order by ``order_by`` and reload; ``load=False`` before the first load only
        remembers it, so setting up order and filters queries once (a tab's set-up)."""
        previous = self._order_by
        self._order_by = order_by
        if not load:
            return
        if not self._reload(quiet=True):
            # An order the service refuses (e.g. a computed column): keep the old one.
            self._order_by = previous
            self._reload()

    def order_by(self) -> str:
        return self._order_by

    def refresh(self) -> None:
        """Re-count and drop cached pages, keeping row positions so selections survive.

        With a background count the old row count stands until the new one arrives; with a
        background filter, page 1 comes from a worker too."""
        self._stop_counting()
        if self._background:
            self._start_page(refresh=True)
            return
        try:
            rows, total = self._first_page()
        except DomainError as exc:
            self._clear(say(exc))
            return
        self._refresh_with(rows, total)

    def _refresh_with(self, rows: list[dict], total: int | None) -> None:
        self._loaded_once = True
        if total is None:
            self._resize(max(self._total, len(rows) + 1), rows)
            self._start_count()
            return
        self._counted = True
        self._resize(total, rows)
        self.loaded.emit(total)

    def record(self, row: int) -> dict | None:
        if row < 0 or row >= self._total:
            return None
        page = self._page(row // self._page_size)
        offset = row % self._page_size
        return page[offset] if offset < len(page) else None

    def row_of_uid(self, uid: Any) -> int | None:
        """The row of the record with this uid (or ``id``), among loaded pages only."""
        for number, page in self._pages.items():
            for offset, rec in enumerate(page):
                if rec.get("uid", rec.get("id")) == uid:
                    return number * self._page_size + offset
        return None

    def filter_params(self) -> dict:
        return {"where_and": list(self._where_and), "where_or": list(self._where_or),
                "where_in": list(self._where_in), "order_by": self._order_by}

    def loaded_pages(self) -> list[int]:
        """0-based numbers of the pages held in memory now."""
        return sorted(self._pages)

    def column_of_order(self) -> tuple[int, Qt.SortOrder] | None:
        """The column the current ``order_by`` sorts, for the header's sort indicator."""
        field = self._order_by.lstrip("-")
        for number, column in enumerate(self._columns):
            if field and column.order_field() == field:
                descending = self._order_by.startswith("-")
                return number, (Qt.SortOrder.DescendingOrder if descending
                                else Qt.SortOrder.AscendingOrder)
        return None

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._counted and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """The view reached the last row before the count arrived: show the next page."""
        if not self.canFetchMore(parent):
            return
        number = self._total // self._page_size
        try:
            result = self._fetch_page(number, count=False)
        except DomainError as exc:
            self.error.emit(say(exc))
            return
        page = list(result.get("data") or [])
        self._remember(number, page)
        self._more = len(page) == self._page_size  # a full page: maybe more (the count says)
        known = number * self._page_size + len(page)
        self._resize(known + (1 if self._more else 0))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[section].align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec = self.record(index.row())
        if rec is None:
            return None
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(rec)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(rec)
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            return column.background(rec)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if column.align_right
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == RECORD_ROLE:
            return rec
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        field = self._columns[column].order_field()
        if not field:
            return
        prefix = "-" if order == Qt.SortOrder.DescendingOrder else ""
        # A view turning sorting on before the first load asks for nothing to be shown yet.
        self.set_order(prefix + field, load=self._loaded_once)

    # -- paging -----------------------------------------------------------------------------

    def _params(self, page_number: int) -> dict:
        params: dict[str, Any] = {"page_index": page_number + 1, "page_size": self._page_size,
                                  "where_and": self._where_and, "where_or": self._where_or,
                                  "where_in": self._where_in}
        if self._order_by:
            params["order_by"] = self._order_by
        return params

    def _fetch_page(self, page_number: int, *, count: bool) -> dict:
        self.fetch_calls += 1
        params = self._params(page_number)
        if self._accepts_count:
            return self._fetch(params, count=count)
        return self._fetch(params)

    def _page(self, number: int) -> list[dict]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        try:
            result = self._fetch_page(number, count=False)
        except DomainError as exc:
            self.error.emit(say(exc))
            return []
        page = list(result.get("data") or [])
        self._remember(number, page)
        return page

    def _remember(self, number: int, page: list[dict]) -> None:
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > self.MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def _first_page(self) -> tuple[list[dict], int | None]:
        """Page 1 and the total; ``None`` for a total the worker will count."""
        if self._counter is None:
            first = self._fetch_page(0, count=True)
            return list(first.get("data") or []), int(first.get("total_records") or 0)
        self.fetch_calls += 1
        params = {**self._params(0), "page_size": self._page_size + 1}
        rows = list(self._fetch(params, count=False).get("data") or [])
        self._more = len(rows) > self._page_size
        if self._more:
            return rows[:self._page_size], None
        return rows, len(rows)  # all of it fits on one page: that is the count

    def _store_first(self, rows: list[dict], total: int) -> None:
        self._pages.clear()
        self._total = total
        self._remember(0, rows)

    def _resize(self, new_total: int, first: list[dict] | None = None) -> None:
        """Grow or shrink to ``new_total`` rows in place (``first``: a fresh page 1)."""
        old_total = self._total
        if new_total > old_total:
            self.beginInsertRows(QModelIndex(), old_total, new_total - 1)
        elif new_total < old_total:
            self.beginRemoveRows(QModelIndex(), new_total, old_total - 1)
        if first is not None:
            self._store_first(first, new_total)
        self._total = new_total
        if new_total > old_total:
            self.endInsertRows()
        elif new_total < old_total:
            self.endRemoveRows()
        if first is not None and new_total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(new_total - 1, len(self._columns) - 1))

    def _reload(self, *, quiet: bool = False) -> bool:
        """Reset the model on a new filter or order; ``False`` if the fetch was refused."""
        self._stop_counting()
        self._stop_searching()  # a search in the background is stale now
        try:
            rows, total = self._first_page()
        except DomainError as exc:
            if quiet:
                return False
            self._clear(say(exc))
            return False
        self._show_first(rows, total)
        return True

    def _show_first(self, rows: list[dict], total: int | None) -> None:
        """A fresh page 1; ``total`` ``None``: counted on a worker."""
        self._loaded_once = True
        self.beginResetModel()
        self._store_first(rows, len(rows) + 1 if total is None else total)
        self._counted = total is not None
        self.endResetModel()
        if total is None:
            self.counting.emit()
            self._start_count()
        else:
            self.loaded.emit(self._total)

    def _clear(self, message: str) -> None:
        self._stop_counting()
        self._loaded_once = True
        self.beginResetModel()
        self._pages.clear()
        self._total = 0
        self._counted = True
        self._more = False
        self.endResetModel()
        self.error.emit(message)
        self.loaded.emit(0)

    # -- counting and searching on workers -------------------------------------------------

    def _stop_counting(self) -> None:
        if self._counter is not None:
            self._counter.stop()

    def _stop_searching(self) -> None:
        if self._searcher is not None:
            self._searcher.stop()

    def _start_count(self) -> None:
        assert self._counter is not None
        self._counted = False
        params, fetch = {**self._params(0), "page_size": 1}, self._fetch

        def count(_job: Job) -> int:
            return int(fetch(params, count=True).get("total_records") or 0)

        self._counter.run(count, self._apply_count, _count_failed)

    def _apply_count(self, total: int) -> None:
        if self._counted:
            return  # a total from elsewhere came first
        self._counted = True
        self._more = False
        self._resize(total)
        self.loaded.emit(total)

    def _start_page(self, *, refresh: bool) -> None:
        """Page 1 (and one row more) on a worker; ``refresh``: keep the row positions."""
        assert self._searcher is not None
        params, fetch = {**self._params(0), "page_size": self._page_size + 1}, self._fetch
        self.fetch_calls += 1

        def search(_job: Job) -> list[dict]:
            return list(fetch(params, count=False).get("data") or [])

        self._searcher.run(search, functools.partial(self._apply_page, refresh),
                           self._search_failed)

    def _apply_page(self, refresh: bool, rows: list[dict]) -> None:
        self._more = len(rows) > self._page_size
        page, total = (rows[:self._page_size], None) if self._more else (rows, len(rows))
        if refresh:
            self._refresh_with(page, total)
        else:
            self._show_first(page, total)

    def _search_failed(self, exc: Exception) -> None:
        if isinstance(exc, DomainError):
            self._clear(say(exc))
            return
        # The database failed under it: say so rather than stand still.
        log.debug("background search failed: %s", exc)
        self._clear(QCoreApplication.translate("PagedTableModel",
                                               "The search failed; please try again."))

    def wait_for_search(self, timeout_s: float = 10.0) -> bool:
        """Block until the search thread is done (tests; closing). ``True``: none left."""
        return self._searcher is None or self._searcher.wait(timeout_s)

    def wait_for_count(self, timeout_s: float = 10.0) -> bool:
        """Block until the counting thread is done (tests; closing). ``True``: none left."""
        return self._counter is None or self._counter.wait(timeout_s)


def _count_failed(exc: Exception) -> None:
    # Refused, or the database failed: the rows known so far stand and scrolling fetches
    # more.
    log.debug("background count failed: %s", exc)


def _accepts_keyword(func: Callable, name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
