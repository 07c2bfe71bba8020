"""Export of handles: content, safety of cells, header modes, filters, atomic files."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from export_samples import TRICKY, Sample
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtimer_gui.domain import checklists, clock
from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.exports import cells, csv_export
from mixtimer_gui.exports.cells import WireTimeFormatter, neutralise, plain_number, restore
from mixtimer_gui.exports.csv_export import (
    COLUMNS,
    ExportCancelled,
    ExportError,
    export_handles,
)
from mixtimer_gui.services.export_source import HandleExportSource


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def as_records(path: Path) -> list[dict[str, str]]:
    rows = read_csv(path)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export_records(sample: Sample, tmp_path: Path, params: dict | None = None,
                   ) -> list[dict[str, str]]:
    out = tmp_path / "out.csv"
    export_handles(sample.services, out, params, wire_header=True)
    return as_records(out)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for exports (the database lives elsewhere under tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# -- content ----------------------------------------------------------------------------------


def test_tricky_text_survives_the_round_trip_through_a_csv_reader(sample: Sample,
                                                                  tmp_path: Path) -> None:
    records = export_records(sample, tmp_path)
    by_uid = {r["uid"]: r for r in records}
    for uid, text in zip(sample.handles, TRICKY, strict=False):
        assert restore(by_uid[uid]["description"]) == text
        assert restore(by_uid[uid]["result"]) == text[:20]


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+86 138", "-5", "@cmd", "\tstarts with tab",
                                  "\rstarts with CR", "'=already quoted"])
def test_formula_like_cells_start_with_a_quote(sample: Sample, tmp_path: Path,
                                               text: str) -> None:
    records = export_records(sample, tmp_path)
    cell = {r["uid"]: r for r in records}[sample.handles[TRICKY.index(text)]]["description"]
    assert cell == "'" + text


def test_plain_text_is_written_as_is(sample: Sample, tmp_path: Path) -> None:
    records = export_records(sample, tmp_path)
    cell = {r["uid"]: r for r in records}[sample.handles[TRICKY.index("'plain apostrophe")]]
    assert cell["description"] == "'plain apostrophe"


def test_object_name_from_a_client_is_neutralised_too(sample: Sample, tmp_path: Path) -> None:
    names = {r["object_name"] for r in export_records(sample, tmp_path)}
    assert names == {"1号泵", "'=风机"}


def test_every_field_of_the_wire_record_is_exported_in_wire_form(sample: Sample,
                                                                 tmp_path: Path) -> None:
    records = export_records(sample, tmp_path)
    assert len(records) == len(sample.handles)
    for record in records:
        wire = sample.services.handles.get({"uid": record["uid"]})
        for key, value in wire.items():
            if key in ("handler_id_list", "handler_name_list"):
                assert record[key] == ";".join(str(v) for v in value)
            elif key in ("fee", "is_ignored", "skipped_cycles", "created_by",
                         "last_modified_by", "is_voided", "voided_by", "is_abnormal"):
                assert record[key] == plain_number(value)
            elif key == "checklist_results":  # a line a person reads; the long export
                assert restore(record[key]) == checklists.summary(value)
            else:
                assert restore(record[key]) == value, key


def test_lists_are_joined_readably_and_fee_is_a_plain_number(sample: Sample,
                                                             tmp_path: Path) -> None:
    records = {r["uid"]: r for r in export_records(sample, tmp_path)}
    first, second, late = (records[sample.handles[0]], records[sample.handles[1]],
                           records[sample.handles[-2]])
    assert (first["handler_id_list"], first["handler_name_list"]) == ("1;2", "张三;李四")
    assert (first["fee"], second["fee"], late["fee"]) == ("3", "12.5", "0.00001")


@pytest.mark.parametrize("wire, yes, no", [(True, "1", "0"), (False, "是", "否")])
def test_yes_no_cells_read_alike_in_each_header(sample: Sample, tmp_path: Path, wire: bool,
                                                yes: str, no: str) -> None:
    """是否按时 and 是否忽略 both 是/否 under Chinese titles; on_time and is_ignored both
    1/0 under wire names (a program reads those); on_time is empty when nothing was due
    or the cycle was ignored."""
    out = tmp_path / "out.csv"
    export_handles(sample.services, out, wire_header=wire)
    rows = read_csv(out)
    on_time, ignored = (rows[0].index(n) for n in (("on_time", "is_ignored") if wire
                                                    else ("是否按时", "是否忽略")))
    by_uid = {row[0]: row for row in rows[1:]}
    first, late, skipped = (by_uid[sample.handles[i]] for i in (0, -2, -1))
    assert (first[on_time], first[ignored]) == (yes, no)
    assert (late[on_time], late[ignored]) == (no, no)
    assert (skipped[on_time], skipped[ignored]) == ("", yes)
    assert {row[ignored] for row in rows[1:]} == {yes, no}
    assert {row[on_time] for row in rows[1:]} == {yes, no, ""}
    text = out.read_bytes().decode("utf-8-sig").split("\r\n")[1:]
    ignored_cell = f',{no},' if wire else f',"{no}",'  # a number bare, a word quoted
    assert ignored_cell in text[0]


def test_pictures_are_exported_as_files_a_reader_can_open(services: Any, tmp_path: Path,
                                                          db_path: Path) -> None:
    from mixtimer_gui.services import images as stored

    services.objects.create({"uid": "P1", "name": "泵"})
    project = services.projects.create({"name": "周检", "cycle_type": "自然时间周期",
                                        "period_num": 7, "period_unit": "日",
                                        "object_id_list": ["P1"]})["uid"]
    services.projects.start({"uid": project})
    task = services.tasks.list({})["data"][0]["uid"]
    photo = tmp_path / "before.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    names = stored.store_images(services.ctx.data_dir, [photo])
    url = "https://example.com/after.jpg"
    services.handles.handle({"task_id": task, "images": stored.join_names([*names, url])})
    for wire in (False, True):
        out = tmp_path / f"out-{wire}.csv"
        export_handles(services, out, wire_header=wire)
        cell = read_csv(out)[1][[name for name, _ in COLUMNS].index("images")]
        paths = cell.split(";")
        assert paths == [str(db_path.parent / "images" / names[0]), url]
        assert Path(paths[0]).is_absolute() and Path(paths[0]).read_bytes() == \
            photo.read_bytes()


def test_utf8_bom_written_once_and_crlf_line_ends(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    export_handles(sample.services, out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert data.split(b"\r\n")[0].decode("utf-8-sig").startswith("处理编号,任务编号")


def test_chinese_header_by_default_and_wire_names_on_request(sample: Sample,
                                                             tmp_path: Path) -> None:
    export_handles(sample.services, tmp_path / "zh.csv")
    export_handles(sample.services, tmp_path / "wire.csv", wire_header=True)
    zh, wire = read_csv(tmp_path / "zh.csv"), read_csv(tmp_path / "wire.csv")
    assert zh[0] == [title for _, title in COLUMNS]
    assert "项目名称" in zh[0] and "是否忽略" in zh[0]
    expected = set(sample.services.handles.get({"uid": sample.handles[0]})) | {"on_time"}
    assert set(wire[0]) == expected and len(wire[0]) == len(expected)
    yes_no = {wire[0].index("on_time"), wire[0].index("is_ignored"),
              wire[0].index("is_voided"), wire[0].index("is_abnormal")}
    for zh_row, wire_row in zip(zh[1:], wire[1:], strict=True):  # only yes/no differ
        assert [c for n, c in enumerate(zh_row) if n not in yes_no] == \
            [c for n, c in enumerate(wire_row) if n not in yes_no]


def test_rows_are_oldest_first_unless_an_order_is_given(sample: Sample,
                                                        tmp_path: Path) -> None:
    assert [r["uid"] for r in export_records(sample, tmp_path)] == sample.handles
    newest = export_records(sample, tmp_path, {"order_by": "-created"})
    assert [r["uid"] for r in newest] == sample.handles[::-1]


def test_times_are_local_wire_times(sample: Sample, tmp_path: Path) -> None:
    record = export_records(sample, tmp_path)[0]
    created = datetime.strptime(record["created"], clock.WIRE_FORMAT)
    wire = sample.services.handles.get({"uid": record["uid"]})
    assert record["created"] == wire["created"]
    assert created.replace(tzinfo=clock.local_zone()).utcoffset().total_seconds() == 8 * 3600


# -- filters ----------------------------------------------------------------------------------


FILTERS = [
    {"where_and": '[["task_id", "=", "%s"]]'},
    {"where_and": [["description", "like", "%行%"]]},
    {"where_or": [["is_ignored", "=", 1], ["fee", "<", 1]]},
    {"where_in": [["handler_name_list", ["王五"]]]},
    {"where_and": [["handler_id_list", "=", "1"], ["fee", ">", 5]]},
    {"where_and": [["created", ">", "2099-01-01"]]},
]


@pytest.mark.parametrize("params", FILTERS)
def test_export_holds_exactly_the_rows_the_list_shows(sample: Sample, tmp_path: Path,
                                                      params: dict) -> None:
    params = {k: (v % sample.tasks[0] if isinstance(v, str) else v) for k, v in params.items()}
    listed = sample.services.handles.list({**params, "page_size": 1000, "order_by": "created"})
    exported = export_records(sample, tmp_path, params)
    assert [r["uid"] for r in exported] == [r["uid"] for r in listed["data"]]
    assert 0 <= len(exported) < len(sample.handles)


@pytest.mark.parametrize(("params", "field"), [
    ({"where_and": '[["nope", "=", 1]]'}, "where_and"),
    ({"where_or": '[["fee", "~", 1]]'}, "where_or"),
    ({"where_in": '[["uid"]]'}, "where_in"),
    ({"where_and": "[[not json"}, "where_and"),
    ({"order_by": "handler_id_list"}, "order_by"),
])
def test_a_bad_filter_names_the_field_and_writes_nothing(sample: Sample, out_dir: Path,
                                                         params: dict, field: str) -> None:
    with pytest.raises(FieldError) as err:
        export_handles(sample.services, out_dir / "out.csv", params)
    assert err.value.field == field
    assert list(out_dir.iterdir()) == []


# -- safe files -------------------------------------------------------------------------------


def test_cancel_leaves_no_file_and_keeps_an_existing_target(sample: Sample, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    monkeypatch.setattr("mixtimer_gui.services.export_source.BATCH_SIZE", 3)
    target = tmp_path / "records.csv"
    target.write_text("earlier export", encoding="utf-8")
    seen: list[tuple[int, int]] = []

    def cancelled() -> bool:
        return len(seen) >= 2

    with pytest.raises(ExportCancelled):
        export_handles(sample.services, target, progress=lambda d, t: seen.append((d, t)),
                       cancelled=cancelled)
    assert seen == [(3, len(sample.handles)), (6, len(sample.handles))]
    assert target.read_text(encoding="utf-8") == "earlier export"
    assert leftovers(tmp_path) == []


def test_cancel_before_the_first_batch_creates_nothing(sample: Sample, out_dir: Path) -> None:
    with pytest.raises(ExportCancelled):
        export_handles(sample.services, out_dir / "x.csv", cancelled=lambda: True)
    assert list(out_dir.iterdir()) == []


def test_a_failure_midway_leaves_no_partial_file(sample: Sample, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixtimer_gui.services.export_source.BATCH_SIZE", 4)
    target = tmp_path / "records.csv"
    target.write_bytes(b"old")

    def disk_full(done: int, total: int) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        export_handles(sample.services, target, progress=disk_full)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_an_export_replaces_the_previous_file_when_complete(sample: Sample,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    target.write_bytes(b"old")
    result = export_handles(sample.services, target)
    assert result.rows == len(sample.handles) and result.path == target
    assert len(read_csv(target)) == len(sample.handles) + 1
    assert leftovers(tmp_path) == []


def test_progress_reaches_the_total(sample: Sample, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixtimer_gui.services.export_source.BATCH_SIZE", 5)
    seen: list[tuple[int, int]] = []
    export_handles(sample.services, tmp_path / "x.csv", progress=lambda d, t: seen.append((d, t)))
    total = len(sample.handles)
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize("where", ["missing/dir/out.csv", "."])
def test_a_target_that_cannot_be_a_file_is_refused(services, tmp_path: Path,
                                                   where: str) -> None:
    with pytest.raises(ExportError) as err:
        export_handles(services, tmp_path / where)
    assert str(err.value)
    assert leftovers(tmp_path) == []


def test_an_empty_database_gives_a_header_only_file(services, tmp_path: Path) -> None:
    result = export_handles(services, tmp_path / "x.csv")
    assert result.rows == 0
    assert read_csv(tmp_path / "x.csv") == [[title for _, title in COLUMNS]]


# -- cells ------------------------------------------------------------------------------------


@given(st.text())
def test_restore_undoes_neutralise(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe or safe[0] not in cells.FORMULA_STARTS


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (0, "0"), (3.0, "3"), (12.5, "12.5"), (1e-05, "0.00001"),
    (1e20, "100000000000000000000"),
    (0.1 + 0.2, "0.30000000000000004"),
])
def test_plain_number(value: float | None, text: str) -> None:
    assert plain_number(value) == text


ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe",
         "Asia/Kathmandu"]
TRANSITIONS = [int(datetime(2024, m, d, h, tzinfo=UTC).timestamp())
               for m, d, h in ((3, 10, 7), (11, 3, 6), (3, 31, 1), (10, 27, 1), (4, 6, 15),
                               (10, 5, 15))]


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES),
       moment=st.one_of(st.integers(-2_000_000_000, 4_000_000_000),
                        st.sampled_from(TRANSITIONS).flatmap(
                            lambda t: st.integers(t - 7200, t + 7200))))
def test_fast_time_format_equals_format_wire(zone: str, moment: int) -> None:
    clock.set_local_zone(zone)
    try:
        assert WireTimeFormatter()(moment) == clock.format_wire(moment)
    finally:
        clock.set_local_zone("Asia/Shanghai")


def test_fast_time_format_on_a_dst_day_sequence() -> None:
    clock.set_local_zone("America/New_York")
    try:
        fmt = WireTimeFormatter()
        start = TRANSITIONS[0] - 86400
        for moment in range(start, start + 3 * 86400, 97):
            assert fmt(moment) == clock.format_wire(moment)
        assert fmt(None) == ""
    finally:
        clock.set_local_zone("Asia/Shanghai")


# -- the fast line equals the careful one -----------------------------------------------------


def careful_line(row: tuple, wire: bool = False, data_dir: Path | None = None) -> bytes:
    buffer = io.StringIO()
    convert = csv_export.row_converter(csv_export._Formatters(wire=wire, data_dir=data_dir))
    csv_export._csv_writer(buffer).writerow(convert(csv_export._decoded(row)))
    return buffer.getvalue().removesuffix("\r\n").encode("utf-8", "surrogateescape")


# Both headers' ways of writing yes and no; pictures with a data folder and without one.
MODES = [(False, None), (True, None), (False, Path("/data")), (True, Path("/data"))]


def raw_row(texts: list[str], numbers: list[int], due: int | None, fee: float) -> tuple:
    b = [t.encode("utf-8", "surrogatepass") for t in texts]
    created = numbers[0]
    return (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
            json.dumps([numbers[1], numbers[2]]).encode(),
            json.dumps([texts[8], texts[9]], ensure_ascii=False).encode("utf-8", "surrogatepass"),
            fee, b[10], b[11], b[12], created, due, numbers[3] % 2, numbers[4],
            numbers[5] % 2, checklist_cell(texts, numbers[6]), b[13],
            numbers[5], created + numbers[6] % 3, numbers[7],
            # #15: handled_at (equal to created or back-dated), is_voided, void_reason,
            # voided_at (NULL unless voided), voided_by
            created - numbers[6] % 2 * 3600, numbers[3] // 2 % 2, b[11],
            None if numbers[7] % 2 else created + 5, numbers[7] % 5)


def checklist_cell(texts: list[str], number: int) -> bytes:
    """Stored results (#17) with awkward names and units, or none."""
    if number % 2:
        return b"[]"
    results = [{"name": texts[12], "kind": "measure", "unit": texts[13], "min": None,
                "max": 1, "value": 2, "abnormal": True},
               {"name": texts[11], "kind": "text", "unit": "", "min": None, "max": None,
                "value": texts[10], "abnormal": False}]
    return json.dumps(results, ensure_ascii=False).encode("utf-8", "surrogatepass")


CELL_TEXT = st.text(alphabet=st.sampled_from(
    sorted(set('ab中,"\'\n ;[]\\') | cells.FORMULA_STARTS)), max_size=6)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(CELL_TEXT, min_size=14, max_size=14),
       numbers=st.lists(st.integers(0, 2_000_000_000), min_size=8, max_size=8),
       due=st.none() | st.integers(0, 2_000_000_000),
       fee=st.sampled_from([0.0, 3.0, 12.5, 1e-05, 1234567.25]),
       mode=st.sampled_from(MODES))
@pytest.mark.slow  # ~12 s: 400 examples
def test_fast_line_is_byte_for_byte_the_careful_line(texts: list[str], numbers: list[int],
                                                     due: int | None, fee: float,
                                                     mode: tuple[bool, Path | None]) -> None:
    row = raw_row(texts, numbers, due, fee)
    assert csv_export.line_converter(*mode)(row) == careful_line(row, *mode)
    plain = raw_row(["x"] * 14, numbers, due, fee)
    for batch in ([row], [plain, row], [row, plain, plain], [plain, plain]):
        expected = b"\r\n".join(careful_line(r, *mode) for r in batch)
        assert csv_export.batch_converter(*mode)(batch) == expected


@pytest.mark.parametrize("mode", MODES)
def test_fast_lines_of_the_sample_are_the_careful_lines(sample: Sample,
                                                        mode: tuple[bool, Path | None]) -> None:
    source = HandleExportSource(sample.services.ctx, {}, text_as_bytes=True)
    convert = csv_export.line_converter(*mode)
    rows = [row for batch in source.batches() for row in batch]
    assert len(rows) == len(sample.handles)
    for row in rows:
        assert convert(row) == careful_line(row, *mode)
    pictured = list(rows[0])
    pictured[13] = b"a.png;https://x/b.jpg;../up.png"
    assert convert(tuple(pictured)) == careful_line(tuple(pictured), *mode)


@pytest.mark.parametrize("start", sorted(cells.FORMULA_STARTS | {cells.QUOTE}))
def test_the_fast_path_sees_every_character_that_neutralise_acts_on(start: str) -> None:
    """The fast line's own check for cells that need neutralising is built from the same
    characters as ``neutralise``: one more formula start, and this fails until it is."""
    texts = ["x"] * 14
    texts[11] = start + "=1+1"  # the description
    row = raw_row(texts, [1_700_000_000, 1, 2, 0, 0, 0, 0, 0], None, 0.0)
    line = csv_export.line_converter()(row)
    assert line == careful_line(row)
    assert b'"' + neutralise(texts[11]).encode() + b'"' in line
    assert neutralise(texts[11]) != texts[11]


@pytest.mark.parametrize("mode", MODES[:2])
@pytest.mark.parametrize("column", [0, 10, 13, 16])  # uid, fee, images, is_ignored
def test_a_null_takes_the_careful_path(column: int, mode: tuple[bool, Path | None]) -> None:
    row = list(raw_row(["x"] * 14, [1_700_000_000, 1, 2, 0, 0, 0, 0, 0], None, 0.0))
    row[column] = None
    assert csv_export.line_converter(*mode)(tuple(row)) == careful_line(tuple(row), *mode)
    assert csv_export.batch_converter(*mode)([tuple(row)] * 2) == b"\r\n".join(
        [careful_line(tuple(row), *mode)] * 2)


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_database_itself_is_never_the_target(sample: Sample, db_path: Path,
                                                 suffix: str) -> None:
    target = db_path.with_name(db_path.name + suffix)
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(ExportError, match="数据库"):
        export_handles(sample.services, target)
    assert (target.read_bytes() if target.exists() else None) == before
    assert sample.services.handles.list({})["total_records"] == len(sample.handles)


def test_numbers_are_bare_and_text_is_quoted(sample: Sample, out_dir: Path) -> None:
    export_handles(sample.services, out_dir / "x.csv")
    first = (out_dir / "x.csv").read_bytes().decode("utf-8-sig").split("\r\n")[1]
    assert first.startswith(f'"{sample.handles[0]}","')
    assert ',"张三;李四",3,"' in first and first.endswith(",0")
