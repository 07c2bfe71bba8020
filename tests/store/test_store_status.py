"""The status in SQL is the status in Python — DESIGN §2 ("status is derived in the query from
those stored moments and the current time") and issue 12 ("the SQL status expression built from
domain/status").

Every combination of a running or stopped project, a started or unstarted cycle, and due and
notice moments that are absent, before, at or after ``now`` (including the orders the services
never write, such as a notice after the due moment) is stored, then the status the task list
computes in SQL is compared with ``domain.status.task_status`` at moments on and around each
boundary. Every status must turn up, so a rule step that SQL lost would show.

Code: store/filters.py (status_case), store/queries.py (task_select), domain/status.py.
"""

from __future__ import annotations

import itertools

from mixtimer_gui.domain import status
from mixtimer_gui.services import Services
from mixtimer_gui.store import queries

MOMENTS = (None, 100, 200, 300)
NOWS = (99, 100, 101, 199, 200, 201, 299, 300, 301)


def store_every_combination(services: Services) -> dict[str, tuple[bool, int | None,
                                                                 int | None, int | None]]:
    store = services.ctx.store
    audit = {"created": 1, "last_modified": 1}
    for uid, active in (("run", 1), ("stop", 0)):
        store.Project.create(uid=uid, name=uid, cycle_type="自然时间周期", period_num=1,
                             period_unit="日", is_active=active, **audit)
    made = {}
    combos = itertools.product((True, False), (None, 50), MOMENTS, MOMENTS)
    for n, (active, start, due, notice) in enumerate(combos):
        uid = f"t{n:03}"
        store.Task.create(uid=uid, project_id="run" if active else "stop", object_id="o",
                          cycle_start=start, due_at=due, notice_at=notice, **audit)
        made[uid] = (active, start, due, notice)
    return made


def test_sql_status_equals_the_domain_rule_for_every_stored_state(services: Services) -> None:
    made = store_every_combination(services)
    seen = set()
    for now in NOWS:
        rows = queries.task_select(services.ctx.store, now).dicts()
        sql = {row["uid"]: row["status"] for row in rows}
        assert set(sql) == set(made)
        for uid, (active, start, due, notice) in made.items():
            expected = status.task_status(active, start, due, notice, now)
            assert sql[uid] == expected, (uid, active, start, due, notice, now)
            seen.add(expected)
    assert seen == set(status.STATUSES)


def test_the_status_filter_selects_by_the_same_rule(services: Services) -> None:
    made = store_every_combination(services)
    now = 200
    for name in status.STATUSES:
        fields = queries.task_fields(services.ctx.store, now)
        query = queries.filtered(queries.task_select(services.ctx.store, now), fields,
                                 where_and=[["status", "=", name]])
        expected = {uid for uid, state in made.items()
                    if status.task_status(*state, now) == name}
        assert {row["uid"] for row in query.dicts()} == expected, name
        assert expected, name  # each status has tasks at this moment
