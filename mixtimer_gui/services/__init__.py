"""The use cases: the only code that writes. One transaction per call; changes announced.

Every method takes the wire-shaped ``dict`` of the action spec and returns the wire result,
so the API, the GUI forms and the CLI share one validation and one set of rules. The outer
layers open a database through ``Workspace`` (``services.workspace``) and tell its failures
apart with ``services.errors``.
"""

from __future__ import annotations

from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.core import Services
from mixtimer_gui.services.events import ChangeBus
from mixtimer_gui.services.location import Location
from mixtimer_gui.services.workspace import Workspace

__all__ = ["ChangeBus", "Location", "ServiceContext", "Services", "Workspace"]
