"""The sizes a run may ask for, and the one transaction that writes the demo data."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from mixtimer_gui.demo.history import build_world, handle_events
from mixtimer_gui.demo.plant import Numbering
from mixtimer_gui.demo.records import (
    HandleWriter,
    handler_rows,
    meter_rows,
    object_rows,
    project_object_rows,
    project_rows,
    reading_rows,
    task_rows,
    task_statuses,
)
from mixtimer_gui.domain import uids
from mixtimer_gui.store import bulk
from mixtimer_gui.store.db import open_database

MAX_OBJECTS = 1_000_000
MAX_PROJECTS = 100_000
MAX_HANDLES = 50_000_000


@dataclass(frozen=True)
class Summary:
    """What a run wrote, for the command's one line."""

    objects: int
    statistics: int
    readings: int
    handlers: int
    projects: int
    running: int
    tasks: int
    handles: int
    ignored: int
    statuses: dict[str, int]
    seconds: float

    def line(self, db: Path) -> str:
        mix = "、".join(f"{k} {v}" for k, v in self.statuses.items())
        return (f"演示数据已写入 {db}:对象 {self.objects},统计 {self.statistics}"
                f"(读数 {self.readings}),处理人 {self.handlers},项目 {self.projects}"
                f"(运行 {self.running}),任务 {self.tasks}({mix}),维保记录 {self.handles}"
                f"(忽略 {self.ignored}),用时 {self.seconds:.1f} 秒")


class DemoRefused(ValueError):
    """Sizes out of range, or a target database that already holds projects; ``str()`` is
    the sentence to print."""


def check_sizes(*, objects: int, projects: int, handles: int) -> None:
    """Bad sizes are refused (``DemoRefused``) with a sentence naming the option."""
    if not 1 <= objects <= MAX_OBJECTS:
        raise DemoRefused(f"--objects 应在 1 到 {MAX_OBJECTS} 之间(收到 {objects})")
    if not 0 <= projects <= MAX_PROJECTS:
        raise DemoRefused(f"--projects 应在 0 到 {MAX_PROJECTS} 之间(收到 {projects})")
    if not 0 <= handles <= MAX_HANDLES:
        raise DemoRefused(f"--handles 应在 0 到 {MAX_HANDLES} 之间(收到 {handles})")
    if handles and not projects:
        raise DemoRefused("--handles 需要至少一个项目:请同时给出 --projects 1 或更多")


def generate(db_path: Path | str, *, objects: int, projects: int, handles: int, seed: int,
             now: int) -> Summary:
    """Write demo data into the database at ``db_path`` (created if missing) as of ``now``:
    ``load`` on a database opened here (scripts, tests, benchmarks; the command opens its
    database the commands' way). Bad sizes are refused before anything is created."""
    check_sizes(objects=objects, projects=projects, handles=handles)
    db = open_database(Path(db_path))
    try:
        return load(db, objects=objects, projects=projects, handles=handles, seed=seed,
                    now=now)
    finally:
        db.close()


def load(db: bulk.LoadTarget, *, objects: int, projects: int, handles: int, seed: int,
         now: int) -> Summary:
    """Write demo data into the open database ``db`` as of the moment ``now``, in one
    transaction.

    Raises ``DemoRefused`` for bad sizes or a database that already has projects; then
    nothing is written.
    """
    check_sizes(objects=objects, projects=projects, handles=handles)
    started = time.perf_counter()
    with bulk.bulk_load(db) as w:
        if w.count("project"):
            raise DemoRefused(f"{db.database} 已有维保项目;演示数据只写入没有项目的数据库,"
                              "请用 --db 指定一个新文件")
        nb = Numbering(
            objects=w.sequence_last(uids.OBJECT_PREFIX),
            statistics=w.sequence_last(uids.STATISTIC_PREFIX),
            projects=w.sequence_last(uids.PROJECT_PREFIX),
            tasks=w.sequence_last(uids.TASK_PREFIX),
            handles=w.sequence_last(uids.HANDLE_PREFIX),
            handle_rowid=w.max_id("handle"), handler_id=w.max_id("handler"))
        world = build_world(objects=objects, projects=projects, handles=handles,
                            seed=seed, now=now, nb=nb)
        w.objects(object_rows(world))
        w.statistics(meter_rows(world))
        readings = w.readings(reading_rows(world))
        w.handlers(handler_rows(world))
        w.projects(project_rows(world))
        w.project_objects(project_object_rows(world))
        writer = HandleWriter(world, seed, nb)
        for handle_chunk, people_chunk, history_chunk in writer.rows(handle_events(world)):
            w.handles(handle_chunk)
            w.handle_handlers(people_chunk)
            w.history(history_chunk)  # what real use writes with each handle (#15)
        w.tasks(task_rows(world))  # after the handles: their cycles are now final
        w.advance_sequences({
            uids.OBJECT_PREFIX: nb.objects + len(world.objects),
            uids.STATISTIC_PREFIX: nb.statistics + len(world.meters),
            uids.PROJECT_PREFIX: nb.projects + len(world.projects),
            uids.TASK_PREFIX: nb.tasks + len(world.tasks),
            uids.HANDLE_PREFIX: nb.handles + writer.written,
        })
    return Summary(len(world.objects), len(world.meters), readings, len(world.handlers),
                   len(world.projects), sum(p.is_active for p in world.projects),
                   len(world.tasks), writer.written, writer.ignored, task_statuses(world),
                   time.perf_counter() - started)
