"""The handle list's fast paths (#21) answer exactly what the general filter answers.

- Text: the search index (SQLite FTS5 trigram; PostgreSQL pg_trgm) only narrows the rows the
  ``like`` then decides, so a search equals the plain ``like`` search on any data, and stays
  so across handles written, rows updated (any UPDATE: a void or correction of #15 is one)
  and deleted, and a project deleted.
- Person: the side table's (handler_id, created) walk gives the same rows, in the same order
  and count, as the general ``handler_id_list`` filter, even for a list naming someone twice.
- Counts: reused while the data version stands, recounted after every kind of write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_factories import ProjectFactory

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import handle_search, versions

Tasks = Callable[[str], dict[str, dict[str, Any]]]
TEXT = ("description", "result", "object_name", "project_name")
ALPHABET = "滤芯异响更换泵Aab %_\\"


@pytest.fixture
def task_uids(services: Services, make_project: ProjectFactory, tasks_of: Tasks) -> list[str]:
    services.objects.create({"uid": "a", "name": "空压机A号"})
    services.objects.create({"uid": "c", "name": "水泵c"})
    uid = make_project(start=True, name="滤芯更换")
    return [t["uid"] for t in tasks_of(uid).values()]


def _search(words: str, *, fields: tuple[str, ...] = TEXT) -> dict[str, Any]:
    return {"page_size": 1000, "where_or": [[f, "like", f"%{words}%"] for f in fields]}


def _uids(services: Services, data: dict[str, Any]) -> tuple[int, list[str]]:
    page = services.handles.list(data)
    return page["total_records"], [r["uid"] for r in page["data"]]


def _without_fast_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    @contextmanager
    def plain() -> Iterator[None]:
        with monkeypatch.context() as m:
            m.setattr(handle_search, "text_match", lambda store, data: None)
            m.setattr(handle_search, "person_filter", lambda store, data: None)
            yield
    return plain()


def _plain(services: Services, monkeypatch: pytest.MonkeyPatch,
           data: dict[str, Any]) -> tuple[int, list[str]]:
    with _without_fast_paths(monkeypatch):
        return _uids(services, {**data, "page_index": data.get("page_index", 1)})


def _raw(services: Services, sql: str, *params: Any) -> None:
    store = services.ctx.store
    with store.write():
        store.db.execute_sql(sql.replace("?", store.db.param), params)


def _same_answer(services: Services, monkeypatch: pytest.MonkeyPatch,
                 data: dict[str, Any]) -> None:
    assert _uids(services, data) == _plain(services, monkeypatch, data), data


texts = st.text(ALPHABET, max_size=12)
words = st.text(ALPHABET, min_size=1, max_size=4)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
       changes=st.lists(st.tuples(st.integers(0, 40), texts), max_size=3),
       drops=st.lists(st.integers(0, 40), max_size=2),
       asked=st.lists(words, min_size=1, max_size=4))
def test_a_text_search_equals_the_like_search(services: Services, task_uids: list[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              writes: list[tuple[str, str]],
                                              changes: list[tuple[int, str]],
                                              drops: list[int], asked: list[str]) -> None:
    for i, (description, result) in enumerate(writes):
        services.handles.handle({"task_id": task_uids[i % len(task_uids)],
                                 "description": description, "result": result})
    for handle_id, text in changes:  # any UPDATE, as a void or a correction writes it
        _raw(services, 'UPDATE "handle" SET "description" = ?, "object_name" = ? '
                       'WHERE "id" = ?', text, text[::-1], handle_id)
    for handle_id in drops:
        _raw(services, 'DELETE FROM "handle" WHERE "id" = ?', handle_id)
    stored = [r["description"] for r in services.handles.list({"page_size": 1000})["data"]]
    for word in [*asked, *(s[1:3] for s in stored if len(s) >= 3),
                 *(s[:4] for s in stored if len(s) >= 4)]:
        _same_answer(services, monkeypatch, _search(word))
        _same_answer(services, monkeypatch, _search(word, fields=("result",)))


@pytest.mark.parametrize("common", [False, True])
def test_the_index_finds_two_and_three_character_words_anywhere_in_a_value(
        services: Services, task_uids: list[str], monkeypatch: pytest.MonkeyPatch,
        common: bool) -> None:
    # common: the page walks the time index, the count still reads the candidates
    monkeypatch.setattr(handle_search, "text_is_common", lambda *args: common)
    for description in ("更换滤芯", "滤芯", "异响滤芯已处理", "泵", "换滤"):
        services.handles.handle({"task_id": task_uids[0], "description": description})
    for word, found in (("滤芯", 3), ("换滤芯", 1), ("换滤", 2), ("泵", 1), ("芯已处", 1),
                        ("不在", 0)):
        total, _ = _uids(services, _search(word, fields=("description",)))
        assert total == found, word
        _same_answer(services, monkeypatch, _search(word))


def test_the_index_stays_in_step_when_a_project_is_deleted(
        services: Services, task_uids: list[str], make_project: ProjectFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    services.handles.handle({"task_id": task_uids[0], "description": "换滤芯"})
    project = services.handles.list({})["data"][0]["project_id"]
    services.projects.stop({"uid": project})
    services.projects.delete({"uid": project})
    assert _uids(services, _search("滤芯"))[0] == 1  # history: its handles stay findable
    _same_answer(services, monkeypatch, _search("滤芯"))


def test_a_search_on_sqlite_reads_the_index(services: Services, task_uids: list[str],
                                            engine: str) -> None:
    services.handles.handle({"task_id": task_uids[0], "description": "换滤芯"})
    store = services.ctx.store
    with store.read():
        match = handle_search.text_match(store, _search("滤芯"))
    if engine == "sqlite":
        assert match is not None
    else:  # PostgreSQL: the same like, through its GIN trigram index
        assert match is None
        assert store.db.execute_sql(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'handle_search_trgm'").fetchone()


# -- a person ---------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(st.lists(st.integers(1, 4), max_size=3), min_size=1, max_size=8),
       who=st.integers(1, 4), size=st.integers(1, 4), index=st.integers(1, 3),
       ignored=st.sampled_from([None, 0, 1]))
def test_the_person_filter_equals_the_general_filter(
        services: Services, task_uids: list[str], fake_clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch, people: list[list[int]], who: int, size: int,
        index: int, ignored: int | None) -> None:
    for i, ids in enumerate(people):
        fake_clock.advance(minutes=1 if i % 2 else 0)  # equal times too: the tie holds
        services.handles.handle({"task_id": task_uids[i % len(task_uids)],
                                 "handler_id_list": ids})
    where = [["handler_id_list", "=", who]]
    if ignored is not None:
        where.append(["is_ignored", "=", ignored])
    data = {"where_and": where, "page_size": size, "page_index": index}
    assert handle_search.person_filter(services.ctx.store, data) is not None
    assert _uids(services, data) == _plain(services, monkeypatch, data)


def test_a_person_is_read_in_the_side_tables_time_order(services: Services,
                                                        task_uids: list[str],
                                                        fake_clock: FakeClock) -> None:
    made = []
    for _ in range(3):
        fake_clock.advance(hours=1)
        made.append(services.handles.handle({"task_id": task_uids[0],
                                             "handler_id_list": [7, 7]})["uid"])
    assert _uids(services, {"where_and": [["handler_id_list", "=", 7]]}) == (3, made[::-1])


# -- counts ---------------------------------------------------------------------------------


@contextmanager
def counts_run(services: Services) -> Iterator[list[str]]:
    """The COUNT statements the store runs meanwhile."""
    seen: list[str] = []
    db = services.ctx.store.db
    real = db.execute_sql

    def spy(sql: str, *args: Any, **kwargs: Any) -> Any:
        # the unfiltered list counts all handles less the voided ones (two counts in one)
        if sql.startswith(("SELECT COUNT", "SELECT (SELECT COUNT")):
            seen.append(sql)
        return real(sql, *args, **kwargs)

    db.execute_sql = spy  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del db.execute_sql


def test_paging_reuses_the_count(services: Services, task_uids: list[str]) -> None:
    for _ in range(3):
        services.handles.handle({"task_id": task_uids[0], "handler_id_list": [1]})
    with counts_run(services) as seen:
        for index in (1, 2, 3):
            assert services.handles.list({"page_size": 1, "page_index": index,
                                          "where_and": [["handler_id_list", "=", 1]]}
                                         )["total_records"] == 3
    assert len(seen) == 1


WRITES: dict[str, Callable[[Services, list[str]], None]] = {
    "handle": lambda s, t: s.handles.handle({"task_id": t[0], "handler_id_list": [1]}),
    "ignore": lambda s, t: s.handles.ignore({"task_id": t[1], "description": "停机"}),
    "update": lambda s, t: _raw(s, 'UPDATE "handle" SET "is_ignored" = 1 - "is_ignored" '
                                   'WHERE "id" = 1'),
    "delete": lambda s, t: _raw(s, 'DELETE FROM "handle" WHERE "id" = 1'),
    "people": lambda s, t: _raw(s, 'UPDATE "handle_handler" SET "handler_id" = 2 '
                                   'WHERE "handle_rowid" = 1'),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_kind_of_write_makes_the_count_recounted(services: Services,
                                                       task_uids: list[str],
                                                       write: str) -> None:
    services.handles.handle({"task_id": task_uids[0], "handler_id_list": [1]})
    asks = ({}, {"where_and": [["handler_id_list", "=", 1]]},
            {"where_and": [["is_ignored", "=", 0]]})
    before = [services.handles.list(a)["total_records"] for a in asks]
    store = services.ctx.store
    with store.read():
        versions_before = versions.data_versions(store, ("handle", "handle_handler"))
    WRITES[write](services, task_uids)
    with store.read():
        assert versions.data_versions(store, ("handle", "handle_handler")) != versions_before
    with counts_run(services) as seen:
        after = [services.handles.list(a)["total_records"] for a in asks]
    assert len(seen) == len(asks)  # none reused
    with _without_fast_paths(pytest.MonkeyPatch()):
        truth = [services.handles.list(a)["total_records"] for a in asks]
    assert after == truth and after != before
