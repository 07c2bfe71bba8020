"""Settings: language, start at login, reminders, notification channels, the API server, the
data folder, the database (``database_settings``) and backups.

Values persist through ``AppSettings``. The API rule "an address other than 127.0.0.1 needs a
token" is the API server's own check (``api.server.check_bind``), shown next to the token
field, and OK stays disabled while it fails; so are the allowed host names and web origins
(``api.callers``, spec §1.1). The backups section lists, makes and restores the database's
copies through ``services.backups``; in team mode (``backups.applies`` false) it only says
why there are none. Start at login is the desktop's own autostart entry
(``desktop.autostart_for_platform``), so what the Windows installer set shows here too.
"""

from __future__ import annotations

import logging
import secrets
import textwrap
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui import desktop
from mixtimer_gui.domain import clock
from mixtimer_gui.gui.database_settings import DatabaseBox
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.notify_dialogs import ChannelsBox
from mixtimer_gui.gui.operator import apply_operator, os_user
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.gui.settings import AppSettings, split_list
from mixtimer_gui.gui.widgets import role_label, sized_to_items
from mixtimer_gui.paths import default_db_path
from mixtimer_gui.services import Services
from mixtimer_gui.services.errors import StoreError

log = logging.getLogger(__name__)

LANGUAGE_NAMES = (("zh_CN", "中文"), ("en", "English"))
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def bind_problem(bind: str, token: str) -> str:
    """The API server's refusal for this bind/token pair, or ``""``."""
    from mixtimer_gui.api.server import check_bind  # waitress loads with the dialog only

    try:
        check_bind(bind.strip(), token.strip() or None)
    except ValueError as exc:
        return str(exc)
    return ""


def callers_problem(hosts: str, origins: str) -> str:
    """The API server's refusal of these allowed hosts and origins, or ``""``."""
    from mixtimer_gui.api.callers import Callers

    try:
        Callers.of(split_list(hosts), split_list(origins))
    except ValueError as exc:
        return str(exc)
    return ""


def _form_setup(form: QFormLayout) -> None:
    # Spin boxes and combos keep their natural width; only text fields stretch.
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, services: Services,
                 parent: QWidget | None = None, *,
                 autostart: desktop.Autostart | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.services = services
        # None where the desktop has no autostart the app knows (the box is hidden then).
        self.autostart = autostart if autostart is not None else (
            desktop.autostart_for_platform())
        self.language_changed = False
        self.backups = services.backups  # tests may stand in for it
        self.setWindowIcon(icon("settings"))
        self.setMinimumWidth(640)
        self._build()
        self._load()
        self.retranslate()
        self._validate()
        self._fit()

    # -- layout -----------------------------------------------------------------------------

    def _scrolled_body(self) -> QVBoxLayout:
        """The sections' column, in a scroll area: on a small screen the dialog is as tall
        as the screen allows and the sections scroll; OK and Cancel below stay in reach."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 16, 12)
        outer.setSpacing(8)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget(self.scroll)
        self.scroll.setWidget(self.body)
        outer.addWidget(self.scroll, 1)
        root = QVBoxLayout(self.body)
        root.setContentsMargins(16, 16, 0, 4)
        root.setSpacing(10)
        return root

    def _fit(self) -> None:
        """As tall as the sections, or as the screen allows (then they scroll, as they do
        when a message appears under the token)."""
        self.layout().activate()
        height = (self.body.sizeHint().height() + self.buttons.sizeHint().height()
                  + self.layout().spacing() + 12 + 24)
        width = max(680, self.body.sizeHint().width() + self.scroll.verticalScrollBar()
                    .sizeHint().width() + 16)
        fit_to_screen(self, width, height)

    def _build(self) -> None:
        root = self._scrolled_body()

        self.general_box = QGroupBox(self)
        general = QFormLayout(self.general_box)
        _form_setup(general)
        self.language_combo = sized_to_items(QComboBox(self.general_box))
        self.language_combo.setMinimumWidth(160)
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        self.language_label = QLabel(self.general_box)
        self.language_label.setBuddy(self.language_combo)
        general.addRow(self.language_label, self.language_combo)
        self.operator_combo = QComboBox(self.general_box)
        self.operator_combo.setEditable(True)  # chosen from the people, or typed
        self.operator_combo.setMinimumWidth(160)
        self.operator_label = QLabel(self.general_box)
        self.operator_label.setBuddy(self.operator_combo)
        general.addRow(self.operator_label, self.operator_combo)
        self.autostart_check = QCheckBox(self.general_box)
        self.autostart_check.setVisible(self.autostart is not None)
        general.addRow(self.autostart_check)
        self.autostart_error = role_label(self.general_box, "error", wrap=True)
        self.autostart_error.hide()
        general.addRow(self.autostart_error)
        root.addWidget(self.general_box)

        self.reminder_box = QGroupBox(self)
        reminder = QFormLayout(self.reminder_box)
        _form_setup(reminder)
        self.repeat_spin = QSpinBox(self.reminder_box)
        self.repeat_spin.setRange(1, 24 * 30)
        self.repeat_spin.setMinimumWidth(110)
        self.repeat_label = QLabel(self.reminder_box)
        self.repeat_label.setBuddy(self.repeat_spin)
        reminder.addRow(self.repeat_label, self.repeat_spin)
        root.addWidget(self.reminder_box)
        self.channels_box = ChannelsBox(self.services, self)  # 通知渠道 (#18)
        root.addWidget(self.channels_box)

        self.api_box = QGroupBox(self)
        api_column = QVBoxLayout(self.api_box)
        api = QFormLayout()
        _form_setup(api)
        api_column.addLayout(api)
        self.api_enabled_check = QCheckBox(self.api_box)
        api.addRow(self.api_enabled_check)
        self.port_spin = QSpinBox(self.api_box)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setMinimumWidth(110)
        self.port_label = QLabel(self.api_box)
        self.port_label.setBuddy(self.port_spin)
        api.addRow(self.port_label, self.port_spin)
        self.bind_edit = QLineEdit(self.api_box)
        self.bind_label = QLabel(self.api_box)
        self.bind_label.setBuddy(self.bind_edit)
        api.addRow(self.bind_label, self.bind_edit)
        token_row = QHBoxLayout()
        self.token_edit = QLineEdit(self.api_box)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.generate_button = QPushButton(self.api_box)
        self.generate_button.clicked.connect(self._generate_token)
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.generate_button)
        self.token_label = QLabel(self.api_box)
        self.token_label.setBuddy(self.token_edit)
        api.addRow(self.token_label, token_row)
        self.hosts_edit = QLineEdit(self.api_box)
        self.hosts_label = QLabel(self.api_box)
        self.hosts_label.setBuddy(self.hosts_edit)
        api.addRow(self.hosts_label, self.hosts_edit)
        self.origins_edit = QLineEdit(self.api_box)
        self.origins_label = QLabel(self.api_box)
        self.origins_label.setBuddy(self.origins_edit)
        api.addRow(self.origins_label, self.origins_edit)
        self.api_error = role_label(self.api_box, "error")
        self.api_error.hide()
        api_column.addWidget(self.api_error)
        self.api_hint = role_label(self.api_box, "hint", wrap=True)
        api_column.addWidget(self.api_hint)
        root.addWidget(self.api_box)

        self.data_box = QGroupBox(self)
        data = QVBoxLayout(self.data_box)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel(self.data_box)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton(icon("folder"), "", self.data_box)
        self.open_folder_button.clicked.connect(self.open_data_folder)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        data.addLayout(folder_row)
        root.addWidget(self.data_box)

        today = datetime.fromtimestamp(self.services.clock.now(), clock.local_zone()).date()
        self.database_box = DatabaseBox(self.settings, self.services, today, self)
        root.addWidget(self.database_box)

        self.backup_box = QGroupBox(self)
        backup = QVBoxLayout(self.backup_box)
        self.backup_list = QListWidget(self.backup_box)
        self.backup_list.setMaximumHeight(130)
        backup.addWidget(self.backup_list)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(icon("backup"), "", self.backup_box)
        self.restore_button = QPushButton(icon("restore"), "", self.backup_box)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_backup)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backup.addLayout(buttons)
        self.backup_status = role_label(self.backup_box, "hint", wrap=True)
        backup.addWidget(self.backup_status)
        root.addWidget(self.backup_box)
        if not self.backups.applies:  # team mode: the server's database, pg_dump's job
            for widget in (self.backup_list, self.backup_button, self.restore_button):
                widget.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        root.addStretch(1)
        self.layout().addWidget(self.buttons)

        for signal in (self.bind_edit.textChanged, self.token_edit.textChanged,
                       self.hosts_edit.textChanged, self.origins_edit.textChanged,
                       self.api_enabled_check.toggled):
            signal.connect(self._validate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.general_box.setTitle(self.tr("General"))
        self.language_label.setText(self.tr("&Language:"))
        self.language_combo.setToolTip(self.tr("Applied at once to most of the window; "
                                               "everywhere after a restart."))
        self.operator_label.setText(self.tr("Op&erator:"))
        self.operator_combo.setToolTip(self.tr("Who works at this workstation: every record "
                                               "written here carries this person."))
        self.autostart_check.setText(self.tr("Start &automatically at login (in the tray)"))
        self.autostart_check.setToolTip(self.tr("Reminders only come while MixTimer runs."))
        self.reminder_box.setTitle(self.tr("Reminders"))
        self.repeat_label.setText(self.tr("Remind again about &overdue tasks every:"))
        self.repeat_spin.setSuffix(self.tr(" h"))
        self.api_box.setTitle(self.tr("Action API server"))
        self.api_enabled_check.setText(self.tr("&Serve the action API while the window is "
                                               "open"))
        self.port_label.setText(self.tr("&Port:"))
        self.bind_label.setText(self.tr("&Bind address:"))
        self.bind_edit.setPlaceholderText("127.0.0.1")
        self.token_label.setText(self.tr("To&ken:"))
        self.token_edit.setPlaceholderText(self.tr("required for any address but 127.0.0.1"))
        self.generate_button.setText(self.tr("&Generate"))
        self.hosts_label.setText(self.tr("Allowed &host names:"))
        self.hosts_edit.setPlaceholderText(self.tr("only 127.0.0.1, localhost and [::1]"))
        self.hosts_edit.setToolTip(self.tr(
            "Other names under which clients reach this server, separated by spaces, e.g. "
            "workstation.local. Requests naming any other host are refused."))
        self.origins_label.setText(self.tr("Allowed &web origins:"))
        self.origins_edit.setPlaceholderText(self.tr("none: web pages cannot call the API"))
        self.origins_edit.setToolTip(self.tr(
            "Web pages that may call the API from a browser, e.g. "
            "http://dashboard.local:8080. Pages of any other origin are refused."))
        self.api_hint.setText(self.tr("The server restarts with these settings when you press OK."))
        self.data_box.setTitle(self.tr("Data folder"))
        self.open_folder_button.setText(self.tr("Open in &file manager"))
        self.backup_box.setTitle(self.tr("Backups"))
        if not self.backups.applies:
            self.backup_status.setText(textwrap.fill(self.tr(
                "This database is on a PostgreSQL server, so the program keeps no file "
                "copies of it: back it up on the server with pg_dump (see Database above)."),
                70))
        self.database_box.retranslate()
        self.backup_button.setText(self.tr("Back &up now"))
        self.channels_box.retranslate()
        self.restore_button.setText(self.tr("&Restore…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- values -----------------------------------------------------------------------------

    def _load(self) -> None:
        s = self.settings
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(s.language)))
        self.autostart_check.setChecked(self.autostart is not None
                                        and self.autostart.is_enabled())
        self.repeat_spin.setValue(s.overdue_repeat_hours)
        self.operator_combo.clear()
        self.operator_combo.addItems([name for _id, name in self.services.handlers.names()])
        self.operator_combo.setCurrentText(self.services.ctx.actor.operator_name)
        # left empty, the OS user's name is the operator (gui.operator.apply_operator)
        self.operator_combo.lineEdit().setPlaceholderText(os_user())
        self._loaded_operator = self.operator_combo.currentText()
        self.api_enabled_check.setChecked(s.api_enabled)
        self.port_spin.setValue(s.api_port)
        self.bind_edit.setText(s.api_bind)
        self.token_edit.setText(s.api_token)
        self.hosts_edit.setText(" ".join(s.api_allowed_hosts))
        self.origins_edit.setText(" ".join(s.api_allowed_origins))
        self.folder_label.setText(str(self.data_folder()))
        self._load_backups()

    def data_folder(self) -> Path:
        return self.services.ctx.data_dir

    def _validate(self) -> bool:
        problem = (bind_problem(self.bind_edit.text() or "127.0.0.1", self.token_edit.text())
                   or callers_problem(self.hosts_edit.text(), self.origins_edit.text()))
        # Wrapped by hand: a word-wrapping QLabel's height-for-width squeezes the form rows.
        self.api_error.setText(textwrap.fill(problem, 56))
        self.api_error.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        return not problem

    def accept(self) -> None:
        if (not self._validate() or not self.database_box.apply()
                or not self._apply_autostart()):
            return
        s = self.settings
        language = self.language_combo.currentData()
        self.language_changed = language != s.language
        s.language = language
        s.overdue_repeat_hours = self.repeat_spin.value()
        # The running reminders (and a headless serve on the same file) read the repeat from
        # the database, so a change here must reach it now, not at the next start.
        self.services.reminders.set_repeat_hours(s.overdue_repeat_hours)
        self._apply_operator()
        s.api_enabled = self.api_enabled_check.isChecked()
        s.api_port = self.port_spin.value()
        s.api_bind = self.bind_edit.text() or "127.0.0.1"
        s.api_token = self.token_edit.text().strip()
        s.api_allowed_hosts = split_list(self.hosts_edit.text())
        s.api_allowed_origins = split_list(self.origins_edit.text())
        s.sync()
        super().accept()

    def _apply_operator(self) -> None:
        """A name chosen or typed becomes one of the people (if new) and the operator of
        every write from now on."""
        name = self.operator_combo.currentText().strip()
        if name == self._loaded_operator.strip():
            return  # untouched: OK for another setting registers nobody
        self.settings.operator_name = name
        apply_operator(self.services, name, register=bool(name))

    def _apply_autostart(self) -> bool:
        """Write or remove the autostart entry when the box changed it; ``False`` (and the
        reason under the box) when the desktop's entry could not be written."""
        if self.autostart is None:
            return True
        wanted = self.autostart_check.isChecked()
        try:
            if wanted == self.autostart.is_enabled():
                return True
            if wanted:
                self.autostart.enable(desktop.launch_command(self.database_argument()))
            else:
                self.autostart.disable()
        except OSError as exc:
            log.warning("changing start at login failed: %s", exc)
            self.autostart_error.setText(
                self.tr("Start at login could not be changed: %1").replace("%1", str(exc)))
            self.autostart_error.show()
            return False
        return True

    def database_argument(self) -> str | None:
        """The ``--db`` start at login passes: none for the default database."""
        location = self.services.location
        return None if location.is_database_file(default_db_path()) else str(location)

    def _generate_token(self) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal)
        self.token_edit.setText(secrets.token_urlsafe(24))

    def open_data_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder())))

    # -- backups ----------------------------------------------------------------------------

    def _load_backups(self) -> None:
        self.backup_list.clear()
        try:
            infos = self.backups.list()
        except (StoreError, OSError) as exc:  # a listing problem must not block the settings
            log.warning("listing backups failed: %s", exc)
            infos = []
        for info in infos[:50]:
            text = (f"{clock.format_wire(info.time)}   {info.kind}   "
                    f"{info.size / 1_048_576:.1f} MB")
            item = QListWidgetItem(icon("backup"), text)
            item.setData(PATH_ROLE, str(info.path))
            item.setToolTip(str(info.path))
            self.backup_list.addItem(item)
        if self.backup_list.count():
            self.backup_list.setCurrentRow(0)
        self.restore_button.setEnabled(True)

    def backup_now(self) -> Path | None:
        try:
            path = self.backups.back_up_now(self.services.clock.now())
        except (StoreError, OSError) as exc:  # BackupError has a sentence for the user
            self.backup_status.setText(str(exc))
            return None
        self.backup_status.setText(self.tr("Backed up to %1").replace("%1", str(path)))
        self._load_backups()
        return path

    def restore_backup(self) -> None:
        item = self.backup_list.currentItem()
        path = item.data(PATH_ROLE) if item is not None else ""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Choose a backup"), str(self.backups.folder),
                self.tr("Databases (*.db);;All files (*)"))
            if not path:
                return
        answer = QMessageBox.question(
            self, self.tr("Restore backup"),
            self.tr("Replace the current data with the backup\n%1?\n\nThe current database "
                    "is kept in the backups folder.").replace("%1", str(path)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_from(Path(path))

    def restore_from(self, path: Path) -> bool:
        """Swap ``path`` in (the lists hear that everything changed)."""
        try:
            kept = self.backups.restore(path)
        except (StoreError, OSError) as exc:  # BackupError / DatabaseInUseError: unchanged
            self.backup_status.setText(str(exc))
            return False
        self.backup_status.setText(self.tr("Restored. The previous data was kept as %1")
                                   .replace("%1", str(kept)))
        self._load_backups()
        return True
