"""One window per database: a second launch asks the first to raise its window.

The key is a hash of the database's resolved path (and the user), so two databases can be
open at once and two users on one machine never meet. The first instance listens on a
QLocalServer; a later one connects, sends ``raise`` and exits.

On Windows, ``QLocalServer.listen`` can succeed although another process listens on the
same pipe name, so the socket alone cannot tell who came first: there the first instance
also holds a named mutex (``CreateMutexW`` in the session's namespace), which the kernel
releases when that process ends, even by a crash. A later launch that finds the mutex taken
asks the holder to raise its window and exits, whether or not the holder answers yet.

Signals:
    activated(): another launch asked this instance to show its window.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QCryptographicHash, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
CONNECT_TIMEOUT_MS = 500
# A holder of the mutex may still be starting its server: ask it this many times.
MUTEX_HOLDER_ATTEMPTS = 4
ERROR_ALREADY_EXISTS = 183
ERROR_ACCESS_DENIED = 5


def server_name(db_path: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = ""
    # Qt's SHA-256 rather than hashlib's: the same digest without loading OpenSSL's
    # bindings before the window shows (~3 ms).
    key = QByteArray(f"{user}\0{Path(db_path).resolve()}".encode())
    digest = QCryptographicHash.hash(key, QCryptographicHash.Algorithm.Sha256).toHex()
    return f"mixtimer-gui-{bytes(digest.data()).decode()[:24]}"


class MutexApi(Protocol):
    """The two kernel calls ``NamedMutex`` makes (a fake stands in for them in the tests)."""

    def create(self, name: str) -> tuple[int, int]:
        """``CreateMutexW(NULL, FALSE, name)``: the handle (0 on failure) and the last
        error (``ERROR_ALREADY_EXISTS`` when the name was taken)."""

    def close(self, handle: int) -> None: ...


class Win32MutexApi:
    """``MutexApi`` through ctypes (Windows only)."""

    def __init__(self) -> None:
        import ctypes  # Windows only from here
        from ctypes import wintypes

        self._ctypes = ctypes
        windll = ctypes.WinDLL  # type: ignore[attr-defined]
        self._kernel32 = windll("kernel32", use_last_error=True)
        self._kernel32.CreateMutexW.argtypes = [wintypes.LPVOID, wintypes.BOOL,
                                                wintypes.LPCWSTR]
        self._kernel32.CreateMutexW.restype = wintypes.HANDLE
        self._kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

    def create(self, name: str) -> tuple[int, int]:
        handle = self._kernel32.CreateMutexW(None, False, name)
        return int(handle or 0), self._ctypes.get_last_error()  # type: ignore[attr-defined]

    def close(self, handle: int) -> None:
        self._kernel32.CloseHandle(handle)


class NamedMutex:
    """A mutex name that exists while its first creator runs: ``acquire()`` says whether
    this process was first. The handle stays open until ``release()`` or the process ends."""

    def __init__(self, name: str, api: MutexApi) -> None:
        self.name = name
        self.api = api
        self._handle = 0

    @classmethod
    def for_platform(cls, key: str) -> NamedMutex | None:
        """Windows: the mutex ``Local\\<key>``; elsewhere ``None`` (the socket suffices)."""
        if sys.platform != "win32":
            return None
        return cls(f"Local\\{key}", Win32MutexApi())

    def acquire(self) -> bool | None:
        """``True``: this process is the first (and now holds the name); ``False``: another
        process holds it; ``None``: the kernel would not say (the socket decides then)."""
        if self._handle:
            return True
        handle, error = self.api.create(self.name)
        if handle and error != ERROR_ALREADY_EXISTS:
            self._handle = handle
            return True
        if handle:
            self.api.close(handle)  # ours was only a second reference to theirs
            return False
        # No handle: a name that exists under rights we lack is another instance as well.
        return False if error in (ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS) else None

    def release(self) -> None:
        if self._handle:
            self.api.close(self._handle)
            self._handle = 0


class SingleInstance(QObject):
    activated = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None, *,
                 mutex: NamedMutex | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self._server: QLocalServer | None = None
        self.mutex = mutex if mutex is not None else NamedMutex.for_platform(self.name)

    def ask_running_instance(self) -> bool:
        """``True`` if another instance runs on this database (it was asked to raise its
        window); ``False``: this is the first."""
        first = None if self.mutex is None else self.mutex.acquire()
        if first is None:
            return self._ask_to_raise()
        if first:
            return False
        for _attempt in range(MUTEX_HOLDER_ATTEMPTS):
            if self._ask_to_raise():
                break
        return True

    def _ask_to_raise(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(RAISE)
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the instance for this database; ``False`` if the name can't be taken."""
        server = QLocalServer(self)
        if not server.listen(self.name):
            # A crashed instance can leave a stale socket file behind (Unix): nobody answered
            # ask_running_instance, so it is safe to remove and take over.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self.mutex is not None:
            self.mutex.release()

    def _on_connection(self) -> None:
        # Read each caller synchronously: it writes its one line right after connecting,
        # and no per-socket Python slot outlives the socket (those crashed at teardown).
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            ready = socket.bytesAvailable() or socket.waitForReadyRead(CONNECT_TIMEOUT_MS)
            if ready and bytes(socket.readAll().data()).startswith(RAISE.strip()):
                self.activated.emit()
            socket.disconnectFromServer()
            socket.deleteLater()
