"""Images across workstations — issue 16: "images attached on one workstation are visible on
every other". Each test runs on both engines: workstation A attaches, workstation B (its own,
empty cache folder) reads the same database. On SQLite, B is a copy-db copy elsewhere, which
also proves a single-workstation database carries its pictures into team mode.

Code: services/images.py (SharedImages), store/migrations.py (step 6), store/models.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services, images
from mixtimer_gui.services.copying import copy_database


def picture(folder: Path, name: str = "pump.png") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    return path


@pytest.fixture
def workstation_a(db_location: Path | str, fake_clock: FakeClock) -> Iterator[Services]:
    services = Services.open(db_location, clock=fake_clock)
    yield services
    services.close()


def open_workstation_b(engine: str, db_location: Path | str, tmp_path: Path,
                       clock: FakeClock) -> Services:
    if engine == "postgresql":
        # another workstation: the same database, another local folder
        other = re.sub(r"application_name=[^&]*", "application_name=workstation_b",
                       str(db_location))
    else:
        other = tmp_path / "elsewhere" / "mixtimer.db"
        copy_database(db_location, other)
    return Services.open(other, clock=clock)


def test_a_picture_attached_on_a_is_seen_on_b_with_an_empty_cache(
        engine: str, db_location: Path | str, workstation_a: Services, tmp_path: Path,
        fake_clock: FakeClock) -> None:
    source = picture(tmp_path / "camera")
    [name] = workstation_a.images.attach([source])
    b = open_workstation_b(engine, db_location, tmp_path, fake_clock)
    try:
        cached = images.stored_path(b.ctx.data_dir, name)
        assert cached is not None and b.ctx.data_dir != workstation_a.ctx.data_dir
        assert not cached.exists()
        assert b.images.local_path(name) == cached
        assert cached.read_bytes() == source.read_bytes()
    finally:
        b.close()


def test_a_picture_attached_before_this_version_moves_into_the_database_when_shown(
        engine: str, db_location: Path | str, workstation_a: Services, tmp_path: Path,
        fake_clock: FakeClock) -> None:
    source = picture(tmp_path / "camera")
    # the old way: a file in A's folder only, nothing in the database
    [name] = images.store_images(workstation_a.ctx.data_dir, [source])
    assert workstation_a.images.local_path(name) is not None  # A shows it: it moves in
    b = open_workstation_b(engine, db_location, tmp_path, fake_clock)
    try:
        path = b.images.local_path(name)
        assert path is not None and path.read_bytes() == source.read_bytes()
    finally:
        b.close()


def test_a_name_nobody_stored_or_one_leaving_the_folder_gives_nothing(
        workstation_a: Services) -> None:
    assert workstation_a.images.local_path("0" * 32 + ".png") is None
    assert workstation_a.images.local_path("../etc/passwd") is None
    assert workstation_a.images.local_path("https://example.com/x.png") is None


def test_the_same_picture_twice_is_kept_once(workstation_a: Services, tmp_path: Path) -> None:
    source = picture(tmp_path / "camera")
    first = workstation_a.images.attach([source])
    again = workstation_a.images.attach([source])
    assert first == again
    image = workstation_a.ctx.store.Image
    assert image.select().count() == 1
