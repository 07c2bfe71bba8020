"""Shared fixtures: a fresh temporary database per test and a fake clock.

The store, services, API and reminder suites run on both engines: their tests that use a
database through ``services`` (or ``db_location``) run once on a SQLite file and once on a
fresh PostgreSQL database (``[sqlite]`` / ``[postgresql]`` in the test id). A test about
SQLite itself (its files, backups, pragmas, permissions) is marked ``sqlite_only``.
``MIXTIMER_TEST_ENGINES=sqlite`` runs the SQLite half alone (a quick look while working).
A test fails when the app logs a warning or an error it did not declare (``expect_log``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Logs, settings and the default database of anything the tests start (subprocesses too) go
# to a private folder, never the developer's own.
_HOME = tempfile.mkdtemp(prefix="mixtimer-tests-")
for _var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_HOME, _var.lower())

import pg_cluster as pg  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from mixtimer_gui.domain import clock as clock_mod  # noqa: E402
from mixtimer_gui.domain.clock import FakeClock  # noqa: E402
from mixtimer_gui.services import Services  # noqa: E402
from mixtimer_gui.store.postgres import open_team_database  # noqa: E402

TEST_ZONE = "Asia/Shanghai"

# CI replays the same examples on every run, so a landing never hinges on the luck of the
# draw; on a developer's machine hypothesis keeps exploring new ones (and remembers what
# failed in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None,
                                     print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _local_zone() -> Iterator[None]:
    """Every test runs in a known zone; tests about DST switch to one that has it."""
    clock_mod.set_local_zone(TEST_ZONE)
    yield
    clock_mod.set_local_zone(None)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock(datetime(2024, 5, 11, 9, 0, 0).replace(
        tzinfo=clock_mod.local_zone()))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mixtimer.db"


# -- the engines --------------------------------------------------------------------------

ENGINES = ("sqlite", "postgresql")
ENGINES_ENV = "MIXTIMER_TEST_ENGINES"
# The suites whose tests run on both engines (folders under tests/).
BOTH_ENGINE_SUITES = ("store", "services", "api", "reminders")
_TESTS = Path(__file__).resolve().parent


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    folder = metafunc.definition.path.resolve().relative_to(_TESTS).parts[0]
    if folder not in BOTH_ENGINE_SUITES or metafunc.definition.get_closest_marker(
            "sqlite_only"):
        return  # the engine fixture's own "sqlite", and the test keeps its plain name
    wanted = os.environ.get(ENGINES_ENV, "").replace(",", " ").split()
    metafunc.parametrize("engine", [e for e in ENGINES if not wanted or e in wanted])


@pytest.fixture
def engine() -> str:
    """The database engine of the test (parametrised in ``BOTH_ENGINE_SUITES``)."""
    return "sqlite"


@pytest.fixture
def db_location(engine: str, request: pytest.FixtureRequest) -> str | Path:
    """Where the test's database is: a SQLite file, or a fresh PostgreSQL database."""
    if engine == "sqlite":
        return request.getfixturevalue("db_path")
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def services(db_location: str | Path, fake_clock: FakeClock) -> Iterator[Services]:
    svc = Services.open(db_location, clock=fake_clock)
    yield svc
    svc.close()


# -- unexpected warnings and errors fail the test ---------------------------------------------
#
# A WARNING or ERROR logged by a ``mixtimer_gui`` logger while a test runs (its fixtures
# included) fails it, unless the test declares it, as qutebrowser's tests do:
#
#     @pytest.mark.expect_log(r"regex in the message", level="ERROR", logger="mixtimer_gui.api")
#
# Every argument is optional: ``level`` is the highest level the mark excuses (WARNING by
# default, so an ERROR is never excused by accident), ``logger`` a logger and its children.
# A test may carry several marks.

APP_LOGGER = "mixtimer_gui"
_LOG_RECORDS = pytest.StashKey["_LogRecorder"]()


class _LogRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.checked = 0  # records before this index were checked already

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def unexpected(self, item: pytest.Item) -> list[logging.LogRecord]:
        new, self.checked = self.records[self.checked:], len(self.records)
        marks = list(item.iter_markers("expect_log"))
        return [r for r in new if not any(_excuses(mark, r) for mark in marks)]


def _excuses(mark: pytest.Mark, record: logging.LogRecord) -> bool:
    pattern = mark.args[0] if mark.args else mark.kwargs.get("match")
    level = logging.getLevelNamesMapping()[mark.kwargs.get("level", "WARNING")]
    logger = mark.kwargs.get("logger", APP_LOGGER)
    return (record.levelno <= level
            and (record.name == logger or record.name.startswith(logger + "."))
            and (pattern is None or re.search(pattern, record.getMessage()) is not None))


def _fail_on(records: list[logging.LogRecord], when: str) -> None:
    if records:
        lines = "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()}" for r in records)
        pytest.fail(f"unexpected log records {when} (declare them with "
                    f"@pytest.mark.expect_log if the test means them):\n{lines}",
                    pytrace=False)


@pytest.fixture(autouse=True)
def _fail_on_unexpected_log(request: pytest.FixtureRequest) -> Iterator[None]:
    recorder = _LogRecorder()
    logger = logging.getLogger(APP_LOGGER)
    logger.addHandler(recorder)
    request.node.stash[_LOG_RECORDS] = recorder
    yield
    logger.removeHandler(recorder)
    _fail_on(recorder.unexpected(request.node), "in the teardown")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # After the test body (a failing test keeps its own failure): records from the setup
    # and the body fail the test itself rather than its teardown.
    result = yield
    recorder = item.stash.get(_LOG_RECORDS, None)
    if recorder is not None:
        _fail_on(recorder.unexpected(item), "during the test")
    return result


# -- PostgreSQL (team mode) ---------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster]:
    """One throw-away cluster for the session (a unix socket in a temporary folder).

    Skipped where no server is installed, except when ``MIXTIMER_REQUIRE_PG`` is set (CI):
    there a missing server fails the test, so the PostgreSQL suite cannot silently vanish.
    """
    try:
        cluster = pg.start_cluster()
    except pg.NoPostgres as exc:
        if os.environ.get(pg.REQUIRE_ENV):
            pytest.fail(f"{exc}; {pg.REQUIRE_ENV} is set", pytrace=False)
        pytest.skip(str(exc))
    yield cluster
    pg.remove_cluster(cluster)


def _database_name(request: pytest.FixtureRequest) -> str:
    return "t_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16]


@pytest.fixture
def pg_url(pg_cluster: pg.Cluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database (C collation) for one test; its libpq URL."""
    name = _database_name(request)
    pg_cluster.drop_database(name)
    yield pg_cluster.create_database(name)
    pg_cluster.drop_database(name)


PG_TEMPLATE = "mixtimer_migrated"
PG_SHARED = "mixtimer_tests"


@pytest.fixture(scope="session")
def pg_template(pg_cluster: pg.Cluster) -> str:
    """A database migrated once per session: what each test's database starts as."""
    pg_cluster.drop_database(PG_TEMPLATE)
    url = pg_cluster.create_database(PG_TEMPLATE)
    opened = open_team_database(url)
    opened.db.close()
    return PG_TEMPLATE


@pytest.fixture(scope="session")
def pg_shared(pg_cluster: pg.Cluster, pg_template: str) -> Iterator[pg.Resettable]:
    """The database the both-engine suites' tests take turns on, emptied before each.

    A copy of the template per test took 130 ms here (300 ms under load: CREATE DATABASE
    copies ~50 files and checkpoints); emptying one database takes ~20 ms. A test that
    changes the schema itself asks for its own database (``pg_url``) instead; one that did
    anyway is noticed here, and the database is copied afresh.
    """
    shared = pg.Resettable(pg_cluster, PG_SHARED, pg_template)
    yield shared
    shared.close()


@pytest.fixture
def pg_database_url(pg_shared: pg.Resettable, request: pytest.FixtureRequest) -> str:
    """A migrated database with no rows, for one test; its libpq URL. The application
    name makes each test's URL its own (a server location's local folder follows it)."""
    pg_shared.reset()
    return f"{pg_shared.url}&application_name={_database_name(request)}"
