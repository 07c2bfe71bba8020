"""The reminder rule in plain Python, an oracle for the SQL scan (``store.reminder_queries``).

Only tests use it: the app decides in SQL. A test that walks the clock compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from mixtimer_gui.services.reminders import DUE, NOTICE, OVERDUE


def rank(kind: str, seq: int) -> int:
    return {NOTICE: 0, DUE: 1}.get(kind, 1 + seq)


def reminder_state(notice_at: int | None, due_at: int | None, now: int,
                   repeat_seconds: int) -> tuple[str, int] | None:
    """(kind, seq) of a running task at ``now``; ``None`` before its notice window."""
    if due_at is not None and due_at + repeat_seconds <= now:
        return OVERDUE, (now - due_at) // repeat_seconds
    if due_at is not None and due_at <= now:
        return DUE, 0
    if notice_at is not None and notice_at <= now:
        return NOTICE, 0
    return None


def owed(state: tuple[str, int] | None, logged: Iterable[tuple[str, int]]) -> bool:
    """Whether ``state`` still has to fire given the (kind, seq) logged for the cycle."""
    if state is None:
        return False
    done = [rank(kind, seq) for kind, seq in logged]
    return not done or rank(*state) > max(done)
