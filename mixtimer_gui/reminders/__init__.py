"""Reminders: which tasks entered notice, became due or stay overdue (``engine``), the
scheduling that wakes up for them (``runner``) and the headless wiring for ``serve``
(``headless``). No Qt here: the window hands in a ``QtScheduler`` and a tray notifier."""
