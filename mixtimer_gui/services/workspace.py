"""The workspace: one opened database and what goes with it, for the outer layers.

The window, ``serve`` and the commands open a database by its location and hold a
``Workspace``: its ``services`` (the use cases), its ``backups`` (list, back up now, restore,
the newest good copy) and the automatic daily copy, SQLite's memory cap, the data folder
beside it, and ``close()``. They never import the store; what can go wrong is told apart
with the errors of ``services.errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.services.backups import Backups
from mixtimer_gui.services.core import Services
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.services.live import ChangeListener, start_listening
from mixtimer_gui.services.location import Location
from mixtimer_gui.store.backup import DailyBackups
from mixtimer_gui.store.db import limit_page_caches
from mixtimer_gui.store.errors import DamagedDatabaseError


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

    @classmethod
    def open(cls, location: Location | Path | str, *, clock: Clock | None = None,
             bus: ChangeBus | None = None, read_only: bool = False,
             synchronous: str = "normal", check: bool | str = True) -> Workspace:
        """Open (create, migrate) the database at ``location``.

        ``read_only=True`` views a locked or read-only database (writes then raise
        ``StoreError``); ``synchronous="full"`` makes every commit survive power loss;
        ``check`` is the start-up integrity check: ``True``, ``False``, or ``"auto"`` (skip
        it for a large, cleanly closed file: the verified daily copy checks those).
        Raises ``StoreError`` and its kinds (``services.errors``), or ``OSError``.
        """
        services = Services.open(location, clock, bus, synchronous=synchronous,
                                 read_only=read_only, check=check)
        return cls(services, read_only=read_only)

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
                            = None, *, interval_s: float = 3600) -> DailyBackups:
        """Today's verified copy now, then a check every ``interval_s``, on a daemon thread
        with its own connections; stopped by ``close()``. Damage found in the copy goes to
        ``on_damaged`` (called on that thread) and makes the next opening check the file.
        On a server (team mode) the copy steps aside: it does nothing."""
        if self._daily is None:
            kind = NoDailyBackups if self.location.is_server else DailyBackups
            self._daily = kind(self.location.path, self.services.clock,
                               interval_s=interval_s, on_damaged=on_damaged)
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
