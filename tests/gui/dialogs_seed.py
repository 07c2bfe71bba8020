"""Every dialog of the window, built on sample data, for the tests that check them all alike
(sizes on a small screen, mnemonics, texts that fit). Imported by name; no package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lists_seed import seed
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog, QWidget

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services

Factory = Callable[[], QDialog]


def every_dialog(services: Services, clock: FakeClock, window: Any,
                 tmp_path: Path) -> dict[str, Factory]:
    """Each dialog by name, as a function that builds it (parented to ``window``)."""
    from mixtimer_gui.exports.csv_import import OBJECTS, import_table, parse_table
    from mixtimer_gui.gui.csv_dialogs import ImportDialog
    from mixtimer_gui.gui.error_dialog import ErrorDialog
    from mixtimer_gui.gui.handle_dialog import (
        EditHandleDialog,
        HandleDialog,
        IgnoreDialog,
        VoidDialog,
    )
    from mixtimer_gui.gui.help_dialogs import AboutDialog, GuideDialog, ShortcutsDialog
    from mixtimer_gui.gui.images import ImageViewer
    from mixtimer_gui.gui.import_start import ImportStartDialog
    from mixtimer_gui.gui.notify_dialogs import ChannelDialog, DeliveryLogDialog
    from mixtimer_gui.gui.object_dialog import ObjectDialog
    from mixtimer_gui.gui.project_form import ProjectForm
    from mixtimer_gui.gui.reading_dialog import ReadingDialog
    from mixtimer_gui.gui.recovery_dialog import RecoveryDialog
    from mixtimer_gui.gui.settings_dialog import SettingsDialog
    from mixtimer_gui.gui.statistic_dialog import StatisticDialog
    from mixtimer_gui.services.errors import ServerUnreachableError, StoreError
    from mixtimer_gui.services.notify import Channel

    ids = seed(services, clock)
    natural = services.projects.get({"uid": ids["projects"]["monthly"]})
    meter_project = services.projects.get({"uid": ids["projects"]["hours"]})
    task = services.tasks.get({"uid": ids["tasks"][("冷却塔月保", "OBJ-T1")]})
    statistic = services.statistics.get({"uid": ids["meter"]})
    record = services.handles.get(services.handles.handle({"task_id": task["uid"],
                                                           "fee": 10, "result": "ok"}))
    table = parse_table("名称,地点,位置\r\n泵,一楼,二楼\r\n,x,y\r\n", OBJECTS)
    checked = import_table(services, table, commit=False)
    picture = tmp_path / "photo.png"
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a7"))
    image.save(str(picture))

    mail = Channel(id=1, name="维保组邮件", kind="email", settings={
        "host": "smtp.exmail.qq.com", "port": 465, "security": "ssl", "sender": "a@plant.cn",
        "recipients": ["b@plant.cn"], "digest_time": "07:30"}, kinds=("日报",), projects=(),
        template="", is_active=True)

    def parented(make: Callable[[QWidget], QDialog]) -> Factory:
        return lambda: make(window)

    return {
        "project-new": parented(lambda w: ProjectForm(services, None, w)),
        "project-natural": parented(lambda w: ProjectForm(services, natural, w)),
        "project-meter": parented(lambda w: ProjectForm(services, meter_project, w)),
        "handle": parented(lambda w: HandleDialog(services, task, w)),
        "ignore": parented(lambda w: IgnoreDialog(services, task, w)),
        "handle-edit": parented(lambda w: EditHandleDialog(services, record, w)),
        "handle-void": parented(lambda w: VoidDialog(services, record, w)),
        "object": parented(lambda w: ObjectDialog(services, None, w)),
        "statistic": parented(lambda w: StatisticDialog(services, None, w)),
        "reading": parented(lambda w: ReadingDialog(services, statistic, w)),
        "settings": parented(lambda w: SettingsDialog(w.settings, services, w)),
        "import-start-objects": parented(lambda w: ImportStartDialog("objects", w)),
        "import-start-readings": parented(lambda w: ImportStartDialog("readings", w)),
        "import-preview": parented(lambda w: ImportDialog(table, checked, w)),
        "guide": parented(GuideDialog),
        "shortcuts": parented(ShortcutsDialog),
        "about": parented(AboutDialog),
        "recovery": parented(lambda w: RecoveryDialog(
            StoreError("数据库文件已损坏"), tmp_path / "data" / "mixtimer.db", w)),
        "recovery-server": parented(lambda w: RecoveryDialog(
            ServerUnreachableError("无法连接数据库服务器 postgresql://shift@db.plant/mixtimer:"
                                   "服务器没有应答;请检查网络和服务器后重试"),
            "postgresql://shift@db.plant/mixtimer", w)),
        "error": parented(lambda w: ErrorDialog("Something went wrong.", "Traceback…\n" * 40,
                                                w)),
        "image": parented(lambda w: ImageViewer(picture, w)),
        "channel-new": parented(lambda w: ChannelDialog(services, None, w)),
        "channel-mail": parented(lambda w: ChannelDialog(services, mail, w)),
        "delivery-log": parented(lambda w: DeliveryLogDialog(services, w)),
    }
