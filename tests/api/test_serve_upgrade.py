"""``serve`` on a database a new version must upgrade first (#21: step 7 builds the search
index, minutes at ten million handles): it listens at once and answers every action 10503
with a sentence while the upgrade runs, then hands the same socket to the server with the
data (one listening line). Both engines; the step is held by the test, not slowed by size."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api import serve as serve_module
from mixtimer_gui.api.serve import run_serve
from mixtimer_gui.commands.database import open_workspace
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services, Workspace
from mixtimer_gui.store import migrations

LIST = {"action": "get_v2_object_list"}


@pytest.fixture
def old_location(engine: str, request: pytest.FixtureRequest, fake_clock: FakeClock,
                 monkeypatch: pytest.MonkeyPatch) -> Path | str:
    """A database at step 6, before the search index."""
    where = (request.getfixturevalue("db_path") if engine == "sqlite"
             else request.getfixturevalue("pg_url"))
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", [s for s in migrations.MIGRATIONS if s[0] <= 6])
        Services.open(where, clock=fake_clock).close()
    return where


@pytest.fixture
def held_step(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Step 7 waits for the test before it runs."""
    release = threading.Event()
    real = dict(migrations.MIGRATIONS)[7]

    def held(db: Any, progress: Any = None) -> None:
        assert release.wait(30)
        real(db, progress)

    monkeypatch.setattr(migrations, "MIGRATIONS", [(n, held if n == 7 else step)
                                                   for n, step in migrations.MIGRATIONS])
    yield release
    release.set()


def test_serve_answers_10503_while_it_upgrades(old_location: Path | str,
                                               held_step: threading.Event,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    listening = threading.Event()

    def printed(*args: Any, **kwargs: Any) -> None:
        lines.append(" ".join(map(str, args)))
        listening.set()

    monkeypatch.setattr(serve_module, "print", printed, raising=False)
    started = threading.Event()
    found: list[BaseException] = []

    def client() -> None:  # on its own thread: run_serve holds the main one (signals)
        try:
            assert listening.wait(30) and not held_step.is_set()
            port = int(lines[0].rsplit(":", 1)[1].split("/")[0])
            waiting = post(port, LIST)
            assert waiting.code == env.UNAVAILABLE and "升级" in waiting.envelope["info"]
            assert post(port, {"action": "no_such"}).code == env.UNKNOWN_ACTION  # as always
            assert not started.is_set()
            held_step.set()
            assert started.wait(30)
            assert post(port, LIST).code == env.OK  # the same port, now with the data
        except BaseException as exc:  # reported on the test's thread
            found.append(exc)
        finally:
            held_step.set()
            os.kill(os.getpid(), signal.SIGTERM)

    def on_started(*_args: Any) -> Callable[[], None]:
        started.set()
        return lambda: None

    helper = threading.Thread(target=client)
    helper.start()
    run_serve(old_location, port=0, on_started=on_started,
              open_workspace=lambda where: open_workspace(where, check="background"))
    helper.join(30)
    assert found == []
    assert len(lines) == 1 and lines[0].startswith("listening on http://127.0.0.1:")
    assert not Workspace.upgrade_due(old_location)


def test_serve_listens_after_opening_when_no_upgrade_is_due(
        db_location: Path | str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual start: one server, with the data, from its first answer."""
    built: list[object] = []
    real = serve_module.ApiServer

    def counted(*args: Any, **kwargs: Any) -> Any:
        built.append(kwargs.get("unavailable"))
        return real(*args, **kwargs)

    monkeypatch.setattr(serve_module, "ApiServer", counted)

    def on_started(*_args: Any) -> Callable[[], None]:
        os.kill(os.getpid(), signal.SIGTERM)
        return lambda: None

    run_serve(db_location, port=0, on_started=on_started,
              open_workspace=lambda where: open_workspace(where, check="background"))
    assert built == [None]
