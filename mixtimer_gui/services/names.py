"""Names for pickers: (id, name) pairs of projects, objects and people, ordered by name.

Filter combos need only these two columns; the list methods also load every project's
object list and audit fields (0.06 s per call at 60 projects and 10,000 project objects,
called by four tabs at start).
"""

from __future__ import annotations

from typing import Any

from mixtimer_gui.services.context import ServiceContext


def _pairs(ctx: ServiceContext, key: Any, name: Any) -> list[tuple[Any, str]]:
    # The cursor directly: Peewee's row wrapping cost 5 µs a row (30 ms for 6,100 objects).
    query = key.model.select(key, name).order_by(name, key)
    sql, params = query.sql()
    with ctx.read():
        rows = ctx.db.execute_sql(sql, params).fetchall()
    return [(k, n or "") for k, n in rows]


def project_names(ctx: ServiceContext) -> list[tuple[str, str]]:
    """``(uid, name)`` of every project."""
    project = ctx.store.Project
    return _pairs(ctx, project.uid, project.name)


def object_names(ctx: ServiceContext) -> list[tuple[str, str]]:
    """``(uid, name)`` of every maintenance object."""
    obj = ctx.store.MaintenanceObject
    return _pairs(ctx, obj.uid, obj.name)


def handler_names(ctx: ServiceContext) -> list[tuple[int, str]]:
    """``(id, name)`` of every person."""
    handler = ctx.store.Handler
    return _pairs(ctx, handler.id, handler.name)
