"""Produce what ships from the sources in the top-level ``resources/``; or check it is current.

    .venv/bin/python scripts/build_resources.py           # write every output below
    .venv/bin/python scripts/build_resources.py --check   # exit 1 if an output is stale

Sources (edited by hand) and what this script makes of them:

- ``resources/icons/app.svg`` (the application icon's master) and ``app-due.svg`` (the
  tray's "something is due" variant): copied into the package, which loads them at run time;
  ``app.svg`` is also rendered to the PNG sizes of ``resources/icons/hicolor/`` (the Linux
  package installs that tree) and to ``resources/icons/app.ico`` (the Windows executables and
  installer).
- ``resources/translations/*.ts``: compiled with lrelease into the package's ``.qm`` files.
  (``scripts/update_translations.py`` refreshes the ``.ts`` from the code and the dictionary
  ``zh_CN.json`` first, then calls this script's ``compile_translations``.)

The desktop entry and the AppStream metainfo in ``resources/linux/`` are used as they are by
``packaging/build_deb.py``. Nothing here is kept twice by hand: an output that differs from
what its source gives fails ``--check`` (and the test that runs it).

PNGs are rendered with Qt's ``QSvgRenderer``; the ``.ico`` is written here (Qt's ico plugin
writes one image per file, and a Windows icon wants several sizes), with classic 32-bit
bitmap entries below 256 px and a PNG entry at 256 px, as Windows' own icons are laid out.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "resources"
PACKAGE_RESOURCES = ROOT / "mixtimer_gui" / "resources"

APP_ID = "io.github.mixtimer.MixTimerGUI"
ICON_MASTER = SOURCES / "icons" / "app.svg"
# master → the package's copy (the window and the tray load these)
PACKAGE_ICONS = {
    SOURCES / "icons" / "app.svg": PACKAGE_RESOURCES / "icons" / "app.svg",
    SOURCES / "icons" / "app-due.svg": PACKAGE_RESOURCES / "icons" / "app-due.svg",
}
HICOLOR = SOURCES / "icons" / "hicolor"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO = SOURCES / "icons" / "app.ico"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
TS_DIR = SOURCES / "translations"
QM_DIR = PACKAGE_RESOURCES / "translations"
# Rendering differs in the last bit between Qt versions; a changed master differs by far more.
PIXEL_TOLERANCE = 24


def shown(path: Path) -> str:
    """``path`` as a message names it: inside the repository, relative to it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# -- icons ------------------------------------------------------------------------------------


def ensure_gui() -> None:
    """QPainter and the image plugins want a QGuiApplication (offscreen is enough)."""
    if QGuiApplication.instance() is None:
        ensure_gui.app = QGuiApplication([sys.argv[0]])  # type: ignore[attr-defined]


def render(svg: Path, size: int) -> QImage:
    """``svg`` drawn on a transparent ``size``×``size`` image (straight alpha)."""
    ensure_gui()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit icon bitmap: header, BGRA rows bottom-up, then the 1-bit AND mask (set where
    the pixel is fully transparent, for programs that ignore the alpha channel)."""
    width, height = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    bits = image.constBits()
    stride = image.bytesPerLine()
    raw = bytes(bits)[: stride * height]
    rows = [raw[y * stride: y * stride + width * 4] for y in range(height)]
    mask_stride = ((width + 31) // 32) * 4
    mask_rows = []
    for row in rows:
        mask = bytearray(mask_stride)
        for x in range(width):
            if row[x * 4 + 3] == 0:
                mask[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(mask))
    return header + b"".join(reversed(rows)) + b"".join(reversed(mask_rows))


def ico_bytes(images: list[QImage]) -> bytes:
    """An .ico holding ``images`` (square, ≤ 256 px)."""
    entries = [png_bytes(i) if i.width() >= 256 else dib_bytes(i) for i in images]
    offset = 6 + 16 * len(images)
    directory = b""
    for image, data in zip(images, entries, strict=True):
        side = image.width() % 256  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(entries)


def read_images(path: Path) -> list[QImage]:
    """Every image in ``path`` (one for a PNG, one per entry for an .ico)."""
    ensure_gui()
    reader = QImageReader(str(path))
    images = []
    for index in range(max(1, reader.imageCount())):
        if index and not reader.jumpToImage(index):
            break
        image = reader.read()
        if image.isNull():
            raise ValueError(f"{path}: image {index} cannot be read: {reader.errorString()}")
        images.append(image.convertToFormat(QImage.Format.Format_ARGB32))
    return images


def differs(a: QImage, b: QImage) -> bool:
    """True when the two images are not the same picture (a size or a visible change)."""
    if a.size() != b.size():
        return True
    left, right = bytes(a.constBits()), bytes(b.constBits())
    if left == right:
        return False
    return max(abs(x - y) for x, y in zip(left, right, strict=True)) > PIXEL_TOLERANCE


def build_icons() -> list[Path]:
    written = []
    for master, copy in PACKAGE_ICONS.items():
        shutil.copyfile(master, copy)
        written.append(copy)
    for size in PNG_SIZES:
        path = png_path(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(render(ICON_MASTER, size)))
        written.append(path)
    ICO.write_bytes(ico_bytes([render(ICON_MASTER, size) for size in ICO_SIZES]))
    written.append(ICO)
    return written


def stale_icons() -> list[str]:
    problems = [f"{shown(copy)} differs from {shown(master)}"
                for master, copy in PACKAGE_ICONS.items()
                if not copy.exists() or not filecmp.cmp(master, copy, shallow=False)]
    for size in PNG_SIZES:
        path = png_path(size)
        if not path.exists() or differs(read_images(path)[0], render(ICON_MASTER, size)):
            problems.append(f"{shown(path)} is not {ICON_MASTER.name} at {size} px")
    if not ICO.exists():
        problems.append(f"{shown(ICO)} is missing")
    else:
        images = read_images(ICO)
        sizes = [i.width() for i in images]
        if sizes != list(ICO_SIZES) or any(
                differs(i, render(ICON_MASTER, i.width())) for i in images):
            problems.append(f"{shown(ICO)} is not {ICON_MASTER.name} at "
                            f"{list(ICO_SIZES)} px (it has {sizes})")
    return problems


# -- translations -----------------------------------------------------------------------------


def tool(name: str) -> str:
    """A PySide6 tool from the same environment as this Python."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def translation_pairs() -> Iterable[tuple[Path, Path]]:
    for ts in sorted(TS_DIR.glob("*.ts")):
        yield ts, QM_DIR / ts.with_suffix(".qm").name


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, cwd=ROOT)


def compile_translations() -> list[Path]:
    QM_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for ts, qm in translation_pairs():
        lrelease(ts, qm)
        written.append(qm)
    return written


def stale_translations() -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for ts, qm in translation_pairs():
            fresh = Path(tmp) / qm.name
            lrelease(ts, fresh)
            if not qm.exists() or not filecmp.cmp(fresh, qm, shallow=False):
                problems.append(f"{shown(qm)} is not lrelease of "
                                f"{shown(ts)}")
    expected = {qm.name for _ts, qm in translation_pairs()}
    problems += [f"{shown(qm)} has no source in {shown(TS_DIR)}"
                 for qm in sorted(QM_DIR.glob("*.qm")) if qm.name not in expected]
    return problems


# -- the command ------------------------------------------------------------------------------

STEPS: dict[str, tuple[Callable[[], list[Path]], Callable[[], list[str]]]] = {
    "icons": (build_icons, stale_icons),
    "translations": (compile_translations, stale_translations),
}


def check(steps: Iterable[str] = STEPS) -> list[str]:
    return [problem for step in steps for problem in STEPS[step][1]()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if an output differs from its source")
    parser.add_argument("--only", choices=sorted(STEPS), action="append",
                        help="one kind of output (repeatable; default: all)")
    args = parser.parse_args(argv)
    steps = args.only or list(STEPS)
    if args.check:
        problems = check(steps)
        for problem in problems:
            print(f"stale: {problem} (run scripts/build_resources.py)")
        return 1 if problems else 0
    for step in steps:
        for path in STEPS[step][0]():
            print(f"wrote {shown(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
