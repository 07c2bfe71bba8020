"""Handles (spec §5): record that a task was done (``v2_handle``) or skipped (ignore)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mixtimer_gui.domain import checklists, rules, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError, NotFoundError, StateError
from mixtimer_gui.domain.rules import IGNORED_RESULT, HandleCorrection, HandleInput
from mixtimer_gui.services import cycle_ops, events, history, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.reminders import end_closed_cycles
from mixtimer_gui.store import compiled, handle_search, queries, versions
from mixtimer_gui.store import filters as store_filters

# What a handle list's count reads: it stays right while neither changes.
COUNTED_TABLES = ("handle", "handle_handler")
# What the history shows of a handle and of the task a handle moves.
HANDLE_SHOWN = ("uid", "task_id", "description", "handler_id_list", "handler_name_list",
                "fee", "result", "images", "is_ignored", "handled_at", "due_at",
                "skipped_cycles", "is_voided", "void_reason", "voided_at", "voided_by")
HANDLE_TIMES = ("handled_at", "due_at", "voided_at")
TASK_TIMES = ("cycle_start", "due_at", "notice_at", "last_handle_at")
# The task fields a handle moves that its wire record shows (grid internals left out).
TASK_SHOWN = ("cycle_start", "due_at", "notice_at", "start_value", "due_value",
              "last_handle_at")
# Fields a correction may change (spec §8): never the task, the times or the cycle.
CORRECTABLE = ("description", "result", "fee", "handler_id_list", "handler_name_list",
               "images")


class HandleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def handle(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``v2_handle`` → ``{"uid"}``; the task's next cycle starts now."""
        return self._record(rules.handle_input(data), ignored=False)

    def ignore(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``v2_handle_ignore`` → ``{"uid"}``: the cycle is skipped, with a reason."""
        return self._record(rules.handle_input(data, ignoring=True), ignored=True)

    def check_handled_at(self, data: Mapping[str, Any]) -> None:
        """Raise what ``handle`` would say about ``handled_at``, writing nothing (a form
        checks before it copies pictures)."""
        inp = rules.handle_input(data)
        tasks = self.ctx.store.Task
        with self.ctx.read():
            task = tasks.get_or_none(tasks.uid == inp.task_id)
        if task is not None:
            rules.check_handled_at(inp.handled_at, self.ctx.clock.now(), _earliest(task))

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
            match = handle_search.text_match(store, data)
            # a word in many rows: walk the time index; a rare one: the index's candidates
            common = match is not None and handle_search.text_is_common(store, match, size)
            plan = compiled.cached_plan(
                store, None if key is None else (key, common),
                lambda: self._plan(data, index, size, count, common))
            total = (-1 if plan.count is None
                     else versions.counted(store, COUNTED_TABLES, plan.count))
            result = queries.run_plan(store.db, replace(plan, count=None))
        result = replace(result, total_records=total)
        return wire.page_result(result, [wire.handle(r) for r in result.rows])

    def _plan(self, data: Mapping[str, Any], index: int, size: int,
              count: bool, common: bool) -> queries.PagePlan:
        store = self.ctx.store
        fields = queries.handle_fields(store)
        person = handle_search.person_filter(store, data)
        match = handle_search.text_match(store, data)
        select, ordering = queries.handle_select(store), None
        if person is not None:
            select, ordering = handle_search.person_select(store, person.handler_id)
        query = queries.filtered(select, fields,
                                 where_and=person.rest if person else data.get("where_and"),
                                 where_or=data.get("where_or"),
                                 where_in=data.get("where_in"),
                                 extra=valid_only(store, data))
        counted_query = query
        if match is not None:
            counted_query = query.where(handle_search.candidates(store, match))
            if not common:
                query = counted_query
        plan = queries.page_plan(query, fields, page_index=index, page_size=size,
                                 order_by=data.get("order_by"), id_column=store.Handle.id,
                                 count=False, ordering=ordering)
        if not count:
            return plan
        unfiltered = person is None and match is None and not any(
            store_filters.parse_filter_param(data.get(p), p)
            for p in ("where_and", "where_or", "where_in"))
        return replace(plan, count=queries.valid_handle_count(store) if unfiltered
                       else queries.count_statement(counted_query))

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
            at = rules.check_handled_at(inp.handled_at, now, _earliest(task))
            operator = self.ctx.operator(inp.operator)
            action = "v2_handle_ignore" if ignored else "v2_handle"
            names = self._register_handlers(inp, now, action, operator)
            prior = cycle_ops.snapshot(task)
            task_before = history.row_values(task, TASK_SHOWN, TASK_TIMES)
            closed_due, skipped = cycle_ops.close(store, task, project, at,
                                                  back_dated=inp.handled_at is not None)
            task.last_handle_at = at
            task.last_modified = now
            task.last_modified_by = operator
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
                created=now, created_by=operator, last_modified=now,
                last_modified_by=operator, handled_at=at,
                prior_state=cycle_ops.with_after(prior, task))
            self._index_handlers(handle.id, now, inp.handler_id_list, names)
            self.ctx.record(action, history.HANDLE, uid, None,
                            history.row_values(handle, HANDLE_SHOWN, HANDLE_TIMES),
                            operator=operator)
            self.ctx.record(action, history.TASK, task.uid, task_before,
                            history.row_values(task, TASK_SHOWN, TASK_TIMES),
                            operator=operator)
            self.ctx.changed(events.HANDLE, uid)
            self.ctx.changed(events.TASK, task.uid)
        return {"uid": uid}

    # -- corrections (spec §8) ---------------------------------------------------------------

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``update_v2_handle``: correct what the record says; never its task, times or
        cycle."""
        fix = rules.handle_correction(data)
        return self.ctx.retry_write(lambda: self._update_once(fix))

    def _update_once(self, fix: HandleCorrection) -> dict[str, str]:
        with self.ctx.write():
            handle = self._existing(fix.uid)
            if handle.is_voided:
                raise StateError.of(say.HANDLE_ALREADY_VOIDED, "uid", uid=fix.uid)
            before = history.row_values(handle, HANDLE_SHOWN, HANDLE_TIMES)
            now = self.ctx.clock.now()
            operator = self.ctx.operator(fix.operator)
            for name in ("description", "result", "fee", "images"):
                value = getattr(fix, name)
                if value is not None:
                    setattr(handle, name, value)
            if fix.handler_id_list is not None or fix.handler_name_list is not None:
                self._replace_handlers(handle, fix, now, operator)
            handle.last_modified = now
            handle.last_modified_by = operator
            handle.save()
            self.ctx.record("update_v2_handle", history.HANDLE, handle.uid, before,
                            history.row_values(handle, HANDLE_SHOWN, HANDLE_TIMES),
                            operator=operator)
            self.ctx.changed(events.HANDLE, handle.uid)
        return {"uid": fix.uid}

    def _replace_handlers(self, handle: Any, fix: HandleCorrection, now: int,
                          operator: int) -> None:
        ids = (fix.handler_id_list if fix.handler_id_list is not None
               else json.loads(handle.handler_id_list))
        given_names = fix.handler_name_list if fix.handler_name_list is not None else []
        if fix.handler_id_list is None and fix.handler_name_list is not None:
            ids = []  # new names alone: the old ids no longer say who
        inp = HandleInput("", handle.task_id, "", list(ids), list(given_names), 0.0, "", "",
                          "", 0)
        names = self._register_handlers(inp, now, "update_v2_handle", operator)
        handle.handler_id_list = json.dumps(list(ids))
        handle.handler_name_list = json.dumps(names, ensure_ascii=False)
        people = self.ctx.store.HandleHandler
        people.delete().where(people.handle_rowid == handle.id).execute()
        self._index_handlers(handle.id, handle.created, list(ids), names)

    def void(self, data: Mapping[str, Any]) -> dict[str, str]:
        """``void_v2_handle``: the task's latest valid handle is withdrawn and the task
        goes back to the cycle state it had before it; the record stays, marked."""
        uid, reason, given = rules.void_input(data)
        return self.ctx.retry_write(lambda: self._void_once(uid, reason, given))

    def _void_once(self, uid: str, reason: str, given: int) -> dict[str, str]:
        store = self.ctx.store
        tasks = store.Task
        with self.ctx.write():
            handle = self._existing(uid)
            if handle.is_voided:
                raise StateError.of(say.HANDLE_ALREADY_VOIDED, "uid", uid=uid)
            latest = queries.latest_valid_handle(store, handle.task_id)
            if latest is not None and latest.id != handle.id:
                raise StateError.of(say.HANDLE_NOT_LATEST, "uid", uid=uid, latest=latest.uid)
            task = tasks.get_or_none(tasks.uid == handle.task_id)
            if task is not None and not cycle_ops.still_after(task, handle.prior_state):
                raise StateError.of(say.HANDLE_CYCLE_MOVED, "uid", uid=uid)
            now = self.ctx.clock.now()
            operator = self.ctx.operator(given)
            before = history.row_values(handle, HANDLE_SHOWN, HANDLE_TIMES)
            handle.is_voided, handle.void_reason = 1, reason
            handle.voided_at, handle.voided_by = now, operator
            handle.last_modified, handle.last_modified_by = now, operator
            handle.save()
            self.ctx.record("void_v2_handle", history.HANDLE, uid, before,
                            history.row_values(handle, HANDLE_SHOWN, HANDLE_TIMES),
                            operator=operator)
            if task is not None and handle.prior_state:
                task_before = history.row_values(task, TASK_SHOWN, TASK_TIMES)
                cycle_ops.restore(task, handle.prior_state)
                task.last_modified, task.last_modified_by = now, operator
                task.save()
                self.ctx.record("void_v2_handle", history.TASK, task.uid, task_before,
                                history.row_values(task, TASK_SHOWN, TASK_TIMES),
                                operator=operator)
                self.ctx.changed(events.TASK, task.uid)
            self.ctx.changed(events.HANDLE, uid)
        return {"uid": uid}

    def _existing(self, uid: str) -> Any:
        handles = self.ctx.store.Handle
        handle = handles.get_or_none(handles.uid == uid)
        if handle is None:
            raise NotFoundError.of(say.HANDLE_NOT_FOUND, "uid", uid=uid)
        return handle

    def _new_uid(self) -> str:
        handles = self.ctx.store.Handle
        while True:
            uid = uids.format_uid(uids.HANDLE_PREFIX,
                                  queries.next_sequence(self.ctx.store, uids.HANDLE_PREFIX))
            if handles.get_or_none(handles.uid == uid) is None:
                return uid

    def _register_handlers(self, inp: HandleInput, now: int, action: str,
                           operator: int) -> list[str]:
        """Register the people met in a handle; fill in names the client left out. A person
        added or renamed this way is a change of the handler: it goes into the history."""
        handlers = self.ctx.store.Handler
        names = list(inp.handler_name_list)
        known = {h.id: h.name for h in handlers.select().where(
            handlers.id.in_(inp.handler_id_list))} if inp.handler_id_list else {}
        if inp.handler_id_list and not names:
            names = [known.get(i, str(i)) for i in inp.handler_id_list]
            met = [(i, str(i)) for i in inp.handler_id_list if i not in known]
            for handler_id, name in met:
                handlers.insert(id=handler_id, name=name,
                                created=now).on_conflict_ignore().execute()
        else:
            met = list(zip(inp.handler_id_list, names, strict=False))
            for handler_id, name in met:
                handlers.insert(id=handler_id, name=name, created=now).on_conflict(
                    conflict_target=[handlers.id], update={handlers.name: name}).execute()
        for handler_id, name in dict(met).items():
            was = known.get(handler_id)
            if was != name:
                self.ctx.record(action, history.HANDLER, str(handler_id),
                                None if was is None else {"name": was},
                                {"id": handler_id, "name": name}, operator=operator)
        if inp.handler_id_list:
            self.ctx.changed(events.HANDLER, *(str(i) for i in inp.handler_id_list))
        return names

    def _index_handlers(self, handle_rowid: int, created: int, ids: list[int],
                        names: list[str]) -> None:
        count = max(len(ids), len(names))
        if not count:
            return
        self.ctx.store.HandleHandler.insert_many([
            {"handle_rowid": handle_rowid,
             "handler_id": ids[i] if i < len(ids) else None,
             "handler_name": names[i] if i < len(names) else "",
             "created": created}
            for i in range(count)]).execute()


def _earliest(task: Any) -> int | None:
    """A back-dated handle may not precede the previous handle nor the cycle's start."""
    moments = [m for m in (task.last_handle_at, task.cycle_start) if m is not None]
    return max(moments) if moments else None


def valid_only(store: Any, data: Mapping[str, Any]) -> tuple[Any, ...]:
    """Voided handles are left out of a list unless a filter names ``is_voided`` (§5)."""
    if names_field(data, "is_voided"):
        return ()
    return (store.Handle.is_voided == 0,)


def names_field(data: Mapping[str, Any], field: str) -> bool:
    """Whether any of the request's filters is on ``field``."""
    for param in ("where_and", "where_or", "where_in"):
        try:
            items = store_filters.parse_filter_param(data.get(param), param)
        except FieldError:
            continue  # the list itself says what is wrong with it
        if any(isinstance(item, list) and item and item[0] == field for item in items):
            return True
    return False
