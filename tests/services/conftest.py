"""Factories shared by the service tests: a project with sensible defaults, its tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from svc_factories import ProjectFactory, project_data

from mixtimer_gui.services import Services


@pytest.fixture
def make_project(services: Services) -> ProjectFactory:
    """Create a project (``start=True`` also starts it) and return its uid."""

    def make(start: bool = False, **changes: Any) -> str:
        uid = services.projects.create(project_data(**changes))["uid"]
        if start:
            services.projects.start({"uid": uid})
        return uid

    return make


@pytest.fixture
def tasks_of(services: Services) -> Callable[[str], dict[str, dict[str, Any]]]:
    """The project's tasks as wire records, keyed by object id."""

    def tasks(project_uid: str) -> dict[str, dict[str, Any]]:
        page = services.tasks.list({"page_size": 1000,
                                    "where_and": [["project_id", "=", project_uid]]})
        return {t["object_id"]: t for t in page["data"]}

    return tasks
