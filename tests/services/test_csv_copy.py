"""The handle CSV written by PostgreSQL (``COPY … TO STDOUT``, issue 16's export target) is
byte for byte the file the Python writer makes of the same rows on SQLite: tricky text,
numbers, lists, pictures, checklists, voided and ignored handles, both headers, filters.
Where the server cannot promise that (a zone it does not know, a value only Python writes
right) the Python writer takes over and the bytes are still the same.

Code: store/csv_copy.py, services/export_source.py (server_format, server_batches),
exports/csv_export.py (_written_by_server).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.exports import csv_export
from mixtimer_gui.services import Services, export_source
from mixtimer_gui.services.images import images_dir

TRICKY_TEXT = ["", "plain", 'say "hi"', "a,b", "line\nbreak", "cr\rhere", "=SUM(A1)",
               "+1", "-2", "@me", "\tlead tab", "'=already", "''+two", "中文,“引号”",
               "'plain quote", " spaced ", '"', "'"]
FEES = [0.0, 100.0, 12.5, -3.25, 0.1, 1234567.89, 0.0001, 99999999999999.5, -0.0, 1.5e15,
        -7.0]
ODD_FEES = [1e-7, 1e16, 1234567890123456.5, float("inf")]
CHECKLIST = [
    {"name": "油位", "kind": "check", "unit": "", "min": None, "max": None, "value": "正常",
     "abnormal": False},
    {"name": "阀门", "kind": "check", "unit": "", "min": None, "max": None, "value": "异常",
     "abnormal": True},
    {"name": "排气温度", "kind": "measure", "unit": "℃", "min": None, "max": 95,
     "value": 96.5, "abnormal": True},
    {"name": "压力", "kind": "measure", "unit": "bar", "min": 0.2, "max": 8, "value": 9,
     "abnormal": True},
    {"name": "转速", "kind": "measure", "unit": "", "min": 100, "max": None, "value": 50,
     "abnormal": True},
    {"name": "电流", "kind": "measure", "unit": "A", "min": 1, "max": 5, "value": 3.25,
     "abnormal": False},
    {"name": "=备注", "kind": "text", "unit": "", "min": None, "max": None,
     "value": "漏油,\"轻微\"", "abnormal": False},
]


def _rows() -> list[dict[str, Any]]:
    rows = []
    moment = 1_700_000_000
    for i in range(60):
        text = TRICKY_TEXT[i % len(TRICKY_TEXT)]
        ids = [[], [1], [3, 1, 2], [-4], [7, None]][i % 5]
        names = [[], ["张三"], ["李四", "王五", "=赵六"], ['a"b', "c\\d"], ["", None]][i % 5]
        images = ["", "a1b2.jpg", "a1b2.jpg; https://x.example/p.png ;a1b2.jpg;c3.png",
                  "HTTP://Y/Q.JPG;../up.jpg;.hidden", " ; "][i % 5]
        checks = [[], CHECKLIST, CHECKLIST[:2], [CHECKLIST[2]]][i % 4]
        handled = moment + (30 if i % 4 else 0)
        due = (None if i % 6 == 0 else handled if i % 10 == 5  # done at the due second
               else moment + (3600 if i % 2 else -3600))
        rows.append({
            "organization_id": "org" if i % 7 else "=org", "created": moment,
            "created_by": i, "last_modified": moment + (0 if i % 3 else 60),
            "last_modified_by": i % 4, "uid": f"h{i:03d}-{text}", "task_id": f"t{i % 3}",
            "project_id": "P" if i % 2 else "-P", "project_name": text or "项目",
            "project_alias": text, "object_id": f"o{i % 4}", "object_name": "泵,1号",
            "object_alias": "@别名" if i % 5 == 0 else "", "description": text,
            "handler_id_list": json.dumps(ids), "handler_name_list": json.dumps(
                names, ensure_ascii=bool(i % 2)), "fee": FEES[i % len(FEES)],
            "result": TRICKY_TEXT[(i + 3) % len(TRICKY_TEXT)], "images": images,
            "is_ignored": 1 if i % 8 == 0 else 0, "due_at": due, "skipped_cycles": i % 3,
            "handled_at": handled, "is_voided": 1 if i % 9 == 0 else 0,
            "void_reason": "录错了" if i % 9 == 0 else "",
            "voided_at": moment + 99 if i % 9 == 0 else None,
            "voided_by": 2 if i % 9 == 0 else 0,
            "checklist_results": json.dumps(checks, ensure_ascii=False) if checks else "[]",
            "is_abnormal": int(any(c["abnormal"] for c in checks)),
        })
        # a summer and a winter day, many hours apart, as the zone would show them
        moment += 86_400 * 17 + 3_671
    return rows


def _listed(stored: str) -> list[Any]:
    try:
        items = json.loads(stored)
    except ValueError:
        return []
    return [i if isinstance(i, int | str) and not isinstance(i, bool) else None
            for i in items]


def _open_with(location: str | Path, fake_clock: FakeClock,
               rows: list[dict[str, Any]]) -> Services:
    services = Services.open(location, clock=fake_clock)
    store = services.ctx.store
    with services.ctx.write():
        store.Handle.insert_many(rows).execute()
        ids = [h.id for h in store.Handle.select(store.Handle.id).order_by(store.Handle.id)]
        people = [{"handle_rowid": rowid, "handler_id": hid, "handler_name": name or "",
                   "created": row["created"]}
                  for rowid, row in zip(ids, rows, strict=True)
                  for hid, name in zip(_listed(row["handler_id_list"]),
                                       _listed(row["handler_name_list"]), strict=False)]
        store.HandleHandler.insert_many(people).execute()
    return services


@pytest.fixture
def both(db_path: Path, pg_database_url: str,
         fake_clock: FakeClock) -> Any:
    rows = _rows()
    sqlite = _open_with(db_path, fake_clock, rows)
    team = _open_with(pg_database_url, fake_clock, rows)
    yield sqlite, team
    sqlite.close()
    team.close()


def _export(services: Services, out: Path, params: dict[str, Any], wire: bool) -> bytes:
    """The file's bytes, its pictures' folder written as ``<images>`` (each database has
    its own data folder)."""
    csv_export.export_handles(services, out, params, wire_header=wire)
    folder = str(images_dir(services.ctx.data_dir)).encode()
    data = out.read_bytes()
    return data.replace(folder, b"<images>")


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows the server formatted (so a test knows which path wrote)."""
    served: list[int] = []
    original = export_source.server_batches

    def counting(*args: Any, **kwargs: Any) -> Any:
        for lines, count in original(*args, **kwargs):
            served.append(count)
            yield lines, count

    monkeypatch.setattr(csv_export, "server_batches", counting)
    return served


FILTERS = [
    {},
    {"where_and": [["fee", ">", 0]]},
    {"where_and": [["handler_id_list", "=", 1]]},
    {"where_or": [["project_name", "like", "中文"], ["is_voided", "=", 1]]},
    {"order_by": "-fee"},
]


@pytest.mark.parametrize("wire", [False, True], ids=["chinese", "wire"])
@pytest.mark.parametrize("params", FILTERS, ids=["all", "fee", "person", "text", "by-fee"])
def test_the_server_writes_the_bytes_the_python_writer_writes(
        both: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wire: bool,
        params: dict[str, Any]) -> None:
    sqlite, team = both
    served = _spy(monkeypatch)
    expected = _export(sqlite, tmp_path / "sqlite.csv", params, wire)
    assert served == []  # SQLite keeps the Python writer
    got = _export(team, tmp_path / "team.csv", params, wire)
    # every row came from the server (no cell holds CR LF: a line end is a row's end)
    assert sum(served) == expected.count(b"\r\n") - 1 > 0
    assert got == expected


def test_an_unknown_zone_name_falls_back_to_python_with_the_same_bytes(
        both: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite, team = both
    expected = _export(sqlite, tmp_path / "sqlite.csv", {}, False)
    served = _spy(monkeypatch)
    monkeypatch.setattr(clock, "local_zone_name", lambda: "Nowhere/Atlantis")
    assert export_source.server_format(team.ctx, wire=False, data_dir=None) is None
    assert _export(team, tmp_path / "team.csv", {}, False) == expected
    assert served == []


def test_a_server_whose_zone_disagrees_falls_back(both: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite, team = both
    expected = _export(sqlite, tmp_path / "sqlite.csv", {}, True)
    # the name says Tokyo, Python's clock says Shanghai: an hour apart all year
    monkeypatch.setattr(clock, "local_zone_name", lambda: "Asia/Tokyo")
    served = _spy(monkeypatch)
    assert _export(team, tmp_path / "team.csv", {}, True) == expected
    assert served == []


def test_a_name_for_the_zone_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    assert clock.local_zone_name() == "Asia/Shanghai"  # the tests' zone, set by name
    clock.set_local_zone(clock.UTC)
    assert clock.local_zone_name() == "UTC"


ODD_VALUES = [*(("fee", fee) for fee in ODD_FEES),
              ("due_at", -400 * 86_400),  # 1968: before the zone's compared years
              ("voided_at", 4_200_000_000),  # 2103: after them
              ("handler_id_list", "[1.0]"), ("handler_name_list", "[true]"),
              ("handler_id_list", "[1e2]"), ("handler_id_list", "[01]"),
              ("checklist_results", json.dumps([{"name": "x", "kind": "measure",
                                                 "value": 1e-7, "abnormal": False}])),
              ("checklist_results", json.dumps([{"name": None, "value": "a"}])),
              ("checklist_results", "not json")]


@pytest.mark.parametrize(("field", "value"), ODD_VALUES,
                         ids=[f"{f}={v!r}"[:40] for f, v in ODD_VALUES])
def test_a_value_only_python_writes_right_restarts_the_file_in_python(
        db_path: Path, pg_database_url: str, fake_clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, field: str, value: Any) -> None:
    rows = _rows()
    rows[-1][field] = value  # the last row: the server has written others before it
    if field.startswith("handler"):
        rows[-1]["handler_id_list"] = rows[-1]["handler_name_list"] = value
    sqlite = _open_with(db_path, fake_clock, rows)
    team = _open_with(pg_database_url, fake_clock, rows)
    out = tmp_path / "out"
    out.mkdir()
    served = _spy(monkeypatch)
    monkeypatch.setattr(export_source.server_batches, "__defaults__", (7,))
    python_wrote = []
    original = csv_export._write
    monkeypatch.setattr(csv_export, "_write",
                        lambda *a, **k: python_wrote.append(1) or original(*a, **k))
    try:
        expected = _export(sqlite, out / "sqlite.csv", {}, False)
        python_wrote.clear()
        assert _export(team, out / "team.csv", {}, False) == expected
        assert sum(served) > 0 and python_wrote == [1]  # started on the server, then Python
        assert sorted(p.name for p in out.iterdir()) == ["sqlite.csv", "team.csv"]
    finally:
        sqlite.close()
        team.close()


def test_a_cancelled_server_export_leaves_no_file(both: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _sqlite, team = both
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_bytes(b"the file before")
    served = _spy(monkeypatch)
    monkeypatch.setattr(export_source.server_batches, "__defaults__", (7,))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(csv_export.ExportCancelled):
        csv_export.export_handles(team, out / "new.csv", {}, cancelled=cancel)
    with pytest.raises(csv_export.ExportCancelled):
        csv_export.export_handles(team, out / "old.csv", {}, cancelled=lambda: len(calls) > 2)
    assert served[:2] == [7, 7]  # the server was writing when the user cancelled
    assert list(out.iterdir()) == [out / "old.csv"]
    assert (out / "old.csv").read_bytes() == b"the file before"


def test_the_whitespace_list_is_pythons() -> None:
    assert set(export_source.WHITESPACE) == {chr(c) for c in range(0x110000)
                                             if chr(c).isspace()}


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin"])
def test_a_zone_with_summer_time_reads_the_same(both: Any, tmp_path: Path, zone: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite, team = both
    clock.set_local_zone(zone)  # the autouse fixture sets the tests' zone back
    served = _spy(monkeypatch)
    expected = _export(sqlite, tmp_path / "sqlite.csv", {}, True)
    assert _export(team, tmp_path / "team.csv", {}, True) == expected
    assert sum(served) == 60
