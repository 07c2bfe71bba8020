"""GUI fixtures: offscreen Qt, a temporary settings file, services on a temporary database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def app_settings(settings_path: Path, qapp: object) -> Iterator[object]:
    from mixtimer_gui.gui.settings import AppSettings

    settings = AppSettings(settings_path)
    yield settings
    settings.sync()
