"""A tiny debouncer: many calls within ``delay_ms`` become one call after the last of them.

Used for search boxes (a query per keystroke at 1 M rows would stutter) and for the live
refresh on change announcements (a burst of API writes refreshes the list once).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, SignalInstance


class Debouncer(QObject):
    """Calls ``callback`` once calls have paused for ``delay_ms``; with ``max_wait_ms``, also
    at the latest that long after the first of a burst, so a steady stream of calls (an API
    client posting a handle every 100 ms) cannot postpone the refresh forever."""

    def __init__(self, callback: Callable[[], None], delay_ms: int = 250,
                 parent: QObject | None = None, max_wait_ms: int | None = None) -> None:
        super().__init__(parent)
        self._callback = callback
        self._max_wait_ms = max_wait_ms
        self._since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)

    def __call__(self, *_args: object) -> None:
        """Restart the wait; signal arguments are ignored so it connects to anything."""
        if not self._timer.isActive():
            self._since.start()
        elif (self._max_wait_ms is not None
              and self._since.elapsed() + self._timer.interval() > self._max_wait_ms):
            return  # let the running wait end: the burst has waited long enough
        self._timer.start()

    def flush(self) -> None:
        """Run now if a call is pending (e.g. Enter in the search box)."""
        if self._timer.isActive():
            self._timer.stop()
            self._callback()

    def cancel(self) -> None:
        self._timer.stop()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def _fire(self) -> None:
        self._callback()


class LiveRefresh(QObject):
    """Refresh a list when the services announce a change to one of ``entities``.

    Announcements arrive through the bridge's ``changed(entity, uids)`` signal (already on the
    GUI thread). A burst of writes — an API client posting many handles — becomes one refresh
    after ``delay_ms`` of quiet, so the list stays responsive.
    """

    def __init__(self, changed: SignalInstance, entities: tuple[str, ...],
                 callback: Callable[[], None], delay_ms: int = 200,
                 parent: QObject | None = None, max_wait_ms: int = 1000) -> None:
        super().__init__(parent)
        self._entities = set(entities)
        self._debouncer = Debouncer(callback, delay_ms, self, max_wait_ms)
        changed.connect(self._on_changed)

    def _on_changed(self, entity: str, _uids: list) -> None:
        if entity in self._entities:
            self._debouncer()

    @property
    def pending(self) -> bool:
        return self._debouncer.pending
