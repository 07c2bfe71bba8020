"""``serve`` listens at once (#21): the start-up check after an unclean exit (or a damage
mark) runs on a thread of its own; meanwhile reads are answered and writes get 10503 with a
sentence; when it ends writes go on, or, on damage, stay refused and the next start offers
recovery. The check is slowed by a test seam (it waits for the test), not by a big file."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import call, post

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api import serve as serve_module
from mixtimer_gui.api.serve import run_serve
from mixtimer_gui.api.wsgi import make_app
from mixtimer_gui.commands.database import open_workspace
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Workspace
from mixtimer_gui.services import workspace as workspace_module
from mixtimer_gui.store import backup
from mixtimer_gui.store.errors import DamagedDatabaseError

pytestmark = pytest.mark.sqlite_only  # the file's integrity check; a server checks itself

NEW_OBJECT = {"action": "create_v2_object", "name": "空压机", "uid": "kyj"}


@pytest.fixture
def marked(db_path: Path, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Path:
    Workspace.open(db_path, clock=fake_clock).close()
    # a "large" file: a small one is checked while opening (a frame's time)
    monkeypatch.setattr("mixtimer_gui.store.health.AUTO_CHECK_MAX_BYTES", 0)
    backup.mark_for_check(db_path)  # as the daily copy leaves it, or an unclean exit's WAL
    return db_path


@pytest.fixture
def slowed(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[Path]]]:
    release, seen = threading.Event(), []

    def waits_for_the_test(path: Path) -> None:
        seen.append(path)
        assert release.wait(30)

    monkeypatch.setattr(workspace_module, "integrity_check", waits_for_the_test)
    yield release, seen
    release.set()


@pytest.mark.expect_log("refused by the database", logger="mixtimer_gui.api.wsgi")
def test_writes_wait_for_the_check_and_reads_do_not(marked: Path, fake_clock: FakeClock,
                                                    slowed: tuple) -> None:
    release, seen = slowed
    workspace = Workspace.open(marked, clock=fake_clock, check="background")
    try:
        assert workspace.pending_check == marked and seen == []  # opened without checking
        done = threading.Event()
        assert workspace.start_pending_check(lambda found: done.set())
        app = make_app(workspace.services)
        reply = call(app, NEW_OBJECT)
        assert reply.envelope["code"] == env.UNAVAILABLE
        assert "检查" in reply.envelope["info"]
        listed = call(app, {"action": "get_v2_object_list"})
        assert listed.envelope["code"] == env.OK
        release.set()
        assert done.wait(10)
        assert call(app, NEW_OBJECT).envelope["code"] == env.OK
        assert not backup.check_mark(marked).exists()
    finally:
        workspace.close()


@pytest.mark.expect_log("refused by the database", logger="mixtimer_gui.api.wsgi")
@pytest.mark.expect_log("found the database damaged", level="ERROR",
                        logger="mixtimer_gui.services.workspace")
def test_damage_found_keeps_writes_refused_and_the_mark(marked: Path, fake_clock: FakeClock,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    def damaged(path: Path) -> None:
        raise DamagedDatabaseError("数据库文件已损坏,请从备份恢复", path=path)

    monkeypatch.setattr(workspace_module, "integrity_check", damaged)
    workspace = Workspace.open(marked, clock=fake_clock, check="background")
    try:
        done = threading.Event()
        assert workspace.start_pending_check(lambda found: done.set())
        assert done.wait(10)
        reply = call(make_app(workspace.services), NEW_OBJECT)
        assert reply.envelope["code"] == env.UNAVAILABLE
        assert "损坏" in reply.envelope["info"]
        assert backup.check_mark(marked).exists()
    finally:
        workspace.close()


def test_a_clean_large_file_is_not_checked_at_all(db_path: Path, fake_clock: FakeClock,
                                                  slowed: tuple,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.open(db_path, clock=fake_clock).close()
    monkeypatch.setattr("mixtimer_gui.store.health.AUTO_CHECK_MAX_BYTES", 0)
    workspace = Workspace.open(db_path, clock=fake_clock, check="background")
    try:
        assert workspace.pending_check is None
        assert not workspace.start_pending_check()
        assert slowed[1] == []
    finally:
        workspace.close()


@pytest.mark.expect_log("refused by the database", logger="mixtimer_gui.api.wsgi")
def test_serve_listens_and_answers_while_the_check_runs(marked: Path, slowed: tuple,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """The whole ``serve`` path: the listening line and answers come while the check is
    held; the reminders (``on_started``) wait for it; then writes go on."""
    release, seen = slowed
    lines: list[str] = []
    listening = threading.Event()

    def printed(*args: Any, **kwargs: Any) -> None:
        lines.append(" ".join(map(str, args)))
        listening.set()

    monkeypatch.setattr(serve_module, "print", printed, raising=False)
    started = threading.Event()
    found: list[object] = []

    def client() -> None:  # on its own thread: run_serve holds the main one (signals)
        try:
            assert listening.wait(30) and not release.is_set()
            port = int(lines[0].rsplit(":", 1)[1].split("/")[0])
            assert post(port, {"action": "get_v2_object_list"}).code == env.OK
            refused = post(port, NEW_OBJECT)
            assert refused.code == env.UNAVAILABLE and "检查" in refused.envelope["info"]
            assert seen == [marked] and not started.is_set()  # reminders wait
            release.set()
            assert started.wait(30)
            assert post(port, NEW_OBJECT).code == env.OK
        except BaseException as exc:  # reported on the test's thread
            found.append(exc)
        finally:
            release.set()
            os.kill(os.getpid(), signal.SIGTERM)

    def on_started(*_args: Any) -> Callable[[], None]:
        started.set()
        return lambda: None

    helper = threading.Thread(target=client)
    helper.start()
    run_serve(marked, port=0, on_started=on_started,
              open_workspace=lambda path: open_workspace(path, check="background"))
    helper.join(30)
    assert found == []
    assert lines and lines[0].startswith("listening on http://127.0.0.1:")
    assert not backup.check_mark(marked).exists()


def test_serve_says_listening_before_the_reminders_start(db_path: Path, fake_clock: FakeClock,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """No check due: the listening line still comes first; the reminders' scheduler and
    first scan (``on_started``) follow it instead of delaying it."""
    Workspace.open(db_path, clock=fake_clock).close()
    lines: list[str] = []
    monkeypatch.setattr(serve_module, "print", lambda *a, **k: lines.append(str(a[0])),
                        raising=False)
    printed_before: list[bool] = []

    def on_started(*_args: Any) -> Callable[[], None]:
        printed_before.append(bool(lines))
        os.kill(os.getpid(), signal.SIGTERM)
        return lambda: None

    run_serve(db_path, port=0, on_started=on_started,
              open_workspace=lambda path: open_workspace(path, check="background"))
    assert printed_before == [True]
