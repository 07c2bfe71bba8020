"""What the demo plant has: kinds of equipment and their meters, people and their teams,
maintenance plans with their guides, and what a handle may find or cost. Pure data; the
cycle types, anchors and units are ``domain.cycles``' own."""

from __future__ import annotations

from dataclasses import dataclass

from mixtimer_gui.domain import cycles
from mixtimer_gui.domain.cycles import DAY, HOUR, MONTH, WEEK, YEAR


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
    meter_period: int = 0  # 先到周期: the meter interval beside the time interval


N, S, F = cycles.NATURAL, cycles.STATISTIC, cycles.FIRST
DONE, GRID = cycles.BY_COMPLETION, cycles.BY_PLAN
# The first eight cover both cycle types, both anchors and every unit, so small runs do too.
PLANS: tuple[Plan, ...] = (
    Plan("空压机", "空压机季度保养", N, 3, MONTH, 7, DAY, DONE,
         ("停机泄压,挂牌上锁", "更换空气滤芯、油滤芯", "检查油气分离器压差", "清洁冷却器散热片",
          "开机试运行,记录排气压力与温度")),
    Plan("空压机", "{object}运行2000小时保养", S, 2000, "", 5, DAY, DONE,
         ("更换润滑油及油滤", "更换油气分离芯", "检查进气阀及最小压力阀", "紧固电气接线")),
    Plan("冷却塔", "冷却塔月度清洗", N, 1, MONTH, 5, DAY, GRID,
         ("排空集水盘并清除污泥", "清洗填料及布水器", "检查风机皮带与减速箱油位",
          "投加杀菌灭藻剂")),
    Plan("注塑机", "注塑机润滑检查", N, 1, WEEK, 1, DAY, DONE,
         ("检查自动润滑泵油位", "确认曲肘各润滑点出油", "清理拉杆及导轨油污")),
    Plan("配电柜", "配电柜年度预防性试验", N, 1, YEAR, 1, MONTH, GRID,
         ("停电验电并挂接地线", "测量绝缘电阻", "断路器动作特性试验", "紧固母排螺栓",
          "恢复送电并记录数据")),
    Plan("锅炉", "锅炉巡检", N, 8, HOUR, 0, DAY, GRID,
         ("检查水位计及压力表", "查看燃烧器火焰", "记录排烟温度", "检查安全阀及排污阀")),
    Plan("叉车", "叉车日常点检", N, 1, DAY, 0, DAY, DONE,
         ("检查轮胎及货叉", "测试制动与喇叭", "检查电瓶电量或油位", "检查液压油管有无渗漏")),
    Plan("注塑机", "{object}模具保养", S, 50000, "", 3, DAY, GRID,
         ("清洁模具型腔与分型面", "检查顶针及滑块", "疏通冷却水路", "涂防锈剂")),
    Plan("输送带", "输送带张紧与跑偏检查", N, 2, WEEK, 2, DAY, DONE,
         ("检查皮带张紧度", "调整跑偏", "检查托辊转动", "清理滚筒粘料")),
    Plan("配电柜", "配电柜红外测温", N, 1, MONTH, 3, DAY, DONE,
         ("带负荷红外测温", "记录接头温度", "温升超标处拍照上报")),
    Plan("叉车", "{object}250小时保养", S, 250, "", 3, DAY, DONE,
         ("更换机油及机滤", "检查制动液", "润滑门架链条", "检查转向系统")),
    Plan("货梯", "货梯半月保养", N, 15, DAY, 2, DAY, GRID,
         ("检查曳引机及制动器", "清洁轿厢导轨", "测试门锁及安全钳", "检查限速器")),
    Plan("消防泵", "消防泵每周试运行", N, 1, WEEK, 1, DAY, GRID,
         ("手动启泵运行5分钟", "记录出口压力", "检查控制柜状态", "恢复自动状态")),
    Plan("变压器", "变压器季度巡检", N, 3, MONTH, 7, DAY, GRID,
         ("检查油位及温度", "听运行声音", "检查接地", "清扫绝缘子")),
    Plan("冷却塔", "冷却塔年度防腐检查", N, 1, YEAR, 1, MONTH, DONE,
         ("检查塔体及支架锈蚀", "补刷防腐漆", "检查风机叶片")),
    Plan("加工中心", "加工中心导轨润滑", N, 1, DAY, 0, DAY, DONE,
         ("检查导轨油量", "手动润滑一次", "清理铁屑")),
    Plan("加工中心", "{object}主轴500小时保养", S, 500, "", 5, DAY, DONE,
         ("检查主轴跳动", "清洁主轴锥孔", "检查拉刀机构", "更换主轴冷却液")),
    Plan("冲床", "{object}离合器与制动器检查", S, 100000, "", 2, DAY, DONE,
         ("检查离合器摩擦片磨损", "调整制动角", "检查气压")),
    Plan("冲床", "冲床月度保养", N, 1, MONTH, 5, DAY, DONE,
         ("检查滑块导轨间隙", "润滑各部位", "紧固地脚螺栓")),
    Plan("空调机组", "空调机组换季保养", N, 6, MONTH, 15, DAY, GRID,
         ("清洗过滤网", "检查冷媒压力", "清洗冷凝器", "检查电气控制")),
    Plan("注塑机", "注塑机液压油更换", N, 1, YEAR, 1, MONTH, DONE,
         ("取油样化验", "排放旧油", "清洗油箱及滤网", "加注新油并排气")),
    Plan("锅炉", "锅炉水质化验", N, 1, DAY, 0, DAY, DONE,
         ("取样化验硬度与碱度", "调整加药量", "记录化验结果")),
    Plan("输送带", "输送带滚筒润滑", N, 1, MONTH, 5, DAY, DONE,
         ("轴承座加注润滑脂", "检查减速机油位")),
    Plan("空压机", "空压机日常点检", N, 1, DAY, 0, DAY, DONE,
         ("记录排气压力与温度", "排放冷凝水", "检查有无异响")),
    Plan("货梯", "货梯年检", N, 1, YEAR, 1, MONTH, GRID,
         ("配合特检院检验", "整改检验意见", "更新合格证")),
    Plan("消防泵", "消防泵年度检测", N, 1, YEAR, 1, MONTH, GRID,
         ("流量压力测试", "检查联动启泵", "出具检测报告")),
    # Whichever comes first, as the manuals write it: 500 running hours or half a year.
    Plan("叉车", "{object}500小时或半年保养", F, 6, MONTH, 7, DAY, DONE,
         ("更换机油及机滤", "检查门架与货叉磨损", "检查制动与转向", "检查蓄电池或燃油系统"),
         meter_period=500),
)

# Checklist templates (#17) of some plans, by plan name as written above: ordered items,
# a check (正常/异常), a measurement with its unit and limits, or a text.
CHECKLISTS: dict[str, list[dict[str, object]]] = {
    "空压机季度保养": [
        {"name": "油位", "kind": "check", "required": True},
        {"name": "排气温度", "kind": "measure", "unit": "℃", "max": 95, "required": True},
        {"name": "油气分离器压差", "kind": "measure", "unit": "bar", "max": 1.0},
        {"name": "异响或泄漏", "kind": "check"},
        {"name": "备注", "kind": "text"},
    ],
    "{object}500小时或半年保养": [
        {"name": "轮胎及货叉", "kind": "check", "required": True},
        {"name": "制动距离", "kind": "measure", "unit": "m", "max": 2.5},
        {"name": "液压油位", "kind": "check"},
    ],
    "配电柜红外测温": [
        {"name": "接头最高温度", "kind": "measure", "unit": "℃", "max": 70,
         "required": True},
        {"name": "柜内清洁", "kind": "check"},
    ],
}
# The share of checked handles where something is found (an 异常 check or a value off).
ABNORMAL_SHARE = 0.08

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

# How a project's description says its period: "每 3 个月一次".
PERIOD_WORDS = {HOUR: "小时", DAY: "天", WEEK: "周", MONTH: "个月", YEAR: "年"}
