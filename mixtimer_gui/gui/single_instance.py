"""One window per database: a second launch asks the first to raise its window.

The key is a hash of the database's resolved path (and the user), so two databases can be
open at once and two users on one machine never meet. The first instance listens on a
QLocalServer; a later one connects, sends ``raise`` and exits.

Signals:
    activated(): another launch asked this instance to show its window.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QByteArray, QCryptographicHash, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
CONNECT_TIMEOUT_MS = 500


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


class SingleInstance(QObject):
    activated = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self._server: QLocalServer | None = None

    def ask_running_instance(self) -> bool:
        """``True`` if another instance answered and was asked to raise its window."""
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
