"""Issue 5 Settings → API server: the server follows the dialog while the window is open."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from mixtimer_gui.gui import app as app_module


def _ask(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(
        url, data=json.dumps({"action": "get_v2_project_list"}).encode(), method="POST",
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())["code"]
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read())["code"]


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")
def test_the_server_follows_the_settings(app_settings: Any, services: Any) -> None:
    switch = app_module.ApiServerSwitch(app_settings, services, window=object())
    try:
        switch.apply()
        assert switch.server is None  # off by default

        app_settings.api_enabled, app_settings.api_port = True, 0
        switch.apply()
        first = switch.server
        assert first is not None
        first_url = first.url
        assert _ask(first_url) == 200
        switch.apply()
        assert switch.server is first  # nothing changed: no restart

        app_settings.api_token = "s3cret"
        switch.apply()
        second = switch.server
        assert second is not first
        second_url = second.url
        if second_url != first_url:  # port 0 may hand the freed port out again
            with pytest.raises(OSError):
                _ask(first_url)  # the old server is gone
        assert _ask(second_url) == 10401 and _ask(second_url, "s3cret") == 200

        app_settings.api_enabled = False
        switch.apply()
        assert switch.server is None
        with pytest.raises(OSError):
            _ask(second_url)
    finally:
        switch.stop()


def test_accepting_the_settings_dialog_is_announced(window: Any, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    monkeypatch.setattr(SettingsDialog, "exec", lambda self: 1)
    with qtbot.waitSignal(window.settings_applied, timeout=2000):
        window.open_settings()
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: 0)
    with qtbot.assertNotEmitted(window.settings_applied):
        window.open_settings()


def _ask_as(url: str, **headers: str) -> int:
    request = urllib.request.Request(
        url, data=json.dumps({"action": "get_v2_project_list"}).encode(), method="POST",
        headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())["code"]
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read())["code"]


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")
def test_the_server_follows_the_allowed_hosts_and_origins(app_settings: Any,
                                                          services: Any) -> None:
    switch = app_module.ApiServerSwitch(app_settings, services, window=object())
    try:
        app_settings.api_enabled, app_settings.api_port = True, 0
        switch.apply()
        first = switch.server
        port = first.port
        assert _ask_as(first.url, Host=f"plant.local:{port}") == 10403
        assert _ask_as(first.url, Origin="http://dashboard.local") == 10403

        app_settings.api_allowed_hosts = ["plant.local"]
        app_settings.api_allowed_origins = ["http://dashboard.local"]
        switch.apply()
        assert switch.server is not first  # restarted with the new lists
        url, port = switch.server.url, switch.server.port
        assert _ask_as(url, Host=f"plant.local:{port}") == 200
        assert _ask_as(url, Origin="http://dashboard.local") == 200
        assert _ask_as(url, Host=f"evil.example:{port}") == 10403
    finally:
        switch.stop()
