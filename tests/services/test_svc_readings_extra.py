"""Spec §7 readings: get_v2_statistics_value_list scoped by statistics_id; reading times."""

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


def test_a_reading_dated_more_than_a_day_ahead_is_refused(services: Services,
                                                          fake_clock) -> None:
    from mixtimer_gui.domain.clock import format_wire
    from mixtimer_gui.domain.errors import FieldError

    meter = services.statistics.create({"name": "运行小时"})["uid"]
    soon = format_wire(fake_clock.now() + 23 * 3600)
    services.statistics.add_value({"statistics_id": meter, "value": 5, "time": soon})
    typo = format_wire(fake_clock.now() + 18 * 365 * 86400)
    try:
        services.statistics.add_value({"statistics_id": meter, "value": 9, "time": typo})
    except FieldError as exc:
        assert exc.field == "time"
    else:
        raise AssertionError("a reading 18 years ahead was accepted")
    # Nothing was stored, so a real reading tomorrow is still accepted.
    assert services.statistics.value_list({"statistics_id": meter})["total_records"] == 1
