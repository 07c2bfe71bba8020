"""``mixtimer-gui serve``: the headless API server (DESIGN §5).

Prints exactly one line on stdout when ready, ``listening on http://HOST:PORT/BLOCK/api``, so
scripts can wait for it and read the port chosen for ``--port 0``. SIGINT/SIGTERM stop it:
requests in flight finish, then the database is closed. Arguments it refuses raise
``ServeRefused`` before anything is opened; a port it cannot listen on raises
``CannotListen``. The command (``commands.serve``) turns those into exit statuses.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import FrameType

from mixtimer_gui.api.callers import Callers
from mixtimer_gui.api.server import ApiServer, BindRefusedError, check_bind
from mixtimer_gui.api.wsgi import DEFAULT_BLOCK, check_block
from mixtimer_gui.logging_setup import setup_logging
from mixtimer_gui.services import Services, Workspace

log = logging.getLogger(__name__)

# Called once the server answers; may return a function to call at shutdown, before the
# database closes. This is where the reminders runner gets plugged in.
StartedHook = Callable[[Services, ApiServer], Callable[[], None] | None]
# How the database gets opened: the command's one way (``commands.database``).
OpenWorkspace = Callable[[Path], AbstractContextManager[Workspace]]

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class ServeRefused(ValueError):
    """An address, port or block the server refuses; ``str()`` says what to change."""


class CannotListen(OSError):
    """The address and port are well formed, but nothing can listen there now."""


def _configure_logging() -> None:
    # The rotating log file, copied to stderr: stdout is reserved for the one "listening"
    # line. A process that already configured logging (a test, an embedding) keeps its own.
    if not logging.getLogger().handlers:
        setup_logging(stderr=True)


def run_serve(db_path: Path, host: str = "127.0.0.1", port: int = 8848,
              block: str = DEFAULT_BLOCK, token: str | None = None, *,
              open_workspace: OpenWorkspace, allow_hosts: Sequence[str] = (),
              allow_origins: Sequence[str] = (), on_started: StartedHook | None = None) -> None:
    """Serve the database at ``db_path`` until SIGINT/SIGTERM."""
    try:
        check_bind(host.strip(), token)
        block = check_block(block)
        Callers.of(allow_hosts, allow_origins)
    except (BindRefusedError, ValueError) as exc:
        raise ServeRefused(str(exc)) from exc
    if not 0 <= port <= 65535:
        raise ServeRefused(f"端口 {port} 无效,应为 0–65535(0 表示自动选择空闲端口)")
    _configure_logging()
    waiting = _answer_while_upgrading(db_path, host, port, block, token,
                                      allow_hosts=allow_hosts, allow_origins=allow_origins)
    try:
        with open_workspace(db_path) as workspace:
            listening: socket.socket | None = None
            if waiting is not None:  # upgraded: the same socket goes on, with the data
                listening = waiting.listening_socket()
                waiting.stop()
                waiting = None
            _serve(workspace, host, port, block, token, on_started,
                   allow_hosts=allow_hosts, allow_origins=allow_origins, listening=listening)
    finally:
        if waiting is not None:
            waiting.stop()


UPGRADING = ("数据库正在升级到本版本的结构(新版本第一次打开旧数据时进行一次,记录很多时需要几分钟),"
             "完成前暂不能读写;请稍后重试")


def _answer_while_upgrading(db_path: Path, host: str, port: int, block: str,
                            token: str | None, *, allow_hosts: Sequence[str],
                            allow_origins: Sequence[str]) -> ApiServer | None:
    """When opening will upgrade the database (minutes at 10 M handles): listen now and
    answer every action 10503 with a sentence until it is done. ``None``: no upgrade due."""
    if not Workspace.upgrade_due(db_path):
        return None
    server = ApiServer(None, host=host, port=port, block=block, token=token,
                       allow_hosts=allow_hosts, allow_origins=allow_origins,
                       unavailable=UPGRADING)
    _start(server, host, port)
    print(f"listening on {server.url}", flush=True)
    log.info("upgrading the database; every action answers 10503 until it is done")
    return server


def _start(server: ApiServer, host: str, port: int) -> None:
    try:
        server.start()
    except OSError as exc:
        raise CannotListen(f"无法在 {host}:{port} 上监听:{exc.strerror or exc}") from exc


def _serve(workspace: Workspace, host: str, port: int, block: str,
           token: str | None, on_started: StartedHook | None, *,
           allow_hosts: Sequence[str], allow_origins: Sequence[str],
           listening: socket.socket | None = None) -> None:
    services = workspace.services
    stop = threading.Event()
    try:
        server = ApiServer(services, host=host, port=port, block=block, token=token,
                           allow_hosts=allow_hosts, allow_origins=allow_origins,
                           listening=listening)
        _start(server, host, port)
        previous = _install_stop_handlers(stop)
        cleanup: Callable[[], None] | None = None
        try:
            # The listening line first: scripts (and the operator) wait on it; the start-up
            # check, the daily copy and the reminders (their scheduler and first scan) come
            # after it, the first two on threads of their own. (Said already when the
            # upgrade's server had the socket.)
            if listening is None:
                print(f"listening on {server.url}", flush=True)
            checked = _check_after_listening(workspace)
            # Today's copy, then hourly checks, on a daemon thread with its own connections.
            workspace.start_daily_backups()
            workspace.start_live_refresh()  # others' writes move these reminders
            started = False
            while True:
                if not started and checked.is_set():
                    # the reminders write: they start once writes may go on
                    started = True
                    if on_started is not None:
                        cleanup = on_started(services, server)
                if stop.wait(0.05 if not started else 0.5):
                    break
            log.info("stopping: letting requests in flight finish")
        finally:
            server.stop()
            if cleanup is not None:
                cleanup()
            _restore_handlers(previous)
    finally:
        workspace.stop_daily_backups()  # the command's ``with`` closes the database after
        workspace.stop_live_refresh()


def _check_after_listening(workspace: Workspace) -> threading.Event:
    """The start-up check after an unclean exit, off the request path (the window's rule:
    only then, or after a damage mark). Set when writes may go on (at once when none is
    due; after it, found damaged or not: damage keeps writes refused with its sentence)."""
    done = threading.Event()

    def finished(found: Exception | None) -> None:
        log.info("start-up check done: %s", found or "the database is sound")
        done.set()

    if not workspace.start_pending_check(finished):
        done.set()
    else:
        log.info("checking the database after an unclean exit; writes wait (10503)")
    return done


def _install_stop_handlers(stop: threading.Event) -> dict[int, object]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[int, object] = {}
    for sig in _STOP_SIGNALS:
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)
    return previous


def _restore_handlers(previous: dict[int, object]) -> None:
    for sig, old in previous.items():
        signal.signal(sig, old)  # type: ignore[arg-type]
