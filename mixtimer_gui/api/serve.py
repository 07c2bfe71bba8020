"""``mixtimer-gui serve``: the headless API server (DESIGN §5).

Prints exactly one line on stdout when ready, ``listening on http://HOST:PORT/BLOCK/api``, so
scripts can wait for it and read the port chosen for ``--port 0``. SIGINT/SIGTERM stop it:
requests in flight finish, then the database is closed, exit status 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from mixtimer_gui.api.callers import Callers
from mixtimer_gui.api.server import ApiServer, BindRefusedError, check_bind
from mixtimer_gui.api.wsgi import DEFAULT_BLOCK, check_block
from mixtimer_gui.logging_setup import setup_logging
from mixtimer_gui.services import Services
from mixtimer_gui.store.backup import DailyBackups

log = logging.getLogger(__name__)

# Called once the server answers; may return a function to call at shutdown, before the
# database closes. This is where the reminders runner gets plugged in.
StartedHook = Callable[[Services, ApiServer], Callable[[], None] | None]

EXIT_OK, EXIT_FAILURE, EXIT_BAD_ARGUMENTS = 0, 1, 2
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _configure_logging() -> None:
    # The rotating log file, copied to stderr: stdout is reserved for the one "listening"
    # line. A process that already configured logging (a test, an embedding) keeps its own.
    if not logging.getLogger().handlers:
        setup_logging(stderr=True)


def _say_error(message: str) -> None:
    print(f"mixtimer-gui: {message}", file=sys.stderr, flush=True)


def run_serve(db_path: Path | str, host: str = "127.0.0.1", port: int = 8848,
              block: str = DEFAULT_BLOCK, token: str | None = None, *,
              allow_hosts: Sequence[str] = (), allow_origins: Sequence[str] = (),
              on_started: StartedHook | None = None) -> int:
    """Serve until SIGINT/SIGTERM; returns the exit status."""
    try:
        check_bind(host.strip(), token)
        block = check_block(block)
        Callers.of(allow_hosts, allow_origins)
    except (BindRefusedError, ValueError) as exc:
        _say_error(str(exc))
        return EXIT_BAD_ARGUMENTS
    if not 0 <= port <= 65535:
        _say_error(f"端口 {port} 无效,应为 0–65535(0 表示自动选择空闲端口)")
        return EXIT_BAD_ARGUMENTS
    _configure_logging()
    stop = threading.Event()
    services = Services.open(db_path)
    # Today's verified copy, then hourly checks, on a daemon thread with its own connections.
    backups = DailyBackups(db_path, services.clock)
    backups.start()
    try:
        server = ApiServer(services, host=host, port=port, block=block, token=token,
                           allow_hosts=allow_hosts, allow_origins=allow_origins)
        try:
            server.start()
        except OSError as exc:
            _say_error(f"无法在 {host}:{port} 上监听:{exc.strerror or exc}")
            return EXIT_FAILURE
        previous = _install_stop_handlers(stop)
        cleanup: Callable[[], None] | None = None
        try:
            if on_started is not None:
                cleanup = on_started(services, server)
            print(f"listening on {server.url}", flush=True)
            while not stop.wait(0.5):
                pass
            log.info("stopping: letting requests in flight finish")
        finally:
            server.stop()
            if cleanup is not None:
                cleanup()
            _restore_handlers(previous)
    finally:
        backups.stop()
        services.close()
    return EXIT_OK


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
