"""Helpers for the reminder tests: projects with tasks, and the task rows behind them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mixtimer_gui.services import Services

NATURAL = "自然时间周期"
STATISTIC = "统计周期"


@pytest.fixture
def make_project(services: Services) -> Callable[..., str]:
    """Create (and by default start) a project; returns its uid."""

    def make(objects: list[str] | None = None, *, start: bool = True,
             **fields: Any) -> str:
        data = {"name": "润滑", "cycle_type": NATURAL, "period_num": 2, "period_unit": "日",
                "notice_num": 1, "notice_unit": "日",
                "object_id_list": objects if objects is not None else ["PUMP-1"], **fields}
        uid = services.projects.create(data)["uid"]
        if start:
            services.projects.start({"uid": uid})
        return uid

    return make


@pytest.fixture
def task_of(services: Services) -> Callable[[str], dict[str, Any]]:
    """The (first) task of a project, as the wire shows it."""

    def get(project_uid: str, index: int = 0) -> dict[str, Any]:
        page = services.tasks.list({"where_and": [["project_id", "=", project_uid]],
                                    "order_by": "uid", "page_size": 1000})
        return page["data"][index]

    return get
