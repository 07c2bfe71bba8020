"""What a channel says: outbox rows made into one message (a burst becomes one summary)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.domain import clock as clock_mod
from mixtimer_gui.domain import notify as rules
from mixtimer_gui.reminders.engine import format_duration


@dataclass(frozen=True)
class Message:
    """A title and lines; ``markdown`` says whether the lines may use markdown."""

    title: str
    lines: tuple[str, ...]
    count: int

    def text(self, *, markdown: bool = True, max_bytes: int | None = None) -> str:
        """The message as one text; with ``max_bytes`` (a robot's limit, in UTF-8 bytes)
        the lines that do not fit are left out and counted at the end."""
        head = f"### {self.title}" if markdown else self.title
        lines = [f"- {line}" if markdown and self.count > 1 else line for line in self.lines]
        if not markdown:  # plain text (飞书's text, e-mail): the template's bold marks go
            lines = [line.replace("**", "") for line in lines]
        if max_bytes is None:
            return "\n".join([head, *lines])
        kept: list[str] = []
        size = len(head.encode()) + 40  # room for the "left out" line
        for line in lines:
            size += len(line.encode()) + 1
            if size > max_bytes:
                break
            kept.append(line)
        text = "\n".join([head, *kept])
        if len(kept) < len(lines):
            text += f"\n…… 另有 {len(lines) - len(kept)} 项未列出"
        return text


def _values(item: Mapping[str, Any]) -> dict[str, str]:
    due_at = item.get("due_at")
    now = item.get("fired_at") or 0
    overdue = ""
    if item.get("kind") == rules.OVERDUE and due_at is not None:
        overdue = f",已逾期 {format_duration(int(now) - int(due_at))}"
    return {"kind": str(item.get("kind", "")), "project": str(item.get("project_name", "")),
            "object": str(item.get("object_name", "")),
            "due": clock_mod.format_wire(due_at) if due_at is not None else "",
            "overdue": overdue, "task": str(item.get("task_id", ""))}


def line_for(item: Mapping[str, Any], template: str) -> str:
    return rules.render(template, _values(item))


def _titles(kinds: Counter[str], count: int) -> str:
    if count == 1:
        kind = next(iter(kinds))
        return {rules.SOON: "维保即将到期", rules.DUE: "维保已到期",
                rules.OVERDUE: "维保已逾期"}.get(kind, "维保提醒")
    parts = [f"{name} {kinds[name]} 项" for name in (rules.OVERDUE, rules.DUE, rules.SOON)
             if kinds[name]]
    return f"{count} 项维保需要处理(" + ",".join(parts) + ")"


def digest_message(payload: Mapping[str, Any], template: str) -> Message:
    now = int(payload.get("now") or 0)
    items = []
    for task in payload.get("tasks", []):
        due_at = task.get("due_at")
        kind = (rules.OVERDUE if due_at is not None and due_at <= now - 86400
                else rules.DUE if due_at is not None and due_at <= now else rules.SOON)
        items.append({**task, "kind": kind, "fired_at": now})
    day = str(payload.get("day", ""))
    shown = f"{day[:4]}-{day[4:6]}-{day[6:]}" if len(day) == 8 else day
    if not items:
        return Message(f"维保日报 {shown}", ("今天没有需要处理的维保。",), 1)
    lines = tuple(line_for(item, template) for item in items)
    return Message(f"维保日报 {shown}:{len(items)} 项需要处理", lines, len(items))


def build(payloads: Sequence[str], template: str) -> Message:
    """One message for the outbox rows of one channel claimed together."""
    items = [json.loads(text) for text in payloads]
    digests = [item for item in items if item.get("kind") == rules.DIGEST]
    if digests:  # a digest is sent alone (the worker never mixes it with reminders)
        return digest_message(digests[-1], template)
    lines = tuple(line_for(item, template) for item in items)
    return Message(_titles(Counter(item.get("kind", "") for item in items), len(items)),
                   lines, len(items))
