"""Service change announcements → a Qt signal on the GUI thread (DESIGN §1).

The bus calls its listeners on the writer's thread (an API worker, the GUI thread, a test).
The bridge relays through a queued connection, so every ``changed`` emission reaches widgets
on the thread the bridge lives on — never from a worker.

Signals:
    changed(str, list): (entity, uids) after a write committed; entities are the constants
        of ``mixtimer_gui.services.events``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:  # the window's shell has a bridge before the services are loaded
    from mixtimer_gui.services.events import ChangeBus


class ChangeBridge(QObject):
    changed = Signal(str, list)
    _relay = Signal(str, list)

    def __init__(self, bus: ChangeBus | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relaying = False
        self._unsubscribe: Callable[[], None] = _nothing
        if bus is not None:
            self.listen_to(bus)
        self.destroyed.connect(self._unsubscribe_quietly)

    def listen_to(self, bus: ChangeBus) -> None:
        """Relay ``bus`` from now on (instead of any bus before it)."""
        if not self._relaying:
            # Queued even when the writer is the GUI thread: a listener then never runs
            # inside the writer's call stack (a table refresh in the middle of a form's
            # Save). Connected here, not in __init__: the window's shell has a bridge before
            # its first paint, and Qt's namespace of enums costs ~11 ms to create.
            self._relay.connect(self._emit_changed, QtCore.Qt.ConnectionType.QueuedConnection)
            self._relaying = True
        self._unsubscribe()
        self._unsubscribe = bus.subscribe(self._on_bus)

    def close(self) -> None:
        """Stop listening to the bus (the window is closing)."""
        self._unsubscribe()

    def _on_bus(self, entity: str, uids: tuple[str, ...]) -> None:
        self._relay.emit(entity, list(uids))

    @Slot(str, list)
    def _emit_changed(self, entity: str, uids: list) -> None:
        self.changed.emit(entity, uids)

    def _unsubscribe_quietly(self, *_: object) -> None:
        self._unsubscribe()


def _nothing() -> None:
    pass
