"""A table model that pages from a services list method (DESIGN §1, §8).

Rows load lazily, one page at a time, when the view asks for them; a small LRU of pages keeps
memory flat however many rows the filter matches. Sorting re-queries with ``order_by`` (never
a proxy model: sorting 100 k Python rows in a proxy took seconds). Filters are the wire's
``where_and`` / ``where_or`` / ``where_in``, so what the list shows is exactly what the API
and the CSV export would return for the same parameters.

Signals:
    loaded(int): after each (re)count, with the total number of matching rows.
    error(str): a ``DomainError`` from the fetch (the model is then empty).
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.debounce import emit

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
    error = Signal(str)

    MAX_CACHED_PAGES = 12

    def __init__(self, fetch: Fetch, columns: list[Column], page_size: int = 200,
                 parent: QObject | None = None) -> None:
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
        emit(self.headerDataChanged, Qt.Orientation.Horizontal, 0, len(columns) - 1)
        if self._total:
            emit(self.dataChanged, self.index(0, 0),
                                  self.index(self._total - 1, len(columns) - 1))

    @property
    def total(self) -> int:
        return self._total

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_filter(self, where_and: list | None = None, where_or: list | None = None,
                   where_in: list | None = None) -> None:
        self._where_and = list(where_and or [])
        self._where_or = list(where_or or [])
        self._where_in = list(where_in or [])
        self._reload()

    def set_order(self, order_by: str) -> None:
        previous = self._order_by
        self._order_by = order_by
        if not self._reload(quiet=True):
            # An order the service refuses (e.g. a computed column): keep the old one.
            self._order_by = previous
            self._reload()

    def order_by(self) -> str:
        return self._order_by

    def refresh(self) -> None:
        """Re-count and drop cached pages, keeping row positions so selections survive."""
        try:
            first = self._fetch_page(0, count=True)
        except DomainError as exc:
            self._clear(str(exc.message))
            return
        new_total = int(first.get("total_records") or 0)
        old_total = self._total
        if new_total > old_total:
            self.beginInsertRows(QModelIndex(), old_total, new_total - 1)
            self._store_first(first, new_total)
            self.endInsertRows()
        elif new_total < old_total:
            self.beginRemoveRows(QModelIndex(), new_total, old_total - 1)
            self._store_first(first, new_total)
            self.endRemoveRows()
        else:
            self._store_first(first, new_total)
        if new_total:
            emit(self.dataChanged, self.index(0, 0),
                                  self.index(new_total - 1, len(self._columns) - 1))
        emit(self.loaded, new_total)

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
        self.set_order(prefix + field)

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
            emit(self.error, exc.message)
            return []
        page = list(result.get("data") or [])
        self._remember(number, page)
        return page

    def _remember(self, number: int, page: list[dict]) -> None:
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > self.MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def _store_first(self, first: dict, total: int) -> None:
        self._pages.clear()
        self._total = total
        self._remember(0, list(first.get("data") or []))

    def _reload(self, *, quiet: bool = False) -> bool:
        """Reset the model on a new filter or order; ``False`` if the fetch was refused."""
        try:
            first = self._fetch_page(0, count=True)
        except DomainError as exc:
            if quiet:
                return False
            self._clear(exc.message)
            return False
        self.beginResetModel()
        self._store_first(first, int(first.get("total_records") or 0))
        self.endResetModel()
        emit(self.loaded, self._total)
        return True

    def _clear(self, message: str) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = 0
        self.endResetModel()
        emit(self.error, message)
        emit(self.loaded, 0)


def _accepts_keyword(func: Callable, name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
