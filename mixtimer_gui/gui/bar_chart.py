"""A small bar chart drawn with QPainter: vertical bars (fees per month) or horizontal bars
(on-time rate per project). No QtCharts dependency; a chart of 12–30 bars needs none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mixtimer_gui.gui.theme import ACCENT, MUTED


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str | None = None
    tooltip: str = ""


class BarChart(QWidget):
    """``set_bars`` then it paints; ``value_text`` formats the number shown on each bar."""

    def __init__(self, *, horizontal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self._bars: list[Bar] = []
        self._max: float | None = None
        self._empty_text = ""
        self.value_text: Callable[[float], str] = lambda v: f"{v:g}"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)

    def set_bars(self, bars: list[Bar], *, maximum: float | None = None) -> None:
        self._bars = list(bars)
        self._max = maximum
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.update()

    def sizeHint(self) -> QSize:
        if self.horizontal:
            return QSize(420, max(180, 28 * len(self._bars) + 24))
        return QSize(480, 220)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        if not self._bars:
            painter.setPen(QColor(MUTED))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        top = self._max if self._max else max((b.value for b in self._bars), default=0)
        top = top if top > 0 else 1.0
        if self.horizontal:
            self._paint_horizontal(painter, rect, top)
        else:
            self._paint_vertical(painter, rect, top)

    def _paint_vertical(self, painter: QPainter, rect: QRectF, top: float) -> None:
        metrics = QFontMetrics(self.font())
        label_h = metrics.height() + 6
        value_h = metrics.height() + 2
        plot = rect.adjusted(0, value_h, 0, -label_h)
        painter.setPen(QPen(QColor("#cfd8dc"), 1))
        for step in range(5):
            y = plot.bottom() - plot.height() * step / 4
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        slot = plot.width() / len(self._bars)
        width = max(4.0, min(48.0, slot * 0.62))
        for number, bar in enumerate(self._bars):
            height = plot.height() * max(0.0, bar.value) / top
            x = plot.left() + slot * number + (slot - width) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bar.color or ACCENT))
            painter.drawRoundedRect(QRectF(x, plot.bottom() - height, width, height), 2, 2)
            painter.setPen(QColor("#37474f"))
            if bar.value > 0:
                painter.drawText(QRectF(x - slot / 2, plot.bottom() - height - value_h,
                                        width + slot, value_h),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                                 self.value_text(bar.value))
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(plot.left() + slot * number, plot.bottom() + 4, slot,
                                    label_h), Qt.AlignmentFlag.AlignHCenter, bar.label)

    def _paint_horizontal(self, painter: QPainter, rect: QRectF, top: float) -> None:
        metrics = QFontMetrics(self.font())
        label_w = min(rect.width() * 0.38,
                      max(metrics.horizontalAdvance(b.label) for b in self._bars) + 12)
        value_w = metrics.horizontalAdvance(self.value_text(top)) + 14
        # Rows never shorter than a line of text (labels overlapped in a short window): the
        # bars that do not fit are left out from the end (callers put the important first).
        fits = max(1, int(rect.height() // (metrics.height() + 2)))
        bars = self._bars[:fits]
        row = min(30.0, rect.height() / len(bars))
        thickness = max(6.0, row * 0.6)
        plot_w = max(10.0, rect.width() - label_w - value_w)
        for number, bar in enumerate(bars):
            y = rect.top() + row * number
            painter.setPen(QColor("#37474f"))
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            painter.drawText(QRectF(rect.left(), y, label_w - 8, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            track = QRectF(rect.left() + label_w, y + (row - thickness) / 2, plot_w, thickness)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#eceff1"))
            painter.drawRoundedRect(track, 3, 3)
            filled = QRectF(track.left(), track.top(),
                            plot_w * max(0.0, min(bar.value, top)) / top, thickness)
            painter.setBrush(QColor(bar.color or ACCENT))
            painter.drawRoundedRect(filled, 3, 3)
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRectF(track.right() + 6, y, value_w, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.value_text(bar.value))
