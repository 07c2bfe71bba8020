"""Projects — spec §3 (create/update/delete/get/start/stop/restart) and §2 (uids, alias).

Code: services/projects.py (ProjectService), domain/rules.py (project_input),
domain/messages.py (PROJECT_RUNNING, the original's error text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from svc_factories import ProjectFactory, project_data

from mixtimer_gui.domain.clock import FakeClock, format_wire
from mixtimer_gui.domain.errors import DomainError, FieldError, NotFoundError, StateError
from mixtimer_gui.domain.messages import PROJECT_RUNNING
from mixtimer_gui.services import Services

Tasks = Callable[[str], dict[str, dict[str, Any]]]


def snapshot(services: Services, uid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    project = services.projects.get({"uid": uid})
    tasks = services.tasks.list({"page_size": 1000, "where_and": [["project_id", "=", uid]],
                                 "order_by": "uid"})["data"]
    return project, tasks


# -- create ---------------------------------------------------------------------------------


def test_create_returns_name_and_generated_uid(services: Services) -> None:
    result = services.projects.create(project_data(name="  冷却塔清洗 "))
    assert result["name"] == "冷却塔清洗"
    assert re.fullmatch(r"MTP\d{13}", result["uid"])


def test_created_project_is_stopped(services: Services, make_project: ProjectFactory,
                                    tasks_of: Tasks) -> None:
    uid = make_project()
    assert services.projects.get({"uid": uid})["is_active"] == 0
    assert {t["status"] for t in tasks_of(uid).values()} == {"未启动"}
    assert {t["cycle_start"] for t in tasks_of(uid).values()} == {""}


def test_alias_empty_on_create_becomes_the_uid(services: Services,
                                               make_project: ProjectFactory) -> None:
    uid = make_project(alias="")
    assert services.projects.get({"uid": uid})["alias"] == uid
    uid2 = make_project(alias=None)
    assert services.projects.get({"uid": uid2})["alias"] == uid2
    uid3 = make_project(alias="压缩机")
    assert services.projects.get({"uid": uid3})["alias"] == "压缩机"


def test_one_task_per_object_duplicates_removed_order_kept(
        services: Services, make_project: ProjectFactory, tasks_of: Tasks) -> None:
    uid = make_project(object_id_list=["c", "a", "c", "b"])
    assert services.projects.get({"uid": uid})["object_id_list"] == ["c", "a", "b"]
    tasks = tasks_of(uid)
    assert sorted(tasks) == ["a", "b", "c"]
    assert all(re.fullmatch(r"MTT\d{13}", t["uid"]) for t in tasks.values())


def test_unknown_objects_are_registered_with_name_and_alias_equal_to_id(
        services: Services, make_project: ProjectFactory) -> None:
    services.objects.create({"uid": "kyj1", "name": "空压机1号", "alias": "KYJ1"})
    make_project(object_id_list=["kyj1", "new_one"])
    new = services.objects.get({"uid": "new_one"})
    assert (new["name"], new["alias"]) == ("new_one", "new_one")
    known = services.objects.get({"uid": "kyj1"})
    assert (known["name"], known["alias"]) == ("空压机1号", "KYJ1")  # not overwritten


def test_task_carries_project_and_object_names(services: Services,
                                               make_project: ProjectFactory,
                                               tasks_of: Tasks) -> None:
    services.objects.create({"uid": "lqt2", "name": "冷却塔2号", "alias": "LQT2"})
    uid = make_project(name="冷却塔清洗", alias="清洗", object_id_list=["lqt2"])
    task = tasks_of(uid)["lqt2"]
    assert (task["project_name"], task["project_alias"]) == ("冷却塔清洗", "清洗")
    assert (task["object_name"], task["object_alias"]) == ("冷却塔2号", "LQT2")
    for key in ("cycle_type", "period_num", "period_unit", "notice_num", "notice_unit"):
        assert task[key] == services.projects.get({"uid": uid})[key]


def test_client_uid_is_used(services: Services) -> None:
    assert services.projects.create(project_data(uid="na_test"))["uid"] == "na_test"
    assert services.projects.get({"uid": "na_test"})["name"] == "空压机保养"


def test_client_uid_must_not_exist(services: Services, make_project: ProjectFactory) -> None:
    make_project(uid="na_test")
    with pytest.raises(FieldError) as info:
        services.projects.create(project_data(uid="na_test", name="another"))
    assert info.value.field == "uid"
    assert services.projects.list({})["total_records"] == 1


def test_client_uid_format_is_checked(services: Services) -> None:
    with pytest.raises(FieldError) as info:
        services.projects.create(project_data(uid="bad uid!"))
    assert info.value.field == "uid"
    assert services.projects.list({})["total_records"] == 0


def test_generated_uid_never_reused_after_delete(services: Services,
                                                 make_project: ProjectFactory) -> None:
    first = make_project()
    first_tasks = {t["uid"] for t in services.tasks.list({"page_size": 100})["data"]}
    services.projects.delete({"uid": first})
    second = make_project()
    assert second != first
    second_tasks = {t["uid"] for t in services.tasks.list({"page_size": 100})["data"]}
    assert not first_tasks & second_tasks


def test_generated_uid_skips_a_client_uid_that_took_the_next_number(
        services: Services, make_project: ProjectFactory) -> None:
    make_project(uid="MTP0000000000001")
    assert make_project() != "MTP0000000000001"


def test_unknown_statistics_id_is_refused(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.projects.create(project_data(cycle_type="统计周期", statistics_id="nope"))
    assert info.value.field == "statistics_id"
    assert services.projects.list({})["total_records"] == 0


def test_failed_create_changes_nothing(services: Services) -> None:
    with pytest.raises(DomainError):
        services.projects.create(project_data(period_unit="", object_id_list=["x"]))
    assert services.projects.list({})["total_records"] == 0
    assert services.objects.list({})["total_records"] == 0


def test_synonym_cycle_type_stored_as_statistic(services: Services,
                                                make_project: ProjectFactory) -> None:
    uid = make_project(cycle_type="统计时间周期", period_unit="")
    assert services.projects.get({"uid": uid})["cycle_type"] == "统计周期"


def test_numeric_string_period_num(services: Services, make_project: ProjectFactory) -> None:
    uid = make_project(period_num="2")
    assert services.projects.get({"uid": uid})["period_num"] == 2


def test_audit_fields(services: Services, fake_clock: FakeClock,
                      make_project: ProjectFactory) -> None:
    uid = make_project(organization_id="plant-1", created_by=7)
    got = services.projects.get({"uid": uid})
    assert got["organization_id"] == "plant-1"
    assert got["created_by"] == got["last_modified_by"] == 7
    assert got["created"] == got["last_modified"] == format_wire(fake_clock.now())


# -- update ---------------------------------------------------------------------------------


def test_update_refused_while_running_with_the_original_text(
        services: Services, make_project: ProjectFactory) -> None:
    uid = make_project(start=True)
    before = snapshot(services, uid)
    with pytest.raises(StateError) as info:
        services.projects.update(project_data(uid=uid, name="改名", object_id_list=["z"]))
    assert info.value.message == PROJECT_RUNNING == "项目下还有维保正在运行,请先停止项目下所有维保"
    assert snapshot(services, uid) == before


def test_update_returns_name_and_uid(services: Services, make_project: ProjectFactory) -> None:
    uid = make_project()
    assert services.projects.update(project_data(uid=uid, name="新名")) == {"name": "新名",
                                                                          "uid": uid}


def test_update_stores_alias_as_given(services: Services, make_project: ProjectFactory) -> None:
    uid = make_project(alias="别名")
    services.projects.update(project_data(uid=uid, alias=""))
    assert services.projects.get({"uid": uid})["alias"] == ""


def test_update_unknown_uid(services: Services) -> None:
    with pytest.raises(NotFoundError) as info:
        services.projects.update(project_data(uid="MTP9999999999999"))
    assert info.value.field == "uid"


def test_update_requires_uid(services: Services) -> None:
    with pytest.raises(FieldError) as info:
        services.projects.update(project_data(uid=""))
    assert info.value.field == "uid"


def test_update_validates_fields_like_create(services: Services,
                                             make_project: ProjectFactory) -> None:
    uid = make_project()
    with pytest.raises(FieldError) as info:
        services.projects.update(project_data(uid=uid, notice_unit="周"))
    assert info.value.field == "notice_unit"


def test_tasks_follow_the_object_list_on_update(services: Services,
                                                make_project: ProjectFactory,
                                                tasks_of: Tasks) -> None:
    uid = make_project(object_id_list=["a", "c"])
    before = tasks_of(uid)
    services.projects.update(project_data(uid=uid, object_id_list=["b", "c", "g"]))
    after = tasks_of(uid)
    assert sorted(after) == ["b", "c", "g"]
    assert after["c"]["uid"] == before["c"]["uid"]  # a kept object keeps its task
    assert services.projects.get({"uid": uid})["object_id_list"] == ["b", "c", "g"]
    with pytest.raises(NotFoundError):
        services.tasks.get({"uid": before["a"]["uid"]})


def test_kept_tasks_take_the_new_settings(services: Services, fake_clock: FakeClock,
                                          make_project: ProjectFactory,
                                          tasks_of: Tasks) -> None:
    uid = make_project(start=True, period_num=2, period_unit="日", notice_num=1)
    started = tasks_of(uid)["a"]
    services.projects.stop({"uid": uid})
    fake_clock.advance(hours=1)
    services.projects.update(project_data(uid=uid, period_num=1, period_unit="周",
                                          notice_num=2, guide="换油"))
    task = tasks_of(uid)["a"]
    assert (task["period_num"], task["period_unit"], task["guide"]) == (1, "周", "换油")
    assert task["cycle_start"] == started["cycle_start"]
    assert task["due_at"] == "2024-05-18 09:00:00"
    assert task["notice_at"] == "2024-05-16 09:00:00"


def test_update_to_statistic_cycle_resets_the_cycles(services: Services,
                                                     make_project: ProjectFactory,
                                                     tasks_of: Tasks) -> None:
    uid = make_project(start=True)
    services.projects.stop({"uid": uid})
    services.projects.update(project_data(uid=uid, cycle_type="统计时间周期", period_num=25))
    assert services.projects.get({"uid": uid})["cycle_type"] == "统计周期"
    assert {t["cycle_start"] for t in tasks_of(uid).values()} == {""}


# -- delete ---------------------------------------------------------------------------------


def test_delete_refused_while_running(services: Services, make_project: ProjectFactory) -> None:
    uid = make_project(start=True)
    with pytest.raises(StateError) as info:
        services.projects.delete({"uid": uid})
    assert info.value.message == PROJECT_RUNNING
    assert services.projects.get({"uid": uid})["is_active"] == 1


def test_delete_removes_project_and_tasks_but_keeps_handles(
        services: Services, make_project: ProjectFactory, tasks_of: Tasks) -> None:
    services.objects.create({"uid": "zsj", "name": "注塑机A3"})
    uid = make_project(start=True, name="注塑机润滑", object_id_list=["zsj"])
    task = tasks_of(uid)["zsj"]
    handle = services.handles.handle({"task_id": task["uid"], "handler_id_list": [1],
                                      "handler_name_list": ["张三"]})
    services.projects.stop({"uid": uid})
    assert services.projects.delete({"uid": uid}) == {"uid": uid}
    with pytest.raises(NotFoundError):
        services.projects.get({"uid": uid})
    with pytest.raises(NotFoundError):
        services.tasks.get({"uid": task["uid"]})
    kept = services.handles.get(handle)
    assert (kept["project_name"], kept["object_name"]) == ("注塑机润滑", "注塑机A3")
    assert services.objects.get({"uid": "zsj"})["name"] == "注塑机A3"


def test_delete_unknown(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.projects.delete({"uid": "nope"})


# -- start / stop / restart -----------------------------------------------------------------


def test_start_begins_every_never_run_task_now(services: Services, fake_clock: FakeClock,
                                               make_project: ProjectFactory,
                                               tasks_of: Tasks) -> None:
    uid = make_project()
    fake_clock.advance(hours=2)
    assert services.projects.start({"uid": uid}) == {}
    assert services.projects.get({"uid": uid})["is_active"] == 1
    for task in tasks_of(uid).values():
        assert task["cycle_start"] == "2024-05-11 11:00:00"
        assert task["due_at"] == "2024-05-13 11:00:00"
        assert task["notice_at"] == "2024-05-12 11:00:00"
        assert task["status"] == "正常"
        assert task["is_active"] == 1


def test_start_keeps_the_cycle_of_tasks_that_already_ran(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    uid = make_project(start=True, object_id_list=["a"])
    services.projects.stop({"uid": uid})
    services.projects.update(project_data(uid=uid, object_id_list=["a", "b"]))
    fake_clock.advance(hours=5)
    services.projects.start({"uid": uid})
    tasks = tasks_of(uid)
    assert tasks["a"]["cycle_start"] == "2024-05-11 09:00:00"
    assert tasks["b"]["cycle_start"] == "2024-05-11 14:00:00"


def test_start_statistic_without_statistics_id_fails(services: Services,
                                                     make_project: ProjectFactory) -> None:
    uid = make_project(cycle_type="统计周期", period_unit="", period_num=25)
    with pytest.raises(FieldError) as info:
        services.projects.start({"uid": uid})
    assert info.value.field == "statistics_id"
    assert services.projects.get({"uid": uid})["is_active"] == 0


def test_restart_statistic_without_statistics_id_fails(services: Services,
                                                       make_project: ProjectFactory) -> None:
    uid = make_project(cycle_type="统计周期", period_unit="", period_num=25)
    with pytest.raises(FieldError):
        services.projects.restart({"uid": uid})
    assert services.projects.get({"uid": uid})["is_active"] == 0


def test_starting_a_running_project_is_a_no_op(services: Services, fake_clock: FakeClock,
                                               make_project: ProjectFactory) -> None:
    uid = make_project(start=True)
    before = snapshot(services, uid)
    fake_clock.advance(hours=3)
    assert services.projects.start({"uid": uid}) == {}
    assert snapshot(services, uid) == before


def test_stop_freezes_the_dates_and_shows_not_started(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    uid = make_project(start=True)
    running = tasks_of(uid)
    fake_clock.advance(days=5)  # past due
    assert services.projects.stop({"uid": uid}) == {}
    assert services.projects.get({"uid": uid})["is_active"] == 0
    for object_id, task in tasks_of(uid).items():
        assert task["status"] == "未启动"
        assert task["is_active"] == 0
        for key in ("cycle_start", "due_at", "notice_at"):
            assert task[key] == running[object_id][key]


def test_stop_twice_is_harmless(services: Services, make_project: ProjectFactory) -> None:
    uid = make_project()
    assert services.projects.stop({"uid": uid}) == {}
    assert services.projects.get({"uid": uid})["is_active"] == 0


def test_restart_starts_a_fresh_cycle_now(services: Services, fake_clock: FakeClock,
                                          make_project: ProjectFactory,
                                          tasks_of: Tasks) -> None:
    uid = make_project(start=True)
    fake_clock.advance(days=3)
    assert tasks_of(uid)["a"]["status"] == "已到期"
    assert services.projects.restart({"uid": uid}) == {}
    for task in tasks_of(uid).values():
        assert task["cycle_start"] == "2024-05-14 09:00:00"
        assert task["due_at"] == "2024-05-16 09:00:00"
        assert task["status"] == "正常"


def test_restart_a_stopped_project_runs_it(services: Services, fake_clock: FakeClock,
                                           make_project: ProjectFactory,
                                           tasks_of: Tasks) -> None:
    uid = make_project(start=True)
    services.projects.stop({"uid": uid})
    fake_clock.advance(days=1)
    services.projects.restart({"uid": uid})
    assert services.projects.get({"uid": uid})["is_active"] == 1
    assert tasks_of(uid)["a"]["cycle_start"] == "2024-05-12 09:00:00"


@pytest.mark.parametrize("action", ["start", "stop", "restart", "get", "delete"])
def test_actions_on_unknown_project(services: Services, action: str) -> None:
    with pytest.raises(NotFoundError) as info:
        getattr(services.projects, action)({"uid": "MTP0000000000404"})
    assert info.value.field == "uid"


@pytest.mark.parametrize("action", ["start", "stop", "restart", "get", "delete", "update"])
def test_actions_without_uid(services: Services, action: str) -> None:
    with pytest.raises(FieldError) as info:
        getattr(services.projects, action)({})
    assert info.value.field in ("uid", "name")


# -- announcements --------------------------------------------------------------------------


def test_changes_are_announced_after_commit(services: Services,
                                            make_project: ProjectFactory) -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    uid = make_project()
    assert ("project", (uid,)) in heard
    assert any(entity == "task" for entity, _ in heard)
    heard.clear()
    with pytest.raises(DomainError):
        services.projects.create(project_data(uid=uid))
    assert heard == []
    services.projects.start({"uid": uid})
    assert ("project", (uid,)) in heard


def test_fixed_plan_shorter_period_keeps_the_due_after_the_cycle_start(
        services: Services, fake_clock: FakeClock, make_project: ProjectFactory,
        tasks_of: Tasks) -> None:
    uid = make_project(start=True, period_num=1, period_unit="月", notice_num=0,
                       anchor_type="按计划时间", object_id_list=["a"])
    fake_clock.advance(days=70)  # 07-20: 06-11 closed, 07-11 skipped
    services.handles.handle({"task_id": tasks_of(uid)["a"]["uid"]})
    services.projects.stop({"uid": uid})
    services.projects.update(project_data(uid=uid, period_num=1, period_unit="日", notice_num=0,
                                          anchor_type="按计划时间", object_id_list=["a"]))
    task = tasks_of(uid)["a"]
    assert task["cycle_start"] == "2024-07-20 09:00:00"
    # On the new daily grid from 05-11 09:00, the first point after the cycle start.
    assert task["due_at"] == "2024-07-21 09:00:00"


def test_statistic_update_keeps_the_start_value_and_moves_the_threshold(
        services: Services, make_project: ProjectFactory, tasks_of: Tasks) -> None:
    services.statistics.create({"uid": "hours", "name": "运行小时"})
    services.statistics.add_value({"statistics_id": "hours", "value": 40})
    uid = make_project(start=True, cycle_type="统计周期", statistics_id="hours", period_num=25,
                       period_unit="", object_id_list=["a"])
    services.projects.stop({"uid": uid})
    services.projects.update(project_data(uid=uid, cycle_type="统计周期", statistics_id="hours",
                                          period_num=50, period_unit="", object_id_list=["a"]))
    task = tasks_of(uid)["a"]
    assert (task["start_value"], task["due_value"]) == (40, 90)
