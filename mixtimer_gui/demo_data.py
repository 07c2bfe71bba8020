"""``mixtimer-gui demo-data``: a plant's worth of realistic data, fast enough for a million
handles.

What it writes: equipment (空压机1号, 注塑机A3 …) with locations; meters (运行小时, 模次计数 …)
with daily cumulative readings; people (张三, 李四 …); maintenance projects of both cycle
types and both anchor types with their guides; one task per (project, object); and two years
of handles with handlers, fees, results and some ignores.

History is simulated, not invented: every task's cycles are run through ``domain.cycles``
(and ``domain.forecast`` for meters) handle by handle, so each handle's ``due_at`` and
``skipped_cycles`` and each task's current cycle are exactly what the services would have
stored had the same handles been recorded live. The last handle of each running task is
placed so that, relative to now, statuses come out as a mix of 正常 / 即将到期 / 已到期; stopped
and never-started projects give 未启动.

Everything is written by ``store.bulk`` in one transaction (all or nothing), handles in
chunks streamed in time order, so memory stays flat and row ids follow ``created`` as they
would in a database that grew through the services. Times are laid out backwards from the
moment it runs, so the same sizes and seed give the same records, shifted to that moment
(``generate`` takes the moment as an argument; tests pass a fixed one).
"""

from __future__ import annotations

import heapq
import json
import math
import random
import sys
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from mixtimer_gui.domain import clock, cycles, rules, status, uids
from mixtimer_gui.domain.cycles import Cycle, CycleRule

DAY = 86400
HISTORY_DAYS = 730
HANDLE_CHUNK = 20_000
MAX_OBJECTS = 1_000_000
MAX_PROJECTS = 100_000
MAX_HANDLES = 50_000_000

# ---------------------------------------------------------------------------------------
# The plant: equipment kinds, meters, people, maintenance plans
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meter:
    name: str
    unit: str
    daily: tuple[float, float]  # usage per working day, low and high
    decimals: int  # 1 for hours, 0 for counters


@dataclass(frozen=True)
class Kind:
    key: str
    pattern: str  # "{n}" = number within the kind, "{line}" = letter of the location
    code: str  # alias prefix, pinyin initials as on the plant's asset tags
    locations: tuple[str, ...]
    weight: int
    team: str
    models: tuple[str, ...]
    meter: Meter | None = None


HOURS = Meter("运行小时", "小时", (14.0, 22.0), 1)
KINDS: tuple[Kind, ...] = (
    Kind("空压机", "空压机{n}号", "KYJ", ("动力站",), 3, "动力",
         ("螺杆式空压机 GA37,额定功率37kW", "螺杆式空压机 GA55,排气量10m³/min",
          "离心式空压机 ZH350"), HOURS),
    Kind("冷却塔", "冷却塔{n}号", "LQT", ("动力站", "二车间屋面"), 2, "动力",
         ("横流式冷却塔 100t/h", "逆流式冷却塔 200t/h")),
    Kind("注塑机", "注塑机{line}{n}", "ZSJ", ("一车间", "二车间", "三车间"), 8, "设备",
         ("海天 MA1600,锁模力160t", "海天 MA2500,锁模力250t", "震雄 EM320"),
         Meter("模次计数", "模次", (2500.0, 6000.0), 0)),
    Kind("输送带", "输送带{line}{n}", "SSD", ("装配车间", "包装车间", "成品仓库"), 6, "设备",
         ("平皮带输送线 12m", "链板输送线 20m", "滚筒输送线 8m")),
    Kind("配电柜", "配电柜{n}号", "PDG", ("一车间", "二车间", "配电房", "动力站"), 6, "动力",
         ("GGD 低压配电柜", "XL-21 动力配电柜", "MNS 抽出式开关柜")),
    Kind("叉车", "叉车{n}号", "CC", ("成品仓库", "原料仓库"), 4, "仓储",
         ("合力 CPD30 电动叉车", "杭叉 CPCD35 内燃叉车"),
         Meter("运行小时", "小时", (4.0, 9.0), 1)),
    Kind("加工中心", "加工中心{line}{n}", "JGZX", ("机加工车间",), 5, "设备",
         ("立式加工中心 VMC850", "卧式加工中心 HMC630"),
         Meter("主轴运行小时", "小时", (10.0, 18.0), 1)),
    Kind("冲床", "冲床P{n}", "CCJ", ("冲压车间",), 4, "设备",
         ("开式冲床 JH21-80", "闭式冲床 JW31-160"),
         Meter("冲次计数", "次", (6000.0, 15000.0), 0)),
    Kind("锅炉", "锅炉{n}号", "GL", ("锅炉房",), 1, "动力",
         ("燃气蒸汽锅炉 WNS4-1.25-Q",)),
    Kind("货梯", "货梯{n}号", "HT", ("办公楼", "成品仓库"), 2, "仓储",
         ("曳引式货梯 2000kg",)),
    Kind("消防泵", "消防泵{n}号", "XFB", ("消防泵房",), 2, "动力",
         ("XBD 立式消防泵 30L/s",)),
    Kind("变压器", "变压器{n}号", "BYQ", ("变电所",), 2, "动力",
         ("干式变压器 SCB11-1250kVA", "油浸式变压器 S13-2000kVA")),
    Kind("空调机组", "空调机组{n}号", "KT", ("办公楼", "一车间"), 2, "动力",
         ("风冷螺杆冷水机组 360kW", "组合式空调机组 AHU-20")),
)

# id, name, team. Ids start at 1 like the original's examples (``handler_id_list: [1,2]``).
PEOPLE: tuple[tuple[str, str], ...] = (
    ("张三", "动力"), ("李四", "动力"), ("王五", "动力"), ("赵六", "动力"),
    ("钱七", "设备"), ("孙八", "设备"), ("周九", "设备"), ("吴十", "设备"), ("郑伟", "设备"),
    ("王芳", "仓储"), ("刘洋", "仓储"), ("陈静", "设备"), ("杨磊", "动力"), ("黄敏", "仓储"),
)


@dataclass(frozen=True)
class Plan:
    """A maintenance project template. ``name`` may use ``{object}`` (per-object meter plans)."""

    kind: str
    name: str
    cycle_type: str
    period_num: int
    period_unit: str
    notice_num: int
    notice_unit: str
    anchor: str
    steps: tuple[str, ...]


N, S = cycles.NATURAL, cycles.STATISTIC
DONE, GRID = cycles.BY_COMPLETION, cycles.BY_PLAN
# The first eight cover both cycle types, both anchors and every unit, so small runs do too.
PLANS: tuple[Plan, ...] = (
    Plan("空压机", "空压机季度保养", N, 3, "月", 7, "日", DONE,
         ("停机泄压,挂牌上锁", "更换空气滤芯、油滤芯", "检查油气分离器压差", "清洁冷却器散热片",
          "开机试运行,记录排气压力与温度")),
    Plan("空压机", "{object}运行2000小时保养", S, 2000, "", 5, "日", DONE,
         ("更换润滑油及油滤", "更换油气分离芯", "检查进气阀及最小压力阀", "紧固电气接线")),
    Plan("冷却塔", "冷却塔月度清洗", N, 1, "月", 5, "日", GRID,
         ("排空集水盘并清除污泥", "清洗填料及布水器", "检查风机皮带与减速箱油位",
          "投加杀菌灭藻剂")),
    Plan("注塑机", "注塑机润滑检查", N, 1, "周", 1, "日", DONE,
         ("检查自动润滑泵油位", "确认曲肘各润滑点出油", "清理拉杆及导轨油污")),
    Plan("配电柜", "配电柜年度预防性试验", N, 1, "年", 1, "月", GRID,
         ("停电验电并挂接地线", "测量绝缘电阻", "断路器动作特性试验", "紧固母排螺栓",
          "恢复送电并记录数据")),
    Plan("锅炉", "锅炉巡检", N, 8, "时", 0, "日", GRID,
         ("检查水位计及压力表", "查看燃烧器火焰", "记录排烟温度", "检查安全阀及排污阀")),
    Plan("叉车", "叉车日常点检", N, 1, "日", 0, "日", DONE,
         ("检查轮胎及货叉", "测试制动与喇叭", "检查电瓶电量或油位", "检查液压油管有无渗漏")),
    Plan("注塑机", "{object}模具保养", S, 50000, "", 3, "日", GRID,
         ("清洁模具型腔与分型面", "检查顶针及滑块", "疏通冷却水路", "涂防锈剂")),
    Plan("输送带", "输送带张紧与跑偏检查", N, 2, "周", 2, "日", DONE,
         ("检查皮带张紧度", "调整跑偏", "检查托辊转动", "清理滚筒粘料")),
    Plan("配电柜", "配电柜红外测温", N, 1, "月", 3, "日", DONE,
         ("带负荷红外测温", "记录接头温度", "温升超标处拍照上报")),
    Plan("叉车", "{object}250小时保养", S, 250, "", 3, "日", DONE,
         ("更换机油及机滤", "检查制动液", "润滑门架链条", "检查转向系统")),
    Plan("货梯", "货梯半月保养", N, 15, "日", 2, "日", GRID,
         ("检查曳引机及制动器", "清洁轿厢导轨", "测试门锁及安全钳", "检查限速器")),
    Plan("消防泵", "消防泵每周试运行", N, 1, "周", 1, "日", GRID,
         ("手动启泵运行5分钟", "记录出口压力", "检查控制柜状态", "恢复自动状态")),
    Plan("变压器", "变压器季度巡检", N, 3, "月", 7, "日", GRID,
         ("检查油位及温度", "听运行声音", "检查接地", "清扫绝缘子")),
    Plan("冷却塔", "冷却塔年度防腐检查", N, 1, "年", 1, "月", DONE,
         ("检查塔体及支架锈蚀", "补刷防腐漆", "检查风机叶片")),
    Plan("加工中心", "加工中心导轨润滑", N, 1, "日", 0, "日", DONE,
         ("检查导轨油量", "手动润滑一次", "清理铁屑")),
    Plan("加工中心", "{object}主轴500小时保养", S, 500, "", 5, "日", DONE,
         ("检查主轴跳动", "清洁主轴锥孔", "检查拉刀机构", "更换主轴冷却液")),
    Plan("冲床", "{object}离合器与制动器检查", S, 100000, "", 2, "日", DONE,
         ("检查离合器摩擦片磨损", "调整制动角", "检查气压")),
    Plan("冲床", "冲床月度保养", N, 1, "月", 5, "日", DONE,
         ("检查滑块导轨间隙", "润滑各部位", "紧固地脚螺栓")),
    Plan("空调机组", "空调机组换季保养", N, 6, "月", 15, "日", GRID,
         ("清洗过滤网", "检查冷媒压力", "清洗冷凝器", "检查电气控制")),
    Plan("注塑机", "注塑机液压油更换", N, 1, "年", 1, "月", DONE,
         ("取油样化验", "排放旧油", "清洗油箱及滤网", "加注新油并排气")),
    Plan("锅炉", "锅炉水质化验", N, 1, "日", 0, "日", DONE,
         ("取样化验硬度与碱度", "调整加药量", "记录化验结果")),
    Plan("输送带", "输送带滚筒润滑", N, 1, "月", 5, "日", DONE,
         ("轴承座加注润滑脂", "检查减速机油位")),
    Plan("空压机", "空压机日常点检", N, 1, "日", 0, "日", DONE,
         ("记录排气压力与温度", "排放冷凝水", "检查有无异响")),
    Plan("货梯", "货梯年检", N, 1, "年", 1, "月", GRID,
         ("配合特检院检验", "整改检验意见", "更新合格证")),
    Plan("消防泵", "消防泵年度检测", N, 1, "年", 1, "月", GRID,
         ("流量压力测试", "检查联动启泵", "出具检测报告")),
)

# (result, relative weight, fee low, fee high); many handles cost nothing.
RESULTS: tuple[tuple[str, int, float, float], ...] = (
    ("正常", 50, 0, 0), ("正常,已清洁", 10, 0, 0), ("已加注润滑油", 8, 0, 160),
    ("已更换滤芯", 6, 80, 480), ("已紧固松动螺栓", 5, 0, 0), ("发现异响已处理", 4, 0, 600),
    ("已更换密封圈", 3, 40, 260), ("皮带张紧度已调整", 3, 0, 0), ("已更换易损件", 3, 50, 900),
    ("绝缘测试合格", 3, 0, 0), ("已更换轴承", 2, 300, 2600), ("发现隐患,已报修", 2, 0, 0),
    ("委外维修完成", 1, 2000, 18000),
)
NOTES: tuple[str, ...] = (
    "按作业指导书完成,设备运行正常", "已记录运行参数并归档", "保养后试运行30分钟,无异常",
    "现场已清理,班组长已确认", "与生产协调后停机处理", "备件从二号库领用",
    "夜班完成,交接班已说明", "按点检表逐项确认",
)
IGNORE_REASONS: tuple[str, ...] = (
    "设备停机检修,本周期跳过", "生产任务紧张,经主管同意延后", "设备已封存待报废",
    "备件未到货,下周期一并处理", "节假日停产", "上周期刚做过大修,本次免检",
)
IGNORE_SHARE = 0.04

# ---------------------------------------------------------------------------------------
# The generated world (pure data)
# ---------------------------------------------------------------------------------------


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
class DemoMeter:
    uid: str
    name: str
    unit: str
    description: str
    created: int
    times: array  # reading moments, ascending
    values: array  # cumulative, non-decreasing

    def value_at(self, moment: int) -> float:
        i = bisect_right(self.times, moment)
        return self.values[i - 1] if i else 0.0

    def readings(self, since: int, until: int) -> list[tuple[int, float]]:
        lo, hi = bisect_left(self.times, since), bisect_right(self.times, until)
        return list(zip(self.times[lo:hi], self.values[lo:hi], strict=True))

    def daily_rate(self) -> float:
        span = (self.times[-1] - self.times[0]) / DAY if len(self.times) > 1 else 0
        return (self.values[-1] - self.values[0]) / span if span > 0 else 1.0


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
                         p.notice_unit, p.anchor)

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


# -- helpers on time ------------------------------------------------------------------------


def local_midnight(day: date) -> int:
    return clock.from_local(datetime(day.year, day.month, day.day))


def local_day(moment: int) -> date:
    return clock.to_local(moment).date()


class WorkHours:
    """Moves a moment into the working day (08:00–17:30) of its local date; cached per day
    because a million handles would otherwise spend seconds in time-zone arithmetic."""

    def __init__(self) -> None:
        self._midnights: dict[date, int] = {}

    def snap(self, moment: int, rng: random.Random) -> int:
        day = local_day(moment)
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = local_midnight(day)
        return midnight + 8 * 3600 + rng.randrange(0, int(9.5 * 3600))


def nominal_period(rule: CycleRule, meter: DemoMeter | None) -> float:
    """The period in seconds, roughly (months as 30.44 days; meters at their mean rate)."""
    if rule.cycle_type == cycles.STATISTIC:
        rate = meter.daily_rate() if meter else 1.0
        return max(3600.0, rule.period_num / max(rate, 1e-9) * DAY)
    unit_s = {"时": 3600, "日": DAY, "周": 7 * DAY, "月": 30.44 * DAY, "年": 365.25 * DAY}
    return rule.period_num * unit_s[rule.period_unit]


def notice_seconds(rule: CycleRule) -> float:
    return rule.notice_num * (30.44 * DAY if rule.notice_unit == "月" else DAY)


# -- building the world ---------------------------------------------------------------------


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
            created = now - (HISTORY_DAYS + 70) * DAY - rng.randrange(0, 30 * DAY)
            year = 2015 + rng.randrange(0, 9)
            description = f"{rng.choice(kind.models)},{year}年投用"
            objects.append(DemoObject(
                uids.format_uid(uids.OBJECT_PREFIX, nb.objects + len(objects) + 1), name, alias,
                kind, kind.locations[loc_index], description, created))
    return objects


def build_meter(obj: DemoObject, rng: random.Random, uid: str, now: int) -> DemoMeter:
    meter = obj.kind.meter
    assert meter is not None
    # Readings begin before any project can start, so every cycle has a starting value.
    first_day = local_day(now - (HISTORY_DAYS + 60) * DAY)
    days = (local_day(now) - first_day).days
    low, high = meter.daily
    rate = rng.uniform(low, high)
    value = float(round(rng.uniform(200 * rate, 2000 * rate), meter.decimals))
    times, values = array("q"), array("d")
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        moment = local_midnight(day) + 20 * 3600  # read at the end of the day shift
        if moment > now:
            break
        weekend = 0.35 if day.weekday() >= 5 else 1.0
        value = round(value + rate * weekend * rng.uniform(0.6, 1.3), meter.decimals)
        if rng.random() < 0.08:  # nobody read the meter that day
            continue
        times.append(moment)
        values.append(value)
    created = local_midnight(first_day) - rng.randrange(1, 10) * DAY  # before its readings
    return DemoMeter(uid, f"{obj.name}{meter.name}", meter.unit,
                     f"{obj.name}的累计{meter.name},每日交班时抄表", created, times, values)


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
        if plan.cycle_type == cycles.STATISTIC:
            obj = kind_objects[group % len(kind_objects)]
            members = [obj]
            name = plan.name.format(object=obj.name)
            if obj.uid not in meters:
                uid = uids.format_uid(uids.STATISTIC_PREFIX, nb.statistics + len(meters) + 1)
                meters[obj.uid] = build_meter(obj, rng, uid, now)
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
        return now - rng.randrange(1, 30) * DAY, None, None
    created = now - HISTORY_DAYS * DAY - rng.randrange(10, 40) * DAY
    started = created + rng.randrange(1, 10) * DAY
    if i % 4 == 3:
        started = now - rng.randrange(90, 540) * DAY
        created = started - rng.randrange(1, 10) * DAY
    stopped = None
    if i % 10 == 7:
        stopped = now - rng.randrange(20, 120) * DAY
        if stopped <= started + 30 * DAY:
            stopped = started + (now - started) // 2
    return created, started, stopped


def build_tasks(projects: list[DemoProject], nb: Numbering) -> list[DemoTask]:
    tasks: list[DemoTask] = []
    for project in projects:
        for obj in project.objects:
            uid = uids.format_uid(uids.TASK_PREFIX, nb.tasks + len(tasks) + 1)
            tasks.append(DemoTask(len(tasks), uid, project, obj))
    return tasks


def build_world(*, objects: int, projects: int, handles: int, seed: int, now: int,
                nb: Numbering = Numbering()) -> World:
    """Everything but the handle rows, which ``handle_events`` streams from ``tasks``."""
    rng = random.Random(f"mixtimer-demo/{seed}")
    objs = build_objects(objects, rng, nb, now)
    projs, meters = build_projects(projects, objs, rng, nb, now)
    tasks = build_tasks(projs, nb)
    handlers = [(nb.handler_id + i + 1, name, team) for i, (name, team) in enumerate(PEOPLE)]
    counts = allocate_handles(tasks, handles, now)
    work_hours = WorkHours()
    for task, count in zip(tasks, counts, strict=True):
        task_rng = random.Random(f"mixtimer-demo/{seed}/{task.index}")
        task.times = handle_times(task, count, now, task_rng, work_hours)
    return World(now, objs, meters, handlers, projs, tasks)


# -- how many handles each task gets, and when ----------------------------------------------


def history_span(project: DemoProject, now: int) -> tuple[int, int] | None:
    if project.started is None:
        return None
    return project.started, project.stopped or now


def allocate_handles(tasks: Sequence[DemoTask], total: int, now: int) -> list[int]:
    """Split ``total`` over the tasks that ran: more for short periods (√ of the cycles they
    ran through, so hourly rounds don't take everything); fixed-plan tasks get at most one
    per grid cycle, or every handle would close a future cycle early."""
    weights, caps = [], []
    for task in tasks:
        span = history_span(task.project, now)
        if span is None or span[1] <= span[0]:
            weights.append(0.0)
            caps.append(0)
            continue
        period = nominal_period(task.project.rule, task.project.meter)
        ran = (span[1] - span[0]) / period
        weights.append(math.sqrt(ran + 1))
        # 0.9: the last handle sits up to ~1.6 periods before now, so not every cycle fits.
        caps.append(max(1, int(ran * 0.9)) if task.project.plan.anchor == GRID
                    else sys.maxsize)
    counts = [0] * len(tasks)
    open_ = [i for i, w in enumerate(weights) if w > 0]
    remaining = total
    while remaining > 0 and open_:
        shares = split_by_weight(remaining, [weights[i] for i in open_])
        capped = [i for i, s in zip(open_, shares, strict=True) if counts[i] + s >= caps[i]]
        if not capped:
            for i, s in zip(open_, shares, strict=True):
                counts[i] += s
            remaining = 0
            break
        for i in capped:
            remaining -= caps[i] - counts[i]
            counts[i] = caps[i]
        done = set(capped)
        open_ = [i for i in open_ if i not in done]
    ran_tasks = [i for i, w in enumerate(weights) if w > 0]
    if remaining and not ran_tasks:
        raise ValueError("--handles 需要至少一个已启动且有对象的项目")
    for k in range(remaining):  # more handles than cycles: pile the rest on, early handling
        counts[ran_tasks[k % len(ran_tasks)]] += 1
    return counts


def handle_times(task: DemoTask, count: int, now: int, rng: random.Random,
                 work_hours: WorkHours) -> array:
    """``count`` ascending moments in the task's running span, about one period apart, the
    last placed so that the task's status at the end of the span is the one it aims at
    (``STATUS_TURNS``): that is what makes the statuses a realistic mix relative to now."""
    span = history_span(task.project, now)
    times = array("q")
    if span is None or count <= 0:
        return times
    start, end = span
    rule = task.project.rule
    period = nominal_period(rule, task.project.meter)
    aim = STATUS_TURNS[task.index % len(STATUS_TURNS)]
    snap = rule.period_unit != "时" and (end - start) / count >= 2 * DAY
    if rule.anchor_type == GRID and rule.cycle_type == cycles.NATURAL:
        moments = grid_moments(rule, start, end, count, aim, rng)
    else:
        if rule.cycle_type == cycles.NATURAL:
            last = aimed_completion(rule, start, end, aim, rng, work_hours, snap)
        else:
            last = end - period * meter_age(rule, period, aim, rng)
        if last <= start + 60:
            last = start + (end - start) * rng.uniform(0.5, 0.95)
        moments = spaced_before(last, start, count, period, rng)
    previous = start
    for moment in moments[:-1]:
        m = work_hours.snap(int(moment), rng) if snap else int(moment)
        m = min(max(m, previous + 60), end - 60)
        times.append(m)
        previous = m
    times.append(min(max(last_moment(rule, start, moments[-1], rng, work_hours, snap),
                         previous + 60), end - 60))
    return times


def last_moment(rule: CycleRule, anchor: int, moment: float, rng: random.Random,
                work_hours: WorkHours, snap: bool) -> int:
    """The last handle keeps the grid cell it was placed in (that decides the status); a
    completion task's last handle was placed, and snapped, already."""
    if not snap or rule.anchor_type != GRID or rule.cycle_type != cycles.NATURAL:
        return int(moment)
    snapped = work_hours.snap(int(moment), rng)
    same_cell = (cycles.first_grid_index_after(anchor, snapped, rule.period_num,
                                               rule.period_unit)
                 == cycles.first_grid_index_after(anchor, int(moment), rule.period_num,
                                                  rule.period_unit))
    return snapped if same_cell else int(moment)


def spaced_before(last: float, start: int, count: int, period: float,
                  rng: random.Random) -> list[float]:
    """``count`` moments ending at ``last``, about a period apart; squeezed when they don't
    fit since ``start`` (more handles than cycles: early handling)."""
    gaps = [period * rng.uniform(0.8, 1.15) for _ in range(count - 1)]
    room = last - start - min(period * 0.3, (last - start) * 0.05)
    if sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [g * scale for g in gaps]
    moments = [last]
    for gap in gaps:
        moments.append(moments[-1] - gap)
    moments.reverse()
    return moments


# The status each task's last handle aims at, in turn: 60 % fine, 20 % in the notice window,
# 20 % overdue. Taking them in turn (not by chance) keeps the mix in a run of a few tasks.
STATUS_TURNS = (status.NORMAL, status.DUE_SOON, status.NORMAL, status.DUE, status.NORMAL)


def aimed_completion(rule: CycleRule, start: int, end: int, aim: str, rng: random.Random,
                     work_hours: WorkHours, snap: bool) -> float:
    """The last handle of a ``按完成时间`` task: its due moment (last + period, on the
    calendar) lands where ``aim`` says relative to ``end``. A few draws, because office
    hours move the moment by up to a day and a notice window can be one day wide."""
    period = nominal_period(rule, None)
    notice = min(notice_seconds(rule), period)
    last = float(end)
    for _ in range(8):
        if aim == status.DUE:
            due = end - period * rng.uniform(0.03, 0.6)
        elif aim == status.DUE_SOON and notice > 0:
            due = end + notice * rng.uniform(0.1, 0.9)
        else:
            due = end + notice + (period - notice) * rng.uniform(0.05, 0.95)
        last = cycles.add_units(int(due), -rule.period_num, rule.period_unit)
        if snap:
            last = work_hours.snap(last, rng)
        cycle = cycles.begin_natural(rule, last)
        if status.task_status(True, last, cycle.due_at, cycle.notice_at, end) == aim:
            break
    return last


def grid_moments(rule: CycleRule, anchor: int, end: int, count: int, aim: str,
                 rng: random.Random) -> list[float]:
    """Handles of a ``按计划时间`` task, about one per grid cell, built backwards from now.

    The rules make the pattern: a handle in cell j (after grid point j−1) closes the open
    cycle and leaves the task due at grid point j or later. One handle per cell keeps a task
    on time once it is on time; a missed cell makes the following handles late (each closes
    the previous cell's cycle) until a cell is handled twice, which catches up. So: the
    first cell of the history is handled twice (most tasks start on time), a missed cell is
    usually caught up in the next one, and the last handle sits in the current cell (正常 or
    即将到期, as the calendar says) or, for an overdue task, in the previous cell after a miss.
    """

    def point(j: int) -> int:
        return cycles.grid_point(anchor, j, rule.period_num, rule.period_unit)

    def inside(j: int, low: float = 0.1, high: float = 0.95) -> float:
        return point(j - 1) + (point(j) - point(j - 1)) * rng.uniform(low, high)

    current = cycles.first_grid_index_after(anchor, end, rule.period_num, rule.period_unit)
    if aim == status.DUE and current >= 3:
        moments, cell = [inside(current - 1)], current - 3  # current − 2 missed, not caught up
    else:
        low = point(current - 1)
        moments, cell = [low + (end - low) * rng.uniform(0.02, 0.98)], current - 1
    while len(moments) < count and cell >= 1:
        if rng.random() < 0.05 and cell > 1:
            if rng.random() < 0.6 and cell + 1 < current:  # caught up in the next cell
                moments.append(min(inside(cell + 1, 0.01, 0.09), moments[-1] - 60))
            cell -= 1
            if len(moments) >= count:
                break
        moments.append(min(inside(cell), moments[-1] - 60))
        cell -= 1
    earliest = cell + 1
    if len(moments) < count and earliest > 1 and rng.random() < 0.8:
        moments.append(min(inside(earliest, 0.01, 0.09), moments[-1] - 60))
    if len(moments) < count:  # more handles than cycles: the rest are early, squeezed in
        first = moments[-1]
        extra = count - len(moments)
        moments.extend(first - (first - anchor) * (i + 1) / (extra + 1) for i in range(extra))
    moments.reverse()
    return moments


def meter_age(rule: CycleRule, period: float, aim: str, rng: random.Random) -> float:
    """How long before the end of the span (in periods) a meter task's last handle was; the
    due moment is a forecast, so this only steers the status roughly."""
    notice = min(notice_seconds(rule) / period, 0.9)
    if aim == status.DUE:
        return rng.uniform(1.03, 1.6)
    if aim == status.DUE_SOON and notice > 0.02:
        return rng.uniform(1 - notice * 0.9, 1 - notice * 0.1)
    return rng.uniform(0.05, max(0.06, 1 - notice - 0.03))


# -- running the cycles ---------------------------------------------------------------------


def place_meter_cycle(rule: CycleRule, cycle: Cycle, meter: DemoMeter, until: int) -> Cycle:
    """The services' placement (``cycles.place_statistic``) with the readings known at
    ``until``."""
    return cycles.place_statistic(rule, cycle, lambda since: meter.readings(since, until))


def run_task(task: DemoTask, now: int) -> Iterator[tuple[int, int, int | None, int]]:
    """Yield ``(moment, task index, due_at of the closed cycle, skipped cycles)`` per handle,
    then leave the task's current cycle on ``task.cycle``."""
    project = task.project
    span = history_span(project, now)
    if span is None:
        return
    rule, meter = project.rule, project.meter
    start = span[0]
    if meter is not None:
        cycle = place_meter_cycle(rule, cycles.begin_statistic(rule, start,
                                                               meter.value_at(start)),
                                  meter, start)
    else:
        cycle = cycles.begin_natural(rule, start)
    for moment in task.times:
        if meter is not None:
            closed_due = place_meter_cycle(rule, cycle, meter, moment).due_at
            cycle, skipped = cycles.close_statistic(rule, cycle, moment,
                                                    meter.value_at(moment))
        else:
            closed_due = cycle.due_at
            cycle, skipped = cycles.close_natural(rule, cycle, moment)
        yield moment, task.index, closed_due, skipped
    # New readings keep re-forecasting a meter cycle after its last handle (the services do
    # this on every reading), so the stored due moment uses every reading up to now.
    task.cycle = place_meter_cycle(rule, cycle, meter, now) if meter is not None else cycle
    task.last_handle_at = task.times[-1] if len(task.times) else None


def handle_events(world: World) -> Iterator[tuple[int, int, int | None, int]]:
    """All tasks' handles merged into one stream in time order."""
    return heapq.merge(*(run_task(t, world.now) for t in world.tasks))


# -- the handle records -----------------------------------------------------------------------


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

    def rows(self, events: Iterator[tuple[int, int, int | None, int]]
             ) -> Iterator[tuple[list[tuple], list[tuple]]]:
        """Chunks of (handle rows, handle_handler rows)."""
        handles: list[tuple] = []
        people: list[tuple] = []
        for moment, task_index, due_at, skipped in events:
            self.written += 1
            rowid = self.nb.handle_rowid + self.written
            uid = uids.format_uid(uids.HANDLE_PREFIX, self.nb.handles + self.written)
            task = self.world.tasks[task_index]
            handles.append(self.row(rowid, uid, task, moment, due_at, skipped, people))
            if len(handles) >= HANDLE_CHUNK:
                yield handles, people
                handles, people = [], []
        if handles:
            yield handles, people

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
                people.append((rowid, hid, name))
            result, low, high = self.result()
            fee = 0.0 if high == 0 or rng.random() < 0.3 else round(rng.uniform(low, high))
            description = f"{project.name}:{rng.choice(NOTES)}"
            ignored = 0
        return (rowid, uid, task.uid, project.uid, project.name, project.uid, obj.uid,
                obj.name, obj.alias, description, ids_json, names_json, float(fee), result, "",
                ignored, due_at, skipped, "", moment, 0, moment, 0)

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
    start = world.now - (HISTORY_DAYS + 100) * DAY
    for hid, name, _ in world.handlers:
        yield (hid, name, start)


def project_rows(world: World) -> Iterator[tuple]:
    for p in world.projects:
        plan = p.plan
        changed = p.stopped or p.started or p.created
        words = {"时": "小时", "日": "天", "周": "周", "月": "个月", "年": "年"}
        description = (f"{len(p.objects)} 台{plan.kind},每 {plan.period_num} "
                       f"{words.get(plan.period_unit, plan.period_unit)}一次")
        if plan.cycle_type == cycles.STATISTIC and p.meter is not None:
            description = f"{p.meter.name}每累计 {plan.period_num} {p.meter.unit}维保一次"
        yield (p.uid, p.name, p.uid, description, plan.cycle_type,
               p.meter.uid if p.meter else "", plan.period_num, plan.period_unit,
               plan.notice_num, plan.notice_unit, p.guide, plan.anchor, p.is_active, "",
               p.created, 0, changed, 0)


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
               changed, 0)


def task_statuses(world: World) -> dict[str, int]:
    counts = dict.fromkeys(status.STATUSES, 0)
    for t in world.tasks:
        c = t.cycle
        s = status.task_status(bool(t.project.is_active), c.cycle_start if c else None,
                               c.due_at if c else None, c.notice_at if c else None, world.now)
        counts[s] += 1
    return counts


# ---------------------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
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


class DemoRefused(Exception):
    """The target database already holds projects; ``str()`` is the sentence to print."""


def check_sizes(*, objects: int, projects: int, handles: int) -> None:
    """Bad sizes are refused with a sentence naming the option."""
    if not 1 <= objects <= MAX_OBJECTS:
        raise ValueError(f"--objects 应在 1 到 {MAX_OBJECTS} 之间(收到 {objects})")
    if not 0 <= projects <= MAX_PROJECTS:
        raise ValueError(f"--projects 应在 0 到 {MAX_PROJECTS} 之间(收到 {projects})")
    if not 0 <= handles <= MAX_HANDLES:
        raise ValueError(f"--handles 应在 0 到 {MAX_HANDLES} 之间(收到 {handles})")
    if handles and not projects:
        raise ValueError("--handles 需要至少一个项目:请同时给出 --projects 1 或更多")


def generate(db_path: Path | str, *, objects: int, projects: int, handles: int, seed: int,
             now: int) -> Summary:
    """Write demo data into ``db_path`` (created if missing) as of the moment ``now``.

    Raises ``DemoRefused`` when the database already has projects, ``ValueError`` for bad
    sizes. Note: opening binds the store's models to this database.
    """
    from mixtimer_gui.store import bulk
    from mixtimer_gui.store.db import open_database

    check_sizes(objects=objects, projects=projects, handles=handles)
    started = time.perf_counter()
    db = open_database(Path(db_path))
    try:
        with bulk.bulk_load(db) as w:
            if w.count("project"):
                raise DemoRefused(f"{db_path} 已有维保项目;演示数据只写入没有项目的数据库,"
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
            for handle_chunk, people_chunk in writer.rows(handle_events(world)):
                w.handles(handle_chunk)
                w.handle_handlers(people_chunk)
            w.tasks(task_rows(world))  # after the handles: their cycles are now final
            w.advance_sequences({
                uids.OBJECT_PREFIX: nb.objects + len(world.objects),
                uids.STATISTIC_PREFIX: nb.statistics + len(world.meters),
                uids.PROJECT_PREFIX: nb.projects + len(world.projects),
                uids.TASK_PREFIX: nb.tasks + len(world.tasks),
                uids.HANDLE_PREFIX: nb.handles + writer.written,
            })
    finally:
        db.close()
    return Summary(len(world.objects), len(world.meters), readings, len(world.handlers),
                   len(world.projects), sum(p.is_active for p in world.projects),
                   len(world.tasks), writer.written, writer.ignored, task_statuses(world),
                   time.perf_counter() - started)


def run_demo(db: Path, *, objects: int, projects: int, handles: int, seed: int) -> int:
    """The ``demo-data`` command: write, then print one summary line."""
    from mixtimer_gui.cli import CommandError

    try:
        summary = generate(db, objects=objects, projects=projects, handles=handles, seed=seed,
                           now=clock.SystemClock().now())
    except (DemoRefused, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    print(summary.line(db))
    return 0
