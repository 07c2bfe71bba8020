"""处理 / 忽略 dialogs: what they write, and that a refused form writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lists_seed import (
    PNG,
    seed,
)
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.gui.handle_dialog import HandleDialog, IgnoreDialog
from mixtimer_gui.services import Services


@pytest.fixture
def task(services: Services, fake_clock: FakeClock) -> dict[str, Any]:
    ids = seed(services, fake_clock)
    return services.tasks.get({"uid": ids["tasks"][("冷却塔月保", "OBJ-T1")]})


def picture(path: Path, color: str) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return path


def handle_count(services: Services) -> int:
    return services.handles.list({"page_size": 1})["total_records"]


def test_handle_writes_handlers_fee_result_and_copied_images(
        qtbot: Any, services: Services, task: dict[str, Any], tmp_path: Path,
        db_path: Path) -> None:
    services.handlers.create({"name": "张三"})
    outside = tmp_path / "camera"
    outside.mkdir()
    photos = [picture(outside / "before.png", "#ff0000"),
              picture(outside / "after.jpg", "#00ff00")]
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    dialog.handlers.list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.handlers.new_edit.setText("李四")
    dialog.handlers.add_new()  # a new person, registered and ticked
    dialog.fee_spin.setValue(88.5)
    dialog.result_edit.setText("更换填料")
    dialog.description_edit.setPlainText("填料老化")
    dialog.attachments.add_files(photos)
    dialog.attachments.add_files(photos[:1])  # the same file twice is attached once

    assert dialog.submit()

    saved = services.handles.get({"uid": dialog.saved_uid})
    assert saved["task_id"] == task["uid"]
    assert saved["handler_name_list"] == ["张三", "李四"]
    people = {h["name"]: h["id"] for h in services.handlers.list({"page_size": 10})["data"]}
    assert saved["handler_id_list"] == [people["张三"], people["李四"]]
    assert (saved["fee"], saved["result"], saved["description"]) == (88.5, "更换填料", "填料老化")
    names = saved["images"].split(";")
    assert len(names) == 2
    images_dir = db_path.parent / "images"
    for name, photo in zip(names, photos, strict=True):
        assert name.endswith(photo.suffix) and "/" not in name
        assert (images_dir / name).read_bytes() == photo.read_bytes()
    assert all(p.exists() for p in photos)  # copies; the user's files stay


def test_a_refused_picture_shows_under_pictures_and_writes_nothing(
        qtbot: Any, services: Services, task: dict[str, Any], tmp_path: Path,
        db_path: Path) -> None:
    fake = tmp_path / "notes.png"
    fake.write_text("not a picture")
    good = tmp_path / "good.png"
    good.write_bytes(PNG + b"\x00" * 16)
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    dialog.attachments.add_files([good, fake])
    before = handle_count(services)

    assert not dialog.submit()

    assert "notes.png" in dialog.error_text("images")
    assert handle_count(services) == before
    assert not (db_path.parent / "images").exists()
    assert dialog.result() != HandleDialog.DialogCode.Accepted


def test_a_task_deleted_meanwhile_is_reported_and_nothing_is_written(
        qtbot: Any, services: Services, task: dict[str, Any]) -> None:
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    services.projects.stop({"uid": task["project_id"]})
    services.projects.delete({"uid": task["project_id"]})
    before = handle_count(services)

    assert not dialog.submit()

    assert dialog.error_text("") == "The task is gone (its project may have been deleted)."
    assert handle_count(services) == before


def test_dropped_picture_files_are_attached(qtbot: Any, services: Services,
                                            task: dict[str, Any], tmp_path: Path) -> None:
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    photo = picture(tmp_path / "drop.png", "#0000ff")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl("https://example.com/x.png")])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)

    dialog.dropEvent(event)

    assert dialog.attachments.paths() == [str(photo)]


def test_removing_a_picture_before_saving(qtbot: Any, services: Services,
                                          task: dict[str, Any], tmp_path: Path) -> None:
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    a, b = picture(tmp_path / "a.png", "#111111"), picture(tmp_path / "b.png", "#222222")
    dialog.attachments.add_files([a, b])
    dialog.attachments.thumbs.item(0).setSelected(True)
    dialog.attachments.remove_selected()
    assert dialog.submit()
    names = services.handles.get({"uid": dialog.saved_uid})["images"].split(";")
    assert len(names) == 1 and names[0].endswith(".png")


def test_adding_an_existing_name_ticks_that_person(qtbot: Any, services: Services,
                                                   task: dict[str, Any]) -> None:
    services.handlers.create({"name": "王五"})
    dialog = HandleDialog(services, task)
    qtbot.addWidget(dialog)
    dialog.handlers.new_edit.setText("  王五 ")
    dialog.handlers.add_new()
    assert dialog.handlers.checked_names() == ["王五"]
    assert services.handlers.list({"page_size": 10})["total_records"] == 1


def test_ignore_writes_the_reason(qtbot: Any, services: Services,
                                  task: dict[str, Any]) -> None:
    dialog = IgnoreDialog(services, task)
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("  停产检修,本周期不做\n")
    assert dialog.submit()
    saved = services.handles.get({"uid": dialog.saved_uid})
    assert saved["is_ignored"] == 1
    assert saved["description"] == "停产检修,本周期不做"
    assert saved["task_id"] == task["uid"]
    assert services.tasks.get({"uid": task["uid"]})["last_handle_at"] == saved["created"]


def test_ignore_without_a_reason_is_allowed_as_in_the_api(qtbot: Any, services: Services,
                                                          task: dict[str, Any]) -> None:
    """v2_handle_ignore takes the reason as optional; the window asks (placeholder) but
    holds no rule of its own."""
    dialog = IgnoreDialog(services, task)
    qtbot.addWidget(dialog)
    before = handle_count(services)
    assert dialog.reason_edit.placeholderText()
    assert dialog.submit()
    assert handle_count(services) == before + 1
    assert services.handles.get({"uid": dialog.saved_uid})["description"] == ""
