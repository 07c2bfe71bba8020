"""What the PyInstaller bundle keeps, and the Windows version resource: plain functions that
``mixtimer-gui.spec`` applies and ``tests/packaging`` checks.

PyInstaller's Qt hooks collect every plugin of a module the app imports, all of Qt's
translations, and then every library those plugins link to (the GTK 3 platform theme alone
brings GTK, GDK, cairo, pango and ATK: ~20 MB). The bundle keeps the plugins the app loads:

- platforms: xcb (X11), wayland, offscreen (headless runs and the packaging check), windows;
- the XDG desktop portal theme (file dialogs under Flatpak-style desktops), the compose and
  IBus input contexts (Chinese input methods speak IBus' protocol, fcitx5 included);
- the SVG icon engine, and the image formats of the icons and of handle photos (svg, jpeg,
  gif, webp, ico; png and bmp are built into QtGui);
- xcb's GL integrations and the Wayland shell/decoration plugins the wayland platform uses
  (not Wayland's EGL client integration: widgets draw into shared memory, and nothing in the
  app opens an OpenGL window);
- printsupport (cups, for reports) when the app imports QtPrintSupport.

Translations: Qt's own zh_CN catalogue for the standard buttons (``gui/i18n.py`` loads
``qtbase_zh_CN``); English needs none. Then ``prune`` drops every library that nothing kept
links to any more.

On Linux the bundle is what the .deb installs, so the libraries of the system itself (X11,
xcb, fontconfig, GLib, D-Bus, OpenSSL, libstdc++ …, from ``/usr/lib`` and ``/lib``) are not
copied: the package depends on Debian's (``build_deb.py`` asks ``dpkg-shlibdeps`` which).
A copy from the build machine would be loaded instead of the desktop's own, and through
``LD_LIBRARY_PATH`` also by every program the app starts (the file manager, a browser).
What the wheels bring (Qt, ICU, libpq) and the Python the bundle was built with stay.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

# plugin folder → the plugins kept (file stems without "lib" and a debug "d"); a folder
# not listed is left out whole.
KEPT_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforms": ("qxcb", "qwayland", "qwayland-generic", "qwayland-egl", "qoffscreen",
                  "qwindows"),
    "platformthemes": ("qxdgdesktopportal",),
    "platforminputcontexts": ("composeplatforminputcontextplugin",
                              "ibusplatforminputcontextplugin"),
    "iconengines": ("qsvgicon",),
    "imageformats": ("qsvg", "qjpeg", "qgif", "qwebp", "qico"),
    "xcbglintegrations": ("qxcb-glx-integration", "qxcb-egl-integration"),
    "wayland-shell-integration": ("xdg-shell",),
    "wayland-decoration-client": ("bradient", "adwaita"),
    "printsupport": ("cupsprintersupport", "windowsprintersupport"),
}
KEPT_TRANSLATIONS = ("qtbase_zh_CN.qm",)
# Standard-library parts no code of the app runs (the dependencies' optional imports of
# them included). Of the East Asian codecs the CSV import needs only the Chinese one
# (gb18030); asking for another then fails as an unknown encoding would.
EXCLUDED_MODULES = (
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data",
    "ensurepip", "venv", "distutils", "setuptools", "pkg_resources", "pip", "test",
    "unittest", "doctest", "xmlrpc", "curses", "readline", "dbm",
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_iso2022",
)

_LIBRARY = re.compile(r"(\.so(\.\d+)*|\.dll|\.dylib)$", re.IGNORECASE)
SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def plugin_stem(filename: str) -> str:
    """``libqxcb.so`` → ``qxcb``; ``qwindowsd.dll`` stays ``qwindowsd`` (debug builds are
    not shipped: PyInstaller collects release plugins only)."""
    stem = _LIBRARY.sub("", filename)
    return stem[3:] if stem.startswith("lib") else stem


def keeps(dest: str) -> bool:
    """Whether the bundle keeps the file PyInstaller would put at ``dest`` (a path inside
    the bundle, e.g. ``PySide6/Qt/plugins/platforms/libqxcb.so``)."""
    parts = _parts(dest)
    if "PySide6" not in parts:
        return True
    inside = parts[parts.index("PySide6") + 1:]
    if "plugins" in inside:
        where = inside[inside.index("plugins") + 1:]
        if len(where) < 2:
            return True
        return plugin_stem(where[-1]) in KEPT_PLUGINS.get(where[0], ())
    if "translations" in inside:
        return parts[-1] in KEPT_TRANSLATIONS
    return True


def is_library(dest: str) -> bool:
    return bool(_LIBRARY.search(dest))


def is_python_extension(dest: str) -> bool:
    """A module Python imports (always a root: the app's imports chose it)."""
    name = _parts(dest)[-1]
    return name.endswith((".pyd", ".abi3.so")) or ".cpython-" in name


def is_python_library(dest: str) -> bool:
    return _parts(dest)[-1].lower().startswith(("libpython", "python3"))


def is_system_library(dest: str, source: str) -> bool:
    """A Linux library of the system itself (not one of Python's modules, not the Python
    library the bundle runs on); ``source`` is its real path on the build machine."""
    return (not is_python_extension(dest) and not is_python_library(dest)
            and source.startswith(SYSTEM_LIBRARY_DIRS))


def link_target(dest: str, target: str) -> str:
    """The destination a bundle symlink at ``dest`` points to (``target`` is relative)."""
    parent = PurePosixPath(dest.replace("\\", "/")).parent
    return posixpath.normpath(str(parent / target.replace("\\", "/")))


def prune(binaries: Iterable[str], imports_of: Callable[[str], Iterable[str]],
          roots: Iterable[str] = ()) -> set[str]:
    """The destinations of ``binaries`` still needed: the Python extension modules, the Qt
    plugins kept, ``roots`` (e.g. libpython), and every library they link to, directly or
    not. ``imports_of(dest)`` gives the file names a binary links to."""
    binaries = list(binaries)
    by_name: dict[str, list[str]] = {}
    for dest in binaries:
        by_name.setdefault(_parts(dest)[-1].lower(), []).append(dest)
    wanted = [d for d in binaries if not is_library(d) or is_python_extension(d)
              or "plugins" in _parts(d)]
    wanted += [d for d in binaries if _parts(d)[-1] in set(roots)]
    needed: set[str] = set()
    while wanted:
        dest = wanted.pop()
        if dest in needed:
            continue
        needed.add(dest)
        for name in imports_of(dest):
            wanted.extend(by_name.get(PurePosixPath(name.replace("\\", "/")).name.lower(), ()))
    return needed


# -- the Windows version resource -------------------------------------------------------------


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` → ``(1, 2, 3, 0)``; a pre-release or local part adds nothing
    (``"0.2.0rc1"`` → ``(0, 2, 0, 0)``): Windows wants four numbers below 65536."""
    release = re.match(r"\d+(?:\.\d+)*", version.strip())
    if release is None:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in release.group(0).split(".")][:4]
    numbers += [0] * (4 - len(numbers))
    if any(n > 65535 for n in numbers):
        raise ValueError(f"version {version!r}: Windows allows numbers up to 65535")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_info_text(version: str, *, internal_name: str, original_filename: str,
                      description: str) -> str:
    """The version resource in PyInstaller's text form (``EXE(version=path)``); what
    Explorer's Details tab, Task Manager's Startup tab and the tray's notifications show."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "The MixTimer GUI authors",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": internal_name,
        "LegalCopyright": "MIT License",
        "OriginalFilename": original_filename,
        "ProductName": "MixTimer GUI",
        "ProductVersion": version,
    }
    rows = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{rows}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def read_version(init_file: str) -> str:
    """``__version__`` from ``mixtimer_gui/__init__.py`` without importing the package."""
    with open(init_file, encoding="utf-8") as file:
        match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', file.read(), re.M)
    if not match:
        raise ValueError(f"{init_file}: no __version__")
    return match.group(1)
