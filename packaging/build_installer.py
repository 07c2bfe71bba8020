#!/usr/bin/env python3
"""Build the Windows installer from the bundle with NSIS (``windows/mixtimer-gui.nsi``).

    python packaging/build_installer.py [--bundle dist/mixtimer-gui] [--out dist]

On Windows after ``build_bundle.py`` (NSIS 3 installed, ``makensis`` on PATH or in its
usual folder); writes ``dist/mixtimer-gui-<version>-windows.exe``. On Linux, Debian's
``nsis`` package compiles the same script, which is how the packaging check makes sure it
stays valid (``--check``: a stand-in bundle of empty files, nothing worth shipping).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bundle_rules  # noqa: E402

SCRIPT = HERE / "windows" / "mixtimer-gui.nsi"
ICON = ROOT / "resources" / "icons" / "app.ico"
LICENSE = ROOT / "LICENSE"
WINDOWS_NSIS = (Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
                / "NSIS" / "makensis.exe")


def makensis() -> str:
    found = shutil.which("makensis") or (str(WINDOWS_NSIS) if WINDOWS_NSIS.exists() else None)
    if found is None:
        raise SystemExit("makensis not found: install NSIS 3 (Windows: nsis.sourceforge.io; "
                         "Debian: apt-get install nsis)")
    return found


def defines(version: str, bundle: Path, outfile: Path) -> list[str]:
    quad = ".".join(str(n) for n in bundle_rules.version_tuple(version))
    values = {"VERSION": version, "VERSION_QUAD": quad, "BUNDLE": str(bundle),
              "ICON": str(ICON), "LICENSE_FILE": str(LICENSE), "OUTFILE": str(outfile)}
    return [f"-D{name}={value}" for name, value in values.items()]


def compile_installer(bundle: Path, outfile: Path) -> Path:
    version = bundle_rules.read_version(str(ROOT / "mixtimer_gui" / "__init__.py"))
    outfile.parent.mkdir(parents=True, exist_ok=True)
    # -INPUTCHARSET: the script is UTF-8 (it also starts with a BOM, for makensis run by hand).
    command = [makensis(), "-V2", "-INPUTCHARSET", "UTF8", "-WX",
               *defines(version, bundle, outfile), str(SCRIPT)]
    subprocess.run(command, check=True, cwd=ROOT)
    print(f"wrote {outfile} ({outfile.stat().st_size / 1_048_576:.1f} MiB)")
    return outfile


def stand_in_bundle(folder: Path) -> Path:
    """Empty files where the bundle's are: enough for makensis to compile the script."""
    bundle = folder / "mixtimer-gui"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("mixtimer-gui.exe", "mixtimer.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "mixtimer-gui")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--check", action="store_true",
                        help="only compile the script (with a stand-in bundle, into a "
                             "temporary folder)")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="mixtimer-nsis-") as tmp:
            compile_installer(stand_in_bundle(Path(tmp)), Path(tmp) / "mixtimer-gui-check.exe")
        return 0
    version = bundle_rules.read_version(str(ROOT / "mixtimer_gui" / "__init__.py"))
    if not (args.bundle / "mixtimer-gui.exe").is_file():
        raise SystemExit(f"{args.bundle} holds no mixtimer-gui.exe: build the bundle on "
                         "Windows first (packaging/build_bundle.py)")
    compile_installer(args.bundle.resolve(),
                      args.out.resolve() / f"mixtimer-gui-{version}-windows.exe")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
