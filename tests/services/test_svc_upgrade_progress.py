"""An upgrade that takes long (#21: step 7 builds the search index of every handle) tells
how it goes and can be stopped: ``Workspace.upgrade_due`` says one is coming (so the window
runs it on a thread), ``Workspace.open(progress=...)`` hears each step and the index grow,
and an exception raised in the progress callback stops it with nothing changed: the next
opening upgrades from the same version. Both engines: a file and a server database that
stopped at step 6."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services, Workspace
from mixtimer_gui.store import migrations

BEFORE_INDEX = 6  # the last step before the search index


class Stop(Exception):
    """What a window's Quit raises from the progress callback."""


@pytest.fixture
def old_location(engine: str, request: pytest.FixtureRequest, fake_clock: FakeClock,
                 monkeypatch: pytest.MonkeyPatch) -> Path | str:
    """A database at step 6 with a few handles in it."""
    where = (request.getfixturevalue("db_path") if engine == "sqlite"
             else request.getfixturevalue("pg_url"))
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS",
                  [s for s in migrations.MIGRATIONS if s[0] <= BEFORE_INDEX])
        services = Services.open(where, clock=fake_clock)
        try:
            services.db.execute_sql(
                'INSERT INTO "handle" ("organization_id", "created", "created_by", '
                '"last_modified", "last_modified_by", "uid", "task_id", "project_id", '
                '"project_name", "project_alias", "object_id", "object_name", '
                '"object_alias", "description", "handler_id_list", "handler_name_list", '
                '"fee", "result", "images", "is_ignored") VALUES '
                + ", ".join(f"('', 0, 0, 0, 0, 'H{i}', 't', 'p', '空压机保养', '', 'o', "
                            f"'一号机', '', '更换滤芯 {i}', '', '', 0, '', '', 0)"
                            for i in range(5)))
        finally:
            services.close()
    return where


def test_an_upgrade_is_due_for_old_data_only(old_location: Path | str,
                                             fake_clock: FakeClock) -> None:
    assert Workspace.upgrade_due(old_location)
    Workspace.open(old_location, clock=fake_clock).close()
    assert not Workspace.upgrade_due(old_location)


def test_a_new_database_needs_no_upgrade(tmp_path: Path) -> None:
    assert not Workspace.upgrade_due(tmp_path / "new.db")


def test_progress_hears_the_step_and_the_index(old_location: Path | str,
                                               fake_clock: FakeClock) -> None:
    heard: list[tuple[str, int, int]] = []
    workspace = Workspace.open(old_location, clock=fake_clock,
                               progress=lambda *report: heard.append(report))
    try:
        steps = [done for what, done, _ in heard if what == "step"]
        assert steps[0] == BEFORE_INDEX + 1 and steps[-1] == migrations.LATEST_VERSION
        found = workspace.services.handles.list({"where_or": [
            ["description", "like", "%滤芯%"]]})["total_records"]
        assert found == 5  # the index was built for the handles already there
    finally:
        workspace.close()


def test_stopping_in_progress_changes_nothing(old_location: Path | str,
                                              fake_clock: FakeClock) -> None:
    def stop_at_the_index(what: str, done: int, total: int) -> None:
        if what == "step" and done == BEFORE_INDEX + 1:
            raise Stop

    with pytest.raises(Stop):
        Workspace.open(old_location, clock=fake_clock, progress=stop_at_the_index)
    assert Workspace.upgrade_due(old_location)  # still at step 6: the next opening upgrades
    workspace = Workspace.open(old_location, clock=fake_clock)
    try:
        assert workspace.services.handles.list({})["total_records"] == 5
    finally:
        workspace.close()
