"""The handle export's rows on both engines — issue 16: "the export streams with a
server-side cursor". The same rows in the same order, in batches, and as UTF-8 bytes when
asked, whether the database is a SQLite file or a PostgreSQL server.

Code: services/export_source.py, store/queries.py (stream, utf8_bytes).
"""

from __future__ import annotations

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.services.export_source import EXPORT_COLUMNS, HandleExportSource

HANDLES = 7


@pytest.fixture
def handled(services: Services, fake_clock: FakeClock) -> list[str]:
    services.projects.create({"uid": "P", "name": "润滑 «A»", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "日", "object_id_list": ["pump-1"]})
    services.projects.start({"uid": "P"})
    task = services.tasks.list({})["data"][0]["uid"]
    uids = []
    for i in range(HANDLES):
        fake_clock.advance(hours=1)
        uids.append(services.handles.handle({
            "task_id": task, "uid": f"h{i}", "result": f"第{i}次 ✓", "fee": i / 4,
            "handler_id_list": [i], "handler_name_list": [f"张{i}"]})["uid"])
    return uids


def test_batches_hold_every_row_oldest_first(services: Services, handled: list[str]) -> None:
    source = HandleExportSource(services.ctx)
    assert source.count() == HANDLES
    batches = list(source.batches(size=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    rows = [row for batch in batches for row in batch]
    uid = EXPORT_COLUMNS.index("uid")
    assert [r[uid] for r in rows] == handled


def test_text_comes_as_its_utf8_bytes_when_asked(services: Services,
                                                 handled: list[str]) -> None:
    plain = [row for batch in HandleExportSource(services.ctx).batches() for row in batch]
    raw = [row for batch in HandleExportSource(services.ctx, text_as_bytes=True).batches()
           for row in batch]
    result = EXPORT_COLUMNS.index("result")
    fee = EXPORT_COLUMNS.index("fee")
    assert [bytes(r[result]) for r in raw] == [r[result].encode() for r in plain]
    assert [r[fee] for r in raw] == [r[fee] for r in plain] == [i / 4 for i in range(HANDLES)]


def test_a_filtered_export_stops_early_and_leaves_no_transaction(services: Services,
                                                                 handled: list[str]) -> None:
    source = HandleExportSource(services.ctx, {"where_and": [["fee", ">=", 1]]})
    batches = source.batches(size=2)
    assert len(next(batches)) == 2
    if services.location.is_server:  # the rest waits on the server, not in this process
        assert services.db.execute_sql("SELECT count(*) FROM pg_cursors").fetchone() == (1,)
    batches.close()  # a cancelled export
    assert not services.ctx.store.in_transaction()
    assert source.count() == HANDLES - 4
