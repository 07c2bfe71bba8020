"""Fixtures of the API tests: the app in-process and a live server on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import ActionApp, make_app
from mixtimer_gui.services import Services


@pytest.fixture
def api(services: Services) -> ActionApp:
    return make_app(services)


@pytest.fixture
def server(services: Services) -> Iterator[ApiServer]:
    srv = ApiServer(services, port=0)
    srv.start()
    yield srv
    srv.stop()
