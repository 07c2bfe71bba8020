"""Notification channels as rules: the channel kinds, the reminder kinds a channel may take,
and the message templates with their ``{placeholder}`` fields. No I/O here: the senders live
in ``mixtimer_gui.notify``, the rows in ``services.notify``.

A template names its fields in braces (``{project}``); only the fields of ``PLACEHOLDERS``
exist, so a typo is refused when the channel is saved, not found when a message is due.
Replacing is a single regular-expression pass: values are never formatted again, so a
project called ``{object}`` stays as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError

WECOM, DINGTALK, FEISHU, WEBHOOK, EMAIL = "wecom", "dingtalk", "feishu", "webhook", "email"
CHANNEL_KINDS = (WECOM, DINGTALK, FEISHU, WEBHOOK, EMAIL)

SOON, DUE, OVERDUE, DIGEST = "即将到期", "到期", "逾期", "日报"
MESSAGE_KINDS = (SOON, DUE, OVERDUE, DIGEST)
# The reminder log's kinds (services.reminders) → the channel's words for them.
FROM_REMINDER = {"提醒": SOON, "到期": DUE, "逾期": OVERDUE}

PLACEHOLDERS = ("kind", "project", "object", "due", "overdue", "task")
DEFAULT_TEMPLATE = "**{kind}** {project} · {object}(到期 {due}{overdue})"
# The generic webhook's body: a JSON text whose {title}, {text} and {count} are filled in
# JSON-escaped, so any name keeps the body valid JSON.
BODY_PLACEHOLDERS = ("title", "text", "count")
DEFAULT_BODY = '{"title": "{title}", "text": "{text}", "count": {count}}'

_FIELD = re.compile(r"\{(\w+)\}")


def placeholders_in(template: str) -> list[str]:
    return _FIELD.findall(template)


def check_template(template: str, field: str, allowed: Iterable[str] = PLACEHOLDERS) -> None:
    """Refuse a template that names a field no message has."""
    known = tuple(allowed)
    for name in placeholders_in(template):
        if name not in known:
            raise FieldError.of(say.UNKNOWN_PLACEHOLDER, field, name=name,
                                choices="、".join("{" + k + "}" for k in known))


def render(template: str, values: Mapping[str, object],
           escape: Callable[[str], str] = str) -> str:
    """``template`` with each ``{name}`` replaced by ``escape(str(values[name]))``; an
    unknown name stays as written."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return escape(str(values[name])) if name in values else match.group(0)

    return _FIELD.sub(fill, template)


def json_escaped(text: str) -> str:
    """``text`` as the inside of a JSON string (quotes and control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def render_body(template: str, title: str, text: str, count: int) -> str:
    """The generic webhook's body; ``FieldError`` when the result is not JSON."""
    body = render(template, {"title": title, "text": text, "count": count}, json_escaped)
    try:
        json.loads(body)
    except ValueError as exc:
        raise FieldError.of(say.BODY_NOT_JSON, "body", reason=str(exc)) from exc
    return body
