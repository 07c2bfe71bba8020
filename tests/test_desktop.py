"""Start at login (XDG autostart entry; Windows Run key through a fake registry), the command
it runs, and Windows' AppUserModelID (through a fake shell32)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mixtimer_gui import desktop
from mixtimer_gui.desktop import (
    APP_ID,
    APPROVED_KEY,
    RUN_KEY,
    WindowsRunKey,
    XdgAutostart,
    desktop_exec,
    launch_command,
)


def _entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


# -- the command ------------------------------------------------------------------------------


def test_a_python_installation_starts_this_interpreter_minimised(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert launch_command() == [sys.executable, "-m", "mixtimer_gui", "--minimized"]
    assert launch_command("/data/plant.db")[-2:] == ["--db", "/data/plant.db"]


def test_a_bundle_starts_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/mixtimer-gui/mixtimer-gui")
    assert launch_command() == ["/opt/mixtimer-gui/mixtimer-gui", "--minimized"]


def test_on_windows_python_starts_without_a_console(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    python = tmp_path / "python.exe"
    (tmp_path / "pythonw.exe").write_bytes(b"")
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "executable", str(python))
    assert launch_command()[0] == str(tmp_path / "pythonw.exe")


def test_exec_quotes_what_the_desktop_entry_spec_reserves() -> None:
    assert desktop_exec(["/usr/bin/mixtimer-gui", "--minimized"]) == \
        "/usr/bin/mixtimer-gui --minimized"
    # A space quotes the argument; "%" is doubled (field codes); inside quotes a backslash
    # is escaped twice (once for quoting, once for the string value), "$" and '"' once.
    assert desktop_exec(["/opt/My Apps/mt", "--db", '/d/50% "a"$\\x.db']) == (
        '"/opt/My Apps/mt" --db "/d/50%% \\\\"a\\\\"\\\\$\\\\\\\\x.db"')
    assert desktop_exec([""]) == '""'


# -- XDG autostart ----------------------------------------------------------------------------


def test_enabling_writes_an_autostart_entry_that_starts_minimised(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path)
    assert not autostart.is_enabled()
    autostart.enable(["/opt/mixtimer-gui/mixtimer-gui", "--minimized"])
    path = tmp_path / "autostart" / f"{APP_ID}.desktop"
    assert autostart.path == path and autostart.is_enabled()
    entry = _entry(path)
    assert entry["Exec"] == "/opt/mixtimer-gui/mixtimer-gui --minimized"
    assert entry["TryExec"] == "/opt/mixtimer-gui/mixtimer-gui"  # skipped once uninstalled
    assert entry["Type"] == "Application" and entry["Icon"] == APP_ID
    assert list((tmp_path / "autostart").iterdir()) == [path]  # no partial file left


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed")
def test_the_autostart_entry_is_a_valid_desktop_file(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path)
    autostart.enable(["/opt/My Apps/mixtimer-gui", "--minimized", "--db", "/d/50% x.db"])
    result = subprocess.run(["desktop-file-validate", str(autostart.path)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_disabling_removes_the_entry_and_is_quiet_when_there_is_none(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path)
    autostart.disable()
    autostart.enable(["mixtimer-gui", "--minimized"])
    autostart.disable()
    assert not autostart.path.exists() and not autostart.is_enabled()


@pytest.mark.parametrize("switch", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_an_entry_the_session_switched_off_is_not_enabled(tmp_path: Path, switch: str) -> None:
    autostart = XdgAutostart(tmp_path)
    autostart.enable(["mixtimer-gui", "--minimized"])
    with autostart.path.open("a", encoding="utf-8") as file:
        file.write(switch + "\n")
    assert not autostart.is_enabled()
    autostart.enable(["mixtimer-gui", "--minimized"])  # enabling again rewrites it
    assert autostart.is_enabled()


def test_the_entry_goes_to_xdg_config_home(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert XdgAutostart().path == tmp_path / "cfg" / "autostart" / f"{APP_ID}.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/is/ignored")  # as the spec says
    assert XdgAutostart().path == Path.home() / ".config" / "autostart" / f"{APP_ID}.desktop"


# -- Windows: the Run key ---------------------------------------------------------------------


class FakeRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str | bytes] = {}

    def get(self, key: str, name: str) -> str | bytes | None:
        return self.values.get((key, name))

    def set_string(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)


def test_the_run_key_holds_the_quoted_command(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry()
    run = WindowsRunKey(registry)
    assert not run.is_enabled()
    run.enable([r"C:\Users\Li Wei\AppData\Local\Programs\MixTimer GUI\mixtimer-gui.exe",
                "--minimized"])
    assert registry.values[(RUN_KEY, APP_ID)] == (
        r'"C:\Users\Li Wei\AppData\Local\Programs\MixTimer GUI\mixtimer-gui.exe" --minimized')
    assert run.is_enabled()
    run.disable()
    assert registry.values == {} and not run.is_enabled()


def test_task_managers_switch_is_respected_and_cleared_by_enabling() -> None:
    registry = FakeRegistry()
    run = WindowsRunKey(registry)
    run.enable(["mixtimer-gui.exe", "--minimized"])
    registry.values[(APPROVED_KEY, APP_ID)] = bytes([3]) + bytes(11)  # switched off
    assert not run.is_enabled()
    registry.values[(APPROVED_KEY, APP_ID)] = bytes([2]) + bytes(11)  # switched on
    assert run.is_enabled()
    registry.values[(APPROVED_KEY, APP_ID)] = bytes([3]) + bytes(11)
    run.enable(["mixtimer-gui.exe", "--minimized"])
    assert (APPROVED_KEY, APP_ID) not in registry.values and run.is_enabled()


def test_each_platform_gets_its_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert isinstance(desktop.autostart_for_platform(), XdgAutostart)
    monkeypatch.setattr(sys, "platform", "win32")
    assert isinstance(desktop.autostart_for_platform(), WindowsRunKey)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert desktop.autostart_for_platform() is None


# -- Windows: AppUserModelID ------------------------------------------------------------------


class FakeShell32:
    def __init__(self, result: int) -> None:
        self.result = result
        self.ids: list[str] = []

    def SetCurrentProcessExplicitAppUserModelID(self, app_id: str) -> int:
        self.ids.append(app_id)
        return self.result


def test_the_app_user_model_id_is_the_app_id() -> None:
    shell32 = FakeShell32(0)
    assert desktop.set_app_user_model_id(shell32)
    assert shell32.ids == [APP_ID]
    assert not desktop.set_app_user_model_id(FakeShell32(-2147024809))  # E_INVALIDARG
    assert not desktop.set_app_user_model_id(object())  # no such call (before Windows 7)


def test_no_app_user_model_id_outside_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert not desktop.set_app_user_model_id()
