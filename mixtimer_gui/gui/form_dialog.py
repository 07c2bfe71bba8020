"""``FormDialog``: the one way a form shows what the rules say.

A form never checks rules itself: it sends what was typed to the service (or to the rule the
service uses), and a ``DomainError`` comes back naming the wire field; the message is shown
under that field's widget, which the theme outlines (``mark_invalid``), and nothing is
saved. An error that names no field of the form is shown in the banner on top. The API gets
the same message for the same input; the window says it with the field's name
(``messages.say``).

A form may also check as the user types (``validate_live``): then Save is enabled only while
the rule passes, a broken rule shows under its field once the user has touched that field
(or pressed Save), and before that it is said quietly beside the buttons, so a new form does
not open in red.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.debounce import Debouncer
from mixtimer_gui.gui.messages import say
from mixtimer_gui.gui.screens import client_room

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #607d8b;"
BANNER_STYLE = "background: #fde2e1; color: #b3261e; padding: 6px 8px; border-radius: 4px;"
LIVE_DELAY_MS = 150
# "&Name:", "名称(&N):" → "Name", "名称": a caption as a sentence names the field.
_MNEMONIC = re.compile(r"\(&\w\)|&(?=\w)")


def caption_name(caption: str) -> str:
    """A form's caption without its mnemonic and colon."""
    return _MNEMONIC.sub("", caption).strip().rstrip(":\uff1a").strip()


def error_line(parent: QWidget | None = None) -> QLabel:
    """A hidden, wrapping red line for a message under a widget."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline ``widget`` as refused (the theme's ``[invalid="true"]``) or not."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FormDialog(QDialog):
    """A dialog whose rows are bound to wire field names.

    Subclasses add rows with ``add_field`` (to ``self.form``, or to a form layout of their
    own) and implement ``save()`` (call the service; may raise ``DomainError``). ``submit()``
    (Save) runs ``save`` and either accepts or shows the error. ``build_content`` may give
    a body of the subclass's own instead of the one form column.

    ``NAMES_FROM_CAPTIONS``: a sentence names a field by its caption on this form ("Reason
    is too long"); a form whose captions are no names ("Every:") says the window's name for
    the field instead (``messages.field_label``).
    """

    NAMES_FROM_CAPTIONS = True

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.error_labels: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}
        self.captions: dict[str, QLabel] = {}
        self._names: dict[str, str] = {}
        self._live_rule: Callable[[], object] | None = None
        self._live_check: Debouncer | None = None
        self._touched: set[str] = set()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        content = self.build_content()
        if content is None:
            layout.addLayout(self.form)
            layout.addStretch(1)
        else:
            layout.addLayout(content, 1)
        # Made after the content, so that the fields come first in the focus chain.
        self.note = QLabel()  # a live check's quiet word, beside the buttons
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        self.note.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    def build_content(self) -> QLayout | None:
        """The form's body, when it is more than ``self.form``'s one column (called while
        the dialog is being made, before its buttons)."""
        return None

    # -- rows -----------------------------------------------------------------------------

    def add_field(self, field: str, label: str, widget: QWidget, hint: str = "", *,
                  form: QFormLayout | None = None, row: QWidget | None = None) -> QWidget:
        """A row for wire field ``field`` in ``form`` (the dialog's own by default): the
        caption (its mnemonic leads to ``widget``), ``row`` (``widget`` and what goes with
        it, e.g. a unit) or ``widget``, an optional hint, then the field's error line."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(row or widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: #6b7780;")
            column.addWidget(hint_label)
        column.addWidget(self.bind_field(field, widget))
        caption = QLabel(label)
        caption.setBuddy(widget)
        (form or self.form).addRow(caption, box)
        self.captions[field] = caption
        self._names[field] = caption_name(label)
        return widget

    def bind_field(self, field: str, widget: QWidget) -> QLabel:
        """Bind wire field ``field`` to ``widget``; its error line, for the caller to place
        when the field has no captioned row."""
        label = error_line()
        label.setObjectName(f"error_{field}")
        self.error_labels[field] = label
        self.field_widgets[field] = widget
        return label

    def alias_field(self, field: str, target: str, widget: QWidget | None = None) -> None:
        """Errors about ``field`` appear where ``target``'s do (outlining ``widget``, if
        given, instead of ``target``'s)."""
        self.error_labels[field] = self.error_labels[target]
        self.field_widgets[field] = widget or self.field_widgets[target]

    def set_caption(self, field: str, text: str) -> None:
        """The caption of ``field``'s row, in the current language."""
        self.captions[field].setText(text)
        self._names[field] = caption_name(text)

    def _name(self, field: str) -> str | None:
        return self._names.get(field) if self.NAMES_FROM_CAPTIONS else None

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, error: DomainError, *, focus: bool = True) -> None:
        """``error`` under its field (outlined, focused), or in the banner."""
        label = self.error_labels.get(error.field)
        if label is None:
            self.banner.setText(say(error))
            self.banner.show()
            self._fit()
            return
        label.setText(say(error, self._name(error.field)))
        label.show()
        widget = self.field_widgets[error.field]
        mark_invalid(widget, True)
        if focus:  # a refused Save: to the field, with room for the message
            widget.setFocus()
            self._fit()

    def _fit(self) -> None:
        """Grow to make room for a message that appeared (a fixed size would overlap it)."""
        layout = self.layout()
        layout.activate()
        # Wrapped labels make the height depend on the width, which the minimum size ignores.
        height = max(layout.totalMinimumSize().height(),
                     layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                     else 0)
        height = min(height, client_room(self).height())  # never past the screen's edge
        if self.height() < height:
            self.resize(self.width(), height)

    def clear_errors(self) -> None:
        self.banner.hide()
        self.banner.clear()
        self.note.hide()
        self.note.clear()
        for label in self.error_labels.values():
            label.hide()
            label.clear()
        for widget in self.field_widgets.values():
            mark_invalid(widget, False)

    def error_text(self, field: str) -> str:
        """The message shown for ``field`` ("" if none); the banner for ``""``."""
        label = self.error_labels.get(field) if field else self.banner
        if label is None or label.isHidden():
            return ""
        return label.text()

    # -- checking as the user types -------------------------------------------------------

    def validate_live(self, rule: Callable[[], object], delay_ms: int = LIVE_DELAY_MS) -> None:
        """Check ``rule`` (raises ``DomainError``) ``delay_ms`` after the last edit; fields
        report their edits through ``watch``."""
        self._live_rule = rule
        self._live_check = Debouncer(self.validate_now, delay_ms, self)

    def watch(self, field: str, *signals: SignalInstance) -> None:
        """Each of ``signals`` is an edit of ``field``."""
        for signal in signals:
            signal.connect(lambda *_args, f=field: self.edited(f))

    def edited(self, field: str) -> None:
        self._touched.add(field)
        if self._live_check is not None:
            self._live_check()

    def validate_now(self) -> bool:
        """Run the live check now; ``True`` when the rule passes (Save is enabled then)."""
        if self._live_rule is None:
            return True
        assert self._live_check is not None
        self._live_check.cancel()
        self.clear_errors()
        try:
            self._live_rule()
        except DomainError as exc:
            self._show_live_error(exc)
            self.save_button.setEnabled(False)
            return False
        self.save_button.setEnabled(True)
        return True

    def _show_live_error(self, error: DomainError) -> None:
        if error.field in self.error_labels and error.field not in self._touched:
            # An untouched field (the empty name of a new form): said quietly.
            self.note.setText(say(error, self._name(error.field)))
            self.note.show()
            return
        self.show_error(error, focus=False)

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        raise NotImplementedError

    def submit(self) -> bool:
        """Save: every field counts as touched; a refusal is shown and nothing is saved."""
        self._touched.update(self.error_labels)
        if not self.validate_now():
            error_field = next((f for f, label in self.error_labels.items()
                                if not label.isHidden()), None)
            if error_field is not None:
                self.field_widgets[error_field].setFocus()
            return False
        self.clear_errors()
        try:
            self.save()
        except DomainError as exc:
            self.show_error(exc)
            return False
        self.accept()
        return True
