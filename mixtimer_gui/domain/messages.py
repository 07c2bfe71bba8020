"""The sentences the rules say, as templates: ``{field}`` is the wire field, the other
placeholders its values.

The wire speaks Chinese with the field name verbatim (``info`` of the action API; clients
may match on it), so these templates *are* the wire text. ``DomainError.of(template, field,
**values)`` fills one in and keeps the template and values on the error, so a screen can
say the same thing in its own words: ``gui.messages`` puts the field's label in place of
the wire name and has an English sentence for every template here (a test holds it to
that). Errors built from a plain message (filters of the action API) are shown as they are.
"""

from __future__ import annotations

# -- reading a field ------------------------------------------------------------------------

NOT_TEXT = "{field} 应为文本,请改为字符串"
REQUIRED = "{field} 不能为空,请填写"
TOO_LONG = "{field} 过长({length} 字),最多 {max_len} 字"
NUL_CHARACTER = "{field} 含有不允许的空字符,请删除"
INTEGER_REQUIRED = "{field} 必填,请填写整数"
NUMBER_REQUIRED = "{field} 必填,请填写数字"
NOT_INTEGER = "{field} 应为整数,收到 {value!r}"
NOT_NUMBER = "{field} 应为数字,收到 {value!r}"
INTEGER_NOT_BOOLEAN = "{field} 应为整数,收到布尔值"
NUMBER_NOT_BOOLEAN = "{field} 应为数字,收到布尔值"
INTEGER_WRONG_TYPE = "{field} 应为整数"
NUMBER_WRONG_TYPE = "{field} 应为数字"
INTEGER_NOT_FINITE = "{field} 应为有限的整数,收到 {value!r}"
NUMBER_NOT_FINITE = "{field} 应为有限的数字,收到 {value!r}"
INTEGER_TOO_LARGE = "{field} 数值过大,最大 {maximum}"
NUMBER_TOO_LARGE = "{field} 数值过大"
BELOW_MINIMUM = "{field} 不能小于 {minimum},收到 {value}"
NOT_ONE_OF = "{field} 只可使用 {choices},收到 '{value}'"
NOT_JSON_LIST = "{field} 不是合法的 JSON 列表"
NOT_A_LIST = "{field} 应为列表"
ITEMS_NOT_TEXT = "{field} 的元素应为字符串"
ITEM_TOO_LONG = "{field} 的元素过长或含有空字符"
TOO_MANY_ITEMS = "{field} 最多 {max_items} 项"
EMPTY_ITEM = "{field} 第 {position} 项为空,应为整数"
BAD_TIME = "{field} 时间格式应为 YYYY-MM-DD HH:MM:SS,收到 '{text}'"
BAD_UID = "{field} 只能由 1–64 个字母、数字、'_'、'.'、'-' 组成"
UID_REQUIRED = "{field} 必填,请给出编号"

# -- projects, handles, readings ------------------------------------------------------------

PERIOD_UNIT_REQUIRED = "{field} 不能为空:自然时间周期须选择 时/日/周/月/年,否则会添加失败"
BAD_OBJECT_ID = ("{field} 中的 '{object_id}' 不是合法的对象编号"
                 "(1–64 个字母、数字、'_'、'.'、'-')")
SPAN_TOO_LONG = "{field} 过大:以 '{unit}' 为单位最多 {limit}(100 年)"
LIST_LENGTHS_DIFFER = "handler_id_list 与 {field} 长度应相同({ids} 对 {names})"
READING_TOO_FAR_AHEAD = "{field} 不能晚于当前时间一天以上(收到 {moment}),请检查年份和日期"
READING_BELOW_EARLIER = "{field} 不能小于之前的读数 {before}(统计读数是累计值,只增不减)"
READING_ABOVE_LATER = "{field} 不能大于之后的读数 {after}(统计读数是累计值,只增不减)"
UID_TAKEN = "{field} '{uid}' 已存在,请换一个编号或留空自动生成"
HANDLER_ID_TAKEN = "{field} {handler_id} 已存在"
HANDLED_AT_IN_FUTURE = ("{field} 不能晚于当前时间({now})超过 {skew_minutes} 分钟,收到 {moment},"
                       "请检查日期和时间")
HANDLED_AT_TOO_EARLY = ("{field} 不能早于 {earliest}(该任务上次处理或本周期开始的时间),"
                        "收到 {moment}")
HANDLE_ALREADY_VOIDED = "{field} '{uid}' 已作废,不能再作废或修改"
HANDLE_NOT_LATEST = ("{field} '{uid}' 不是该任务最新的有效记录:只能作废最新的一条({latest}),"
                     "请先作废它")
HANDLE_CYCLE_MOVED = ("{field} '{uid}' 之后任务的周期已另行改变(项目重启或修改了周期),"
                      "不能再作废;如需更正请编辑该记录")
HANDLE_UID_USED = "{field} '{uid}' 已用于另一个任务({task_id}),请换一个编号"
OBJECT_IN_USE = "对象 '{uid}' 仍被项目 {projects} 使用,请先从这些项目的 object_id_list 中移除"
STATISTIC_IN_USE = "统计 '{uid}' 仍被项目 {projects} 使用,请先修改这些项目的 statistics_id"
STATISTIC_UNKNOWN = "{field} '{uid}' 不存在,请先创建该统计或留空"
STATISTIC_NEEDED_TO_START = "{field} 为空:统计周期的项目须先关联统计才能启动"
STATISTIC_GONE = "{field} '{uid}' 不存在,无法启动"
METER_PERIOD_REQUIRED = "{field} 必填:先到周期须给出读数间隔(大于 0 的数字,统计的单位)"
# Checklists (#17): the template on a project, the results on a handle. Each names the item.
CHECKLIST_ITEM_NOT_OBJECT = "{field} 第 {position} 项应为 JSON 对象(含 name 与 kind)"
CHECKLIST_NAME_REQUIRED = "{field} 第 {position} 项缺少 name,请填写检查项名称"
CHECKLIST_NAME_TOO_LONG = "{field} 第 {position} 项的名称过长,最多 {max_len} 字"
CHECKLIST_NAME_TWICE = "{field} 中检查项 '{name}' 重复,名称在清单内须唯一"
CHECKLIST_BAD_KIND = ("{field} 中检查项 '{name}' 的 kind 只可使用 'check'、'measure'、'text',"
                      "收到 '{value}'")
CHECKLIST_BAD_LIMIT = "{field} 中检查项 '{name}' 的 {key} 应为数字,收到 '{value}'"
CHECKLIST_LIMITS_REVERSED = "{field} 中检查项 '{name}' 的下限 {low} 大于上限 {high}"
CHECKLIST_UNIT_TOO_LONG = "{field} 中检查项 '{name}' 的单位过长,最多 {max_len} 字"
RESULT_NOT_OBJECT = "{field} 第 {position} 项应为 JSON 对象(含 name 与 value)"
RESULT_UNKNOWN_ITEM = "{field} 中的 '{name}' 不是该项目检查清单中的项"
RESULT_TWICE = "{field} 中检查项 '{name}' 出现了两次"
RESULT_REQUIRED = "{field} 缺少必填检查项 '{name}' 的结果,请填写"
RESULT_BAD_CHECK = "{field} 中检查项 '{name}' 只可填写 '正常' 或 '异常',收到 '{value}'"
RESULT_NOT_NUMBER = "{field} 中检查项 '{name}' 应填写数字,收到 '{value}'"
RESULT_NOT_TEXT = "{field} 中检查项 '{name}' 应填写文本"
RESULT_TEXT_TOO_LONG = "{field} 中检查项 '{name}' 的文本过长,最多 {max_len} 字"
# The original document's own text, kept verbatim because clients may match on it.
PROJECT_RUNNING = "项目下还有维保正在运行,请先停止项目下所有维保"

# -- not found (the English head is the original document's) -------------------------------

PROJECT_NOT_FOUND = "project not found: {field} '{uid}' 不存在"
TASK_NOT_FOUND = "task not found: {field} '{uid}' 不存在"
HANDLE_NOT_FOUND = "handle not found: {field} '{uid}' 不存在"
OBJECT_NOT_FOUND = "object not found: {field} '{uid}' 不存在"
STATISTIC_NOT_FOUND = "statistics not found: {field} '{uid}' 不存在"
# Verbatim from the original document (v2_handle on a task that is not there).
TASK_NOT_FOUND_PLAIN = "task not found"

# -- pictures -------------------------------------------------------------------------------

IMAGE_TYPE = "{field}: 不支持的文件类型 '{name}',请选择 {allowed} 图片"
IMAGE_MISSING = "{field}: 找不到文件 '{path}',请重新选择"
IMAGE_EMPTY = "{field}: 文件 '{name}' 是空的,请换一张图片"
IMAGE_TOO_LARGE = "{field}: 文件 '{name}' 太大({size} MiB),最大 {maximum} MiB"
IMAGE_INVALID = "{field}: 文件 '{name}' 不是有效的 {kind} 图片"
TOO_MANY_IMAGES = "{field}: 最多附加 {maximum} 张图片,当前 {count} 张"

# -- reminders and paging -------------------------------------------------------------------

PAUSE_NOT_POSITIVE = "暂停时长应为正数秒"
PAUSE_IN_THE_PAST = "暂停的结束时间应在现在之后"
REPEAT_OUT_OF_RANGE = "逾期重复提醒间隔应在 1 到 {maximum} 小时之间"
PAGE_SIZE_OUT_OF_RANGE = "{field} 应为 1–{maximum} 的整数,收到 {value}"
PAGE_INDEX_TOO_SMALL = "{field} 从 1 开始,收到 {value}"
REPORT_MONTH_INVALID = "月份应写作 年-月(如 2026-11),收到 {value}"
REPORT_DAYS_OUT_OF_RANGE = "天数应在 0 到 366 之间,收到 {value}"

# -- notification channels (#18) ------------------------------------------------------------

UNKNOWN_PLACEHOLDER = "{field} 中的 {{{name}}} 不是可用的占位符,可用:{choices}"
BODY_NOT_JSON = "{field} 填入内容后不是合法的 JSON({reason}),请检查引号和括号"
CHANNEL_SETTING_REQUIRED = "{field} 不能为空:此渠道需要它才能发送"
NOT_A_WEB_ADDRESS = "{field} 应为以 http:// 或 https:// 开头的网址"
BAD_DAY_TIME = "{field} 应为 HH:MM(如 08:30),收到 '{text}'"
CHANNEL_NOT_FOUND = "{field} 为 {value} 的通知渠道不存在"
BAD_EMAIL_ADDRESS = "{field} 中的 '{text}' 不是电子邮件地址"
