"""Handles (spec §5): record that a task was done (``v2_handle``) or skipped (ignore)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mixtimer_gui.domain import checklists, rules, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError, NotFoundError
from mixtimer_gui.domain.rules import IGNORED_RESULT, HandleInput
from mixtimer_gui.services import cycle_ops, events, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.reminders import end_closed_cycles
from mixtimer_gui.store import compiled, queries


class HandleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def handle(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``v2_handle`` → ``{"uid"}``; the task's next cycle starts now."""
        return self._record(rules.handle_input(data), ignored=False)

    def ignore(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``v2_handle_ignore`` → ``{"uid"}``: the cycle is skipped, with a reason."""
        return self._record(rules.handle_input(data, ignoring=True), ignored=True)

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        handles = self.ctx.store.Handle
        with self.ctx.read():
            row = handles.select().where(handles.uid == uid).dicts().first()
        if row is None:
            raise NotFoundError.of(say.HANDLE_NOT_FOUND, "uid", uid=uid)
        return wire.handle(row)

    def list(self, data: Mapping[str, Any], *, count: bool = True) -> dict[str, Any]:
        index, size = wire.page_params(data)
        store = self.ctx.store
        key = compiled.list_key("handle", data, page_index=index, page_size=size, count=count)
        with self.ctx.read():
            plan = compiled.cached_plan(store, key, lambda: self._plan(data, index, size, count))
            result = queries.run_plan(store.db, plan)
        return wire.page_result(result, [wire.handle(r) for r in result.rows])

    def _plan(self, data: Mapping[str, Any], index: int, size: int,
              count: bool) -> queries.PagePlan:
        store = self.ctx.store
        fields = queries.handle_fields(store)
        query = queries.filtered(queries.handle_select(store), fields,
                                 where_and=data.get("where_and"),
                                 where_or=data.get("where_or"),
                                 where_in=data.get("where_in"))
        return queries.page_plan(query, fields, page_index=index, page_size=size,
                                 order_by=data.get("order_by"),
                                 id_column=store.Handle.id, count=count)

    # -- the write ------------------------------------------------------------------------

    def _record(self, inp: HandleInput, *, ignored: bool) -> dict[str, str]:
        # A handle with the client's own uid may be repeated blindly: the second run finds
        # it and changes nothing. Without one, only a write known not to have committed is.
        return self.ctx.retry_write(lambda: self._record_once(inp, ignored=ignored),
                                    repeatable=bool(inp.uid))

    def _record_once(self, inp: HandleInput, *, ignored: bool) -> dict[str, str]:
        store = self.ctx.store
        handles, tasks, projects, objects = (store.Handle, store.Task, store.Project,
                                             store.MaintenanceObject)
        with self.ctx.write():
            if inp.uid:
                existing = handles.get_or_none(handles.uid == inp.uid)
                if existing is not None:
                    if existing.task_id != inp.task_id:
                        raise FieldError.of(say.HANDLE_UID_USED, "uid", uid=inp.uid,
                                            task_id=existing.task_id)
                    return {"uid": existing.uid}  # a safe retry: nothing changes
            task = tasks.get_or_none(tasks.uid == inp.task_id)
            if task is None:
                raise NotFoundError.of(say.TASK_NOT_FOUND_PLAIN, "task_id")
            project = projects.get(projects.uid == task.project_id)
            # An ignore skips the work, so it has no results to check.
            results = [] if ignored else checklists.evaluate(
                inp.checklist_results, wire.stored_json(project.checklist))
            obj = objects.get_or_none(objects.uid == task.object_id)
            now = self.ctx.clock.now()
            names = self._register_handlers(inp, now)
            closed_due, skipped = cycle_ops.close(store, task, project, now)
            task.last_handle_at = now
            task.last_modified = now
            task.save()
            end_closed_cycles(self.ctx, [task.uid])
            uid = inp.uid or self._new_uid()
            handle = handles.create(
                uid=uid, task_id=task.uid, project_id=project.uid,
                project_name=project.name, project_alias=project.alias,
                object_id=task.object_id, object_name=obj.name if obj else task.object_id,
                object_alias=obj.alias if obj else task.object_id,
                description=inp.description,
                handler_id_list=json.dumps(inp.handler_id_list),
                handler_name_list=json.dumps(names, ensure_ascii=False),
                fee=inp.fee, result=IGNORED_RESULT if ignored else inp.result,
                images=inp.images, is_ignored=int(ignored), due_at=closed_due,
                skipped_cycles=skipped, organization_id=inp.organization_id,
                checklist_results=json.dumps(results, ensure_ascii=False),
                is_abnormal=int(checklists.is_abnormal(results)),
                created=now, created_by=inp.operator, last_modified=now,
                last_modified_by=inp.operator)
            self._index_handlers(handle.id, inp.handler_id_list, names)
            self.ctx.changed(events.HANDLE, uid)
            self.ctx.changed(events.TASK, task.uid)
        return {"uid": uid}

    def _new_uid(self) -> str:
        handles = self.ctx.store.Handle
        while True:
            uid = uids.format_uid(uids.HANDLE_PREFIX,
                                  queries.next_sequence(self.ctx.store, uids.HANDLE_PREFIX))
            if handles.get_or_none(handles.uid == uid) is None:
                return uid

    def _register_handlers(self, inp: HandleInput, now: int) -> list[str]:
        """Register the people met in a handle; fill in names the client left out."""
        handlers = self.ctx.store.Handler
        names = list(inp.handler_name_list)
        if inp.handler_id_list and not names:
            known = {h.id: h.name for h in handlers.select().where(
                handlers.id.in_(inp.handler_id_list))}
            names = [known.get(i, str(i)) for i in inp.handler_id_list]
            for handler_id in inp.handler_id_list:
                if handler_id not in known:
                    handlers.insert(id=handler_id, name=str(handler_id),
                                    created=now).on_conflict_ignore().execute()
        else:
            for handler_id, name in zip(inp.handler_id_list, names, strict=False):
                handlers.insert(id=handler_id, name=name, created=now).on_conflict(
                    conflict_target=[handlers.id], update={handlers.name: name}).execute()
        if inp.handler_id_list:
            self.ctx.changed(events.HANDLER, *(str(i) for i in inp.handler_id_list))
        return names

    def _index_handlers(self, handle_rowid: int, ids: list[int], names: list[str]) -> None:
        count = max(len(ids), len(names))
        if not count:
            return
        self.ctx.store.HandleHandler.insert_many([
            {"handle_rowid": handle_rowid,
             "handler_id": ids[i] if i < len(ids) else None,
             "handler_name": names[i] if i < len(names) else ""}
            for i in range(count)]).execute()
