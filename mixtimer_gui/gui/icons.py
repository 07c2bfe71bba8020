"""The SVG icons in ``mixtimer_gui/resources/icons``, loaded once and cached."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (file stem); an empty icon if the file is missing, never an error."""
    path = ICON_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon(*, due: bool = False) -> QIcon:
    """The application icon; ``due=True`` adds the red badge the tray shows when tasks are due."""
    return icon("app-due" if due else "app")
