"""Checklist results in the exports (#17): the handle CSV's summary column, and the long
export — one row per item result, for pivot tables — from the library and the command line.

The sample's two checked handles (export_samples._checked_handles): the first measured
=温度 96.5 ℃ against 10–95 (abnormal), 油位,左 正常 and a quoted remark; the second 80 ℃ and
正常. Code: exports/checklist_export.py, exports/csv_export.py, domain/checklists.py.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from export_samples import Sample
from test_csv_cli import run

from mixtimer_gui.exports.checklist_export import export_checklist_results
from mixtimer_gui.exports.csv_export import export_handles


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_the_handle_csv_sums_each_checklist_up_in_one_cell(sample: Sample,
                                                          tmp_path: Path) -> None:
    export_handles(sample.services, tmp_path / "h.csv")
    rows = read_csv(tmp_path / "h.csv")
    title = rows[0]
    by_uid = {row[0]: dict(zip(title, row, strict=True)) for row in rows[1:]}
    abnormal, normal = (by_uid[uid] for uid in sample.handles[-4:-2])
    assert abnormal["检查结果"] == ("'=温度: 96.5 ℃ (10–95) 异常; 油位,左: 正常; "
                                   '备注: a "quoted" word')
    assert (abnormal["是否异常"], normal["是否异常"]) == ("是", "否")
    assert normal["检查结果"] == "'=温度: 80 ℃; 油位,左: 正常"
    assert by_uid[sample.handles[0]]["检查结果"] == ""  # no checklist, nothing said


def test_the_long_export_has_one_row_per_result_with_its_item_as_it_was(
        sample: Sample, tmp_path: Path) -> None:
    # The template changes afterwards: the rows still say what was checked then.
    project = sample.services.projects.list({"where_and": [["name", "=", "空压机点检"]]})[
        "data"][0]
    sample.services.projects.stop({"uid": project["uid"]})
    sample.services.projects.update({**project, "checklist": [
        {"name": "=温度", "kind": "measure", "unit": "°F", "max": 200}]})
    result = export_checklist_results(sample.services, tmp_path / "long.csv")
    rows = read_csv(tmp_path / "long.csv")
    assert rows[0] == ["处理编号", "任务编号", "项目名称", "对象名称", "处理时间", "检查项",
                       "类型", "结果", "单位", "下限", "上限", "是否异常"]
    assert result.rows == 5 == len(rows) - 1
    first, second = sample.handles[-4:-2]
    assert [(r[0], r[5], r[6], r[7], r[8], r[9], r[10], r[11]) for r in rows[1:]] == [
        (first, "'=温度", "测量", "96.5", "℃", "10", "95", "是"),
        (first, "油位,左", "检查", "正常", "", "", "", "否"),
        (first, "备注", "文本", 'a "quoted" word', "", "", "", "否"),
        (second, "'=温度", "测量", "80", "℃", "10", "95", "否"),
        (second, "油位,左", "检查", "正常", "", "", "", "否")]
    raw = (tmp_path / "long.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b',96.5,"' in raw  # a bare number cell


def test_the_long_export_takes_the_list_filters(sample: Sample, tmp_path: Path) -> None:
    first = sample.handles[-4]
    result = export_checklist_results(sample.services, tmp_path / "one.csv",
                                      {"where_and": [["is_abnormal", "=", 1]]},
                                      wire_header=True)
    rows = read_csv(tmp_path / "one.csv")
    assert rows[0][:6] == ["handle_id", "task_id", "project_name", "object_name", "created",
                           "item"]
    assert result.rows == 3 and {r[0] for r in rows[1:]} == {first}
    assert [r[-1] for r in rows[1:]] == ["1", "0", "0"]


def test_the_command_line_writes_the_long_form(sample: Sample, db_path: Path,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "items.csv"
    code, stdout, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out",
                               str(out), "--checklist-items", "--where-and",
                               json.dumps([["uid", "=", sample.handles[-3]]]))
    assert (code, stderr) == (0, "")
    assert stdout.strip() == f"已导出 2 条检查结果到 {out}"
    assert [r[5] for r in read_csv(out)[1:]] == ["'=温度", "油位,左"]
    code, _out, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out",
                             str(out), "--checklist-items", "--where-and", "[[\"nope\"]]")
    assert code == 1 and stderr
