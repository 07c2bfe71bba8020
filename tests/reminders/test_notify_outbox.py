"""Notification channels: the outbox written with the reminder log, delivered once per
channel to local receivers that check each robot's signature, retried after failures with a
fake clock, shared by several delivering processes, and never leaking a secret."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import notify_receivers as rx
import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.notify import worker as worker_mod
from mixtimer_gui.notify.worker import MAX_ATTEMPTS, DeliveryWorker, retry_delay
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services, notify

DAY = 86400


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def receiver() -> Iterator[rx.Receiver]:
    server = rx.Receiver()
    yield server
    server.close()


def robots(base: str) -> list[dict[str, Any]]:
    every = ["即将到期", "到期", "逾期"]
    return [
        {"name": "车间群", "kind": "wecom", "kinds": every,
         "settings": {"url": f"{base}/cgi-bin/webhook/send?key={rx.WECOM_KEY}"}},
        {"name": "钉钉群", "kind": "dingtalk", "kinds": every,
         "settings": {"url": f"{base}/robot/send?access_token={rx.DING_TOKEN}",
                      "secret": rx.DING_SECRET}},
        {"name": "飞书群", "kind": "feishu", "kinds": every,
         "settings": {"url": f"{base}/open-apis/bot/v2/hook/{rx.FEISHU_HOOK}",
                      "secret": rx.FEISHU_SECRET}},
        {"name": "工单系统", "kind": "webhook", "kinds": every,
         "settings": {"url": f"{base}/hook",
                      "body": '{"msg": "{title}", "detail": "{text}", "n": {count}}'}},
    ]


def fire(services: Services, clock: FakeClock, seconds: int = DAY) -> list[Any]:
    """Move time on and let the reminder engine log (and owe) what fell due."""
    clock.advance(seconds)
    return ReminderEngine(services).scan()


def outbox(services: Services) -> list[dict[str, Any]]:
    return list(reversed(services.notify.outbox_page(1000)))


def test_a_reminder_is_owed_once_to_each_channel_that_takes_it(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str]) -> None:
    kept = make_project(["P1"], name="润滑")
    other = make_project(["P2"], name="换滤芯")
    services.notify.save_channel({"name": "全部", "kind": "webhook", "kinds": ["即将到期"],
                                  "settings": {"url": "http://127.0.0.1:9/x"}})
    services.notify.save_channel({"name": "只要润滑", "kind": "webhook",
                                  "kinds": ["即将到期"], "projects": [kept],
                                  "settings": {"url": "http://127.0.0.1:9/y"}})
    services.notify.save_channel({"name": "只要到期", "kind": "webhook", "kinds": ["到期"],
                                  "settings": {"url": "http://127.0.0.1:9/z"}})
    fired = fire(services, fake_clock)
    assert len(fired) == 2
    rows = outbox(services)
    assert sorted((r["channel_name"], json.loads(r["payload"])["project_id"]) for r in rows) \
        == sorted([("全部", kept), ("全部", other), ("只要润滑", kept)])
    assert {r["kind"] for r in rows} == {"即将到期"}
    fire(services, fake_clock, 0)  # the same moment again: nothing new is owed
    assert len(outbox(services)) == 3


def test_the_outbox_and_the_reminder_log_commit_together(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_project()
    services.notify.save_channel({"name": "群", "kind": "webhook", "kinds": ["即将到期"],
                                  "settings": {"url": "http://127.0.0.1:9/x"}})

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(notify.nq, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        services.reminders.record_pending(fake_clock.now() + DAY, 86400)
    assert services.reminders.list({"page_size": 10})["total_records"] == 0
    monkeypatch.undo()
    assert len(services.reminders.record_pending(fake_clock.now() + DAY, 86400)) == 1
    assert len(outbox(services)) == 1


def test_each_robot_gets_one_signed_message_in_chinese(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver) -> None:
    services.objects.create({"uid": "IM-1", "name": "一号注塑机"})
    make_project(["IM-1"], name="液压油更换")
    for channel in robots(receiver.base):
        services.notify.save_channel(channel)
    fire(services, fake_clock)
    worker = DeliveryWorker(services)
    results = worker.run_once()
    assert [r.ok for r in results] == [True] * 4, [r.answer for r in results]
    assert worker.run_once() == []  # delivered: nothing owed any more
    for service in ("wecom", "dingtalk", "feishu"):
        [text] = receiver.texts(service)
        assert "维保即将到期" in text and "液压油更换 · 一号注塑机" in text
    [hook] = receiver.texts("webhook")
    body = json.loads(hook)
    assert body["msg"] == "维保即将到期" and body["n"] == 1
    assert "液压油更换 · 一号注塑机" in body["detail"]
    assert {r["status"] for r in outbox(services)} == {"sent"}


def test_a_burst_becomes_one_message_per_channel(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver) -> None:
    make_project([f"P{n}" for n in range(6)], name="润滑")
    services.notify.save_channel(robots(receiver.base)[0])
    fire(services, fake_clock)
    DeliveryWorker(services).run_once()
    [text] = receiver.texts("wecom")
    assert text.startswith("### 6 项维保需要处理")
    assert sum(line.startswith("- ") for line in text.splitlines()) == 6


@pytest.mark.expect_log("delivery failed", logger="mixtimer_gui.notify")
def test_a_receiver_that_is_down_gets_the_message_once_when_it_is_back(
        services: Services, fake_clock: FakeClock, db_location: Any,
        make_project: Callable[..., str], receiver: rx.Receiver) -> None:
    make_project()
    services.notify.save_channel(robots(receiver.base)[1])  # 钉钉
    fire(services, fake_clock)
    receiver.down = True
    [first] = DeliveryWorker(services).run_once()
    assert not first.ok and "502" in first.answer
    assert DeliveryWorker(services).run_once() == []  # not before its back-off
    receiver.down = False
    fake_clock.advance(retry_delay(1))
    # a restart: another process on the same database picks the retry up
    reopened = Services.open(db_location, clock=fake_clock)
    try:
        [second] = DeliveryWorker(reopened, worker_id="other").run_once()
        assert second.ok
        assert DeliveryWorker(reopened).run_once() == []
    finally:
        reopened.close()
    assert len(receiver.texts("dingtalk")) == 1
    [row] = outbox(services)
    assert (row["status"], row["attempts"]) == ("sent", 2)


@pytest.mark.expect_log("delivery failed", logger="mixtimer_gui.notify")
def test_a_message_that_keeps_failing_is_failed_with_the_answer_and_no_secret(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver, caplog: pytest.LogCaptureFixture) -> None:
    make_project()
    services.notify.save_channel(robots(receiver.base)[0])  # 企业微信: the key is in the URL
    fire(services, fake_clock)
    receiver.down = True
    caplog.set_level(logging.INFO)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        [result] = DeliveryWorker(services).run_once()
        assert not result.ok
        fake_clock.advance(retry_delay(attempt))
    assert DeliveryWorker(services).run_once() == []
    [row] = outbox(services)
    assert (row["status"], row["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert "bad gateway" in row["answer"] and "***" in row["answer"]
    logged = caplog.text + json.dumps(outbox(services), ensure_ascii=False)
    assert "failed for good" in caplog.text
    assert rx.WECOM_KEY not in logged
    assert receiver.texts("wecom") == []


def test_a_dingtalk_robot_takes_twenty_a_minute(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver) -> None:
    channel = services.notify.save_channel(robots(receiver.base)[1])
    now = fake_clock.now() + DAY
    for _ in range(20):  # twenty messages went out in the last minute (any workstation)
        services.notify.delivered(channel.id, [], now - 30, "ok")
    make_project()
    fire(services, fake_clock)
    assert DeliveryWorker(services).run_once() == []
    assert receiver.texts("dingtalk") == []
    fake_clock.advance(60)
    [result] = DeliveryWorker(services).run_once()
    assert result.ok and len(receiver.texts("dingtalk")) == 1


def test_two_workstations_deliver_each_message_once(
        services: Services, fake_clock: FakeClock, db_location: Any,
        make_project: Callable[..., str], receiver: rx.Receiver) -> None:
    for n in range(8):
        make_project([f"M{n}"], name=f"项目{n}")
    services.notify.save_channel(robots(receiver.base)[3])
    fire(services, fake_clock)
    stations = [Services.open(db_location, clock=fake_clock) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def station(svc: Services, name: str) -> None:
        barrier.wait()
        try:
            for _ in range(3):
                results.extend(DeliveryWorker(svc, worker_id=name).run_once())
        finally:
            svc.ctx.release_connection()

    threads = [threading.Thread(target=station, args=(svc, f"ws{n}"))
               for n, svc in enumerate(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    delivered = [json.loads(text)["detail"] for text in receiver.texts("webhook")]
    lines = [line for text in delivered for line in text.splitlines()[1:]]
    assert sorted(lines) == sorted(set(lines)) and len(lines) == 8
    assert sum(r.rows for r in results if r.ok) == 8


def test_a_claim_left_by_a_dead_process_is_taken_after_the_lease(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver) -> None:
    make_project()
    services.notify.save_channel(robots(receiver.base)[0])
    fire(services, fake_clock)
    now = fake_clock.now()
    assert len(services.notify.claim("dead", now, lease=300, limit=10)) == 1
    assert DeliveryWorker(services).run_once() == []  # still claimed
    fake_clock.advance(worker_mod.LEASE_SECONDS + 1)
    [result] = DeliveryWorker(services).run_once()
    assert result.ok and len(receiver.texts("wecom")) == 1


# -- channels as the form or the wire gives them ------------------------------------------


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "wecom", "settings": {"url": "http://x/y"}, "template": "{项目}"}, "template"),
    ({"kind": "wecom", "settings": {"url": "ftp://x"}}, "url"),
    ({"kind": "dingtalk", "settings": {}}, "url"),
    ({"kind": "webhook", "settings": {"url": "http://x", "body": '{"a": {title}}'}}, "body"),
    ({"kind": "email", "settings": {"host": "smtp.x.cn", "sender": "a@x.cn"}}, "recipients"),
    ({"kind": "email", "settings": {"host": "smtp.x.cn", "sender": "a@x.cn",
                                    "recipients": "维保组"}}, "recipients"),
    ({"kind": "wecom", "settings": {"url": "http://x", "digest_time": "25:00"}},
     "digest_time"),
    ({"kind": "sms", "settings": {}}, "kind"),
    ({"kind": "wecom", "kinds": ["每周"], "settings": {"url": "http://x"}}, "kinds"),
])
def test_a_wrong_channel_is_refused_naming_the_field_and_saves_nothing(
        services: Services, data: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldError) as caught:
        services.notify.save_channel({"name": "群", **data})
    assert caught.value.field == field
    assert services.notify.channels() == []


def test_a_channel_is_changed_and_removed(services: Services) -> None:
    saved = services.notify.save_channel({"name": "群", "kind": "feishu",
                                          "settings": {"url": "https://open.feishu.cn/h"}})
    changed = services.notify.save_channel({**saved.record(), "name": "新群",
                                            "kinds": ["日报"]})
    assert (changed.id, changed.name, changed.kinds) == (saved.id, "新群", ("日报",))
    assert changed.settings["digest_time"] == "08:00"
    services.notify.delete_channel(saved.id)
    assert services.notify.channels() == []


DELIVER_IN_A_CHILD = """
import sys
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.notify.worker import DeliveryWorker
from mixtimer_gui.services import Services
services = Services.open(sys.argv[1], clock=FakeClock(int(sys.argv[2])))
DeliveryWorker(services, worker_id="child").run_once()
"""


def test_a_process_killed_mid_outbox_loses_nothing_and_doubles_nothing(
        services: Services, fake_clock: FakeClock, db_location: Any,
        make_project: Callable[..., str], receiver: rx.Receiver) -> None:
    make_project(["P1", "P2"])
    services.notify.save_channel(robots(receiver.base)[3])  # the webhook answers at once
    services.notify.save_channel(robots(receiver.base)[0])  # 企业微信 will hang
    fire(services, fake_clock)
    receiver.hold = {"/cgi-bin/webhook/send"}
    child = subprocess.Popen([sys.executable, "-c", DELIVER_IN_A_CHILD, str(db_location),
                              str(fake_clock.now())])
    try:
        assert receiver.held.wait(60), "the child never reached the second channel"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    receiver.release.set()  # the killed request is refused: it was never delivered
    receiver.hold = set()
    assert len(receiver.texts("webhook")) == 1 and receiver.texts("wecom") == []
    assert DeliveryWorker(services).run_once() == []  # the dead child's claim still holds
    fake_clock.advance(worker_mod.LEASE_SECONDS + 1)
    [result] = DeliveryWorker(services).run_once()
    assert result.ok and result.rows == 2
    assert DeliveryWorker(services).run_once() == []
    assert len(receiver.texts("webhook")) == 1 and len(receiver.texts("wecom")) == 1
    assert {r["status"] for r in outbox(services)} == {"sent"}


def test_a_burst_too_long_for_the_robot_lists_what_fits_and_counts_the_rest(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        receiver: rx.Receiver) -> None:
    make_project([f"PUMP-{n:03d}" for n in range(300)], name="冷却泵润滑")
    services.notify.save_channel(robots(receiver.base)[0])
    fire(services, fake_clock)
    [result] = DeliveryWorker(services).run_once()
    assert result.ok and result.rows == 300
    [text] = receiver.texts("wecom")
    assert len(text.encode()) <= 4096
    listed = sum(line.startswith("- ") for line in text.splitlines())
    assert text.endswith(f"另有 {300 - listed} 项未列出") and 0 < listed < 300
    assert {r["status"] for r in outbox(services)} == {"sent"}


def test_channel_writes_are_in_the_history_without_their_secrets(services: Services) -> None:
    """#15 meets #18: adding, changing and removing a channel each leave a history row; a
    webhook key or a signing secret never appears in it, but a changed secret shows as
    changed."""
    first = {"name": "钉钉群", "kind": "dingtalk", "kinds": ["到期"],
             "settings": {"url": f"http://127.0.0.1:9/robot/send?access_token={rx.DING_TOKEN}",
                          "secret": rx.DING_SECRET}}
    channel = services.notify.save_channel(first)
    services.notify.save_channel({**first, "id": channel.id,
                                  "settings": {**first["settings"], "secret": "SECnew-0000"}})
    services.notify.delete_channel(channel.id)
    rows = services.history.list({"where_and": [["entity_uid", "=", str(channel.id)]],
                                  "order_by": "time"})["data"]
    assert [r["action"] for r in rows] == [notify.SAVE_CHANNEL, notify.SAVE_CHANNEL,
                                           notify.DELETE_CHANNEL]
    text = json.dumps(rows, ensure_ascii=False)
    for secret in (rx.DING_TOKEN, rx.DING_SECRET, "SECnew-0000"):
        assert secret not in text
    created, changed, deleted = (r["changes"] for r in rows)
    assert created["name"] == [None, "钉钉群"]
    was, now = changed["settings"]
    assert was["secret"] != now["secret"] and was["url"] == now["url"]
    assert all(v.startswith(notify.MASKED) for v in (was["secret"], now["secret"]))
    assert deleted["name"] == ["钉钉群", None]
