#!/usr/bin/env python3
"""Build the folder bundle with PyInstaller from the committed spec (``mixtimer-gui.spec``).

    python -m pip install ".[release]"        # the app's dependencies and PyInstaller
    python packaging/build_bundle.py          # → dist/mixtimer-gui/

Run it with the Python of an environment that has the app's dependencies and PyInstaller
(on Windows the venv's ``python.exe``; see packaging/README.md). The result is one folder
with both executables, ``mixtimer-gui`` (the window; no console on Windows) and
``mixtimer`` (a console; the same commands), sharing one set of libraries. Build files go
to ``build/pyinstaller`` and the bundle to ``dist/`` (both git-ignored), or where
``--work`` and ``--dist`` say; nothing is written into the tracked tree.

On Linux the two executables are the same file (a console is a Windows notion), so
``mixtimer`` becomes a link to ``mixtimer-gui`` instead of a second 4 MB copy of the
bootloader and the Python archive.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "mixtimer-gui.spec"
NAME = "mixtimer-gui"


def bundle_size(bundle: Path) -> tuple[int, int]:
    """Bytes and number of files (links count as neither)."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def link_identical_executables(bundle: Path) -> bool:
    """Linux: ``mixtimer`` → ``mixtimer-gui`` when PyInstaller made them identical."""
    window, console = bundle / NAME, bundle / "mixtimer"
    if sys.platform == "win32" or not console.is_file() or console.is_symlink():
        return False
    if not filecmp.cmp(window, console, shallow=False):
        return False
    console.unlink()
    console.symlink_to(window.name)
    return True


def build(dist: Path, work: Path) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit(f"PyInstaller is not installed for {sys.executable}: "
                         'python -m pip install ".[release]"')
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   check=True, cwd=ROOT)
    bundle = dist / NAME
    link_identical_executables(bundle)
    size, count = bundle_size(bundle)
    print(f"built {bundle} in {time.monotonic() - started:.0f} s: "
          f"{size / 1_048_576:.1f} MiB ({size / 1_000_000:.1f} MB) in {count} files")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the bundle folder goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's build files (default: build/pyinstaller/)")
    args = parser.parse_args(argv)
    build(args.dist.resolve(), args.work.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
