"""The top-level resources/ are the sources of what ships, and everything made from them is
current (scripts/build_resources.py); the ids of the desktop files agree with the app."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from release_scripts import REPO, load

from mixtimer_gui import __version__, desktop

resources = load("scripts/build_resources.py")
LINUX = REPO / "resources" / "linux"


def test_every_output_is_made_from_its_current_source(qapp: Any) -> None:
    """Fails when a master (an SVG, a .ts) changed and scripts/build_resources.py was not
    run, or an output was edited by hand."""
    assert resources.check() == []


def test_the_ico_holds_every_size_windows_asks_for(qapp: Any) -> None:
    data = resources.ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(resources.ICO_SIZES))
    images = resources.read_images(resources.ICO)
    assert [i.width() for i in images] == list(resources.ICO_SIZES)
    assert all(i.width() == i.height() for i in images)
    # Transparent corners (the icon is a rounded square), opaque middle, at every size.
    for image in images:
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() == 255


def test_an_edited_copy_is_reported_stale(qapp: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    master = resources.SOURCES / "icons" / "app.svg"
    copy = tmp_path / "app.svg"
    copy.write_text(master.read_text().replace("#1565c0", "#c62828"))
    monkeypatch.setattr(resources, "PACKAGE_ICONS", {master: copy})
    assert resources.stale_icons() == [f"{copy} differs from resources/icons/app.svg"]


def test_a_png_of_another_picture_is_reported_stale(qapp: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hicolor = tmp_path / "hicolor"
    shutil.copytree(resources.HICOLOR, hicolor)
    monkeypatch.setattr(resources, "HICOLOR", hicolor)
    other = resources.render(resources.SOURCES / "icons" / "app-due.svg", 48)
    other.save(str(resources.png_path(48)), "PNG")
    assert resources.stale_icons() == [f"{resources.png_path(48)} is not app.svg at 48 px"]


def test_a_catalogue_without_its_source_is_reported(qapp: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "translations"
    shutil.copytree(resources.QM_DIR, shipped)
    (shipped / "mixtimer_de.qm").write_bytes(b"")
    (shipped / "mixtimer_en.qm").write_bytes(b"not what lrelease makes")
    monkeypatch.setattr(resources, "QM_DIR", shipped)
    assert resources.stale_translations() == [
        f"{shipped / 'mixtimer_en.qm'} is not lrelease of resources/translations/mixtimer_en.ts",
        f"{shipped / 'mixtimer_de.qm'} has no source in resources/translations"]


def test_the_package_ships_compiled_catalogues_only() -> None:
    shipped = sorted(p.name for p in resources.QM_DIR.iterdir())
    sources = sorted(p.with_suffix(".qm").name for p in resources.TS_DIR.glob("*.ts"))
    assert shipped == sources == ["mixtimer_en.qm", "mixtimer_zh_CN.qm"]


def test_update_translations_check_reads_the_moved_sources() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "update_translations.py"),
                             "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 untranslated string(s)")


# -- one id everywhere ------------------------------------------------------------------------


def _desktop_entry() -> dict[str, str]:
    path = LINUX / f"{desktop.APP_ID}.desktop"
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_the_desktop_entry_names_the_app_id_and_the_window_class() -> None:
    entry = _desktop_entry()
    assert entry["Icon"] == desktop.APP_ID
    assert entry["Exec"] == "mixtimer-gui"
    # Qt's X11 window class is the application name (gui/app.py: setApplicationName).
    app_py = (REPO / "mixtimer_gui" / "gui" / "app.py").read_text(encoding="utf-8")
    assert f'setApplicationName("{entry["StartupWMClass"]}")' in app_py
    for size in resources.PNG_SIZES:
        assert resources.png_path(size).name == f"{desktop.APP_ID}.png"


def test_the_metainfo_names_the_app_id_and_this_version() -> None:
    root = ET.parse(LINUX / f"{desktop.APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == desktop.APP_ID
    assert root.findtext("launchable") == f"{desktop.APP_ID}.desktop"
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date") or "")
    assert {b.text for b in root.iter("binary")} == {"mixtimer", "mixtimer-gui"}


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None
                    or shutil.which("appstreamcli") is None,
                    reason="desktop-file-utils or appstream is not installed")
def test_the_desktop_files_validate() -> None:
    entry = subprocess.run(["desktop-file-validate", str(LINUX / f"{desktop.APP_ID}.desktop")],
                           capture_output=True, text=True)
    assert entry.returncode == 0 and not entry.stdout.strip(), entry.stdout
    meta = subprocess.run(["appstreamcli", "validate", "--no-net",
                           str(LINUX / f"{desktop.APP_ID}.metainfo.xml")],
                          capture_output=True, text=True)
    assert meta.returncode == 0, meta.stdout + meta.stderr
