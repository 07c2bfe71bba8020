"""The app's place on the desktop: its id, start at login, and Windows' taskbar identity.

No Qt here: the settings dialog shows and changes the autostart state, but the state itself
is the desktop's own entry, so what the Windows installer or the user's session manager did
is what the dialog shows.

- Linux (and other XDG desktops): ``$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop``, the
  freedesktop.org autostart entry, which the user's desktop can also switch off (``Hidden``
  or ``X-GNOME-Autostart-enabled=false``).
- Windows: the value ``APP_ID`` under ``HKCU\\…\\CurrentVersion\\Run`` (the installer's "start
  at login" writes the same value), respecting Task Manager's switch in ``StartupApproved``.

The entry starts the window with ``--minimized``: hidden to the tray (or minimised where the
desktop has no tray), where the reminders are what matters.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

# One reverse-DNS id everywhere: the .desktop and metainfo file names, the hicolor icon name,
# Qt's desktop file name (the Wayland app id), the autostart entry, and Windows' AppUserModelID
# (which names the app on its notifications and groups its taskbar buttons).
APP_ID = "io.github.mixtimer.MixTimerGUI"
APP_NAME = "MixTimer GUI"
MINIMIZED = "--minimized"


def launch_command(database: str | None = None) -> list[str]:
    """The command line that starts this installation's window at login.

    A bundle (PyInstaller) starts its own executable; a Python installation starts this
    interpreter with ``-m mixtimer_gui`` (``pythonw.exe`` on Windows: no console window).
    ``database``: a ``--db`` to pass on, when the window runs on another than the default.
    """
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    else:
        python = Path(sys.executable)
        windowless = python.with_name("pythonw.exe")
        if sys.platform == "win32" and windowless.exists():
            python = windowless
        command = [str(python), "-m", "mixtimer_gui"]
    command.append(MINIMIZED)
    if database:
        command += ["--db", database]
    return command


class Autostart(Protocol):
    """Start at login, as the desktop records it."""

    def is_enabled(self) -> bool: ...

    def enable(self, command: Sequence[str]) -> None:
        """Start ``command`` at login (replacing an earlier entry); raises ``OSError``."""

    def disable(self) -> None:
        """No start at login (nothing to do when there is no entry); raises ``OSError``."""


# -- XDG ------------------------------------------------------------------------------------


def desktop_exec(command: Sequence[str]) -> str:
    """``command`` as a desktop entry's ``Exec`` value (the spec's quoting rules)."""
    def quote(argument: str) -> str:
        argument = argument.replace("%", "%%")
        if argument and not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`'):
            return argument
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        return f'"{escaped}"'
    # A backslash in a desktop entry's string value is itself escaped once more.
    return " ".join(quote(a) for a in command).replace("\\", "\\\\")


def xdg_config_home() -> Path:
    configured = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".config"


class XdgAutostart:
    """``<config>/autostart/<APP_ID>.desktop``."""

    def __init__(self, config_home: Path | None = None) -> None:
        self.path = (config_home or xdg_config_home()) / "autostart" / f"{APP_ID}.desktop"

    def _entries(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
        entries: dict[str, str] = {}
        section = ""
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[Desktop Entry]" and "=" in line:
                key, _, value = line.partition("=")
                entries[key.strip()] = value.strip()
        return entries

    def is_enabled(self) -> bool:
        entries = self._entries()
        return bool(entries.get("Exec")) and entries.get("Hidden", "").lower() != "true" and (
            entries.get("X-GNOME-Autostart-enabled", "true").lower() != "false")

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = "\n".join([
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_NAME}",
            "Name[zh_CN]=MixTimer 维保计划",
            "Comment=Maintenance reminders in the tray",
            "Comment[zh_CN]=在托盘中提醒到期的维保",
            f"Exec={desktop_exec(command)}",
            # Once the program is uninstalled, the session skips the entry instead of
            # failing to start it at every login.
            f"TryExec={command[0]}".replace("\\", "\\\\"),
            f"Icon={APP_ID}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ])
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(entry, encoding="utf-8")
        os.replace(partial, self.path)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


# -- Windows ----------------------------------------------------------------------------------

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
# Task Manager's Startup tab: a binary value whose first byte is odd when switched off.
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


class UserRegistry(Protocol):
    """The few HKEY_CURRENT_USER operations autostart needs (a fake in the tests)."""

    def get(self, key: str, name: str) -> str | bytes | None: ...

    def set_string(self, key: str, name: str, value: str) -> None: ...

    def delete(self, key: str, name: str) -> None:
        """Remove the value; nothing when it is not there."""


class WinregUserRegistry:
    """``UserRegistry`` on the real registry (``winreg`` exists on Windows only)."""

    def get(self, key: str, name: str) -> str | bytes | None:
        import winreg  # Windows only

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return value

    def set_string(self, key: str, name: str, value: str) -> None:
        import winreg  # Windows only

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        import winreg  # Windows only

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0,
                                winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass


def windows_command_line(command: Sequence[str]) -> str:
    """``command`` quoted as Windows' own programs parse it (``subprocess.list2cmdline``)."""
    import subprocess  # only for its quoting rule

    return subprocess.list2cmdline(list(command))


class WindowsRunKey:
    """The ``APP_ID`` value of the user's ``Run`` key."""

    def __init__(self, registry: UserRegistry | None = None) -> None:
        self.registry = registry or WinregUserRegistry()

    def is_enabled(self) -> bool:
        if not self.registry.get(RUN_KEY, APP_ID):
            return False
        approved = self.registry.get(APPROVED_KEY, APP_ID)
        return not (isinstance(approved, bytes) and approved[:1] and approved[0] % 2)

    def enable(self, command: Sequence[str]) -> None:
        self.registry.set_string(RUN_KEY, APP_ID, windows_command_line(command))
        # A "switched off" left by Task Manager would keep the new entry from running.
        self.registry.delete(APPROVED_KEY, APP_ID)

    def disable(self) -> None:
        self.registry.delete(RUN_KEY, APP_ID)
        self.registry.delete(APPROVED_KEY, APP_ID)


def autostart_for_platform() -> Autostart | None:
    """This desktop's autostart, or ``None`` where the app knows none (macOS)."""
    if sys.platform == "win32":
        return WindowsRunKey()
    if sys.platform == "darwin":
        return None
    return XdgAutostart()


# -- Windows' taskbar identity ----------------------------------------------------------------


def set_app_user_model_id(shell32: object | None = None) -> bool:
    """Give this process the AppUserModelID ``APP_ID`` (Windows; elsewhere nothing).

    Without it, Windows groups the window under the executable that started it and names
    the tray's notifications after it ("python"); the installer's Start-menu shortcut carries
    the same id. Call it before the first window. ``True`` when the id was set.
    """
    if shell32 is None:
        if sys.platform != "win32":
            return False
        import ctypes  # Windows only from here

        shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
    try:
        return shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID) == 0  # S_OK
    except (AttributeError, OSError):  # older than Windows 7: no such call
        return False
