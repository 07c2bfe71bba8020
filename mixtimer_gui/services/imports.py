"""Many records in one write, all or nothing: what a CSV import of objects or readings does.

Each row goes through the same service call the API uses, inside one outer transaction and a
savepoint of its own (the service's nested write), so a refused row leaves no trace while the
good ones stay. At the end everything is kept, or, for a dry run (``commit=False``), a refused
row without ``keep_good``, or no good row at all, rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.history import IMPORT

Row = tuple[int, Mapping[str, Any]]  # (the caller's number for the row, its wire fields)
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


class ImportCancelled(Exception):
    """The caller cancelled: everything done so far was rolled back."""


@dataclass
class ImportOutcome:
    good: int = 0  # rows applied (kept when ``committed``; else they would have been)
    errors: list[tuple[int, DomainError]] = field(default_factory=list)  # (row, refusal)
    committed: bool = False
    existing: int = 0  # object rows naming an object that is already there
    updated: int = 0  # of the good rows, those that updated an existing object


class _RollBack(Exception):
    pass


def apply_rows(ctx: ServiceContext, rows: Sequence[Row],
               apply: Callable[[Mapping[str, Any]], object], outcome: ImportOutcome, *,
               commit: bool, keep_good: bool, progress: Progress | None,
               cancelled: Callable[[], bool] | None) -> ImportOutcome:
    """``apply`` each row in one transaction; refusals (``DomainError``) are collected.
    ``apply`` writes through service calls, each of which is a savepoint of its own.

    ``progress(done, total)`` every 200 rows; when ``cancelled()`` turns true everything is
    rolled back and ``ImportCancelled`` raised.
    """
    actor = ctx.current_actor()
    try:
        with ctx.write(), ctx.acting(replace(actor, source=IMPORT)):
            for done, (number, record) in enumerate(rows, 1):
                try:
                    apply(record)  # a service call: its own savepoint inside this write
                    outcome.good += 1
                except DomainError as exc:
                    outcome.errors.append((number, exc))
                if done % PROGRESS_EVERY == 0:
                    if cancelled is not None and cancelled():
                        raise ImportCancelled
                    if progress is not None:
                        progress(done, len(rows))
            if not commit or (outcome.errors and not keep_good) or not outcome.good:
                raise _RollBack
    except _RollBack:
        outcome.committed = False
    else:
        outcome.committed = True
    return outcome
