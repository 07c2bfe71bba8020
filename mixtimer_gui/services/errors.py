"""The failures of opening and using a database that the outer layers tell apart.

Each is a ``StoreError``: ``str()`` is one sentence for the user saying what to do. The
window's recovery offers ``DamagedDatabaseError.backup``, or a read-only view for
``DatabaseLockedError`` / ``ReadOnlyDatabaseError``; the API answers 10503 for any
``StoreError`` met by a write. ``explain_write_error(exc)`` gives the ``StoreError`` behind
an exception a write raised (full disk, read-only file, a lock held too long), or ``None``.
"""

from __future__ import annotations

from mixtimer_gui.services.location import UnsupportedLocationError
from mixtimer_gui.store.errors import (
    BackupError,
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseLockedError,
    DiskFullError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    StoreError,
    explain_write_error,
)

__all__ = ["BackupError", "DamagedDatabaseError", "DatabaseInUseError", "DatabaseLockedError",
           "DiskFullError", "NotADatabaseError", "ReadOnlyDatabaseError", "SchemaTooNewError",
           "StoreError", "UnsupportedLocationError", "explain_write_error"]
