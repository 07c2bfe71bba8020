"""Where things live: platformdirs locations, overridable by ``--db`` or ``MIXTIMER_DB``."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "mixtimer-gui"
DB_ENV = "MIXTIMER_DB"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "mixtimer.db"


def resolve_db_path(cli_value: str | None = None) -> Path:
    """``--db`` wins, then ``MIXTIMER_DB``, then the user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
