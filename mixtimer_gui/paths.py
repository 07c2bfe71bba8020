"""Where things live: platformdirs locations, overridable by ``--db`` or ``MIXTIMER_DB``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "mixtimer-gui"
DB_ENV = "MIXTIMER_DB"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "mixtimer.db"


def resolve_db_path(cli_value: str | None = None, saved: str = "") -> Path | str:
    """``--db`` wins, then ``MIXTIMER_DB``, then ``saved`` (the window's Settings → 数据库),
    then the user data folder.

    A file path comes back as a ``Path``; a server location (``postgresql://…``,
    ``service=plant``: team mode) as the text itself, which ``Location.parse`` reads.
    """
    given = cli_value or os.environ.get(DB_ENV, "").strip() or saved.strip()
    if not given:
        return default_db_path()
    return given.strip() if is_server_location(given) else Path(given).expanduser()


# libpq's own spellings of a server: a URI, or keyword=value pairs ("service=plant",
# "host=db.plant dbname=mixtimer"). A file is never named so: "C:\\data\\x.db" has no
# "://", and its first word is no libpq keyword followed by "=".
_SERVER_SCHEMES = ("postgresql://", "postgres://")
_CONNINFO_WORD = re.compile(
    r"\s*(service|host|hostaddr|port|dbname|user|password|sslmode|options|application_name|"
    r"connect_timeout|passfile|target_session_attrs)\s*=", re.IGNORECASE)


def is_server_location(text: str) -> bool:
    """``text`` names a PostgreSQL server (team mode) rather than a SQLite file."""
    stripped = text.strip()
    return (stripped.lower().startswith(_SERVER_SCHEMES)
            or _CONNINFO_WORD.match(stripped) is not None)


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
