"""A line chart of a statistic's readings over time, drawn with QPainter.

No chart library: a meter's readings are a few hundred points, and a hand-drawn chart stays
crisp and readable in a small splitter pane (tick counts follow the widget's size).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QLinearGradient, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mixtimer_gui.domain import clock
from mixtimer_gui.gui import humanize

LINE = QColor("#2563eb")
GRID = QColor("#e5e8eb")
AXIS_TEXT = QColor("#5f6b73")
DAY = 86_400

Mapper = Callable[[float], float]


def nice_step(span: float, ticks: int) -> float:
    """A 1-2-5 step that divides ``span`` into about ``ticks`` parts."""
    if span <= 0 or ticks <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def value_ticks(low: float, high: float, ticks: int) -> list[float]:
    if high <= low:
        high = low + 1
    step = nice_step(high - low, ticks)
    first = math.floor(low / step)
    last = max(first + 1, math.ceil(high / step))
    return [round(i * step, 10) for i in range(first, min(last, first + 50) + 1)]


def time_format(span_seconds: float) -> str:
    if span_seconds < 2 * DAY:
        return "%m-%d %H:%M"
    if span_seconds < 300 * DAY:
        return "%m-%d"
    return "%Y-%m"


class ReadingsChart(QWidget):
    """``set_points([(epoch, value), ...], unit)``; shows a message when there is nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[tuple[int, float]] = []
        self._unit = ""
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 140)

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def set_points(self, points: Sequence[tuple[int, float]], unit: str = "",
                   title: str = "") -> None:
        self._points = sorted((int(t), float(v)) for t, v in points)
        self._unit = unit
        self._title = title
        self.update()

    def points(self) -> list[tuple[int, float]]:
        return list(self._points)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        header = " · ".join(t for t in (self._title, self._unit) if t)
        top = 6 + metrics.height() * 1.5 if header else metrics.height() / 2 + 6
        if header:
            painter.setPen(QColor("#1f2a30"))
            painter.drawText(QRectF(8, 4, self.width() - 16, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, header)
        if not self._points:
            painter.setPen(AXIS_TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No readings yet"))
            return
        low, high = self._value_range()
        ticks = value_ticks(low, high, max(2, (self.height() - top) // 45))
        labels = [humanize.number(v) for v in ticks]
        left = 10 + max(metrics.horizontalAdvance(t) for t in labels)
        plot = QRectF(left, top, self.width() - left - 14,
                      self.height() - top - metrics.height() - 12)
        if plot.width() < 20 or plot.height() < 20:
            return
        y_of = self._y_mapper(plot, ticks[0], ticks[-1])
        x_of = self._x_mapper(plot)
        self._draw_value_axis(painter, plot, ticks, labels, y_of, metrics)
        self._draw_time_axis(painter, plot, x_of, metrics)
        self._draw_line(painter, plot, x_of, y_of)

    def _value_range(self) -> tuple[float, float]:
        values = [v for _, v in self._points]
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        return low, high

    def _y_mapper(self, plot: QRectF, low: float, high: float) -> Mapper:
        span = (high - low) or 1.0
        return lambda v: plot.bottom() - (v - low) / span * plot.height()

    def _x_mapper(self, plot: QRectF) -> Mapper:
        first, last = self._points[0][0], self._points[-1][0]
        span = (last - first) or 1
        if last == first:
            return lambda _t: plot.center().x()
        return lambda t: plot.left() + (t - first) / span * plot.width()

    def _draw_value_axis(self, painter: QPainter, plot: QRectF, ticks: list[float],
                         labels: list[str], y_of: Mapper, metrics: QFontMetrics) -> None:
        for value, text in zip(ticks, labels, strict=True):
            y = y_of(value)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def _draw_time_axis(self, painter: QPainter, plot: QRectF, x_of: Mapper,
                        metrics: QFontMetrics) -> None:
        first, last = self._points[0][0], self._points[-1][0]
        fmt = time_format(last - first)
        sample = clock.to_local(first).strftime(fmt)
        count = max(1, min(8, int(plot.width() // (metrics.horizontalAdvance(sample) + 24))))
        moments = [first] if last == first else [
            first + (last - first) * i // count for i in range(count + 1)]
        painter.setPen(QPen(QColor("#b8c0c6"), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(AXIS_TEXT)
        for index, moment in enumerate(moments):
            x = x_of(moment)
            text = clock.to_local(moment).strftime(fmt)
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width / 2, plot.left() - 4), plot.right() - width + 4)
            if index and len(moments) > 1 and index == len(moments) - 1:
                left = plot.right() - width
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            painter.drawText(QRectF(left, plot.bottom() + 5, width + 2, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, text)

    def _draw_line(self, painter: QPainter, plot: QRectF, x_of: Mapper,
                   y_of: Mapper) -> None:
        points = [QPointF(x_of(t), y_of(v)) for t, v in self._points]
        line = QPainterPath(points[0])
        for point in points[1:]:
            line.lineTo(point)
        area = QPainterPath(line)
        area.lineTo(points[-1].x(), plot.bottom())
        area.lineTo(points[0].x(), plot.bottom())
        area.closeSubpath()
        fill = QLinearGradient(0, plot.top(), 0, plot.bottom())
        fill.setColorAt(0, QColor(37, 99, 235, 70))
        fill.setColorAt(1, QColor(37, 99, 235, 8))
        painter.fillPath(area, fill)
        painter.setPen(QPen(LINE, 2))
        painter.drawPath(line)
        if len(points) <= min(60, plot.width() // 10):  # dots help only while they stay apart
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(QPen(LINE, 1.5))
            for point in points:
                painter.drawEllipse(point, 3, 3)
