"""Notification channels and their outbox.

A channel (企业微信 / 钉钉 / 飞书 robot, a JSON webhook, e-mail) says which kinds of
message it takes (即将到期 / 到期 / 逾期 / 日报), for which projects (none listed = all),
and how a line reads (its template). When the reminder log records reminders,
``enqueue_reminders`` writes one outbox row per (reminder, matching channel) in the same
transaction: a reminder that fired has its messages owed, and one that did not has none.
The delivery worker (``mixtimer_gui.notify.worker``) claims rows, sends, and records here
whether it worked. A channel's settings hold its secrets (webhook addresses with keys,
signing secrets, the SMTP password): they are stored, never logged or announced.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain import notify as rules_notify
from mixtimer_gui.domain import rules
from mixtimer_gui.domain.errors import FieldError, NotFoundError
from mixtimer_gui.services import events, history
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import notify_queries as nq

PENDING, SENT, FAILED = nq.PENDING, nq.SENT, nq.FAILED
SECURITIES = ("ssl", "starttls", "none")
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
DEFAULT_DIGEST_TIME = "08:00"
_DAY_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The settings that are secrets, per channel kind: kept out of logs and answers.
SECRET_SETTINGS = {"url", "secret", "password"}
# How the change history shows a secret: that it was set or changed, never its value.
MASKED = "******"
# The history's action names for channel writes (no wire action: the window's own).
SAVE_CHANNEL, DELETE_CHANNEL = "save_notify_channel", "delete_notify_channel"


@dataclass(frozen=True)
class Channel:
    id: int
    name: str
    kind: str
    settings: dict[str, Any]
    kinds: tuple[str, ...]
    projects: tuple[str, ...]
    template: str
    is_active: bool

    def takes(self, kind: str, project_id: str) -> bool:
        return (self.is_active and kind in self.kinds
                and (not self.projects or project_id in self.projects))

    def secrets(self) -> list[str]:
        """The secret values of this channel's settings (and a webhook's key parameter)."""
        values = [str(self.settings.get(k, "")) for k in SECRET_SETTINGS]
        url = str(self.settings.get("url", ""))
        values += re.findall(r"(?:key|access_token|token)=([^&#\s]+)", url)
        values += [url.rsplit("/", 1)[-1]] if "/hook/" in url else []
        return [v for v in values if len(v) >= 4]

    def shown(self) -> dict[str, Any]:
        """What the change history keeps of the channel: everyone who opens the window can
        read the history, so a secret shows as set (``MASKED``), never as its value; a
        changed secret still shows as changed (the mask carries a digest of it)."""
        record = self.record()
        record["settings"] = {key: _mask(value) if key in SECRET_SETTINGS and value else value
                              for key, value in self.settings.items()}
        return record

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind,
                "settings": dict(self.settings), "kinds": list(self.kinds),
                "projects": list(self.projects), "template": self.template,
                "is_active": self.is_active}

    @classmethod
    def from_row(cls, row: Any) -> Channel:
        return cls(id=row.id, name=row.name, kind=row.kind, settings=_json(row.settings, {}),
                   kinds=tuple(_json(row.kinds, [])), projects=tuple(_json(row.projects, [])),
                   template=row.template, is_active=bool(row.is_active))


def _mask(secret: Any) -> str:
    # 4 hex digits of a salted digest: enough to see a change, useless to guess the secret
    digest = hashlib.sha256(b"mixtimer-history:" + str(secret).encode()).hexdigest()[:4]
    return f"{MASKED} ({digest})"


def _json(text: str, default: Any) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first: a key inside a URL)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text


# -- the outbox, written with the reminder log ----------------------------------------------


def enqueue_reminders(ctx: ServiceContext, rows: Sequence[Mapping[str, Any]],
                      now: int) -> int:
    """One outbox row per (reminder, channel that takes it); call inside the write that
    logs the reminders. Returns how many rows were owed."""
    channels = [Channel.from_row(row) for row in nq.active_channels(ctx.store)]
    if not channels or not rows:
        return 0
    owed: list[tuple[Any, ...]] = []
    for row in rows:
        kind = rules_notify.FROM_REMINDER.get(row["kind"], row["kind"])
        payload = json.dumps(_reminder_payload(row, kind, now), ensure_ascii=False)
        for channel in channels:
            if channel.takes(kind, row["project_id"]):
                owed.append((channel.id, row["task_id"], row["cycle_start"], kind,
                             row["seq"], payload, now, PENDING, 0, now, ""))
    nq.insert_rows(ctx.store, owed)
    if owed:
        ctx.changed(events.OUTBOX)
    return len(owed)


def _reminder_payload(row: Mapping[str, Any], kind: str, now: int) -> dict[str, Any]:
    return {"task_id": row["task_id"], "kind": kind, "due_at": row["due_at"],
            "project_id": row["project_id"], "project_name": row["project_name"],
            "object_id": row["object_id"], "object_name": row["object_name"], "fired_at": now}


# -- reading a channel from a form or the wire ----------------------------------------------


def _read_url(settings: Mapping[str, Any], field: str = "url") -> str:
    url = rules.read_text(settings, field, strip=True, max_len=2000)
    if not url:
        raise FieldError.of(say.CHANNEL_SETTING_REQUIRED, field)
    if not url.lower().startswith(("http://", "https://")):
        raise FieldError.of(say.NOT_A_WEB_ADDRESS, field)
    return url


def _read_day_time(settings: Mapping[str, Any]) -> str:
    text = rules.read_text(settings, "digest_time", strip=True) or DEFAULT_DIGEST_TIME
    match = _DAY_TIME.match(text)
    if not match:
        raise FieldError.of(say.BAD_DAY_TIME, "digest_time", text=text)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _read_email_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    security = rules.read_choice(settings, "security", SECURITIES, default="ssl")
    host = rules.read_text(settings, "host", strip=True, max_len=255)
    if not host:
        raise FieldError.of(say.CHANNEL_SETTING_REQUIRED, "host")
    sender = rules.read_text(settings, "sender", strip=True, max_len=255)
    if not _EMAIL.match(sender):
        raise FieldError.of(say.BAD_EMAIL_ADDRESS, "sender", text=sender)
    recipients = rules.read_str_list(settings, "recipients", max_items=100)
    if not recipients:
        raise FieldError.of(say.CHANNEL_SETTING_REQUIRED, "recipients")
    for address in recipients:
        if not _EMAIL.match(address.strip()):
            raise FieldError.of(say.BAD_EMAIL_ADDRESS, "recipients", text=address)
    return {"host": host,
            "port": rules.read_int(settings, "port", default=DEFAULT_PORTS[security],
                                   minimum=1),
            "security": security,
            "username": rules.read_text(settings, "username", strip=True, max_len=255),
            "password": rules.read_text(settings, "password", max_len=255),
            "sender": sender, "recipients": [a.strip() for a in recipients]}


def read_settings(kind: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a channel of ``kind`` needs, checked; ``FieldError`` names the field."""
    if not isinstance(settings, Mapping):
        raise FieldError.of(say.NOT_TEXT, "settings")
    if kind == rules_notify.EMAIL:
        result = _read_email_settings(settings)
    else:
        result = {"url": _read_url(settings)}
        if kind in (rules_notify.DINGTALK, rules_notify.FEISHU):
            result["secret"] = rules.read_text(settings, "secret", strip=True, max_len=200)
        if kind == rules_notify.WEBHOOK:
            body = rules.read_text(settings, "body", max_len=20000) or \
                rules_notify.DEFAULT_BODY
            rules_notify.check_template(body, "body", rules_notify.BODY_PLACEHOLDERS)
            rules_notify.render_body(body, "标题", "正文 \"引号\"", 1)
            result["body"] = body
    result["digest_time"] = _read_day_time(settings)
    return result


def read_channel(data: Mapping[str, Any]) -> dict[str, Any]:
    """A channel's columns from the wire shape; ``FieldError`` on anything wrong."""
    name = rules.read_text(data, "name", required=True, strip=True, max_len=100)
    kind = rules.read_choice(data, "kind", rules_notify.CHANNEL_KINDS)
    kinds = rules.read_str_list(data, "kinds", max_items=4)
    for item in kinds:
        if item not in rules_notify.MESSAGE_KINDS:
            raise FieldError.of(say.NOT_ONE_OF, "kinds", value=item,
                                choices="、".join(rules_notify.MESSAGE_KINDS))
    template = rules.read_text(data, "template", max_len=2000) or \
        rules_notify.DEFAULT_TEMPLATE
    rules_notify.check_template(template, "template")
    settings = read_settings(kind, data.get("settings") or {})
    active = data.get("is_active", True)
    return {"name": name, "kind": kind,
            "settings": json.dumps(settings, ensure_ascii=False),
            "kinds": json.dumps(list(dict.fromkeys(kinds)), ensure_ascii=False),
            "projects": json.dumps(rules.read_str_list(data, "projects"), ensure_ascii=False),
            "template": template, "is_active": 1 if active else 0}


# -- the service ----------------------------------------------------------------------------


class NotifyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- channels -------------------------------------------------------------------------

    def channels(self) -> list[Channel]:
        model = self.ctx.store.NotifyChannel
        with self.ctx.read():
            return [Channel.from_row(row) for row in model.select().order_by(model.id)]

    def channel(self, channel_id: int) -> Channel:
        model = self.ctx.store.NotifyChannel
        with self.ctx.read():
            row = model.get_or_none(model.id == channel_id)
        if row is None:
            raise NotFoundError.of(say.CHANNEL_NOT_FOUND, "id", value=channel_id)
        return Channel.from_row(row)

    def save_channel(self, data: Mapping[str, Any]) -> Channel:
        """Add a channel (no ``id``) or change one; returns it as saved."""
        columns = read_channel(data)
        model = self.ctx.store.NotifyChannel
        now = self.ctx.clock.now()
        channel_id = data.get("id")
        with self.ctx.write():
            before = None
            if channel_id in (None, ""):
                channel_id = model.insert(created=now, last_modified=now, **columns).execute()
            else:
                channel_id = rules.read_int(data, "id")
                row = model.get_or_none(model.id == channel_id)
                if row is None:
                    raise NotFoundError.of(say.CHANNEL_NOT_FOUND, "id", value=channel_id)
                before = Channel.from_row(row).shown()
                model.update(last_modified=now, **columns).where(
                    model.id == channel_id).execute()
            after = Channel.from_row(model.get_by_id(channel_id)).shown()
            self.ctx.record(SAVE_CHANNEL, history.CHANNEL, str(channel_id), before, after)
            self.ctx.changed(events.CHANNEL, str(channel_id))
        return self.channel(int(channel_id))

    def delete_channel(self, channel_id: int) -> None:
        """Remove a channel and what it still owed; what it delivered stays in the log."""
        model, box = self.ctx.store.NotifyChannel, self.ctx.store.NotifyOutbox
        with self.ctx.write():
            row = model.get_or_none(model.id == channel_id)
            if row is None:
                raise NotFoundError.of(say.CHANNEL_NOT_FOUND, "id", value=channel_id)
            model.delete().where(model.id == channel_id).execute()
            self.ctx.record(DELETE_CHANNEL, history.CHANNEL, str(channel_id),
                            Channel.from_row(row).shown(), None)
            box.delete().where((box.channel_id == channel_id)
                               & (box.status == PENDING)).execute()
            self.ctx.changed(events.CHANNEL, str(channel_id))

    # -- the worker's side ----------------------------------------------------------------

    def claim(self, worker: str, now: int, *, lease: int, limit: int) -> list[Any]:
        with self.ctx.write():
            return nq.claim(self.ctx.store, worker, now, lease, limit)

    def delivered(self, channel_id: int, ids: Sequence[int], now: int, answer: str) -> None:
        with self.ctx.write():
            nq.mark_sent(self.ctx.store, ids, now, answer)
            nq.add_attempt(self.ctx.store, channel_id, now, True, len(ids), answer)
            self.ctx.changed(events.OUTBOX)

    def not_delivered(self, channel_id: int, ids: Sequence[int], now: int, answer: str,
                      *, retry_at: int, max_attempts: int) -> None:
        with self.ctx.write():
            nq.mark_retry(self.ctx.store, ids, retry_at, answer, max_attempts)
            nq.add_attempt(self.ctx.store, channel_id, now, False, len(ids), answer)
            self.ctx.changed(events.OUTBOX)

    def postpone(self, ids: Sequence[int], until: int) -> None:
        with self.ctx.write():
            nq.release(self.ctx.store, ids, until)

    def attempts_since(self, channel_id: int, since: int) -> int:
        with self.ctx.read():
            return nq.attempts_since(self.ctx.store, channel_id, since)

    def enqueue_digest(self, channel: Channel, day: int, now: int, *, limit: int = 200) -> bool:
        """Owe ``channel`` the digest of ``day`` (yyyymmdd) unless it is owed already (by
        this or another workstation); returns whether this call added it."""
        box = self.ctx.store.NotifyOutbox
        with self.ctx.write():
            exists = box.select().where(
                (box.channel_id == channel.id) & (box.kind == rules_notify.DIGEST)
                & (box.cycle_start == day)).exists()
            if exists:
                return False
            tasks = nq.open_tasks(self.ctx.store, now, limit)
            payload = json.dumps({"kind": rules_notify.DIGEST, "day": day, "now": now,
                                  "tasks": tasks}, ensure_ascii=False)
            nq.insert_rows(self.ctx.store, [(channel.id, "", day, rules_notify.DIGEST, 0,
                                             payload, now, PENDING, 0, now, "")])
            self.ctx.changed(events.OUTBOX)
        return True

    # -- the 投递记录 view ------------------------------------------------------------------

    def outbox_page(self, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        with self.ctx.read():
            return nq.outbox_page(self.ctx.store, limit, offset)

    def outbox_count(self) -> int:
        with self.ctx.read():
            return nq.outbox_count(self.ctx.store)
