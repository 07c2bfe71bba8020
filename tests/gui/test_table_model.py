"""The paged table model: lazy pages, SQL ordering, filters, errors, live refresh."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.gui.background import own_connection
from mixtimer_gui.gui.table_model import RECORD_ROLE, Column, PagedTableModel
from mixtimer_gui.services import Services

ROWS = 5_000


class FakeHandles:
    """A stand-in for ``services.handles.list`` over 5,000 rows that records each call."""

    def __init__(self, count: int = ROWS) -> None:
        self.rows = [{"uid": f"MTH{i:013d}", "fee": i % 97, "object_name": f"泵{i}"}
                     for i in range(count)]
        self.calls: list[dict[str, Any]] = []

    def list(self, params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
        self.calls.append({**params, "count": count})
        order = params.get("order_by") or "-uid"
        field = order.lstrip("-")
        if field not in ("uid", "fee"):
            raise FieldError(f"order_by 的字段 '{field}' 不能排序", "order_by")
        rows = [r for r in self.rows if self._matches(r, params.get("where_and") or [])]
        rows.sort(key=lambda r: (r[field], r["uid"]), reverse=order.startswith("-"))
        size, index = params["page_size"], params["page_index"]
        return {"page_index": index, "page_size": size,
                "total_pages": -(-len(rows) // size),
                "total_records": len(rows) if count else -1,
                "data": rows[(index - 1) * size: index * size]}

    @staticmethod
    def _matches(row: dict[str, Any], where_and: list) -> bool:
        return all(row[f] == v for f, _op, v in where_and)


COLUMNS = [Column("uid", "编号"), Column("fee", "费用", align_right=True),
           Column("object_name", "对象", sort_field="")]


@pytest.fixture
def fake() -> FakeHandles:
    return FakeHandles()


@pytest.fixture
def model(fake: FakeHandles, qapp: object) -> PagedTableModel:
    m = PagedTableModel(fake.list, COLUMNS, page_size=100)
    m.refresh()
    return m


def test_row_count_is_the_total_but_only_the_first_page_is_loaded(
        model: PagedTableModel, fake: FakeHandles) -> None:
    assert model.rowCount() == ROWS
    assert model.loaded_pages() == [0]
    assert len(fake.calls) == 1 and fake.calls[0]["count"] is True


def test_reading_a_far_row_loads_only_its_page_without_recounting(
        model: PagedTableModel, fake: FakeHandles) -> None:
    text = model.data(model.index(4_321, 0))
    assert text == fake.list({"page_index": 1, "page_size": ROWS, "order_by": "-uid"})[
        "data"][4_321]["uid"]
    assert model.loaded_pages() == [0, 43]
    assert fake.calls[1]["page_index"] == 44 and fake.calls[1]["count"] is False


def test_scrolling_everything_keeps_memory_to_a_few_pages(model: PagedTableModel) -> None:
    for row in range(0, ROWS, 50):
        model.data(model.index(row, 0))
    assert len(model.loaded_pages()) <= PagedTableModel.MAX_CACHED_PAGES
    assert model.fetch_calls == ROWS // 100  # each page fetched once while scrolling down


def test_sort_requeries_with_order_by(model: PagedTableModel, fake: FakeHandles) -> None:
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert fake.calls[-1]["order_by"] == "fee"
    assert model.data(model.index(0, 1)) == "0"
    assert model.order_by() == "fee"
    assert model.column_of_order() == (1, Qt.SortOrder.AscendingOrder)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert fake.calls[-1]["order_by"] == "-fee"
    assert model.data(model.index(0, 1)) == "96"


def test_an_unsortable_column_does_not_query(model: PagedTableModel,
                                             fake: FakeHandles) -> None:
    calls = len(fake.calls)
    model.sort(2)
    assert len(fake.calls) == calls


def test_an_order_the_service_refuses_keeps_the_previous_one(
        qapp: object, fake: FakeHandles) -> None:
    m = PagedTableModel(fake.list, [Column("object_name", "对象")], page_size=100)
    m.set_order("fee")
    m.sort(0)  # object_name is not orderable in the fake service
    assert m.order_by() == "fee"
    assert m.rowCount() == ROWS


def test_filter_changes_the_rows_and_is_reported(model: PagedTableModel, qtbot: Any) -> None:
    with qtbot.waitSignal(model.loaded) as blocker:
        model.set_filter(where_and=[["fee", "=", 3]])
    assert blocker.args == [model.rowCount()]
    assert 0 < model.rowCount() < ROWS
    assert all(model.record(r)["fee"] == 3 for r in range(model.rowCount()))
    assert model.filter_params() == {"where_and": [["fee", "=", 3]], "where_or": [],
                                      "where_in": [], "order_by": ""}


def test_a_refused_filter_empties_the_model_and_says_why(qapp: object, qtbot: Any) -> None:
    def refuse(params: dict[str, Any]) -> dict[str, Any]:
        raise FieldError("where_and 中的字段 'nope' 不存在", "where_and")

    m = PagedTableModel(refuse, COLUMNS)
    with qtbot.waitSignal(m.error) as blocker:
        m.set_filter(where_and=[["nope", "=", 1]])
    assert "nope" in blocker.args[0]
    assert m.rowCount() == 0


def test_refresh_keeps_rows_in_place_and_grows(model: PagedTableModel, fake: FakeHandles,
                                               qtbot: Any) -> None:
    model.data(model.index(2_000, 0))
    fake.rows.append({"uid": "MTH9999999999999", "fee": 1, "object_name": "新"})
    with qtbot.waitSignal(model.rowsInserted):
        model.refresh()
    assert model.rowCount() == ROWS + 1
    assert model.loaded_pages() == [0]  # stale pages are dropped
    assert model.record(0)["uid"] == "MTH9999999999999"
    assert model.row_of_uid("MTH9999999999999") == 0
    assert model.row_of_uid("not there") is None


def test_refresh_shrinks(model: PagedTableModel, fake: FakeHandles, qtbot: Any) -> None:
    del fake.rows[:10]
    with qtbot.waitSignal(model.rowsRemoved):
        model.refresh()
    assert model.rowCount() == ROWS - 10


def test_roles_and_headers(model: PagedTableModel) -> None:
    index = model.index(0, 1)
    assert model.data(index, RECORD_ROLE)["uid"] == model.record(0)["uid"]
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    assert model.headerData(9, Qt.Orientation.Horizontal) is None
    assert model.record(ROWS) is None and model.record(-1) is None


def test_over_real_handles_service(services: Services, qapp: object) -> None:
    """The model drives a real services list method: paging, count=False, SQL order."""
    services.objects.create({"uid": "OBJ1", "name": "泵一"})
    project = services.projects.create({
        "name": "巡检", "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "日",
        "notice_num": 0, "notice_unit": "日", "object_id_list": ["OBJ1"]})
    services.projects.start({"uid": project["uid"]})
    task = services.tasks.list({"page_size": 1})["data"][0]
    for fee in (30, 10, 20):
        services.handles.handle({"task_id": task["uid"], "fee": fee})
    m = PagedTableModel(services.handles.list, [Column("fee", "费用"), Column("uid", "编号")],
                        page_size=2)
    m.set_order("fee")
    assert m.rowCount() == 3
    assert [m.data(m.index(r, 0)) for r in range(3)] == ["10", "20", "30"]
    assert m.loaded_pages() == [0, 1]


def test_paging_over_5000_real_handles(tmp_path: Any, fake_clock: Any, qapp: object) -> None:
    """Over the real handles service: only shown pages load; sort re-queries in SQL."""
    from mixtimer_gui.demo.loader import generate

    db = tmp_path / "demo.db"
    generate(db, objects=20, projects=6, handles=5000, seed=3, now=fake_clock.now())
    services = Services.open(db, clock=fake_clock)
    try:
        calls: list[dict[str, Any]] = []

        def fetch(params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
            calls.append({**params, "count": count})
            return services.handles.list(params, count=count)

        m = PagedTableModel(fetch, [Column("created", "时间"), Column("fee", "费用")],
                            page_size=200)
        m.refresh()
        total = m.rowCount()
        assert total >= 5000
        assert m.loaded_pages() == [0] and len(calls) == 1
        last = m.data(m.index(total - 1, 0))
        assert last and m.loaded_pages() == [0, (total - 1) // 200]
        assert calls[-1]["count"] is False  # paging does not re-count
        m.sort(1, Qt.SortOrder.DescendingOrder)
        assert calls[-1]["order_by"] == "-fee" and calls[-1]["page_index"] == 1
        fees = [m.record(r)["fee"] for r in range(200)]
        assert fees == sorted(fees, reverse=True)
        assert m.loaded_pages() == [0]
    finally:
        services.close()


# -- the first page before the total (count on a worker thread) ----------------------------


class FakeConnection:
    def __init__(self) -> None:
        self.interrupted = 0

    def interrupt(self) -> None:
        self.interrupted += 1


class FakeDatabase:
    """Stands in for the services' database: a connection per ``connection_context``."""

    def __init__(self) -> None:
        self.opened = self.closed = 0
        self.conn = FakeConnection()

    @contextlib.contextmanager
    def connection_context(self) -> Iterator[None]:
        self.opened += 1
        try:
            yield
        finally:
            self.closed += 1

    def connection(self) -> FakeConnection:
        return self.conn

    @contextlib.contextmanager
    def thread_connection(self) -> Iterator[Any]:
        """As ``ServiceContext.thread_connection``: open, yield the interrupt, close."""
        with self.connection_context():
            yield self.conn.interrupt


class GatedHandles(FakeHandles):
    """Counts wait for ``gate`` (so a test can change the filter while one runs); the
    worker thread's calls are recorded with the thread that made them."""

    def __init__(self, count: int = ROWS) -> None:
        super().__init__(count)
        self.gate = threading.Event()
        self.gate.set()
        self.count_threads: list[str] = []

    def list(self, params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
        if count:
            self.count_threads.append(threading.current_thread().name)
            assert self.gate.wait(10)
        return super().list(params, count=count)


@pytest.fixture
def gated() -> GatedHandles:
    return GatedHandles()


def deferred(fetch: Any, db: FakeDatabase | None = None) -> PagedTableModel:
    return PagedTableModel(fetch, COLUMNS, page_size=10,
                           count_connection=(db or FakeDatabase()).thread_connection)


def test_first_page_shows_before_the_count_which_then_grows_the_rows(
        gated: GatedHandles, qtbot: Any) -> None:
    db = FakeDatabase()
    m = deferred(gated.list, db)
    gated.gate.clear()
    with qtbot.waitSignal(m.counting):
        m.set_filter(where_and=[["fee", "=", 3]])
    first = gated.calls[0]
    assert first["count"] is False and first["page_size"] == 11  # one more: is there more?
    assert m.rowCount() == 11 and not m.total_known  # 10 loaded + "a further row exists"
    assert m.record(0)["fee"] == 3
    with qtbot.waitSignal(m.loaded) as blocker:
        gated.gate.set()
    expected = sum(1 for r in gated.rows if r["fee"] == 3)
    assert blocker.args == [expected] and m.rowCount() == expected and m.total_known
    assert gated.count_threads == ["mixtimer-table-count"]  # counted off the GUI thread
    assert m.wait_for_count() and db.opened == db.closed == 1  # its connection is closed


def test_a_count_for_an_older_filter_is_ignored_and_interrupted(
        gated: GatedHandles, qtbot: Any) -> None:
    db = FakeDatabase()
    m = deferred(gated.list, db)
    gated.gate.clear()
    m.set_filter(where_and=[["fee", "=", 3]])
    qtbot.waitUntil(lambda: len(gated.count_threads) == 1)
    counts: list[int] = []
    m.loaded.connect(counts.append)
    m.set_filter(where_and=[["fee", "=", 5]])  # while the fee 3 count is still running
    assert db.conn.interrupted == 1
    gated.gate.set()
    qtbot.waitUntil(lambda: m.total_known)
    expected = sum(1 for r in gated.rows if r["fee"] == 5)
    assert counts == [expected]  # the fee 3 total never reached the view
    assert m.rowCount() == expected and all(m.record(r)["fee"] == 5 for r in (0, expected - 1))
    assert len(gated.count_threads) == 2  # one at a time: the second began after the first


def test_a_count_that_comes_after_a_small_filter_is_ignored(
        gated: GatedHandles, qtbot: Any) -> None:
    db = FakeDatabase()
    m = deferred(gated.list, db)
    gated.gate.clear()
    m.set_filter(where_and=[["fee", "=", 3]])
    qtbot.waitUntil(lambda: len(gated.count_threads) == 1)
    m.set_filter(where_and=[["uid", "=", "MTH0000000000007"]])  # one row: counted at once
    assert m.total_known and m.rowCount() == 1
    assert db.conn.interrupted == 1  # the stale count need not run on
    gated.gate.set()
    assert m.wait_for_count()
    qtbot.wait(20)  # let the stale result arrive
    assert m.rowCount() == 1 and len(gated.count_threads) == 1


# -- a first page in the background (a text search) ----------------------------------------


class SlowPages(FakeHandles):
    """First pages (count=False, page 1) wait for ``gate``; the threads are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.page_threads: list[str] = []

    def list(self, params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
        if not count and params["page_index"] == 1 and params.get("where_and"):
            self.page_threads.append(threading.current_thread().name)
            assert self.gate.wait(10)
        return super().list(params, count=count)


def test_a_background_search_leaves_the_rows_until_its_page_arrives(qtbot: Any) -> None:
    slow = SlowPages()
    db = FakeDatabase()
    m = deferred(slow.list, db)
    m.refresh()
    before = m.record(0)
    with qtbot.waitSignal(m.searching):
        m.set_filter(where_and=[["fee", "=", 3]], background=True)
    # set_filter came back at once: the old rows stand while the worker searches
    assert m.searching_in_background and m.record(0) == before
    with qtbot.waitSignal(m.counting, timeout=5000):
        slow.gate.set()
    assert slow.page_threads == ["mixtimer-table-search"]
    assert m.record(0)["fee"] == 3 and not m.searching_in_background
    qtbot.waitUntil(lambda: m.total_known, timeout=5000)
    assert m.rowCount() == sum(1 for r in slow.rows if r["fee"] == 3)
    assert m.wait_for_search() and m.wait_for_count()


def test_a_newer_filter_interrupts_a_search_and_wins(qtbot: Any) -> None:
    slow = SlowPages()
    db = FakeDatabase()
    m = deferred(slow.list, db)
    m.refresh()
    qtbot.waitUntil(lambda: m.total_known)  # its count is not the statement interrupted here
    m.set_filter(where_and=[["fee", "=", 3]], background=True)
    qtbot.waitUntil(lambda: len(slow.page_threads) == 1)
    m.set_filter(where_and=[["fee", "=", 5]], background=True)  # the fee 3 search is stale
    assert db.conn.interrupted == 1
    slow.gate.set()
    qtbot.waitUntil(lambda: m.total_known and not m.searching_in_background, timeout=5000)
    assert len(slow.page_threads) == 2  # one at a time: the second began after the first
    expected = sum(1 for r in slow.rows if r["fee"] == 5)
    assert m.rowCount() == expected and m.record(0)["fee"] == 5
    slow.gate.clear()
    m.set_filter(where_and=[["fee", "=", 7]], background=True)
    qtbot.waitUntil(lambda: len(slow.page_threads) == 3)
    m.set_filter(where_and=[])  # an immediate filter while a search runs: it wins too
    assert db.conn.interrupted == 2
    slow.gate.set()
    assert m.wait_for_search()
    qtbot.waitUntil(lambda: m.total_known, timeout=5000)
    qtbot.wait(20)  # the stale page has had every chance to arrive
    assert m.rowCount() == len(slow.rows)
    assert m.record(0)["uid"] == max(r["uid"] for r in slow.rows)


def test_a_live_refresh_of_a_search_runs_on_the_worker_and_keeps_positions(
        qtbot: Any) -> None:
    slow = SlowPages()
    slow.gate.set()
    m = deferred(slow.list)
    m.set_filter(where_and=[["fee", "=", 3]], background=True)
    qtbot.waitUntil(lambda: m.total_known and not m.searching_in_background, timeout=5000)
    rows = m.rowCount()
    resets: list[int] = []
    m.modelReset.connect(lambda: resets.append(1))
    slow.rows.insert(0, {"uid": "MTH9999999999999", "fee": 3, "object_name": "新"})
    slow.gate.clear()
    m.refresh()  # as a handle posted over the API would: back at once
    assert m.searching_in_background and m.rowCount() == rows
    slow.gate.set()
    qtbot.waitUntil(lambda: m.total_known and m.rowCount() == rows + 1, timeout=5000)
    assert m.record(0)["uid"] == "MTH9999999999999"
    assert resets == []  # rows grew in place: a selection survives a refresh
    assert slow.page_threads[-1] == "mixtimer-table-search"


class RefusingHandles(FakeHandles):
    def list(self, params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
        if ["fee", "=", -1] in (params.get("where_and") or []):
            raise FieldError.of(say.BELOW_MINIMUM, "fee", minimum=0, value=-1)
        return super().list(params, count=count)


def test_a_refused_background_search_says_why(qtbot: Any) -> None:
    m = deferred(RefusingHandles().list)
    m.refresh()
    errors: list[str] = []
    m.error.connect(errors.append)
    m.set_filter(where_and=[["fee", "=", -1]], background=True)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["Fee cannot be less than 0 (it is -1)."] and m.rowCount() == 0


def test_a_result_that_fits_one_page_needs_no_count(fake: FakeHandles, qtbot: Any) -> None:
    m = deferred(fake.list)
    with qtbot.waitSignal(m.loaded) as blocker:
        m.set_filter(where_and=[["uid", "=", "MTH0000000000007"]])
    assert blocker.args == [1] and m.total_known and not m.counting_in_background
    assert [c["count"] for c in fake.calls] == [False]


def test_scrolling_to_the_end_before_the_count_fetches_more(
        gated: GatedHandles, qtbot: Any) -> None:
    m = deferred(gated.list)
    gated.gate.clear()
    m.refresh()
    assert m.rowCount() == 11 and m.canFetchMore()
    m.fetchMore()
    assert m.rowCount() == 21 and m.loaded_pages() == [0, 1]
    assert m.record(15) == sorted(gated.rows, key=lambda r: r["uid"])[-16]
    gated.gate.set()
    qtbot.waitUntil(lambda: m.total_known)
    assert m.rowCount() == ROWS and not m.canFetchMore()


def test_refresh_keeps_the_old_count_until_the_new_one_arrives(
        gated: GatedHandles, qtbot: Any) -> None:
    m = deferred(gated.list)
    m.refresh()
    qtbot.waitUntil(lambda: m.total_known)
    assert m.rowCount() == ROWS
    gated.rows.append({"uid": "MTH9999999999999", "fee": 1, "object_name": "新"})
    gated.gate.clear()
    m.refresh()
    assert m.rowCount() == ROWS and m.record(0)["uid"] == "MTH9999999999999"
    with qtbot.waitSignal(m.rowsInserted):
        gated.gate.set()
    assert m.rowCount() == ROWS + 1


def test_a_failed_count_keeps_the_rows_known(qtbot: Any, fake: FakeHandles) -> None:
    def fetch(params: dict[str, Any], *, count: bool = True) -> dict[str, Any]:
        if count:
            raise FieldError("count refused", "where_and")
        return fake.list(params, count=False)

    m = deferred(fetch)
    m.refresh()
    assert m.wait_for_count()
    qtbot.waitUntil(lambda: not m.counting_in_background)
    assert m.rowCount() == 11 and not m.total_known and m.canFetchMore()


def test_deferred_count_over_the_real_handles_service(tmp_path: Any, fake_clock: Any,
                                                      qtbot: Any) -> None:
    from mixtimer_gui.demo.loader import generate

    db = tmp_path / "demo.db"
    generate(db, objects=10, projects=4, handles=600, seed=5, now=fake_clock.now())
    services = Services.open(db, clock=fake_clock)
    try:
        m = PagedTableModel(services.handles.list, [Column("created", "时间")], page_size=100,
                            count_connection=own_connection(services))
        with qtbot.waitSignal(m.loaded, timeout=10_000) as blocker:
            m.set_order("-created")
        assert blocker.args == [services.handles.list({"page_size": 1})["total_records"]]
        assert m.wait_for_count()
    finally:
        services.close()


def test_order_and_filter_set_up_together_query_once(fake: FakeHandles, qapp: object) -> None:
    m = PagedTableModel(fake.list, COLUMNS, page_size=100)
    m.sort(1, Qt.SortOrder.DescendingOrder)  # a view turning sorting on: nothing shown yet
    m.set_order("-fee", load=False)
    assert fake.calls == []
    m.set_filter(where_and=[["fee", "=", 5]])
    assert len(fake.calls) == 1 and fake.calls[0]["order_by"] == "-fee"
    m.sort(0, Qt.SortOrder.AscendingOrder)  # once loaded, a header click re-queries
    assert len(fake.calls) == 2 and fake.calls[1]["order_by"] == "uid"
