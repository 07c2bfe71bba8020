"""Small widgets and helpers the list tabs share.

A table view fit for a million rows bound to a ``PagedTableModel`` (fixed row heights, header
sorting in SQL, remembered column widths), a debounced search box, the filter bars and combos,
labels styled by role, and ``ListTab``: what every list tab does the same way (re-word on
a language change, keep the selection across a refresh, save and restore its table, run its
dialogs).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QShortcut,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.debounce import Debouncer
from mixtimer_gui.gui.settings import AppSettings
from mixtimer_gui.gui.table_model import Column, PagedTableModel
from mixtimer_gui.services import Services

log = logging.getLogger(__name__)

ROW_HEIGHT = 30
# The data of a filter combo's "all" item: text no stored value can hold (every field
# refuses NUL characters).
ANY = "\x00any"
SEARCH_DELAY_MS = 250


def make_table(model: PagedTableModel, object_name: str) -> QTableView:
    """A table view fit for a million rows: fixed row heights, no content-based sizing,
    sorting by the header re-queries in SQL (the model's ``sort``)."""
    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for number, column in enumerate(model.columns):
        view.setColumnWidth(number, column.width)
    # Not setSortingEnabled(True): it would sort by column 0 at once, dropping the default
    # order; the indicator shows the model's order and a click asks the model to re-query.
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    show_order(view, model)
    header.sortIndicatorChanged.connect(model.sort)
    return view


def show_order(view: QTableView, model: PagedTableModel) -> None:
    header = view.horizontalHeader()
    shown = model.column_of_order()
    header.blockSignals(True)
    if shown is None:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    else:
        header.setSortIndicator(*shown)
    header.blockSignals(False)


def selected_record(view: QTableView) -> dict[str, Any] | None:
    model = view.model()
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows or not isinstance(model, PagedTableModel):
        return None
    return model.record(rows[0].row())


def refresh_keeping_selection(view: QTableView, model: PagedTableModel) -> None:
    """Re-query; the selected record stays selected when it is still among the loaded rows
    (a new row on top shifts positions, so the selection follows the uid, not the row)."""
    before = selected_record(view)
    key = None if before is None else before.get("uid", before.get("id"))
    model.refresh()
    if key is None:
        return
    row = model.row_of_uid(key)
    if row is not None:
        current = view.selectionModel().selectedRows()
        if not current or current[0].row() != row:
            view.selectRow(row)


class AddLine(QLineEdit):
    """A line inside a form for adding one item to a list (a new person, a new object):
    Enter adds (``returnPressed``) and stops there. A plain ``QLineEdit`` lets the key go
    on to the dialog, whose default button then saved the whole form as well."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def search_box(placeholder: str, on_change: Callable[[], None],
               parent: QWidget) -> tuple[QLineEdit, Debouncer]:
    """A search line whose typing re-queries once the user pauses (Enter: at once)."""
    edit = QLineEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(200)
    debouncer = Debouncer(on_change, SEARCH_DELAY_MS, parent)
    edit.textChanged.connect(debouncer)
    edit.returnPressed.connect(debouncer.flush)
    return edit, debouncer


def statistic_unit(statistic: dict[str, Any]) -> str:
    """What a meter counts in, for "every 500 h": its unit, or its name when it has none."""
    return statistic.get("unit") or statistic.get("name") or ""


def statistic_records(services: Services) -> dict[str, dict[str, Any]]:
    """Every statistic by uid ({} when the list is refused)."""
    try:
        page = services.statistics.list({"page_size": 1000})
    except DomainError:
        return {}
    return {s["uid"]: s for s in page["data"]}


def statistic_units(services: Services) -> dict[str, str]:
    """``statistic_unit`` of every statistic by uid ({} when the list is refused)."""
    return {uid: statistic_unit(s) for uid, s in statistic_records(services).items()}


def statistic_title(statistic: dict[str, Any]) -> str:
    """"Compressor hours (h)": a statistic's name with its unit, for a sentence."""
    unit = statistic.get("unit") or ""
    return f"{statistic.get('name') or ''} ({unit})" if unit else statistic.get("name") or ""


def rich_text(text: str | None) -> str:
    """Plain text for a rich-text label: escaped (a name with ``<`` is shown, not parsed),
    line breaks kept."""
    return html.escape(text or "").replace("\n", "<br>")


def like_pattern(text: str) -> str:
    """The user's words as a LIKE pattern; their own % and _ match literally enough to be
    harmless (values travel as parameters, never pasted into SQL)."""
    return f"%{text.strip()}%"


def sized_to_items(combo: QComboBox) -> QComboBox:
    """A combo of a few fixed items (statuses, units, "All …"): as wide as its longest item,
    again whenever their words change. Sized once at first show (Qt's default), the English
    words cut after starting in Chinese ("Running and sto…")."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def fill_combo(combo: QComboBox, everything: str, items: list[tuple[str, Any]]) -> None:
    """Refill a filter combo, keeping the chosen value when it still exists."""
    chosen = combo.currentData() if combo.currentIndex() > 0 else ANY
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, ANY)
    for label, value in items:
        combo.addItem(label, value)
    index = combo.findData(chosen)
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)


Choices = Callable[[], list[tuple[str, Any]]]


class ChoiceCombo(QComboBox):
    """A filter combo ("All …" first) whose choices load on first need: when it pops up or
    takes a key or the wheel, or (``fill_on_show``) once its tab has first shown. 6,100
    objects and every project at window start cost more than the rest of the start, and a
    combo of 6,100 objects holds ~10 MiB (DESIGN §6): long lists wait for the popup.

    ``choices()`` returns ``(label, value)`` pairs; a failure leaves the combo at "All"."""

    def __init__(self, choices: Choices, parent: QWidget | None = None, *,
                 fill_on_show: bool = True) -> None:
        super().__init__(parent)
        self._choices = choices
        self.fill_on_show = fill_on_show
        self.filled = False
        self.addItem("", ANY)
        # Sized by a typical name, not by measuring thousands of items.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)

    def ensure_filled(self) -> None:
        if not self.filled:
            self.reload()

    def reload(self) -> None:
        try:
            items = self._choices()
        except Exception:  # a failed picker must not take the tab down
            log.exception("filter choices failed")
            return
        fill_combo(self, self.itemText(0), items)
        self.filled = True

    def reload_if_filled(self) -> None:
        """A project/object/person changed: refresh choices already shown (else: later)."""
        if self.filled:
            self.reload()

    def select_value(self, value: Any) -> bool:
        """Choose ``value`` (loading the choices first); ``False`` if it is not there."""
        self.ensure_filled()
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def showPopup(self) -> None:
        self.ensure_filled()
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.ensure_filled()
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.ensure_filled()
        super().wheelEvent(event)


def fill_when_shown(tab: QWidget, combos: Callable[[], list[ChoiceCombo]]) -> None:
    """After ``tab`` first shows (its first page painted), fill its choice combos."""
    def fill() -> None:
        for combo in combos():
            if combo.fill_on_show:
                combo.ensure_filled()

    QTimer.singleShot(0, tab, fill)


def filter_bar(*widgets: QWidget, stretch_after: int | None = None) -> QFrame:
    bar = QFrame()
    bar.setObjectName("filterBar")
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for number, widget in enumerate(widgets):
        row.addWidget(widget)
        if stretch_after is not None and number == stretch_after:
            row.addStretch(1)
    if stretch_after is None:
        row.addStretch(1)
    return bar


def retitle_columns(model: PagedTableModel, fresh: list[Column]) -> None:
    """Give the model's columns the titles of ``fresh`` (the same columns, translated now)."""
    for column, translated in zip(model.columns, fresh, strict=False):
        column.title = translated.title
    if fresh:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(fresh) - 1)


def save_table(settings: AppSettings, key: str, view: QTableView,
               splitter: QSplitter | None = None) -> None:
    model = view.model()
    settings.set_column_widths(key, [view.columnWidth(n) for n in range(model.columnCount())])
    if isinstance(model, PagedTableModel):
        settings.set_sort_order(key, model.order_by())
    if splitter is not None:
        settings.set_splitter_state(key, splitter.saveState())


def restore_table(settings: AppSettings, key: str, view: QTableView,
                  splitter: QSplitter | None = None) -> None:
    """Widths and sort order the user set last time; a saved list for other columns is
    ignored."""
    widths = settings.column_widths(key)
    if len(widths) == view.model().columnCount():
        for number, width in enumerate(widths):
            if width > 0:
                view.setColumnWidth(number, width)
    _restore_sorting(settings, key, view)
    if splitter is not None:
        state = settings.splitter_state(key)
        if not state.isEmpty():
            splitter.restoreState(state)


def _restore_sorting(settings: AppSettings, key: str, view: QTableView) -> None:
    model = view.model()
    saved = settings.sort_order(key)
    if not isinstance(model, PagedTableModel) or not saved or saved == model.order_by():
        return
    fields = {column.order_field() for column in model.columns}
    if saved.lstrip("-") not in fields:
        return  # a column that is no longer sortable (or a hand-edited file)
    model.set_order(saved)  # a refused order keeps the previous one
    show_order(view, model)


def role_label(parent: QWidget, role: str, *, wrap: bool = False) -> QLabel:
    """A label the theme styles by its role: "hint" (grey) or "error" (red)."""
    label = QLabel(parent)
    label.setProperty("role", role)
    if wrap:
        label.setWordWrap(True)
    return label


def count_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #5f6b73;")
    return label



def choices_of(names: Callable[[], list[tuple[Any, str]]]) -> Choices:
    """A ``ChoiceCombo``'s choices from a service's ``names()`` (``(value, name)`` pairs)."""
    return lambda: [(name, value) for value, name in names()]


def chosen_conditions(combos: Iterable[tuple[str, QComboBox]]) -> list[list]:
    """``[field, "=", value]`` for each filter combo that is not on its "All" item."""
    conditions = []
    for field, combo in combos:
        value = combo.currentData() if combo.currentIndex() > 0 else ANY
        if value != ANY:
            conditions.append([field, "=", value])
    return conditions


def search_conditions(text: str, fields: Iterable[str]) -> list[list]:
    """``where_or``: any of ``fields`` holds the words typed (nothing typed: no condition)."""
    text = text.strip()
    return [[field, "like", like_pattern(text)] for field in fields] if text else []


def add_shortcuts(widget: QWidget, *bindings: tuple[Any, Callable[[], Any]]) -> None:
    """Keys that work anywhere inside ``widget`` (its tab), not only in the focused child."""
    for keys, slot in bindings:
        shortcut = QShortcut(QKeySequence(keys), widget, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)


def add_action(widget: QWidget, text: str, slot: Any, *keys: QKeySequence) -> QAction:
    """An action on a table view: in its context menu, with shortcuts while it has focus."""
    action = QAction(text, widget)
    if keys:
        action.setShortcuts(list(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


def select_uid(view: QTableView, model: PagedTableModel, uid: str) -> bool:
    """Select the row of ``uid`` when it is among the loaded rows (a just-saved record);
    ``False`` when it is not."""
    row = model.row_of_uid(uid) if uid else None
    if row is None:
        return False
    view.selectRow(row)
    view.scrollTo(model.index(row, 0))
    return True


def draw_pill(painter: QPainter, rect: QRectF, text: str, background: QColor,
              foreground: QColor) -> None:
    """``text`` centred on a rounded ``background`` pill (the status and running badges)."""
    radius = rect.height() / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(rect, radius, radius)
    painter.setPen(foreground)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


Guidance = tuple[str, str, list[tuple[str, Callable[[], Any]]]]
TEXT_WIDTH = 520  # an empty list's words: a comfortable line, however wide the table


class EmptyState(QFrame):
    """Words over an empty table: what the list is for and buttons for the next step, or
    "no matches" with a button that clears the filters. It covers the rows (the header
    stays) and follows the viewport's size."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyState")
        self.setAutoFillBackground(False)
        self.title = QLabel(self)
        self.title.setProperty("role", "heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = QLabel(self)
        self.text.setProperty("role", "hint")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addStretch(1)
        for label in (self.title, self.text):  # as tall as their lines, no taller
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(6)
        column.addLayout(self._buttons)
        column.addStretch(2)
        self.buttons: list[QPushButton] = []
        view.viewport().installEventFilter(self)
        self.setGeometry(view.viewport().rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """Cover the rows; the text wrapped at a readable width, as tall as its lines (a
        centred wrapping label left to the layout gets the height of one line or two)."""
        self.setGeometry(self.parentWidget().rect())
        width = max(120, min(TEXT_WIDTH, self.width() - 40))
        self.text.setFixedWidth(width)
        # Measured by the font (QLabel.heightForWidth kept an earlier, narrower answer).
        lines = self.text.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), self.text.text())
        self.text.setFixedHeight(lines.height() + 4)

    def say(self, guidance: Guidance) -> None:
        """Show ``(title, text, [(button text, slot), …])``."""
        title, text, actions = guidance
        self.title.setText(title)
        self.text.setText(text)
        for button in self.buttons:
            self._buttons.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for label, slot in actions:
            button = QPushButton(label, self)
            button.clicked.connect(lambda _checked=False, act=slot: act())
            self._buttons.insertWidget(self._buttons.count() - 1, button)
            self.buttons.append(button)
        self._fit()
        self.show()
        self.raise_()


class ListTab(QWidget):
    """What the paged list tabs do alike: re-word themselves on a language change, keep the
    selected record across a refresh, remember their table (and splitter) in settings, run
    their dialogs and follow changes announced elsewhere.

    The names are the same on every tab: ``view`` over ``model``, the ``search`` box, the
    ``count`` line, ``<thing>_combo`` filters, ``refresh()``, ``focus_search()``; a subclass
    builds them, may set ``splitter``, and says in ``_show_selected`` what follows the
    selection (buttons, details). Its filter combos (``_choice_combos``; thousands of
    objects) fill once its first page has shown, or on use. ``REFRESH_WHILE_HIDDEN`` off:
    a change announced while the tab is hidden refreshes it when it shows again. With no
    rows, its ``empty_state`` says what the list is for and offers the next step.

    Signals:
        go_to_tab(str): the next step is on another tab (its key: "projects", "tasks").
    """

    go_to_tab = Signal(str)

    TABLE_KEY = ""
    REFRESH_WHILE_HIDDEN = True
    _shown_once = False
    _stale = False
    empty_state: EmptyState | None = None
    splitter: QSplitter | None = None
    view: QTableView
    model: PagedTableModel
    search: QLineEdit

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.bridge = bridge

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._show_empty_state()
        super().changeEvent(event)

    # -- an empty list says what it is for ------------------------------------------------

    def install_empty_state(self) -> None:
        """Words over the table whenever it has no rows (call once ``view`` and ``model``
        exist): the tab's ``empty_guidance`` when nothing is filtered, else "no matches"
        with a button that clears the filters."""
        self.empty_state = EmptyState(self.view)
        self.model.loaded.connect(self._show_empty_state)
        self.model.counting.connect(self._show_empty_state)
        self.model.searching.connect(self._hide_empty_state)
        self._show_empty_state()

    def empty_guidance(self) -> Guidance:
        """What the list holds and the next step: ``(title, text, [(button, slot)])``."""
        return ("", "", [])

    def no_matches_guidance(self) -> Guidance:
        return (self.tr("No matches"),
                self.tr("Nothing here matches the search and filters."),
                [(self.tr("Clear filters"), self.clear_filters)])

    def filters_active(self) -> bool:
        params = self.model.filter_params()
        return any(params[key] for key in ("where_and", "where_or", "where_in"))

    def clear_filters(self) -> None:
        """Show every record again: the search box emptied (tabs with more filters reset
        those too)."""
        self._clear_search()
        self._apply_filters()

    def _clear_search(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        debounce = getattr(self, "_search_debounce", None)
        if debounce is not None:
            debounce.cancel()

    def _apply_filters(self) -> None:
        raise NotImplementedError

    def is_empty(self) -> bool:
        """No row to show, as far as the count knows."""
        return self.model.total_known and self.model.rowCount() == 0

    def _show_empty_state(self, *_args: object) -> None:
        if self.empty_state is None:
            return
        if not self.is_empty():
            self.empty_state.hide()
            return
        self.empty_state.say(self.no_matches_guidance() if self.filters_active()
                             else self.empty_guidance())

    def _hide_empty_state(self) -> None:
        if self.empty_state is not None:
            self.empty_state.hide()

    def save_state(self, settings: AppSettings) -> None:
        save_table(settings, self.TABLE_KEY, self.view, self.splitter)

    def restore_state(self, settings: AppSettings) -> None:
        restore_table(settings, self.TABLE_KEY, self.view, self.splitter)

    def refresh(self) -> None:
        self._stale = False
        refresh_keeping_selection(self.view, self.model)
        self._rows_changed()

    def refresh_live(self) -> None:
        """A change was announced elsewhere (``LiveRefresh`` calls this)."""
        if self.REFRESH_WHILE_HIDDEN or self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _rows_changed(self) -> None:
        """After a refresh or a new filter: the rows may differ, so may the selection."""
        self._show_selected()

    def _show_selected(self, *_args: object) -> None:
        """Bring what depends on the selection (buttons, details) up to date."""

    def _choice_combos(self) -> list[ChoiceCombo]:
        return []

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally; once accepted, refresh and select the record it saved
        (``saved_uid``). Tests replace ``dialog.exec`` to drive it without a loop."""
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.refresh()
            select_uid(self.view, self.model, getattr(dialog, "saved_uid", "") or "")
        return accepted

    def _reload_choices(self) -> None:
        """A project/object/person changed: refresh the choices already loaded."""
        for combo in self._choice_combos():
            combo.reload_if_filled()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        if not self._shown_once:
            self._shown_once = True
            if self._choice_combos():
                fill_when_shown(self, self._choice_combos)
