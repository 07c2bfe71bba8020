"""Spec §7: get_v2_statistics_value_list scoped by a top-level statistics_id."""

from __future__ import annotations

from mixtimer_gui.services import Services


def test_value_list_keeps_to_the_named_statistic(services: Services) -> None:
    a = services.statistics.create({"name": "运行小时"})["uid"]
    b = services.statistics.create({"name": "产量计数"})["uid"]
    services.statistics.add_value({"statistics_id": a, "value": 10})
    services.statistics.add_value({"statistics_id": b, "value": 500})
    services.statistics.add_value({"statistics_id": b, "value": 600})

    only_b = services.statistics.value_list({"statistics_id": b})
    everything = services.statistics.value_list({})

    assert only_b["total_records"] == 2
    assert {r["statistics_id"] for r in only_b["data"]} == {b}
    assert everything["total_records"] == 3
