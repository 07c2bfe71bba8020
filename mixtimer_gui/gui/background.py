"""Work off the GUI thread, the one way the window does it: the table model's count and
search, the overview's charts and the CSV dialogs all run on a ``Worker``.

A ``Worker`` runs one function at a time on a thread of its own, inside a database
connection of that thread's own (``own_connection``, closed when the function returns), and
hands the outcome back to the GUI thread through a queued signal: a widget is only ever
touched there (DESIGN §8, as Picard does it).

Every ``run`` is stamped with a new generation. A newer ``run``, or ``stop``, makes the one
running stale: the statement it is running is interrupted, and whatever it ends with (its
result, its error, the interruption) is dropped on arrival. One runs at a time (one extra
connection): the newest request starts once the stale one has left, and any request in
between is forgotten.

``cancel`` asks the running function to end early without making it stale: ``Job.cancelled``
turns true, the function ends its own way (an export raises ``ExportCancelled``) and that
outcome is delivered, as a progress dialog's Cancel button needs. ``Job.progress(done,
total)`` reaches the GUI thread too, coalesced so that a fast loop cannot flood the event
queue. A worker deleted with its parent (a window closed mid-export) cancels its job.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

Interrupt = Callable[[], None]
# A worker thread's own connection for a block, yielding what interrupts its statement.
Connect = Callable[[], AbstractContextManager[Interrupt]]
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]
Progress = Callable[[int, int], None]


def own_connection(services: Services) -> Connect:
    """The services' connection for a worker thread (the one place that names it)."""
    return services.ctx.thread_connection


@dataclass
class _Request:
    work: Callable[[Job], Any]
    done: Done
    failed: Failed | None
    progress: Progress | None
    generation: int


class Job:
    """One run as its function sees it: ``cancelled()`` (stop early, please) and
    ``progress(done, total)``."""

    def __init__(self, request: _Request, post_progress: Callable[[Job], None]) -> None:
        self.request = request
        self._post_progress = post_progress
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._interrupt: Interrupt | None = None
        self._stopped = False
        self._interrupted = False
        self._latest: tuple[int, int] | None = None
        self._progress_posted = False

    @property
    def generation(self) -> int:
        return self.request.generation

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        if self.request.progress is None:
            return
        with self._lock:
            self._latest = (done, total)
            if self._progress_posted:
                return  # the GUI thread has not shown the last one yet: it shows this one
            self._progress_posted = True
        self._post_progress(self)

    def take_progress(self) -> tuple[int, int] | None:
        """GUI thread: the latest progress reported (and allow the next to be posted)."""
        with self._lock:
            self._progress_posted = False
            return self._latest

    # -- what the worker does to a job --------------------------------------------------

    def ask_to_cancel(self) -> None:
        self._cancel.set()

    def stop(self) -> None:
        """Stale now: ask it to end, and interrupt its statement (once)."""
        self._cancel.set()
        with self._lock:
            self._stopped = True
            interrupt = None if self._interrupted else self._interrupt
            self._interrupted = interrupt is not None
        if interrupt is not None:
            try:
                interrupt()
            except Exception as exc:  # a connection closing under us: nothing to stop
                log.debug("interrupt failed: %s", exc)

    def started_on(self, interrupt: Interrupt | None) -> bool:
        """Worker thread: its connection is open (``None``: closing); ``False`` when it was
        stopped before the work began (then the work is not worth doing)."""
        with self._lock:
            self._interrupt = interrupt
            return not self._stopped


class _Poster(QObject):
    """Runs callables on the GUI thread: a worker emits, the queued slot calls. Made once,
    on the GUI thread, and kept for the application's life, so a worker never emits on an
    object that may be deleted under it."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._call, Qt.ConnectionType.QueuedConnection)

    def _call(self, call: object) -> None:  # a method: its receiver lives on the GUI thread
        call()  # type: ignore[operator]


_poster: _Poster | None = None
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def _gui_poster() -> _Poster:
    global _poster
    if _poster is None or not shiboken6.isValid(_poster):  # (a new QApplication)
        _poster = _Poster()  # a worker is made on the GUI thread
    return _poster


def wait_all(timeout_s: float = 10.0) -> bool:
    """Block until every worker thread has ended (tests; closing). ``True``: none left."""
    with _threads_lock:
        threads = list(_threads)
    for thread in threads:
        thread.join(timeout_s)
    return not any(thread.is_alive() for thread in threads)


class Worker(QObject):
    """Runs functions off the GUI thread, the newest request first (see the module's text).

    ``run(work, done, failed=None, progress=None)``: ``work(job)`` runs on a thread named
    ``name`` with a connection from ``connect``; ``done(result)`` or ``failed(error)`` then
    runs on the GUI thread, unless a newer request made the run stale. Without ``failed`` an
    error is logged with its traceback.
    """

    def __init__(self, connect: Connect, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._name = name
        self._poster = _gui_poster()
        self._generation = 0
        self._running: Job | None = None
        self._waiting: _Request | None = None
        self._thread: threading.Thread | None = None
        # Reachable while this object is being deleted: the destroyed slot is no method.
        self._jobs = _Jobs()
        self.destroyed.connect(functools.partial(_abandon, self._jobs))

    @property
    def busy(self) -> bool:
        """A run has started and its outcome has not been handled yet."""
        return self._running is not None

    def run(self, work: Callable[[Job], Any], done: Done, failed: Failed | None = None,
            progress: Progress | None = None) -> None:
        self._generation += 1
        request = _Request(work, done, failed, progress, self._generation)
        if self._running is not None:
            self._running.stop()
            self._waiting = request
            return
        self._start(request)

    def stop(self) -> None:
        """The running work is stale (interrupted, its outcome dropped); nothing waits."""
        self._generation += 1
        self._waiting = None
        if self._running is not None:
            self._running.stop()

    def cancel(self) -> None:
        """Ask the running work to end early; its outcome is still delivered."""
        if self._running is not None:
            self._running.ask_to_cancel()

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Block until the running thread has ended (tests; closing). ``True``: none left."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout_s)
        return not thread.is_alive()

    # -- on the GUI thread ----------------------------------------------------------------

    def _start(self, request: _Request) -> None:
        job = Job(request, functools.partial(_post, self._poster, self, self._show_progress))
        self._running = self._jobs.current = job
        arrive = functools.partial(_post, self._poster, self, self._arrive, job)
        self._thread = threading.Thread(target=_work_on_thread,
                                        args=(job, self._connect, arrive),
                                        name=self._name, daemon=True)
        with _threads_lock:
            _threads.add(self._thread)
        self._thread.start()

    def _show_progress(self, job: Job) -> None:
        latest = job.take_progress()
        if latest is None or job.generation != self._generation or job.cancelled():
            return
        assert job.request.progress is not None
        job.request.progress(*latest)

    def _arrive(self, job: Job, ok: bool, value: Any) -> None:
        self._running = self._jobs.current = None
        if self._waiting is not None:
            request, self._waiting = self._waiting, None
            self._start(request)  # the newest request; this outcome is stale
            return
        if job.generation != self._generation:
            log.debug("%s: a stale outcome dropped", self._name)
            return
        if ok:
            job.request.done(value)
        elif job.request.failed is not None:
            job.request.failed(value)
        else:
            log.error("%s failed", self._name, exc_info=value)


class _Jobs:
    """The job a worker runs."""

    current: Job | None = None


def _abandon(jobs: _Jobs, *_args: object) -> None:
    """The worker is being deleted (its window closed): its job need not go on."""
    if jobs.current is not None:
        jobs.current.stop()


def _post(poster: _Poster, worker: Worker, slot: Callable[..., None], *args: Any) -> None:
    """Any thread: call ``slot(*args)`` on the GUI thread, unless ``worker`` is gone by
    then (nothing of it is touched here)."""
    poster.posted.emit(functools.partial(_if_alive, worker, slot, *args))


def _if_alive(worker: Worker, slot: Callable[..., None], *args: Any) -> None:
    if shiboken6.isValid(worker):
        slot(*args)


def _work_on_thread(job: Job, connect: Connect,
                    arrive: Callable[[bool, Any], None]) -> None:
    """A worker thread: ``job``'s work on its own connection; the outcome to the GUI."""
    try:
        ok, value = False, None
        try:
            with connect() as interrupt:
                try:
                    if job.started_on(interrupt):  # else stopped already: not worth doing
                        value, ok = job.request.work(job), True
                finally:
                    job.started_on(None)
        except Exception as exc:  # delivered to the GUI thread, which says what it means
            value = exc
        arrive(ok, value)
    finally:
        with _threads_lock:
            _threads.discard(threading.current_thread())
