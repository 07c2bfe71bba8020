"""Is the database usable? The start-up check, and the newest good backup for a damaged one.

``check_database(path)`` classifies a file without changing it: ok, missing (a new one will
be created), not a database, damaged (``PRAGMA quick_check`` fails), from a newer version,
locked by another program, read-only (file, folder or file system). Each report carries one
Chinese sentence saying what to do (``store.errors``); the GUI translates it for English.

``db.open_store`` runs the same checks through ``preflight`` and raises the matching
``StoreError`` before it writes anything, so a damaged file is never overwritten; inside
``offering_good_backup`` a ``DamagedDatabaseError`` names the newest backup that passes the
integrity check, which the recovery dialog offers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mixtimer_gui.store import backup, probe
from mixtimer_gui.store.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
    damaged_message,
    read_only_message,
    schema_too_new_message,
)
from mixtimer_gui.store.migrations import LATEST_VERSION
from mixtimer_gui.store.probe import BUSY_TIMEOUT_S


class Health(StrEnum):
    OK = "ok"
    MISSING = "missing"
    NOT_A_DATABASE = "not_a_database"
    DAMAGED = "damaged"
    NEWER_SCHEMA = "newer_schema"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class HealthReport:
    path: Path
    state: Health
    message: str  # one sentence for the user: what is wrong and what to do
    backup: Path | None = None  # the newest good backup, for damaged / not-a-database files

    @property
    def usable(self) -> bool:
        """The database can be opened for writing (or created)."""
        return self.state in (Health.OK, Health.MISSING)

    @property
    def viewable_read_only(self) -> bool:
        return self.state in (Health.READ_ONLY, Health.LOCKED)


# -- the check ------------------------------------------------------------------------------


def check_database(path: Path | str, *, lock_wait_s: float = BUSY_TIMEOUT_S) -> HealthReport:
    """Classify the file at ``path``; nothing is written to it."""
    path = Path(path)
    try:
        with offering_good_backup():
            if not path.exists() or path.stat().st_size == 0:
                probe.check_can_create(path)
                return HealthReport(path, Health.MISSING,
                                    f"数据库 {path} 尚不存在，将新建一个空数据库")
            version = probe.read_schema_version(path)
            if version > LATEST_VERSION:
                raise SchemaTooNewError(schema_too_new_message(path, version), path=path)
            preflight(path, quick_check=True, lock_wait_s=lock_wait_s)
    except StoreError as exc:
        return report_of(path, exc)
    return HealthReport(path, Health.OK, f"数据库 {path} 完好")


def report_of(path: Path, exc: StoreError) -> HealthReport:
    """The report for an error raised while opening ``path``."""
    states: list[tuple[type[StoreError], Health]] = [
        (DamagedDatabaseError, Health.DAMAGED), (NotADatabaseError, Health.NOT_A_DATABASE),
        (SchemaTooNewError, Health.NEWER_SCHEMA), (DatabaseLockedError, Health.LOCKED),
        (ReadOnlyDatabaseError, Health.READ_ONLY)]
    state = next((s for cls, s in states if isinstance(exc, cls)), Health.UNREADABLE)
    good = getattr(exc, "backup", None)
    if state is Health.NOT_A_DATABASE:
        good = newest_good_backup(path)
    return HealthReport(path, state, str(exc), good)


def preflight(path: Path, *, quick_check: bool = True,
              lock_wait_s: float = BUSY_TIMEOUT_S) -> None:
    """Raise the ``StoreError`` that stops ``path`` from being opened for writing.

    Order matters: the integrity check reads through a read-only connection, so a damaged
    file is reported before any connection that could write (even a checkpoint) touches it.
    """
    if quick_check:
        probe.quick_check(path)
        backup.clear_check_mark(path)
    if not probe.is_writable(path):
        raise ReadOnlyDatabaseError(read_only_message(path), path=path)
    probe.probe_write_lock(path, lock_wait_s)


@contextmanager
def offering_good_backup() -> Iterator[None]:
    """A ``DamagedDatabaseError`` raised inside names the newest good backup of its file
    (``probe`` finds the damage but cannot look through the backups)."""
    try:
        yield
    except DamagedDatabaseError as exc:
        if exc.backup is not None or exc.path is None:
            raise
        good = newest_good_backup(exc.path)
        raise DamagedDatabaseError(damaged_message(exc.path, good), exc.path, good) from exc


def newest_good_backup(db_path: Path | str) -> Path | None:
    """The newest copy in ``backups/`` that passes the integrity check and can be restored."""
    return backup.newest_restorable(Path(db_path))


AUTO_CHECK_MAX_BYTES = 64 * 1024 * 1024  # quick_check of 64 MiB: ~70 ms of CPU


def quick_check_due(path: Path) -> bool:
    """Whether ``open_store(check="auto")`` runs ``PRAGMA quick_check`` on ``path``.

    Small files always. A large file only when a WAL with frames is left beside it: the last
    program did not close it cleanly (a crash, a kill, a power cut), or another one has it
    open. Large files are otherwise checked once a day, off the start-up path, by
    ``backup.ensure_daily_backup`` verifying its page-for-page copy; damage found there
    leaves ``backup.check_mark`` so the next start checks (and offers recovery).
    """
    if path.stat().st_size <= AUTO_CHECK_MAX_BYTES or backup.check_mark(path).exists():
        return True
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def deferred_check_due(path: Path) -> bool:
    """The start-up check is due (``quick_check_due``) and may run after opening, while the
    database is read: a large file (a small one is checked in the time of a frame) that
    needs no migration (a file about to be migrated is checked first, as ``open_store``
    does)."""
    if (not path.is_file() or path.stat().st_size <= AUTO_CHECK_MAX_BYTES
            or not quick_check_due(path)):
        return False
    try:
        return probe.read_schema_version(path) == LATEST_VERSION
    except StoreError:
        return False  # opening says what is wrong, in its own words
