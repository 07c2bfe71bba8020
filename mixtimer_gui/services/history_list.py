"""``get_v2_history_list`` (spec §8): the history as a page, standard filters, newest
first. What the rows hold and how they are written: ``services.history``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mixtimer_gui.services import wire
from mixtimer_gui.services.context import ServiceContext
from mixtimer_gui.store import queries


class HistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, data: Mapping[str, Any]) -> dict[str, Any]:
        rows = self.ctx.store.History
        return wire.list_page(self.ctx, rows.select(), queries.history_fields(self.ctx.store),
                              data, wire.history_row, id_column=rows.id,
                              order_default="-time", cache_as="history")
