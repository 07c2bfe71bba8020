"""The catalogues (spec §7): objects, statistics with their readings, and handlers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mixtimer_gui.domain import cycles, rules, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.clock import format_wire
from mixtimer_gui.domain.errors import DomainError, FieldError, NotFoundError, StateError
from mixtimer_gui.services import cycle_ops, events, history, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.services.history import WINDOW, Actor
from mixtimer_gui.services.imports import ImportOutcome, Progress, Row, apply_rows
from mixtimer_gui.services.names import handler_names, object_names
from mixtimer_gui.store import queries
from mixtimer_gui.store.models import MaintenanceObject, Statistic, Store


def _new_uid(store: Store, model: Any, prefix: str) -> str:
    while True:
        uid = uids.format_uid(prefix, queries.next_sequence(store, prefix))
        if model.get_or_none(model.uid == uid) is None:
            return uid


class ObjectService:
    """Maintenance objects (equipment)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(self, data: Mapping[str, Any]) -> dict[str, str]:
        inp = rules.object_input(data)
        objects = self.ctx.store.MaintenanceObject
        with self.ctx.write():
            uid = inp.uid or _new_uid(self.ctx.store, objects, uids.OBJECT_PREFIX)
            if objects.get_or_none(objects.uid == uid) is not None:
                raise FieldError.of(say.UID_TAKEN, "uid", uid=uid)
            now = self.ctx.clock.now()
            operator = self.ctx.operator(inp.operator)
            obj = objects.create(uid=uid, name=inp.name, alias=inp.alias or inp.name,
                                 description=inp.description, location=inp.location,
                                 organization_id=inp.organization_id, created=now,
                                 created_by=operator, last_modified=now,
                                 last_modified_by=operator)
            self.ctx.record("create_v2_object", history.OBJECT, uid, None,
                            history.model_values(obj), operator=operator)
            self.ctx.changed(events.OBJECT, uid)
        return {"name": inp.name, "uid": uid}

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        inp = rules.object_input({**data, "uid": ""})
        with self.ctx.write():
            obj = self._get(uid)
            before, operator = history.model_values(obj), self.ctx.operator(inp.operator)
            obj.name, obj.alias, obj.description = inp.name, inp.alias, inp.description
            obj.location, obj.organization_id = inp.location, inp.organization_id
            obj.last_modified, obj.last_modified_by = self.ctx.clock.now(), operator
            obj.save()
            self.ctx.record("update_v2_object", history.OBJECT, uid, before,
                            history.model_values(obj), operator=operator)
            self.ctx.changed(events.OBJECT, uid)
            task = self.ctx.store.Task
            tasks = [t.uid for t in task.select(task.uid).where(task.object_id == uid)]
            if tasks:
                self.ctx.changed(events.TASK, *tasks)
        return {"name": obj.name, "uid": uid}

    def delete(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            obj = self._get(uid)
            members = self.ctx.store.ProjectObject
            users = [p.project_id for p in members.select(members.project_id)
                     .where(members.object_id == uid).limit(5)]
            if users:
                raise StateError.of(say.OBJECT_IN_USE, "uid", uid=uid, projects=", ".join(users))
            self.ctx.record("delete_v2_object", history.OBJECT, uid, history.model_values(obj),
                            None, operator=operator)
            obj.delete_instance()
            self.ctx.changed(events.OBJECT, uid)
        return {"uid": uid}

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        objects = self.ctx.store.MaintenanceObject
        with self.ctx.read():
            row = objects.select().where(objects.uid == uid).dicts().first()
        if row is None:
            raise NotFoundError.of(say.OBJECT_NOT_FOUND, "uid", uid=uid)
        return wire.maintenance_object(row)

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        objects = self.ctx.store.MaintenanceObject
        return wire.list_page(self.ctx, objects.select(), queries.object_fields(self.ctx.store),
                              data, wire.maintenance_object, id_column=objects.id,
                              cache_as="maintenance_object")

    def names(self) -> list[tuple[str, str]]:
        """``(uid, name)`` of every object, by name: for pickers."""
        return object_names(self.ctx)

    def import_rows(self, rows: Sequence[Row], *, commit: bool = True, keep_good: bool = False,
                    update_existing: bool = False, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ImportOutcome:
        """Create an object from each row, in one transaction (``services.imports``).

        A row whose uid is taken is refused (and counted in ``existing``), unless
        ``update_existing``: then the row's fields replace the stored ones (an empty one
        clears it) and the fields the row does not have keep their stored values.
        """
        outcome = ImportOutcome()

        def apply(record: Mapping[str, Any]) -> None:
            uid = str(record.get("uid") or "").strip()
            current = self._stored(uid) if uid else None
            if current is not None:
                outcome.existing += 1
            if current is None or not update_existing:
                self.create(record)  # refused when the uid is taken
                return
            self.update({**current, **record, "uid": uid})
            outcome.updated += 1

        return apply_rows(self.ctx, rows, apply, outcome, commit=commit, keep_good=keep_good,
                          progress=progress, cancelled=cancelled)

    def _stored(self, uid: str) -> dict[str, Any] | None:
        try:
            return self.get({"uid": uid})
        except DomainError:  # not there, or a malformed uid: the create reports it
            return None

    def _get(self, uid: str) -> MaintenanceObject:
        objects = self.ctx.store.MaintenanceObject
        obj = objects.get_or_none(objects.uid == uid)
        if obj is None:
            raise NotFoundError.of(say.OBJECT_NOT_FOUND, "uid", uid=uid)
        return obj


class StatisticService:
    """Statistics (meters) and their cumulative readings."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(self, data: Mapping[str, Any]) -> dict[str, str]:
        inp = rules.statistic_input(data)
        statistics = self.ctx.store.Statistic
        with self.ctx.write():
            uid = inp.uid or _new_uid(self.ctx.store, statistics, uids.STATISTIC_PREFIX)
            if statistics.get_or_none(statistics.uid == uid) is not None:
                raise FieldError.of(say.UID_TAKEN, "uid", uid=uid)
            now = self.ctx.clock.now()
            operator = self.ctx.operator(inp.operator)
            stat = statistics.create(uid=uid, name=inp.name, alias=inp.alias or inp.name,
                                     unit=inp.unit, description=inp.description,
                                     organization_id=inp.organization_id, created=now,
                                     created_by=operator, last_modified=now,
                                     last_modified_by=operator)
            self.ctx.record("create_v2_statistics", history.STATISTIC, uid, None,
                            history.model_values(stat), operator=operator)
            self.ctx.changed(events.STATISTIC, uid)
        return {"name": inp.name, "uid": uid}

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        inp = rules.statistic_input({**data, "uid": ""})
        with self.ctx.write():
            stat = self._get(uid)
            before, operator = history.model_values(stat), self.ctx.operator(inp.operator)
            stat.name, stat.alias, stat.unit = inp.name, inp.alias, inp.unit
            stat.description, stat.organization_id = inp.description, inp.organization_id
            stat.last_modified, stat.last_modified_by = self.ctx.clock.now(), operator
            stat.save()
            self.ctx.record("update_v2_statistics", history.STATISTIC, uid, before,
                            history.model_values(stat), operator=operator)
            self.ctx.changed(events.STATISTIC, uid)
        return {"name": stat.name, "uid": uid}

    def delete(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        operator = self.ctx.operator(rules.read_audit(data)[1])
        with self.ctx.write():
            stat = self._get(uid)
            project, reading = self.ctx.store.Project, self.ctx.store.Reading
            users = [p.uid for p in project.select(project.uid)
                     .where(project.statistics_id == uid).limit(5)]
            if users:
                raise StateError.of(say.STATISTIC_IN_USE, "uid", uid=uid,
                                    projects=", ".join(users))
            self.ctx.record("delete_v2_statistics", history.STATISTIC, uid,
                            history.model_values(stat), None,
                            operator=operator)
            reading.delete().where(reading.statistics_id == uid).execute()
            stat.delete_instance()
            self.ctx.changed(events.STATISTIC, uid)
        return {"uid": uid}

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        statistics = self.ctx.store.Statistic
        with self.ctx.read():
            row = statistics.select().where(statistics.uid == uid).dicts().first()
        if row is None:
            raise NotFoundError.of(say.STATISTIC_NOT_FOUND, "uid", uid=uid)
        return wire.statistic(row)

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        statistics = self.ctx.store.Statistic
        return wire.list_page(self.ctx, statistics.select(),
                              queries.statistic_fields(self.ctx.store), data, wire.statistic,
                              id_column=statistics.id)

    def add_value(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``add_v2_statistics_value``: a cumulative reading, never below an earlier one.

        Running statistic-cycle tasks on this meter are re-forecast; a reading at or past a
        task's ``due_value`` makes it due at that moment.
        """
        uid = rules.read_uid(data, "statistics_id")
        value = rules.read_number(data, "value")
        with self.ctx.write():
            self._get(uid, field="statistics_id")
            now = self.ctx.clock.now()
            moment = rules.read_time(data, "time") or now
            rules.check_reading_time(moment, now)
            self._check_monotonic(uid, moment, value)
            self.ctx.store.Reading.create(statistics_id=uid, time=moment, value=value,
                                          created=now)
            # One row for the reading; the re-forecast due moments it moves are derived.
            self.ctx.record("add_v2_statistics_value", history.STATISTIC, uid, {},
                            {"time": format_wire(moment), "value": wire.number(value)},
                            operator=self.ctx.operator())
            changed = self._reforecast(uid)
            self.ctx.changed(events.READING, uid)
            if changed:
                self.ctx.changed(events.TASK, *changed)
        return {"statistics_id": uid, "time": format_wire(moment),
                "value": wire.number(value)}

    def value_list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``get_v2_statistics_value_list``: one meter's readings when ``statistics_id`` is
        given at the top level (as ``add_v2_statistics_value`` takes it), else all, filtered
        by ``where_*`` like any list."""
        statistics_id = rules.read_text(data, "statistics_id", strip=True, max_len=64)
        reading = self.ctx.store.Reading
        extra = (reading.statistics_id == statistics_id,) if statistics_id else ()
        return wire.list_page(self.ctx, reading.select(), queries.reading_fields(self.ctx.store),
                              data, wire.reading, id_column=reading.id, order_default="-time",
                              extra=extra)

    def import_readings(self, rows: Sequence[Row], *, commit: bool = True,
                        keep_good: bool = False, progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None) -> ImportOutcome:
        """``add_value`` for each row, in one transaction (``services.imports``).

        The rows go in per statistic in time order, so the non-decreasing rule blames the row
        that breaks the sequence, not whichever came first in the file.
        """
        now = self.ctx.clock.now()

        def key(row: Row) -> tuple[str, int, int]:
            number, record = row
            try:
                moment = rules.read_time(record, "time") or now
            except DomainError:
                moment = now  # refused when this row is applied
            return (str(record.get("statistics_id") or "").strip(), moment, number)

        return apply_rows(self.ctx, sorted(rows, key=key), self.add_value, ImportOutcome(),
                          commit=commit, keep_good=keep_good, progress=progress,
                          cancelled=cancelled)

    def _check_monotonic(self, uid: str, moment: int, value: float) -> None:
        reading = self.ctx.store.Reading
        before = (reading.select(reading.value).where((reading.statistics_id == uid)
                                                      & (reading.time <= moment))
                  .order_by(reading.time.desc(), reading.id.desc()).limit(1).scalar())
        if before is not None and value < before:
            raise FieldError.of(say.READING_BELOW_EARLIER, "value", before=wire.number(before))
        after = (reading.select(reading.value).where((reading.statistics_id == uid)
                                                     & (reading.time > moment))
                 .order_by(reading.time, reading.id).limit(1).scalar())
        if after is not None and value > after:
            raise FieldError.of(say.READING_ABOVE_LATER, "value", after=wire.number(after))

    def _reforecast(self, uid: str) -> list[str]:
        store = self.ctx.store
        projects, tasks = store.Project, store.Task
        changed = []
        for project in projects.select().where(
                (projects.statistics_id == uid)
                & projects.cycle_type.in_([cycles.STATISTIC, cycles.FIRST])):
            rule = cycle_ops.rule_of(project)
            for task in tasks.select().where((tasks.project_id == project.uid)
                                             & tasks.cycle_start.is_null(False)):
                cycle = cycle_ops.cycle_of(task)
                if cycle is None:
                    continue
                placed = cycle_ops.place_statistic(store, rule, project, cycle)
                if ((placed.due_at, placed.notice_at, placed.value_due_at)
                        != (task.due_at, task.notice_at, task.due_value_at)):
                    cycle_ops.store_cycle(task, placed)
                    task.save()
                    changed.append(task.uid)
        return changed

    def _get(self, uid: str, field: str = "uid") -> Statistic:
        statistics = self.ctx.store.Statistic
        stat = statistics.get_or_none(statistics.uid == uid)
        if stat is None:
            raise NotFoundError.of(say.STATISTIC_NOT_FOUND, field, uid=uid)
        return stat


class HandlerService:
    """People who do maintenance; registered from handles, or added in the GUI."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        handlers = self.ctx.store.Handler
        return wire.list_page(self.ctx, handlers.select(), queries.handler_fields(self.ctx.store),
                              data, wire.handler, id_column=handlers.id, order_default="id")

    def names(self) -> list[tuple[int, str]]:
        """``(id, name)`` of every person, by name: for pickers."""
        return handler_names(self.ctx)

    def operator(self, name: str, *, register: bool = False) -> Actor:
        """The window's operator called ``name``: the person of that name (the first, by
        id), registered first when ``register`` (the user chose or typed it in Settings);
        otherwise someone not (yet) among the people, id 0, shown by name."""
        name = name.strip()
        handlers = self.ctx.store.Handler
        if name:
            with self.ctx.read():
                found = (handlers.select().where(handlers.name == name)
                         .order_by(handlers.id).first())
            if found is not None:
                return Actor(WINDOW, found.id, found.name)
            if register:
                created = self.create({"name": name})
                return Actor(WINDOW, created["id"], created["name"])
        return Actor(WINDOW, 0, name)

    def create(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Add a person by name (extension); the id is the next free one unless given."""
        name = rules.read_text(data, "name", required=True, max_len=200, strip=True)
        handlers = self.ctx.store.Handler
        with self.ctx.write():
            given = data.get("id")
            if given not in (None, ""):
                handler_id = rules.read_int(data, "id", minimum=0)
                if handlers.get_or_none(handlers.id == handler_id) is not None:
                    raise FieldError.of(say.HANDLER_ID_TAKEN, "id", handler_id=handler_id)
            else:
                handler_id = (handlers.select(handlers.id).order_by(handlers.id.desc())
                              .limit(1).scalar() or 0) + 1
            handlers.create(id=handler_id, name=name, created=self.ctx.clock.now())
            self.ctx.record("create_v2_handler", history.HANDLER, str(handler_id), None,
                            {"id": handler_id, "name": name}, operator=self.ctx.operator())
            self.ctx.changed(events.HANDLER, str(handler_id))
        return {"id": handler_id, "name": name}
