"""The workspace: one opened database and what goes with it, for the outer layers.

The window, ``serve`` and the commands open a database by its location and hold a
``Workspace``: its ``services`` (the use cases), its ``backups`` (list, back up now, restore,
the newest good copy) and the automatic daily copy, SQLite's memory cap, the data folder
beside it, and ``close()``. They never import the store; what can go wrong is told apart
with the errors of ``services.errors``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.services.backups import Backups
from mixtimer_gui.services.core import Services
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.services.live import ChangeListener, start_listening
from mixtimer_gui.services.location import Location, upgrade_due
from mixtimer_gui.store import backup, health, probe
from mixtimer_gui.store.backup import DailyBackups
from mixtimer_gui.store.db import limit_page_caches
from mixtimer_gui.store.errors import CheckRunningError, DamagedDatabaseError, StoreError
from mixtimer_gui.store.migrations import MigrationProgress

log = logging.getLogger(__name__)

# What a start-up check finds: ``None`` (the file is sound) or the error that says why not.
CheckDone = Callable[[StoreError | None], None]


def integrity_check(path: Path) -> None:
    """The start-up check (``PRAGMA quick_check``, read-only); a seam for tests."""
    probe.quick_check(path)


def _refusing(error: StoreError) -> Callable[[], None]:
    def refuse() -> None:
        raise error

    return refuse


class NoDailyBackups(DailyBackups):
    """Team mode: the server's database is backed up on the server (``pg_dump``); the
    daily copy steps aside and does nothing."""

    def run_once(self) -> Path | None:
        return None

    def start(self) -> None:
        pass


class Workspace:
    """Use ``Workspace.open``; ``close()`` (or ``with``) when done.

    ``read_only``: writes are refused, because that was asked for or, on a server, because
    this program is older than the database allows: ``read_only_reason`` then says which
    version to install (show it).
    """

    def __init__(self, services: Services, *, read_only: bool = False) -> None:
        self.services = services
        self.read_only_reason = services.ctx.store.read_only_reason
        self.read_only = read_only or self.read_only_reason is not None
        self._daily: DailyBackups | None = None
        self._listener: ChangeListener | None = None
        self.pending_check: Path | None = None  # ``check="background"``: still to run
        self.check_thread: threading.Thread | None = None

    @classmethod
    def open(cls, location: Location | Path | str, *, clock: Clock | None = None,
             bus: ChangeBus | None = None, read_only: bool = False,
             synchronous: str = "normal", check: bool | str = True,
             progress: MigrationProgress | None = None) -> Workspace:
        """Open (create, migrate) the database at ``location``.

        ``read_only=True`` views a locked or read-only database (writes then raise
        ``StoreError``); ``synchronous="full"`` makes every commit survive power loss;
        ``check`` is the start-up integrity check: ``True``, ``False``, ``"auto"`` (skip
        it for a large, cleanly closed file: the verified daily copy checks those), or
        ``"background"``: ``"auto"``'s rule, but a due check of a file that needs no
        migration is left for ``start_pending_check`` (the database is usable at once).
        ``progress(what, done, total)`` hears an upgrade (``upgrade_due``) go, on the
        opening thread; an exception raised in it stops the upgrade (nothing changed) and
        comes out of ``open``. Raises ``StoreError`` and its kinds (``services.errors``), or
        ``OSError``.
        """
        pending: Path | None = None
        if check == "background":
            where = Location.parse(location)
            if not where.is_server and not read_only and health.deferred_check_due(where.path):
                pending = where.path
            check = False if pending else "auto"
        services = Services.open(location, clock, bus, synchronous=synchronous,
                                 read_only=read_only, check=check, progress=progress)
        workspace = cls(services, read_only=read_only)
        workspace.pending_check = pending
        return workspace

    @staticmethod
    def upgrade_due(location: Location | Path | str) -> bool:
        """Opening ``location`` would first upgrade its data to this version's schema (at
        a million handles, a minute or so: building the search index). Cheap: the file's
        header, or one short connection to the server."""
        return upgrade_due(Location.parse(location))

    def start_pending_check(self, on_done: CheckDone | None = None) -> bool:
        """Run the start-up check left by ``check="background"`` on a thread of its own;
        ``False`` when none is due. Meanwhile reads go on and writes raise
        ``CheckRunningError`` (a sentence; the API answers 10503). A sound file: writes go
        on. Damage: writes keep raising ``DamagedDatabaseError`` and the next start offers
        recovery (the check mark stays). ``on_done`` is called on that thread."""
        path = self.pending_check
        if path is None:
            return False
        self.pending_check = None
        ctx = self.services.ctx

        def waiting() -> None:
            raise CheckRunningError(path)

        def run() -> None:
            found: StoreError | None = None
            try:
                integrity_check(path)
                backup.clear_check_mark(path)
                ctx.write_gate = None
            except DamagedDatabaseError as exc:
                found = exc
                backup.mark_for_check(path)
                ctx.write_gate = _refusing(exc)
                log.error("the start-up check found the database damaged: %s", exc)
            except StoreError as exc:  # locked or unreadable now: not damage; writes go on
                found = exc
                ctx.write_gate = None
                log.warning("the start-up check could not run: %s", exc)
            if on_done is not None:
                on_done(found)

        ctx.write_gate = waiting
        self.check_thread = threading.Thread(target=run, name="mixtimer-startup-check",
                                             daemon=True)
        self.check_thread.start()
        return True

    @property
    def location(self) -> Location:
        """Where the database is; ``str()`` of it is what to show the user."""
        return self.services.location

    @property
    def data_dir(self) -> Path:
        """The folder beside the database: attached images (``images/``), ``backups/``."""
        return self.location.data_dir

    @property
    def backups(self) -> Backups:
        return self.services.backups

    def limit_memory(self, total_mib: int) -> None:
        """Keep the database engine's caches in this process near ``total_mib`` in all,
        however many threads hold connections (SQLite's soft heap limit)."""
        if not self.location.is_server:
            limit_page_caches(self.services.db, total_mib)

    def start_daily_backups(self, on_damaged: Callable[[DamagedDatabaseError], None] | None
                            = None, *, interval_s: float = 3600,
                            on_skipped: Callable[[StoreError], None] | None = None
                            ) -> DailyBackups:
        """Today's verified copy now, then a check every ``interval_s``, on a daemon thread
        with its own connections; stopped by ``close()``. Damage found in the copy goes to
        ``on_damaged`` (called on that thread) and makes the next opening check the file;
        a copy skipped for want of disk space goes to ``on_skipped`` (that thread too).
        On a server (team mode) the copy steps aside: it does nothing."""
        if self._daily is None:
            kind = NoDailyBackups if self.location.is_server else DailyBackups
            self._daily = kind(self.location.path, self.services.clock,
                               interval_s=interval_s, on_damaged=on_damaged,
                               on_skipped=on_skipped)
            self._daily.start()
        return self._daily

    def stop_daily_backups(self) -> None:
        """Stop the daily copy; one in progress finishes first."""
        if self._daily is not None:
            self._daily.stop()
            self._daily = None

    def start_live_refresh(self) -> ChangeListener | None:
        """On a database other workstations share: hear their writes and republish them on
        this workspace's change bus (a thread with its own connection; stopped by
        ``close()``). A SQLite file has no one else: ``None``, nothing started."""
        if self._listener is None:
            self._listener = start_listening(self.services.ctx)
        return self._listener

    def stop_live_refresh(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def close(self) -> None:
        """Stop the daily copy and the live refresh, close the calling thread's
        connection."""
        self.stop_daily_backups()
        self.stop_live_refresh()
        self.services.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
