"""The catalogues (spec §7): objects, statistics with their readings, and handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mixtimer_gui.domain import cycles, rules, uids
from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.clock import format_wire
from mixtimer_gui.domain.errors import FieldError, NotFoundError, StateError
from mixtimer_gui.services import cycle_ops, events, wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import queries
from mixtimer_gui.store.models import (
    Handler,
    MaintenanceObject,
    Project,
    ProjectObject,
    Reading,
    Statistic,
    Task,
)


def _new_uid(model: Any, prefix: str) -> str:
    while True:
        uid = uids.format_uid(prefix, queries.next_sequence(prefix))
        if model.get_or_none(model.uid == uid) is None:
            return uid


class ObjectService:
    """Maintenance objects (equipment)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(self, data: Mapping[str, Any]) -> dict[str, str]:
        inp = rules.object_input(data)
        with self.ctx.write():
            uid = inp.uid or _new_uid(MaintenanceObject, uids.OBJECT_PREFIX)
            if MaintenanceObject.get_or_none(MaintenanceObject.uid == uid) is not None:
                raise FieldError.of(say.UID_TAKEN, "uid", uid=uid)
            now = self.ctx.clock.now()
            MaintenanceObject.create(uid=uid, name=inp.name, alias=inp.alias or inp.name,
                                     description=inp.description, location=inp.location,
                                     organization_id=inp.organization_id, created=now,
                                     created_by=inp.operator, last_modified=now,
                                     last_modified_by=inp.operator)
            self.ctx.changed(events.OBJECT, uid)
        return {"name": inp.name, "uid": uid}

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        inp = rules.object_input({**data, "uid": ""})
        with self.ctx.write():
            obj = self._get(uid)
            obj.name, obj.alias, obj.description = inp.name, inp.alias, inp.description
            obj.location, obj.organization_id = inp.location, inp.organization_id
            obj.last_modified, obj.last_modified_by = self.ctx.clock.now(), inp.operator
            obj.save()
            self.ctx.changed(events.OBJECT, uid)
            tasks = [t.uid for t in Task.select(Task.uid).where(Task.object_id == uid)]
            if tasks:
                self.ctx.changed(events.TASK, *tasks)
        return {"name": obj.name, "uid": uid}

    def delete(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        with self.ctx.write():
            obj = self._get(uid)
            users = [p.project_id for p in ProjectObject.select(ProjectObject.project_id)
                     .where(ProjectObject.object_id == uid).limit(5)]
            if users:
                raise StateError.of(say.OBJECT_IN_USE, "uid", uid=uid, projects=", ".join(users))
            obj.delete_instance()
            self.ctx.changed(events.OBJECT, uid)
        return {"uid": uid}

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        with self.ctx.read():
            row = MaintenanceObject.select().where(MaintenanceObject.uid == uid).dicts().first()
        if row is None:
            raise NotFoundError.of(say.OBJECT_NOT_FOUND, "uid", uid=uid)
        return wire.maintenance_object(row)

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return wire.list_page(self.ctx, MaintenanceObject.select(), queries.OBJECT_FIELDS, data,
                              wire.maintenance_object, id_column=MaintenanceObject.id)

    def names(self) -> list[tuple[str, str]]:
        """``(uid, name)`` of every object, by name: for pickers."""
        from mixtimer_gui.services.names import object_names

        return object_names(self.ctx)

    @staticmethod
    def _get(uid: str) -> MaintenanceObject:
        obj = MaintenanceObject.get_or_none(MaintenanceObject.uid == uid)
        if obj is None:
            raise NotFoundError.of(say.OBJECT_NOT_FOUND, "uid", uid=uid)
        return obj


class StatisticService:
    """Statistics (meters) and their cumulative readings."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(self, data: Mapping[str, Any]) -> dict[str, str]:
        inp = rules.statistic_input(data)
        with self.ctx.write():
            uid = inp.uid or _new_uid(Statistic, uids.STATISTIC_PREFIX)
            if Statistic.get_or_none(Statistic.uid == uid) is not None:
                raise FieldError.of(say.UID_TAKEN, "uid", uid=uid)
            now = self.ctx.clock.now()
            Statistic.create(uid=uid, name=inp.name, alias=inp.alias or inp.name, unit=inp.unit,
                             description=inp.description, organization_id=inp.organization_id,
                             created=now, created_by=inp.operator, last_modified=now,
                             last_modified_by=inp.operator)
            self.ctx.changed(events.STATISTIC, uid)
        return {"name": inp.name, "uid": uid}

    def update(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        inp = rules.statistic_input({**data, "uid": ""})
        with self.ctx.write():
            stat = self._get(uid)
            stat.name, stat.alias, stat.unit = inp.name, inp.alias, inp.unit
            stat.description, stat.organization_id = inp.description, inp.organization_id
            stat.last_modified, stat.last_modified_by = self.ctx.clock.now(), inp.operator
            stat.save()
            self.ctx.changed(events.STATISTIC, uid)
        return {"name": stat.name, "uid": uid}

    def delete(self, data: Mapping[str, Any]) -> dict[str, str]:
        uid = rules.read_uid(data)
        with self.ctx.write():
            stat = self._get(uid)
            users = [p.uid for p in Project.select(Project.uid)
                     .where(Project.statistics_id == uid).limit(5)]
            if users:
                raise StateError.of(say.STATISTIC_IN_USE, "uid", uid=uid,
                                    projects=", ".join(users))
            Reading.delete().where(Reading.statistics_id == uid).execute()
            stat.delete_instance()
            self.ctx.changed(events.STATISTIC, uid)
        return {"uid": uid}

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        with self.ctx.read():
            row = Statistic.select().where(Statistic.uid == uid).dicts().first()
        if row is None:
            raise NotFoundError.of(say.STATISTIC_NOT_FOUND, "uid", uid=uid)
        return wire.statistic(row)

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return wire.list_page(self.ctx, Statistic.select(), queries.STATISTIC_FIELDS, data,
                              wire.statistic, id_column=Statistic.id)

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
            Reading.create(statistics_id=uid, time=moment, value=value, created=now)
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
        extra = (Reading.statistics_id == statistics_id,) if statistics_id else ()
        return wire.list_page(self.ctx, Reading.select(), queries.READING_FIELDS, data,
                              wire.reading, id_column=Reading.id, order_default="-time",
                              extra=extra)

    @staticmethod
    def _check_monotonic(uid: str, moment: int, value: float) -> None:
        before = (Reading.select(Reading.value).where((Reading.statistics_id == uid)
                                                      & (Reading.time <= moment))
                  .order_by(Reading.time.desc(), Reading.id.desc()).limit(1).scalar())
        if before is not None and value < before:
            raise FieldError.of(say.READING_BELOW_EARLIER, "value", before=wire.number(before))
        after = (Reading.select(Reading.value).where((Reading.statistics_id == uid)
                                                     & (Reading.time > moment))
                 .order_by(Reading.time, Reading.id).limit(1).scalar())
        if after is not None and value > after:
            raise FieldError.of(say.READING_ABOVE_LATER, "value", after=wire.number(after))

    @staticmethod
    def _reforecast(uid: str) -> list[str]:
        changed = []
        for project in Project.select().where((Project.statistics_id == uid)
                                              & (Project.cycle_type == cycles.STATISTIC)):
            rule = cycle_ops.rule_of(project)
            for task in Task.select().where((Task.project_id == project.uid)
                                            & Task.cycle_start.is_null(False)):
                cycle = cycle_ops.cycle_of(task)
                if cycle is None:
                    continue
                placed = cycle_ops.place_statistic(rule, project, cycle)
                if (placed.due_at, placed.notice_at) != (task.due_at, task.notice_at):
                    cycle_ops.store_cycle(task, placed)
                    task.save()
                    changed.append(task.uid)
        return changed

    @staticmethod
    def _get(uid: str, field: str = "uid") -> Statistic:
        stat = Statistic.get_or_none(Statistic.uid == uid)
        if stat is None:
            raise NotFoundError.of(say.STATISTIC_NOT_FOUND, field, uid=uid)
        return stat


class HandlerService:
    """People who do maintenance; registered from handles, or added in the GUI."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return wire.list_page(self.ctx, Handler.select(), queries.HANDLER_FIELDS, data,
                              wire.handler, id_column=Handler.id, order_default="id")

    def names(self) -> list[tuple[int, str]]:
        """``(id, name)`` of every person, by name: for pickers."""
        from mixtimer_gui.services.names import handler_names

        return handler_names(self.ctx)

    def create(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Add a person by name (extension); the id is the next free one unless given."""
        name = rules.read_text(data, "name", required=True, max_len=200, strip=True)
        with self.ctx.write():
            given = data.get("id")
            if given not in (None, ""):
                handler_id = rules.read_int(data, "id", minimum=0)
                if Handler.get_or_none(Handler.id == handler_id) is not None:
                    raise FieldError.of(say.HANDLER_ID_TAKEN, "id", handler_id=handler_id)
            else:
                handler_id = (Handler.select(Handler.id).order_by(Handler.id.desc())
                              .limit(1).scalar() or 0) + 1
            Handler.create(id=handler_id, name=name, created=self.ctx.clock.now())
            self.ctx.changed(events.HANDLER, str(handler_id))
        return {"id": handler_id, "name": name}
