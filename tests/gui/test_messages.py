"""What the rules say, in the window's words (gui/messages.py): the field's label instead of
the wire name, and English in the English window; the wire's own sentence never changes."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from mixtimer_gui.domain import messages as m
from mixtimer_gui.domain import rules
from mixtimer_gui.domain.errors import DomainError, FieldError
from mixtimer_gui.gui import i18n
from mixtimer_gui.gui.messages import ENGLISH, field_label, say

TEMPLATES = {name: value for name, value in vars(m).items()
             if name.isupper() and isinstance(value, str)}
CJK = re.compile(r"[\u3400-\u9fff]")


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _refusal(data: dict[str, Any]) -> FieldError:
    with pytest.raises(FieldError) as info:
        rules.project_input(data)
    return info.value


def test_every_template_has_an_english_sentence_with_its_values() -> None:
    """Every value the Chinese template says, the English one says too (it may leave out
    the field's name where "there is no project 'P1'" says enough)."""
    assert set(TEMPLATES.values()) == set(ENGLISH)
    for name, template in TEMPLATES.items():
        english, chinese = _placeholders(ENGLISH[template]), _placeholders(template)
        assert english <= chinese and chinese - english <= {"field"}, name
        assert not CJK.search(ENGLISH[template]), name


def test_the_wire_sentence_is_the_template_filled_in(qapp: Any) -> None:
    error = _refusal({"name": ""})
    assert error.message == "name 不能为空,请填写" and error.template == m.REQUIRED
    error = _refusal({"name": "泵", "cycle_type": "自然时间周期", "period_num": 0,
                      "period_unit": "日"})
    assert error.message == "period_num 不能小于 1,收到 0"
    assert error.values == {"minimum": 1, "value": 0}


def test_chinese_says_the_label_without_the_wire_name(qapp: Any) -> None:
    i18n.install_language("zh_CN")
    assert say(_refusal({"name": ""})) == "名称不能为空,请填写"
    error = _refusal({"name": "泵", "cycle_type": "自然时间周期", "period_num": 0,
                      "period_unit": "日"})
    assert say(error) == "周期不能小于 1,收到 0"
    assert say(error, "每") == "每不能小于 1,收到 0"  # a form's own label wins


def test_english_says_the_rule_in_english(qapp: Any) -> None:
    i18n.install_language("en")
    assert say(_refusal({"name": ""})) == "Name is required: please fill it in."
    error = _refusal({"name": "泵", "cycle_type": "自然时间周期", "period_num": 2000,
                      "period_unit": "月"})
    assert say(error) == "Cycle length is too large: at most 1200 months (100 years)."
    assert field_label("no_such_field") == "no_such_field"


def test_an_error_without_a_template_is_shown_as_it_is(qapp: Any) -> None:
    i18n.install_language("en")
    plain = DomainError("where_and 的 JSON 嵌套过深", "where_and")
    assert say(plain) == "where_and 的 JSON 嵌套过深"
    broken = DomainError("原文", "name", template=m.TOO_LONG, values={"length": 3})
    assert say(broken) == "原文"  # a value missing: the wire's sentence, never a crash
