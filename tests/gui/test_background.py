"""The one background helper: work on a thread with its own connection, the outcome on the
GUI thread, stale outcomes dropped, a newer request interrupting the running statement,
errors reported on the GUI thread, progress and cancel."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from mixtimer_gui.gui import background
from mixtimer_gui.gui.background import Job, Worker

WAIT_S = 10


class Connections:
    """Stands in for ``services.ctx.thread_connection``: counts opens, closes and
    interrupts, and records on which thread each connection was opened."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.closed = 0
        self.interrupted = 0

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        self.opened.append(threading.current_thread().name)
        try:
            yield self.interrupt
        finally:
            self.closed += 1

    def interrupt(self) -> None:
        self.interrupted += 1


class Gate:
    """Work that waits for the test to open the gate (or for an interrupt), then returns
    its value; ``entered`` tells the test it is running."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.ran: list[Any] = []

    def work(self, value: Any) -> Any:
        def run(job: Job) -> Any:
            self.ran.append(value)
            self.entered.set()
            assert self.gate.wait(WAIT_S)
            return value
        return run


@pytest.fixture
def conns() -> Connections:
    return Connections()


@pytest.fixture
def worker(conns: Connections, qtbot: Any) -> Iterator[Worker]:
    owner = QObject()
    made = Worker(conns.connect, "mixtimer-test-work", owner)
    yield made
    assert background.wait_all(WAIT_S)
    if shiboken6.isValid(owner):
        owner.deleteLater()


def test_the_work_runs_on_its_own_thread_and_the_result_comes_to_the_gui_thread(
        worker: Worker, conns: Connections, qtbot: Any) -> None:
    results: list[tuple[Any, bool]] = []
    worker.run(lambda job: threading.current_thread().name,
               lambda value: results.append((value, threading.current_thread()
                                             is threading.main_thread())))
    assert worker.busy
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_S * 1000)
    assert results == [("mixtimer-test-work", True)]
    assert conns.opened == ["mixtimer-test-work"] and conns.closed == 1
    assert not worker.busy


def test_a_newer_request_interrupts_the_running_one_and_only_the_newest_result_arrives(
        worker: Worker, conns: Connections, qtbot: Any) -> None:
    gate = Gate()
    results: list[str] = []
    worker.run(gate.work("first"), results.append)
    assert gate.entered.wait(WAIT_S)
    worker.run(gate.work("second"), results.append)
    assert conns.interrupted == 1  # the running statement is told to stop
    worker.run(gate.work("third"), results.append)
    assert conns.interrupted == 1  # once is enough
    gate.gate.set()
    qtbot.waitUntil(lambda: results == ["third"], timeout=WAIT_S * 1000)
    # One at a time, and the request in between was never run.
    assert gate.ran == ["first", "third"]
    assert conns.opened == ["mixtimer-test-work"] * 2 and conns.closed == 2
    qtbot.wait(20)
    assert results == ["third"]


def test_stop_drops_the_outcome_and_starts_nothing(worker: Worker, conns: Connections,
                                                   qtbot: Any) -> None:
    gate = Gate()
    results: list[str] = []
    errors: list[Exception] = []
    worker.run(gate.work("first"), results.append, errors.append)
    assert gate.entered.wait(WAIT_S)
    worker.stop()
    assert conns.interrupted == 1
    gate.gate.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_S * 1000)
    assert results == [] and errors == []


def test_a_request_stopped_before_its_connection_opened_does_not_run(
        conns: Connections, qtbot: Any) -> None:
    opening = threading.Event()
    proceed = threading.Event()

    @contextlib.contextmanager
    def slow_connect() -> Iterator[Any]:
        opening.set()
        assert proceed.wait(WAIT_S)
        with conns.connect() as interrupt:
            yield interrupt

    worker = Worker(slow_connect, "mixtimer-test-work")
    ran: list[int] = []
    worker.run(lambda job: ran.append(1), lambda _v: None)
    assert opening.wait(WAIT_S)
    worker.stop()
    proceed.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_S * 1000)
    assert ran == [] and conns.interrupted == 0 and conns.closed == 1


def test_an_error_is_reported_on_the_gui_thread(worker: Worker, qtbot: Any) -> None:
    failures: list[tuple[str, bool]] = []

    def broken(job: Job) -> None:
        raise OSError("disk I/O error")

    worker.run(broken, lambda _v: pytest.fail("no result expected"),
               lambda exc: failures.append((str(exc), threading.current_thread()
                                            is threading.main_thread())))
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_S * 1000)
    assert failures == [("disk I/O error", True)]


@pytest.mark.expect_log("mixtimer-test-work failed", level="ERROR")
def test_an_error_without_a_taker_is_logged_with_its_traceback(
        worker: Worker, qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    def broken(job: Job) -> None:
        raise ValueError("a bug")

    with caplog.at_level(logging.ERROR, logger="mixtimer_gui.gui.background"):
        worker.run(broken, lambda _v: None)
        qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_S * 1000)
    (record,) = caplog.records
    assert "mixtimer-test-work failed" in record.getMessage()
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


def test_the_error_of_a_stale_run_is_dropped(worker: Worker, conns: Connections,
                                             qtbot: Any) -> None:
    entered, gate = threading.Event(), threading.Event()

    def interrupted(job: Job) -> None:
        entered.set()
        assert gate.wait(WAIT_S)
        raise RuntimeError("interrupted")  # what sqlite says to an interrupted statement

    results: list[str] = []
    errors: list[Exception] = []
    worker.run(interrupted, results.append, errors.append)
    assert entered.wait(WAIT_S)
    worker.run(lambda job: "fresh", results.append, errors.append)
    gate.set()
    qtbot.waitUntil(lambda: results == ["fresh"], timeout=WAIT_S * 1000)
    assert errors == []


def test_cancel_asks_the_work_to_end_and_its_ending_is_delivered(
        worker: Worker, conns: Connections, qtbot: Any) -> None:
    entered = threading.Event()

    class Cancelled(Exception):
        pass

    def long_work(job: Job) -> None:
        entered.set()
        for _ in range(WAIT_S * 100):
            if job.cancelled():
                raise Cancelled
            threading.Event().wait(0.01)

    errors: list[Exception] = []
    worker.run(long_work, lambda _v: None, errors.append)
    assert entered.wait(WAIT_S)
    worker.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_S * 1000)
    assert isinstance(errors[0], Cancelled) and conns.interrupted == 0


def test_progress_reaches_the_gui_thread_before_the_result(worker: Worker,
                                                           qtbot: Any) -> None:
    seen: list[tuple[str, Any, bool]] = []

    def counting(job: Job) -> str:
        for done in range(1, 1001):
            job.progress(done, 1000)
        return "finished"

    def note(kind: str) -> Any:
        return lambda *args: seen.append((kind, args, threading.current_thread()
                                          is threading.main_thread()))

    worker.run(counting, note("done"), progress=note("progress"))
    qtbot.waitUntil(lambda: any(kind == "done" for kind, *_ in seen), timeout=WAIT_S * 1000)
    kinds = [kind for kind, *_ in seen]
    assert kinds[-1] == "done" and kinds.count("done") == 1
    steps = [args for kind, args, _ in seen if kind == "progress"]
    # Coalesced: at most one report waits at a time, and the last one is shown.
    assert 1 <= len(steps) <= 1000 and steps[-1] == (1000, 1000)
    assert all(on_gui for *_, on_gui in seen)


def test_a_deleted_worker_cancels_its_job_and_delivers_nothing(
        conns: Connections, qtbot: Any) -> None:
    owner = QObject()
    worker = Worker(conns.connect, "mixtimer-test-work", owner)
    entered, stopped = threading.Event(), threading.Event()
    delivered: list[Any] = []

    def export(job: Job) -> str:
        entered.set()
        for _ in range(WAIT_S * 100):
            if job.cancelled():
                stopped.set()
                return "stopped"
            threading.Event().wait(0.01)
        return "finished"

    worker.run(export, delivered.append, delivered.append)
    assert entered.wait(WAIT_S)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(worker), timeout=WAIT_S * 1000)
    assert stopped.wait(WAIT_S) and background.wait_all(WAIT_S)
    qtbot.wait(20)  # the outcome's post has arrived and found no worker
    assert delivered == [] and conns.closed == 1


def test_the_window_starts_threads_only_through_the_helper() -> None:
    """One way to work off the GUI thread: no module of ``gui`` but ``background`` makes a
    thread, a pool or a runnable, and the three that work in the background use ``Worker``."""
    import ast
    from pathlib import Path

    import mixtimer_gui.gui

    folder = Path(mixtimer_gui.gui.__file__).parent
    forbidden = {"Thread", "QThread", "QRunnable", "QThreadPool"}
    found: list[str] = []
    users: set[str] = set()
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = (node.id if isinstance(node, ast.Name)
                    else node.attr if isinstance(node, ast.Attribute) else None)
            if name in forbidden and path.name != "background.py":
                found.append(f"{path.name}:{node.lineno} {name}")
            if name == "Worker":
                users.add(path.stem)
    assert found == []
    assert {"table_model", "overview_tab", "csv_dialogs"} <= users
