"""Change announcements: after a write commits, subscribers hear (entity, uids).

Callbacks run on the writer's thread (an API worker, the GUI thread, a test). A GUI bridges
them to a queued Qt signal; nothing here knows about Qt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, tuple[str, ...]], None]

PROJECT, TASK, HANDLE, OBJECT, STATISTIC, READING, HANDLER, REMINDER, SETTING = (
    "project", "task", "handle", "object", "statistics", "reading", "handler", "reminder",
    "setting")
CHANNEL, OUTBOX = "notify_channel", "notify_outbox"


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
