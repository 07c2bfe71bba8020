"""Settings → 通知渠道 and 投递记录, and 导出日历, driven through the widgets."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtCore import Qt

from mixtimer_gui.gui.calendar_export import CalendarExport
from mixtimer_gui.gui.notify_dialogs import ChannelDialog, ChannelsBox, DeliveryLogDialog
from mixtimer_gui.notify import senders
from mixtimer_gui.services import Services


def test_a_channel_is_added_by_typing_and_a_wrong_address_is_said_next_to_it(
        services: Services, qtbot: Any) -> None:
    dialog = ChannelDialog(services, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "Workshop 2")  # QTest types ASCII only
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("dingtalk"))
    assert dialog.secret_edit.isVisible() and not dialog.host_edit.isVisible()
    qtbot.keyClicks(dialog.url_edit, "ftp://oapi.dingtalk.com/robot/send")
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and services.notify.channels() == []
    assert "Webhook address" in dialog.error.text()
    assert dialog.focusWidget() is dialog.url_edit
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "https://oapi.dingtalk.com/robot/send?access_token=t")
    qtbot.keyClicks(dialog.secret_edit, "SECabc")
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [saved] = services.notify.channels()
    assert (saved.name, saved.kind, saved.settings["secret"]) == ("Workshop 2", "dingtalk",
                                                                  "SECabc")
    assert saved.kinds == ("即将到期", "到期", "逾期")


def test_the_test_message_is_sent_off_the_gui_thread(
        services: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services.notify.save_channel({"name": "群", "kind": "wecom",
                                  "settings": {"url": "http://127.0.0.1:9/send?key=k123"}})
    threads: list[threading.Thread] = []

    def fake(settings: Any, message: Any, now: int) -> str:
        threads.append(threading.current_thread())
        assert "测试消息" in message.title
        return '{"errcode":0,"errmsg":"ok"}'

    monkeypatch.setitem(senders.SENDERS, "wecom", fake)
    box = ChannelsBox(services)
    qtbot.addWidget(box)
    box.show()
    box.channel_list.setCurrentRow(0)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "took the test message" in box.status.text(), timeout=10000)
    assert threads and threads[0] is not threading.main_thread()
    assert "errcode" in box.status.text()


def test_the_delivery_log_shows_status_attempts_and_the_answer(
        services: Services, qtbot: Any) -> None:
    channel = services.notify.save_channel({"name": "群", "kind": "webhook",
                                            "settings": {"url": "http://127.0.0.1:9/h"}})
    services.notify.enqueue_digest(channel, 20240511, services.clock.now())
    [row] = services.notify.claim("me", services.clock.now(), lease=60, limit=5)
    services.notify.not_delivered(channel.id, [row.id], services.clock.now(),
                                  "HTTP 502 Bad Gateway", retry_at=0, max_attempts=1)
    dialog = DeliveryLogDialog(services)
    qtbot.addWidget(dialog)
    model = dialog.model
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[1:] == ["群", "Daily digest", "0", "Failed", "1", "HTTP 502 Bad Gateway"]
    assert "1 failed" in dialog.summary.text()


def test_the_calendar_export_writes_a_file_calendars_read(
        services: Services, window: Any, qtbot: Any, tmp_path: Path) -> None:
    uid = services.projects.create({
        "name": "润滑", "cycle_type": "自然时间周期", "period_num": 2, "period_unit": "日",
        "notice_num": 1, "notice_unit": "日", "object_id_list": ["PUMP-1"]})["uid"]
    services.projects.start({"uid": uid})
    export = CalendarExport(window, services)
    export.path = tmp_path / "plan.ics"
    export.run(30)
    qtbot.waitUntil(lambda: "1 events written" in window.statusBar().currentMessage(),
                    timeout=10000)
    [event] = icalendar.Calendar.from_ical(export.path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "润滑 · PUMP-1"
    assert window.calendar_action in window.file_menu.actions()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_settings_keys_reach_the_channel_buttons(services: Services, qtbot: Any,
                                                 tmp_path: Any, language: str) -> None:
    """Alt+I edits the chosen channel, Alt+D adds one, Alt+V opens the delivery log: real
    key presses on the Settings window, in both languages (the letters were moved at the
    merge so that no two controls share one)."""
    from mixtimer_gui.gui import i18n
    from mixtimer_gui.gui.settings import AppSettings
    from mixtimer_gui.gui.settings_dialog import SettingsDialog

    i18n.install_language(language)
    services.notify.save_channel({"name": "车间群", "kind": "wecom",
                                  "settings": {"url": "http://127.0.0.1:9/send?key=k123"}})
    dialog = SettingsDialog(AppSettings(tmp_path / "s.ini"), services)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # mnemonics fire only in the active window
        dialog.show()
        dialog.activateWindow()
    dialog.channels_box.channel_list.setCurrentRow(0)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(dialog.focusWidget(), key, Qt.KeyboardModifier.AltModifier)

    def opened(kind: type) -> str:
        """The window title of the ``kind`` dialog the key opened (closed again, which
        deletes it), with its name field's text when it has one."""
        qtbot.waitUntil(lambda: any(d.isVisible() for d in dialog.findChildren(kind)))
        shown = next(d for d in dialog.findChildren(kind) if d.isVisible())
        name = shown.name_edit.text() if hasattr(shown, "name_edit") else shown.windowTitle()
        shown.reject()
        qtbot.waitUntil(lambda: not any(d.isVisible() for d in dialog.findChildren(kind)))
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return name

    press(Qt.Key.Key_I)
    assert opened(ChannelDialog) == "车间群"
    press(Qt.Key.Key_D)
    assert opened(ChannelDialog) == ""
    press(Qt.Key.Key_V)
    assert opened(DeliveryLogDialog)
