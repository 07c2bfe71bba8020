"""维保记录 tab: filters, detail pane with pictures, live rows from other threads, paging."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lists_seed import (
    add_handles,
    fake_csv_dialogs,
    seed,
)
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHeaderView
from visible_text import uid_like, visible_texts

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.handles_tab import HandlesTab
from mixtimer_gui.gui.images import thumbnail_path
from mixtimer_gui.services import Services
from mixtimer_gui.services import images as stored_images


@pytest.fixture
def history(services: Services, fake_clock: FakeClock, tmp_path: Path,
            db_path: Path) -> dict[str, Any]:
    """Handles on three days by different people; one with pictures; one ignored."""
    ids = seed(services, fake_clock)
    daily = ids["tasks"][("空压机日检", "OBJ-P1")]
    tower = ids["tasks"][("冷却塔月保", "OBJ-T1")]
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    image.save(str(tmp_path / "photo.png"))
    names = stored_images.store_images(db_path.parent, [tmp_path / "photo.png"])
    # 2024-05-12 16:00 .. 17:00: two checks by 张三 and 李四
    early = add_handles(services, fake_clock, daily, 2, handler_id_list=[1, 2],
                        handler_name_list=["张三", "李四"], result="正常", fee=30)
    fake_clock.advance(days=2)  # 2024-05-14
    tower_uid = add_handles(services, fake_clock, tower, 1, handler_id_list=[3],
                            handler_name_list=["王五"], result="更换填料", fee=1200,
                            description="填料老化", images=";".join(names))[0]
    fake_clock.advance(days=2)  # 2024-05-16
    ignored = services.handles.ignore({"task_id": daily, "description": "停产"})["uid"]
    return {"ids": ids, "early": early, "tower": tower_uid, "ignored": ignored,
            "image": names[0]}


@pytest.fixture
def tab(qtbot: Any, services: Services, bridge: ChangeBridge,
        history: dict[str, Any]) -> HandlesTab:
    widget = HandlesTab(services, bridge)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.handler_combo.count() > 1)  # filled once shown
    return widget


def uids(tab: HandlesTab) -> list[str]:
    return [tab.model.record(r)["uid"] for r in range(tab.model.rowCount())]


def test_lists_newest_first(tab: HandlesTab, history: dict[str, Any]) -> None:
    assert uids(tab) == [history["ignored"], history["tower"], *reversed(history["early"])]


def test_project_object_and_handler_filters(tab: HandlesTab, history: dict[str, Any]) -> None:
    projects = history["ids"]["projects"]
    tab.project_combo.setCurrentIndex(tab.project_combo.findData(projects["monthly"]))
    assert uids(tab) == [history["tower"]]
    tab.project_combo.setCurrentIndex(0)
    tab.object_combo.select_value("OBJ-P1")  # objects load when the list opens
    assert set(uids(tab)) == {history["ignored"], *history["early"]}
    tab.object_combo.setCurrentIndex(0)
    tab.handler_combo.setCurrentIndex(tab.handler_combo.findText("李四"))
    assert set(uids(tab)) == set(history["early"])


def test_handled_or_ignored_filter(tab: HandlesTab, history: dict[str, Any]) -> None:
    tab.kind_combo.setCurrentIndex(2)
    assert uids(tab) == [history["ignored"]]
    tab.kind_combo.setCurrentIndex(1)
    assert history["ignored"] not in uids(tab) and len(uids(tab)) == 3


def test_text_search_covers_description_and_result(qtbot: Any, tab: HandlesTab,
                                                          history: dict[str, Any]) -> None:
    tab.search.setText("填料")
    qtbot.waitUntil(lambda: uids(tab) == [history["tower"]])

    def search(words: str) -> None:
        tab.search.setText(words)
        tab.search.returnPressed.emit()  # a text search runs on a worker thread
        assert tab.count.text() == "Searching…" and not tab.view.isEnabled()  # stale rows
        qtbot.waitUntil(lambda: not tab.model.searching_in_background, timeout=5000)
        qtbot.waitUntil(tab.view.isEnabled, timeout=5000)

    search("正常")
    assert set(uids(tab)) == set(history["early"])
    search("停产")
    assert uids(tab) == [history["ignored"]]
    search("没有这种记录")
    assert uids(tab) == [] and "0" in tab.count.text()


def test_date_range_includes_the_whole_last_day(tab: HandlesTab,
                                                history: dict[str, Any]) -> None:
    tab.set_date_range(date(2024, 5, 12), date(2024, 5, 14))
    assert set(uids(tab)) == {history["tower"], *history["early"]}
    tab.set_date_range(date(2024, 5, 14))
    assert uids(tab) == [history["tower"]]
    tab.set_date_range(date(2024, 5, 16), date(2024, 5, 13))  # reversed: still a range
    assert set(uids(tab)) == {history["ignored"], history["tower"]}
    tab.set_date_range(None)
    assert len(uids(tab)) == 4 and not tab.date_from.isEnabled()


def test_detail_pane_shows_every_field_and_picture_thumbnails(
        tab: HandlesTab, history: dict[str, Any], db_path: Path) -> None:
    row = uids(tab).index(history["tower"])
    tab.view.selectRow(row)
    detail = tab.detail
    assert detail.value("uid") == history["tower"]
    assert detail.value("handlers") == "王五"
    assert detail.value("fee") == "1,200.00"
    assert detail.value("result") == "更换填料"
    assert detail.value("description") == "填料老化"
    assert detail.value("on_time") == "Yes"
    assert detail.value("object").startswith("冷却塔")
    assert detail.value("created_by") == "This workstation"  # operator 0, not "0"
    assert not any(uid_like(text) for text in visible_texts(detail))  # no MTT… task uid
    assert detail.thumbs.count() == 1 and not detail.thumbs.isHidden()
    assert detail.thumbs.paths() == [str(db_path.parent / "images" / history["image"])]
    cached = thumbnail_path(db_path.parent, history["image"], 84)
    assert cached is not None and cached.exists()
    tab.view.selectRow(uids(tab).index(history["ignored"]))
    assert detail.value("result") == "Ignored" and detail.thumbs.isHidden()
    tab.view.clearSelection()
    assert detail.value("uid") == ""


def test_a_missing_picture_file_shows_a_placeholder(tab: HandlesTab, history: dict[str, Any],
                                                    db_path: Path) -> None:
    (db_path.parent / "images" / history["image"]).unlink()
    tab.view.selectRow(uids(tab).index(history["tower"]))
    assert tab.detail.thumbs.count() == 1  # no crash, a grey tile instead


def test_a_handle_written_from_another_thread_appears(qtbot: Any, tab: HandlesTab,
                                                      services: Services,
                                                      history: dict[str, Any]) -> None:
    tab.view.selectRow(1)
    selected = tab.selected_handle()
    assert selected is not None
    task = history["ids"]["tasks"][("空压机日检", "OBJ-P2")]
    written: list[str] = []

    def api_client() -> None:
        with services.db.connection_context():
            written.append(services.handles.handle({"task_id": task, "result": "API"})["uid"])

    worker = threading.Thread(target=api_client)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=3000)
    assert uids(tab)[0] == written[0]
    # The selection follows the record, not the row number.
    assert tab.selected_handle() is not None
    assert tab.selected_handle()["uid"] == selected["uid"]


def test_export_passes_exactly_the_shown_filter(tab: HandlesTab,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any, dict]] = []

    def export_handles(parent: Any, services: Any, params: dict) -> None:
        calls.append((parent, services, params))

    fake_csv_dialogs(monkeypatch, export_handles=export_handles)
    tab.kind_combo.setCurrentIndex(2)
    tab.export_button.click()
    assert len(calls) == 1 and calls[0][0] is tab
    assert calls[0][2]["where_and"] == [["is_ignored", "=", 1]]
    assert calls[0][2]["order_by"] == "-created"


def test_pages_load_lazily_and_rows_have_a_fixed_height(
        qtbot: Any, services: Services, bridge: ChangeBridge, fake_clock: FakeClock,
        history: dict[str, Any]) -> None:
    task = history["ids"]["tasks"][("空压机日检", "OBJ-P2")]
    add_handles(services, fake_clock, task, 450)
    tab = HandlesTab(services, bridge)
    qtbot.addWidget(tab)
    tab.resize(900, 500)
    tab.show()
    # The first page shows before the total, which a worker thread counts.
    qtbot.waitUntil(lambda: tab.model.total_known, timeout=10_000)
    assert tab.model.rowCount() == 454
    assert tab.count.text() == tab.tr("%n record(s)", "", 454)
    assert tab.model.loaded_pages() == [0]
    tab.view.scrollToBottom()
    qtbot.waitUntil(lambda: 2 in tab.model.loaded_pages())
    assert 1 not in tab.model.loaded_pages()  # the middle was never needed
    header = tab.view.verticalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    columns = tab.view.horizontalHeader()
    assert all(columns.sectionResizeMode(c) != QHeaderView.ResizeMode.ResizeToContents
               for c in range(columns.count()))


def test_a_handle_posted_to_the_action_api_appears_in_the_open_list(
        qtbot: Any, tab: HandlesTab, services: Services, history: dict[str, Any]) -> None:
    """Issue 5 "Live", end to end: a real HTTP client, the real server, the open tab."""
    import json
    import urllib.request

    from mixtimer_gui.api.server import ApiServer

    task = history["ids"]["tasks"][("空压机日检", "OBJ-P2")]
    server = ApiServer(services, port=0)
    server.start()
    try:
        body = json.dumps({"action": "v2_handle", "task_id": task, "result": "经 API 记录",
                           "handler_id_list": [9], "handler_name_list": ["赵工"]}).encode()
        request = urllib.request.Request(server.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            uid = json.loads(reply.read())["result"]["uid"]
        qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    finally:
        server.stop()
    newest = tab.model.record(0)
    assert newest is not None and newest["uid"] == uid
    assert newest["result"] == "经 API 记录" and newest["handler_name_list"] == ["赵工"]
