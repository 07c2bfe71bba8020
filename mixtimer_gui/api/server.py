"""The API served by waitress on a background thread (DESIGN §4).

waitress brings the thread pool, the body-size limit and the time-outs. Two small
subclasses make its own refusals (a body over the limit, a malformed HTTP request) answer with
the JSON envelope too, so a client sees the same shape whatever went wrong.

``stop()`` is graceful: it stops accepting, lets the requests already received finish and
their answers go out, then closes every connection and joins the threads.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.wasyncore import dispatcher as wasyncore_dispatcher

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.callers import Callers
from mixtimer_gui.api.wsgi import DEFAULT_BLOCK, MAX_BODY, ActionApp, UnavailableApp, make_app
from mixtimer_gui.services import ServiceContext, Services

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
THREADS = 4
STOP_TIMEOUT_S = 10.0


class BindRefusedError(ValueError):
    """Serving on a non-loopback address without a token: anyone on the network could write."""


def check_bind(host: str, token: str | None) -> None:
    if host != LOOPBACK and not token:
        raise BindRefusedError(
            f"拒绝在 {host} 上启动:除 {LOOPBACK} 以外的地址必须设置令牌(--token),"
            "否则网络上的任何人都能修改数据")


class _EnvelopeErrorTask(ErrorTask):
    """waitress's own refusals (413, 400, 431 …) as envelopes instead of plain text."""

    def execute(self) -> None:
        error = self.request.error
        too_large = getattr(error, "code", 0) == 413
        code = env.TOO_LARGE if too_large else env.BAD_FORMAT
        limit = self.channel.server.adj.max_request_body_size
        info = (f"请求体超过大小上限 {limit} 字节,请分页读取或分批写入" if too_large
                else f"HTTP 请求格式错误:{getattr(error, 'reason', '')}"
                     f"{(' - ' + str(error.body)[:120]) if getattr(error, 'body', '') else ''}")
        body = env.failure(None, code, info).body()
        self.status = env.HTTP_STATUS[code]
        self.response_headers.extend([("Content-Type", env.JSON_CONTENT_TYPE),
                                      ("Content-Length", str(len(body)))])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _EnvelopeErrorTask


class _Server(TcpWSGIServer):
    channel_class = _Channel
    task_dispatcher: _Dispatcher


class _Dispatcher(ThreadedTaskDispatcher):
    """waitress's worker pool, each worker closing its database connection when it stops.

    Workers keep one connection from request to request (``connection_scope(keep=True)``);
    ``stop()`` joins them, so the database is closed when ``stop()`` returns.
    """

    def __init__(self, ctx: ServiceContext | None) -> None:
        super().__init__()
        self.ctx = ctx
        self.workers: list[threading.Thread] = []

    def start_new_thread(self, target: Callable[[int], None], thread_no: int) -> None:
        worker = threading.Thread(target=self._work, args=(target, thread_no),
                                  name=f"mixtimer-api-{thread_no}", daemon=True)
        self.workers.append(worker)
        worker.start()

    def _work(self, target: Callable[[int], None], thread_no: int) -> None:
        try:
            target(thread_no)
        finally:
            if self.ctx is not None:  # None: nothing opened (``UnavailableApp``)
                self.ctx.release_connection()


class ApiServer:
    """The action API on ``host:port`` (``port=0``: a free port, read ``.port`` after start).

    Binding anything but ``127.0.0.1`` without a token raises ``BindRefusedError`` here, before
    a socket is opened. ``allow_hosts``/``allow_origins`` (spec §1.1; the address bound to is
    allowed as a host too): a bad one raises ``ValueError`` with a sentence.

    ``unavailable``: no services (``None``); every action is answered 10503 with this
    sentence (``serve`` while it upgrades the database). ``listening``: a socket already
    bound and listening (``listening_socket()`` of the server before), served instead of
    binding ``host:port``: connections waiting in its queue are answered by this one.
    """

    def __init__(self, services: Services | None, host: str = LOOPBACK, port: int = 8848,
                 block: str = DEFAULT_BLOCK, token: str | None = None, *,
                 threads: int = THREADS, max_body: int = MAX_BODY,
                 allow_hosts: Iterable[str] = (), allow_origins: Iterable[str] = (),
                 unavailable: str | None = None,
                 listening: socket.socket | None = None) -> None:
        host = host.strip()
        check_bind(host, token)
        self.services = services
        self.host = host
        callers = Callers.of(allow_hosts, allow_origins).with_bound_address(host)
        self.app: ActionApp
        if unavailable is not None or services is None:
            self.app = UnavailableApp(unavailable or "", block=block, token=token,
                                      max_body=max_body, callers=callers)
        else:
            self.app = make_app(services, block=block, token=token, max_body=max_body,
                                keep_connections=True, callers=callers)
        self._listening = listening
        self.block = self.app.block
        self._requested_port = port
        self._threads = threads
        self._max_body = max_body
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Bind and serve on a daemon thread; ``OSError`` if the address is taken."""
        if self._server is not None:
            raise RuntimeError("server already started")
        adj = Adjustments(host=self.host, port=self._requested_port, threads=self._threads,
                          # A body a little over the limit is received whole and the app
                          # answers 10413, so the client reads the answer instead of a
                          # broken pipe; far over it, waitress refuses before reading on
                          # (_EnvelopeErrorTask makes that a 10413 envelope too).
                          max_request_body_size=2 * self._max_body, ident="mixtimer",
                          expose_tracebacks=False, channel_timeout=60)
        dispatcher = _Dispatcher(self.services.ctx if self.services is not None else None)
        dispatcher.set_thread_count(adj.threads)
        # A socket handed over is served as waitress serves its ``sockets=`` option.
        handed = ({} if self._listening is None
                  else {"_sock": self._listening, "bind_socket": False})
        try:
            self._server = _Server(self.app, map={}, dispatcher=dispatcher, adj=adj,
                                   sockinfo=adj.listen[0], **handed)
        except BaseException:
            dispatcher.shutdown(cancel_pending=True, timeout=1)
            raise
        self._thread = threading.Thread(target=self._server.run, name="mixtimer-api",
                                        daemon=True)
        self._thread.start()
        log.info("action API listening on %s", self.url)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop accepting, let requests in flight finish and their answers go out, close."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        deadline = time.monotonic() + timeout
        self._in_loop(server, lambda: wasyncore_dispatcher.close(server))
        self._wait(lambda: not self._busy(server), deadline)
        self._in_loop(server, lambda: self._close_all(server))
        thread.join(max(0.1, deadline - time.monotonic()))
        dispatcher = server.task_dispatcher
        dispatcher.shutdown(cancel_pending=True, timeout=max(0.1, deadline - time.monotonic()))
        for worker in dispatcher.workers:
            worker.join(max(0.1, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("the API server thread did not stop within %.0f s", timeout)
        self._server = self._thread = None

    def listening_socket(self) -> socket.socket:
        """A duplicate of the listening socket, to hand to the server that takes over
        (``listening=``): it stays open when this one stops, so no connection is refused
        in between."""
        if self._server is None:
            raise RuntimeError("server not started")
        return self._server.socket.dup()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/{self.block}/api"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> ApiServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _in_loop(server: _Server, thunk: Callable[[], Any]) -> None:
        """Run ``thunk`` on the server's loop thread (the only thread that may touch sockets)."""
        done = threading.Event()

        def run() -> None:
            try:
                thunk()
            finally:
                done.set()

        try:
            server.trigger.pull_trigger(run)
        except OSError:
            # The trigger is closed: the loop has ended and touches no socket any more (seen
            # once under heavy load while stopping); what it left open goes with the server.
            log.debug("the API server's loop had already stopped")
            return
        done.wait(STOP_TIMEOUT_S)

    @staticmethod
    def _busy(server: _Server) -> bool:
        """A request is queued, running, or its answer is not yet sent."""
        dispatcher = server.task_dispatcher
        with dispatcher.lock:
            if dispatcher.queue:
                return True
        return any(channel.requests or channel.total_outbufs_len
                   for channel in list(server.active_channels.values()))

    @staticmethod
    def _wait(done: Callable[[], bool], deadline: float) -> None:
        # Polling is fine here: it only runs during shutdown and ends within the deadline.
        while not done() and time.monotonic() < deadline:
            time.sleep(0.01)

    @staticmethod
    def _close_all(server: _Server) -> None:
        for channel in list(server.active_channels.values()):
            channel.handle_close()
        server.trigger.close()  # the map is now empty: the loop returns
