"""Change announcements: after a write commits, subscribers hear (entity, uids).

Callbacks run on the writer's thread (an API worker, the GUI thread, a test). A GUI bridges
them to a queued Qt signal; nothing here knows about Qt.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence

log = logging.getLogger(__name__)

Listener = Callable[[str, tuple[str, ...]], None]

PROJECT, TASK, HANDLE, OBJECT, STATISTIC, READING, HANDLER, REMINDER, SETTING = (
    "project", "task", "handle", "object", "statistics", "reading", "handler", "reminder",
    "setting")
CHANNEL, OUTBOX = "notify_channel", "notify_outbox"
# What a full refresh announces: everything may have changed (a listener that reconnected
# cannot know what it missed). Empty uids: any of that entity.
ALL_ENTITIES = (PROJECT, TASK, HANDLE, OBJECT, STATISTIC, READING, HANDLER, REMINDER, SETTING,
                CHANNEL, OUTBOX)


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns a function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, entity: str, uids: tuple[str, ...]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(entity, uids)
            except Exception:  # a broken listener must not undo a committed write
                log.exception("change listener failed for %s %s", entity, uids[:5])


# -- announcements between workstations (team mode) ---------------------------------------------


def encode_changes(origin: str, changes: Mapping[str, Sequence[str]], limit: int) -> str:
    """The text a write announces to the other workstations: who wrote (``origin``, so a
    workstation skips its own) and what changed. Past ``limit`` bytes the uids are left
    out (an import of 10,000 objects): the entities alone, "any of them", refresh the same
    lists."""
    text = _dump(origin, {entity: list(dict.fromkeys(uids)) for entity, uids in changes.items()})
    if len(text.encode()) <= limit:
        return text
    return _dump(origin, {entity: [] for entity in changes})


def decode_changes(payload: str) -> tuple[str, dict[str, tuple[str, ...]]] | None:
    """(origin, changes) from ``encode_changes``; ``None`` for a text it did not write."""
    try:
        data = json.loads(payload)
        origin, changes = data["from"], data["changes"]
        decoded = {str(entity): tuple(str(uid) for uid in uids)
                   for entity, uids in changes.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return (origin, decoded) if isinstance(origin, str) else None


def _dump(origin: str, changes: dict[str, list[str]]) -> str:
    return json.dumps({"from": origin, "changes": changes}, ensure_ascii=False,
                      separators=(",", ":"))
