"""The delivery worker: claims outbox rows, sends each channel's rows as one message, and
records the outcome. No Qt: a plain thread, in the window and in ``serve`` alike.

- Once per channel: a row is claimed (``services.notify.claim``) before it is sent and
  marked sent right after; a claim older than ``LEASE_SECONDS`` is taken again, so the rows
  of a process that died are delivered by the next one. With several workstations on one
  PostgreSQL database each row is claimed by one of them.
- Failures retry with a doubling back-off (``retry_delay``) kept in the row, so a restart
  keeps the schedule; after ``MAX_ATTEMPTS`` the row is failed with the server's answer.
- A burst (every row a channel owes at once) is one message; each service's rate limit is
  counted from the attempts recorded in the database, so it holds across processes.
- Secrets (webhook keys, signing secrets, the SMTP password) are redacted from every answer
  before it is stored or logged; a log line names the channel, never its address.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain import notify as rules
from mixtimer_gui.domain.clock import Clock
from mixtimer_gui.notify import messages
from mixtimer_gui.notify.senders import SENDERS, DeliveryError, Sender
from mixtimer_gui.services import events
from mixtimer_gui.services.notify import Channel, redact

if TYPE_CHECKING:
    from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE_SECONDS = 300
CLAIM_LIMIT = 500
POLL_SECONDS = 20
# (messages, seconds) per channel kind, from each service's documentation: 企业微信 and
# 钉钉 robots take 20 a minute (钉钉 then blocks the robot for 10 minutes); 飞书's custom
# bot 100 a minute and 5 a second. Webhooks and mail: a polite ceiling of our own.
RATE_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    rules.WECOM: ((20, 60),), rules.DINGTALK: ((20, 60),),
    rules.FEISHU: ((5, 1), (100, 60)), rules.WEBHOOK: ((60, 60),), rules.EMAIL: ((30, 60),)}


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones: 30 s, 1, 2, 4 … ≤ 60 min."""
    return min(3600, 30 * 2 ** max(0, attempts - 1))


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True)
class Delivery:
    channel_id: int
    rows: int
    ok: bool
    answer: str


class DeliveryWorker:
    def __init__(self, services: Services, clock: Clock | None = None, *,
                 worker_id: str | None = None,
                 senders: Mapping[str, Sender] | None = None) -> None:
        self.services = services
        self.clock = clock or services.clock
        self.worker_id = worker_id or default_worker_id()
        self.senders = dict(senders or SENDERS)
        self._digests_owed: set[tuple[int, int]] = set()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Any = None

    # -- one round ------------------------------------------------------------------------

    def run_once(self) -> list[Delivery]:
        """Owe today's digests, claim what is due and send it; returns what was tried."""
        now = self.clock.now()
        channels = {c.id: c for c in self.services.notify.channels()}
        if not any(c.is_active for c in channels.values()):
            return []  # the common case: no write transaction every round for nothing
        self._owe_digests(channels.values(), now)
        rows = self.services.notify.claim(self.worker_id, now, lease=LEASE_SECONDS,
                                          limit=CLAIM_LIMIT)
        done: list[Delivery] = []
        for (channel_id, is_digest), group in self._groups(rows).items():
            channel = channels.get(channel_id)
            if channel is None or not channel.is_active:
                self.services.notify.postpone([r.id for r in group], now + POLL_SECONDS * 15)
                continue
            batches = [[row] for row in group] if is_digest else [group]
            for batch in batches:
                result = self._deliver(channel, batch, now)
                if result is not None:
                    done.append(result)
        return done

    @staticmethod
    def _groups(rows: list[Any]) -> dict[tuple[int, bool], list[Any]]:
        groups: dict[tuple[int, bool], list[Any]] = defaultdict(list)
        for row in rows:
            groups[(row.channel_id, row.kind == rules.DIGEST)].append(row)
        return groups

    def _owe_digests(self, channels: Any, now: int) -> None:
        local = clock_mod.to_local(now)
        day = int(local.strftime("%Y%m%d"))
        for channel in channels:
            if not channel.is_active or rules.DIGEST not in channel.kinds:
                continue
            if (channel.id, day) in self._digests_owed:
                continue
            hour, minute = (int(p) for p in
                            str(channel.settings.get("digest_time", "08:00")).split(":"))
            if (local.hour, local.minute) < (hour, minute):
                continue
            self.services.notify.enqueue_digest(channel, day, now)
            self._digests_owed.add((channel.id, day))

    def _rate_wait(self, channel: Channel, now: int) -> int:
        """Seconds to wait before this channel may take one more message (0 = now)."""
        for limit, window in RATE_LIMITS.get(channel.kind, ()):
            if self.services.notify.attempts_since(channel.id, now - window) >= limit:
                return window
        return 0

    def _deliver(self, channel: Channel, rows: list[Any], now: int) -> Delivery | None:
        ids = [row.id for row in rows]
        wait = self._rate_wait(channel, now)
        if wait:
            self.services.notify.postpone(ids, now + wait)
            return None
        message = messages.build([row.payload for row in rows],
                                 channel.template or rules.DEFAULT_TEMPLATE)
        try:
            answer = self.send(channel, message, now)
        except DeliveryError as exc:
            return self._failed(channel, rows, now, exc.answer)
        self.services.notify.delivered(channel.id, ids, now, answer)
        return Delivery(channel.id, len(rows), True, answer)

    def send(self, channel: Channel, message: messages.Message, now: int) -> str:
        """Send ``message`` now; ``DeliveryError`` (its answer redacted) when it failed."""
        sender = self.senders[channel.kind]
        try:
            return redact(sender(channel.settings, message, now), channel.secrets())
        except DeliveryError as exc:
            raise DeliveryError(redact(exc.answer, channel.secrets())) from None
        except Exception as exc:  # a sender's bug must not stop the worker or leak a secret
            raise DeliveryError(redact(f"{type(exc).__name__}: {exc}",
                                       channel.secrets())) from None

    def _failed(self, channel: Channel, rows: list[Any], now: int, answer: str) -> Delivery:
        attempts = max(row.attempts for row in rows) + 1
        retry_at = now + retry_delay(attempts)
        self.services.notify.not_delivered(channel.id, [r.id for r in rows], now, answer,
                                           retry_at=retry_at, max_attempts=MAX_ATTEMPTS)
        final = attempts >= MAX_ATTEMPTS
        log.warning("notification channel %r: delivery %s (attempt %d of %d): %s",
                    channel.name, "failed for good" if final else "failed, will retry",
                    attempts, MAX_ATTEMPTS, answer)
        return Delivery(channel.id, len(rows), False, answer)

    def send_test(self, channel: Channel) -> str:
        """发送测试消息: one message straight to the channel, not through the outbox."""
        now = self.clock.now()
        message = messages.Message("MixTimer 测试消息",
                                   (f"通知渠道“{channel.name}”可以收到维保提醒。",), 1)
        return self.send(channel, message, now)

    # -- the thread -----------------------------------------------------------------------

    def start(self) -> None:
        """Deliver on a thread of its own: now, every ``POLL_SECONDS``, and at once when
        reminders fire or a channel changes."""
        self._stopping.clear()
        self._unsubscribe = self.services.bus.subscribe(self._on_change)
        self._thread = threading.Thread(target=self._loop, name="mixtimer-notify",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _on_change(self, entity: str, uids: tuple[str, ...]) -> None:
        if entity in (events.REMINDER, events.CHANNEL):
            self._wake.set()

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.run_once()
                except Exception:
                    log.exception("notification delivery round failed; the next retries")
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()
        finally:
            self.services.ctx.release_connection()
