"""Sending one message to one channel, with the standard library only.

- 企业微信群机器人: POST ``{"msgtype": "markdown", "markdown": {"content": …}}`` to the
  webhook address (its ``key`` is the secret); success is ``errcode`` 0.
- 钉钉群机器人 with 加签: ``sign`` = urlencode(base64(HMAC-SHA256(key=secret,
  msg=f"{timestamp}\\n{secret}"))), ``timestamp`` in milliseconds, both added to the
  address; ``msgtype`` markdown with a title; success is ``errcode`` 0.
- 飞书自定义机器人 with 签名校验: ``sign`` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}",
  msg=b"")), ``timestamp`` in seconds, both in the JSON body; a ``text`` message (its
  markdown needs a card); success is ``code`` 0.
- a generic webhook: the channel's JSON body template, filled in; any 2xx is success.
- e-mail over SMTP: SSL (465), STARTTLS (587) or plain (a local relay), UTF-8 text.

A failure raises ``DeliveryError`` with the server's answer (or the network's reason), which
the outbox keeps; the caller redacts secrets before anything is stored or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from mixtimer_gui.domain import notify as rules
from mixtimer_gui.notify.messages import Message

TIMEOUT_S = 15
# What each robot takes in one message (UTF-8 bytes): 企业微信 markdown 4096, 钉钉 20000;
# 飞书 takes a request body up to 20 KB. A longer burst lists what fits and counts the rest.
WECOM_MAX_BYTES, DINGTALK_MAX_BYTES, FEISHU_MAX_BYTES = 4096, 20000, 18000
ANSWER_LIMIT = 2000  # characters of a server's answer kept in the outbox

Sender = Callable[[Mapping[str, Any], Message, int], str]


class DeliveryError(Exception):
    """The service refused the message or could not be reached; ``answer`` says why."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer[:ANSWER_LIMIT]


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _post_json(url: str, body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, response.read(ANSWER_LIMIT * 4).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        text = exc.read(ANSWER_LIMIT).decode("utf-8", "replace") if exc.fp else ""
        raise DeliveryError(f"HTTP {exc.code} {exc.reason} {text}".strip()) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"无法连接:{reason}") from None


def _json_answer(answer: str, code_keys: tuple[str, ...]) -> str:
    """The robot's own verdict inside a 200 answer: a non-zero code is a refusal."""
    try:
        data = json.loads(answer)
    except ValueError:
        raise DeliveryError(f"应答不是 JSON:{answer}") from None
    for key in code_keys:
        if isinstance(data, dict) and key in data:
            if data[key] not in (0, "0"):
                raise DeliveryError(answer)
            return answer
    raise DeliveryError(f"应答缺少结果码:{answer}")


def send_wecom(settings: Mapping[str, Any], message: Message, now: int) -> str:
    body = {"msgtype": "markdown",
            "markdown": {"content": message.text(max_bytes=WECOM_MAX_BYTES)}}
    _, answer = _post_json(settings["url"], json.dumps(body, ensure_ascii=False).encode())
    return _json_answer(answer, ("errcode",))


def send_dingtalk(settings: Mapping[str, Any], message: Message, now: int) -> str:
    url = settings["url"]
    secret = settings.get("secret") or ""
    if secret:
        timestamp = now * 1000
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"
    body = {"msgtype": "markdown",
            "markdown": {"title": message.title,
                         "text": message.text(max_bytes=DINGTALK_MAX_BYTES)}}
    _, answer = _post_json(url, json.dumps(body, ensure_ascii=False).encode())
    return _json_answer(answer, ("errcode",))


def send_feishu(settings: Mapping[str, Any], message: Message, now: int) -> str:
    body: dict[str, Any] = {"msg_type": "text",
                            "content": {"text": message.text(markdown=False,
                                                             max_bytes=FEISHU_MAX_BYTES)}}
    secret = settings.get("secret") or ""
    if secret:
        body = {"timestamp": str(now), "sign": feishu_sign(secret, now), **body}
    _, answer = _post_json(settings["url"], json.dumps(body, ensure_ascii=False).encode())
    return _json_answer(answer, ("code", "StatusCode"))


def send_webhook(settings: Mapping[str, Any], message: Message, now: int) -> str:
    template = settings.get("body") or rules.DEFAULT_BODY
    body = rules.render_body(template, message.title, message.text(markdown=False),
                             message.count)
    status, answer = _post_json(settings["url"], body.encode())
    return f"HTTP {status} {answer}".strip()


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, with the server's name checked: a mail server
    that cannot prove who it is gets no password."""
    return ssl.create_default_context()


def send_email(settings: Mapping[str, Any], message: Message, now: int) -> str:
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = settings["sender"]
    mail["To"] = ", ".join(settings["recipients"])
    mail["Date"] = formatdate(now, localtime=True)
    mail["Message-ID"] = make_msgid(domain="mixtimer.local")
    mail.set_content(message.text(markdown=False), charset="utf-8")
    host, port = settings["host"], int(settings["port"])
    security = settings.get("security", "ssl")
    try:
        if security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_S,
                                                    context=tls_context())
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT_S)
        with client:
            if security == "starttls":
                client.starttls(context=tls_context())
            if settings.get("username"):
                client.login(settings["username"], settings.get("password") or "")
            refused = client.send_message(mail)
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP {exc.smtp_code} "
                            f"{exc.smtp_error.decode('utf-8', 'replace')}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP:{exc}") from None
    if refused:
        return f"已发送,部分收件人被拒绝:{', '.join(refused)}"
    return "250 已发送"


SENDERS: dict[str, Sender] = {rules.WECOM: send_wecom, rules.DINGTALK: send_dingtalk,
                              rules.FEISHU: send_feishu, rules.WEBHOOK: send_webhook,
                              rules.EMAIL: send_email}
