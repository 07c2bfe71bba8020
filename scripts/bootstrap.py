#!/usr/bin/env python3
"""Set up a private virtual environment, then start the app or run the tests.

    python3 scripts/bootstrap.py run [ARGS...]    start MixTimer GUI (ARGS go to mixtimer-gui)
    python3 scripts/bootstrap.py test [ARGS...]   run the test suite (ARGS go to pytest)

Works the same on Linux, macOS and Windows (``py scripts\\bootstrap.py test``). The
environment lives in ``.venv`` beside this repository and is refreshed when pyproject.toml
changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".mixtimer-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 -- this script may run on an older Python
        sys.exit("MixTimer GUI needs Python 3.11 or newer; this is " + sys.version.split()[0])
    python = venv_python()
    if not python.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("installing MixTimer GUI and its test tools into .venv ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                       check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", ".[test]"],
                       check=True, cwd=ROOT)
        STAMP.write_text(wanted)
    return python


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    python = ensure_environment()
    extra = sys.argv[2:]
    if sys.argv[1] == "run":
        command = [str(python), "-m", "mixtimer_gui", *extra]
    else:
        # Tests never need a screen; GUI tests render offscreen.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        command = [str(python), "-m", "pytest", *extra]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
