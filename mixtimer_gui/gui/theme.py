"""Colours and the application style sheet, shared by the tabs and charts."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

# Status colours: green = fine, amber = coming due, red = due, grey = not running.
STATUS_COLORS = {
    "正常": "#2e7d32",
    "即将到期": "#ef6c00",
    "已到期": "#c62828",
    "未启动": "#78909c",
}
STATUS_BACKGROUNDS = {
    "正常": "#e8f5e9",
    "即将到期": "#fff3e0",
    "已到期": "#ffebee",
    "未启动": "#eceff1",
}
ACCENT = "#1565c0"
ERROR = "#c62828"
MUTED = "#607d8b"
RUNNING = "#2e7d32"
STOPPED = "#78909c"

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei UI", "Microsoft YaHei",
                "PingFang SC", "Source Han Sans SC", "WenQuanYi Micro Hei")


def status_color(status: str) -> QColor:
    return QColor(STATUS_COLORS.get(status, MUTED))


def status_background(status: str) -> QColor:
    return QColor(STATUS_BACKGROUNDS.get(status, "#ffffff"))


def apply_app_style(app: QApplication) -> None:
    """A readable CJK font where one is installed, and a light, calm style sheet.

    The font names its CJK families in order of preference and Qt takes the first one it
    has (listing the font database first costs ~3 ms of start-up); the system's default
    family stays last for machines without any of them.
    """
    font = QFont(app.font())
    font.setFamilies([*CJK_FAMILIES, app.font().family()])
    font.setPointSize(10)
    app.setFont(font)
    if app.style().name().lower() != "fusion":  # creating a style again costs ~4 ms
        app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)


STYLE_SHEET = """
QMainWindow, QDialog { background: #f5f7fa; }
QTabWidget::pane { border: 1px solid #d5dbe3; border-radius: 4px; background: #ffffff;
                   top: -1px; }
QTabBar::tab { padding: 7px 16px; margin-right: 2px; border: 1px solid #d5dbe3;
               border-bottom: none; border-top-left-radius: 4px; border-top-right-radius: 4px;
               background: #e9edf2; color: #37474f; }
QTabBar::tab:selected { background: #ffffff; color: #0d47a1; font-weight: bold; }
QTabBar::tab:hover:!selected { background: #f1f4f8; }
QToolBar { border: none; spacing: 4px; padding: 2px; background: transparent; }
QToolButton { padding: 4px 8px; border-radius: 4px; }
QToolButton:hover { background: #e3eaf3; }
QToolButton:disabled { color: #a0a8b0; }
QTableView { gridline-color: #eceff1; selection-background-color: #cfe2fb;
             selection-color: #0d1b2a; alternate-background-color: #f8fafc; }
QHeaderView::section { background: #eef2f6; padding: 5px 6px; border: none;
                       border-right: 1px solid #dde3ea; border-bottom: 1px solid #d5dbe3;
                       color: #37474f; font-weight: bold; }
QLineEdit, QPlainTextEdit, QTextEdit {
    padding: 4px 6px; border: 1px solid #c5ced8; border-radius: 4px; background: #ffffff; }
QLineEdit:focus, QPlainTextEdit:focus { border-color: #1565c0; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] { border-color: #c62828;
                                                             background: #fff8f8; }
QGroupBox { font-weight: bold; border: 1px solid #d5dbe3; border-radius: 6px;
            margin-top: 12px; padding: 10px 8px 8px 8px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #0d47a1; }
QPushButton { padding: 5px 14px; border: 1px solid #b8c2cc; border-radius: 4px;
              background: #ffffff; }
QPushButton:hover { background: #eef3f9; }
QPushButton:default { border-color: #1565c0; }
QPushButton:disabled { color: #a0a8b0; background: #f3f5f7; }
QLabel[role="error"] { color: #c62828; }
QLabel[role="hint"] { color: #607d8b; }
QLabel[role="heading"] { font-size: 12pt; font-weight: bold; color: #263238; }
QStatusBar { background: #eef2f6; color: #455a64; }
"""
