"""The log-fail check of ``tests/conftest.py``: an app warning or error the test did not
declare fails that test; a declared one does not; a mark never excuses more than it says."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CASES = '''
import logging
import threading

import pytest

log = logging.getLogger("mixtimer_gui.somewhere")


def test_undeclared_warning():
    log.warning("disk almost full")


def test_undeclared_error_on_another_thread():
    worker = threading.Thread(target=lambda: log.error("worker died"))
    worker.start()
    worker.join()


@pytest.fixture
def noisy_teardown():
    yield
    log.warning("closed twice")


def test_undeclared_warning_in_a_fixture_teardown(noisy_teardown):
    pass


@pytest.mark.expect_log("disk almost")
def test_declared_warning():
    log.warning("disk almost full")


@pytest.mark.expect_log("worker")
def test_a_warning_mark_does_not_excuse_an_error():
    log.error("worker died")


@pytest.mark.expect_log("worker", level="ERROR", logger="mixtimer_gui.other")
def test_a_mark_for_another_logger_does_not_excuse():
    log.error("worker died")


@pytest.mark.expect_log("worker died", level="ERROR")
def test_declared_error():
    log.error("worker died")


def test_other_libraries_and_info_are_not_checked():
    logging.getLogger("waitress").warning("not ours")
    log.info("just saying")
'''


def test_undeclared_app_warnings_and_errors_fail_their_test(pytester: pytest.Pytester) -> None:
    tests = Path(__file__).resolve().parent.parent
    pytester.makeconftest((tests / "conftest.py").read_text(encoding="utf-8"))
    # the conftest's own helper module (the PostgreSQL cluster)
    pytester.makepyfile(pg_cluster=(tests / "pg_cluster.py").read_text(encoding="utf-8"))
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\nmarkers = ["expect_log: see conftest"]\n'
        'addopts = "--strict-markers"\n')
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=4, failed=4, errors=1)
    for name in ("test_undeclared_warning", "test_undeclared_error_on_another_thread",
                 "test_a_warning_mark_does_not_excuse_an_error",
                 "test_a_mark_for_another_logger_does_not_excuse"):
        result.stdout.fnmatch_lines([f"FAILED test_cases.py::{name} - *"])
    result.stdout.fnmatch_lines(["ERROR test_cases.py::test_undeclared_warning_in_a_fixture_"
                                 "teardown - *"])
    result.stdout.fnmatch_lines(["unexpected log records in the teardown*",
                                 "  WARNING mixtimer_gui.somewhere: closed twice"])
    for name in ("test_declared_warning", "test_declared_error",
                 "test_other_libraries_and_info_are_not_checked"):
        result.stdout.fnmatch_lines([f"PASSED test_cases.py::{name}"])
