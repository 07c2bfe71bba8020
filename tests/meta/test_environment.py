"""The environment the tests run in is one the project supports."""

from __future__ import annotations

import tomllib
from pathlib import Path

import PySide6

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_pyside6_6_12_0_is_excluded_and_not_installed() -> None:
    """On CPython 3.11, PySide6 6.12.0 drops a reference to None on every void Qt call until
    the interpreter aborts. The project excludes it instead of working around it, so an
    environment that has it anyway is told so here, rather than by a crash in the GUI
    tests."""
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"][
        "dependencies"]
    pyside = [d for d in dependencies if d.lower().startswith("pyside6")]
    assert len(pyside) == 1 and "!=6.12.0" in pyside[0].replace(" ", "")
    # The module's own version: the project installs PySide6-Essentials, which has no
    # distribution named "PySide6".
    assert PySide6.__version__ != "6.12.0"
