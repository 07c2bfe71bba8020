"""A data version per table (schema step 7), and counts reused while it stands.

Triggers raise ``data_version.version`` of a table in the same transaction as every INSERT,
UPDATE and DELETE on it (SQLite: once per row; PostgreSQL: once per statement), so a number
read inside a read transaction says exactly which state of the table that transaction sees.
A count taken at versions (v1, v2) is still the count while the versions are (v1, v2):
paging through 10 M handles then counts once, not once per page.

API (also for team mode's live refresh, #16): ``data_versions(store, tables)`` → a tuple of
ints, read in the caller's transaction; ``has_data_versions(store)`` says whether the
database has the table (a database opened read-only below step 7 has not).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from mixtimer_gui.store.models import Store, per_store

COUNTS_KEPT = 256


@per_store
def has_data_versions(store: Store) -> bool:
    return bool(store.db.table_exists("data_version"))


def data_versions(store: Store, tables: Sequence[str]) -> tuple[int, ...]:
    """The version of each of ``tables`` as the current transaction sees it."""
    mark = store.db.param
    marks = ", ".join(mark for _ in tables)
    found = dict(store.db.execute_sql(
        f'SELECT "name", "version" FROM "data_version" WHERE "name" IN ({marks})',
        tuple(tables)).fetchall())
    return tuple(int(found.get(t, 0)) for t in tables)


class CountCache:
    """Counts by (statement, tables' versions); thread-safe (the API answers on several
    threads), bounded (least recently used first out)."""

    def __init__(self, size: int = COUNTS_KEPT) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._counts: OrderedDict[Any, int] = OrderedDict()

    def count(self, key: Any, compute: Callable[[], int]) -> int:
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        total = compute()
        with self._lock:
            self._counts[key] = total
            self._counts.move_to_end(key)
            while len(self._counts) > self._size:
                self._counts.popitem(last=False)
        return total

    def __len__(self) -> int:
        return len(self._counts)


@per_store
def count_cache(store: Store) -> CountCache:
    return CountCache()


def counted(store: Store, tables: Sequence[str],
            statement: tuple[str, tuple[Any, ...]]) -> int:
    """The rows ``statement`` counts, reused while ``tables`` are unchanged (call inside the
    read transaction that the page is read in, so count and page see one state)."""

    def compute() -> int:
        return int(store.db.execute_sql(*statement).fetchone()[0])

    if not has_data_versions(store):
        return compute()
    key = (statement, tuple(tables), data_versions(store, tables))
    return count_cache(store).count(key, compute)
