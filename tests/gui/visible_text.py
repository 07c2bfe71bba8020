"""What a widget shows a user, as text: for tests that look for raw codes on screen.
Imported by name; no package."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QListView,
    QTextEdit,
    QWidget,
)

# Task and statistic uids: codes for machines, never what a supervisor should read.
RAW_UID = re.compile(r"(MTT|STATISTICS)\d{6,}")


def uid_like(text: str) -> bool:
    return RAW_UID.search(text or "") is not None


def visible_texts(root: QWidget) -> list[str]:
    """The texts of ``root``'s visible labels, buttons, combos, text panes and item views
    (every loaded row and header of them)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts.extend(_model_texts(widget))
    return [t for t in texts if t]


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    texts = []
    # A list model keeps columnCount private: a list view shows its one column.
    columns = 1 if isinstance(view, QListView) else model.columnCount()
    for column in range(columns):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
        for row in range(model.rowCount()):
            texts.append(str(model.index(row, column).data() or ""))
    return texts
