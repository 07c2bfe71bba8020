"""``GET /{block}/calendar.ics``: the maintenance calendar as iCalendar, read by icalendar
and by a second, independent parser (vobject); stable UIDs; the caller rules of spec §1.1."""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import icalendar
import pytest
import vobject
from api_helpers import call

from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.api.wsgi import make_app
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

DAY = 86400


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


def plans(services: Services) -> tuple[str, str]:
    """A plan counted from completion (every 2 days) and a fixed weekly one."""
    services.objects.create({"uid": "PUMP-1", "name": "一号循环泵"})
    loose = services.projects.create({
        "name": "润滑", "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
        "notice_num": 1, "notice_unit": "日", "object_id_list": ["PUMP-1"]})["uid"]
    fixed = services.projects.create({
        "name": "安全巡检", "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "周",
        "notice_num": 2, "notice_unit": "日", "anchor_type": "按计划时间",
        "object_id_list": ["PUMP-1"]})["uid"]
    for uid in (loose, fixed):
        services.projects.start({"uid": uid})
    return loose, fixed


def task_uid(services: Services, project: str) -> str:
    page = services.tasks.list({"where_and": [["project_id", "=", project]]})
    return page["data"][0]["uid"]


def fetch(port: int, query: str = "", headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/mixtimer/calendar.ics{query}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return response.read()


def events(raw: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}


@pytest.fixture
def feed(services: Services) -> Iterator[ApiServer]:
    server = ApiServer(services, port=0)
    server.start()
    yield server
    server.stop()


def test_one_event_per_next_due_and_the_fixed_plans_ahead_with_alarms(
        services: Services, fake_clock: FakeClock, feed: ApiServer) -> None:
    loose, fixed = plans(services)
    raw = fetch(feed.port, "?days=30")
    found = events(raw)
    loose_uid, fixed_uid = task_uid(services, loose), task_uid(services, fixed)
    assert f"{loose_uid}-1@mixtimer-gui" in found
    weekly = sorted(uid for uid in found if uid.startswith(fixed_uid))
    assert len(weekly) == 4  # due in 7, 14, 21 and 28 days: within 30
    assert len(found) == 5
    event = found[f"{loose_uid}-1@mixtimer-gui"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Shanghai" and event["DTSTART"].params["TZID"] \
        == "Asia/Shanghai"
    assert int(start.timestamp()) == fake_clock.now() + 2 * DAY
    assert str(event["SUMMARY"]) == "润滑 · 一号循环泵"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(days=1)
    calendar = icalendar.Calendar.from_ical(raw)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    # a second, independent parser reads the same events, moments and alarms
    parsed = vobject.readOne(raw.decode("utf-8"))
    again = {e.uid.value: e for e in parsed.vevent_list}
    assert set(again) == set(found)
    other = again[f"{loose_uid}-1@mixtimer-gui"]
    assert other.dtstart.value == start and other.summary.value == "润滑 · 一号循环泵"
    assert other.valarm.trigger.value == -timedelta(days=1)
    starts = sorted(int(again[uid].dtstart.value.timestamp()) for uid in weekly)
    assert [b - a for a, b in itertools.pairwise(starts)] == [7 * DAY] * 3


def test_a_refresh_after_a_handle_moves_the_event_instead_of_adding_one(
        services: Services, fake_clock: FakeClock, feed: ApiServer) -> None:
    loose, fixed = plans(services)
    before = events(fetch(feed.port, "?days=0"))
    uid = f"{task_uid(services, loose)}-1@mixtimer-gui"
    fake_clock.advance(DAY)
    services.handles.handle({"task_id": task_uid(services, loose)})
    after = events(fetch(feed.port, "?days=0"))
    assert set(after) == set(before)
    assert after[uid].decoded("DTSTART") - before[uid].decoded("DTSTART") == timedelta(days=1)
    fixed_task = task_uid(services, fixed)
    services.handles.handle({"task_id": fixed_task})
    handled = events(fetch(feed.port, "?days=0"))
    assert f"{fixed_task}-1@mixtimer-gui" not in handled
    assert f"{fixed_task}-2@mixtimer-gui" in handled and len(handled) == 2


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api")
def test_a_token_may_come_in_the_query_and_nothing_else_gets_in(
        services: Services) -> None:
    plans(services)
    server = ApiServer(services, port=0, token="s3cret-token")
    server.start()
    try:
        for query, headers in (("", {}), ("?token=wrong", {}),
                               ("", {"Authorization": "Bearer wrong"})):
            with pytest.raises(urllib.error.HTTPError) as refused:
                fetch(server.port, query, headers)
            assert refused.value.code == 401
            assert json.loads(refused.value.read())["code"] == 10401
        assert b"BEGIN:VCALENDAR" in fetch(server.port, "?token=s3cret-token")
        assert b"BEGIN:VCALENDAR" in fetch(server.port, "",
                                           {"Authorization": "Bearer s3cret-token"})
    finally:
        server.stop()


@pytest.mark.expect_log("refused", logger="mixtimer_gui.api")
def test_other_hosts_origins_methods_and_horizons_are_refused(services: Services) -> None:
    app = make_app(services)
    path = "/mixtimer/calendar.ics"
    assert call(app, path=path, method="GET", headers={"Host": "evil.example"}).code == 10403
    assert call(app, path=path, method="GET",
                headers={"Origin": "http://evil.example"}).code == 10403
    reply = call(app, {}, path=path, method="POST")
    assert reply.code == 10405 and reply.headers["Allow"] == "GET"
    for days in ("-1", "abc", "99999999999999999999"):
        reply = call(app, path=path + "?days=" + days, method="GET")
        assert reply.code == 10013 and "days" in reply.info
