"""处理 (handle) and 忽略 (ignore) a task.

The handle dialog collects the people who did the work (checkable list, "add" for a new
person), the fee, the result, a description and pictures (file chooser or drag & drop, shown as
thumbnails). On Save the pictures are copied into the data folder under safe names and the
handle is written through ``services.handles.handle``; a refused field shows its message under
that field and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import checklists, clock, rules
from mixtimer_gui.domain.errors import DomainError, FieldError
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.checklist_widgets import ChecklistPanel
from mixtimer_gui.gui.form_dialog import FormDialog
from mixtimer_gui.gui.images import ImageViewer, ThumbnailList, file_thumbnail
from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.gui.widgets import AddLine, rich_text
from mixtimer_gui.services import Services
from mixtimer_gui.services import images as stored_images

HANDLER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FEE_LIMIT = 1e9
IMAGE_FILTER = "*.png *.jpg *.jpeg *.gif *.bmp *.webp"


def task_summary(task: dict[str, Any], now: int) -> str:
    """``<b>project</b> · object — status, due in words`` for a dialog's header (a
    whichever-first task: its earlier limit, and which one)."""
    parts = [humanize.status_label(task.get("status"))]
    words = humanize.with_due_by(humanize.due_in_words(humanize.due_moment(task), now), task)
    if words:
        parts.append(words)
    return (f"<b>{rich_text(task.get('project_name', ''))}</b> · "
            f"{rich_text(task.get('object_name', ''))}<br><span style='color:#5f6b73'>"
            f"{rich_text(' — '.join(parts))}</span>")


class HandlerPicker(QWidget):
    """A checkable list of the known handlers plus a line to add a new one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.list = QListWidget()
        self.list.setMinimumHeight(90)
        self.list.setMaximumHeight(160)
        self.new_edit = AddLine()
        self.new_edit.setPlaceholderText(self.tr("New person's name"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self.add_new)
        self.new_edit.returnPressed.connect(self.add_new)
        row = QHBoxLayout()
        row.addWidget(self.new_edit, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        checked = set(self.checked_ids())
        self.list.clear()
        for handler in self.services.handlers.list({"page_size": 1000, "order_by": "name"})[
                "data"]:
            self._add_item(handler["id"], handler["name"], handler["id"] in checked)

    def _add_item(self, handler_id: int, name: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setData(HANDLER_ID_ROLE, handler_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def add_new(self) -> None:
        """Register the typed name (or tick it, when that person exists already)."""
        name = self.new_edit.text().strip()
        if not name:
            return
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked)
                self.new_edit.clear()
                return
        created = self.services.handlers.create({"name": name})
        item = self._add_item(created["id"], created["name"], True)
        self.list.scrollToItem(item)
        self.new_edit.clear()

    def _checked_items(self) -> list[QListWidgetItem]:
        return [self.list.item(r) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]

    def check(self, ids: list[int]) -> None:
        """Tick the people with these ids (a record being corrected)."""
        wanted = {int(i) for i in ids}
        for row in range(self.list.count()):
            item = self.list.item(row)
            if int(item.data(HANDLER_ID_ROLE)) in wanted:
                item.setCheckState(Qt.CheckState.Checked)

    def checked_ids(self) -> list[int]:
        return [int(item.data(HANDLER_ID_ROLE)) for item in self._checked_items()]

    def checked_names(self) -> list[str]:
        return [item.text() for item in self._checked_items()]


class ImageAttachments(QWidget):
    """Pictures chosen for the handle (not copied until Save), as thumbnails."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbs = ThumbnailList(72)
        # Two rows of thumbnails at most, so the form fits a 1024×700 screen.
        self.thumbs.setMinimumHeight(112)
        self.thumbs.setMaximumHeight(150)
        self.thumbs.setAcceptDrops(False)  # the dialog takes the drops
        self.add_button = QPushButton(self.tr("Add pictures…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setEnabled(False)
        self.add_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.thumbs.opened.connect(self.preview)
        self.thumbs.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.thumbs.selectedItems())))
        hint = QLabel(self.tr("or drop picture files here"))
        hint.setStyleSheet("color: #6b7780;")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.thumbs)
        layout.addLayout(row)

    def preview(self, path: str) -> None:
        viewer = ImageViewer(Path(path), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()

    def choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Attach pictures"), "",
            self.tr("Pictures (%1)").replace("%1", IMAGE_FILTER))
        self.add_files([Path(f) for f in files])

    def add_files(self, paths: list[Path]) -> None:
        present = set(self.paths())
        for path in paths:
            if str(path) in present:
                continue
            present.add(str(path))
            self.thumbs.add_pixmap(file_thumbnail(path, 72), path.name, str(path))

    def remove_selected(self) -> None:
        for item in self.thumbs.selectedItems():
            self.thumbs.takeItem(self.thumbs.row(item))

    def paths(self) -> list[str]:
        return self.thumbs.paths()


class HandleDialog(FormDialog):
    """处理: record that a task was done."""

    def __init__(self, services: Services, task: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Handle task"), parent)
        self.services = services
        self.task = task
        self.saved_uid = ""
        self.setAcceptDrops(True)
        header = QLabel(task_summary(task, services.clock.now()))
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        header.setStyleSheet("padding-bottom: 6px;")
        self.form.addRow(header)
        self.handlers = HandlerPicker(services)
        self.fee_spin = QDoubleSpinBox()
        self.fee_spin.setRange(0, FEE_LIMIT)
        self.fee_spin.setDecimals(2)
        self.fee_spin.setGroupSeparatorShown(True)
        self.result_edit = QLineEdit()
        self.result_edit.setPlaceholderText(self.tr("e.g. Replaced the filter; all normal"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(80)
        self.attachments = ImageAttachments()
        self.checklist = ChecklistPanel(self._checklist_items())
        if self.checklist.items:
            # The checks come first: they are the job; who, fee and result sum it up.
            self.add_field("checklist_results", self.tr("Checklist"),
                           self._scrolled(self.checklist))
            self.field_widgets["checklist_results"] = self.checklist.inputs[0]
        self.done_at = DoneAtEdit(services.clock.now())
        self.done_at.setToolTip(self.tr("When the work was done; the next cycle starts "
                                        "then."))
        self.add_field("handled_at", self.tr("Done at"), self.done_at)
        self.add_field("handler_name_list", self.tr("Done by"), self.handlers)
        self.add_field("fee", self.tr("Fee"), self.fee_spin)
        self.add_field("result", self.tr("Result"), self.result_edit)
        self.add_field("description", self.tr("Description"), self.description_edit)
        self.add_field("images", self.tr("Pictures"), self.attachments)
        self.alias_field("handler_id_list", "handler_name_list")
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Handle"))
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        fit_to_screen(self, 560, 640 + len(self.checklist.items) * 34)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.checklist.inputs and not event.spontaneous():
            self.checklist.inputs[0].setFocus()  # the checks are the job: start there

    def _checklist_items(self) -> list[dict[str, Any]]:
        """The task's project's checklist as it is now (the record keeps a copy)."""
        try:
            project = self.services.projects.get({"uid": self.task.get("project_id", "")})
        except DomainError:
            return []
        return list(project.get("checklist") or [])

    def _scrolled(self, panel: QWidget) -> QWidget:
        """The checklist scrolls inside the dialog, which must fit a 1024×700 screen: at
        least three items in sight, all of them where the screen has room."""
        if len(self.checklist.items) <= 3:
            return panel
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(panel)
        row = panel.sizeHint().height() / len(self.checklist.items)
        area.setMinimumHeight(int(3 * row))
        area.setMaximumHeight(panel.sizeHint().height() + 2)
        return area

    # -- drag & drop of picture files -----------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event)
        if paths:
            self.attachments.add_files(paths)
            event.acceptProposedAction()

    # -- saving ---------------------------------------------------------------------------

    def payload(self, images: str = "") -> dict[str, Any]:
        return {"task_id": self.task["uid"],
                "handler_id_list": self.handlers.checked_ids(),
                "handler_name_list": self.handlers.checked_names(),
                "fee": self.fee_spin.value(), "result": self.result_edit.text(),
                "description": self.description_edit.toPlainText(), "images": images,
                "handled_at": self.done_at.wire_time(),
                "checklist_results": self.checklist.results()}

    def save(self) -> None:
        # Check the fields before copying pictures, so a refused form leaves no files behind
        # (the done-at time against the task and the checklist against the project's items
        # too: a dry run of the whole rule).
        checklists.evaluate(rules.handle_input(self.payload()).checklist_results,
                            self.checklist.items)
        self.services.handles.check_handled_at(self.payload())
        images = stored_images.join_names(self._store_pictures())
        self.saved_uid = self.services.handles.handle(self.payload(images))["uid"]

    def _store_pictures(self) -> list[str]:
        paths = self.attachments.paths()
        if not paths:
            return []
        data_dir = self.services.ctx.data_dir
        if data_dir is None:
            raise FieldError(self.tr("Pictures cannot be stored: this database has no data "
                                     "folder."), "images")
        return self.services.images.attach(paths)


class DoneAtEdit(QDateTimeEdit):
    """完成时间: when the work was done, to the minute; ``now`` until the user changes it,
    and then no time is sent at all (the handle takes the moment it is saved)."""

    def __init__(self, now: int, parent: QWidget | None = None) -> None:
        super().__init__(QDateTime.fromSecsSinceEpoch(now - now % 60), parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self._initial = self.dateTime()

    def wire_time(self) -> str:
        """The chosen moment as wire text, ``""`` when left at now."""
        if self.dateTime() == self._initial:
            return ""
        return clock.format_wire(self.dateTime().toSecsSinceEpoch())

    def set_moment(self, moment: int) -> None:
        self.setDateTime(QDateTime.fromSecsSinceEpoch(moment))


class EditHandleDialog(FormDialog):
    """编辑: correct what a record says (who, fee, result, description); never its task,
    its times or the cycle."""

    def __init__(self, services: Services, record: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Edit record"), parent)
        self.services = services
        self.record = record
        header = QLabel(f"<b>{rich_text(record.get('project_name', ''))}</b> · "
                        f"{rich_text(record.get('object_name', ''))} — "
                        f"{rich_text(record.get('handled_at') or record.get('created', ''))}")
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        self.form.addRow(header)
        self.handlers = HandlerPicker(services)
        self.handlers.check(record.get("handler_id_list") or [])
        self.fee_spin = QDoubleSpinBox()
        self.fee_spin.setRange(0, FEE_LIMIT)
        self.fee_spin.setDecimals(2)
        self.fee_spin.setValue(float(record.get("fee") or 0))
        self.result_edit = QLineEdit(record.get("result") or "")
        self.description_edit = QPlainTextEdit(record.get("description") or "")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(80)
        self.add_field("handler_name_list", self.tr("Done by"), self.handlers)
        self.add_field("fee", self.tr("Fee"), self.fee_spin)
        self.add_field("result", self.tr("Result"), self.result_edit)
        self.add_field("description", self.tr("Description"), self.description_edit)
        self.alias_field("handler_id_list", "handler_name_list")
        explain = QLabel(self.tr("The task, the times and the cycle stay as they are; the "
                                 "change is kept in the history."))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #5f6b73;")
        self.form.addRow(explain)
        fit_to_screen(self, 520, 520)

    def save(self) -> None:
        self.services.handles.update({
            "uid": self.record["uid"],
            "handler_id_list": self.handlers.checked_ids(),
            "handler_name_list": self.handlers.checked_names(),
            "fee": self.fee_spin.value(), "result": self.result_edit.text(),
            "description": self.description_edit.toPlainText()})


class VoidDialog(FormDialog):
    """作废: withdraw a mistaken record; the task goes back to where it was before it."""

    def __init__(self, services: Services, record: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Void record"), parent)
        self.services = services
        self.record = record
        explain = QLabel(self.tr("The record stays, marked as voided, and leaves lists, "
                                 "on-time rates and fee totals. The task returns to the "
                                 "cycle it was in before this record. Only a task's latest "
                                 "record can be voided."))
        explain.setWordWrap(True)
        self.form.addRow(explain)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("Why is this record wrong?"))
        self.reason_edit.setFixedHeight(90)
        self.add_field("reason", self.tr("Reason"), self.reason_edit)
        self.alias_field("uid", "reason")
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Void"))
        self.reason_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def save(self) -> None:
        self.services.handles.void({"uid": self.record["uid"],
                                    "reason": self.reason_edit.toPlainText()})


class IgnoreDialog(FormDialog):
    """忽略: skip this cycle, with the reason written into the record."""

    def __init__(self, services: Services, task: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ignore this cycle"), parent)
        self.services = services
        self.task = task
        self.saved_uid = ""
        header = QLabel(task_summary(task, services.clock.now()))
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        self.form.addRow(header)
        explain = QLabel(self.tr("The task's next cycle starts now, as after a handle. The "
                                 "record is kept with the result \u201cIgnored\u201d."))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #5f6b73;")
        self.form.addRow(explain)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("Why is this cycle skipped?"))
        self.reason_edit.setFixedHeight(100)
        self.add_field("description", self.tr("Reason"), self.reason_edit)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Ignore"))
        self.reason_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def save(self) -> None:
        # The reason is optional, as for v2_handle_ignore; the placeholder asks for one.
        self.saved_uid = self.services.handles.ignore(
            {"task_id": self.task["uid"],
             "description": self.reason_edit.toPlainText().strip()})["uid"]


def _local_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
