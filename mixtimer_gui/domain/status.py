"""Task status, derived from the stored moments and the current time.

The store evaluates the same rule in SQL (``store.queries.status_expression``) so lists can
filter and sort on it; this function is the rule for code that already holds a task.
"""

from __future__ import annotations

NOT_STARTED = "未启动"
NORMAL = "正常"
DUE_SOON = "即将到期"
DUE = "已到期"
STATUSES = (NORMAL, DUE_SOON, DUE, NOT_STARTED)


def task_status(is_active: bool, cycle_start: int | None, due_at: int | None,
                notice_at: int | None, now: int) -> str:
    if not is_active or cycle_start is None:
        return NOT_STARTED
    if due_at is not None and due_at <= now:
        return DUE
    if notice_at is not None and notice_at <= now:
        return DUE_SOON
    return NORMAL


def handled_on_time(created: int, due_at: int | None, is_ignored: int | bool) -> bool | None:
    """Whether a handle closed its cycle by the due moment; ``None`` when nothing was due
    (no ``due_at``) or the cycle was ignored rather than done. The on-time rate of the
    overview counts by the same rule in SQL (``store.report_queries.on_time_by_project``)."""
    if due_at is None or is_ignored:
        return None
    return created <= due_at
