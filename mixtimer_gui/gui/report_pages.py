"""The printed reports drawn with QPainter: work orders, the monthly report, equipment labels.

One drawing serves both outputs: a ``QPdfWriter`` (a file, the command line) and a
``QPrinter`` (print preview, a printer). Qt's PDF engine embeds the glyphs of the fonts used
with a ToUnicode map, so the Chinese text of a PDF can be searched and copied. QR codes are
drawn as vector squares from ``segno``'s module matrix: sharp at any zoom, on any printer.

The figures come from ``services.printouts``; nothing here computes one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from PySide6.QtCore import QCoreApplication, QMarginsF, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRawFont,
    QRegion,
)
from PySide6.QtWidgets import QWidget

from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.bar_chart import Bar, BarChart
from mixtimer_gui.services.printouts import Label, MonthlyReport, WorkOrder

PDF_DPI = 300
MARGIN_MM = 15
# Latin letters and digits from a Latin font first: with the English catalogue installed,
# Qt shaped digits in Noto Sans CJK to glyphs its cmap does not name, and the PDF's text
# lost them ("report 2024-05" copied as "report -"). Then the CJK font: Noto Sans CJK on
# Linux (Debian's fonts-noto-cjk), YaHei on Windows, PingFang on macOS.
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Helvetica Neue", "Noto Sans CJK SC",
                 "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                 "sans-serif"]
INK, MUTED_INK, RULE = QColor("#212121"), QColor("#616161"), QColor("#9e9e9e")
LABEL_COLUMNS, LABEL_ROWS = 3, 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def report_font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


# -- pages -----------------------------------------------------------------------------------


class Pages:
    """A painter on a paged device, with a cursor that moves down the page in millimetres and
    starts a new page when what comes next does not fit."""

    def __init__(self, device: QPagedPaintDevice, painter: QPainter) -> None:
        self.device = device
        self.painter = painter
        self.unit = device.logicalDpiY() / 25.4  # device pixels per millimetre
        area = device.pageLayout().paintRectPixels(device.logicalDpiX())
        self.width = area.width() / self.unit
        self.height = area.height() / self.unit
        self.y = 0.0
        self.page = 1

    def px(self, mm: float) -> float:
        return mm * self.unit

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.px(x), self.px(y), self.px(w), self.px(h))

    def new_page(self) -> None:
        self.device.newPage()
        self.page += 1
        self.y = 0.0

    def room_for(self, mm: float) -> None:
        if self.y > 0 and self.y + mm > self.height:
            self.new_page()

    def text(self, x: float, y: float, w: float, h: float, text: str, *, size: float = 10,
             bold: bool = False, color: QColor = INK,
             flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
             ) -> None:
        self.painter.setFont(report_font(size, bold))
        self.painter.setPen(color)
        self.painter.drawText(self.rect(x, y, w, h), int(flags) | int(Qt.TextFlag.TextWordWrap),
                              text)

    def text_height(self, w: float, text: str, *, size: float = 10, bold: bool = False) -> float:
        metrics = QFontMetricsF(report_font(size, bold), self.device)
        bounds = metrics.boundingRect(QRectF(0, 0, self.px(w), 1e6),
                                      int(Qt.TextFlag.TextWordWrap), text or " ")
        return bounds.height() / self.unit

    def text_width(self, text: str, *, size: float = 10, bold: bool = False) -> float:
        metrics = QFontMetricsF(report_font(size, bold), self.device)
        return metrics.horizontalAdvance(text) / self.unit

    def line(self, x1: float, y1: float, x2: float, y2: float, color: QColor = RULE,
             width_mm: float = 0.25) -> None:
        self.painter.setPen(QPen(color, self.px(width_mm)))
        self.painter.drawLine(QPointF(self.px(x1), self.px(y1)),
                              QPointF(self.px(x2), self.px(y2)))

    def box(self, x: float, y: float, w: float, h: float, width_mm: float = 0.3) -> None:
        self.painter.setPen(QPen(INK, self.px(width_mm)))
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawRect(self.rect(x, y, w, h))

    def heading(self, text: str, size: float = 13) -> None:
        self.room_for(14)
        self.y += 3
        self.text(0, self.y, self.width, 9, text, size=size, bold=True)
        self.y += 8
        self.line(0, self.y, self.width, self.y, INK, 0.35)
        self.y += 2


def draw_qr(pages: Pages, data: str, x: float, y: float, side: float) -> None:
    """``data`` as a QR code (error correction M) filling a ``side`` mm square, quiet zone
    included; each row's runs of dark modules are one rectangle, so no hairline seams."""
    code = segno.make(data, error="m", micro=False)
    border = 4
    count = code.symbol_size(scale=1, border=border)[0]
    module = side / count
    painter = pages.painter
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawRect(pages.rect(x, y, side, side))
    painter.setBrush(QColor("black"))
    for row, modules in enumerate(code.matrix):
        column = 0
        while column < len(modules):
            if not modules[column]:
                column += 1
                continue
            run = column
            while run < len(modules) and modules[run]:
                run += 1
            painter.drawRect(pages.rect(x + (column + border) * module,
                                        y + (row + border) * module,
                                        (run - column) * module, module))
            column = run
    painter.restore()


@dataclass(frozen=True)
class TableColumn:
    title: str
    width: float  # share of the page width
    right: bool = False


def draw_table(pages: Pages, columns: Sequence[TableColumn], rows: Sequence[Sequence[str]],
               *, empty: str = "", size: float = 9) -> None:
    """A ruled table that continues on the next page, repeating its header there."""
    total = sum(c.width for c in columns)
    widths = [pages.width * c.width / total for c in columns]

    def header() -> None:
        pages.room_for(7)
        _row(pages, columns, widths, [c.title for c in columns], size, bold=True)

    header()
    if not rows:
        pages.text(0, pages.y + 1, pages.width, 6, empty, size=size, color=MUTED_INK)
        pages.y += 7
        return
    for cells in rows:
        height = max(pages.text_height(w - 2, c, size=size) for w, c in zip(widths, cells,
                                                                            strict=True)) + 2
        if pages.y + height > pages.height:
            pages.new_page()
            header()
        _row(pages, columns, widths, cells, size)


def _row(pages: Pages, columns: Sequence[TableColumn], widths: list[float],
         cells: Sequence[str], size: float, *, bold: bool = False) -> None:
    height = max(pages.text_height(w - 2, c, size=size, bold=bold)
                 for w, c in zip(widths, cells, strict=True)) + 2
    x = 0.0
    for column, width, cell in zip(columns, widths, cells, strict=True):
        align = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
        pages.text(x + 1, pages.y + 1, width - 2, height, cell, size=size, bold=bold,
                   flags=align | Qt.AlignmentFlag.AlignTop)
        x += width
    pages.y += height
    pages.line(0, pages.y, pages.width, pages.y, INK if bold else RULE, 0.3 if bold else 0.15)


# -- work orders -------------------------------------------------------------------------------


def draw_work_orders(pages: Pages, orders: Sequence[WorkOrder], printed_at: str) -> None:
    """One A4 page per order (an empty list gives one page that says so)."""
    if not orders:
        pages.text(0, 0, pages.width, 10, _tr("No maintenance task is due in this range."))
        return
    for number, order in enumerate(orders):
        if number:
            pages.new_page()
        _work_order(pages, order, printed_at)


def _work_order(pages: Pages, order: WorkOrder, printed_at: str) -> None:
    qr = 32.0
    pages.text(0, 0, pages.width - qr - 4, 12, _tr("Maintenance work order"), size=18,
               bold=True)
    pages.text(0, 12, pages.width - qr - 4, 6,
               _tr("Printed %1").replace("%1", printed_at), size=8, color=MUTED_INK)
    draw_qr(pages, order.task_id, pages.width - qr, 0, qr)
    pages.text(pages.width - qr, qr, qr, 5, order.task_id, size=7, color=MUTED_INK,
               flags=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    pages.y = qr + 8
    last = "  ".join(p for p in (order.last_handle_at, order.last_handled_by,
                                 order.last_result) if p) or _tr("Never handled")
    fields = [
        (_tr("Project"), order.project_name),
        (_tr("Object"), f"{order.object_name}  ({order.object_id})"),
        (_tr("Location"), order.location),
        (_tr("Due"), f"{order.due_at}  {humanize.status_label(order.status)}".strip()),
        (_tr("Last handled"), last),
        (_tr("Guide"), order.guide),
        (_tr("Notes"), order.description),
    ]
    label_w = 28.0
    for label, value in fields:
        height = max(7.0, pages.text_height(pages.width - label_w, value, size=11) + 2.5)
        pages.text(0, pages.y + 1, label_w, height, label, size=10, color=MUTED_INK)
        pages.text(label_w, pages.y + 1, pages.width - label_w, height, value, size=11)
        pages.y += height
        pages.line(0, pages.y, pages.width, pages.y)
    if order.checklist:
        pages.heading(_tr("Checklist"), size=12)
        for item in order.checklist:
            height = max(7.0, pages.text_height(pages.width - 10, item, size=11) + 2)
            pages.room_for(height)
            pages.box(1, pages.y + 1.2, 4, 4)
            pages.text(8, pages.y + 0.5, pages.width - 8, height, item, size=11)
            pages.y += height
    pages.heading(_tr("Work done"), size=12)
    for _ in range(4):
        pages.y += 9
        pages.line(0, pages.y, pages.width, pages.y)
    pages.y += 14
    half = pages.width / 2
    labels = (_tr("Technician's signature"), _tr("Supervisor's signature"))
    line_from = max(pages.text_width(label, size=10) for label in labels) + 3
    for label in labels:
        pages.room_for(14)
        pages.text(0, pages.y, half, 7, label, size=10)
        pages.line(line_from, pages.y + 6, half - 6, pages.y + 6, INK)
        pages.text(half, pages.y, 20, 7, _tr("Date"), size=10)
        pages.line(half + 14, pages.y + 6, pages.width, pages.y + 6, INK)
        pages.y += 14


# -- equipment labels -------------------------------------------------------------------------


def draw_labels(pages: Pages, labels: Sequence[Label]) -> None:
    """Labels on a grid, ``LABEL_COLUMNS`` × ``LABEL_ROWS`` to an A4 page, cut lines drawn."""
    w, h = pages.width / LABEL_COLUMNS, pages.height / LABEL_ROWS
    per_page = LABEL_COLUMNS * LABEL_ROWS
    for number, label in enumerate(labels):
        if number and number % per_page == 0:
            pages.new_page()
        slot = number % per_page
        x, y = (slot % LABEL_COLUMNS) * w, (slot // LABEL_COLUMNS) * h
        pages.painter.setPen(QPen(RULE, pages.px(0.15), Qt.PenStyle.DashLine))
        pages.painter.setBrush(Qt.BrushStyle.NoBrush)
        pages.painter.drawRect(pages.rect(x, y, w, h))
        qr = min(h - 4, w * 0.42)
        draw_qr(pages, label.uid, x + 2, y + (h - qr) / 2, qr)
        text_x, text_w = x + qr + 4, w - qr - 6
        pages.text(text_x, y + 3, text_w, 10, label.name, size=10, bold=True)
        if label.alias and label.alias != label.name:
            pages.text(text_x, y + 12, text_w, 5, label.alias, size=8)
        code = f"{_tr('Code')}: {label.uid}"  # may take two lines: a uid is long
        pages.text(text_x, y + 16.5, text_w, 7, code, size=7)
        below = y + 16.5 + min(7.0, pages.text_height(text_w, code, size=7)) + 0.5
        pages.text(text_x, below, text_w, y + h - below - 1,
                   f"{_tr('Location')}: {label.location}", size=7, color=MUTED_INK)


# -- the monthly report -----------------------------------------------------------------------


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def draw_monthly(pages: Pages, report: MonthlyReport, printed_at: str) -> None:
    pages.text(0, 0, pages.width, 12, _tr("Monthly maintenance report %1").replace(
        "%1", report.month), size=18, bold=True)
    pages.text(0, 12, pages.width, 6, _tr("Printed %1").replace("%1", printed_at), size=8,
               color=MUTED_INK)
    pages.y = 20
    summary = [(_tr("Handles done"), str(report.handled)),
               (_tr("Cycles skipped"), str(report.skipped)),
               (_tr("On-time rate"), percent(report.on_time_rate) if report.on_time else "—"),
               (_tr("Fees"), humanize.money(report.fee)),
               (_tr("Overdue at month end"), str(len(report.overdue)))]
    cell = pages.width / len(summary)
    for number, (label, value) in enumerate(summary):
        pages.text(number * cell, pages.y, cell, 6, label, size=8, color=MUTED_INK)
        pages.text(number * cell, pages.y + 5, cell, 9, value, size=14, bold=True)
    pages.y += 16

    pages.heading(_tr("On-time rate per project"))
    draw_table(pages, [TableColumn(_tr("Project"), 5), TableColumn(_tr("Handled"), 1.4, True),
                       TableColumn(_tr("On time"), 1.4, True),
                       TableColumn(_tr("On-time rate"), 1.6, True)],
               [[r.project_name, str(r.handled), str(r.on_time), percent(r.rate)]
                for r in report.on_time], empty=_tr("No handle was due this month."))
    _chart(pages, [Bar(r.project_name, r.rate * 100) for r in report.on_time], horizontal=True,
           maximum=100, value_text=lambda v: f"{v:.1f}%")

    pages.heading(_tr("Fees per project"))
    draw_table(pages, [TableColumn(_tr("Project"), 5), TableColumn(_tr("Handled"), 1.4, True),
                       TableColumn(_tr("Skipped"), 1.4, True),
                       TableColumn(_tr("Fees"), 1.8, True)],
               [[p.project_name, str(p.handled), str(p.skipped), humanize.money(p.fee)]
                for p in report.projects], empty=_tr("No handle this month."))

    pages.heading(_tr("Fees per month"))
    _chart(pages, [Bar(f.month[2:], f.fee) for f in report.fees_by_month],
           value_text=lambda v: f"{v:,.0f}")

    pages.heading(_tr("Tasks by status when printed"))
    _chart(pages, [Bar(humanize.status_label(s), n) for s, n in report.status_counts.items()],
           horizontal=True, value_text=lambda v: f"{v:g}")

    pages.heading(_tr("Skipped cycles"))
    draw_table(pages, [TableColumn(_tr("When"), 2.4), TableColumn(_tr("Project"), 2.6),
                       TableColumn(_tr("Object"), 2.4), TableColumn(_tr("Cycles"), 1, True),
                       TableColumn(_tr("Reason"), 4)],
               [[s.created, s.project_name, s.object_name, str(s.skipped_cycles), s.reason]
                for s in report.skipped_cycles], empty=_tr("No cycle was skipped."))

    pages.heading(_tr("Overdue at month end"))
    draw_table(pages, [TableColumn(_tr("Task"), 2.4), TableColumn(_tr("Project"), 3),
                       TableColumn(_tr("Object"), 3), TableColumn(_tr("Due"), 2.4)],
               [[t.task_id, t.project_name, t.object_name, t.due_at] for t in report.overdue],
               empty=_tr("Nothing was overdue."))


def _chart(pages: Pages, bars: list[Bar], *, horizontal: bool = False,
           maximum: float | None = None, value_text: Callable[[float], str]) -> None:
    """The overview's own chart widget, painted onto the page (vector in a PDF)."""
    if not bars:
        return
    height_mm = min(8.0 * len(bars) + 6, 80.0) if horizontal else 55.0
    pages.room_for(height_mm + 2)
    chart = BarChart(horizontal=horizontal)
    chart.setFont(report_font(8))
    chart.value_text = value_text
    chart.set_bars(bars, maximum=maximum)
    scale = pages.unit * 25.4 / 96  # the widget's pixels are 1/96 inch
    chart.resize(int(pages.width * 96 / 25.4), int(height_mm * 96 / 25.4))
    painter = pages.painter
    painter.save()
    painter.translate(0, pages.px(pages.y))
    painter.scale(scale, scale)
    # its widget background left out: the page stays white
    chart.render(painter, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
    painter.restore()
    chart.deleteLater()
    pages.y += height_mm + 2


# -- output ----------------------------------------------------------------------------------


def a4_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


Draw = Callable[[Pages], None]


def paint(device: QPagedPaintDevice, draw: Draw) -> None:
    """``draw`` on ``device`` (a ``QPdfWriter`` or a ``QPrinter``), page after page."""
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw(Pages(device, painter))
    finally:
        painter.end()


def write_pdf(path: Path | str, draw: Draw, title: str) -> Path:
    """``draw`` into a PDF file at ``path`` (A4, 300 dpi); raises ``OSError``."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(a4_layout())
    writer.setTitle(title)
    writer.setCreator("MixTimer GUI")
    paint(writer, draw)
    del writer  # the file is complete once the writer is gone
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"无法写入 {path}")
    unify_radicals(path)
    return path


# -- searchable Chinese ---------------------------------------------------------------------
#
# CJK fonts such as Noto Sans CJK draw a Kangxi radical (U+2F06 ⼆) and its ideograph
# (U+4E8C 二) with one glyph. Qt's PDF engine maps each glyph back to the lowest code point
# that uses it, so 二车间 was copied and searched as ⼆⻋间. The ToUnicode maps are plain
# text in Qt's output: each radical target is replaced by the ideograph that shares its
# glyph in the report font, four hex digits for four, so no offset in the file moves.

_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_ARRAY = re.compile(rb"\[[^\]]*\]")
_TOKEN = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RADICALS = range(0x2E80, 0x2FE0)


@functools.cache
def radical_ideographs() -> dict[bytes, bytes]:
    """Hex of each radical → hex of the ideograph drawn with the same glyph (report font)."""
    # the font Qt falls back to for Chinese in the report's family list
    raw = QRawFont.fromFont(report_font(10), QFontDatabase.WritingSystem.SimplifiedChinese)
    ideographs = "".join(chr(c) for c in range(0x4E00, 0xA000))
    by_glyph: dict[int, int] = {}
    for code, glyph in zip(range(0x4E00, 0xA000), raw.glyphIndexesForString(ideographs),
                           strict=True):
        if glyph:
            by_glyph.setdefault(glyph, code)
    radicals = "".join(chr(c) for c in _RADICALS)
    found: dict[bytes, bytes] = {}
    for code, glyph in zip(_RADICALS, raw.glyphIndexesForString(radicals), strict=True):
        if glyph and glyph in by_glyph:
            found[b"%04X" % code] = b"%04X" % by_glyph[glyph]
    return found


def unify_radicals(path: Path) -> None:
    mapping = radical_ideographs()
    if not mapping:
        return
    data = path.read_bytes()
    fixed = _CMAP.sub(lambda block: _fix_cmap(block.group(0), mapping), data)
    if fixed != data:
        path.write_bytes(fixed)


def _fix_cmap(block: bytes, mapping: dict[bytes, bytes]) -> bytes:
    def target(token: re.Match[bytes]) -> bytes:
        return b"<" + mapping.get(token.group(1).upper(), token.group(1)) + b">"

    lines = []
    for line in block.split(b"\n"):
        if b"[" in line:  # <first> <last> [<dst> <dst> …]: every dst stands alone
            line = _ARRAY.sub(lambda a: _TOKEN.sub(target, a.group(0)), line)
        else:
            tokens = list(_TOKEN.finditer(line))
            single = len(tokens) == 2 or (len(tokens) == 3 and tokens[0][1] == tokens[1][1])
            if single and tokens[-1][1].upper() in mapping:  # bfchar, or a one-code range
                last = tokens[-1]
                line = line[:last.start()] + target(last) + line[last.end():]
        lines.append(line)
    return b"\n".join(lines)


def page_size_mm() -> QSizeF:
    return a4_layout().fullRect(QPageLayout.Unit.Millimeter).size()
