"""The backups of one database location: list them, back up now, find the newest good copy,
restore one. What the settings dialog and the start-up recovery offer.

``Backups(location)`` works on a database that is not open (the recovery dialog: the file
would not open); ``services.backups`` is the same for the open one, whose restore also closes
and reopens the calling thread's connection and tells every list that the data changed.
The copies themselves, their names and rotation are ``store.backup``'s.

In team mode (a PostgreSQL server) the program's file copies step aside: the server's
database is backed up on the server (``pg_dump``). ``applies`` is then false, the list is
empty, and backing up or restoring says why (``BackupError``).
"""

from __future__ import annotations

from pathlib import Path

from mixtimer_gui.paths import backups_dir
from mixtimer_gui.services import events
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.location import Location
from mixtimer_gui.store import backup
from mixtimer_gui.store.backup import BackupInfo, DailyBackups
from mixtimer_gui.store.errors import BackupError

# Everything a restore may have changed, for the lists to reload.
_RESTORED = (events.PROJECT, events.TASK, events.HANDLE, events.OBJECT, events.STATISTIC,
             events.READING)


class Backups:
    def __init__(self, location: Location, ctx: ServiceContext | None = None) -> None:
        self.location = location
        self._ctx = ctx

    @property
    def applies(self) -> bool:
        """The program keeps file copies of this database (not of a server's)."""
        return not self.location.is_server

    @property
    def not_applicable(self) -> str:
        """Why there are no copies here (team mode), or "" when there are."""
        if self.applies:
            return ""
        return (f"数据库 {self.location} 在 PostgreSQL 服务器上，本程序不做文件备份；"
                "请由数据库管理员在服务器上用 pg_dump 定期备份")

    @property
    def folder(self) -> Path:
        """Where the copies are."""
        return backups_dir(self.location.data_dir / "mixtimer.db" if self.location.is_server
                           else self.location.path)

    def list(self) -> list[BackupInfo]:
        """The copies of this database, newest first."""
        if not self.applies:
            return []
        return backup.list_backups(self.location.path)

    def back_up_now(self, now: int | None = None) -> Path:
        """A manual copy, safe while the database is in use; ``BackupError`` (nothing
        changed) when it cannot be made."""
        self._refuse_on_a_server()
        return backup.backup_now(self.location.path, now)

    def newest_good(self) -> Path | None:
        """The newest copy that passes the integrity check and can be restored."""
        if not self.applies:
            return None
        return backup.newest_restorable(self.location.path)

    def _refuse_on_a_server(self) -> None:
        if not self.applies:
            raise BackupError(self.not_applicable)

    def restore(self, copy: Path | str, *, keep_damaged: bool = False) -> Path:
        """Swap ``copy`` in; returns where the replaced file was kept: in ``backups/``, or
        with ``keep_damaged`` beside the database as ``<name>-damaged-<stamp>.db`` (never
        offered as a backup). ``BackupError`` / ``DatabaseInUseError``: nothing changed.

        On an open database the calling thread's connection is closed for the swap and
        opened again after (whether or not it worked); other threads must hold none.
        """
        self._refuse_on_a_server()
        keep_as = backup.DAMAGED if keep_damaged else backup.BEFORE_RESTORE
        if self._ctx is None:
            return backup.restore(self.location.path, Path(copy), keep_as=keep_as)
        db = self._ctx.db
        db.close()
        try:
            kept = backup.restore(self.location.path, Path(copy), keep_as=keep_as)
        finally:
            db.connect(reuse_if_open=True)
        for entity in _RESTORED:
            self._ctx.bus.publish(entity, ())
        return kept


__all__ = ["BackupInfo", "Backups", "DailyBackups"]
