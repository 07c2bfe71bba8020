"""Overview figures: status counts, due window, on-time rate per project, fees per month."""

from __future__ import annotations

from datetime import date, datetime

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.services.reports import ReportService, month_starts, months_back


def _project(services: Services, name: str, objects: list[str], *, period: int = 1,
             unit: str = "日", notice: int = 0, start: bool = True) -> str:
    uid = services.projects.create({
        "name": name, "cycle_type": "自然时间周期", "period_num": period, "period_unit": unit,
        "notice_num": notice, "notice_unit": "日", "object_id_list": objects})["uid"]
    if start:
        services.projects.start({"uid": uid})
    return uid


def _tasks(services: Services, project: str) -> list[str]:
    page = services.tasks.list({"page_size": 100,
                                "where_and": [["project_id", "=", project]]})
    return [t["uid"] for t in page["data"]]


def _local(*args: int) -> int:
    return clock.from_local(datetime(*args))


def test_status_counts_has_every_status(services: Services, fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    assert reports.status_counts() == {"正常": 0, "即将到期": 0, "已到期": 0, "未启动": 0}
    _project(services, "停用", ["A"], start=False)
    _project(services, "日检", ["B", "C"], period=10, notice=3)
    _project(services, "周检", ["D"], period=1)
    fake_clock.advance(days=8)  # 日检 in its notice window; 周检 (1 日) overdue
    assert reports.status_counts() == {"正常": 0, "即将到期": 2, "已到期": 1, "未启动": 1}
    assert reports.status_counts(now=fake_clock.now() - 8 * 86400 + 60) == {
        "正常": 3, "即将到期": 0, "已到期": 0, "未启动": 1}


def test_due_between_lists_running_tasks_soonest_first(services: Services,
                                                       fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    _project(services, "十日", ["A"], period=10)
    _project(services, "三日", ["B"], period=3)
    _project(services, "停用", ["C"], period=2, start=False)
    _project(services, "一月", ["D"], period=1, unit="月")
    now = fake_clock.now()
    due = reports.due_between(now, now + 14 * 86400)
    assert [t["project_name"] for t in due] == ["三日", "十日"]
    assert due[0]["due_at"] == clock.format_wire(now + 3 * 86400)
    assert reports.due_between(now, now + 3 * 86400) == []  # end is exclusive


def test_on_time_rate_counts_handles_done_by_due(services: Services,
                                                 fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    since = fake_clock.now()
    a = _project(services, "甲", ["A"], period=1)
    b = _project(services, "乙", ["B"], period=1)
    task_a, task_b = _tasks(services, a)[0], _tasks(services, b)[0]
    fake_clock.advance(hours=12)
    services.handles.handle({"task_id": task_a})  # on time
    services.handles.handle({"task_id": task_b})  # on time
    fake_clock.advance(days=3)
    services.handles.handle({"task_id": task_a})  # late
    services.handles.ignore({"task_id": task_b, "description": "停机"})  # not counted
    rates = {r.project_name: r for r in reports.on_time_rate_by_project(since)}
    assert (rates["甲"].handled, rates["甲"].on_time, rates["甲"].rate) == (2, 1, 0.5)
    assert (rates["乙"].handled, rates["乙"].on_time, rates["乙"].rate) == (1, 1, 1.0)
    assert reports.on_time_rate_by_project(fake_clock.now() + 1) == []


def test_a_handle_exactly_at_due_is_on_time(services: Services,
                                            fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    since = fake_clock.now()
    task = _tasks(services, _project(services, "甲", ["A"], period=1))[0]
    fake_clock.advance(days=1)
    services.handles.handle({"task_id": task})
    assert reports.on_time_rate_by_project(since)[0].on_time == 1


def test_fees_by_local_month(services: Services, fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    task = _tasks(services, _project(services, "甲", ["A"], period=1))[0]
    fake_clock.set(_local(2024, 5, 31, 23, 30))
    services.handles.handle({"task_id": task, "fee": 100})
    fake_clock.set(_local(2024, 6, 1, 0, 30))  # still May in UTC: must count in June
    services.handles.handle({"task_id": task, "fee": 20.5})
    fake_clock.set(_local(2024, 8, 2, 8, 0))
    services.handles.handle({"task_id": task, "fee": 7})
    months = reports.fees_by_month(_local(2024, 4, 15))
    assert [(m.month, m.fee) for m in months] == [
        ("2024-04", 0.0), ("2024-05", 100.0), ("2024-06", 20.5), ("2024-07", 0.0),
        ("2024-08", 7.0)]
    assert months[1].start == _local(2024, 5, 1)


def test_month_helpers() -> None:
    now = _local(2024, 3, 31, 12)
    assert months_back(now, 12) == _local(2023, 4, 1)
    assert months_back(now, 1) == _local(2024, 3, 1)
    assert month_starts(_local(2024, 1, 10), _local(2024, 2, 1)) == [
        _local(2024, 1, 1), _local(2024, 2, 1), _local(2024, 3, 1)]


def test_due_counts_by_local_day(services: Services, fake_clock: FakeClock) -> None:
    reports = ReportService(services.ctx)
    fake_clock.set(_local(2024, 5, 11, 23, 30))  # 15:30 UTC: the local day is what counts
    _project(services, "三日", ["A", "B"], period=3)
    _project(services, "停用", ["C"], period=3, start=False)
    _project(services, "五日", ["D"], period=5)
    counts = reports.due_counts_by_day(_local(2024, 5, 1), _local(2024, 6, 1))
    assert counts == {date(2024, 5, 14): 2, date(2024, 5, 16): 1}
    assert reports.due_counts_by_day(_local(2024, 6, 1), _local(2024, 7, 1)) == {}
