"""The demo plant as data: objects from the catalogue's kinds, projects from its plans (one
per object for a meter plan), one task per (project, object), and when each project was
created, started and stopped."""

from __future__ import annotations

import random
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from mixtimer_gui.demo.catalogue import KINDS, PLANS, Kind, Plan
from mixtimer_gui.demo.meter import DemoMeter, build_meter
from mixtimer_gui.demo.timeline import HISTORY_DAYS, ONE_DAY
from mixtimer_gui.domain import cycles, uids
from mixtimer_gui.domain.cycles import Cycle, CycleRule


@dataclass
class DemoObject:
    uid: str
    name: str
    alias: str
    kind: Kind
    location: str
    description: str
    created: int


@dataclass
class DemoProject:
    uid: str
    name: str
    plan: Plan
    objects: list[DemoObject]
    meter: DemoMeter | None
    created: int
    started: int | None  # None: never started
    stopped: int | None  # set for projects that ran and were stopped

    @property
    def rule(self) -> CycleRule:
        p = self.plan
        return CycleRule(p.cycle_type, p.period_num, p.period_unit, p.notice_num,
                         p.notice_unit, p.anchor, float(p.meter_period))

    @property
    def is_active(self) -> int:
        return int(self.started is not None and self.stopped is None)

    @property
    def guide(self) -> str:
        return "\n".join(f"{i}. {step}" for i, step in enumerate(self.plan.steps, 1))


@dataclass
class DemoTask:
    index: int
    uid: str
    project: DemoProject
    obj: DemoObject
    times: array = field(default_factory=lambda: array("q"))
    cycle: Cycle | None = None
    last_handle_at: int | None = None


@dataclass
class World:
    now: int
    objects: list[DemoObject]
    meters: list[DemoMeter]
    handlers: list[tuple[int, str, str]]  # id, name, team
    projects: list[DemoProject]
    tasks: list[DemoTask]


@dataclass(frozen=True)
class Numbering:
    """Where each uid sequence and row id continues from in the target database."""

    objects: int = 0
    statistics: int = 0
    projects: int = 0
    tasks: int = 0
    handles: int = 0
    handle_rowid: int = 0
    handler_id: int = 0


def split_by_weight(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; exact sum)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def build_objects(count: int, rng: random.Random, nb: Numbering, now: int) -> list[DemoObject]:
    per_kind = split_by_weight(count, [k.weight for k in KINDS])
    if count >= len(KINDS):  # every kind present, so every plan has equipment
        for i, n in enumerate(per_kind):
            if n == 0:
                donor = max(range(len(per_kind)), key=lambda j: per_kind[j])
                per_kind[donor] -= 1
                per_kind[i] = 1
    objects: list[DemoObject] = []
    for kind, n in zip(KINDS, per_kind, strict=True):
        for number in range(1, n + 1):
            loc_index = (number - 1) % len(kind.locations)
            line = "ABC"[loc_index % 3]
            name = kind.pattern.format(n=number, line=line)
            alias = f"{kind.code}-{line if '{line}' in kind.pattern else ''}{number:02d}"
            created = now - (HISTORY_DAYS + 70) * ONE_DAY - rng.randrange(0, 30 * ONE_DAY)
            year = 2015 + rng.randrange(0, 9)
            description = f"{rng.choice(kind.models)},{year}年投用"
            objects.append(DemoObject(
                uids.format_uid(uids.OBJECT_PREFIX, nb.objects + len(objects) + 1), name, alias,
                kind, kind.locations[loc_index], description, created))
    return objects


def plan_order(objects: Sequence[DemoObject]) -> list[Plan]:
    present = {o.kind.key for o in objects}
    return [p for p in PLANS if p.kind in present]


def build_projects(count: int, objects: list[DemoObject], rng: random.Random,
                   nb: Numbering, now: int) -> tuple[list[DemoProject], list[DemoMeter]]:
    plans = plan_order(objects)
    if not plans or count <= 0:
        return [], []
    by_kind: dict[str, list[DemoObject]] = {}
    for obj in objects:
        by_kind.setdefault(obj.kind.key, []).append(obj)
    uses = [sum(1 for i in range(count) if i % len(plans) == j) for j in range(len(plans))]
    meters: dict[str, DemoMeter] = {}
    projects: list[DemoProject] = []
    for i in range(count):
        plan = plans[i % len(plans)]
        group, groups = i // len(plans), uses[i % len(plans)]
        kind_objects = by_kind[plan.kind]
        meter = None
        if plan.cycle_type in (cycles.STATISTIC, cycles.FIRST):  # one meter per object
            obj = kind_objects[group % len(kind_objects)]
            members = [obj]
            name = plan.name.format(object=obj.name)
            if obj.uid not in meters:
                uid = uids.format_uid(uids.STATISTIC_PREFIX, nb.statistics + len(meters) + 1)
                assert obj.kind.meter is not None  # a meter plan's kind has one
                meters[obj.uid] = build_meter(obj.name, obj.kind.meter, rng, uid, now)
            meter = meters[obj.uid]
        else:
            members = kind_objects[group::groups]
            name = plan.name if groups == 1 else f"{plan.name}({group + 1}组)"
        created, started, stopped = project_timeline(i, rng, now)
        projects.append(DemoProject(
            uids.format_uid(uids.PROJECT_PREFIX, nb.projects + i + 1), name, plan, members,
            meter, created, started, stopped))
    return projects, list(meters.values())


def project_timeline(i: int, rng: random.Random, now: int) -> tuple[int, int | None, int | None]:
    """Most projects run for the whole history; some started later; every tenth is stopped
    and (from ten projects on) some were never started."""
    if i % 10 == 9:
        return now - rng.randrange(1, 30) * ONE_DAY, None, None
    created = now - HISTORY_DAYS * ONE_DAY - rng.randrange(10, 40) * ONE_DAY
    started = created + rng.randrange(1, 10) * ONE_DAY
    if i % 4 == 3:
        started = now - rng.randrange(90, 540) * ONE_DAY
        created = started - rng.randrange(1, 10) * ONE_DAY
    stopped = None
    if i % 10 == 7:
        stopped = now - rng.randrange(20, 120) * ONE_DAY
        if stopped <= started + 30 * ONE_DAY:
            stopped = started + (now - started) // 2
    return created, started, stopped


def build_tasks(projects: list[DemoProject], nb: Numbering) -> list[DemoTask]:
    tasks: list[DemoTask] = []
    for project in projects:
        for obj in project.objects:
            uid = uids.format_uid(uids.TASK_PREFIX, nb.tasks + len(tasks) + 1)
            tasks.append(DemoTask(len(tasks), uid, project, obj))
    return tasks

