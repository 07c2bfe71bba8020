"""Team mode, faults — issue 16: "the PostgreSQL server restarted while the window and
``serve`` run → the next action reconnects (or says 数据库连接中断,正在重连); no acknowledged
write is lost, no handle duplicated (client uids); statement and lock time-outs so that a
dead server never freezes the window". Real restarts of the throw-away cluster.

Code: store/postgres.py (TeamDatabase: reconnect at BEGIN, the marked COMMIT),
store/errors.py (explain_write_error), services/context.py (retry_write),
services/handles.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pg_cluster as pg
import psycopg
import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services, cycle_ops
from mixtimer_gui.services.errors import (
    ConnectionLostError,
    DatabaseLockedError,
    LoginFailedError,
    QueryTimeoutError,
)
from mixtimer_gui.store import postgres

# Lost servers, refused logins and read-only opens are logged as warnings: these tests
# cause them on purpose.
pytestmark = [pytest.mark.postgres,
              pytest.mark.expect_log(logger="mixtimer_gui.store.postgres"),
              pytest.mark.expect_log(logger="mixtimer_gui.services.context")]


@pytest.fixture
def team(pg_database_url: str, fake_clock: FakeClock) -> Iterator[Services]:
    services = Services.open(pg_database_url, clock=fake_clock)
    yield services
    services.close()


def started_task(services: Services) -> str:
    services.projects.create({"uid": "P", "name": "润滑", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "日", "object_id_list": ["A"]})
    services.projects.start({"uid": "P"})
    return services.tasks.list({})["data"][0]["uid"]


def handles(services: Services) -> list[str]:
    return [h["uid"] for h in services.handles.list({"page_size": 1000})["data"]]


def test_after_a_restart_the_next_actions_simply_work(team: Services,
                                                      pg_cluster: pg.Cluster) -> None:
    task = started_task(team)
    pg_cluster.restart()  # every connection dropped while nothing was running
    assert team.tasks.get({"uid": task})["status"] == "正常"  # a read reconnects
    pg_cluster.restart()
    team.handles.handle({"task_id": task, "uid": "after-restart"})  # so does a write
    assert handles(team) == ["after-restart"]


def test_a_write_cut_by_a_restart_says_so_and_saves_nothing(team: Services,
                                                            pg_cluster: pg.Cluster) -> None:
    with pytest.raises(ConnectionLostError) as caught, team.ctx.write():
        team.objects.create({"uid": "O-1", "name": "一号"})
        pg_cluster.restart()
        team.objects.create({"uid": "O-2", "name": "二号"})
    assert str(caught.value).startswith("数据库连接中断，正在重连")
    assert not caught.value.may_have_committed
    assert team.objects.list({})["total_records"] == 0  # and the next action works
    team.objects.create({"uid": "O-1", "name": "一号"})


def test_a_handle_cut_by_a_restart_is_repeated_once(team: Services, pg_cluster: pg.Cluster,
                                                    fake_clock: FakeClock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    task = started_task(team)
    fake_clock.advance(hours=5)
    real_close = cycle_ops.close
    calls: list[int] = []

    def close_then_lose_the_server(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            pg_cluster.restart()  # mid-write: the transaction dies with the connection
        return real_close(*args, **kwargs)

    monkeypatch.setattr(cycle_ops, "close", close_then_lose_the_server)
    uid = team.handles.handle({"task_id": task})["uid"]  # no client uid: not committed,
    assert len(calls) == 2                                # so repeated on a new connection
    assert handles(team) == [uid]
    after = team.tasks.get({"uid": task})
    assert after["cycle_start"] == after["last_handle_at"] == "2024-05-11 14:00:00"


class CommitCutter:
    """Once armed, the next COMMIT is sent on a connection the server has just ended: its
    outcome is unknown to the program (here it did not commit)."""

    def __init__(self, cluster: pg.Cluster) -> None:
        self.cluster = cluster
        self.armed = False
        self.cut = 0

    def before_commit(self, db: postgres.TeamDatabase) -> None:
        if self.armed:
            self.armed = False
            self.cut += 1
            pid = db.connection().info.backend_pid
            self.cluster.admin().execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.fixture
def commit_cutter(pg_cluster: pg.Cluster, monkeypatch: pytest.MonkeyPatch) -> CommitCutter:
    cutter = CommitCutter(pg_cluster)
    real_commit = postgres.TeamDatabase.commit

    def commit(self: postgres.TeamDatabase) -> None:
        cutter.before_commit(self)
        real_commit(self)

    monkeypatch.setattr(postgres.TeamDatabase, "commit", commit)
    return cutter


def test_a_commit_of_unknown_outcome_is_repeated_for_a_client_uid(
        team: Services, commit_cutter: CommitCutter) -> None:
    task = started_task(team)
    commit_cutter.armed = True
    assert team.handles.handle({"task_id": task, "uid": "client-1"}) == {"uid": "client-1"}
    assert commit_cutter.cut == 1 and handles(team) == ["client-1"]


def test_a_commit_of_unknown_outcome_without_a_client_uid_is_reported(
        team: Services, commit_cutter: CommitCutter) -> None:
    task = started_task(team)
    commit_cutter.armed = True
    with pytest.raises(ConnectionLostError) as caught:
        team.handles.handle({"task_id": task})  # a repeat could record it twice
    assert caught.value.may_have_committed and "无法确定" in str(caught.value)
    assert commit_cutter.cut == 1
    assert handles(team) == []  # the next action reconnects; here nothing had committed


def test_a_server_that_is_down_answers_at_once_with_the_sentence(
        team: Services, pg_cluster: pg.Cluster) -> None:
    started_task(team)
    pg_cluster.stop_server()
    try:
        for action in (lambda: team.tasks.list({}),
                       lambda: team.objects.create({"uid": "O", "name": "泵"})):
            with pytest.raises(ConnectionLostError, match="数据库连接中断，正在重连"):
                action()
    finally:
        pg_cluster.start_again()
    assert team.tasks.list({})["total_records"] == 1  # back: the next action reconnects
    team.objects.create({"uid": "O", "name": "泵"})


def test_a_login_refused_on_reconnecting_says_so_rather_than_retrying(
        pg_database_url: str, pg_cluster: pg.Cluster, fake_clock: FakeClock) -> None:
    # The administrator disabled the team's login while a workstation was connected.
    admin = pg_cluster.admin()
    admin.execute("CREATE ROLE shift_a LOGIN")
    with psycopg.connect(pg_database_url, autocommit=True) as conn:
        conn.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO shift_a")
        conn.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO shift_a")
    url = pg_database_url.replace("postgresql://postgres@", "postgresql://shift_a@")
    services = Services.open(url, clock=fake_clock)
    try:
        services.objects.create({"uid": "O-1", "name": "泵"})
        admin.execute("ALTER ROLE shift_a NOLOGIN")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE usename = 'shift_a'")
        with pytest.raises(LoginFailedError, match="无法登录"):
            services.objects.create({"uid": "O-2", "name": "泵"})
    finally:
        services.close()
        with psycopg.connect(pg_database_url, autocommit=True) as conn:
            conn.execute("DROP OWNED BY shift_a")
        admin.execute("DROP ROLE shift_a")


# -- time-outs: a lock held elsewhere, a statement that does not finish -----------------------


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", 1)
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_S", 2)


def test_a_write_lock_held_elsewhere_ends_in_the_locked_sentence(
        pg_database_url: str, fake_clock: FakeClock, short_timeouts: None) -> None:
    services = Services.open(pg_database_url, clock=fake_clock)
    other = psycopg.connect(pg_database_url)  # another workstation, stuck mid-write
    other.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.WRITE_LOCK_KEY,))
    try:
        with pytest.raises(DatabaseLockedError) as caught:
            services.objects.create({"uid": "O", "name": "泵"})
        assert "另一个工作站" in str(caught.value) and "1 秒" in str(caught.value)
        assert services.objects.list({})["total_records"] == 0  # reads never wait for it
    finally:
        other.rollback()
        other.close()
    services.objects.create({"uid": "O", "name": "泵"})
    services.close()


def test_a_read_that_cannot_finish_ends_in_the_time_out_sentence(
        pg_database_url: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", 30)
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_S", 1)
    services = Services.open(pg_database_url, clock=fake_clock)
    other = psycopg.connect(pg_database_url)  # holds the table against every reader
    other.execute('LOCK TABLE "maintenance_object" IN ACCESS EXCLUSIVE MODE')
    try:
        with pytest.raises(QueryTimeoutError, match="1 秒内没有完成"):
            services.objects.list({})
    finally:
        other.rollback()
        other.close()
    assert services.objects.list({})["total_records"] == 0
    services.close()
