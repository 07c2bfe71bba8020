"""概览: what a supervisor wants at a glance.

Status tiles (click → those tasks), the tasks due in the next 14 days, a month calendar with
the days that have due tasks marked (click → that day's tasks), the on-time rate per project
over the last 12 months and the fees per month. Figures come from ``services.reports``.

Signals:
    open_tasks(list): task uids to show in the Tasks tab (a due-list row, a calendar day).
    open_task_filter(dict): a filter for the Tasks tab (a status tile: ``{"status": …}``).
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.domain import clock
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.domain.status import DUE, DUE_SOON, NORMAL, NOT_STARTED
from mixtimer_gui.gui import humanize
from mixtimer_gui.gui.background import Job, Worker, own_connection
from mixtimer_gui.gui.bar_chart import Bar, BarChart
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.icons import icon
from mixtimer_gui.gui.theme import STATUS_BACKGROUNDS, STATUS_COLORS
from mixtimer_gui.services import Services, events
from mixtimer_gui.services.reports import MonthFee, OnTimeRate, ReportService, months_back

log = logging.getLogger(__name__)

DUE_WINDOW_DAYS = 14
ABNORMAL_DAYS = 30  # how far back the overview counts records with abnormal checks
# The first rows of the list, overdue first: more is the Tasks tab's job (a click on a tile),
# and each row costs the first paint ~0.1 ms.
DUE_LIST_ROWS = 120
TILE_ORDER = (DUE, DUE_SOON, NORMAL, NOT_STARTED)
UID_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_ON = (events.TASK, events.PROJECT, events.HANDLE, events.READING)
# The charts aggregate a year of handles: ~3 s at 1 M handles (row lookups for due_at and
# fee), so they load on a worker thread and live changes reload them at most this often.
CHART_MIN_INTERVAL_S = 30.0
Charts = tuple[list[OnTimeRate], list[MonthFee]]


class StatusTile(QFrame):
    """A big coloured number with its status underneath; clickable."""

    clicked = Signal(str)

    def __init__(self, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName(f"tile-{status}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        color, background = STATUS_COLORS[status], STATUS_BACKGROUNDS[status]
        self.setStyleSheet(
            f"#tile-{status} {{ background: {background}; border: 1px solid {color}40;"
            f" border-left: 6px solid {color}; border-radius: 8px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 10)
        self.number = QLabel("0", self)
        font = QFont(self.font())
        font.setPointSize(26)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setStyleSheet(f"color: {color}; background: transparent; border: none;")
        self.caption = QLabel(self)
        self.caption.setStyleSheet(f"color: {color}; background: transparent; border: none;"
                                   " font-size: 11pt;")
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set_count(self, count: int) -> None:
        self.number.setText(str(count))

    def retranslate(self) -> None:
        self.caption.setText(humanize.status_label(self.status))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.status)
        super().mouseReleaseEvent(event)


class DueCalendar(QCalendarWidget):
    """A month calendar whose days with due tasks are bold and tinted (red when past)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setMinimumSize(320, 240)
        self._marked: dict[date, int] = {}

    def mark(self, counts: dict[date, int], today: date) -> None:
        for day in self._marked:
            self.setDateTextFormat(QDate(day.year, day.month, day.day), QTextCharFormat())
        self._marked = dict(counts)
        for day, count in counts.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            status = DUE if day < today else DUE_SOON
            fmt.setForeground(QBrush(QColor(STATUS_COLORS[status])))
            fmt.setBackground(QBrush(QColor(STATUS_BACKGROUNDS[status])))
            fmt.setToolTip(self.tr("%1 task(s) due").replace("%1", str(count)))
            self.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)

    def count_on(self, day: date) -> int:
        return self._marked.get(day, 0)


class OverviewTab(QWidget):
    """Signals: open_tasks(list) — task uids to show; charts_loaded() — the charts are
    up to date (they load on a worker thread)."""

    open_tasks = Signal(list)
    open_task_filter = Signal(dict)
    open_abnormal = Signal(int)  # days back: the records with abnormal checks
    charts_loaded = Signal()

    def __init__(self, services: Services, bridge: ChangeBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.reports = ReportService(services.ctx)
        self._dirty = False
        self._loaded = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(500)
        self._refresh_timer.timeout.connect(self._refresh_if_visible)
        bridge.changed.connect(self._on_changed)
        self._charts = Worker(own_connection(services), "mixtimer-overview-charts", self)
        # Until the first figures arrive (~1.4 s at 1 M handles) the charts say so, not
        # "no maintenance recorded yet".
        self._charts_known = False
        self._charts_started = float("-inf")
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.timeout.connect(self._load_charts)
        self._build()
        self.retranslate()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        body.setObjectName("overviewBody")
        body.setStyleSheet("#overviewBody { background: #f5f7fa; }")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(14)

        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.tiles: dict[str, StatusTile] = {}
        for status in TILE_ORDER:
            tile = StatusTile(status, body)
            tile.clicked.connect(self._open_status)
            self.tiles[status] = tile
            tiles.addWidget(tile)
        layout.addLayout(tiles)
        # 异常 in the last 30 days: checklists that found something, a link to the records.
        self.abnormal_label = QLabel(body)
        self.abnormal_label.setObjectName("abnormalRecent")
        self.abnormal_label.setTextFormat(Qt.TextFormat.RichText)
        self.abnormal_label.linkActivated.connect(
            lambda _link: self.open_abnormal.emit(ABNORMAL_DAYS))
        layout.addWidget(self.abnormal_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        self.due_box, due_layout, self.due_title = self._card(body)
        self.due_list = QTreeWidget(self.due_box)
        self.due_list.setRootIsDecorated(False)
        self.due_list.setUniformRowHeights(True)
        self.due_list.setAlternatingRowColors(True)
        self.due_list.setColumnCount(4)
        self.due_list.setMinimumHeight(240)
        self.due_list.itemActivated.connect(self._open_due_item)
        self.due_list.itemClicked.connect(self._open_due_item)
        due_layout.addWidget(self.due_list)
        self.due_empty = QLabel(self.due_box)
        self.due_empty.setProperty("role", "hint")
        due_layout.addWidget(self.due_empty)
        grid.addWidget(self.due_box, 0, 0)

        self.cal_box, cal_layout, self.cal_title = self._card(body)
        self.calendar = DueCalendar(self.cal_box)
        self.calendar.clicked.connect(self._open_day)
        self.calendar.currentPageChanged.connect(lambda *_: self._load_calendar())
        cal_layout.addWidget(self.calendar)
        self.cal_hint = QLabel(self.cal_box)
        self.cal_hint.setProperty("role", "hint")
        self.cal_hint.setWordWrap(True)  # as wide as the calendar, in every language
        cal_layout.addWidget(self.cal_hint)
        grid.addWidget(self.cal_box, 0, 1)

        self.rate_box, rate_layout, self.rate_title = self._card(body)
        self.rate_chart = BarChart(horizontal=True, parent=self.rate_box)
        self.rate_chart.value_text = lambda v: f"{v * 100:.0f}%"
        rate_layout.addWidget(self.rate_chart)
        grid.addWidget(self.rate_box, 1, 0)

        self.fee_box, fee_layout, self.fee_title = self._card(body)
        self.fee_chart = BarChart(parent=self.fee_box)
        self.fee_chart.value_text = _short_money
        fee_layout.addWidget(self.fee_chart)
        self.monthly_button = QPushButton(icon("export"), "", self.fee_box)
        self.monthly_button.setObjectName("monthlyReportButton")
        self.monthly_button.clicked.connect(self.print_monthly)
        fee_layout.addWidget(self.monthly_button, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.fee_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid, 1)

    def _card(self, parent: QWidget) -> tuple[QFrame, QVBoxLayout, QLabel]:
        card = QFrame(parent)
        card.setObjectName("card")
        card.setStyleSheet("#card { background: #ffffff; border: 1px solid #dde3ea;"
                           " border-radius: 8px; }")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 12, 14, 12)
        title = QLabel(card)
        title.setProperty("role", "heading")
        layout.addWidget(title)
        return card, layout, title

    def retranslate(self) -> None:
        for tile in self.tiles.values():
            tile.retranslate()
        self.due_title.setText(self.tr("Overdue and due in the next %1 days").replace(
            "%1", str(DUE_WINDOW_DAYS)))
        self.due_list.setHeaderLabels([self.tr("Due"), self.tr("When"), self.tr("Project"),
                                       self.tr("Object")])
        self.due_empty.setText(self.tr("Nothing comes due in the next two weeks."))
        self.cal_title.setText(self.tr("Calendar"))
        if self._loaded:
            self._load_abnormal()
        self.cal_hint.setText(self.tr("Days with due maintenance are marked; click one to "
                                      "see its tasks."))
        self.rate_title.setText(self.tr("On-time rate per project (last 12 months)"))
        self.fee_title.setText(self.tr("Fees per month"))
        self.monthly_button.setText(self.tr("Monthly report…"))
        self.monthly_button.setToolTip(self.tr("Print or save the monthly report as PDF"))
        self._set_chart_empty_texts()
        if self._loaded:
            self._load_due_list()  # "due in 3 days" is text in the current language

    def print_monthly(self) -> QDialog:
        from mixtimer_gui.gui import report_dialogs  # loaded when first used, not at start

        return report_dialogs.print_monthly(self, self.services)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data -------------------------------------------------------------------------------

    def refresh(self, *, live: bool = False) -> None:
        """Reload everything; ``live`` (a change announcement) reloads the charts only if
        they are older than ``CHART_MIN_INTERVAL_S``, else a little later."""
        if not self._loaded:
            # The calendar opens on the services' today (a fake clock in tests and shots).
            today = humanize.local_date(self.services.clock.now())
            self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
        self._dirty = False
        self._loaded = True
        try:
            self._load_tiles()
            self._load_due_list()
            self._load_calendar()
        except DomainError as exc:  # never expected here; show it rather than crash
            log.warning("overview refresh failed: %s", exc)
        wait = CHART_MIN_INTERVAL_S - (time.monotonic() - self._charts_started)
        if live and wait > 0:
            if not self._chart_timer.isActive():
                self._chart_timer.start(int(wait * 1000))
        else:
            self._load_charts()

    def charts_busy(self) -> bool:
        return self._charts.busy

    def _load_tiles(self) -> None:
        counts = self.reports.status_counts()
        for status, tile in self.tiles.items():
            tile.set_count(counts.get(status, 0))
        self._load_abnormal()

    def _load_abnormal(self) -> None:
        since = self.services.clock.now() - ABNORMAL_DAYS * 86400
        count = self.reports.abnormal_count(since)
        if not count:
            text = self.tr("No abnormal checks in the last %1 days.").replace(
                "%1", str(ABNORMAL_DAYS))
            self.abnormal_label.setText(f"<span style='color:#607d8b'>{text}</span>")
            return
        text = (self.tr("%n record(s) with abnormal checks in the last %1 days", "", count)
                .replace("%1", str(ABNORMAL_DAYS)))
        self.abnormal_label.setText(f"<a href='abnormal' style='color:#c62828'>⚠ {text}</a>")

    def _load_due_list(self) -> None:
        now = self.services.clock.now()
        start = now - 3650 * 86400  # overdue ones first: they need attention most
        tasks = self.reports.due_between(start, now + DUE_WINDOW_DAYS * 86400,
                                         limit=DUE_LIST_ROWS)
        self.due_list.clear()
        for task in tasks:
            due = humanize.due_moment(task)  # a whichever-first task: its earlier limit
            item = QTreeWidgetItem([humanize.with_due_by(humanize.short_time(due), task),
                                    humanize.due_in_words(due, now),
                                    task["project_name"], task["object_name"]])
            item.setData(0, UID_ROLE, task["uid"])
            color = QColor(STATUS_COLORS.get(task["status"], "#37474f"))
            item.setForeground(1, QBrush(color))
            self.due_list.addTopLevelItem(item)
        for column, width in enumerate((140, 110, 180)):
            self.due_list.setColumnWidth(column, width)
        self.due_empty.setVisible(not tasks)
        self.due_list.setVisible(bool(tasks))

    def _load_calendar(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        start = clock.from_local(datetime(year, month, 1))
        end = clock.from_local(datetime(year + month // 12, month % 12 + 1, 1))
        self.calendar.mark(self.reports.due_counts_by_day(start, end),
                           humanize.local_date(self.services.clock.now()))

    def _load_charts(self) -> None:
        """The charts' figures from a worker (a newer load replaces a running one)."""
        self._chart_timer.stop()
        self._charts_started = time.monotonic()
        reports, now = self.reports, self.services.clock.now

        def figures(_job: Job) -> Charts:
            moment = now()
            since = months_back(moment, 12)
            return reports.on_time_rate_by_project(since), reports.fees_by_month(since, moment)

        self._charts.run(figures, self._apply_charts, self._charts_failed)

    def _set_chart_empty_texts(self) -> None:
        if not self._charts_known:
            calculating = self.tr("Calculating…")
            self.rate_chart.set_empty_text(calculating)
            self.fee_chart.set_empty_text(calculating)
            return
        self.rate_chart.set_empty_text(self.tr("No maintenance recorded yet."))
        self.fee_chart.set_empty_text(self.tr("No fees recorded yet."))

    def _charts_failed(self, error: Exception) -> None:
        # A failed chart must not take the window down: the log has the why.
        log.error("overview charts failed", exc_info=error)
        if not self._charts_known:
            failed = self.tr("These figures could not be calculated; the log says why.")
            self.rate_chart.set_empty_text(failed)
            self.fee_chart.set_empty_text(failed)
        self.charts_loaded.emit()

    def _apply_charts(self, charts: Charts) -> None:
        rates, fees = charts
        self._charts_known = True
        self._set_chart_empty_texts()
        self.rate_chart.set_bars([
            Bar(r.project_name, r.rate, _rate_color(r.rate), f"{r.on_time}/{r.handled}")
            for r in sorted(rates, key=lambda r: r.rate)[:15]], maximum=1.0)
        self.fee_chart.set_bars([Bar(m.month[2:].replace("-", "/"), m.fee) for m in fees]
                                if any(m.fee for m in fees) else [])
        self.charts_loaded.emit()

    # -- clicks -----------------------------------------------------------------------------

    def _open_status(self, status: str) -> None:
        self.open_task_filter.emit({"status": status})

    def open_selected(self) -> None:
        """Enter on the due list (the window's Enter key lands here)."""
        item = self.due_list.currentItem()
        if item is not None:
            self._open_due_item(item)

    def _open_due_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.open_tasks.emit([item.data(0, UID_ROLE)])

    def _open_day(self, qdate: QDate) -> None:
        day = date(qdate.year(), qdate.month(), qdate.day())
        if not self.calendar.count_on(day):
            return
        start = clock.from_local(datetime(day.year, day.month, day.day))
        end = clock.from_local(datetime.combine(day + timedelta(days=1), datetime.min.time()))
        tasks = self.reports.due_between(start, end, limit=1000)
        self.open_tasks.emit([t["uid"] for t in tasks])

    # -- live updates -----------------------------------------------------------------------

    def _on_changed(self, entity: str, _uids: list) -> None:
        if entity in REFRESH_ON:
            self._dirty = True
            self._refresh_timer.start()

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh(live=True)

    def showEvent(self, event: QEvent) -> None:
        if self._dirty:
            self.refresh(live=True)
        super().showEvent(event)


def _rate_color(rate: float) -> str:
    if rate >= 0.9:
        return STATUS_COLORS[NORMAL]
    if rate >= 0.7:
        return STATUS_COLORS[DUE_SOON]
    return STATUS_COLORS[DUE]


def _short_money(value: float) -> str:
    # Bar labels must stay narrow: 12 bars share the chart's width.
    if value >= 100_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}"
