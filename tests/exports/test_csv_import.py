"""Import of objects and meter readings: encodings, headers, every bad row, all or nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.cells import neutralise
from mixtimer_gui.exports.csv_import import (
    OBJECTS,
    READINGS,
    ImportCancelled,
    ImportFileError,
    ImportResult,
    import_table,
    read_table,
)
from mixtimer_gui.services import Services, events


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def import_file(services: Services, path: Path, kind: str = OBJECTS, **options: Any,
                ) -> ImportResult:
    return import_table(services, read_table(path, kind), **options)


def objects(services: Services) -> dict[str, dict]:
    data = services.objects.list({"page_size": 1000})["data"]
    return {row["uid"]: row for row in data}


def readings(services: Services, statistic: str) -> list[tuple[str, float]]:
    data = services.statistics.value_list({"page_size": 1000, "order_by": "time",
                                           "where_and": [["statistics_id", "=", statistic]]})
    return [(row["time"], row["value"]) for row in data["data"]]


@pytest.fixture
def meter(services: Services) -> str:
    return services.statistics.create({"uid": "hours-1", "name": "运行小时"})["uid"]


# -- objects ----------------------------------------------------------------------------------


def test_objects_with_chinese_headers_import_and_keep_tricky_text(services: Services,
                                                                  tmp_path: Path) -> None:
    tricky = ["=1+2", "逗号,引号\"", "两行\n文本", "@x", "-3", "'=quoted"]
    rows = [["对象编号", "名称", "别名", "位置", "描述"]]
    rows += [[f"obj-{i}", f"设备{i}", neutralise(text), "车间,东", neutralise(text)]
             for i, text in enumerate(tricky)]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows))
    assert (result.committed, result.imported, result.errors) == (True, len(tricky), [])
    stored = objects(services)
    for i, text in enumerate(tricky):
        obj = stored[f"obj-{i}"]
        assert (obj["name"], obj["alias"], obj["description"], obj["location"]) == (
            f"设备{i}", text, text, "车间,东")


def test_wire_headers_in_any_case_and_order_and_no_uid_column(services: Services,
                                                              tmp_path: Path) -> None:
    rows = [["Location", "NAME"], ["二楼", "空压机"], ["三楼", "冷却塔"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows, encoding="utf-8"))
    assert result.imported == 2
    by_name = {o["name"]: o for o in objects(services).values()}
    assert by_name["空压机"]["location"] == "二楼"
    assert by_name["冷却塔"]["uid"].startswith("MTO")
    assert by_name["冷却塔"]["alias"] == "冷却塔"  # the service's default, as over the API


def test_a_gbk_file_from_chinese_excel_imports(services: Services, tmp_path: Path) -> None:
    rows = [["名称", "位置", "描述"], ["锅炉给水泵", "泵房", "扬程 80 米,功率 55 千瓦"]]
    path = write_csv(tmp_path / "o.csv", rows, encoding="gbk")
    table = read_table(path, OBJECTS)
    assert table.encoding == "GBK"
    assert import_table(services, table).imported == 1
    (obj,) = objects(services).values()
    assert (obj["name"], obj["description"]) == ("锅炉给水泵", "扬程 80 米,功率 55 千瓦")


def test_utf8_with_bom_is_detected_as_utf8(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "o.csv", [["name"], ["甲"]]), OBJECTS)
    assert table.encoding == "UTF-8"
    assert table.fields == ["name"]


def test_blank_lines_and_unknown_columns_are_skipped(services: Services,
                                                     tmp_path: Path) -> None:
    rows = [["name", "备用列"], ["甲", "x"], [], ["", ""], ["乙", ""]]
    table = read_table(write_csv(tmp_path / "o.csv", rows), OBJECTS)
    assert table.ignored_columns == ["备用列"]
    assert [line for line, _ in table.rows] == [2, 5]
    assert import_table(services, table).imported == 2


def test_preview_gives_the_first_rows_with_their_lines(tmp_path: Path) -> None:
    rows = [["name"]] + [[f"设备{i}"] for i in range(30)]
    table = read_table(write_csv(tmp_path / "o.csv", rows), OBJECTS)
    preview = table.preview(5)
    assert preview[0] == (2, {"name": "设备0"}) and len(preview) == 5


# -- every bad row, with its line -------------------------------------------------------------


def test_every_bad_row_is_reported_with_line_and_field(services: Services,
                                                       tmp_path: Path) -> None:
    services.objects.create({"uid": "taken", "name": "已有"})
    rows = [
        ["uid", "名称", "别名", "位置"],
        ["ok-1", "好", "", ""],                  # 2
        ["bad uid!", "坏编号", "", ""],          # 3
        ["ok-2", "", "", ""],                    # 4 name missing
        ["taken", "重复", "", ""],               # 5 already in the database
        ["ok-3", "好", "", ""],                  # 6
        ["ok-3", "同一文件中重复", "", ""],      # 7 duplicate inside the file
        ["ok-4", "x" * 101, "", ""],             # 8 too long
        ["ok-5", "好", "", "位" * 201],          # 9 location too long
        ["ok-6", "名\x00字", "", ""],            # 10 NUL
    ]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows))
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "uid"), (4, "name"), (5, "uid"), (7, "uid"), (8, "name"), (9, "location"),
        (10, "name")]
    assert result.errors[1].column == "名称"
    assert "第 4 行「名称」" in str(result.errors[1])
    assert all(e.message for e in result.errors)
    assert (result.committed, result.good, result.imported) == (False, 2, 0)
    assert set(objects(services)) == {"taken"}


def test_the_service_message_is_the_one_reported(services: Services, tmp_path: Path) -> None:
    rows = [["name", "location"], ["", "一楼"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows))
    with pytest.raises(DomainError) as direct:
        services.objects.create({"name": "", "location": "一楼"})
    assert result.errors[0].message == direct.value.message


def test_a_row_with_too_many_cells_is_reported(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("name,location\r\n甲,一楼\r\n乙,二楼,多余\r\n丙,三楼,\r\n",
                    encoding="utf-8")
    result = import_file(services, path, keep_good=True)
    assert [(e.line, e.field) for e in result.errors] == [(3, "")]
    assert "多于表头" in result.errors[0].message
    assert {o["name"] for o in objects(services).values()} == {"甲", "丙"}


def test_line_numbers_count_lines_inside_quoted_cells(services: Services,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text('name,description\r\n甲,"一\r\n二\r\n三"\r\n,空名\r\n', encoding="utf-8")
    result = import_file(services, path)
    assert [(e.line, e.field) for e in result.errors] == [(5, "name")]


# -- all or nothing ---------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_announces_nothing(services: Services,
                                                           tmp_path: Path) -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    rows = [["uid", "name"], ["a", "甲"], ["b", "乙"], ["c", ""]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows))
    assert not result.committed
    assert objects(services) == {}
    assert heard == []


def test_keep_good_imports_the_good_rows_only(services: Services, tmp_path: Path) -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    rows = [["uid", "name"], ["a", "甲"], ["b", ""], ["c", "丙"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows), keep_good=True)
    assert (result.committed, result.imported, len(result.errors)) == (True, 2, 1)
    assert set(objects(services)) == {"a", "c"}
    assert heard == [(events.OBJECT, ("a", "c"))]


def test_a_taken_number_is_a_bad_row_and_counted_as_existing(services: Services,
                                                             tmp_path: Path) -> None:
    services.objects.create({"uid": "P1", "name": "泵", "location": "一车间"})
    rows = [["对象编号", "名称"], ["P1", "一号泵"], ["P2", "二号泵"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows))
    assert (result.committed, result.good, result.existing, result.updated) == (False, 1, 1, 0)
    assert [(e.line, e.field) for e in result.errors] == [(2, "uid")]
    assert objects(services)["P1"]["name"] == "泵"


def test_update_existing_replaces_the_files_columns_and_keeps_the_rest(
        services: Services, tmp_path: Path) -> None:
    services.objects.create({"uid": "P1", "name": "泵", "alias": "老泵", "location": "一车间",
                             "description": "原描述"})
    heard: list[tuple[str, tuple[str, ...]]] = []
    services.bus.subscribe(lambda entity, uids: heard.append((entity, uids)))
    rows = [["对象编号", "名称", "位置"], ["P1", "一号泵", ""], ["P2", "二号泵", "二车间"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows), update_existing=True)
    assert (result.committed, result.good, result.existing, result.updated) == (True, 2, 1, 1)
    stored = objects(services)
    # name and location come from the file (an empty cell clears it); alias and
    # description are not in the file and keep their stored values.
    assert (stored["P1"]["name"], stored["P1"]["location"]) == ("一号泵", "")
    assert (stored["P1"]["alias"], stored["P1"]["description"]) == ("老泵", "原描述")
    assert stored["P2"]["location"] == "二车间"
    assert sorted(uid for entity, uids in heard if entity == events.OBJECT
                  for uid in uids) == ["P1", "P2"]


def test_update_existing_still_refuses_a_bad_row(services: Services, tmp_path: Path) -> None:
    services.objects.create({"uid": "P1", "name": "泵"})
    rows = [["uid", "name"], ["P1", ""]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows), update_existing=True)
    assert not result.committed and [e.field for e in result.errors] == ["name"]
    assert objects(services)["P1"]["name"] == "泵"


def test_a_dry_run_reports_but_keeps_nothing(services: Services, tmp_path: Path) -> None:
    rows = [["name"], ["甲"], ["乙"]]
    result = import_file(services, write_csv(tmp_path / "o.csv", rows), commit=False)
    assert (result.committed, result.good, result.errors) == (False, 2, [])
    assert objects(services) == {}


def test_keep_good_with_no_good_row_commits_nothing(services: Services,
                                                    tmp_path: Path) -> None:
    rows = [["uid", "name"], ["bad uid", "甲"]]
    result = import_file(services, write_csv(tmp_path / "p.csv", rows), keep_good=True)
    assert (result.good, result.committed) == (0, False)


# -- the file as a whole ----------------------------------------------------------------------


@pytest.mark.parametrize(("content", "words"), [
    (b"", "空"),
    (b"\r\n\r\n", "空"),
    (b"name\r\n", "没有数据行"),
    (b"uid,alias\r\nx,y\r\n", "名称(name)"),
    (b"name,\xe5\x90\x8d\xe7\xa7\xb0\r\nx,y\r\n", "只保留一列"),
    (b"PK\x03\x04rest-of-a-zip", "另存为"),
    (b'name\r\n"unterminated\r\nmore\r\n', "第 3 行"),
    (b'name\r\n"closed"trailing\r\n', "CSV"),
])
def test_a_file_that_cannot_be_imported_says_why(tmp_path: Path, content: bytes,
                                                 words: str) -> None:
    path = tmp_path / "o.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as err:
        read_table(path, OBJECTS)
    assert words in str(err.value)


def test_a_missing_file_or_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="不存在"):
        read_table(tmp_path / "nope.csv", OBJECTS)
    with pytest.raises(ImportFileError, match="文件夹"):
        read_table(tmp_path, OBJECTS)


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_bytes(b"name\r\n\x81\x30\xff\xff\r\n")
    with pytest.raises(ImportFileError, match="编码"):
        read_table(path, OBJECTS)


# -- readings ---------------------------------------------------------------------------------


def test_readings_import_in_time_order_per_statistic(services: Services, meter: str,
                                                     tmp_path: Path) -> None:
    services.statistics.create({"uid": "count-2", "name": "产量"})
    rows = [["统计编号", "读数", "时间"],
            [meter, "30", "2024-05-03 08:00:00"],
            ["count-2", "5", "2024-05-02"],
            [meter, "10", "2024-05-01 08:00"],
            [meter, "20", "2024-05-02 08:00:00"]]
    result = import_file(services, write_csv(tmp_path / "r.csv", rows), READINGS)
    assert (result.committed, result.imported, result.errors) == (True, 4, [])
    assert readings(services, meter) == [("2024-05-01 08:00:00", 10), ("2024-05-02 08:00:00", 20),
                                         ("2024-05-03 08:00:00", 30)]
    assert readings(services, "count-2") == [("2024-05-02 00:00:00", 5)]


def test_a_reading_without_time_is_taken_now(services: Services, meter: str,
                                             fake_clock: FakeClock, tmp_path: Path) -> None:
    rows = [["statistics_id", "value"], [meter, "7.5"]]
    assert import_file(services, write_csv(tmp_path / "r.csv", rows), READINGS).imported == 1
    assert readings(services, meter)[0][1] == 7.5


def test_every_bad_reading_is_reported_with_its_line(services: Services, meter: str,
                                                     tmp_path: Path) -> None:
    services.statistics.add_value({"statistics_id": meter, "value": 100,
                                   "time": "2024-05-01 00:00:00"})
    rows = [["statistics_id", "value", "time"],
            [meter, "110", "2024-05-02 00:00:00"],      # 2 ok
            ["no-such-meter", "1", ""],                 # 3 unknown statistic
            [meter, "abc", "2024-05-03 00:00:00"],      # 4 not a number
            [meter, "120", "yesterday"],                # 5 bad time
            [meter, "90", "2024-05-04 00:00:00"],       # 6 below an earlier reading
            [meter, "", "2024-05-05 00:00:00"],         # 7 missing value
            ["", "1", "2024-05-05 00:00:00"]]           # 8 missing statistic
    result = import_file(services, write_csv(tmp_path / "r.csv", rows), READINGS)
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "statistics_id"), (4, "value"), (5, "time"), (6, "value"), (7, "value"),
        (8, "statistics_id")]
    assert result.errors[0].column == "statistics_id"
    assert readings(services, meter) == [("2024-05-01 00:00:00", 100)]


def test_readings_keep_good(services: Services, meter: str, tmp_path: Path) -> None:
    rows = [["statistics_id", "value", "time"],
            [meter, "10", "2024-05-01"], [meter, "5", "2024-05-02"], [meter, "20", "2024-05-03"]]
    result = import_file(services, write_csv(tmp_path / "r.csv", rows), READINGS,
                         keep_good=True)
    assert [(e.line, e.field) for e in result.errors] == [(3, "value")]
    assert [v for _, v in readings(services, meter)] == [10, 20]


def test_readings_header_needs_statistic_and_value(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["统计编号", "时间"], ["x", "2024-01-01"]])
    with pytest.raises(ImportFileError, match="读数"):
        read_table(path, READINGS)


def test_cancel_rolls_back_everything(services: Services, tmp_path: Path) -> None:
    rows = [["name"]] + [[f"设备{i}"] for i in range(450)]
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        import_file(services, write_csv(tmp_path / "o.csv", rows), progress=lambda d, t:
                    seen.append((d, t)), cancelled=lambda: len(seen) >= 1)
    assert seen == [(200, 450)]
    assert objects(services) == {}


def test_a_huge_file_is_refused_before_reading(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixtimer_gui.exports.csv_import.MAX_FILE_BYTES", 10)
    path = write_csv(tmp_path / "o.csv", [["name"], ["甲乙丙丁"]])
    with pytest.raises(ImportFileError, match="MB"):
        read_table(path, OBJECTS)


def test_excel_unicode_text_is_utf16_and_tab_separated(services: Services,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "o.txt"
    path.write_bytes("名称\t位置\r\n空压机\t一楼,东侧\r\n".encode("utf-16"))
    table = read_table(path, OBJECTS)
    assert table.encoding == "UTF-16"
    assert table.rows == [(2, {"name": "空压机", "location": "一楼,东侧"})]
    assert import_table(services, table).imported == 1
