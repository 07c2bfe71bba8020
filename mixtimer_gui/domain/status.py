"""Task status, derived from the stored moments and the current time.

The rule is written once, as data (``STATUS_RULE``): ``task_status`` walks it for code that
already holds a task, and the store builds its SQL ``CASE`` from the same steps
(``store.filters.status_case``) so lists can filter and sort on the status.
"""

from __future__ import annotations

NOT_STARTED = "未启动"
NORMAL = "正常"
DUE_SOON = "即将到期"
DUE = "已到期"
STATUSES = (NORMAL, DUE_SOON, DUE, NOT_STARTED)

# What a step of the rule tests: the task is not running (its project is stopped, or its
# cycle never started), or a stored moment has passed (it is set and not after now).
NOT_RUNNING = "not_running"
DUE_PASSED = "due_at"
NOTICE_PASSED = "notice_at"

# The first step whose test holds gives the status; ``OTHERWISE`` when none does.
STATUS_RULE: tuple[tuple[str, str], ...] = (
    (NOT_STARTED, NOT_RUNNING),
    (DUE, DUE_PASSED),
    (DUE_SOON, NOTICE_PASSED),
)
OTHERWISE = NORMAL


def task_status(is_active: bool, cycle_start: int | None, due_at: int | None,
                notice_at: int | None, now: int) -> str:
    moments = {DUE_PASSED: due_at, NOTICE_PASSED: notice_at}
    for status, test in STATUS_RULE:
        if test == NOT_RUNNING:
            if not is_active or cycle_start is None:
                return status
            continue
        moment = moments[test]
        if moment is not None and moment <= now:
            return status
    return OTHERWISE


def handled_on_time(created: int, due_at: int | None, is_ignored: int | bool) -> bool | None:
    """Whether a handle closed its cycle by the due moment; ``None`` when nothing was due
    (no ``due_at``) or the cycle was ignored rather than done. The on-time rate of the
    overview counts by the same rule in SQL (``store.report_queries.on_time_by_project``)."""
    if due_at is None or is_ignored:
        return None
    return created <= due_at
