"""Compiled list statements, kept per ``Store``: a repeated list request skips Peewee.

Building and compiling the count and the page of a list took ~30 % of a small list
request (issue 13). Their SQL text and parameters follow from the request alone: the
entity, the filter and order values, the page, whether it is counted, and the local zone
(a time filter such as ``"2024-05-11"`` becomes epoch seconds in that zone). So the
``PagePlan`` is kept under a key made of exactly those, in a bounded LRU per store. It
holds SQL, never rows: every request still runs both statements.

Not for lists whose SQL embeds more than the request (tasks: the status is computed for
``now``). A request that is refused (``DomainError`` while building) is never kept, so it
is refused again; a request with values beyond plain JSON, or too large to be worth
keeping, is built every time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from mixtimer_gui.domain import clock
from mixtimer_gui.store.models import Store
from mixtimer_gui.store.queries import PagePlan

CACHE_SIZE = 256
MAX_KEY_TEXT = 4096  # characters of filter values: a huge where_in is built each time
FILTER_PARAMS = ("where_and", "where_or", "where_in", "order_by")


class PlanCache:
    """A thread-safe LRU of ``PagePlan`` by key (the API answers on several threads)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._plans: OrderedDict[Hashable, PagePlan] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def plan(self, key: Hashable | None, build: Callable[[], PagePlan]) -> PagePlan:
        if key is None:
            return build()
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                self.hits += 1
                return plan
            self.misses += 1
        plan = build()  # outside the lock; raises for a refused request, nothing kept
        with self._lock:
            self._plans[key] = plan
            self._plans.move_to_end(key)
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return plan

    def __len__(self) -> int:
        return len(self._plans)


def plan_cache(store: Store) -> PlanCache:
    """The store's cache of list plans."""
    return store.memo(_new_cache)


def _new_cache(store: Store) -> PlanCache:
    return PlanCache()


def cached_plan(store: Store, key: Hashable | None, build: Callable[[], PagePlan]) -> PagePlan:
    """``build()``'s plan, or the one kept under ``key`` (``None``: build, keep nothing)."""
    return plan_cache(store).plan(key, build)


def list_key(entity: str, data: Mapping[str, Any], *, page_index: int, page_size: int,
             count: bool = True, order_default: str = "") -> Hashable | None:
    """What decides the SQL of a list request of ``entity`` (one query shape per name), or
    ``None`` when the request should not be kept."""
    try:
        budget = [MAX_KEY_TEXT]
        filters = tuple(_exact(data.get(name), budget) for name in FILTER_PARAMS)
    except (_NotKept, RecursionError):
        return None
    return (entity, filters, order_default, page_index, page_size, count,
            clock.local_zone())


class _NotKept(Exception):
    pass


def _exact(value: Any, budget: list[int]) -> Hashable:
    """``value`` as a key that tells apart everything the filter code tells apart: type by
    type (``1``, ``1.0``, ``True`` and ``"1"`` differ; a tuple is refused where a list is
    read), floats by ``repr`` (``-0.0`` is ``"-0.0"`` to ``like``)."""
    kind = type(value)
    if kind is str:
        budget[0] -= len(value)
        if budget[0] < 0:
            raise _NotKept
        return value
    if value is None or kind is int or kind is bool:
        budget[0] -= 1 + (value.bit_length() // 3 if kind is int else 0)
        if budget[0] < 0:
            raise _NotKept
        return (kind.__name__, value)
    if kind is float:
        return ("float", repr(value))
    if kind is list:
        return ("list", *(_exact(item, budget) for item in value))
    if kind is dict:
        return ("dict", *((_exact(k, budget), _exact(v, budget)) for k, v in value.items()))
    raise _NotKept
