"""Spec §1 (this project's addition): a database that cannot take a write answers 10503.

Disk full, read-only or locked is not a bug (10500) nor the client's fault (10013): the
envelope says so in ``info``, nothing is written, and the server keeps answering.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import call

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.wsgi import make_app
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

PROJECT = {"action": "create_v2_project", "name": "空压机季度保养", "cycle_type": "自然时间周期",
           "period_num": 3, "period_unit": "月", "notice_num": 7, "notice_unit": "日",
           "object_id_list": ["ac-1"]}


@pytest.mark.expect_log(r"refused by the database", logger="mixtimer_gui.api.wsgi")
def test_a_read_only_database_answers_10503_and_keeps_reading(db_location: Path | str,
                                                              fake_clock: FakeClock) -> None:
    writable = Services.open(db_location, clock=fake_clock)
    writable.projects.create({**PROJECT, "uid": "p1"})
    writable.close()

    read_only = Services.open(db_location, clock=fake_clock, read_only=True)
    try:
        app = make_app(read_only)
        refused = call(app, {**PROJECT, "uid": "p2"})
        assert refused.code == env.UNAVAILABLE and refused.status == 503
        assert refused.info  # the store's sentence, not a traceback
        listed = call(app, {"action": "get_v2_project_list"})
        assert listed.code == env.OK
        assert [p["uid"] for p in listed.result["data"]] == ["p1"]
    finally:
        read_only.close()
