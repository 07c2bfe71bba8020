"""The MixTimer v2 action API: the action table, the envelope, the WSGI app, the server.

Import what you need from the submodules; ``make_app`` and ``ApiServer`` are re-exported.
"""

from __future__ import annotations

from mixtimer_gui.api.server import ApiServer, BindRefusedError
from mixtimer_gui.api.wsgi import MAX_BODY, make_app

__all__ = ["MAX_BODY", "ApiServer", "BindRefusedError", "make_app"]
