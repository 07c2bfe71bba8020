"""What a command's failure looks like on the command line (DESIGN §5, §7): an expected one is
one line on stderr and exit status 1 (2 for arguments no run could accept); an unexpected one
is one line naming the log file, which holds the traceback; never a traceback on the
terminal."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtimer_gui import logging_setup, paths
from mixtimer_gui.cli import main
from mixtimer_gui.commands import export_handles, import_csv
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.services import Services
from mixtimer_gui.store.db import ReadOnlyDatabaseError

OBJECTS_CSV = "对象编号,对象名称\nac-1,空压机1号\n"


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user log folder, private to the test; the handlers a command installs go after."""
    folder = tmp_path / "log"
    monkeypatch.setattr(paths, "log_dir", lambda: folder)
    yield folder
    logging_setup.shutdown_logging()


@pytest.fixture
def existing_db(db_path: Path) -> Path:
    Services.open(db_path).close()
    return db_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("mixtimer-gui: "), err
    assert "Traceback" not in err
    return err


# -- unexpected: the traceback goes to the log -------------------------------------------------


def broken_export(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("the exporter fell over")


@pytest.mark.expect_log(r"unexpected error in export-handles", level="ERROR",
                        logger="mixtimer_gui.commands")
def test_an_unexpected_error_is_logged_with_its_traceback_and_named_in_one_line(
        existing_db: Path, tmp_path: Path, log_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_handles, "export_handles", broken_export)
    code, out, err = run(capsys, "export-handles", "--db", str(existing_db), "--out",
                         str(tmp_path / "x.csv"))
    log_file = log_dir / logging_setup.LOG_FILE_NAME
    assert (code, out) == (1, "")
    line = one_line(err)
    assert "RuntimeError: the exporter fell over" in line and str(log_file) in line
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "broken_export" in logged


@pytest.mark.expect_log(r"unexpected error in serve", level="ERROR")
def test_with_the_log_copied_to_stderr_the_traceback_still_stays_in_the_file(
        db_path: Path, tmp_path: Path, log_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` copies its log to stderr: the unexpected error is still one line there."""
    from mixtimer_gui.commands import serve

    def broken_serve(*_args: object, **_kwargs: object) -> None:
        logging_setup.setup_logging(stderr=True)
        raise KeyError("listeners")

    monkeypatch.setattr(serve, "run_serve", broken_serve)
    code, _, err = run(capsys, "serve", "--db", str(db_path), "--port", "0")
    assert code == 1
    assert "KeyError" in one_line(err)
    logged = (log_dir / logging_setup.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "broken_serve" in logged


def test_an_unexpected_error_in_a_real_process_leaves_no_traceback_on_the_terminal(
        existing_db: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from mixtimer_gui.commands import export_handles
        from mixtimer_gui.cli import main

        def broken(*args, **kwargs):
            raise ZeroDivisionError("a bug")

        export_handles.export_handles = broken
        sys.exit(main(["export-handles", "--db", {str(existing_db)!r},
                       "--out", {str(tmp_path / "x.csv")!r}]))
    """)
    state = tmp_path / "state"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "XDG_STATE_HOME": str(state)})
    assert done.returncode == 1 and done.stdout == ""
    line = one_line(done.stderr)
    logs = list(state.rglob(logging_setup.LOG_FILE_NAME))
    assert len(logs) == 1 and str(logs[0]) in line and "ZeroDivisionError: a bug" in line
    assert "Traceback (most recent call last)" in logs[0].read_text(encoding="utf-8")


# -- expected: one line, exit 1 (or 2) ---------------------------------------------------------


def test_a_rule_refusal_is_one_line_and_nothing_is_logged(
        existing_db: Path, tmp_path: Path, log_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise DomainError("where_and 的字段 colour 不存在,请检查字段名", "where_and")

    monkeypatch.setattr(export_handles, "export_handles", refuse)
    code, _, err = run(capsys, "export-handles", "--db", str(existing_db), "--out",
                       str(tmp_path / "x.csv"))
    assert code == 1 and "colour 不存在" in one_line(err)
    assert not log_dir.exists()


def test_a_store_error_during_the_work_is_one_line(
        existing_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*_args: object, **_kwargs: object) -> None:
        raise ReadOnlyDatabaseError("数据库只读,没有保存;检查文件权限")

    monkeypatch.setattr(import_csv, "import_table", read_only)
    data = tmp_path / "objects.csv"
    data.write_text(OBJECTS_CSV, encoding="utf-8")
    code, _, err = run(capsys, "import-objects", "--db", str(existing_db), str(data))
    assert code == 1 and "数据库只读,没有保存" in one_line(err)


def test_ctrl_c_is_status_130_without_a_line(existing_db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(export_handles, "export_handles", interrupted)
    assert run(capsys, "export-handles", "--db", str(existing_db), "--out",
               str(tmp_path / "x.csv")) == (130, "", "")


@pytest.mark.parametrize(("options", "named"), [
    (["--host", "0.0.0.0"], "--token"),
    (["--block", "a b"], "block"),
    (["--port", "70000"], "端口"),
])
def test_serve_refuses_bad_arguments_with_status_2_and_opens_nothing(
        db_path: Path, capsys: pytest.CaptureFixture[str], options: list[str],
        named: str) -> None:
    code, out, err = run(capsys, "serve", "--db", str(db_path), "--port", "0", *options)
    assert (code, out) == (2, "")
    assert named in one_line(err)
    assert not db_path.exists()


def test_serve_on_a_taken_port_is_status_1(db_path: Path, capsys: pytest.CaptureFixture[str],
                                           log_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, out, err = run(capsys, "serve", "--db", str(db_path), "--port",
                             str(taken.getsockname()[1]))
    assert (code, out) == (1, "")
    assert "无法" in err.splitlines()[-1] and "Traceback" not in err


def test_the_stderr_copy_of_the_log_has_no_tracebacks(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    log_file = logging_setup.setup_logging(log_dir=tmp_path, stderr=True)
    try:
        log = logging.getLogger("tests.terminal")
        try:
            raise ValueError("inside")
        except ValueError:
            log.exception("a handled failure")
        log.error("for the file only", extra=logging_setup.FILE_ONLY)
    finally:
        logging_setup.shutdown_logging()
    err = capsys.readouterr().err
    assert "a handled failure" in err and "Traceback" not in err
    assert "for the file only" not in err
    assert log_file is not None
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "ValueError: inside" in logged
    assert "for the file only" in logged
