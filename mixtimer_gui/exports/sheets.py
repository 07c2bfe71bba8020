"""What the table exports write: each kind's sheet (its Chinese column titles, each
column's kind and width), and the task and object records as their columns' values.

Shared by the Excel export (typed cells) and the CSV export of tasks and objects (text), so
neither restates the columns; nothing here loads XlsxWriter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mixtimer_gui.exports.csv_export import NO, YES

TEXT, NUMBER, TIME = "text", "number", "time"
PAGE_SIZE = 1000  # the services' largest list page

Cell = str | int | float | None
Page = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Column:
    title: str  # the Chinese header
    kind: str  # TEXT, NUMBER or TIME
    width: float  # in Excel's character widths (a Chinese character is about two)


@dataclass(frozen=True)
class Sheet:
    """What one kind of export writes: the sheet's name and its columns."""

    name: str
    columns: tuple[Column, ...]


def _text(title: str, width: float = 14) -> Column:
    return Column(title, TEXT, width)


def _number(title: str, width: float = 10) -> Column:
    return Column(title, NUMBER, width)


def _time(title: str) -> Column:
    return Column(title, TIME, 19)


# The columns of the CSV export (csv_export.COLUMNS), in its order, typed.
HANDLES = Sheet("维保记录", (
    _text("处理编号"), _text("任务编号"), _text("项目编号"), _text("项目名称", 20),
    _text("项目别名"), _text("对象编号"), _text("对象名称", 20), _text("对象别名"),
    _text("处理人编号"), _text("处理人", 16), _number("费用"), _text("处理结果", 24),
    _text("描述", 36), _text("图片", 30), _time("处理时间"), _time("到期时间"),
    _text("是否按时", 9), _text("是否忽略", 9), _number("跳过周期数", 11),
    _text("是否异常", 9), _text("检查结果", 36), _text("组织编号"),
    _number("创建人编号", 11), _time("最后修改时间"), _number("最后修改人编号", 15),
    _time("完成时间"), _text("已作废", 9), _text("作废原因", 24), _time("作废时间"),
    _number("作废人编号", 11),
))

TASKS = Sheet("维保任务", (
    _text("任务编号"), _text("项目编号"), _text("项目名称", 20), _text("对象编号"),
    _text("对象名称", 20), _text("对象别名"), _text("状态", 9), _text("周期类型", 12),
    _number("周期数", 8), _text("周期单位", 9), _time("周期开始"), _time("到期时间"),
    _time("提醒时间"), _time("上次处理时间"), _number("当前值"), _number("到期值"),
    _text("是否启用", 9), _text("描述", 30), _time("创建时间"),
))

OBJECTS = Sheet("维保对象", (
    _text("对象编号"), _text("对象名称", 20), _text("对象别名"), _text("位置", 24),
    _text("描述", 36), _time("创建时间"), _time("最后修改时间"),
))



def pages(list_page: Page, params: Mapping[str, Any] | None,
          counted: Callable[[int], None] | None = None) -> Iterator[list[dict[str, Any]]]:
    """Every record of a service's list, a page at a time (oldest first unless ``params``
    orders them); ``counted(total)`` hears the number of records once the first page is
    read."""
    request = {"order_by": "created", **{k: v for k, v in (params or {}).items() if v},
               "page_size": PAGE_SIZE}
    index = 1
    while True:
        page = list_page({**request, "page_index": index})
        if index == 1 and counted is not None:
            counted(int(page.get("total_records") or 0))
        if page["data"]:
            yield page["data"]
        if index >= page["total_pages"]:
            return
        index += 1


def _yes_no(flag: Any) -> str | None:
    return None if flag is None else (YES if flag else NO)


def task_fields(task: Mapping[str, Any]) -> tuple[Cell, ...]:
    """A task's values in ``TASKS``'s column order; moments as the wire's local text."""
    return (task["uid"], task["project_id"], task["project_name"], task["object_id"],
            task["object_name"], task["object_alias"], task["status"], task["cycle_type"],
            task["period_num"], task["period_unit"], task["cycle_start"], task["due_at"],
            task["notice_at"], task["last_handle_at"], task["current_value"],
            task["due_value"], _yes_no(task["is_active"]), task["description"],
            task["created"])


def object_fields(item: Mapping[str, Any]) -> tuple[Cell, ...]:
    """An object's values in ``OBJECTS``'s column order; moments as the wire's text."""
    return (item["uid"], item["name"], item["alias"], item["location"], item["description"],
            item["created"], item["last_modified"])
