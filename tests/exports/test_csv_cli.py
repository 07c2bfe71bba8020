"""The CSV subcommands through ``cli.main``: output lines and exit status (0 / 1 / 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from export_samples import Sample

from mixtimer_gui.cli import main
from mixtimer_gui.services import Services


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def reopen(db_path: Path) -> Services:
    """The CLI rebinds the models to its own connection; tests read back through a new one."""
    return Services.open(db_path)


def test_export_prints_the_count_and_the_path(sample: Sample, db_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "records.csv"
    code, stdout, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out", str(out))
    assert (code, stderr) == (0, "")
    assert f"{len(sample.handles)} " in stdout and str(out) in stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(data.decode("utf-8-sig").splitlines()))[0] == "处理编号"


def test_export_filters_and_wire_header(sample: Sample, db_path: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ignored.csv"
    code, stdout, _ = run(capsys, "--db", str(db_path), "export-handles", "--out", str(out),
                          "--where-and", json.dumps([["is_ignored", "=", 1]]), "--wire-header")
    assert code == 0 and "1 " in stdout
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "uid" and len(rows) == 2
    assert rows[1][0] == sample.handles[-1]


def test_export_where_in_and_where_or(sample: Sample, db_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.csv"
    code, stdout, _ = run(capsys, "export-handles", "--db", str(db_path), "--out", str(out),
                          "--where-in", json.dumps([["uid", sample.handles[:3]]]),
                          "--where-or", json.dumps([["fee", "=", 3], ["fee", "=", 0]]))
    assert code == 0 and "已导出 2 " in stdout


@pytest.mark.parametrize(("option", "value", "named"), [
    ("--where-and", '[["colour", "=", "red"]]', "colour"),
    ("--where-or", "[[1, 2", "where_or"),
    ("--where-in", '[["uid", "x"]]', "where_in"),
])
def test_a_bad_filter_is_one_line_and_exit_1(sample: Sample, db_path: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str], option: str,
                                             value: str, named: str) -> None:
    out = tmp_path / "x.csv"
    code, stdout, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out",
                               str(out), option, value)
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and named in stderr
    assert not out.exists()


def test_export_without_out_is_an_argument_error(db_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "export-handles", "--db", str(db_path))
    assert code == 2 and "--out" in stderr


def test_export_from_a_missing_database_creates_nothing(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        ) -> None:
    db = tmp_path / "typo.db"
    code, _, stderr = run(capsys, "export-handles", "--db", str(db), "--out",
                          str(tmp_path / "x.csv"))
    assert code == 1 and "不存在" in stderr
    assert not db.exists() and not (tmp_path / "x.csv").exists()


def test_export_into_a_missing_folder_is_exit_1(sample: Sample, db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out",
                          str(tmp_path / "nope" / "x.csv"))
    assert code == 1 and stderr.count("\n") == 1 and "不存在" in stderr


def test_import_objects_ok(services: Services, db_path: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "o.csv"
    path.write_text("名称,位置\r\n甲,一楼\r\n乙,二楼\r\n", encoding="gbk")
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path))
    assert (code, stderr) == (0, "")
    assert "已导入 2 " in stdout
    total = reopen(db_path).objects.list({})["total_records"]
    assert total == 2


def test_import_with_bad_rows_lists_them_and_imports_nothing(
        services: Services, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "o.csv"
    path.write_text("uid,name\r\na,甲\r\nb c,乙\r\nd,\r\n", encoding="utf-8")
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path))
    lines = stderr.splitlines()
    assert code == 1 and stdout == ""
    assert "第 3 行「uid」" in lines[0] and "第 4 行「name」" in lines[1]
    assert "--keep-good" in lines[-1] and len(lines) == 3
    assert reopen(db_path).objects.list({})["total_records"] == 0


def test_import_keep_good(services: Services, db_path: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "o.csv"
    path.write_text("uid,name\r\na,甲\r\nb c,乙\r\n", encoding="utf-8")
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path),
                               "--keep-good")
    assert code == 0 and "已导入 1 " in stdout and "1 行有错误" in stdout
    assert "第 3 行" in stderr
    assert reopen(db_path).objects.list({})["total_records"] == 1


def test_import_update_changes_existing_objects(services: Services, db_path: Path,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    services.objects.create({"uid": "P1", "name": "泵", "location": "一楼"})
    path = tmp_path / "o.csv"
    path.write_text("对象编号,名称\r\nP1,一号泵\r\nP2,二号泵\r\n", encoding="utf-8")
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path))
    assert code == 1 and "第 2 行「对象编号」" in stderr and "--update" in stderr
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path),
                               "--update")
    assert (code, stderr) == (0, "") and "已导入 2 " in stdout and "更新已有对象 1 条" in stdout
    stored = {o["uid"]: o for o in reopen(db_path).objects.list({})["data"]}
    assert (stored["P1"]["name"], stored["P1"]["location"]) == ("一号泵", "一楼")
    code, _, stderr = run(capsys, "import-readings", "--db", str(db_path), str(path),
                          "--update")
    assert code == 2  # readings have nothing to update: the option is not there


def test_import_into_a_mistyped_database_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "o.csv"
    path.write_text("名称\r\n甲\r\n", encoding="utf-8")
    missing = tmp_path / "mixtimr.db"
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(missing), str(path))
    assert (code, stdout) == (1, "") and stderr.count("\n") == 1 and "不存在" in stderr
    assert not missing.exists()


def test_import_readings(services: Services, db_path: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    services.statistics.create({"uid": "m1", "name": "表"})
    path = tmp_path / "r.csv"
    path.write_text("statistics_id,value,time\r\nm1,5,2024-05-01\r\nm1,3,2024-05-02\r\n",
                    encoding="utf-8")
    code, _, stderr = run(capsys, "import-readings", "--db", str(db_path), str(path))
    assert code == 1 and "第 3 行「value」" in stderr
    path.write_text("statistics_id,value,time\r\nm1,5,2024-05-01\r\nm1,8,2024-05-02\r\n",
                    encoding="utf-8")
    code, stdout, _ = run(capsys, "import-readings", "--db", str(db_path), str(path))
    assert code == 0 and "已导入 2 条统计读数" in stdout


@pytest.mark.parametrize("content", [None, b"", b"foo,bar\r\n1,2\r\n"])
def test_import_of_an_unusable_file_is_one_line_exit_1(
        services: Services, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], content: bytes | None) -> None:
    path = tmp_path / "o.csv"
    if content is not None:
        path.write_bytes(content)
    code, stdout, stderr = run(capsys, "import-objects", "--db", str(db_path), str(path))
    assert code == 1 and stdout == "" and stderr.count("\n") == 1


def test_import_without_a_file_is_an_argument_error(capsys: pytest.CaptureFixture[str],
                                                    ) -> None:
    code, _, _ = run(capsys, "import-readings")
    assert code == 2


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_export_over_the_database_is_refused(sample: Sample, db_path: Path, suffix: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = db_path.read_bytes()
    code, _, stderr = run(capsys, "export-handles", "--db", str(db_path), "--out",
                          str(db_path) + suffix)
    assert code == 1 and "数据库" in stderr
    assert reopen(db_path).handles.list({})["total_records"] == len(sample.handles)
    assert len(db_path.read_bytes()) >= len(before) // 2


def test_a_database_that_cannot_be_written_is_exported_read_only(
        sample: Sample, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from mixtimer_gui.store.db import ReadOnlyDatabaseError

    opened = Services.open
    modes: list[bool] = []

    def open_(path: Path, *args: object, read_only: bool = False, **kwargs: object) -> Services:
        modes.append(read_only)
        if not read_only:
            raise ReadOnlyDatabaseError("只读")
        return opened(path, read_only=True)

    monkeypatch.setattr(Services, "open", open_)
    out = tmp_path / "x.csv"
    code, stdout, _ = run(capsys, "export-handles", "--db", str(db_path), "--out", str(out))
    assert code == 0 and modes == [False, True]
    assert f"已导出 {len(sample.handles)} " in stdout
