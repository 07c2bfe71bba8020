"""The use cases: the only code that writes. One transaction per call; changes announced.

Every method takes the wire-shaped ``dict`` of the action spec and returns the wire result,
so the API, the GUI forms and the CLI share one validation and one set of rules.
"""

from __future__ import annotations

from pathlib import Path

from mixtimer_gui.domain.clock import Clock, SystemClock
from mixtimer_gui.services.catalog import HandlerService, ObjectService, StatisticService
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.services.handles import HandleService
from mixtimer_gui.services.projects import ProjectService
from mixtimer_gui.services.reminders import ReminderService
from mixtimer_gui.services.tasks import TaskService
from mixtimer_gui.store import Database
from mixtimer_gui.store.db import open_database


class Services:
    def __init__(self, db: Database, clock: Clock | None = None, bus: ChangeBus | None = None,
                 data_dir: Path | None = None) -> None:
        self.ctx = ServiceContext(db=db, clock=clock or SystemClock(), bus=bus or ChangeBus(),
                                  data_dir=data_dir)
        self.projects = ProjectService(self.ctx)
        self.tasks = TaskService(self.ctx)
        self.handles = HandleService(self.ctx)
        self.objects = ObjectService(self.ctx)
        self.statistics = StatisticService(self.ctx)
        self.handlers = HandlerService(self.ctx)
        self.reminders = ReminderService(self.ctx)

    @classmethod
    def open(cls, path: Path | str, clock: Clock | None = None,
             bus: ChangeBus | None = None, *, synchronous: str = "normal",
             read_only: bool = False, check: bool | str = True) -> Services:
        """Open (create, migrate) the database at ``path`` and the services on it.

        ``synchronous="full"`` also survives power loss (each commit waits for the disk);
        ``read_only=True`` views a locked or read-only database (writes raise ``StoreError``);
        ``check="auto"`` skips the start-up ``quick_check`` of a large, cleanly closed file.
        """
        path = Path(path)
        db = open_database(path, synchronous=synchronous, read_only=read_only, check=check)
        return cls(db, clock, bus, data_dir=path.parent)

    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def bus(self) -> ChangeBus:
        return self.ctx.bus

    def close(self) -> None:
        self.ctx.db.close()


__all__ = ["ChangeBus", "ServiceContext", "Services"]
