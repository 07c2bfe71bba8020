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
HANDLE_UID_USED = "{field} '{uid}' 已用于另一个任务({task_id}),请换一个编号"
OBJECT_IN_USE = "对象 '{uid}' 仍被项目 {projects} 使用,请先从这些项目的 object_id_list 中移除"
STATISTIC_IN_USE = "统计 '{uid}' 仍被项目 {projects} 使用,请先修改这些项目的 statistics_id"
STATISTIC_UNKNOWN = "{field} '{uid}' 不存在,请先创建该统计或留空"
STATISTIC_NEEDED_TO_START = "{field} 为空:统计周期的项目须先关联统计才能启动"
STATISTIC_GONE = "{field} '{uid}' 不存在,无法启动"
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

# -- notification channels (#18) ------------------------------------------------------------

UNKNOWN_PLACEHOLDER = "{field} 中的 {{{name}}} 不是可用的占位符,可用:{choices}"
BODY_NOT_JSON = "{field} 填入内容后不是合法的 JSON({reason}),请检查引号和括号"
CHANNEL_SETTING_REQUIRED = "{field} 不能为空:此渠道需要它才能发送"
NOT_A_WEB_ADDRESS = "{field} 应为以 http:// 或 https:// 开头的网址"
BAD_DAY_TIME = "{field} 应为 HH:MM(如 08:30),收到 '{text}'"
CHANNEL_NOT_FOUND = "{field} 为 {value} 的通知渠道不存在"
BAD_EMAIL_ADDRESS = "{field} 中的 '{text}' 不是电子邮件地址"
