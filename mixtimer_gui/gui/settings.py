"""The user's settings (QSettings), with typed properties.

Organisation "mixtimer", application "mixtimer-gui" in the platform's usual place; tests and
the screenshot script pass an ini file path instead. QSettings gives back strings from ini
files, so every getter converts and falls back to the default on junk: a hand-edited file
must not stop the app from starting.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from mixtimer_gui import paths

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
DEFAULT_API_PORT = 8848
DEFAULT_API_BIND = "127.0.0.1"
DEFAULT_OVERDUE_REPEAT_HOURS = 24


# Where the location was kept before the commands read it too (#16): read once, moved.
_LEGACY_LOCATION_KEY = "database/location"


def split_list(text: str) -> list[str]:
    """Names separated by spaces or commas, as typed in Settings; duplicates dropped."""
    return list(dict.fromkeys(part for part in re.split(r"[\s,;]+", text) if part))


class AppSettings:
    def __init__(self, path: Path | str | None = None) -> None:
        if path is None:
            self._qs = QSettings("mixtimer", "mixtimer-gui")
            self._location_file = paths.saved_location_file()
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
            # an ini file of its own (tests, the screenshot script): the location beside it
            self._location_file = Path(path).with_name(
                f"{Path(path).stem}-{paths.SAVED_LOCATION_FILE}")

    def sync(self) -> None:
        self._qs.sync()

    def file_name(self) -> str:
        return self._qs.fileName()

    # -- typed access -----------------------------------------------------------------------

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(self._qs.value(key, default)))
        except (TypeError, ValueError):
            return default
        return value if low <= value <= high else default

    def _bool(self, key: str, default: bool) -> bool:
        value = self._qs.value(key, default)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "on")

    def _str(self, key: str, default: str) -> str:
        value = self._qs.value(key, default)
        return default if value is None else str(value)

    def _bytes(self, key: str) -> QByteArray:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def _set(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)

    # -- interface --------------------------------------------------------------------------

    @property
    def language(self) -> str:
        value = self._str("ui/language", DEFAULT_LANGUAGE)
        return value if value in LANGUAGES else DEFAULT_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value if value in LANGUAGES else DEFAULT_LANGUAGE)

    # -- reminders --------------------------------------------------------------------------

    @property
    def overdue_repeat_hours(self) -> int:
        return self._int("reminders/overdue_repeat_hours", DEFAULT_OVERDUE_REPEAT_HOURS,
                         1, 24 * 30)

    @overdue_repeat_hours.setter
    def overdue_repeat_hours(self, value: int) -> None:
        self._set("reminders/overdue_repeat_hours", int(value))

    @property
    def reminders_paused(self) -> bool:
        return self._bool("reminders/paused", False)

    @reminders_paused.setter
    def reminders_paused(self, value: bool) -> None:
        self._set("reminders/paused", bool(value))

    def reminders_shown_up_to(self, database: str) -> int | None:
        """The newest reminder log row this workstation told its user about on
        ``database`` (``None``: never, or unreadable)."""
        value = self._int(self._shown_key(database), -1, 0, 2**63 - 1)
        return None if value < 0 else value

    def set_reminders_shown_up_to(self, database: str, log_id: int) -> None:
        self._set(self._shown_key(database), int(log_id))

    @staticmethod
    def _shown_key(database: str) -> str:
        # one number per database this workstation opened; a digest, because a location's
        # slashes and colons would be groups and escapes in the settings' keys
        digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]
        return f"reminders/shown_up_to/{digest}"

    @property
    def tray_hint_shown(self) -> bool:
        return self._bool("ui/tray_hint_shown", False)

    @tray_hint_shown.setter
    def tray_hint_shown(self, value: bool) -> None:
        self._set("ui/tray_hint_shown", bool(value))

    @property
    def welcome_shown(self) -> bool:
        """The first run's welcome was answered (it is not offered again)."""
        return self._bool("ui/welcome_shown", False)

    @welcome_shown.setter
    def welcome_shown(self, value: bool) -> None:
        self._set("ui/welcome_shown", bool(value))

    @property
    def demo_return_to(self) -> str:
        """The database the window left for the demo database ("" if none): where
        "Back to my database" goes."""
        return self._str("demo/return_to", "").strip()

    @demo_return_to.setter
    def demo_return_to(self, value: str) -> None:
        self._set("demo/return_to", str(value))

    @property
    def database_location(self) -> str:
        """The database the window and the commands open from the next start on unless
        ``--db`` or ``MIXTIMER_DB`` names one ("": the user data folder's). Never a password:
        a server location holding one is refused before it is saved. Kept in a plain file
        (``paths.read_saved_location``) that the commands read without Qt."""
        if not self._location_file.exists():
            legacy = self._str(_LEGACY_LOCATION_KEY, "").strip()
            if legacy:  # kept in these settings by an earlier version: moved to the file
                try:
                    self.database_location = legacy
                except OSError:
                    return legacy
        return paths.read_saved_location(self._location_file)

    @database_location.setter
    def database_location(self, value: str) -> None:
        """Raises ``OSError`` when the location cannot be kept (the folder is read-only)."""
        paths.write_saved_location(value, self._location_file)
        self._qs.remove(_LEGACY_LOCATION_KEY)

    # -- API server -------------------------------------------------------------------------

    @property
    def operator_name(self) -> str:
        """操作员: who works at this workstation ("": the OS user's name)."""
        return self._str("general/operator", "")

    @operator_name.setter
    def operator_name(self, value: str) -> None:
        self._set("general/operator", value.strip())

    @property
    def api_enabled(self) -> bool:
        return self._bool("api/enabled", False)

    @api_enabled.setter
    def api_enabled(self, value: bool) -> None:
        self._set("api/enabled", bool(value))

    @property
    def api_port(self) -> int:
        return self._int("api/port", DEFAULT_API_PORT, 1, 65535)

    @api_port.setter
    def api_port(self, value: int) -> None:
        self._set("api/port", int(value))

    @property
    def api_bind(self) -> str:
        return self._str("api/bind", DEFAULT_API_BIND).strip() or DEFAULT_API_BIND

    @api_bind.setter
    def api_bind(self, value: str) -> None:
        self._set("api/bind", value.strip())

    @property
    def api_token(self) -> str:
        return self._str("api/token", "")

    @api_token.setter
    def api_token(self, value: str) -> None:
        self._set("api/token", value)

    # Besides loopback names, the host names requests may name and the web origins whose
    # pages may call (spec §1.1); the API server validates them (api.callers).
    @property
    def api_allowed_hosts(self) -> list[str]:
        return split_list(self._str("api/allowed_hosts", ""))

    @api_allowed_hosts.setter
    def api_allowed_hosts(self, values: list[str]) -> None:
        self._set("api/allowed_hosts", " ".join(values))

    @property
    def api_allowed_origins(self) -> list[str]:
        return split_list(self._str("api/allowed_origins", ""))

    @api_allowed_origins.setter
    def api_allowed_origins(self, values: list[str]) -> None:
        self._set("api/allowed_origins", " ".join(values))

    # -- window -----------------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._set("window/state", value)

    @property
    def current_tab(self) -> int:
        return self._int("window/current_tab", 0, 0, 50)

    @current_tab.setter
    def current_tab(self, value: int) -> None:
        self._set("window/current_tab", int(value))

    def column_widths(self, table: str) -> list[int]:
        """Saved widths of a table's columns (``[]`` when none or unreadable)."""
        raw = self._str(f"columns/{table}", "")
        try:
            widths = [int(w) for w in raw.split(",") if w.strip()]
        except ValueError:
            return []
        return [w for w in widths if 0 <= w <= 5000]

    def set_column_widths(self, table: str, widths: list[int]) -> None:
        self._set(f"columns/{table}", ",".join(str(int(w)) for w in widths))

    def sort_order(self, table: str) -> str:
        """The ``order_by`` a list was last sorted by (``"-due_at"``), ``""`` if unset."""
        raw = self._str(f"sorting/{table}", "").strip()
        return raw if re.fullmatch(r"-?[a-z_]{1,40}", raw) else ""

    def set_sort_order(self, table: str, order_by: str) -> None:
        self._set(f"sorting/{table}", order_by)

    def splitter_state(self, name: str) -> QByteArray:
        return self._bytes(f"splitters/{name}")

    def set_splitter_state(self, name: str, state: QByteArray) -> None:
        self._set(f"splitters/{name}", state)
