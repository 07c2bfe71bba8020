"""Backups of the database: online copies, rotation, verification and a safe restore.

Public interface (the Settings dialog and the start-up recovery use it; keep it stable):

- ``backup_now(db_path, clock_now=None, kind="manual") -> Path``: an online copy into the data
  folder's ``backups/``, safe while the app (or ``serve``) is writing.
- ``ensure_daily_backup(db_path, now) -> Path | None``: the automatic daily copy, verified,
  then rotation (``DamagedDatabaseError`` when the copy shows the database is damaged).
- ``rotate(db_path, now) -> list[Path]``: keeps 7 daily + 4 weekly automatic copies of that
  database.
- ``DailyBackups(db_path, clock, on_damaged=...)``: ``start()``/``stop()`` the daily copy in a
  running program.
- ``list_backups(db_path) -> list[BackupInfo]``: newest first.
- ``verify(path) -> bool``: ``PRAGMA integrity_check`` says ``ok``.
- ``restore(db_path, backup_path, keep_as="before-restore") -> Path``: swaps the backup in and
  returns where the replaced file was kept.

File names carry the moment of the copy (local time), not the file's mtime, so a copy moved
between machines or a clock that jumps does not reorder them:
``<stem>-YYYYmmdd-HHMMSS-<kind>.db`` (and ``<stem>-v<N>-before-migration-<stamp>.db``, which
``db.open_store`` has ``before_migration_backup`` write); ``-2``, ``-3`` … follow when
copies are made within one second.

At ten million handles (#21) the daily copies are compressed (``.db.zst``,
``store.compressed``: ~5x) straight from the database file, pinned as a snapshot
(``store.snapshot``; no plain scratch copy: 47.8 s -> ~21 s at 10 M), the daily
verification reads the compressed copy back against the checksum of what was written
(seconds), and the full ``integrity_check`` of the copy (decompressed), which also finds
damage in the database itself, runs on the first copy of each week (two minutes of CPU at
10 M handles: weekly, not daily). The automatic copies together stay
within ``FOOTPRINT_FACTOR`` times the database (oldest first out, the newest always kept),
and a copy that would leave the disk with less than ``FREE_RESERVE_BYTES`` is not made
(``BackupSkippedError``; the window says so). Plain ``.db`` copies of earlier versions are
still listed, rotated and restored.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.files import fsync_dir, fsync_file, remove_quietly
from mixtimer_gui.paths import backups_dir as backups_dir_of
from mixtimer_gui.store import compressed, snapshot
from mixtimer_gui.store.errors import (
    BackupError,
    BackupSkippedError,
    DamagedDatabaseError,
    DatabaseInUseError,
    StoreError,
)
from mixtimer_gui.store.migrations import LATEST_VERSION, migrate
from mixtimer_gui.store.probe import BUSY_TIMEOUT_S, read_schema_version

DAILY = "daily"  # automatic, once a day; the only kind that rotation deletes
MANUAL = "manual"  # "backup now" in Settings; kept until the user deletes it
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"  # a damaged file replaced by a restore; kept beside the database
KINDS = (DAILY, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE)

log = logging.getLogger(__name__)

STALE_PART_S = 3600
KEEP_DAILY = 7
KEEP_WEEKLY = 4
# The automatic copies together: at most this many times the database's size.
FOOTPRINT_FACTOR = 2.0
# A copy is skipped rather than leave less than this free on the backups' disk.
FREE_RESERVE_BYTES = 256 * 1024 * 1024
# Room a compressed copy is assumed to need while made (measured ~1/5 of the database).
COMPRESSED_SHARE = 0.5
# Only the automatic copies, which are the footprint (7 daily + 4 weekly); a manual copy is
# the user's own, rare, and opens in any SQLite tool as it is.
COMPRESSED_KINDS = frozenset({"daily"})

STAMP_FORMAT = "%Y%m%d-%H%M%S"
_STAMP_RE = re.compile(r"(\d{8}-\d{6})")
# The database's own name may contain "-daily" or a stamp as well, so the stem runs up to the
# last stamp and the kind is read after it ("-2": a second copy within the same second).
_NAME_RE = re.compile(
    r"(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z-]+?)(?:-\d+)?\.db(?:\.zst)?")
_MIGRATION_NAME_RE = re.compile(
    rf"(?P<stem>.+)-v\d+-{BEFORE_MIGRATION}-(?P<stamp>\d{{8}}-\d{{6}})(?:-\d+)?\.db")
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    time: int  # epoch seconds of the copy
    size: int  # bytes
    kind: str  # one of KINDS, or "other" for a file whose name says nothing


# -- making copies --------------------------------------------------------------------------


# The source of a copy is read through a memory map up to this size (SQLite's mmap_size):
# the backup API then copies pages without a read() each, 1.6 s -> 0.9 s at 1 M handles.
# SQLite caps it at its build's limit (2 GiB in Python's builds): past that, read() again.
COPY_MMAP_BYTES = 1 << 40


def backup_to(db_path: Path, target: Path, *, scratch: bool = False) -> Path:
    """An online copy through SQLite's backup API, safe while others use the file.

    ``scratch``: the copy is read once (compressed) and deleted, never kept: it is written
    without a journal and without waiting for the disk (at 10 M handles that wait was for
    4.85 GB the page cache could mostly have kept)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
    try:
        src.execute(f"PRAGMA mmap_size = {COPY_MMAP_BYTES}").fetchall()
        dst = sqlite3.connect(str(target))
        try:
            if scratch:
                dst.execute("PRAGMA journal_mode = OFF").fetchall()
                dst.execute("PRAGMA synchronous = OFF")
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def backup_now(db_path: Path | str, clock_now: int | None = None, kind: str = MANUAL, *,
               full_check: bool = False) -> Path:
    """An online copy of ``db_path`` in ``backups/``, complete or absent, never half-written;
    daily and manual copies compressed (``.db.zst``) and read back against their checksum.

    Raises ``BackupError`` (nothing changed) when the database is missing or the copy fails,
    e.g. on a full disk; ``BackupSkippedError`` when the disk has no room for it;
    ``DamagedDatabaseError`` when ``full_check`` finds the copy (so the database) damaged.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"数据库 {db_path} 不存在，无法备份")
    moment = int(time.time()) if clock_now is None else clock_now
    folder = backups_dir_of(db_path)
    if kind not in COMPRESSED_KINDS:
        return _copy(db_path, _free_name(folder, db_path.stem, moment, kind))
    _check_room(db_path, folder, plain=full_check)
    target = _free_name(folder, db_path.stem, moment, kind, suffix=".db" + compressed.SUFFIX)
    return _compressed_copy(db_path, target, full_check=full_check)


def free_bytes(folder: Path) -> int:
    """Free space where ``folder`` is (its nearest existing parent); a seam for tests."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def _check_room(db_path: Path, folder: Path, *, plain: bool = False) -> None:
    """Never fill the disk: the compressed copy (and, with ``plain``, a plain copy beside
    it while it is made or checked) and a reserve."""
    share = COMPRESSED_SHARE + (1 if plain else 0)
    needed = int(_database_bytes(db_path) * share) + FREE_RESERVE_BYTES
    free = free_bytes(folder)
    if free < needed:
        raise BackupSkippedError(
            f"磁盘空间不足，本次没有备份：备份需要约 {needed // 2**20} MiB,"
            f"{folder} 所在磁盘只剩 {free // 2**20} MiB;请清理磁盘或把数据放到更大的磁盘")


def _database_bytes(db_path: Path) -> int:
    """The database's size with the commits still only in its WAL."""
    wal = Path(f"{db_path}-wal")
    return db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _compressed_copy(db_path: Path, target: Path, *, full_check: bool) -> Path:
    """The daily copy: compressed, read back against its checksum; with ``full_check``
    (weekly) also decompressed and put through ``integrity_check``, which checks the copy
    that would be restored and, through it, the database."""
    temp = target.with_name(f".{target.name}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        written = _compress_snapshot(db_path, temp)
        fsync_file(temp)
        if compressed.digest_of(temp) != written:  # the daily verification: read back
            raise OSError(f"备份 {target.name} 读回的内容与写入的不一致")
        if full_check and not _verify_compressed(temp):
            raise _damaged(db_path)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except (sqlite3.Error, OSError, compressed.Error) as exc:
        raise BackupError(f"备份失败({exc}):请检查备份文件夹 {target.parent} 是否可写、"
                          "磁盘是否已满；数据库未被改动") from exc
    finally:
        remove_quietly(temp)
    return target


def _compress_snapshot(db_path: Path, target: Path) -> str:
    """``db_path`` as of now, compressed into ``target``; the SHA-256 of what was written.
    The file itself is read when it can be pinned (``store.snapshot``), else a plain copy
    made through the backup API is (when a reader of an old snapshot holds a checkpoint
    back, or the file is not in WAL mode)."""
    with snapshot.pinned(db_path) as pin:
        if pin is not None:
            try:
                return compressed.write_chunks(pin.chunks(), target)
            except OSError as exc:  # e.g. a byte range another program locked: once more,
                log.warning("reading the pinned file failed (%s); copying through the "
                            "backup API", exc)  # the safe way, before giving up
    _check_room(db_path, target.parent, plain=True)
    plain = _scratch_beside(target, "plain")
    try:
        backup_to(db_path, plain, scratch=True)
        _make_self_contained(plain)
        return compressed.write_compressed(plain, target)
    finally:
        remove_quietly(plain)


def _verify_compressed(path: Path) -> bool:
    plain = _scratch_beside(path, "check")
    try:
        compressed.read_compressed(path, plain)
        return verify(plain)
    finally:
        remove_quietly(plain)


def _scratch_beside(temp: Path, what: str) -> Path:
    """``.<copy>.<what>.part``: a crash leaves it to the stale-part clean-up like the copy."""
    return temp.with_name(f"{temp.name.removesuffix('.part')}.{what}.part")


def _damaged(db_path: Path) -> DamagedDatabaseError:
    good = newest_restorable(db_path)
    where = f"最新的完好备份是 {good.name}" if good else "没有可用的完好备份"
    return DamagedDatabaseError(
        f"今天的自动备份未通过完整性检查，数据库 {db_path} 可能已损坏；{where},"
        "请尽快从备份恢复或联系技术支持", db_path, good)


def before_migration_backup(db_path: Path, version: int, folder: Path | None = None) -> Path:
    """The copy ``db.open_store`` makes before upgrading ``db_path`` from schema
    ``version``: ``<stem>-v<N>-before-migration-<stamp>.db`` in ``folder`` (default
    ``backups/``), made like every other copy. Raises ``BackupError``; nothing is migrated
    then."""
    stamp = clock.to_local(int(time.time())).strftime(STAMP_FORMAT)
    return _copy(db_path, _free_path(folder or backups_dir_of(db_path),
                                     f"{db_path.stem}-v{version}-{BEFORE_MIGRATION}-{stamp}"))


def _copy(db_path: Path, target: Path) -> Path:
    temp = target.with_name(f".{target.name}.part")
    try:
        backup_to(db_path, temp)
        _make_self_contained(temp)
        fsync_file(temp)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except (sqlite3.Error, OSError) as exc:
        remove_quietly(temp)
        raise BackupError(f"备份失败({exc}):请检查备份文件夹 {target.parent} 是否可写、"
                          "磁盘是否已满；数据库未被改动") from exc
    return target


def daily_backup_due(db_path: Path | str, now: int) -> bool:
    """True when the database exists and has no automatic copy from today.

    A manual copy does not count: the automatic one is also the day's integrity check.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return False
    today = _local_day(now)
    return not any(b.kind == DAILY and _local_day(b.time) == today
                   for b in list_backups(db_path))


def ensure_daily_backup(db_path: Path | str, now: int, *,
                        verify_copy: bool = True) -> Path | None:
    """Make today's automatic copy if there is none yet, then rotate. Returns the new copy.

    Takes seconds on a large database (run it off the GUI thread). The copy is verified
    before rotation may delete an older one: the backup API copies pages as they are, so a
    copy that fails ``integrity_check`` means the database itself is damaged. It is then
    deleted and ``DamagedDatabaseError`` raised (with the newest good backup) for the caller
    to alert the user; this daily check also covers large files that ``check="auto"`` does
    not check at every start.
    """
    db_path = Path(db_path)
    if not daily_backup_due(db_path, now):
        return None
    made = backup_now(db_path, now, kind=DAILY,
                      full_check=verify_copy and full_check_due(db_path, now))
    rotate(db_path, now)
    return made


def full_check_due(db_path: Path | str, now: int) -> bool:
    """The first automatic copy of an ISO week gets the full integrity check."""
    week = _local_week(now)
    return not any(b.kind == DAILY and _local_week(b.time) == week
                   for b in list_backups(db_path))


def check_mark(db_path: Path | str) -> Path:
    """A marker beside the database: "run the full integrity check at the next open"."""
    return Path(f"{db_path}.needs-check")


def mark_for_check(db_path: Path | str) -> None:
    """The daily copy found damage: make the next start check (and so offer recovery),
    even where ``check="auto"`` would skip a large file."""
    try:
        check_mark(db_path).write_text("daily backup found the database damaged\n",
                                       encoding="utf-8")
    except OSError as exc:
        log.error("cannot leave the check mark beside %s: %s", db_path, exc)


def clear_check_mark(db_path: Path | str) -> None:
    mark = check_mark(db_path)
    if not mark.exists():  # the usual case; also a read-only folder refuses even an unlink
        return
    try:
        mark.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:  # read-only: the next start checks again, which is only slower
        log.warning("cannot remove %s: %s", mark, exc)


class DailyBackups:
    """The automatic daily copy for a running program (the window or ``serve``).

    ``start()`` runs ``ensure_daily_backup`` at once and then every ``interval_s`` on a
    daemon thread (raw sqlite3 connections: it never touches the program's own). A damaged
    database goes to ``on_damaged(error)`` (called on that thread: a GUI must hand it to
    its own thread); any other failure is logged and retried at the next interval.
    """

    def __init__(self, db_path: Path | str, clock: Clock, *, interval_s: float = 3600,
                 on_damaged: Callable[[DamagedDatabaseError], None] | None = None,
                 on_skipped: Callable[[BackupSkippedError], None] | None = None) -> None:
        self.db_path = Path(db_path)
        self.clock = clock
        self.interval_s = interval_s
        self.on_damaged = on_damaged
        self.on_skipped = on_skipped
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> Path | None:
        try:
            return ensure_daily_backup(self.db_path, self.clock.now())
        except DamagedDatabaseError as exc:
            log.critical("%s", exc)
            mark_for_check(self.db_path)
            if self.on_damaged is not None:
                self.on_damaged(exc)
        except BackupSkippedError as exc:  # tried again at the next interval
            log.warning("daily backup skipped: %s", exc)
            if self.on_skipped is not None:
                self.on_skipped(exc)
        except StoreError as exc:
            log.error("daily backup failed: %s", exc)
        return None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="daily-backup", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30) -> None:
        """Stop waiting; a copy in progress finishes first (it is never left half-done)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval_s)


# -- rotation -------------------------------------------------------------------------------


def rotate(db_path: Path | str, now: int) -> list[Path]:
    """Delete automatic copies of ``db_path`` beyond 7 daily + 4 weekly; returns the deleted
    files. Copies of other databases sharing the folder are theirs to rotate.

    Like restic's ``--keep-daily 7 --keep-weekly 4``: the newest copy of each of the 7 most
    recent days that have one, and of each of the 4 most recent ISO weeks that have one. It
    counts days that *have* copies rather than days before ``now``, so neither a long holiday
    nor a clock that jumped forwards deletes every copy; copies dated after ``now`` (a clock
    that jumped back) are kept. Manual and safety copies are never deleted here.
    """
    db_path = Path(db_path)
    daily = [b for b in list_backups(db_path) if b.kind == DAILY]
    keep: set[Path] = {b.path for b in daily if b.time > now}
    past = [b for b in daily if b.time <= now]
    keep |= _newest_per(past, _local_day, KEEP_DAILY)
    keep |= _newest_per(past, _local_week, KEEP_WEEKLY)
    removed = []
    for info in daily:
        if info.path not in keep:
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    removed += _bound_footprint(db_path, [b for b in daily if b.path in keep])
    for partial in backups_dir_of(db_path).glob(".*.part"):  # left by a copy cut off by a crash
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > STALE_PART_S:  # not one in progress
                partial.unlink()
    return removed


def _bound_footprint(db_path: Path, kept_newest_first: list[BackupInfo],
                     factor: float | None = None) -> list[Path]:
    """Oldest automatic copies out until they take at most ``factor`` times the database
    (``FOOTPRINT_FACTOR``); the newest is always kept."""
    limit = (FOOTPRINT_FACTOR if factor is None else factor) * _database_bytes(db_path)
    total = sum(b.size for b in kept_newest_first)
    removed = []
    for info in reversed(kept_newest_first[1:]):
        if total <= limit:
            break
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
        total -= info.size
    return removed


def _newest_per(newest_first: list[BackupInfo], bucket_of, count: int) -> set[Path]:
    kept: dict[object, Path] = {}
    for info in newest_first:
        bucket = bucket_of(info.time)
        if bucket not in kept:
            if len(kept) == count:
                break
            kept[bucket] = info.path
    return set(kept.values())


def _local_day(moment: int) -> date:
    return clock.to_local(moment).date()


def _local_week(moment: int) -> tuple[int, int]:
    iso = clock.to_local(moment).isocalendar()
    return iso.year, iso.week


# -- listing and checking -------------------------------------------------------------------


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """The copies of this database in its ``backups/`` folder, newest first."""
    db_path = Path(db_path)
    return sorted((b for b in _scan(backups_dir_of(db_path)) if _is_copy_of(b.path, db_path)),
                  key=lambda b: (b.time, b.path.name), reverse=True)


def _is_copy_of(path: Path, db_path: Path) -> bool:
    """Named after ``db_path``; a prefix alone would also claim "plant-2"'s copies for
    "plant". A name this module did not write is listed by prefix (as "other", never
    rotated)."""
    named = _named(path.name)
    if named is None:
        return path.name.startswith(f"{db_path.stem}-")
    return named["stem"] == db_path.stem


def verify(path: Path | str) -> bool:
    """True when ``path`` is a SQLite database whose ``PRAGMA integrity_check`` is ``ok``
    (a compressed copy: once decompressed)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    if compressed.is_compressed(path):
        try:
            with plain_copy(path) as plain:
                return verify(plain)
        except BackupError:
            return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return rows == [("ok",)]


def newest_restorable(db_path: Path) -> Path | None:
    """The newest copy of ``db_path`` that passes the integrity check and can be restored."""
    for info in list_backups(db_path):
        if is_restorable(info.path):
            return info.path
    return None


@contextlib.contextmanager
def plain_copy(path: Path) -> Iterator[Path]:
    """``path`` as a plain database file: itself, or (``.db.zst``) decompressed beside it
    for as long as the block runs. ``BackupError`` when it cannot be decompressed."""
    if not compressed.is_compressed(path):
        yield path
        return
    plain = path.with_name(f".{path.name}.restore.db")
    try:
        compressed.read_compressed(path, plain)
    except (OSError, compressed.Error) as exc:
        remove_quietly(plain)
        raise BackupError(f"备份 {path} 无法解压({exc}),已损坏或磁盘空间不足；"
                          "当前数据库未被改动，请选择另一个备份") from exc
    try:
        yield plain
    finally:
        remove_quietly(plain)


def is_restorable(path: Path | str) -> bool:
    """A copy this program can restore: intact, MixTimer's, and not from a newer version."""
    path = Path(path)
    if compressed.is_compressed(path):
        try:
            with plain_copy(path) as plain:
                return is_restorable(plain)
        except BackupError:
            return False
    if not verify(path):
        return False
    try:
        version = read_schema_version(Path(path))
    except StoreError:
        return False
    return 0 < version <= LATEST_VERSION


def _scan(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        if (not entry.name.endswith((".db", ".db" + compressed.SUFFIX))
                or entry.name.startswith(".") or not entry.is_file()):
            continue
        stat = entry.stat()
        moment, kind = _parse_name(entry.name)
        found.append(BackupInfo(entry, int(stat.st_mtime) if moment is None else moment,
                                stat.st_size, kind))
    return found


def _named(name: str) -> re.Match[str] | None:
    return _NAME_RE.fullmatch(name) or _MIGRATION_NAME_RE.fullmatch(name)


def _parse_name(name: str) -> tuple[int | None, str]:
    """The moment and kind a copy's name carries. The kind is read only after the stamp:
    "plant-daily-…-manual.db" is a manual copy of "plant-daily", which rotation must keep."""
    named = _named(name)
    if named is None:
        found = _STAMP_RE.search(name)
        return _moment(found.group(1) if found else None), "other"
    kind = BEFORE_MIGRATION if named.re is _MIGRATION_NAME_RE else named["kind"]
    return _moment(named["stamp"]), kind if kind in KINDS else "other"


def _moment(stamp: str | None) -> int | None:
    if stamp is None:
        return None
    try:
        return clock.from_local(datetime.strptime(stamp, STAMP_FORMAT))
    except ValueError:
        return None


def _free_name(folder: Path, stem: str, moment: int, kind: str, *,
               suffix: str = ".db") -> Path:
    stamp = clock.to_local(moment).strftime(STAMP_FORMAT)
    return _free_path(folder, f"{stem}-{stamp}-{kind}", suffix=suffix)


def _free_path(folder: Path, base: str, *, suffix: str = ".db") -> Path:
    """``<base>.db``, or ``<base>-2.db``, ``-3`` … when copies are made within one second."""
    candidate = folder / f"{base}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}{suffix}"
        n += 1
    return candidate


# -- restore --------------------------------------------------------------------------------


def restore(db_path: Path | str, backup_path: Path | str, keep_as: str = BEFORE_RESTORE) -> Path:
    """Replace the database with ``backup_path``; returns where the replaced file was kept.

    Every connection to ``db_path`` must be closed first (each thread's own: the workspace's
    restore closes its thread's; the API server's per-request connections close by themselves):
    otherwise ``DatabaseInUseError`` and nothing changes. The backup
    is checked first (``BackupError`` if damaged, not MixTimer's or from a newer version).
    A copy from an earlier version is upgraded to the current schema on the way in.
    ``keep_as="before-restore"`` keeps the replaced file in ``backups/``; ``keep_as="damaged"``
    keeps it beside the database (``<stem>-damaged-<stamp>.db``) so it is never offered as a
    backup. At every moment ``db_path`` holds either the old or the new database complete:
    the copy is written to a temporary file in the same folder, synced, then renamed over it.
    """
    db_path = Path(db_path)
    backup_path = Path(backup_path)
    with plain_copy(backup_path) as plain:
        return _restore_plain(db_path, plain, keep_as)


def _restore_plain(db_path: Path, backup_path: Path, keep_as: str) -> Path:
    _check_restorable(backup_path)
    temp = db_path.with_name(f".{db_path.name}.restore-part")
    kept: Path | None = None
    try:
        if db_path.exists():
            # Copy first, byte for byte (a damaged file is evidence), then prove that nobody
            # else has it open; the copy is dropped again if someone does.
            kept = _keep_current(db_path, keep_as)
            try:
                _settle(db_path)
            except DatabaseInUseError:
                _drop_kept(kept)
                raise
        remove_quietly(temp)
        backup_to(backup_path, temp)
        _make_self_contained(temp)
        _upgrade(temp)
        fsync_file(temp)
        for suffix in _SIDE_FILES:  # a stale WAL would be replayed onto the restored file
            remove_quietly(Path(f"{db_path}{suffix}"))
        os.replace(temp, db_path)
        fsync_dir(db_path.parent)
    except (sqlite3.Error, peewee.DatabaseError, StoreError, OSError) as exc:
        if isinstance(exc, DatabaseInUseError):
            raise
        remove_quietly(temp)
        if kept is not None:
            _drop_kept(kept)
        raise BackupError(f"恢复失败({exc}):当前数据库 {db_path} 未被替换；请检查磁盘空间和"
                          "文件夹权限后重试") from exc
    return kept if kept is not None else db_path


def _check_restorable(backup_path: Path) -> None:
    if not verify(backup_path):
        raise BackupError(f"备份 {backup_path} 已损坏或不是数据库(完整性检查未通过),未恢复；"
                          "当前数据库未被改动，请选择另一个备份")
    try:
        version = read_schema_version(backup_path)
    except StoreError as exc:
        raise BackupError(f"备份 {backup_path} 不是 MixTimer 的数据库，未恢复；"
                          "当前数据库未被改动") from exc
    if version > LATEST_VERSION:
        raise BackupError(f"备份 {backup_path} 来自更新的版本(结构版本 {version}),"
                          "请先升级程序；当前数据库未被改动")


def _drop_kept(kept: Path) -> None:
    remove_quietly(Path(f"{kept}-wal"))
    remove_quietly(kept)


def _settle(db_path: Path) -> None:
    """Prove no one else has the database open (and fold its WAL in).

    Leaving WAL mode needs the only connection to the file, so a refusal means someone else
    is using it. Only the journal mode changes; the rows stay as they are.
    """
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=rw", uri=True, timeout=1)
    except sqlite3.Error:
        return
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise DatabaseInUseError(
                f"数据库 {db_path} 正被使用(例如 API 服务或另一个窗口),请先关闭它们再恢复；"
                "当前数据库未被改动") from exc
        return
    except sqlite3.DatabaseError:
        return  # damaged or not a database: nothing to fold; the raw copy is already kept
    finally:
        conn.close()
    if str(mode).lower() == "wal":
        raise DatabaseInUseError(f"数据库 {db_path} 正被使用，请先关闭其他连接再恢复；"
                                 "当前数据库未被改动")


def _keep_current(db_path: Path, keep_as: str) -> Path:
    """A byte-exact copy of the current file and its WAL (committed rows may still be only
    there) before it is replaced."""
    stamp = clock.to_local(int(time.time())).strftime(STAMP_FORMAT)
    if keep_as == DAMAGED:
        target = db_path.with_name(f"{db_path.stem}-{DAMAGED}-{stamp}.db")
    else:
        target = _free_name(backups_dir_of(db_path), db_path.stem, int(time.time()), keep_as)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db_path, target)
    fsync_file(target)
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Named so SQLite replays it when the kept copy is opened: nothing in it is lost.
        shutil.copyfile(wal, Path(f"{target}-wal"))
        fsync_file(Path(f"{target}-wal"))
    fsync_dir(target.parent)
    return target


def _upgrade(path: Path) -> None:
    """Bring a copy from an earlier version (e.g. a before-migration backup) to the current
    schema before it is swapped in, so a window that just reconnects finds what it expects."""
    version = read_schema_version(path)
    if version >= LATEST_VERSION:
        return
    db = SqliteDatabase(str(path))
    db.connect()
    try:
        migrate(db, version)
    finally:
        db.close()


# -- file helpers ---------------------------------------------------------------------------


def _make_self_contained(path: Path) -> None:
    """A copy in rollback-journal mode opens read-only without creating -wal/-shm files."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        conn.close()
