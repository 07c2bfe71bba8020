"""Plain helpers for the service tests (imported by name: the test dirs have no __init__)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ProjectFactory = Callable[..., str]


def project_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uid": "", "name": "空压机保养", "alias": "", "description": "",
        "cycle_type": "自然时间周期", "statistics_id": "", "period_num": 2,
        "period_unit": "日", "notice_num": 1,
        "notice_unit": "日", "guide": "", "object_id_list": ["a", "c"],
    }
    data.update(changes)
    return data
