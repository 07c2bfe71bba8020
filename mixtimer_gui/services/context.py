"""What every service needs: the database, the clock, the change bus, the data folder."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mixtimer_gui.domain.clock import Clock, SystemClock
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.store import Database
from mixtimer_gui.store.health import explain_write_error


@dataclass
class ServiceContext:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    bus: ChangeBus = field(default_factory=ChangeBus)
    data_dir: Path | None = None
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``); announcements go out after commit.

        Nested calls join the outer transaction and its announcements.
        """
        outer = getattr(self._local, "changes", None) is None
        if outer:
            self._local.changes = defaultdict(list)
        try:
            with self.db.atomic():
                yield
            if outer:
                changes = self._local.changes
                self._local.changes = None
                for entity, uids in changes.items():
                    self.bus.publish(entity, tuple(dict.fromkeys(uids)))
        except BaseException as exc:
            if outer:
                self._local.changes = None
            # A full disk, a read-only file or a lock held too long: a sentence, not SQL.
            storage_error = explain_write_error(exc)
            if storage_error is not None:
                raise storage_error from exc
            raise

    @contextmanager
    def read(self) -> Iterator[None]:
        """A read transaction: one consistent snapshot, no write lock."""
        with self.db.atomic(lock_type="DEFERRED"):
            yield

    @contextmanager
    def thread_connection(self) -> Iterator[Callable[[], None]]:
        """A connection of the calling (worker) thread's own for the block, closed after,
        so a finished worker holds none. Yields a function that interrupts the statement
        running on it from any thread (a count made stale by a newer filter)."""
        with self.db.connection_context():
            yield self.db.connection().interrupt

    def changed(self, entity: str, *uids: str) -> None:
        changes = getattr(self._local, "changes", None)
        if changes is None:
            self.bus.publish(entity, uids)
        else:
            changes[entity].extend(uids)
