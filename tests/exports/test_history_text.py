"""How a history row's changes read in the 操作日志 window and its CSV (#15): an update as
``field: before → after``, a creation as the values it was given."""

from __future__ import annotations

from mixtimer_gui.exports.history_csv import changes_text


def test_an_update_reads_before_and_after() -> None:
    assert changes_text({"fee": [100, 150], "result": ["正常", None]}) == (
        "fee: 100 → 150; result: 正常 → ")


def test_a_creation_reads_as_the_values_it_was_given() -> None:
    created = {"uid": [None, "MTH1"], "description": [None, ""], "fee": [None, 12.5],
               "handler_id_list": [None, ["H1", "H2"]], "images": [None, []],
               "result": [None, None]}
    assert changes_text(created) == 'uid: MTH1; fee: 12.5; handler_id_list: ["H1", "H2"]'


def test_a_field_set_for_the_first_time_on_an_update_still_shows_its_arrow() -> None:
    assert changes_text({"description": [None, "换皮带"], "fee": [10, 20]}) == (
        "description:  → 换皮带; fee: 10 → 20")


def test_no_changes_read_as_nothing() -> None:
    assert changes_text({}) == ""
