"""Everything Qt: the application, the main window, tabs, models, dialogs, translations.

Only this package imports PySide6 (DESIGN §1).
"""

import sys


def _make_singletons_immortal() -> None:
    """PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void method (and ``True``
    from ``Signal.emit``) without taking a new reference: each call leaks one reference
    *from* the singleton, and after a few thousand calls CPython aborts with "deallocating
    None". CPython 3.12 made these objects immortal; give them the same here with a count so
    large no leak can ever reach zero. Nothing else changes: they are never freed anyway."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    import PySide6  # the version attribute only; Qt's modules load where they are used

    # pyproject.toml excludes 6.12.0; this guard is for an environment that has it anyway.
    # (PySide6.__version__ rather than importlib.metadata: that costs ~14 ms at start.)
    if PySide6.__version__ != "6.12.0":
        return
    import ctypes

    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 48


_make_singletons_immortal()
