#!/usr/bin/env python3
"""Build a self-contained folder bundle with PyInstaller ``--onedir`` (what Vorta and Picard
ship): ``dist/mixtimer-gui/`` with the app, its Qt plugins, icons and translations.

    .venv/bin/python -m pip install pyinstaller
    .venv/bin/python packaging/build_bundle.py

On Windows run it with the venv's python.exe; the GUI executable has no console, and a second
console executable ``mixtimer`` takes the same subcommands (serve, export-handles, …).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "mixtimer_gui" / "resources"


def pyinstaller(name: str, *, windowed: bool) -> None:
    sep = ";" if sys.platform == "win32" else ":"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--name", name,
        "--add-data", f"{RESOURCES}{sep}mixtimer_gui/resources",
        "--collect-submodules", "mixtimer_gui",
        "--hidden-import", "waitress",
        str(ROOT / "mixtimer_gui" / "__main__.py"),
    ]
    if windowed:
        command.insert(3, "--windowed")
    subprocess.run(command, check=True, cwd=ROOT)


def main() -> int:
    pyinstaller("mixtimer-gui", windowed=True)
    if sys.platform == "win32":
        pyinstaller("mixtimer", windowed=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
