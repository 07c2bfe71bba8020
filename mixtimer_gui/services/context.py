"""What every service needs: the store, where it is, the clock, the change bus; and the
calling thread's connection to the database (Peewee keeps one per thread)."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mixtimer_gui.domain.clock import Clock, SystemClock
from mixtimer_gui.services import history
from mixtimer_gui.services.events import ChangeBus, encode_changes
from mixtimer_gui.services.history import Actor
from mixtimer_gui.services.location import Location
from mixtimer_gui.store.errors import ConnectionLostError
from mixtimer_gui.store.models import Database, Store
from mixtimer_gui.store.postgres import MAX_PAYLOAD_BYTES

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class ServiceContext:
    store: Store
    location: Location
    clock: Clock = field(default_factory=SystemClock)
    bus: ChangeBus = field(default_factory=ChangeBus)
    # Who announces this context's writes to the other workstations, so that this one's
    # listener skips them: its own bus heard them already.
    origin: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    # Who writes when a thread says nothing else (``acting``): the window's operator, or
    # the command line.
    actor: Actor = field(default_factory=Actor)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    # Set while writes must wait (the start-up check after an unclean exit runs off the
    # request path): raises the ``StoreError`` that says why, before anything is written.
    write_gate: Callable[[], None] | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        """The store's Peewee database (for the store's own functions and for tests)."""
        return self.store.db

    @property
    def data_dir(self) -> Path:
        """The data folder: images beside the database."""
        return self.location.data_dir

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction, one writer at a time (``Store.write``); announcements go
        out after commit: on this bus, and on a shared database to the other workstations
        too (sent inside the transaction, so they arrive with the commit or never).

        Nested calls join the outer transaction and its announcements.
        """
        outer = getattr(self._local, "changes", None) is None
        gate = self.write_gate
        if outer and gate is not None:
            gate()
        if outer:
            self._local.changes = defaultdict(list)
        try:
            with self.store.write():
                yield
                if outer and self._local.changes and self.store.shared:
                    self.store.announce(encode_changes(self.origin, self._local.changes,
                                                       MAX_PAYLOAD_BYTES))
            if outer:
                changes = self._local.changes
                self._local.changes = None
                for entity, uids in changes.items():
                    self.bus.publish(entity, tuple(dict.fromkeys(uids)))
        except BaseException as exc:
            if outer:
                self._local.changes = None
            # A full disk, a read-only file, a lock held too long, a lost connection: a
            # sentence, not SQL.
            storage_error = self.store.explain(exc)
            if storage_error is not None:
                raise storage_error from exc
            raise

    @contextmanager
    def read(self) -> Iterator[None]:
        """A read transaction: one consistent snapshot, no write lock."""
        try:
            with self.store.read():
                yield
        except Exception as exc:
            # a server that went away or a statement that ran out of time: a sentence
            storage_error = self.store.explain_read(exc)
            if storage_error is not None:
                raise storage_error from exc
            raise

    def retry_write(self, write: Callable[[], T], *, repeatable: bool = False) -> T:
        """``write()``, once more on a new connection when the connection was lost before
        the commit (nothing was saved), or at any point when ``repeatable`` (running it
        twice changes nothing more than once: a handle with the client's own uid)."""
        try:
            return write()
        except ConnectionLostError as exc:
            if (exc.may_have_committed and not repeatable) or self.db.in_transaction():
                raise  # unknown outcome, or part of a bigger write that is lost as a whole
            log.warning("repeating a write after a lost connection: %s", exc)
            return write()

    # -- who writes, and the history of what they wrote -------------------------------------

    @contextmanager
    def acting(self, actor: Actor) -> Iterator[None]:
        """The calling thread's writes in the block are ``actor``'s (an API request)."""
        before = getattr(self._local, "actor", None)
        self._local.actor = actor
        try:
            yield
        finally:
            self._local.actor = before

    def current_actor(self) -> Actor:
        return getattr(self._local, "actor", None) or self.actor

    def operator(self, given: int = 0) -> int:
        """The operator id a write records: the one the request gave, else the actor's."""
        return given or self.current_actor().operator_id

    def record(self, action: str, entity: str, uid: str, before: Any, after: Any,
               *, operator: int = 0) -> None:
        """One history row, in the caller's write transaction (``history``)."""
        actor = self.current_actor()
        operator_id = operator or actor.operator_id
        name = actor.operator_name if operator_id == actor.operator_id else ""
        if operator_id and not name:
            handlers = self.store.Handler
            found = handlers.get_or_none(handlers.id == operator_id)
            name = found.name if found is not None else ""
        self.store.History.insert(
            time=self.clock.now(), operator_id=operator_id, operator_name=name,
            source=actor.source, action=action, entity=entity, entity_uid=uid,
            changes=json.dumps(history.changes(before, after), ensure_ascii=False,
                               default=str)).execute()

    def changed(self, entity: str, *uids: str) -> None:
        changes = getattr(self._local, "changes", None)
        if changes is None:
            self.bus.publish(entity, uids)
        else:
            changes[entity].extend(uids)

    # -- the calling thread's connection --------------------------------------------------

    @contextmanager
    def thread_connection(self) -> Iterator[Callable[[], None]]:
        """A connection of the calling (worker) thread's own for the block, closed after,
        so a finished worker holds none. Yields a function that interrupts the statement
        running on it from any thread (a count made stale by a newer filter)."""
        with self.db.connection_context():
            yield self.store.interrupter()

    @contextmanager
    def connection_scope(self, *, keep: bool = False) -> Iterator[None]:
        """The connection one request (of the API) runs on.

        ``keep=False``: opened here and closed here, unless the thread already had one (tests
        and the GUI thread keep theirs). ``keep=True`` (a server's worker threads): the
        thread's connection stays open for its next request, and the thread calls
        ``release_connection`` when it stops; opening one costs more than a whole list query
        (schema parse, cold page cache). A request that somehow leaves a transaction open
        loses its connection, so the next starts clean.
        """
        db = self.db
        opened = db.is_closed()
        if opened:
            db.connect()
        try:
            yield
        finally:
            if (opened and not keep) or self.store.in_transaction():
                self.release_connection()

    def release_connection(self) -> None:
        """Close the calling thread's connection, if it has one (rolling back a transaction
        left open); for a thread that is about to end. A failure is logged, not raised: it
        must not replace what the thread was doing."""
        try:
            self.store.release()
        except Exception:
            log.exception("closing a thread's database connection failed")
