"""Message templates: Chinese kept as it is, values never expanded twice, JSON bodies that
stay JSON whatever the names hold, and unknown placeholders refused when saved."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixtimer_gui.domain import notify
from mixtimer_gui.domain.errors import FieldError


def test_chinese_values_fill_a_chinese_template() -> None:
    line = notify.render("【{kind}】{project}·{object},到期 {due}",
                         {"kind": "逾期", "project": "液压油更换", "object": "一号注塑机",
                          "due": "2024-05-13 09:00:00"})
    assert line == "【逾期】液压油更换·一号注塑机,到期 2024-05-13 09:00:00"


def test_a_value_that_looks_like_a_placeholder_is_not_expanded() -> None:
    assert notify.render("{project}/{object}", {"project": "{object}", "object": "泵"}) \
        == "{object}/泵"


@given(st.text(), st.text())
def test_a_json_body_stays_json_and_keeps_every_character(title: str, text: str) -> None:
    body = notify.render_body(notify.DEFAULT_BODY, title, text, 3)
    assert json.loads(body) == {"title": title, "text": text, "count": 3}


def test_an_unknown_placeholder_is_named_when_the_template_is_checked() -> None:
    with pytest.raises(FieldError) as caught:
        notify.check_template("{项目} {project}", "template")
    assert caught.value.field == "template" and "{项目}" in caught.value.message
