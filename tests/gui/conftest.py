"""GUI fixtures: offscreen Qt, a temporary settings file, services on a temporary database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def app_settings(settings_path: Path, qapp: Any) -> Iterator[Any]:
    from mixtimer_gui.gui.settings import AppSettings

    settings = AppSettings(settings_path)
    yield settings
    settings.sync()


@pytest.fixture
def bridge(services: Any, qapp: Any) -> Iterator[Any]:
    from mixtimer_gui.gui.bridge import ChangeBridge

    b = ChangeBridge(services.bus)
    yield b
    b.close()


@pytest.fixture
def window(services: Any, app_settings: Any, qtbot: Any) -> Any:
    """The main window in English on the test's database and settings file."""
    from mixtimer_gui.gui import i18n
    from mixtimer_gui.gui.main_window import MainWindow

    i18n.install_language("en")
    w = MainWindow(services, app_settings)
    qtbot.addWidget(w)
    return w


@pytest.fixture(autouse=True)
def _english(qapp: Any) -> None:
    """Every GUI test starts in English: the source strings, with the English plural forms
    ("3 days"); a test that switches language cannot leave the next one in Chinese."""
    from mixtimer_gui.gui import i18n

    i18n.install_language("en")
