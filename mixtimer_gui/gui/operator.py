"""The workstation's operator (Settings → 操作员): who every write from the window is by."""

from __future__ import annotations

import getpass
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services load after the window is first shown (gui.app)
    from mixtimer_gui.services import Services

log = logging.getLogger(__name__)


def os_user() -> str:
    """The name the operating system knows the user by ("" when it will not say)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a service, a container)
        return ""


def apply_operator(services: Services, name: str, *, register: bool = False) -> None:
    """Every write from this window is the operator's (Settings → 操作员; default the OS
    user). Looking the person up must not keep the window from opening."""
    from mixtimer_gui.services import events
    from mixtimer_gui.services.history import WINDOW, Actor

    chosen = name or os_user()
    before = services.ctx.actor.operator_id
    try:
        services.ctx.actor = services.handlers.operator(chosen, register=register)
    except Exception:
        log.warning("the operator %r could not be looked up; writing as operator 0", chosen,
                    exc_info=True)
        services.ctx.actor = Actor(WINDOW, 0, chosen)
    if services.ctx.actor.operator_id != before:
        # Read state is per operator: the reminder centre and its unread count are now
        # another person's. Nothing was written, so only this workstation's bus hears it.
        services.bus.publish(events.REMINDER, ())
