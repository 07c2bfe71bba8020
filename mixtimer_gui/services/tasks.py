"""Maintenance tasks (spec §4): read-only through the API; created by their project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain import rules
from mixtimer_gui.domain.errors import NotFoundError
from mixtimer_gui.services import wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import queries


class TaskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        uid = rules.read_uid(data)
        store = self.ctx.store
        with self.ctx.read():
            row = (queries.task_select(store, self.ctx.clock.now())
                   .where(store.Task.uid == uid).dicts().first())
        if row is None:
            raise NotFoundError.of(say.TASK_NOT_FOUND, "uid", uid=uid)
        return wire.task(row)

    def list(self, data: Mapping[str, Any], *, count: bool = True) -> dict[str, Any]:
        """``get_v2_task_list``; default order ``-created`` like every list (spec §6)."""
        now = self.ctx.clock.now()
        store = self.ctx.store
        return wire.list_page(self.ctx, queries.task_select(store, now),
                              queries.task_fields(store, now), data, wire.task,
                              id_column=store.Task.id, count=count)
