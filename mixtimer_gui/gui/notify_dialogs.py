"""Settings → 通知渠道: any number of channels (企业微信 / 钉钉 / 飞书 robots, a JSON webhook,
e-mail), each with its kinds, projects and template; 发送测试消息 runs on a ``Worker`` (never
the GUI thread); 投递记录 lists the outbox with each message's status, attempts and the
server's answer.

The rules are ``services.notify``'s: the channel dialog hands the form to
``save_channel`` and shows a refusal next to the field it names. Changes apply at once (as the
backups do), not at the Settings dialog's OK.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.domain import notify as rules
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui import messages
from mixtimer_gui.gui.background import Worker, own_connection
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.gui.widgets import role_label
from mixtimer_gui.services import Services
from mixtimer_gui.services.notify import Channel

ItemIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOG_ROWS = 500


def _tr(text: str) -> str:
    return QApplication.translate("Notify", text)


def kind_label(kind: str) -> str:
    labels = {rules.WECOM: QApplication.translate("Notify", "WeCom group robot"),
              rules.DINGTALK: QApplication.translate("Notify", "DingTalk group robot"),
              rules.FEISHU: QApplication.translate("Notify", "Feishu custom bot"),
              rules.WEBHOOK: QApplication.translate("Notify", "JSON webhook"),
              rules.EMAIL: QApplication.translate("Notify", "E-mail (SMTP)")}
    return labels.get(kind, kind)


def message_kind_label(kind: str) -> str:
    labels = {rules.SOON: QApplication.translate("Notify", "Due soon"),
              rules.DUE: QApplication.translate("Notify", "Due"),
              rules.OVERDUE: QApplication.translate("Notify", "Overdue"),
              rules.DIGEST: QApplication.translate("Notify", "Daily digest")}
    return labels.get(kind, kind)


def status_label(status: str) -> str:
    labels = {"pending": QApplication.translate("Notify", "Waiting"),
              "sent": QApplication.translate("Notify", "Sent"),
              "failed": QApplication.translate("Notify", "Failed")}
    return labels.get(status, status)


# -- Settings → 通知渠道 -----------------------------------------------------------------------


class ChannelsBox(QGroupBox):
    """The Settings section: the channels, and the buttons that act on them."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.worker = Worker(own_connection(services), "notify-test", self)
        layout = QVBoxLayout(self)
        self.channel_list = QListWidget(self)
        self.channel_list.setMaximumHeight(130)
        self.channel_list.itemDoubleClicked.connect(lambda _item: self.edit_channel())
        self.channel_list.currentRowChanged.connect(self._enable)
        layout.addWidget(self.channel_list)
        row = QHBoxLayout()
        self.add_button = QPushButton(icon("add"), "", self)
        self.edit_button = QPushButton(icon("edit"), "", self)
        self.remove_button = QPushButton(icon("delete"), "", self)
        self.test_button = QPushButton("", self)
        self.log_button = QPushButton("", self)
        for button, slot in ((self.add_button, self.add_channel),
                             (self.edit_button, self.edit_channel),
                             (self.remove_button, self.remove_channel),
                             (self.test_button, self.send_test),
                             (self.log_button, self.open_log)):
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = role_label(self, "hint", wrap=True)
        layout.addWidget(self.status)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Notification channels"))
        self.add_button.setText(self.tr("A&dd…"))
        self.edit_button.setText(self.tr("Ed&it…"))
        self.remove_button.setText(self.tr("Re&move"))
        self.test_button.setText(self.tr("Send &test message"))
        self.log_button.setText(self.tr("Deli&very log…"))
        self.channel_list.setToolTip(self.tr(
            "Reminders also go to these group robots, web hooks and mailboxes."))
        self.reload()

    def reload(self) -> None:
        current = self.current_id()
        self.channel_list.clear()
        for channel in self.services.notify.channels():
            kinds = self.tr(", ").join(message_kind_label(k) for k in channel.kinds) \
                or self.tr("nothing")
            text = f"{channel.name} — {kind_label(channel.kind)} — {kinds}"
            if not channel.is_active:
                text += " " + self.tr("(off)")
            item = QListWidgetItem(text, self.channel_list)
            item.setData(ID_ROLE, channel.id)
            if channel.id == current:
                self.channel_list.setCurrentItem(item)
        if self.channel_list.count() == 0:
            self.status.setText(self.tr("No channel yet: reminders show in the tray and the "
                                        "reminder centre only."))
        self.status.setVisible(bool(self.status.text()))
        self._enable()

    def current_id(self) -> int | None:
        item = self.channel_list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _enable(self, *_args: Any) -> None:
        chosen = self.current_id() is not None
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(chosen)
        self.test_button.setEnabled(chosen and not self.worker.busy)

    def add_channel(self) -> None:
        self._open(ChannelDialog(self.services, None, self))

    def edit_channel(self) -> None:
        channel_id = self.current_id()
        if channel_id is None:
            return
        self._open(ChannelDialog(self.services, self.services.notify.channel(channel_id), self))

    def _open(self, dialog: QDialog) -> None:
        # open(), not exec(): the event loop keeps running (the project's rule for dialogs)
        dialog.accepted.connect(self.reload)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def remove_channel(self) -> None:
        channel_id = self.current_id()
        if channel_id is None:
            return
        name = self.services.notify.channel(channel_id).name
        answer = QMessageBox.question(
            self, self.tr("Remove channel"),
            self.tr("Remove the channel “%1”? Messages it still owes are dropped; its "
                    "delivery log stays.").replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            self.services.notify.delete_channel(channel_id)
            self.reload()

    def send_test(self) -> None:
        """发送测试消息, on the worker's thread: a robot may take seconds to answer."""
        from mixtimer_gui.notify.worker import DeliveryWorker

        channel_id = self.current_id()
        if channel_id is None:
            return
        channel = self.services.notify.channel(channel_id)
        sender = DeliveryWorker(self.services)
        self.status.setText(self.tr("Sending a test message to “%1”…").replace("%1",
                                                                             channel.name))
        self.status.show()
        self.worker.run(lambda _job: sender.send_test(channel),
                        lambda answer: self._tested(channel, True, str(answer)),
                        lambda error: self._tested(channel, False, str(error)))
        self._enable()

    def _tested(self, channel: Channel, ok: bool, answer: str) -> None:
        text = (self.tr("“%1” took the test message: %2") if ok
                else self.tr("“%1” did not take the test message: %2"))
        self.status.setProperty("role", "hint" if ok else "error")
        self.status.style().polish(self.status)
        self.status.setText(text.replace("%1", channel.name).replace("%2", answer[:300]))
        self.status.show()
        self._enable()

    def open_log(self) -> None:
        log = DeliveryLogDialog(self.services, self)
        log.finished.connect(log.deleteLater)
        log.open()


# -- one channel --------------------------------------------------------------------------------


class ChannelDialog(QDialog):
    """Add or change one channel; only the rows its kind needs are shown."""

    def __init__(self, services: Services, channel: Channel | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.channel = channel
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._build()
        self._load()
        self.retranslate()
        self._show_rows()
        self.layout().activate()
        fit_to_screen(self, 640, self.sizeHint().height())

    def _row(self, name: str, widget: QWidget) -> QWidget:
        label = QLabel(self)
        label.setBuddy(widget)
        self.fields[name] = widget
        self.labels[name] = label
        self.form.addRow(label, widget)
        return widget

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        self.name_edit = self._row("name", QLineEdit(self))
        self.kind_combo = self._row("kind", QComboBox(self))
        for kind in rules.CHANNEL_KINDS:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.kind_combo.currentIndexChanged.connect(self._show_rows)
        self.active_check = QCheckBox(self)
        self.form.addRow("", self.active_check)
        self.url_edit = self._row("url", QLineEdit(self))
        self.secret_edit = self._row("secret", QLineEdit(self))
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.body_edit = self._row("body", QPlainTextEdit(self))
        self.body_edit.setMaximumHeight(70)
        self.host_edit = self._row("host", QLineEdit(self))
        self.port_spin = self._row("port", QSpinBox(self))
        self.port_spin.setRange(1, 65535)
        self.security_combo = self._row("security", QComboBox(self))
        for value in ("ssl", "starttls", "none"):
            self.security_combo.addItem(value.upper() if value != "none" else "—", value)
        self.security_combo.currentIndexChanged.connect(self._default_port)
        self.username_edit = self._row("username", QLineEdit(self))
        self.password_edit = self._row("password", QLineEdit(self))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sender_edit = self._row("sender", QLineEdit(self))
        self.recipients_edit = self._row("recipients", QLineEdit(self))
        kinds = QWidget(self)
        kinds_row = QHBoxLayout(kinds)
        kinds_row.setContentsMargins(0, 0, 0, 0)
        self.kind_checks: dict[str, QCheckBox] = {}
        for kind in rules.MESSAGE_KINDS:
            self.kind_checks[kind] = QCheckBox(kinds)
            kinds_row.addWidget(self.kind_checks[kind])
        kinds_row.addStretch(1)
        kinds.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.kind_checks[rules.DIGEST].toggled.connect(self._show_rows)
        self._row("kinds", kinds)
        self.digest_edit = self._row("digest_time", QTimeEdit(self))
        self.digest_edit.setDisplayFormat("HH:mm")
        self.project_list = self._row("projects", QListWidget(self))
        self.project_list.setMaximumHeight(110)
        page = self.services.projects.list({"page_size": 1000, "order_by": "name"})
        for project in page["data"]:
            item = QListWidgetItem(project["name"], self.project_list)
            item.setData(ID_ROLE, project["uid"])
            item.setCheckState(Qt.CheckState.Unchecked)
        self.template_edit = self._row("template", QPlainTextEdit(self))
        self.template_edit.setMaximumHeight(60)
        self.hint = role_label(self, "hint", wrap=True)
        outer.addWidget(self.hint)
        self.error = role_label(self, "error", wrap=True)
        self.error.hide()
        outer.addWidget(self.error)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Notification channel"))
        for name, text in (
                ("name", self.tr("&Name:")), ("kind", self.tr("&Sends to:")),
                ("url", self.tr("Webhook &address:")), ("secret", self.tr("Si&gning secret:")),
                ("body", self.tr("JSON &body:")), ("host", self.tr("SMTP se&rver:")),
                ("port", self.tr("P&ort:")), ("security", self.tr("&Encryption:")),
                ("username", self.tr("&User name:")), ("password", self.tr("Pass&word:")),
                ("sender", self.tr("&From:")), ("recipients", self.tr("&To:")),
                ("kinds", self.tr("Sends:")), ("digest_time", self.tr("&Digest at:")),
                ("projects", self.tr("&Projects:")), ("template", self.tr("&Line template:"))):
            self.labels[name].setText(text)
        self.active_check.setText(self.tr("Acti&ve"))
        for kind, check in self.kind_checks.items():
            check.setText(message_kind_label(kind))
        self.recipients_edit.setPlaceholderText(self.tr("addresses, separated by commas"))
        self.secret_edit.setPlaceholderText(self.tr("the SEC… secret, if the robot signs"))
        self.project_list.setToolTip(self.tr("None ticked: every project."))
        self.hint.setText(self.tr("Placeholders: %1. None ticked under Projects means every "
                                  "project.").replace(
            "%1", " ".join("{" + p + "}" for p in rules.PLACEHOLDERS)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _show_rows(self, *_args: Any) -> None:
        kind = self.kind()
        email = kind == rules.EMAIL
        shown = {"url": not email, "secret": kind in (rules.DINGTALK, rules.FEISHU),
                 "body": kind == rules.WEBHOOK}
        for name in ("host", "port", "security", "username", "password", "sender",
                     "recipients"):
            shown[name] = email
        shown["digest_time"] = self.kind_checks[rules.DIGEST].isChecked()
        for name, visible in shown.items():
            self.form.setRowVisible(self.fields[name], visible)

    def _default_port(self, *_args: Any) -> None:
        ports = {"ssl": 465, "starttls": 587, "none": 25}
        if self.port_spin.value() in ports.values():
            self.port_spin.setValue(ports[str(self.security_combo.currentData())])

    def _load(self) -> None:
        channel = self.channel
        settings = channel.settings if channel else {}
        self.name_edit.setText(channel.name if channel else "")
        self.kind_combo.setCurrentIndex(
            max(0, self.kind_combo.findData(channel.kind if channel else rules.WECOM)))
        self.active_check.setChecked(channel.is_active if channel else True)
        self.url_edit.setText(str(settings.get("url", "")))
        self.secret_edit.setText(str(settings.get("secret", "")))
        self.body_edit.setPlainText(str(settings.get("body", rules.DEFAULT_BODY)))
        self.host_edit.setText(str(settings.get("host", "")))
        self.port_spin.setValue(int(settings.get("port", 465)))
        self.security_combo.setCurrentIndex(
            max(0, self.security_combo.findData(settings.get("security", "ssl"))))
        self.username_edit.setText(str(settings.get("username", "")))
        self.password_edit.setText(str(settings.get("password", "")))
        self.sender_edit.setText(str(settings.get("sender", "")))
        self.recipients_edit.setText(", ".join(settings.get("recipients", [])))
        kinds = channel.kinds if channel else (rules.SOON, rules.DUE, rules.OVERDUE)
        for kind, check in self.kind_checks.items():
            check.setChecked(kind in kinds)
        hour, minute = str(settings.get("digest_time", "08:00")).split(":")
        self.digest_edit.setTime(QTime(int(hour), int(minute)))
        chosen = set(channel.projects if channel else ())
        for row in range(self.project_list.count()):
            item = self.project_list.item(row)
            if item.data(ID_ROLE) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self.template_edit.setPlainText(channel.template if channel
                                        else rules.DEFAULT_TEMPLATE)

    def data(self) -> dict[str, Any]:
        settings: dict[str, Any] = {"url": self.url_edit.text(),
                                    "secret": self.secret_edit.text(),
                                    "body": self.body_edit.toPlainText(),
                                    "digest_time": self.digest_edit.time().toString("HH:mm")}
        if self.kind() == rules.EMAIL:
            settings = {"host": self.host_edit.text(), "port": self.port_spin.value(),
                        "security": self.security_combo.currentData(),
                        "username": self.username_edit.text(),
                        "password": self.password_edit.text(),
                        "sender": self.sender_edit.text(),
                        "recipients": self.recipients_edit.text(),
                        "digest_time": settings["digest_time"]}
        projects = [self.project_list.item(r).data(ID_ROLE)
                    for r in range(self.project_list.count())
                    if self.project_list.item(r).checkState() == Qt.CheckState.Checked]
        data: dict[str, Any] = {
            "name": self.name_edit.text(), "kind": self.kind(), "settings": settings,
            "kinds": [k for k, check in self.kind_checks.items() if check.isChecked()],
            "projects": projects, "template": self.template_edit.toPlainText(),
            "is_active": self.active_check.isChecked()}
        if self.channel is not None:
            data["id"] = self.channel.id
        return data

    def accept(self) -> None:
        try:
            self.saved = self.services.notify.save_channel(self.data())
        except DomainError as exc:
            label = self.labels.get(exc.field)
            name = label.text().replace("&", "").rstrip(":").rstrip(":") if label else None
            self.error.setText(messages.say(exc, name))
            self.error.show()
            widget = self.fields.get(exc.field)
            if widget is not None:
                widget.setFocus()
            return
        super().accept()


# -- 投递记录 ---------------------------------------------------------------------------------


class DeliveryLogModel(QAbstractTableModel):
    """The newest outbox rows (at most ``LOG_ROWS``), newest first."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: list[dict[str, Any]] = []

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.services.notify.outbox_page(LOG_ROWS)
        self.endResetModel()

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Channel"), self.tr("Kind"), self.tr("What"),
                self.tr("Status"), self.tr("Attempts"), self.tr("Server's answer")]

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return clock.format_wire(row["sent_at"] or row["created"])
        if column == 1:
            return row["channel_name"] or self.tr("(removed)")
        if column == 2:
            return message_kind_label(row["kind"])
        if column == 3:
            return _what(row["payload"])
        if column == 4:
            return status_label(row["status"])
        if column == 5:
            return str(row["attempts"])
        return row["answer"]


def _what(payload: str) -> str:
    try:
        data = json.loads(payload)
    except ValueError:
        return ""
    if data.get("kind") == rules.DIGEST:
        return str(len(data.get("tasks", [])))
    return f"{data.get('project_name', '')} · {data.get('object_name', '')}"


class DeliveryLogDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DeliveryLogModel(services, self)
        layout = QVBoxLayout(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.summary = role_label(self, "hint")
        row.addWidget(self.summary, 1)
        self.refresh_button = QPushButton(icon("refresh"), "", self)
        self.refresh_button.clicked.connect(self.reload)
        row.addWidget(self.refresh_button)
        self.close_button = QPushButton("", self)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.setWindowTitle(self.tr("Delivery log"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.close_button.setText(self.tr("Close"))
        self.reload()
        fit_to_screen(self, 980, 560)

    def reload(self) -> None:
        self.model.reload()
        widths = (150, 120, 80, 220, 80, 70)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        failed = sum(1 for r in self.model.rows if r["status"] == "failed")
        waiting = sum(1 for r in self.model.rows if r["status"] == "pending")
        self.summary.setText(self.tr("%1 messages shown; %2 waiting, %3 failed")
                             .replace("%1", str(len(self.model.rows)))
                             .replace("%2", str(waiting)).replace("%3", str(failed)))
