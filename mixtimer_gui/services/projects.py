"""Maintenance projects (spec §3): create, update, delete, get, list, start, stop, restart."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mixtimer_gui.domain import cycles, rules, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError, NotFoundError, StateError
from mixtimer_gui.domain.rules import ProjectInput
from mixtimer_gui.services import cycle_ops, events, history, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.names import project_names
from mixtimer_gui.services.reminders import end_closed_cycles
from mixtimer_gui.store import compiled, queries
from mixtimer_gui.store.models import Project, Store


class ProjectService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def _store(self) -> Store:
        return self.ctx.store

    # -- writes ---------------------------------------------------------------------------

    def create(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``create_v2_project`` → ``{"name", "uid"}``; the project starts stopped."""
        inp = rules.project_input(data)
        projects = self._store.Project
        with self.ctx.write():
            now = self.ctx.clock.now()
            uid = inp.uid or self._new_uid()
            if projects.get_or_none(projects.uid == uid) is not None:
                raise FieldError.of(say.UID_TAKEN, "uid", uid=uid)
            self._check_statistic(inp)
            operator = self.ctx.operator(inp.operator)
            project = projects.create(
                uid=uid, created=now, last_modified=now, created_by=operator,
                last_modified_by=operator, is_active=0, alias=inp.alias or uid,
                **self._settings(inp))
            self.ctx.record("create_v2_project", history.PROJECT, uid, None,
                            self._shown(project, inp.object_id_list), operator=operator)
            self._sync_objects(project, inp.object_id_list, now, operator,
                               "create_v2_project")
            self.ctx.changed(events.PROJECT, uid)
        return {"name": project.name, "uid": uid}

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``update_v2_project``: refused while running; tasks follow the new object list."""
        uid = rules.read_uid(data)
        inp = rules.project_input({**data, "uid": ""})
        with self.ctx.write():
            project = self._get(uid)
            if project.is_active:
                raise StateError.of(say.PROJECT_RUNNING, "uid")
            self._check_statistic(inp)
            now = self.ctx.clock.now()
            operator = self.ctx.operator(inp.operator)
            before = self._shown(project)
            cycle_kind_changed = (project.cycle_type != inp.cycle_type
                                  or project.statistics_id != inp.statistics_id)
            for name, value in self._settings(inp).items():
                setattr(project, name, value)
            project.alias = inp.alias
            project.last_modified = now
            project.last_modified_by = operator
            project.save()
            self.ctx.record("update_v2_project", history.PROJECT, uid, before,
                            self._shown(project, inp.object_id_list), operator=operator)
            kept = self._sync_objects(project, inp.object_id_list, now, operator,
                                      "update_v2_project")
            task_table = self._store.Task
            tasks = list(task_table.select().where(task_table.project_id == uid))
            for task in tasks:
                task_before = history.model_values(task)
                if cycle_kind_changed:
                    cycle_ops.store_cycle(task, None)
                else:
                    cycle_ops.reschedule(self._store, task, project)
                task.last_modified = now
                task.last_modified_by = operator
                task.save()
                if task.uid in kept:
                    self.ctx.record("update_v2_project", history.TASK, task.uid,
                                    task_before, history.model_values(task),
                                    operator=operator)
            end_closed_cycles(self.ctx, [t.uid for t in tasks])  # cleared cycles end
            self.ctx.changed(events.PROJECT, uid)
        return {"name": project.name, "uid": uid}

    def delete(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``delete_v2_project``: refused while running; handles stay as history."""
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            project = self._get(uid)
            if project.is_active:
                raise StateError.of(say.PROJECT_RUNNING, "uid")
            task, members = self._store.Task, self._store.ProjectObject
            self.ctx.record("delete_v2_project", history.PROJECT, uid, self._shown(project),
                            None, operator=operator)
            task_uids = []
            for row in task.select().where(task.project_id == uid):
                task_uids.append(row.uid)
                self.ctx.record("delete_v2_project", history.TASK, row.uid,
                                history.model_values(row), None, operator=operator)
            task.delete().where(task.project_id == uid).execute()
            members.delete().where(members.project_id == uid).execute()
            project.delete_instance()
            end_closed_cycles(self.ctx, task_uids)
            self.ctx.changed(events.PROJECT, uid)
            if task_uids:
                self.ctx.changed(events.TASK, *task_uids)
        return {"uid": uid}

    def start(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``start_v2_project``: tasks that never ran start their cycle now."""
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            project = self._get(uid)
            if project.is_active:
                return {}
            self._check_startable(project)
            now = self.ctx.clock.now()
            self._set_active(project, now, "start_v2_project", operator)
            task_table = self._store.Task
            tasks = list(task_table.select().where((task_table.project_id == uid)
                                                   & task_table.cycle_start.is_null()))
            self._begin_tasks(project, tasks, now, "start_v2_project", operator)
            end_closed_cycles(self.ctx, [t.uid for t in tasks])
            self._announce_tasks(uid)
        return {}

    def stop(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``stop_v2_project``: no reminders while stopped; the cycles keep their dates."""
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            project = self._get(uid)
            if project.is_active:
                project.is_active = 0
                project.last_modified = self.ctx.clock.now()
                project.last_modified_by = operator
                project.save()
                self.ctx.record("stop_v2_project", history.PROJECT, uid, {"is_active": 1},
                                {"is_active": 0}, operator=operator)
                self._announce_tasks(uid)
        return {}

    def restart(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``restart_v2_project``: every task starts a fresh cycle now; the project runs."""
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            project = self._get(uid)
            self._check_startable(project)
            now = self.ctx.clock.now()
            self._set_active(project, now, "restart_v2_project", operator)
            task_table = self._store.Task
            tasks = list(task_table.select().where(task_table.project_id == uid))
            self._begin_tasks(project, tasks, now, "restart_v2_project", operator)
            end_closed_cycles(self.ctx, [t.uid for t in tasks])
            self._announce_tasks(uid)
        return {}

    # -- reads ----------------------------------------------------------------------------

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        projects = self._store.Project
        with self.ctx.read():
            row = (projects.select().where(projects.uid == uid).dicts().first())
            if row is None:
                raise NotFoundError.of(say.PROJECT_NOT_FOUND, "uid", uid=uid)
            return wire.project(row, queries.project_object_ids(self._store, [uid]).get(uid, []))

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        index, size = wire.page_params(data)
        key = compiled.list_key("project", data, page_index=index, page_size=size)
        with self.ctx.read():
            plan = compiled.cached_plan(self._store, key, lambda: self._plan(data, index, size))
            result = queries.run_plan(self._store.db, plan)
            objects = queries.project_object_ids(self._store, (r["uid"] for r in result.rows))
            records = [wire.project(r, objects.get(r["uid"], [])) for r in result.rows]
        return wire.page_result(result, records)

    def _plan(self, data: Mapping[str, Any], index: int, size: int) -> queries.PagePlan:
        projects, fields = self._store.Project, queries.project_fields(self._store)
        query = queries.filtered(projects.select(), fields,
                                 where_and=data.get("where_and"),
                                 where_or=data.get("where_or"),
                                 where_in=data.get("where_in"))
        return queries.page_plan(query, fields, page_index=index, page_size=size,
                                 order_by=data.get("order_by"), id_column=projects.id)

    def names(self) -> list[tuple[str, str]]:
        """``(uid, name)`` of every project, by name: for pickers (no object lists)."""
        return project_names(self.ctx)

    # -- helpers --------------------------------------------------------------------------

    def _get(self, uid: str) -> Project:
        projects = self._store.Project
        project = projects.get_or_none(projects.uid == uid)
        if project is None:
            raise NotFoundError.of(say.PROJECT_NOT_FOUND, "uid", uid=uid)
        return project

    def _new_uid(self) -> str:
        projects = self._store.Project
        while True:
            uid = uids.format_uid(uids.PROJECT_PREFIX,
                                  queries.next_sequence(self._store, uids.PROJECT_PREFIX))
            if projects.get_or_none(projects.uid == uid) is None:
                return uid

    @staticmethod
    def _settings(inp: ProjectInput) -> dict[str, Any]:
        return {
            "name": inp.name, "description": inp.description, "cycle_type": inp.cycle_type,
            "statistics_id": inp.statistics_id, "period_num": inp.period_num,
            "period_unit": inp.period_unit, "notice_num": inp.notice_num,
            "notice_unit": inp.notice_unit, "guide": inp.guide,
            "anchor_type": inp.anchor_type, "organization_id": inp.organization_id,
            "statistics_period_num": inp.statistics_period_num,
            "checklist": json.dumps(inp.checklist, ensure_ascii=False),
        }

    def _check_statistic(self, inp: ProjectInput) -> None:
        statistics = self._store.Statistic
        if inp.statistics_id and statistics.get_or_none(
                statistics.uid == inp.statistics_id) is None:
            raise NotFoundError.of(say.STATISTIC_UNKNOWN, "statistics_id", uid=inp.statistics_id)

    def _check_startable(self, project: Project) -> None:
        if project.cycle_type not in (cycles.STATISTIC, cycles.FIRST):
            return
        if not project.statistics_id:
            raise FieldError.of(say.STATISTIC_NEEDED_TO_START, "statistics_id")
        statistics = self._store.Statistic
        if statistics.get_or_none(statistics.uid == project.statistics_id) is None:
            raise NotFoundError.of(say.STATISTIC_GONE, "statistics_id",
                                   uid=project.statistics_id)

    def _set_active(self, project: Project, now: int, action: str, operator: int) -> None:
        was = project.is_active
        project.is_active = 1
        project.last_modified = now
        project.last_modified_by = operator
        project.save()
        self.ctx.record(action, history.PROJECT, project.uid, {"is_active": was},
                        {"is_active": 1}, operator=operator)

    def _begin_tasks(self, project: Project, tasks: list[Any], now: int, action: str,
                     operator: int) -> None:
        for task in tasks:
            before = history.model_values(task)
            cycle_ops.begin(self._store, task, project, now)
            task.last_modified = now
            task.last_modified_by = operator
            task.save()
            self.ctx.record(action, history.TASK, task.uid, before,
                            history.model_values(task), operator=operator)

    def _shown(self, project: Project, object_ids: list[str] | None = None) -> dict[str, Any]:
        """A project as the history shows it: its fields and its object list."""
        values = history.model_values(project) or {}
        if object_ids is None:
            object_ids = queries.project_object_ids(self._store, [project.uid]).get(
                project.uid, [])
        values["object_id_list"] = list(object_ids)
        return values

    def _announce_tasks(self, project_uid: str) -> None:
        self.ctx.changed(events.PROJECT, project_uid)
        task = self._store.Task
        task_uids = [t.uid for t in task.select(task.uid).where(task.project_id == project_uid)]
        if task_uids:
            self.ctx.changed(events.TASK, *task_uids)

    def _sync_objects(self, project: Project, object_ids: list[str], now: int,
                      operator: int, action: str) -> set[str]:
        """Make the object list and the tasks match ``object_ids`` (order kept); the
        uids of the tasks that were there before and stay."""
        store = self._store
        members, task_table = store.ProjectObject, store.Task
        for object_id in object_ids:
            if register_object(store, object_id, now, operator):
                self.ctx.record(action, history.OBJECT, object_id, None,
                                {"uid": object_id, "name": object_id, "alias": object_id},
                                operator=operator)
                self.ctx.changed(events.OBJECT, object_id)
        members.delete().where(members.project_id == project.uid).execute()
        if object_ids:
            members.insert_many(
                [{"project_id": project.uid, "object_id": oid, "position": pos}
                 for pos, oid in enumerate(object_ids)]).execute()
        existing = {t.object_id: t
                    for t in task_table.select().where(task_table.project_id == project.uid)}
        removed = [t.uid for oid, t in existing.items() if oid not in object_ids]
        for oid, gone in existing.items():
            if oid not in object_ids:
                self.ctx.record(action, history.TASK, gone.uid, history.model_values(gone),
                                None, operator=operator)
        if removed:
            task_table.delete().where(task_table.uid.in_(removed)).execute()
            end_closed_cycles(self.ctx, removed)
            self.ctx.changed(events.TASK, *removed)
        for object_id in object_ids:
            if object_id in existing:
                continue
            task = task_table(uid=new_task_uid(store), project_id=project.uid,
                              object_id=object_id, created=now, last_modified=now,
                              created_by=operator, last_modified_by=operator,
                              organization_id=project.organization_id)
            if project.is_active:
                cycle_ops.begin(store, task, project, now)
            task.save(force_insert=True)
            self.ctx.record(action, history.TASK, task.uid, None, history.model_values(task),
                            operator=operator)
            self.ctx.changed(events.TASK, task.uid)
        return {t.uid for oid, t in existing.items() if oid in object_ids}


def new_task_uid(store: Store) -> str:
    task = store.Task
    while True:
        uid = uids.format_uid(uids.TASK_PREFIX, queries.next_sequence(store, uids.TASK_PREFIX))
        if task.get_or_none(task.uid == uid) is None:
            return uid


def register_object(store: Store, object_id: str, now: int, operator: int = 0) -> bool:
    """An object id not yet in the catalogue is registered with name = alias = id; whether
    it was new (a change the history shows)."""
    objects = store.MaintenanceObject
    if objects.select(objects.uid).where(objects.uid == object_id).exists():
        return False
    objects.insert(
        uid=object_id, name=object_id, alias=object_id, description="", location="",
        organization_id="", created=now, last_modified=now, created_by=operator,
        last_modified_by=operator).on_conflict_ignore().execute()
    return True
