"""The one way a command opens its database.

A headless command never opens the store by itself: it asks ``open_workspace`` and gets the
services on the database at ``path`` for as long as its ``with`` block runs. (The window
opens its database after its first paint and offers recovery: ``gui.app.WindowStart``.)
A store error (damaged, locked, read-only, from a newer version, disk full …) is a
``CommandError`` with the store's own sentence, whether it comes from opening or from a
write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mixtimer_gui.commands.errors import CommandError
from mixtimer_gui.services import Workspace
from mixtimer_gui.services.errors import DatabaseLockedError, ReadOnlyDatabaseError, StoreError
from mixtimer_gui.services.history import CLI, Actor

# What --db or MIXTIMER_DB names: a SQLite file, or a PostgreSQL location (team mode).
DatabaseAt = Path | str


def no_such_file(where: DatabaseAt) -> bool:
    """``where`` names a SQLite file that does not exist (a server location never does)."""
    return isinstance(where, Path) and not where.is_file()


@contextmanager
def open_workspace(path: DatabaseAt, *, for_reading: bool = False,
                   check: bool | str = True) -> Iterator[Workspace]:
    """The workspace on the database at ``path`` (created and migrated when needed), closed
    when the block ends.

    ``for_reading=True`` (an export) still opens for writing first, so a damaged database is
    reported up front with its newest good backup; ``check="auto"`` skips only the integrity
    scan of a large, cleanly closed file (half a second at a million handles; the daily
    backup verifies those). One that cannot be written (read-only, or locked by another
    program) is then opened read-only: reading needs no more. ``check="background"``
    (``serve``): a due start-up check is left to ``Workspace.start_pending_check``.
    """
    try:
        workspace = _open(path, for_reading, check)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    workspace.services.ctx.actor = Actor(CLI)  # what it writes, the history says, came so
    try:
        yield workspace
    except StoreError as exc:  # a write the database refused
        raise CommandError(str(exc)) from exc
    finally:
        workspace.close()


def _open(path: DatabaseAt, for_reading: bool, check: bool | str) -> Workspace:
    if not for_reading:
        return Workspace.open(path, check=check)
    try:
        return Workspace.open(path, check="auto")
    except (ReadOnlyDatabaseError, DatabaseLockedError):
        return Workspace.open(path, read_only=True)
