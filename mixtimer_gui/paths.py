"""Where things live: platformdirs locations, overridable by ``--db`` or ``MIXTIMER_DB``.

Which database a start uses is decided here, once, for the window and every command alike
(``resolve_db_path``): ``--db``, then ``MIXTIMER_DB``, then the location chosen in Settings
→ 数据库, then the user data folder's file. That choice is kept in a plain text file of the
user's configuration folder rather than in the window's Qt settings, so a headless command
(``serve`` on a workstation, a scheduled ``export-handles``) reads it without loading Qt.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "mixtimer-gui"
DB_ENV = "MIXTIMER_DB"
SAVED_LOCATION_FILE = "database-location.txt"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "mixtimer.db"


def saved_location_file() -> Path:
    """Where Settings → 数据库 keeps the location for the next start (this user's)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / SAVED_LOCATION_FILE


def read_saved_location(file: Path | None = None) -> str:
    """The location chosen in Settings → 数据库 ("" when none, or when the file cannot be
    read: the start then falls back to the default rather than failing)."""
    try:
        text = (file or saved_location_file()).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def write_saved_location(value: str, file: Path | None = None) -> None:
    """Keep ``value`` for the next start ("" forgets it). Written beside and renamed over, so
    a start never reads half a location; raises ``OSError`` when it cannot be written."""
    target = file or saved_location_file()
    value = value.strip()
    if not value:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(value + "\n", encoding="utf-8")
    os.replace(partial, target)


def resolve_db_path(cli_value: str | None = None, saved: str | None = None) -> Path | str:
    """``--db`` wins, then ``MIXTIMER_DB``, then ``saved`` (the window's Settings → 数据库;
    by default read from ``saved_location_file``), then the user data folder.

    A file path comes back as a ``Path``; a server location (``postgresql://…``,
    ``service=plant``: team mode) as the text itself, which ``Location.parse`` reads.
    """
    given = cli_value or os.environ.get(DB_ENV, "").strip()
    if not given:
        given = (read_saved_location() if saved is None else saved).strip()
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
