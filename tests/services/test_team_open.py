"""Team mode, opening — issue 16: a PostgreSQL location (``--db postgresql://…``,
``MIXTIMER_DB``, ``service=…``), never a password; one sentence each for a refused login, no
server, no such database; the collation check; the migration under an advisory lock; the
``min_client_version`` gate that opens an older program read-only; file backups stepping
aside. Against the real throw-away cluster (tests/pg_cluster.py), never a mock.

Code: services/location.py, paths.py (resolve_db_path), store/postgres.py,
services/backups.py, services/workspace.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pg_cluster as pg
import psycopg
import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.paths import resolve_db_path
from mixtimer_gui.services import Location, Services, Workspace
from mixtimer_gui.services.errors import (
    BackupError,
    BadLocationError,
    DatabaseMissingError,
    LoginFailedError,
    PasswordInLocationError,
    ReadOnlyDatabaseError,
    ServerUnreachableError,
    StoreError,
    WrongCollationError,
)
from mixtimer_gui.store import postgres
from mixtimer_gui.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    MIN_CLIENT_KEY,
    MIN_CLIENT_VERSION,
)

# The steps' numbers: pre-assigned per branch, so a branch may have gaps.
STEPS = [number for number, _ in MIGRATIONS]

# Lost servers, refused logins and read-only opens are logged as warnings: these tests
# cause them on purpose.
pytestmark = [pytest.mark.postgres,
              pytest.mark.expect_log(logger="mixtimer_gui.store.postgres"),
              pytest.mark.expect_log(logger="mixtimer_gui.services.context")]

SECRET = "s3cr3t-pw"


# -- locations ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "postgresql://maint@db.plant:5432/mixtimer?sslmode=require",
    "postgres://maint@db.plant/mixtimer",
    "service=plant",
    "postgresql:///mixtimer?service=plant",
    "host=db.plant port=5433 dbname=mixtimer user=maint sslmode=verify-full",
])
def test_server_locations_parse_and_show_as_given(text: str) -> None:
    location = Location.parse(f"  {text} ")
    assert location.kind == "postgresql" and location.is_server
    assert str(location) == text
    assert not location.is_database_file(Path("mixtimer.db"))
    # this workstation's own folder for the database's files, one per database
    assert location.data_dir == Location.parse(text).data_dir
    assert location.data_dir != Location.parse("service=other").data_dir


@pytest.mark.parametrize("text", [
    f"postgresql://maint:{SECRET}@db.plant/mixtimer",
    f"postgresql://maint@db.plant/mixtimer?password={SECRET}",
    f"host=db.plant dbname=mixtimer password={SECRET}",
    f"password={SECRET} host=db.plant",
])
def test_a_location_with_a_password_is_refused_and_the_password_never_repeated(
        text: str, tmp_path: Path) -> None:
    with pytest.raises(PasswordInLocationError) as caught:
        Workspace.open(text)
    sentence = str(caught.value)
    assert SECRET not in sentence
    assert ".pgpass" in sentence and "PGPASSFILE" in sentence and "service=" in sentence
    assert isinstance(caught.value, StoreError)


def test_an_unreadable_server_location_is_refused_with_libpqs_reason() -> None:
    with pytest.raises(BadLocationError) as caught:
        Location.parse("postgresql://maint@db.plant/mixtimer?colour=blue")
    assert "colour" in str(caught.value) and "postgresql://用户@主机" in str(caught.value)


def test_db_option_and_environment_keep_a_server_location_as_text(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = "postgresql://maint@db.plant/mixtimer"
    assert resolve_db_path(url) == url  # a Path would have made "postgresql:/maint@…"
    assert resolve_db_path("service=plant") == "service=plant"
    monkeypatch.setenv("MIXTIMER_DB", f" {url} ")
    assert resolve_db_path() == url
    assert resolve_db_path(str(tmp_path / "x.db")) == tmp_path / "x.db"
    monkeypatch.setenv("MIXTIMER_DB", str(tmp_path / "env.db"))
    assert resolve_db_path() == tmp_path / "env.db"


# -- refused connections, each with its sentence -----------------------------------------------


def test_a_login_the_server_refuses_says_so(pg_cluster: pg.Cluster) -> None:
    url = f"postgresql://nobody@/postgres?host={pg_cluster.socket_dir}"
    with pytest.raises(LoginFailedError) as caught:
        Workspace.open(url)
    assert "无法登录" in str(caught.value) and ".pgpass" in str(caught.value)
    assert url in str(caught.value)


def test_no_server_at_the_address_says_so(tmp_path: Path) -> None:
    url = f"postgresql://postgres@/postgres?host={tmp_path}"  # a folder nobody listens in
    with pytest.raises(ServerUnreachableError) as caught:
        Workspace.open(url)
    assert "无法连接数据库服务器" in str(caught.value) and url in str(caught.value)


def test_a_database_that_does_not_exist_says_so(pg_cluster: pg.Cluster) -> None:
    with pytest.raises(DatabaseMissingError) as caught:
        Workspace.open(pg_cluster.url("no_such_plant"))
    assert "no_such_plant" in str(caught.value) and "createdb" in str(caught.value)


def test_a_database_sorting_by_a_locale_is_refused_untouched(pg_cluster: pg.Cluster) -> None:
    name = "t_locale_collation"
    pg_cluster.drop_database(name)
    pg_cluster.admin().execute(f'CREATE DATABASE "{name}" TEMPLATE template0 '
                               "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    try:
        with pytest.raises(WrongCollationError) as caught:
            Workspace.open(pg_cluster.url(name))
        assert "C.UTF-8" in str(caught.value) and "--locale=C" in str(caught.value)
        with psycopg.connect(pg_cluster.url(name)) as conn:
            assert pg._tables(conn) == []  # nothing was created
    finally:
        pg_cluster.drop_database(name)


def test_a_database_holding_other_tables_is_refused_untouched(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="不是 MixTimer 的数据库"):
        Workspace.open(pg_url)
    with psycopg.connect(pg_url) as conn:
        assert pg._tables(conn) == ["invoices"]


# -- migrating: the first newer workstation migrates, the others wait ------------------------


def _versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [v for (v,) in conn.execute('SELECT "version" FROM "schema_version" '
                                           'ORDER BY 1')]


def test_a_workstation_waits_for_the_one_migrating(pg_url: str, fake_clock: FakeClock) -> None:
    # Another workstation holds the migration lock (it is migrating): the opening waits on
    # it, visibly to the server, and finds the database migrated once it is released.
    holder = psycopg.connect(pg_url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.MIGRATION_LOCK_KEY,))
    opened: list[Workspace] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Workspace.open(pg_url, clock=fake_clock))
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=open_it)
    thread.start()
    try:
        assert _waits_for_advisory_lock(holder, thread)
        assert _versions_through(holder) == []  # nothing migrated behind the lock
    finally:
        holder.commit()
        holder.close()
    thread.join(60)
    assert not failed, failed
    try:
        assert _versions(pg_url) == STEPS
    finally:
        opened[0].close()


def _versions_through(conn: psycopg.Connection) -> list[int]:
    present = conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
    return [] if present is None else [v for (v,) in conn.execute(
        'SELECT "version" FROM "schema_version"')]


def _waits_for_advisory_lock(holder: psycopg.Connection, thread: threading.Thread) -> bool:
    """The server reports a session waiting for an advisory lock (polled: the thread needs
    a moment to connect; the server's own view, not a sleep, decides)."""
    watcher = psycopg.connect(holder.info.dsn, autocommit=True)
    try:
        for _ in range(2000):
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = "
                "current_database())").fetchone()[0]
            if waiting:
                return True
            if not thread.is_alive():
                return False
            thread.join(0.01)
        return False
    finally:
        watcher.close()


def test_workstations_opening_an_empty_database_at_once_migrate_it_once(
        pg_url: str, fake_clock: FakeClock) -> None:
    start = threading.Barrier(4)
    opened: list[Workspace] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            start.wait(30)
            opened.append(Workspace.open(pg_url, clock=fake_clock))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failed, failed
    assert _versions(pg_url) == STEPS  # each step once
    for workspace in opened:
        workspace.services.objects.create({"name": "泵"})
    assert opened[0].services.objects.list({})["total_records"] == 4


# -- the client version gate ----------------------------------------------------------------


@pytest.fixture
def team_url(pg_database_url: str) -> str:
    """A migrated, empty team database."""
    return pg_database_url


def _set(url: str, sql: str, *params: object) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql, params)


def test_the_first_opening_records_the_oldest_client_that_may_write(team_url: str) -> None:
    with psycopg.connect(team_url) as conn:
        assert conn.execute('SELECT "value" FROM "setting" WHERE "key" = %s',
                            (MIN_CLIENT_KEY,)).fetchone() == (MIN_CLIENT_VERSION,)


def test_an_older_program_opens_read_only_and_says_which_version_to_install(
        team_url: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(team_url, clock=fake_clock) as current:
        current.services.objects.create({"uid": "P-1", "name": "一号泵"})
    _set(team_url, 'UPDATE "setting" SET "value" = %s WHERE "key" = %s', "0.3.0",
         MIN_CLIENT_KEY)
    monkeypatch.setattr(postgres, "CLIENT_VERSION", "0.2.9")
    with Workspace.open(team_url, clock=fake_clock) as older:
        assert older.read_only
        assert "0.3.0" in older.read_only_reason and "0.2.9" in older.read_only_reason
        assert older.services.objects.get({"uid": "P-1"})["name"] == "一号泵"  # it reads
        with pytest.raises(ReadOnlyDatabaseError) as caught:
            older.services.objects.create({"uid": "P-2", "name": "二号泵"})
        assert "请安装 MixTimer GUI 0.3.0" in str(caught.value)
    monkeypatch.setattr(postgres, "CLIENT_VERSION", "0.3.0")
    with Workspace.open(team_url, clock=fake_clock) as upgraded:
        assert not upgraded.read_only and upgraded.read_only_reason is None
        upgraded.services.objects.create({"uid": "P-2", "name": "二号泵"})


def test_a_newer_additive_schema_is_used_when_the_record_allows_this_program(
        team_url: str, fake_clock: FakeClock) -> None:
    # A newer program added a step (say, a table this one does not know) and still lets
    # this version write: it opens read-write and touches nothing of the newer schema.
    _set(team_url, 'CREATE TABLE "image" ("id" BIGINT PRIMARY KEY)')
    _set(team_url, 'INSERT INTO "schema_version" VALUES (%s, 0)', LATEST_VERSION + 1)
    with Workspace.open(team_url, clock=fake_clock) as workspace:
        assert not workspace.read_only
        workspace.services.objects.create({"name": "泵"})
    assert _versions(team_url)[-1] == LATEST_VERSION + 1


def test_a_newer_schema_that_needs_a_newer_program_opens_read_only(
        team_url: str, fake_clock: FakeClock) -> None:
    _set(team_url, 'INSERT INTO "schema_version" VALUES (%s, 0)', LATEST_VERSION + 1)
    _set(team_url, 'UPDATE "setting" SET "value" = %s WHERE "key" = %s', "99.0",
         MIN_CLIENT_KEY)
    with Workspace.open(team_url, clock=fake_clock) as workspace:
        assert workspace.read_only and "99.0" in workspace.read_only_reason
        assert workspace.services.objects.list({})["total_records"] == 0


def test_version_order_is_numeric() -> None:
    key = postgres._version_key
    assert key("0.10.0") > key("0.9.9") > key("0.9") and key("1.0rc1") == key("1.0")


# -- read-only on request ----------------------------------------------------------------------


def test_a_read_only_session_reads_and_answers_writes_with_the_storage_sentence(
        team_url: str, fake_clock: FakeClock) -> None:
    with Workspace.open(team_url, clock=fake_clock) as writer:
        writer.services.objects.create({"uid": "keep", "name": "原有"})
    with Workspace.open(team_url, clock=fake_clock, read_only=True) as viewer:
        assert viewer.read_only and viewer.read_only_reason is None
        assert viewer.services.objects.get({"uid": "keep"})["name"] == "原有"
        with pytest.raises(ReadOnlyDatabaseError, match="只读"):
            viewer.services.objects.create({"uid": "new", "name": "新"})


# -- what steps aside on a server ----------------------------------------------------------------


@pytest.fixture
def team(team_url: str, fake_clock: FakeClock) -> Iterator[Workspace]:
    workspace = Workspace.open(team_url, clock=fake_clock)
    yield workspace
    workspace.close()


def test_file_backups_step_aside_with_a_sentence(team: Workspace,
                                                 fake_clock: FakeClock) -> None:
    assert not team.backups.applies and team.backups.list() == []
    assert team.backups.newest_good() is None
    for attempt in (lambda: team.backups.back_up_now(fake_clock.now()),
                    lambda: team.backups.restore(Path("copy.db"))):
        with pytest.raises(BackupError) as caught:
            attempt()
        assert "pg_dump" in str(caught.value)
    before = set(threading.enumerate())
    daily = team.start_daily_backups()
    assert daily.run_once() is None and set(threading.enumerate()) == before


def test_a_servers_files_live_in_this_workstations_own_folder(team: Workspace) -> None:
    assert team.data_dir.name.startswith("mixtimer_tests")  # the database's name, first
    assert str(team.location) in (team.location.server,)
    assert isinstance(team.services, Services)


def test_demo_data_refuses_a_server_location_rather_than_making_a_folder_of_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from mixtimer_gui.cli import main  # the command line, as a user runs it

    monkeypatch.chdir(tmp_path)
    assert main(["demo-data", "--db", "postgresql://maint@db.plant/mixtimer"]) == 1
    assert "SQLite" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # Path() would have made "postgresql:/maint@…"
