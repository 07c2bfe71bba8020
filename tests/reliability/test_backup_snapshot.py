"""The daily copy reads the database file itself, pinned as a snapshot (#21: no plain
scratch copy at 10 M handles). These tests hold the premise the module rests on: while a
pin is held, other connections commit and checkpoint freely, yet the file's pinned pages do
not change and the copy is the database as it was at the pin."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtimer_gui.store import backup, compressed, snapshot


def make_db(path: Path, rows: int = 2000) -> Path:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO item (body) VALUES (?)",
                     [(f"滤芯 {i} " + "x" * (i % 300),) for i in range(rows)])
    conn.execute("COMMIT")
    conn.close()
    return path


def writer(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2)
    conn.execute("PRAGMA wal_autocheckpoint=0")  # the test decides when to checkpoint
    return conn


def count(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT count(*) FROM item").fetchone()[0]
    finally:
        conn.close()


def file_digest(path: Path, size: int) -> str:
    with path.open("rb") as fh:
        return hashlib.sha256(fh.read(size)).hexdigest()


def restored(made: Path, tmp_path: Path) -> Path:
    plain = tmp_path / "restored.db"
    compressed.read_compressed(made, plain)
    return plain


def test_commits_and_checkpoints_during_a_pin_leave_the_pinned_pages_alone(
        tmp_path: Path) -> None:
    db = make_db(tmp_path / "plant.db")
    other = writer(db)
    with snapshot.pinned(db) as pin:
        assert pin is not None
        before = file_digest(db, pin.size)
        other.execute("BEGIN")
        other.execute("DELETE FROM item WHERE id % 2 = 0")
        other.executemany("INSERT INTO item (body) VALUES (?)", [("新",)] * 3000)
        other.execute("COMMIT")
        # a checkpoint would copy those pages into the file: the pin holds it back
        assert other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[2] == 0
        assert file_digest(db, pin.size) == before
        written = compressed.write_chunks(pin.chunks(), tmp_path / "copy.zst")
    assert compressed.digest_of(tmp_path / "copy.zst") == written
    copy = restored(tmp_path / "copy.zst", tmp_path)
    assert count(copy) == 2000 and backup.verify(copy)
    assert count(db) == 1000 + 3000  # the writes were kept, only not copied
    other.close()


def test_commits_still_in_the_wal_are_in_the_copy(tmp_path: Path) -> None:
    db = make_db(tmp_path / "plant.db")
    other = writer(db)
    other.executemany("INSERT INTO item (body) VALUES (?)", [("只在 WAL 里",)] * 500)
    made = backup.backup_now(db, kind=backup.DAILY)
    other.close()
    copy = restored(made, tmp_path)
    assert count(copy) == 2500 and backup.verify(copy)


def test_the_copy_opens_in_rollback_journal_mode_without_side_files(tmp_path: Path) -> None:
    db = make_db(tmp_path / "plant.db")
    copy = restored(backup.backup_now(db, kind=backup.DAILY), tmp_path)
    conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM item").fetchone()[0] == 2000
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("restored")) == [
        "restored.db"]


def test_a_reader_of_an_older_snapshot_means_no_pin_and_the_backup_api_copies(
        tmp_path: Path) -> None:
    db = make_db(tmp_path / "plant.db")
    old_reader = sqlite3.connect(str(db), isolation_level=None)
    old_reader.execute("BEGIN")
    old_reader.execute("SELECT count(*) FROM item").fetchone()  # holds frames back
    other = writer(db)
    other.executemany("INSERT INTO item (body) VALUES (?)", [("后来的",)] * 700)
    with snapshot.pinned(db) as pin:
        assert pin is None
    made = backup.backup_now(db, kind=backup.DAILY)
    old_reader.execute("COMMIT")
    old_reader.close()
    other.close()
    assert count(restored(made, tmp_path)) == 2700
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # the scratch copy is gone


def test_a_database_not_in_wal_mode_is_not_pinned_and_still_copied(tmp_path: Path) -> None:
    db = make_db(tmp_path / "plant.db")
    conn = sqlite3.connect(str(db))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    with snapshot.pinned(db) as pin:
        assert pin is None
    assert count(restored(backup.backup_now(db, kind=backup.DAILY), tmp_path)) == 2000


def test_a_writer_holding_the_lock_past_the_time_out_means_no_pin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "plant.db")
    monkeypatch.setattr(snapshot, "BUSY_TIMEOUT_S", 0.05)
    busy = sqlite3.connect(str(db), isolation_level=None)
    busy.execute("BEGIN IMMEDIATE")
    with snapshot.pinned(db) as pin:
        assert pin is None
    busy.execute("ROLLBACK")
    busy.close()
    with snapshot.pinned(db) as pin:  # and the connection it tried with is usable again
        assert pin is not None


def test_the_lock_byte_page_is_read_around_as_zeros(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "plant.db", rows=20000)
    monkeypatch.setattr(snapshot, "PENDING_BYTE", 300 * 4096 + 17)  # inside the 2nd chunk
    with snapshot.pinned(db) as pin:
        assert pin is not None and pin.page_size == 4096 and pin.page_count > 400
        data = b"".join(pin.chunks())
        raw = db.read_bytes()[:pin.size]
    assert len(data) == len(raw)
    lock_page = slice(300 * 4096, 301 * 4096)
    assert data[lock_page] == bytes(4096) and raw[lock_page] != bytes(4096)
    assert data[:18] == raw[:18] and data[18:20] == b"\x01\x01" and raw[18:20] == b"\x02\x02"
    assert data[20:300 * 4096] == raw[20:300 * 4096]
    assert data[301 * 4096:] == raw[301 * 4096:]


@pytest.mark.expect_log("reading the pinned file failed", logger="mixtimer_gui.store.backup")
def test_a_failed_read_of_the_pinned_file_falls_back_to_the_backup_api(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "plant.db")

    def locked(self: snapshot.PinnedFile) -> Iterator[bytes]:
        yield b"SQLite format 3\x00"
        raise PermissionError(13, "the process cannot access the file (locked region)")

    monkeypatch.setattr(snapshot.PinnedFile, "chunks", locked)
    made = backup.backup_now(db, kind=backup.DAILY)
    copy = restored(made, tmp_path)
    assert count(copy) == 2000 and backup.verify(copy)
    assert [p.name for p in made.parent.iterdir()] == [made.name]
