"""Team mode, live refresh — issue 16: "a write announces itself in the same transaction
(NOTIFY); each workstation listens on its own connection and republishes on its change bus,
skips its own announcements, refreshes everything after a reconnect, and polls every 60 s as
a fallback." Two workspaces with separate connections on one database of the real
throw-away cluster stand for two workstations; one test puts the writer in another process.

Code: services/context.py (the announcement inside the write), services/events.py (its
text), services/live.py (the listener), store/postgres.py (ChangeChannel).
"""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pg_cluster as pg
import psycopg
import pytest

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Workspace, events
from mixtimer_gui.services.live import ChangeListener
from mixtimer_gui.store.postgres import CHANGES_CHANNEL, MAX_PAYLOAD_BYTES

pytestmark = pytest.mark.postgres

Heard = tuple[str, tuple[str, ...]]
WAIT_S = 10  # a deadline for what should come within a second, not a sleep


class Bus:
    """What one workstation's change bus publishes, in order."""

    def __init__(self, workspace: Workspace) -> None:
        self.heard: queue.Queue[Heard] = queue.Queue()
        workspace.services.bus.subscribe(lambda entity, uids: self.heard.put((entity, uids)))

    def next(self) -> Heard:
        return self.heard.get(timeout=WAIT_S)

    def until(self, wanted: Heard) -> list[Heard]:
        """Everything up to and including ``wanted`` (fails after ``WAIT_S``)."""
        seen = []
        while not seen or seen[-1] != wanted:
            seen.append(self.next())
        return seen

    def drain(self) -> list[Heard]:
        seen = []
        while not self.heard.empty():
            seen.append(self.heard.get_nowait())
        return seen


@pytest.fixture
def two(pg_database_url: str, fake_clock: FakeClock) -> Iterator[tuple[Workspace, Workspace]]:
    """Workstations A and B on one database; B listens."""
    a = Workspace.open(pg_database_url, clock=fake_clock)
    b = Workspace.open(pg_database_url, clock=fake_clock)
    yield a, b
    a.close()
    b.close()


def listening(workspace: Workspace) -> ChangeListener:
    listener = workspace.start_live_refresh()
    assert listener is not None
    assert listener.listening.wait(WAIT_S)
    return listener


def started_task(workspace: Workspace) -> str:
    svc = workspace.services
    svc.projects.create({"uid": "P", "name": "润滑", "cycle_type": "自然时间周期",
                         "period_num": 1, "period_unit": "日", "object_id_list": ["A"]})
    svc.projects.start({"uid": "P"})
    return svc.tasks.list({})["data"][0]["uid"]


def test_a_handle_recorded_on_a_is_published_on_bs_bus(two: tuple[Workspace, Workspace]
                                                       ) -> None:
    a, b = two
    task = started_task(a)
    heard = Bus(b)
    listening(b)
    a.services.handles.handle({"task_id": task, "uid": "h-on-a"})
    assert heard.until((events.HANDLE, ("h-on-a",)))[-1] == (events.HANDLE, ("h-on-a",))
    assert heard.next() == (events.TASK, (task,))  # the same write's other entity


def test_a_write_rolled_back_announces_nothing(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    heard = Bus(b)
    listening(b)
    with pytest.raises(RuntimeError), a.services.ctx.write():
        a.services.objects.create({"uid": "gone", "name": "泵"})
        raise RuntimeError("the user cancelled")
    a.services.objects.create({"uid": "kept", "name": "泵"})
    assert heard.next() == (events.OBJECT, ("kept",))  # "gone" never came before it


def test_a_workstation_skips_its_own_announcements(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    heard = Bus(b)
    listening(b)
    b.services.objects.create({"uid": "own", "name": "泵"})  # b's bus hears it at commit
    a.services.objects.create({"uid": "theirs", "name": "阀"})
    # Announcements arrive in commit order: b's own came to its listener before a's.
    assert heard.until((events.OBJECT, ("theirs",))) == [
        (events.OBJECT, ("own",)), (events.OBJECT, ("theirs",))]


def test_an_announcement_too_long_for_the_server_names_the_entities_alone() -> None:
    uids = [f"object-{i:05d}" for i in range(2000)]
    text = events.encode_changes("me", {events.OBJECT: uids, events.TASK: ["t"]},
                                 MAX_PAYLOAD_BYTES)
    assert len(text.encode()) < MAX_PAYLOAD_BYTES
    assert events.decode_changes(text) == ("me", {events.OBJECT: (), events.TASK: ()})
    short = events.encode_changes("me", {events.OBJECT: ["a", "a", "b"]}, MAX_PAYLOAD_BYTES)
    assert events.decode_changes(short) == ("me", {events.OBJECT: ("a", "b")})


def test_a_large_import_reaches_the_other_workstation_as_a_whole(
        two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    heard = Bus(b)
    listening(b)
    with a.services.ctx.write():  # one transaction announcing 300 objects: over 8000 bytes
        for i in range(300):
            a.services.objects.create({"uid": f"object-{i:04d}-of-the-north-hall",
                                       "name": "泵"})
    assert heard.next() == (events.OBJECT, ())


@pytest.mark.expect_log("was ignored", logger="mixtimer_gui.services.live")
def test_a_foreign_announcement_on_the_channel_is_ignored(
        two: tuple[Workspace, Workspace], pg_database_url: str) -> None:
    a, b = two
    heard = Bus(b)
    listening(b)
    with psycopg.connect(pg_database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_notify(%s, %s)", (CHANGES_CHANNEL, "not ours"))
    a.services.objects.create({"uid": "after", "name": "泵"})
    assert heard.next() == (events.OBJECT, ("after",))


@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")
def test_after_its_connection_is_killed_the_listener_reconnects_and_refreshes_everything(
        two: tuple[Workspace, Workspace], pg_cluster: pg.Cluster) -> None:
    a, b = two
    heard = Bus(b)
    listener = listening(b)
    killed = listener.channel.backend_pid
    pg_cluster.admin().execute("SELECT pg_terminate_backend(%s)", (killed,))
    everything = [(entity, ()) for entity in events.ALL_ENTITIES]
    assert [heard.next() for _ in everything] == everything
    assert listener.full_refreshes == 1 and listener.channel.backend_pid != killed
    a.services.objects.create({"uid": "later", "name": "泵"})  # and it listens again
    assert heard.next() == (events.OBJECT, ("later",))


@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")
@pytest.mark.expect_log(logger="mixtimer_gui.services.live")
def test_after_a_server_restart_the_listener_comes_back_with_a_full_refresh(
        two: tuple[Workspace, Workspace], pg_cluster: pg.Cluster) -> None:
    a, b = two
    heard = Bus(b)
    listener = listening(b)
    pg_cluster.restart()
    # the full refresh: every entity, the last one ending it (#18 added the channels')
    assert heard.until((events.ALL_ENTITIES[-1], ()))[0] == (events.PROJECT, ())
    assert listener.listening.is_set()
    a.services.objects.create({"uid": "after-restart", "name": "泵"})
    assert heard.next() == (events.OBJECT, ("after-restart",))


def poll(listener: ChangeListener) -> None:
    """Have the listener compare the data version now; return when it has."""
    listener.polled.clear()
    listener.poll_soon()
    assert listener.polled.wait(WAIT_S)


def test_the_poll_refreshes_everything_after_a_write_nobody_announced(
        two: tuple[Workspace, Workspace], pg_database_url: str) -> None:
    _a, b = two
    heard = Bus(b)
    listener = listening(b)
    poll(listener)
    assert listener.full_refreshes == 0  # nothing written since it connected
    with psycopg.connect(pg_database_url, autocommit=True) as conn:  # by hand, in psql
        conn.execute("""INSERT INTO "setting" ("key", "value") VALUES ('by-hand', '1')""")
    poll(listener)
    assert listener.full_refreshes == 1
    assert heard.drain() == [(entity, ()) for entity in events.ALL_ENTITIES]


def test_the_poll_stays_quiet_when_the_announcements_told_everything(
        two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    heard = Bus(b)
    listener = listening(b)
    a.services.objects.create({"uid": "told", "name": "泵"})
    assert heard.next() == (events.OBJECT, ("told",))
    poll(listener)
    assert listener.full_refreshes == 0 and heard.drain() == []


def test_a_sqlite_workspace_starts_no_listener(db_path: object, fake_clock: FakeClock) -> None:
    with Workspace.open(db_path, clock=fake_clock) as workspace:  # type: ignore[arg-type]
        assert workspace.start_live_refresh() is None


WRITER = textwrap.dedent("""
    import sys
    from mixtimer_gui.services import Services
    services = Services.open(sys.argv[1])
    services.handles.handle({"task_id": sys.argv[2], "uid": "from-another-process"})
    services.close()
""")


def test_a_notify_from_another_process_reaches_this_one(two: tuple[Workspace, Workspace],
                                                        pg_database_url: str) -> None:
    _a, b = two
    task = started_task(b)
    heard = Bus(b)
    listening(b)
    subprocess.run([sys.executable, "-c", WRITER, pg_database_url, task], check=True,
                   timeout=120)
    assert heard.until((events.HANDLE, ("from-another-process",)))


WRITER_LOOP = textwrap.dedent("""
    import sys, time
    from mixtimer_gui.services import Services
    from mixtimer_gui.services.errors import StoreError
    services = Services.open(sys.argv[1])
    for i in range(int(sys.argv[3])):
        uid = f"loop-{i:04d}"
        deadline = time.monotonic() + 120
        while True:
            try:
                services.handles.handle({"task_id": sys.argv[2], "uid": uid})
                break
            except StoreError as exc:  # 数据库连接中断，正在重连: the client tries again
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        print(uid, flush=True)  # acknowledged
    services.close()
""")
LOOP_WRITES = 300


@pytest.mark.slow
@pytest.mark.expect_log(logger="mixtimer_gui.store.postgres")
@pytest.mark.expect_log(logger="mixtimer_gui.services.live")
def test_a_restart_mid_load_loses_no_acknowledged_write_and_the_listener_catches_up(
        two: tuple[Workspace, Workspace], pg_cluster: pg.Cluster, pg_database_url: str
        ) -> None:
    _a, b = two
    task = started_task(b)
    heard = Bus(b)
    listener = listening(b)
    writer = subprocess.Popen([sys.executable, "-c", WRITER_LOOP, pg_database_url, task,
                               str(LOOP_WRITES)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    acknowledged = [writer.stdout.readline().strip() for _ in range(LOOP_WRITES // 4)]
    pg_cluster.restart()  # mid-load: the writer's connection and the listener's dropped
    assert writer.poll() is None  # still writing: the restart came in the middle
    rest, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    acknowledged += rest.split()
    assert len(acknowledged) == LOOP_WRITES
    stored = [h["uid"] for h in b.services.handles.list({"page_size": 1000})["data"]]
    assert sorted(stored) == sorted(acknowledged)  # none lost, none twice
    assert listener.full_refreshes >= 1 and listener.listening.wait(WAIT_S)
    heard.until((events.HANDLE, (acknowledged[-1],)))  # heard again after the restart
