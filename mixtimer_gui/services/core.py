"""``Services``: the use cases on one opened database, each service sharing one context."""

from __future__ import annotations

from pathlib import Path

from mixtimer_gui.domain.clock import Clock, SystemClock
from mixtimer_gui.services.backups import Backups
from mixtimer_gui.services.calendar import CalendarService
from mixtimer_gui.services.catalog import HandlerService, ObjectService, StatisticService
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.services.handles import HandleService
from mixtimer_gui.services.history_list import HistoryService
from mixtimer_gui.services.images import SharedImages
from mixtimer_gui.services.location import Location, open_location
from mixtimer_gui.services.notify import NotifyService
from mixtimer_gui.services.projects import ProjectService
from mixtimer_gui.services.reminders import ReminderService
from mixtimer_gui.services.tasks import TaskService
from mixtimer_gui.store.migrations import MigrationProgress
from mixtimer_gui.store.models import Database, Store


class Services:
    """The services on ``store`` (the database at ``location``).

    Usually opened through ``Workspace.open``, which also owns the daily backups and the
    memory cap; ``Services.open`` is the same opening without them.
    """

    def __init__(self, store: Store, location: Location, clock: Clock | None = None,
                 bus: ChangeBus | None = None) -> None:
        self.ctx = ServiceContext(store=store, location=location, clock=clock or SystemClock(),
                                  bus=bus or ChangeBus())
        self.projects = ProjectService(self.ctx)
        self.tasks = TaskService(self.ctx)
        self.handles = HandleService(self.ctx)
        self.history = HistoryService(self.ctx)
        self.objects = ObjectService(self.ctx)
        self.statistics = StatisticService(self.ctx)
        self.handlers = HandlerService(self.ctx)
        self.reminders = ReminderService(self.ctx)
        self.notify = NotifyService(self.ctx)
        self.calendar = CalendarService(self.ctx)
        self.backups = Backups(location, self.ctx)
        self.images = SharedImages(self.ctx)

    @classmethod
    def open(cls, location: Location | Path | str, clock: Clock | None = None,
             bus: ChangeBus | None = None, *, synchronous: str = "normal",
             read_only: bool = False, check: bool | str = True,
             progress: MigrationProgress | None = None) -> Services:
        """Open (create, migrate) the database at ``location`` and the services on it; the
        options are ``open_location``'s."""
        where = Location.parse(location)
        store = open_location(where, synchronous=synchronous, read_only=read_only, check=check,
                              progress=progress)
        return cls(store, where, clock, bus)

    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def location(self) -> Location:
        return self.ctx.location

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def bus(self) -> ChangeBus:
        return self.ctx.bus

    def close(self) -> None:
        """Close the calling thread's connection."""
        self.ctx.store.close()
