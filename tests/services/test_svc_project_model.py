"""Projects against a model — spec §3: a hypothesis state machine creates, updates, starts,
stops, restarts and deletes projects with changing object lists and checks the services
against a plain Python model after every step: one task per (project, object), tasks follow
the object list, a kept object keeps its task uid, update/delete are refused while running
(with the original's text) and change nothing, uids are never handed out twice, deleting a
project never deletes a handle.

Code: services/projects.py, services/handles.py.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from svc_factories import project_data

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import StateError
from mixtimer_gui.domain.messages import PROJECT_RUNNING
from mixtimer_gui.services import Services

OBJECTS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4)


class ProjectModel(RuleBasedStateMachine):
    projects = Bundle("projects")

    def __init__(self) -> None:
        super().__init__()
        clock.set_local_zone("Asia/Shanghai")
        self.folder = Path(tempfile.mkdtemp(prefix="mixtimer-model-"))
        self.clock = FakeClock(datetime(2024, 5, 11, 9, tzinfo=clock.local_zone()))
        self.services = Services.open(self.folder / "m.db", clock=self.clock)
        self.objects: dict[str, list[str]] = {}  # project uid → object list
        self.running: dict[str, bool] = {}
        self.task_uids: dict[tuple[str, str], str] = {}
        self.seen_uids: set[str] = set()
        self.handles = 0

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(target=projects, objects=OBJECTS)
    def create(self, objects: list[str]) -> str:
        uid = self.services.projects.create(project_data(object_id_list=objects))["uid"]
        assert uid not in self.seen_uids
        self.seen_uids.add(uid)
        self.objects[uid] = list(dict.fromkeys(objects))
        self.running[uid] = False
        return uid

    @rule(uid=projects, objects=OBJECTS)
    def update(self, uid: str, objects: list[str]) -> None:
        if uid not in self.objects:
            return
        data = project_data(uid=uid, object_id_list=objects, name="改")
        if self.running[uid]:
            try:
                self.services.projects.update(data)
            except StateError as err:
                assert err.message == PROJECT_RUNNING
                return
            raise AssertionError("update of a running project was accepted")
        self.services.projects.update(data)
        self.objects[uid] = list(dict.fromkeys(objects))

    @rule(uid=projects)
    def delete(self, uid: str) -> None:
        if uid not in self.objects:
            return
        if self.running[uid]:
            try:
                self.services.projects.delete({"uid": uid})
            except StateError as err:
                assert err.message == PROJECT_RUNNING
                return
            raise AssertionError("delete of a running project was accepted")
        self.services.projects.delete({"uid": uid})
        del self.objects[uid], self.running[uid]

    @rule(uid=projects, action=st.sampled_from(["start", "stop", "restart"]))
    def switch(self, uid: str, action: str) -> None:
        if uid not in self.objects:
            return
        getattr(self.services.projects, action)({"uid": uid})
        self.running[uid] = action != "stop"

    @rule(uid=projects, hours=st.integers(0, 100))
    def handle_first_task(self, uid: str, hours: int) -> None:
        if not self.objects.get(uid):
            return
        self.clock.advance(hours=hours)
        task = self.task_uids.get((uid, self.objects[uid][0]))
        if task is not None:
            self.services.handles.handle({"task_id": task})
            self.handles += 1

    @invariant()
    def services_match_the_model(self) -> None:
        page = self.services.tasks.list({"page_size": 1000})["data"]
        tasks = {(t["project_id"], t["object_id"]): t for t in page}
        expected = {(p, o) for p, objects in self.objects.items() for o in objects}
        assert set(tasks) == expected
        for key, task in tasks.items():
            if key in self.task_uids:
                assert task["uid"] == self.task_uids[key]  # a kept object keeps its task
            else:
                assert task["uid"] not in self.seen_uids  # never handed out twice
                self.seen_uids.add(task["uid"])
            assert task["is_active"] == int(self.running[key[0]])
            if not self.running[key[0]]:
                assert task["status"] == "未启动"
        self.task_uids = {k: t["uid"] for k, t in tasks.items()}
        for uid, objects in self.objects.items():
            got = self.services.projects.get({"uid": uid})
            assert got["object_id_list"] == objects
            assert got["is_active"] == int(self.running[uid])
        assert self.services.handles.list({})["total_records"] == self.handles


ProjectModel.TestCase.settings = settings(
    max_examples=15, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_projects_follow_the_model = ProjectModel.TestCase
# 2–7 s, as hypothesis draws (more than 5 s in most runs on two busy cores)
test_projects_follow_the_model.pytestmark = [pytest.mark.slow]
