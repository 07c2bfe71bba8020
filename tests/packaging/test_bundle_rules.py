"""What the PyInstaller bundle keeps of Qt, which libraries it still needs, and the Windows
version resource (packaging/bundle_rules.py, applied by packaging/mixtimer-gui.spec)."""

from __future__ import annotations

from typing import Any

import pytest
from release_scripts import REPO, load

rules = load("packaging/bundle_rules.py")


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/plugins/imageformats/qwebp.dll",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/QtWidgets.abi3.so",
    "mixtimer_gui/resources/translations/mixtimer_zh_CN.qm",
    "libpython3.11.so.1.0",
])
def test_what_the_app_loads_is_kept(dest: str) -> None:
    assert rules.keeps(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",  # brings GTK, cairo, pango: ~20 MB
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",  # the app draws with Fusion
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qt_help_zh_CN.qm",
])
def test_what_nothing_loads_is_left_out(dest: str) -> None:
    assert not rules.keeps(dest)


def test_only_libraries_something_kept_links_to_stay() -> None:
    links = {
        "PySide6/QtWidgets.abi3.so": ["libQt6Widgets.so.6", "libc.so.6"],
        "PySide6/Qt/lib/libQt6Widgets.so.6": ["libQt6Gui.so.6"],
        "PySide6/Qt/lib/libQt6Gui.so.6": ["libQt6Core.so.6"],
        "PySide6/Qt/lib/libQt6Core.so.6": [],
        "PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6"],
        "PySide6/Qt/lib/libQt6XcbQpa.so.6": ["libQt6Gui.so.6"],
        # only the GTK theme (left out by keeps) linked to these
        "libgtk-3.so.0": ["libcairo.so.2"],
        "libcairo.so.2": [],
        "libpython3.11.so.1.0": ["libz.so.1"],
        "libz.so.1": [],
        "base_library.zip": [],
    }
    needed = rules.prune(links, lambda dest: links[dest], roots=["libpython3.11.so.1.0"])
    assert needed == set(links) - {"libgtk-3.so.0", "libcairo.so.2"}


def test_windows_names_are_matched_whatever_their_case() -> None:
    links = {"PySide6/QtCore.pyd": ["QT6CORE.DLL"], "PySide6/Qt6Core.dll": [],
             "opengl32sw.dll": []}  # loaded only for OpenGL, which the app never asks for
    assert rules.prune(links, lambda dest: links[dest]) == {"PySide6/QtCore.pyd",
                                                            "PySide6/Qt6Core.dll"}


def test_system_libraries_come_from_the_system() -> None:
    assert rules.is_system_library("libX11.so.6", "/usr/lib/x86_64-linux-gnu/libX11.so.6.4.0")
    assert rules.is_system_library("libglib-2.0.so.0", "/lib/x86_64-linux-gnu/libglib.so")
    wheel = "/venv/lib/python3.11/site-packages/PySide6/Qt/lib/libQt6Core.so.6"
    assert not rules.is_system_library("PySide6/Qt/lib/libQt6Core.so.6", wheel)
    # Debian's own Python: its modules and library travel with the bundle all the same.
    assert not rules.is_system_library(
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so")
    assert not rules.is_system_library("libpython3.11.so.1.0",
                                       "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0")


def test_a_link_points_beside_itself() -> None:
    assert rules.link_target("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6") == \
        "PySide6/Qt/lib/libQt6Core.so.6"
    assert rules.link_target("a/b/libx.so", "../c/libx.so.1") == "a/c/libx.so.1"


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.3.4.5.6", (2, 3, 4, 5)),
    ("0.2.0rc1", (0, 2, 0, 0)), ("1.0.0+local.7", (1, 0, 0, 0)),
])
def test_windows_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert rules.version_tuple(version) == numbers


@pytest.mark.parametrize("version", ["70000.1", "dev", ""])
def test_a_version_windows_cannot_hold_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        rules.version_tuple(version)


class _Recorder:
    """Stands in for each of PyInstaller's version-resource classes: the text is evaluated
    with them in scope, as PyInstaller's own loader does."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"kind": self.kind, "args": args, **kwargs}


def test_the_version_resource_carries_the_package_version() -> None:
    text = rules.version_info_text("0.3.1", internal_name="mixtimer",
                                   original_filename="mixtimer.exe",
                                   description="MixTimer GUI - command line")
    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct"]
    info = eval(text, {name: _Recorder(name) for name in names})
    assert info["ffi"]["filevers"] == info["ffi"]["prodvers"] == (0, 3, 1, 0)
    table = info["kids"][0]["args"][0][0]
    strings = {s["args"][0]: s["args"][1] for s in table["args"][1]}
    assert strings["FileVersion"] == strings["ProductVersion"] == "0.3.1"
    assert strings["OriginalFilename"] == "mixtimer.exe"
    assert strings["FileDescription"] == "MixTimer GUI - command line"


def test_the_version_is_read_from_the_package(tmp_path: Any) -> None:
    from mixtimer_gui import __version__

    assert rules.read_version(str(REPO / "mixtimer_gui" / "__init__.py")) \
        == __version__
    empty = tmp_path / "__init__.py"
    empty.write_text('"""no version"""\n')
    with pytest.raises(ValueError, match="no __version__"):
        rules.read_version(str(empty))
