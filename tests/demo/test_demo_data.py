"""``demo-data``: counts, history consistency, uid formats, determinism, refusal, and that a
replay of the same history through the services stores exactly what the bulk load stored."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from mixtimer_gui import cli
from mixtimer_gui.demo.catalogue import PEOPLE
from mixtimer_gui.demo.history import build_world
from mixtimer_gui.demo.loader import DemoRefused, generate
from mixtimer_gui.domain import checklists, clock, cycles, uids
from mixtimer_gui.domain.clock import FakeClock, format_wire
from mixtimer_gui.domain.status import STATUSES
from mixtimer_gui.services import Services
from mixtimer_gui.store import bulk
from mixtimer_gui.store.db import open_database

SIZES = {"objects": 30, "projects": 8, "handles": 500}
SEED = 7


def demo_now() -> int:
    return int(datetime(2026, 3, 15, 10, 0, tzinfo=clock.local_zone()).timestamp())


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def scalar(path: Path, sql: str, *args: object) -> object:
    return rows(path, sql, *args)[0][0]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    generate(path, seed=SEED, now=demo_now(), **SIZES)
    return path


@pytest.fixture
def demo_services(demo_db: Path):
    svc = Services.open(demo_db, clock=FakeClock(demo_now()))
    yield svc
    svc.close()


# -- counts and consistency ------------------------------------------------------------------


def test_counts_match_the_sizes_asked_for(demo_db: Path) -> None:
    assert scalar(demo_db, "SELECT COUNT(*) FROM maintenance_object") == 30
    assert scalar(demo_db, "SELECT COUNT(*) FROM project") == 8
    assert scalar(demo_db, "SELECT COUNT(*) FROM handle") == 500
    # one task per (project, object) of the project's list
    assert scalar(demo_db, "SELECT COUNT(*) FROM task") == scalar(
        demo_db, "SELECT COUNT(*) FROM project_object")
    assert scalar(demo_db, "SELECT COUNT(*) FROM handler") == len(PEOPLE)


def test_every_handle_points_at_its_task_project_and_object_with_their_names(
        demo_db: Path) -> None:
    orphans = rows(demo_db, """
        SELECT h.uid FROM handle h
        LEFT JOIN task t ON t.uid = h.task_id
        LEFT JOIN project p ON p.uid = h.project_id
        LEFT JOIN maintenance_object o ON o.uid = h.object_id
        WHERE t.uid IS NULL OR p.uid IS NULL OR o.uid IS NULL
           OR t.project_id != h.project_id OR t.object_id != h.object_id
           OR p.name != h.project_name OR p.alias != h.project_alias
           OR o.name != h.object_name OR o.alias != h.object_alias""")
    assert orphans == []


def test_handles_happen_while_their_project_ran_and_tasks_remember_the_last(
        demo_db: Path) -> None:
    assert scalar(demo_db, "SELECT MAX(created) FROM handle") <= demo_now()
    before_start = rows(demo_db, """
        SELECT h.uid FROM handle h JOIN task t ON t.uid = h.task_id
        WHERE t.cycle_start IS NULL OR h.created < t.created""")
    assert before_start == []
    mismatched = rows(demo_db, """
        SELECT t.uid FROM task t LEFT JOIN (SELECT task_id, MAX(created) AS last
                                            FROM handle GROUP BY task_id) h
        ON h.task_id = t.uid WHERE t.last_handle_at IS NOT h.last""")
    assert mismatched == []


def test_handler_lists_match_the_side_table_and_the_people(demo_db: Path) -> None:
    people = dict(rows(demo_db, "SELECT id, name FROM handler"))
    side: dict[int, list[tuple[int, str]]] = {}
    for rowid, hid, name in rows(demo_db, "SELECT handle_rowid, handler_id, handler_name "
                                          "FROM handle_handler ORDER BY id"):
        side.setdefault(rowid, []).append((hid, name))
    for rowid, ids, names, ignored, result, fee in rows(
            demo_db, "SELECT id, handler_id_list, handler_name_list, is_ignored, result, fee "
                     "FROM handle"):
        pairs = list(zip(json.loads(ids), json.loads(names), strict=True))
        assert side.get(rowid, []) == pairs
        assert all(people[i] == n for i, n in pairs)
        if ignored:
            assert (result, fee, pairs) == ("忽略", 0, [])
        else:
            assert pairs and result and fee >= 0


def test_history_has_ignores_fees_and_late_and_on_time_handles(demo_db: Path) -> None:
    ignored, free, paid, late, on_time = rows(demo_db, """
        SELECT SUM(is_ignored), SUM(fee = 0), SUM(fee > 0), SUM(due_at < created),
               SUM(due_at >= created) FROM handle""")[0]
    assert 0 < ignored < 100
    assert free > paid > 0
    assert late > 0 and on_time > 0
    assert scalar(demo_db, "SELECT MIN(created) FROM handle") < demo_now() - 600 * 86400


def test_projects_cover_both_cycle_types_both_anchors_and_the_units(demo_db: Path) -> None:
    kinds = set(rows(demo_db, "SELECT cycle_type, anchor_type FROM project"))
    assert {c for c, _ in kinds} == {"自然时间周期", "统计周期"}
    assert {a for _, a in kinds} == {"按完成时间", "按计划时间"}
    units = {u for (u,) in rows(demo_db, "SELECT period_unit FROM project "
                                         "WHERE cycle_type = '自然时间周期'")}
    assert units == {"时", "日", "周", "月", "年"}
    assert all("\n" in g for (g,) in rows(demo_db, "SELECT guide FROM project"))
    meterless = rows(demo_db, "SELECT uid FROM project WHERE cycle_type = '统计周期' "
                              "AND statistics_id NOT IN (SELECT uid FROM statistic)")
    assert meterless == []


def test_readings_are_cumulative_and_never_decrease(demo_db: Path) -> None:
    by_meter: dict[str, list[float]] = {}
    for sid, value in rows(demo_db, "SELECT statistics_id, value FROM reading "
                                    "ORDER BY statistics_id, time"):
        by_meter.setdefault(sid, []).append(value)
    assert by_meter
    for values in by_meter.values():
        assert len(values) > 600
        assert values == sorted(values)
        assert values[-1] > values[0]


def test_generated_uids_follow_the_formats(demo_db: Path) -> None:
    for table, prefix in (("project", "MTP"), ("task", "MTT"), ("handle", "MTH"),
                          ("maintenance_object", "MTO"), ("statistic", "STATISTICS")):
        for (uid,) in rows(demo_db, f"SELECT uid FROM {table}"):
            assert uid.startswith(prefix) and uids.is_generated_uid(uid), uid


# -- through the services ----------------------------------------------------------------------


def test_services_list_and_get_the_demo_data(demo_services: Services) -> None:
    page = demo_services.handles.list({"page_size": 20})
    assert page["total_records"] == 500 and len(page["data"]) == 20
    first = page["data"][0]
    assert demo_services.handles.get({"uid": first["uid"]}) == first
    assert first["created"] >= page["data"][-1]["created"]  # newest first
    task = demo_services.tasks.get({"uid": first["task_id"]})
    assert task["object_name"] == first["object_name"]
    project = demo_services.projects.get({"uid": first["project_id"]})
    assert first["object_id"] in project["object_id_list"]
    by_person = demo_services.handles.list({"where_and": [["handler_id_list", "=", 1]]})
    assert 0 < by_person["total_records"] < 500
    assert demo_services.objects.list({})["total_records"] == 30
    meters = demo_services.statistics.list({})["data"]
    values = demo_services.statistics.value_list(
        {"where_and": [["statistics_id", "=", meters[0]["uid"]]]})
    assert values["total_records"] > 600


def test_task_statuses_are_a_mix_and_agree_with_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "mix.db"
    summary = generate(path, seed=SEED, now=demo_now(), **SIZES)
    svc = Services.open(path, clock=FakeClock(demo_now()))
    try:
        counted = {s: svc.tasks.list({"where_and": [["status", "=", s]]})["total_records"]
                   for s in STATUSES}
    finally:
        svc.close()
    assert counted == summary.statuses
    assert all(counted[s] > 0 for s in STATUSES), counted


def test_new_records_after_demo_data_get_fresh_uids(demo_services: Services) -> None:
    objects = demo_services.objects.list({"page_size": 1000})["data"]
    project = demo_services.projects.create({
        "name": "新增巡检", "cycle_type": "自然时间周期", "period_num": 1, "period_unit": "周",
        "notice_num": 1, "notice_unit": "日", "object_id_list": [objects[0]["uid"]]})
    assert project["uid"] == "MTP0000000000009"
    demo_services.projects.start({"uid": project["uid"]})
    task = demo_services.tasks.list({"where_and": [["project_id", "=", project["uid"]]]})
    assert task["data"][0]["uid"] == f"MTT{task_count(demo_services) :013d}"
    handle = demo_services.handles.handle({"task_id": task["data"][0]["uid"], "result": "正常"})
    assert handle["uid"] == "MTH0000000000501"
    obj = demo_services.objects.create({"name": "空压机9号"})
    assert obj["uid"] == "MTO0000000000031"
    meters = demo_services.statistics.list({})["total_records"]
    stat = demo_services.statistics.create({"name": "新表", "unit": "小时"})
    assert stat["uid"] == f"STATISTICS{meters + 1:013d}"


def task_count(svc: Services) -> int:
    return svc.tasks.list({})["total_records"]


# -- determinism ---------------------------------------------------------------------------


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [line for line in conn.iterdump() if "schema_version" not in line]
    finally:
        conn.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path, demo_db: Path) -> None:
    again = tmp_path / "again.db"
    generate(again, seed=SEED, now=demo_now(), **SIZES)
    assert dump(again) == dump(demo_db)
    other = tmp_path / "other.db"
    generate(other, seed=SEED + 1, now=demo_now(), **SIZES)
    assert dump(other) != dump(demo_db)


# -- refusal and the command line ------------------------------------------------------------


def test_refuses_a_database_with_projects_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "busy.db"
    svc = Services.open(path, clock=FakeClock(demo_now()))
    svc.projects.create({"name": "已有项目", "cycle_type": "自然时间周期", "period_num": 1,
                         "period_unit": "月", "object_id_list": ["a"]})
    svc.close()
    before = dump(path)
    code = cli.main(["demo-data", "--db", str(path), "--objects", "5", "--projects", "2",
                     "--handles", "10"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "已有维保项目" in err and "--db" in err
    assert dump(path) == before


def test_second_run_on_the_same_file_is_refused(demo_db: Path) -> None:
    before = scalar(demo_db, "SELECT COUNT(*) FROM handle")
    with pytest.raises(DemoRefused):
        generate(demo_db, seed=SEED, now=demo_now(), **SIZES)
    assert scalar(demo_db, "SELECT COUNT(*) FROM handle") == before
    indexes = {n for (n,) in rows(demo_db, "SELECT name FROM sqlite_master "
                                           "WHERE type = 'index' AND tbl_name = 'handle'")}
    assert "handle_task_id" in indexes and "handle_uid" in indexes


def test_command_prints_one_summary_line(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    code = cli.main(["demo-data", "--db", str(path), "--objects", "20", "--projects", "5",
                     "--handles", "100", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\n") == 1 and "维保记录 100" in out and str(path) in out
    assert scalar(path, "SELECT COUNT(*) FROM handle") == 100


@pytest.mark.parametrize(("args", "named"), [
    (["--objects", "0"], "--objects"),
    (["--projects", "-1"], "--projects"),
    (["--handles", "-5"], "--handles"),
    (["--projects", "0", "--handles", "10"], "--projects"),
])
def test_bad_sizes_are_one_line_naming_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        named: str) -> None:
    path = tmp_path / "bad.db"
    assert cli.main(["demo-data", "--db", str(path), *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err
    assert not path.exists()


def test_zero_handles_still_starts_the_running_tasks(tmp_path: Path) -> None:
    path = tmp_path / "quiet.db"
    summary = generate(path, objects=15, projects=3, handles=0, seed=1,
                                 now=demo_now())
    assert summary.handles == 0
    assert scalar(path, "SELECT COUNT(*) FROM task WHERE cycle_start IS NULL") == 0


# -- the bulk loader ----------------------------------------------------------------------


def test_a_failed_bulk_load_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "rollback.db"
    db = open_database(path)
    row = (1, "MTH0000000000001", "t", "p", "", "", "o", "", "", "", "[]", "[]", 0.0, "", "",
           0, None, 0, "", 0, 0, 0, 0, 0, "[]", 0)
    duplicate = (2, *row[1:])
    with pytest.raises(sqlite3.IntegrityError), bulk.bulk_load(db) as w:
        w.objects([("MTO0000000000001", "x", "x", "", "", "", 0, 0, 0, 0)])
        w.handles([row, duplicate])  # the unique uid index is rebuilt at the end: it fails
    db.close()
    assert scalar(path, "SELECT COUNT(*) FROM handle") == 0
    assert scalar(path, "SELECT COUNT(*) FROM maintenance_object") == 0
    assert scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'handle_uid'") == 1


def test_bulk_refuses_tables_it_does_not_know(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.db")
    with pytest.raises(ValueError, match="not a bulk-loadable"), bulk.bulk_load(db) as w:
        w.insert("sqlite_master", ("name",), [("x",)])
    db.close()


# -- the same history through the services -----------------------------------------------------


@pytest.mark.slow  # ~9 s: 500 handles through the services
def test_replaying_the_history_through_the_services_stores_the_same_cycles(
        tmp_path: Path, demo_db: Path) -> None:
    """Every handle's ``due_at``/``skipped_cycles`` and every task's current cycle in the
    bulk-loaded database equal what the services store when the same events happen live."""
    fake = FakeClock(0)
    svc = Services.open(tmp_path / "replay.db", clock=fake)
    try:
        replay(svc, fake, demo_db)
        fake.set(demo_now())
    finally:
        svc.close()
    replayed = tmp_path / "replay.db"
    handle_sql = ("SELECT uid, project_id, object_id, created, due_at, skipped_cycles, "
                  "is_ignored FROM handle")
    assert sorted(rows(replayed, handle_sql)) == sorted(rows(demo_db, handle_sql))
    task_sql = """SELECT project_id, object_id, cycle_start, grid_anchor, cycle_index, due_at,
                         notice_at, start_value, base_value, due_value, last_handle_at
                  FROM task ORDER BY project_id, object_id"""
    assert rows(replayed, task_sql) == rows(demo_db, task_sql)
    # and the change history real use writes with each handle (#15): demo-data writes the
    # same two rows (the handle's creation, the task's cycle before → after)
    history_sql = ("SELECT time, action, entity, entity_uid, changes FROM history "
                   "WHERE action IN ('v2_handle', 'v2_handle_ignore') "
                   "AND entity IN ('handle', 'task')")
    written = handle_history(demo_db, history_sql)
    assert len(written) == 2 * scalar(demo_db, "SELECT COUNT(*) FROM handle")
    assert handle_history(replayed, history_sql) == written


def handle_history(path: Path, sql: str) -> list[tuple]:
    """The rows with each task named by (project, object): the replay numbers tasks in
    another order."""
    task_of = {uid: f"{project}/{obj}" for uid, project, obj in
               rows(path, "SELECT uid, project_id, object_id FROM task")}
    named = []
    for time, action, entity, uid, changes in rows(path, sql):
        changes = json.loads(changes)
        if entity == "task":
            uid = task_of[uid]
        else:
            changes["task_id"][1] = task_of[changes["task_id"][1]]
        named.append((time, action, entity, uid, changes))
    return sorted(named, key=lambda r: r[:4])


def replay(svc: Services, fake: FakeClock, source: Path) -> None:
    world = build_world(seed=SEED, now=demo_now(), **SIZES)
    events: list[tuple[int, int, str, tuple]] = []  # (moment, order at equal moments, kind, row)
    for row in rows(source, "SELECT uid, name, alias, description, location, created "
                            "FROM maintenance_object"):
        events.append((row[5], 0, "object", row))
    for row in rows(source, "SELECT uid, name, unit, created FROM statistic"):
        events.append((row[3], 0, "statistic", row))
    for row in rows(source, "SELECT statistics_id, time, value FROM reading"):
        events.append((row[1], 1, "reading", row))
    for project in world.projects:
        row = rows(source, "SELECT uid, name, cycle_type, statistics_id, period_num, "
                           "period_unit, notice_num, notice_unit, guide, anchor_type "
                           "FROM project WHERE uid = ?", project.uid)[0]
        events.append((project.created, 2, "project", row))
        if project.started is not None:
            events.append((project.started, 2, "start", row))
        if project.stopped is not None:
            events.append((project.stopped, 2, "stop", row))
    for row in rows(source, "SELECT h.uid, h.project_id, h.object_id, h.created, "
                            "h.description, h.handler_id_list, h.handler_name_list, h.fee, "
                            "h.result, h.is_ignored FROM handle h"):
        events.append((row[3], 3, "handle", row))
    for moment, _, kind, row in sorted(events, key=lambda e: (e[0], e[1], e[3][0])):
        fake.set(moment)
        apply_event(svc, source, kind, row)


def apply_event(svc: Services, source: Path, kind: str, row: tuple) -> None:
    if kind == "object":
        svc.objects.create({"uid": row[0], "name": row[1], "alias": row[2],
                            "description": row[3], "location": row[4]})
    elif kind == "statistic":
        svc.statistics.create({"uid": row[0], "name": row[1], "unit": row[2]})
    elif kind == "reading":
        svc.statistics.add_value({"statistics_id": row[0], "time": format_wire(row[1]),
                                  "value": row[2]})
    elif kind == "project":
        members = [o for (o,) in rows(source, "SELECT object_id FROM project_object WHERE "
                                              "project_id = ? ORDER BY position", row[0])]
        svc.projects.create({"uid": row[0], "name": row[1], "cycle_type": row[2],
                             "statistics_id": row[3], "period_num": row[4],
                             "period_unit": row[5], "notice_num": row[6],
                             "notice_unit": row[7], "guide": row[8], "anchor_type": row[9],
                             "object_id_list": members})
    elif kind == "start":
        svc.projects.start({"uid": row[0]})
    elif kind == "stop":
        svc.projects.stop({"uid": row[0]})
    else:
        uid, project_id, object_id, _, description, ids, names, fee, result, ignored = row
        live = svc.tasks.list({"where_and": [["object_id", "=", object_id],
                                             ["project_id", "=", project_id]]})
        task_id = live["data"][0]["uid"]
        if ignored:
            svc.handles.ignore({"uid": uid, "task_id": task_id, "description": description})
        else:
            svc.handles.handle({"uid": uid, "task_id": task_id, "description": description,
                                "handler_id_list": json.loads(ids),
                                "handler_name_list": json.loads(names), "fee": fee,
                                "result": result})


def test_demo_data_has_whichever_first_plans_and_checklists(tmp_path: Path) -> None:
    # #17: enough projects that every plan is used once, the 先到周期 one among them.
    path = tmp_path / "full.db"
    generate(path, seed=SEED, now=demo_now(), objects=80, projects=27, handles=3000)
    first = rows(path, "SELECT uid, statistics_id, period_num, period_unit, "
                       "statistics_period_num FROM project WHERE cycle_type = '先到周期'")
    assert first and all(r[1] and r[2:] == (6, "月", 500.0) for r in first)
    tasks = rows(path, "SELECT t.due_at, t.time_due_at, t.due_value_at, t.due_by FROM task t "
                       "JOIN project p ON p.uid = t.project_id WHERE p.cycle_type = '先到周期' "
                       "AND t.cycle_start IS NOT NULL")
    assert tasks
    for due_at, time_due_at, value_due_at, due_by in tasks:
        assert due_by == cycles.due_by(time_due_at, value_due_at)
        assert due_at == (time_due_at if value_due_at is None
                          else min(time_due_at, value_due_at))
    others = rows(path, "SELECT COUNT(*) FROM task WHERE time_due_at IS NOT NULL AND "
                        "project_id IN (SELECT uid FROM project WHERE cycle_type != '先到周期')")
    assert others == [(0,)]
    checked = rows(path, "SELECT checklist_results, is_abnormal, is_ignored FROM handle "
                         "WHERE checklist_results != '[]'")
    assert checked and {r[2] for r in checked} == {0}  # an ignore checks nothing
    flags = [r[1] for r in checked]
    assert 0 < sum(flags) < len(flags) * 0.3  # now and then something is found
    for stored, abnormal, _ in checked:
        results = json.loads(stored)
        assert abnormal == int(any(checklists.is_abnormal_value(r, r["value"])
                                   for r in results))
    templates = rows(path, "SELECT checklist FROM project WHERE checklist != '[]'")
    assert templates and all(json.loads(t)[0]["name"] for (t,) in templates)
