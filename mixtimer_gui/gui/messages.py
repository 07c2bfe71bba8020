"""What the rules say, in the window's words: the field's label instead of its wire name,
and an English sentence when the window speaks English.

The wire's sentence (``DomainError.message``) names the wire field verbatim and is Chinese,
as clients of the action API expect. On screen, ``say(error)`` fills the error's template
(``domain.messages``) in again with the field's label ("名称不能为空,请填写" rather than
"name 不能为空,请填写"), in English from ``ENGLISH`` when that is the language. An error
without a template (a filter of the action API) is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mixtimer_gui.domain import messages as m
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import i18n

ENGLISH: dict[str, str] = {
    m.HANDLED_AT_IN_FUTURE: ("{field} cannot be more than {skew_minutes} minutes after now "
                             "({now}); it is {moment}. Please check the date and time."),
    m.HANDLED_AT_TOO_EARLY: ("{field} cannot be before {earliest} (the task's previous "
                             "handle or the start of its cycle); it is {moment}."),
    m.HANDLE_ALREADY_VOIDED: "{field} '{uid}' is voided: it cannot be voided or edited again.",
    m.HANDLE_CYCLE_MOVED: ("{field} '{uid}' cannot be voided: the task's cycle has changed "
                           "since (the project was restarted or its plan changed). Edit the "
                           "record instead."),
    m.HANDLE_NOT_LATEST: ("{field} '{uid}' is not the task's latest valid record: only the "
                          "latest ({latest}) can be voided; void that one first."),
    m.NOT_TEXT: "{field} should be text.",
    m.REQUIRED: "{field} is required: please fill it in.",
    m.TOO_LONG: "{field} is too long ({length} characters); at most {max_len}.",
    m.NUL_CHARACTER: "{field} contains a null character: please remove it.",
    m.INTEGER_REQUIRED: "{field} is required: please enter a whole number.",
    m.NUMBER_REQUIRED: "{field} is required: please enter a number.",
    m.NOT_INTEGER: "{field} should be a whole number, not {value!r}.",
    m.NOT_NUMBER: "{field} should be a number, not {value!r}.",
    m.INTEGER_NOT_BOOLEAN: "{field} should be a whole number, not true or false.",
    m.NUMBER_NOT_BOOLEAN: "{field} should be a number, not true or false.",
    m.INTEGER_WRONG_TYPE: "{field} should be a whole number.",
    m.NUMBER_WRONG_TYPE: "{field} should be a number.",
    m.INTEGER_NOT_FINITE: "{field} should be a finite whole number, not {value!r}.",
    m.NUMBER_NOT_FINITE: "{field} should be a finite number, not {value!r}.",
    m.INTEGER_TOO_LARGE: "{field} is too large; at most {maximum}.",
    m.NUMBER_TOO_LARGE: "{field} is too large.",
    m.BELOW_MINIMUM: "{field} cannot be less than {minimum} (it is {value}).",
    m.NOT_ONE_OF: "{field} must be one of {choices}, not '{value}'.",
    m.NOT_JSON_LIST: "{field} is not a valid JSON list.",
    m.NOT_A_LIST: "{field} should be a list.",
    m.ITEMS_NOT_TEXT: "Every entry of {field} should be text.",
    m.ITEM_TOO_LONG: "An entry of {field} is too long or contains a null character.",
    m.TOO_MANY_ITEMS: "{field} can hold at most {max_items} entries.",
    m.EMPTY_ITEM: "Entry {position} of {field} is empty; it should be a whole number.",
    m.BAD_TIME: "{field} should be a time written YYYY-MM-DD HH:MM:SS, not '{text}'.",
    m.BAD_UID: "{field} may only use 1–64 letters, digits, '_', '.' and '-'.",
    m.UID_REQUIRED: "{field} is required: please give a number.",
    m.PERIOD_UNIT_REQUIRED: "{field} is required: a calendar cycle needs hours, days, "
                            "weeks, months or years.",
    m.BAD_OBJECT_ID: "'{object_id}' in {field} is not a valid object number "
                     "(1–64 letters, digits, '_', '.' and '-').",
    m.SPAN_TOO_LONG: "{field} is too large: at most {limit} {unit} (100 years).",
    m.LIST_LENGTHS_DIFFER: "{field} and the handlers' numbers should have as many entries "
                           "({ids} numbers, {names} names).",
    m.READING_TOO_FAR_AHEAD: "{field} cannot be more than a day after now ({moment}): "
                             "please check the year and the date.",
    m.READING_BELOW_EARLIER: "{field} cannot be less than the reading before it, {before} "
                             "(readings count up and never go down).",
    m.READING_ABOVE_LATER: "{field} cannot be more than the reading after it, {after} "
                           "(readings count up and never go down).",
    m.UID_TAKEN: "{field} '{uid}' is taken: choose another, or leave it empty to number it "
                 "automatically.",
    m.HANDLER_ID_TAKEN: "{field} {handler_id} is taken.",
    m.HANDLE_UID_USED: "{field} '{uid}' belongs to another task ({task_id}): please choose "
                       "another.",
    m.OBJECT_IN_USE: "Object '{uid}' is still used by the projects {projects}: remove it from "
                     "their objects first.",
    m.STATISTIC_IN_USE: "Statistic '{uid}' is still used by the projects {projects}: give "
                        "them another statistic first.",
    m.STATISTIC_UNKNOWN: "{field} '{uid}' does not exist: create that statistic first, or "
                         "leave it empty.",
    m.STATISTIC_NEEDED_TO_START: "{field} is empty: a meter project needs a statistic "
                                 "before it can start.",
    m.STATISTIC_GONE: "{field} '{uid}' does not exist, so the project cannot start.",
    m.METER_PERIOD_REQUIRED: "{field} is required: a whichever-first plan needs a meter "
                             "interval (a number above 0, in the statistic's unit).",
    m.CHECKLIST_ITEM_NOT_OBJECT: "Item {position} of {field} should be an object with a name "
                                 "and a kind.",
    m.CHECKLIST_NAME_REQUIRED: "Item {position} of {field} has no name: please name it.",
    m.CHECKLIST_NAME_TOO_LONG: "The name of item {position} of {field} is too long; at most "
                               "{max_len} characters.",
    m.CHECKLIST_NAME_TWICE: "{field} lists '{name}' twice: item names must differ.",
    m.CHECKLIST_BAD_KIND: "The kind of '{name}' in {field} must be check, measure or text, "
                          "not '{value}'.",
    m.CHECKLIST_BAD_LIMIT: "The {key} of '{name}' in {field} should be a number, not "
                           "'{value}'.",
    m.CHECKLIST_LIMITS_REVERSED: "The lower limit of '{name}' in {field} ({low}) is above "
                                 "its upper limit ({high}).",
    m.CHECKLIST_UNIT_TOO_LONG: "The unit of '{name}' in {field} is too long; at most "
                               "{max_len} characters.",
    m.RESULT_NOT_OBJECT: "Entry {position} of {field} should be an object with a name and a "
                         "value.",
    m.RESULT_UNKNOWN_ITEM: "'{name}' in {field} is not an item of the project's checklist.",
    m.RESULT_TWICE: "{field} gives '{name}' twice.",
    m.RESULT_REQUIRED: "'{name}' is a required check: please fill it in.",
    m.RESULT_BAD_CHECK: "'{name}' can only be OK or Abnormal, not '{value}'.",
    m.RESULT_NOT_NUMBER: "'{name}' should be a number, not '{value}'.",
    m.RESULT_NOT_TEXT: "'{name}' should be text.",
    m.RESULT_TEXT_TOO_LONG: "The text of '{name}' is too long; at most {max_len} characters.",
    m.PROJECT_RUNNING: "The project is running: stop it before changing or deleting it.",
    m.PROJECT_NOT_FOUND: "There is no project '{uid}' (it may have been deleted).",
    m.TASK_NOT_FOUND: "There is no task '{uid}' (it may have been deleted).",
    m.HANDLE_NOT_FOUND: "There is no record '{uid}' (it may have been deleted).",
    m.OBJECT_NOT_FOUND: "There is no object '{uid}' (it may have been deleted).",
    m.STATISTIC_NOT_FOUND: "There is no statistic '{uid}' (it may have been deleted).",
    m.TASK_NOT_FOUND_PLAIN: "The task is gone (its project may have been deleted).",
    m.IMAGE_TYPE: "'{name}' is not a picture MixTimer can attach: choose {allowed}.",
    m.IMAGE_MISSING: "The file '{path}' is not there any more: please choose it again.",
    m.IMAGE_EMPTY: "The file '{name}' is empty: please choose another picture.",
    m.IMAGE_TOO_LARGE: "The file '{name}' is too large ({size} MiB); at most {maximum} MiB.",
    m.IMAGE_INVALID: "The file '{name}' is not a valid {kind} picture.",
    m.TOO_MANY_IMAGES: "At most {maximum} pictures can be attached ({count} chosen).",
    m.PAUSE_NOT_POSITIVE: "A pause must last a positive number of seconds.",
    m.PAUSE_IN_THE_PAST: "A pause must end after now.",
    m.REPEAT_OUT_OF_RANGE: "The overdue repeat must be between 1 and {maximum} hours.",
    m.UNKNOWN_PLACEHOLDER: "{{{name}}} in {field} is not a placeholder; use {choices}.",
    m.BODY_NOT_JSON: "{field} is not valid JSON once filled in ({reason}): check its quotes "
                     "and brackets.",
    m.CHANNEL_SETTING_REQUIRED: "{field} is required: this channel cannot send without it.",
    m.NOT_A_WEB_ADDRESS: "{field} should be a web address starting with http:// or https://.",
    m.BAD_DAY_TIME: "{field} should be a time of day written HH:MM (e.g. 08:30), not '{text}'.",
    m.CHANNEL_NOT_FOUND: "There is no notification channel with {field} {value}.",
    m.BAD_EMAIL_ADDRESS: "'{text}' in {field} is not an e-mail address.",
    m.PAGE_SIZE_OUT_OF_RANGE: "{field} should be a whole number from 1 to {maximum}, "
                              "not {value}.",
    m.PAGE_INDEX_TOO_SMALL: "{field} starts at 1, not {value}.",
    m.REPORT_MONTH_INVALID: "Give the month as year-month (such as 2026-11), not {value}.",
    m.REPORT_DAYS_OUT_OF_RANGE: "Give a number of days from 0 to 366, not {value}.",
}


# Values that are the wire's Chinese words, said in English (the cycle units).
ENGLISH_UNITS = {"时": "hours", "日": "days", "周": "weeks", "月": "months", "年": "years"}


def field_label(field: str) -> str:
    """The window's name for wire field ``field`` (the wire name when it has none)."""
    labels = {
        "name": QCoreApplication.translate("Fields", "Name"),
        "alias": QCoreApplication.translate("Fields", "Alias"),
        "description": QCoreApplication.translate("Fields", "Description"),
        "location": QCoreApplication.translate("Fields", "Location"),
        "cycle_type": QCoreApplication.translate("Fields", "Cycle type"),
        "statistics_id": QCoreApplication.translate("Fields", "Statistic"),
        "period_num": QCoreApplication.translate("Fields", "Cycle length"),
        "period_unit": QCoreApplication.translate("Fields", "Cycle unit"),
        "notice_num": QCoreApplication.translate("Fields", "Remind before"),
        "notice_unit": QCoreApplication.translate("Fields", "Reminder unit"),
        "anchor_type": QCoreApplication.translate("Fields", "Next cycle starts"),
        "guide": QCoreApplication.translate("Fields", "Maintenance guide"),
        "object_id_list": QCoreApplication.translate("Fields", "Objects"),
        "uid": QCoreApplication.translate("Fields", "Number"),
        "id": QCoreApplication.translate("Fields", "Number"),
        "handler_id_list": QCoreApplication.translate("Fields", "Done by"),
        "handler_name_list": QCoreApplication.translate("Fields", "Done by"),
        "fee": QCoreApplication.translate("Fields", "Fee"),
        "result": QCoreApplication.translate("Fields", "Result"),
        "images": QCoreApplication.translate("Fields", "Pictures"),
        "value": QCoreApplication.translate("Fields", "Value"),
        "time": QCoreApplication.translate("Fields", "Time"),
        "unit": QCoreApplication.translate("Fields", "Unit"),
        "overdue_repeat_hours": QCoreApplication.translate("Fields", "Overdue repeat"),
        "statistics_period_num": QCoreApplication.translate("Fields", "Meter interval"),
        "checklist": QCoreApplication.translate("Fields", "Checklist"),
        "checklist_results": QCoreApplication.translate("Fields", "Checklist"),
    }
    return labels.get(field, field)


def say(error: DomainError, label: str | None = None) -> str:
    """``error`` as the window says it; ``label`` names the field (the form's own label),
    else ``field_label``."""
    template = error.template
    if not template:
        return error.message
    name = label if label is not None else field_label(error.field)
    if i18n.current_language() == "en":
        english = ENGLISH.get(template)
        if english is None:
            return error.message
        values = {key: ENGLISH_UNITS.get(value, value) if key == "unit" else value
                  for key, value in error.values.items()}
        return _filled(english, name, values, error)
    if not name.isascii():
        template = template.replace("{field} ", "{field}")  # 名称不能为空, not 名称 不能为空
    return _filled(template, name, error.values, error)


def _filled(template: str, name: str, values: dict[str, object], error: DomainError) -> str:
    try:
        return template.format(field=name, **values)
    except (KeyError, IndexError, ValueError):  # a template and its values out of step
        return error.message
