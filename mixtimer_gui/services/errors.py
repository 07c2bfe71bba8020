"""The failures of opening and using a database that the outer layers tell apart.

Each is a ``StoreError``: ``str()`` is one sentence for the user saying what to do. The
window's recovery offers ``DamagedDatabaseError.backup``, or a read-only view for
``DatabaseLockedError`` / ``ReadOnlyDatabaseError``; the API answers 10503 for any
``StoreError`` met by a write. A server location (team mode) adds its own: a password in
the location, a refused login, no server answering, no such database, a database not in C
collation, and a connection lost during an action (the next action reconnects).
``explain_write_error(exc)`` gives the ``StoreError`` behind an exception a write raised
(full disk, read-only file, a lock held too long), or ``None``.
"""

from __future__ import annotations

from mixtimer_gui.services.location import UnsupportedLocationError
from mixtimer_gui.store.errors import (
    BackupError,
    BackupSkippedError,
    BadLocationError,
    CheckRunningError,
    ConnectionLostError,
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseLockedError,
    DatabaseMissingError,
    DiskFullError,
    LoginFailedError,
    NotADatabaseError,
    PasswordInLocationError,
    QueryTimeoutError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    ServerUnreachableError,
    StoreError,
    WrongCollationError,
    explain_write_error,
)

__all__ = ["BackupError", "BackupSkippedError", "BadLocationError", "CheckRunningError",
           "ConnectionLostError", "DamagedDatabaseError",
           "DatabaseInUseError", "DatabaseLockedError", "DatabaseMissingError", "DiskFullError",
           "LoginFailedError", "NotADatabaseError", "PasswordInLocationError",
           "QueryTimeoutError", "ReadOnlyDatabaseError", "SchemaTooNewError",
           "ServerUnreachableError", "StoreError", "UnsupportedLocationError",
           "WrongCollationError", "explain_write_error"]
