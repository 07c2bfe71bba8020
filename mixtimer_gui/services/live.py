"""Live refresh across workstations (team mode): the other workstations' writes, heard and
republished on this workstation's change bus, so its window and reminders follow them.

A write announces itself inside its transaction (``ServiceContext.write``), so the
announcement arrives with the commit or not at all. ``ChangeListener`` is one daemon thread
with a connection of its own (``Store.change_channel``): it republishes what others wrote
and skips this workstation's own announcements (its bus heard them at the commit). When the
connection is lost it reconnects, and then announces everything as changed, since it
cannot know what it missed. Every ``poll_s`` it also compares the server's data version:
writes happened that no announcement told of (a connection pooler that swallows
``LISTEN``, a hand-made change in ``psql``) → everything is announced as changed.

On a SQLite file (one workstation) there is nobody else: nothing is started.
"""

from __future__ import annotations

import logging
import threading
import time

from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.events import ALL_ENTITIES, decode_changes
from mixtimer_gui.store.errors import StoreError
from mixtimer_gui.store.postgres import ChangeChannel

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0
# How long one wait for announcements lasts: also how soon a stop or a poll request is seen.
WAKE_SECONDS = 0.5
# Waits between attempts to reconnect (the last one repeats while the server is away).
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)


class ChangeListener:
    """Hears the other workstations' writes on a shared database; ``start``, ``stop``.

    ``listening`` is set while the channel is connected (cleared while it reconnects);
    ``full_refreshes`` counts the "everything changed" announcements it made, ``polled`` is
    set after each poll of the data version.
    """

    def __init__(self, ctx: ServiceContext, channel: ChangeChannel, *,
                 poll_s: float = POLL_SECONDS, wake_s: float = WAKE_SECONDS,
                 retry_s: tuple[float, ...] = RETRY_SECONDS) -> None:
        self.ctx = ctx
        self.channel = channel
        self.poll_s = poll_s
        self.wake_s = wake_s
        self.retry_s = retry_s
        self.listening = threading.Event()
        self.full_refreshes = 0
        self.polled = threading.Event()
        self._stop = threading.Event()
        self._poll_now = threading.Event()
        self._heard_since_poll = False
        self._version: int | None = None
        self._thread = threading.Thread(target=self._run, name="mixtimer-change-listener",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self.channel.close()

    def poll_soon(self) -> None:
        """Compare the data version at the next wake-up instead of after ``poll_s``."""
        self._poll_now.set()

    # -- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        failures = 0
        connected_before = False
        while not self._stop.is_set():
            try:
                self.channel.open()
                self._version = self.channel.data_version()
            except StoreError as exc:
                failures += 1
                if failures == 1:
                    log.warning("cannot listen for other workstations' changes (%s); "
                                "retrying", exc)
                self._stop.wait(self.retry_s[min(failures, len(self.retry_s)) - 1])
                continue
            failures = 0
            self.listening.set()
            if connected_before:
                log.info("listening for changes again; refreshing everything")
                self._announce_everything()
            connected_before = True
            try:
                self._listen()
            except StoreError:
                pass  # logged by the channel; reconnect (after a first short wait)
            finally:
                self.listening.clear()
            self._stop.wait(self.retry_s[0])
        self.channel.close()

    def _listen(self) -> None:
        next_poll = time.monotonic() + self.poll_s
        while not self._stop.is_set():
            for payload in self.channel.receive(self.wake_s):
                self._heard_since_poll = True
                self._republish(payload)
            if self._poll_now.is_set() or time.monotonic() >= next_poll:
                self._poll_now.clear()
                self._poll()
                next_poll = time.monotonic() + self.poll_s

    def _republish(self, payload: str) -> None:
        decoded = decode_changes(payload)
        if decoded is None:
            log.warning("an announcement this program did not write was ignored: %.80r",
                        payload)
            return
        origin, changes = decoded
        if origin == self.ctx.origin:
            return  # this workstation's own write: its bus had it at the commit
        for entity, uids in changes.items():
            self.ctx.bus.publish(entity, uids)

    def _poll(self) -> None:
        version = self.channel.data_version()
        missed = version != self._version and not self._heard_since_poll
        self._version = version
        self._heard_since_poll = False
        if missed:
            log.info("the database changed without an announcement; refreshing everything")
            self._announce_everything()
        self.polled.set()

    def _announce_everything(self) -> None:
        self.full_refreshes += 1
        for entity in ALL_ENTITIES:
            self.ctx.bus.publish(entity, ())


def start_listening(ctx: ServiceContext) -> ChangeListener | None:
    """A started listener for ``ctx``'s database when other workstations share it, else
    ``None``."""
    channel = ctx.store.change_channel()
    if channel is None:
        return None
    listener = ChangeListener(ctx, channel)
    listener.start()
    return listener


__all__ = ["ChangeListener", "start_listening"]
