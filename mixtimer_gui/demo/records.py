"""The rows ``store.bulk`` writes: the catalogue tables, then the handles in chunks as the
history streams them (who did it, what it cost, what was found), then the tasks' final
cycles."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from mixtimer_gui.demo.catalogue import (
    ABNORMAL_SHARE,
    CHECKLISTS,
    IGNORE_REASONS,
    IGNORE_SHARE,
    NOTES,
    PERIOD_WORDS,
    RESULTS,
)
from mixtimer_gui.demo.history import HandleEvent
from mixtimer_gui.demo.plant import DemoTask, Numbering, World
from mixtimer_gui.demo.timeline import HISTORY_DAYS, ONE_DAY
from mixtimer_gui.domain import checklists, cycles, rules, status, uids
from mixtimer_gui.domain.clock import format_wire
from mixtimer_gui.domain.cycles import Cycle
from mixtimer_gui.services import history
from mixtimer_gui.services.handles import HANDLE_SHOWN, TASK_SHOWN

HANDLE_CHUNK = 20_000


class HandleWriter:
    """Turns handle events into ``store.bulk`` rows: who, what it cost, what was found."""

    def __init__(self, world: World, seed: int, nb: Numbering) -> None:
        self.world = world
        self.nb = nb
        self.rng = random.Random(f"mixtimer-demo/{seed}/handles")
        self.teams: dict[str, list[tuple[int, str]]] = {}
        for hid, name, team in world.handlers:
            self.teams.setdefault(team, []).append((hid, name))
        self._lists: dict[tuple[int, ...], tuple[str, str]] = {}
        self._result_weights = list(accumulate(w for _, w, _, _ in RESULTS))
        self.written = 0
        self.ignored = 0

    def rows(self, events: Iterator[HandleEvent]
             ) -> Iterator[tuple[list[tuple], list[tuple], list[tuple]]]:
        """Chunks of (handle rows, handle_handler rows, history rows)."""
        handles: list[tuple] = []
        people: list[tuple] = []
        changes: list[tuple] = []
        for event in events:
            self.written += 1
            rowid = self.nb.handle_rowid + self.written
            uid = uids.format_uid(uids.HANDLE_PREFIX, self.nb.handles + self.written)
            task = self.world.tasks[event.task_index]
            row = self.row(rowid, uid, task, event.moment, event.closed_due, event.skipped,
                           people)
            handles.append(row)
            changes.extend(history_rows(row, event))
            if len(handles) >= HANDLE_CHUNK:
                yield handles, people, changes
                handles, people, changes = [], [], []
        if handles:
            yield handles, people, changes

    def row(self, rowid: int, uid: str, task: DemoTask, moment: int, due_at: int | None,
            skipped: int, people: list[tuple]) -> tuple:
        rng, project, obj = self.rng, task.project, task.obj
        if rng.random() < IGNORE_SHARE:
            self.ignored += 1
            ids_json, names_json = "[]", "[]"
            fee, result, ignored = 0.0, rules.IGNORED_RESULT, 1
            description = rng.choice(IGNORE_REASONS)
        else:
            team = self.teams[obj.kind.team]
            size = 1 if rng.random() < 0.65 else (2 if rng.random() < 0.85 else 3)
            chosen = sorted(rng.sample(team, min(size, len(team))))
            ids_json, names_json = self.lists(chosen)
            for hid, name in chosen:
                people.append((rowid, hid, name, moment))
            result, low, high = self.result()
            fee = 0.0 if high == 0 or rng.random() < 0.3 else round(rng.uniform(low, high))
            description = f"{project.name}:{rng.choice(NOTES)}"
            ignored = 0
        results = [] if ignored else self.checks(project.plan.name)
        return (rowid, uid, task.uid, project.uid, project.name, project.uid, obj.uid,
                obj.name, obj.alias, description, ids_json, names_json, float(fee), result, "",
                ignored, due_at, skipped, "", moment, 0, moment, 0, moment,
                json.dumps(results, ensure_ascii=False) if results else "[]",
                int(checklists.is_abnormal(results)))

    def checks(self, plan_name: str) -> list[dict]:
        """Results for a plan's checklist, judged by the domain's rule as the services
        judge a ``v2_handle``: mostly fine, now and then something found."""
        template = checklist_of(plan_name)
        if not template:
            return []
        rng = self.rng
        found = rng.random() < ABNORMAL_SHARE
        entries = []
        for item in template:
            kind = item["kind"]
            if kind == checklists.CHECK:
                value = checklists.ABNORMAL if found and rng.random() < 0.5 else checklists.OK
            elif kind == checklists.MEASURE:
                high = float(item["max"]) if item.get("max") is not None else 100.0
                share = rng.uniform(1.02, 1.2) if found else rng.uniform(0.4, 0.95)
                value = round(high * share, 1)
            else:
                value = rng.choice(NOTES) if rng.random() < 0.3 else ""
            entries.append((item["name"], value))
        return checklists.evaluate(entries, template)

    def result(self) -> tuple[str, float, float]:
        text, _, low, high = self.rng.choices(RESULTS, cum_weights=self._result_weights)[0]
        return text, low, high

    def lists(self, chosen: list[tuple[int, str]]) -> tuple[str, str]:
        key = tuple(hid for hid, _ in chosen)
        cached = self._lists.get(key)
        if cached is None:
            cached = self._lists[key] = (json.dumps(list(key)), json.dumps(
                [name for _, name in chosen], ensure_ascii=False))
        return cached


# -- the change history, as real use writes it with each handle --------------------------


class _WireTimes(dict):
    """``format_wire`` remembered: a handle's moment comes back as the next one's "before"
    (cycle start, last handle), so most times are formatted once instead of three times."""

    def __missing__(self, moment: int | None) -> str:
        if len(self) > 200_000:
            self.clear()
        text = self[moment] = format_wire(moment)
        return text


_wire = _WireTimes()


def history_rows(handle: tuple, event: HandleEvent) -> tuple[tuple, tuple]:
    """The two rows ``services.handles`` writes with a handle (spec §8): the handle's
    creation (the fields it set) and the task's cycle moving on (before → after)."""
    (_rowid, uid, task_uid, *_copies, description, ids_json, names_json, fee, result, images,
     ignored, due_at, skipped, _org, created, _by, _modified, _modified_by, handled_at,
     _checks, _abnormal) = handle
    shown = {"uid": uid, "task_id": task_uid, "description": description,
             "handler_id_list": json.loads(ids_json),
             "handler_name_list": json.loads(names_json), "fee": _number(fee),
             "result": result, "images": images, "is_ignored": ignored,
             "handled_at": _wire[handled_at], "due_at": _wire[due_at],
             "skipped_cycles": skipped, "is_voided": 0, "void_reason": "",
             "voided_at": None, "voided_by": 0}
    action = "v2_handle_ignore" if ignored else "v2_handle"
    made = history.changes(None, {name: shown[name] for name in HANDLE_SHOWN})
    moved = history.changes(_task_state(event.before, event.last_handle_at),
                            _task_state(event.after, event.moment))
    return ((created, 0, "", history.CLI, action, history.HANDLE, uid, _json(made)),
            (created, 0, "", history.CLI, action, history.TASK, task_uid, _json(moved)))


def _task_state(cycle: Cycle, last_handle_at: int | None) -> dict[str, Any]:
    state = {"cycle_start": _wire[cycle.cycle_start], "due_at": _wire[cycle.due_at],
             "notice_at": _wire[cycle.notice_at], "start_value": _number(cycle.start_value),
             "due_value": _number(cycle.due_value), "last_handle_at": _wire[last_handle_at]}
    return {name: state[name] for name in TASK_SHOWN}


def _number(value: float | None) -> float | int | None:
    # as the wire (and the history) shows it: 100, not 100.0
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _json(changes: dict[str, list[Any]]) -> str:
    return json.dumps(changes, ensure_ascii=False, default=str)


# -- catalogue rows ---------------------------------------------------------------------------


def object_rows(world: World) -> Iterator[tuple]:
    for o in world.objects:
        yield (o.uid, o.name, o.alias, o.description, o.location, "", o.created, 0, o.created, 0)


def meter_rows(world: World) -> Iterator[tuple]:
    for m in world.meters:
        yield (m.uid, m.name, m.name, m.unit, m.description, "", m.created, 0, m.created, 0)


def reading_rows(world: World) -> Iterator[tuple]:
    for m in world.meters:
        for moment, value in zip(m.times, m.values, strict=True):
            yield (m.uid, moment, value, moment)


def handler_rows(world: World) -> Iterator[tuple]:
    start = world.now - (HISTORY_DAYS + 100) * ONE_DAY
    for hid, name, _ in world.handlers:
        yield (hid, name, start)


def checklist_of(plan_name: str) -> list[dict]:
    """A plan's checklist template as the rules store it (``read_checklist``)."""
    return _templates().get(plan_name, [])


_TEMPLATES: dict[str, list[dict]] = {}


def _templates() -> dict[str, list[dict]]:
    if not _TEMPLATES:
        for name, items in CHECKLISTS.items():
            _TEMPLATES[name] = checklists.read_checklist({"checklist": items})
    return _TEMPLATES


def project_rows(world: World) -> Iterator[tuple]:
    for p in world.projects:
        plan = p.plan
        changed = p.stopped or p.started or p.created
        every = (f"每 {plan.period_num} "
                 f"{PERIOD_WORDS.get(plan.period_unit, plan.period_unit)}")
        description = f"{len(p.objects)} 台{plan.kind},{every}一次"
        if plan.cycle_type == cycles.STATISTIC and p.meter is not None:
            description = f"{p.meter.name}每累计 {plan.period_num} {p.meter.unit}维保一次"
        if plan.cycle_type == cycles.FIRST and p.meter is not None:
            description = (f"{p.meter.name}每累计 {plan.meter_period} {p.meter.unit}或"
                           f"{every},先到为准")
        template = checklist_of(plan.name)
        yield (p.uid, p.name, p.uid, description, plan.cycle_type,
               p.meter.uid if p.meter else "", plan.period_num, plan.period_unit,
               plan.notice_num, plan.notice_unit, p.guide, plan.anchor, p.is_active, "",
               p.created, 0, changed, 0, float(plan.meter_period),
               json.dumps(template, ensure_ascii=False) if template else "[]")


def project_object_rows(world: World) -> Iterator[tuple]:
    for p in world.projects:
        for position, obj in enumerate(p.objects):
            yield (p.uid, obj.uid, position)


def task_rows(world: World) -> Iterator[tuple]:
    for t in world.tasks:
        c = t.cycle
        changed = t.last_handle_at or t.project.started or t.project.created
        yield (t.uid, t.project.uid, t.obj.uid, "",
               c.cycle_start if c else None, c.grid_anchor if c else None,
               c.cycle_index if c else 1, c.due_at if c else None, c.notice_at if c else None,
               c.start_value if c else None, c.base_value if c else None,
               c.due_value if c else None, t.last_handle_at, "", t.project.created, 0,
               changed, 0, c.time_due_at if c else None, c.value_due_at if c else None,
               cycles.due_by(c.time_due_at, c.value_due_at) if c else "")


def task_statuses(world: World) -> dict[str, int]:
    counts = dict.fromkeys(status.STATUSES, 0)
    for t in world.tasks:
        c = t.cycle
        s = status.task_status(bool(t.project.is_active), c.cycle_start if c else None,
                               c.due_at if c else None, c.notice_at if c else None, world.now)
        counts[s] += 1
    return counts

