"""The figures the printed reports show: a month's handles, on-time rate, fees, skipped
cycles and overdue tasks; work orders with their last handle; equipment labels."""

from __future__ import annotations

from datetime import datetime

import pytest

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import FieldError, NotFoundError
from mixtimer_gui.services import Services
from mixtimer_gui.services.printouts import PrintoutService, parse_month
from mixtimer_gui.services.reports import ReportService


def _local(*args: int) -> int:
    return clock.from_local(datetime(*args))


@pytest.fixture
def plant(services: Services, fake_clock: FakeClock) -> dict[str, str]:
    """A weekly project on K1 (车间一) and K2 (车间二), started 2024-05-11 09:00.

    May: K1 done on time (100), K2 done late (50), K1's next cycle skipped (停产检修);
    June 3: K2 done again (30), after having been overdue since May 28.
    """
    services.objects.create({"uid": "K1", "name": "1号空压机", "location": "车间一"})
    services.objects.create({"uid": "K2", "name": "2号空压机", "location": "车间二"})
    project = services.projects.create({"name": "空压机保养", "cycle_type": "自然时间周期",
                                        "period_num": 7, "period_unit": "日",
                                        "object_id_list": ["K1", "K2"]})["uid"]
    services.projects.start({"uid": project})
    tasks = {t["object_id"]: t["uid"] for t in services.tasks.list({"page_size": 10})["data"]}
    fake_clock.advance(days=1)
    services.handles.handle({"task_id": tasks["K1"], "fee": 100, "result": "换油",
                             "handler_name_list": ["张三", "李四"]})
    fake_clock.advance(days=9)  # 05-21: K2 was due 05-18
    services.handles.handle({"task_id": tasks["K2"], "fee": 50})
    services.handles.ignore({"task_id": tasks["K1"], "description": "停产检修"})
    fake_clock.set(_local(2024, 6, 3, 9, 0))  # type: ignore[attr-defined]
    services.handles.handle({"task_id": tasks["K2"], "fee": 30})
    return tasks


def test_a_months_figures(services: Services, plant: dict[str, str]) -> None:
    report = PrintoutService(services.ctx).monthly("2024-05")
    assert (report.month, report.handled, report.skipped, report.fee) == ("2024-05", 2, 1, 150)
    assert (report.start, report.end) == (_local(2024, 5, 1), _local(2024, 6, 1))
    [project] = report.projects
    assert (project.project_name, project.handled, project.skipped, project.fee) == (
        "空压机保养", 2, 1, 150)
    [rate] = report.on_time
    assert (rate.handled, rate.on_time) == (2, 1) and report.on_time_rate == 0.5
    [skipped] = report.skipped_cycles
    assert (skipped.object_name, skipped.reason) == ("1号空压机", "停产检修")
    assert plant["K2"] in {t.task_id for t in report.overdue}
    assert all(t.due_at < "2024-06-01" for t in report.overdue)
    # the fee chart ends with the report's month: twelve months, May's total last
    assert len(report.fees_by_month) == 12
    assert (report.fees_by_month[-1].month, report.fees_by_month[-1].fee) == ("2024-05", 150)
    june = PrintoutService(services.ctx).monthly("2024-6")
    assert (june.handled, june.fee, june.skipped_cycles) == (1, 30, [])


def test_the_on_time_rate_is_the_overviews(services: Services, plant: dict[str, str]) -> None:
    """Printed and shown rates come from one query: over the same handles they agree."""
    overview = ReportService(services.ctx).on_time_rate_by_project(_local(2024, 5, 1))
    printed = PrintoutService(services.ctx).monthly("2024-05").on_time
    assert [(r.handled, r.on_time) for r in printed] == [(2, 1)]
    assert [(r.handled, r.on_time) for r in overview] == [(3, 1)]  # June's late one too


@pytest.mark.parametrize("bad", ["2024-13", "24-05", "May", "", "2024-05-01"])
def test_a_bad_month_is_named(services: Services, bad: str) -> None:
    with pytest.raises(FieldError) as caught:
        PrintoutService(services.ctx).monthly(bad)
    assert caught.value.field == "month" and "2026-11" in str(caught.value)
    assert parse_month("2024-05") == (_local(2024, 5, 1), _local(2024, 6, 1))


def test_work_orders_due_within_days(services: Services, plant: dict[str, str],
                                     fake_clock: FakeClock) -> None:
    printouts = PrintoutService(services.ctx)
    orders = printouts.work_orders(days=7)
    assert {o.object_id for o in orders} == {"K1", "K2"}
    by_object = {o.object_id: o for o in orders}
    k2 = by_object["K2"]
    assert (k2.project_name, k2.object_name, k2.location) == ("空压机保养", "2号空压机",
                                                              "车间二")
    assert k2.last_handle_at == "2024-06-03 09:00:00"
    assert k2.due_at == services.tasks.get({"uid": plant["K2"]})["due_at"]
    assert k2.checklist == ()  # the hook for issue #17's checklists
    assert [o.due_at for o in orders] == sorted(o.due_at for o in orders)
    assert printouts.work_orders(days=0) == [o for o in orders if o.due_at <= clock.format_wire(
        fake_clock.now())]
    with pytest.raises(FieldError):
        printouts.work_orders(days=-1)


def test_work_orders_for_chosen_tasks(services: Services, plant: dict[str, str]) -> None:
    printouts = PrintoutService(services.ctx)
    [order] = printouts.work_orders([plant["K1"]])
    assert order.location == "车间一"
    assert order.last_result == "忽略" and order.last_handle_at == "2024-05-21 09:00:00"
    with pytest.raises(NotFoundError):
        printouts.work_orders(["MTT-nope"])


def test_labels_keep_the_order_and_leave_out_unknown(services: Services,
                                                     plant: dict[str, str]) -> None:
    labels = PrintoutService(services.ctx).labels(["K2", "nope", "K1", "K2"])
    assert [(lb.uid, lb.name, lb.location) for lb in labels] == [
        ("K2", "2号空压机", "车间二"), ("K1", "1号空压机", "车间一")]


def _latest_handle(services: Services, task_uid: str) -> str:
    rows = services.handles.list({"where_and": [["task_id", "=", task_uid]],
                                  "order_by": "-created", "page_size": 1})["data"]
    return rows[0]["uid"]


def test_a_voided_handle_is_out_of_every_printed_figure(services: Services,
                                                        plant: dict[str, str]) -> None:
    """A voided record did not happen (#15): not done, not skipped, no fee, not the last."""
    services.handles.void({"uid": _latest_handle(services, plant["K2"]), "reason": "录错"})
    services.handles.void({"uid": _latest_handle(services, plant["K1"]), "reason": "录错"})
    printouts = PrintoutService(services.ctx)
    june = printouts.monthly("2024-06")
    assert (june.handled, june.fee, [p.handled for p in june.projects]) == (0, 0, [])
    may = printouts.monthly("2024-05")
    assert (may.handled, may.skipped, may.fee, may.skipped_cycles) == (2, 0, 150, [])
    [order] = printouts.work_orders([plant["K1"]])
    assert order.last_result == "换油" and order.last_handle_at == "2024-05-12 09:00:00"
