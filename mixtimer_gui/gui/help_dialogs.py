"""The Help menu's dialogs: the user guide, the keyboard shortcuts and About.

The guide's prose lives in ``resources/help/guide.<language>.html`` (zh_CN and en), written
with ``{{name}}`` placeholders for what belongs to this workstation or to the code: the API
address and token state from the settings, the folders from the open database, the CSV
columns from the import's and export's own tables, the API's actions from its action table.
They are filled in each time the guide is shown, in the window's current language, so the
page can neither drift from the code nor show yesterday's settings.

The shortcut list is read from the window's actions when it opens: nothing is kept by hand.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui import paths, versions
from mixtimer_gui.domain import forecast
from mixtimer_gui.gui import i18n, theme
from mixtimer_gui.gui.icons import app_icon
from mixtimer_gui.gui.screens import fit_to_screen

if TYPE_CHECKING:
    from mixtimer_gui.gui.main_window import MainWindow
    from mixtimer_gui.gui.settings import AppSettings
    from mixtimer_gui.services import Services

GUIDE_DIR = Path(__file__).resolve().parent.parent / "resources" / "help"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
MNEMONIC = re.compile(r"\(&(\w)\)|&(?=[^&])")  # 文件(&F) and &File alike
HEADING_LEVELS = (2, 3)  # h1 is the page title: not worth a contents entry
HEADING = re.compile(r"<h([23])>(.*?)</h\1>", re.DOTALL)
MAX_HIGHLIGHTS = 500
TABLE_ATTRIBUTES = ('border="1" cellspacing="0" cellpadding="4" '
                    'style="border-collapse: collapse; border-color: #d5dbe3;"')
# Rich text takes a subset of CSS (no margins on <pre>, no :hover); enough for a calm page.
GUIDE_STYLE = f"""
h1 {{ color: #0d47a1; font-size: 17pt; }}
h2 {{ color: #0d47a1; font-size: 14pt; margin-top: 18px; }}
h3 {{ color: #263238; font-size: 11pt; margin-top: 12px; }}
code {{ font-family: monospace; color: #263238; background-color: #eef2f6; }}
pre {{ font-family: monospace; background-color: #eef2f6; }}
td, th {{ border-width: 1px; border-style: solid; border-color: #d5dbe3; }}
th {{ background-color: #eef2f6; text-align: left; }}
th.group {{ background-color: #ffffff; color: #0d47a1; padding-top: 8px; }}
.note {{ color: {theme.MUTED}; }}
"""


def plain_text(text: str) -> str:
    """An action's or menu's text without its mnemonic marker (``&File`` → ``File``)."""
    return MNEMONIC.sub("", text).replace("&&", "&").strip()


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table; cells are HTML already (callers escape their text)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table {TABLE_ATTRIBUTES}><tr>{head}</tr>{body}</table>"


def _code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def guide_template(language: str) -> str:
    path = GUIDE_DIR / f"guide.{language}.html"
    if not path.exists():
        path = GUIDE_DIR / "guide.en.html"
    return path.read_text(encoding="utf-8")


def section_anchor(index: int) -> str:
    return f"section-{index}"


def anchor_headings(page: str) -> str:
    """Each h2/h3 wrapped in an anchor (``section-0``, ``section-1`` … in page order), so the
    contents can use ``QTextBrowser.scrollToAnchor``: unlike setting the scroll bar, it
    catches up with a layout that is still running after ``setHtml``."""
    count = iter(range(1_000_000))
    return HEADING.sub(lambda m: f'<h{m[1]}><a name="{section_anchor(next(count))}">{m[2]}'
                                 f"</a></h{m[1]}>", page)


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each ``{{name}}`` replaced by ``values[name]`` (HTML).

    A name without a value is a ``KeyError``: a guide that shows ``{{name}}`` to a user is a
    bug, and the tests fill both languages."""
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def api_address(settings: AppSettings) -> str:
    """Where the window serves the action API with these settings (as ``ApiServer.url``)."""
    from mixtimer_gui.api.wsgi import DEFAULT_BLOCK  # the window serves the default block

    host = settings.api_bind
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings.api_port}/{DEFAULT_BLOCK}"


class GuideDialog(QDialog):
    """The user guide: contents on the left, the page on the right, a search box on top.

    Typing in the search box highlights every match, moves to the first one and keeps in the
    contents only the sections that hold the words; Enter goes to the next match.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("GuideDialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.setMinimumSize(520, 360)
        self._sections: list[tuple[int, str, str]] = []  # (level, anchor, title)
        self._build()
        self.retranslate()
        fit_to_screen(self, 1000, 740)

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 8)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.find_next)
        self.matches_label = QLabel(self)
        self.matches_label.setProperty("role", "hint")
        top.addWidget(self.search, 1)
        top.addWidget(self.matches_label)
        root.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.contents = QTreeWidget(self.splitter)
        self.contents.setHeaderHidden(True)
        self.contents.setWordWrap(True)
        self.contents.setIndentation(14)
        self.contents.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.contents.itemActivated.connect(self._go_to_item)
        self.contents.itemClicked.connect(self._go_to_item)
        self._items: list[QTreeWidgetItem] = []
        self.browser = QTextBrowser(self.splitter)
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDefaultStyleSheet(GUIDE_STYLE)
        self.browser.document().setDocumentMargin(12)
        self.splitter.addWidget(self.contents)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 760])
        root.addWidget(self.splitter, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        # Ctrl+F inside the guide goes to its own search box (not the window's lists).
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_search)
        # Enter in the search box means "next match", never "close the dialog".
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("MixTimer user guide"))
        self.search.setPlaceholderText(self.tr("Search the guide (Ctrl+F)"))
        self.contents.setAccessibleName(self.tr("Contents"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.reload()
        super().changeEvent(event)

    # -- the page -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fill the guide in the current language with the values as they are now."""
        language = i18n.current_language()
        self.browser.setHtml(anchor_headings(fill(guide_template(language), self.values())))
        self._index_sections()
        self._search_changed(self.search.text())

    def values(self) -> dict[str, str]:
        """Placeholder name → HTML, for this workstation now."""
        window = self.window_
        settings = window.settings
        address = api_address(settings)
        values = {
            "app_version": html.escape(versions.runtime_versions()[0][1]),
            "api_address": html.escape(f"{address}/api"),
            "catalogue_example": html.escape(f"{address}/v2/project/create_v2_project"),
            "api_state": html.escape(self._api_state(settings)),
            "token_state": html.escape(self._token_state(settings)),
            "curl_example": html.escape(self._curl_example(f"{address}/api",
                                                           bool(settings.api_token))),
            "api_actions": self._actions_table(),
            "overdue_repeat": str(settings.overdue_repeat_hours),
            "bundle_limit": str(_bundle_limit()),
            "forecast_days": str(forecast.WINDOW_SECONDS // 86400),
            "export_columns": self._export_table(),
            "log_folder": html.escape(str(paths.log_dir())),
        }
        values.update(self._import_tables())
        values.update(self._folders(window.services))
        return values

    def _api_state(self, settings: AppSettings) -> str:
        if settings.api_enabled:
            return self.tr("On: served while this window is open (Settings → Action API "
                           "server).")
        return self.tr("Off. Turn it on in Settings → Action API server, or run "
                       "“mixtimer-gui serve”.")

    def _token_state(self, settings: AppSettings) -> str:
        if settings.api_token:
            return self.tr("Set: every request must carry it (Settings → Action API server "
                           "shows it).")
        return self.tr("None: requests need no token. A bind address other than 127.0.0.1 "
                       "would need one.")

    def _curl_example(self, url: str, with_token: bool) -> str:
        lines = [f"curl -X POST {url}", '  -H "Content-Type: application/json"']
        if with_token:
            lines.append(f'  -H "Authorization: Bearer {self.tr("<token>")}"')
        lines.append("""  -d '{"action": "get_v2_task_list", "page_size": 10}'""")
        return " \\\n".join(lines)

    def _entity_label(self, entity: str) -> str:
        labels = {"project": self.tr("Projects"), "task": self.tr("Tasks"),
                  "handle": self.tr("Handles"), "object": self.tr("Objects"),
                  "statistics": self.tr("Statistics and readings"),
                  "handler": self.tr("People who handle")}
        return labels.get(entity, entity)

    def _actions_table(self) -> str:
        from mixtimer_gui.api.actions import ACTIONS

        grouped: dict[str, list[str]] = {}
        for action in ACTIONS.values():
            grouped.setdefault(action.entity, []).append(action.name)
        rows = [(html.escape(self._entity_label(entity)), ", ".join(_code(n) for n in names))
                for entity, names in grouped.items()]
        return _table([self.tr("Records"), self.tr("Actions")], rows)

    def _field_label(self, field: str) -> str:
        labels = {"uid": self.tr("Object number"), "name": self.tr("Name"),
                  "alias": self.tr("Alias"), "location": self.tr("Location"),
                  "description": self.tr("Description"),
                  "statistics_id": self.tr("Statistic number"), "value": self.tr("Reading"),
                  "time": self.tr("Time read")}
        return labels.get(field, field)

    def _import_tables(self) -> dict[str, str]:
        from mixtimer_gui.exports.columns import OBJECTS, READINGS, import_columns

        headers = [self.tr("Field"), self.tr("Accepted column names"), self.tr("Required")]
        tables = {}
        for kind in (OBJECTS, READINGS):
            rows = [(html.escape(self._field_label(column.field)),
                     " · ".join(_code(name) for name in column.names),
                     self.tr("required") if column.required else "")
                    for column in import_columns(kind)]
            tables[f"import_{kind}_columns"] = _table(headers, rows)
        return tables

    def _export_table(self) -> str:
        from mixtimer_gui.exports.columns import export_columns

        rows = [(str(number), html.escape(title), _code(wire))
                for number, (title, wire) in enumerate(export_columns(), 1)]
        return _table(["#", self.tr("Column"), self.tr("Wire name (--wire-header)")], rows)

    def _folders(self, services: Services | None) -> dict[str, str]:
        if services is None:
            opening = html.escape(self.tr("(the database is still opening)"))
            return dict.fromkeys(("database", "data_folder", "backups_folder"), opening)
        return {"database": html.escape(str(services.location)),
                "data_folder": html.escape(str(services.ctx.data_dir)),
                "backups_folder": html.escape(str(services.backups.folder))}

    # -- contents -----------------------------------------------------------------------------

    def _index_sections(self) -> None:
        """One contents entry per h2/h3 heading, with the text of its section for search."""
        self._sections = []
        texts: list[str] = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in HEADING_LEVELS:  # anchored in document order by anchor_headings
                self._sections.append((level, section_anchor(len(self._sections)),
                                       block.text()))
                texts.append("")
            elif self._sections:
                texts[-1] += "\n" + block.text()
            block = block.next()
        self._section_texts = [f"{title}\n{body}".casefold()
                               for (_l, _b, title), body in zip(self._sections, texts,
                                                                strict=True)]
        self.contents.clear()
        self._items = []
        chapter: QTreeWidgetItem | None = None
        for level, anchor, title in self._sections:
            if level == 2 or chapter is None:
                item = chapter = QTreeWidgetItem(self.contents, [title])
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            else:
                item = QTreeWidgetItem(chapter, [title])
            item.setData(0, Qt.ItemDataRole.UserRole, anchor)
            item.setToolTip(0, title)  # the pane may be narrower than a title
            self._items.append(item)
        self.contents.expandAll()

    def section_titles(self, visible_only: bool = False) -> list[str]:
        return [item.text(0) for item in self._items
                if not (visible_only and item.isHidden())]

    def contents_item(self, title: str) -> QTreeWidgetItem:
        return next(item for item in self._items if item.text(0) == title)

    def _go_to_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.browser.scrollToAnchor(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def show_section(self, title: str) -> None:
        """Scroll so that the section headed ``title`` is at the top."""
        self._go_to_item(self.contents_item(title))

    # -- search -------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        words = text.strip()
        self._filter_contents(words.casefold())
        count = self._highlight(words)
        if not words:
            self.matches_label.clear()
            return
        self.matches_label.setText(self.tr("%n hit(s)", "", count) if count
                                   else self.tr("Not found"))
        if count:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            self.find_next()

    def _filter_contents(self, words: str) -> None:
        """Keep the sections that hold the words, and the chapter (h2) of each."""
        keep = [not words or words in text for text in self._section_texts]
        chapter = None
        for index, (level, _anchor, _title) in enumerate(self._sections):
            if level == 2:
                chapter = index
            elif keep[index] and chapter is not None:
                keep[chapter] = True
        for item, shown in zip(self._items, keep, strict=True):
            item.setHidden(not shown)

    def _highlight(self, words: str) -> int:
        selections: list[QTextEdit.ExtraSelection] = []
        if words:
            marked = QTextCharFormat()
            marked.setBackground(QColor("#ffe082"))
            document = self.browser.document()
            cursor = document.find(words)
            while not cursor.isNull() and len(selections) < MAX_HIGHLIGHTS:
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = marked
                selections.append(selection)
                cursor = document.find(words, cursor)
        self.browser.setExtraSelections(selections)
        return len(selections)

    def find_next(self) -> bool:
        """Select the next match after the cursor, from the top again after the last one."""
        words = self.search.text().strip()
        if not words:
            return False
        found = self.browser.find(words)
        if not found:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            found = self.browser.find(words)
        if found:  # a third from the top, with its context below, not at the bottom edge
            bar = self.browser.verticalScrollBar()
            offset = self.browser.cursorRect().top() - self.browser.viewport().height() // 3
            bar.setValue(bar.value() + offset)
        return found

    def plain_text(self) -> str:
        return self.browser.toPlainText()


# -- keyboard shortcuts ------------------------------------------------------------------------


def _window_keys(window: QMainWindow, action: QAction) -> list[QKeySequence]:
    """Every key of ``action``. The window lends some of its keys to a tab that binds the same
    verb itself (``MainWindow._yield_keys_to_tab``): those still do the action's work."""
    lent = getattr(window, "_window_keys", {}).get(action, [])
    keys = list(action.shortcuts())
    keys += [key for key in lent if key not in keys]
    return [key for key in keys if not key.isEmpty()]


def _key_texts(keys: Iterable[QKeySequence]) -> tuple[str, ...]:
    # Return and Enter are both 回车 in Chinese: say it once.
    return tuple(dict.fromkeys(key.toString(QKeySequence.SequenceFormat.NativeText)
                               for key in keys))


def _tab_title_of(window: QMainWindow, widget: QWidget | None) -> str:
    tabs = getattr(window, "tabs", None)
    if widget is None or not isinstance(tabs, QTabWidget):
        return ""
    for index in range(tabs.count()):
        page = QTabWidget.widget(tabs, index)  # the page as it is: looking must build nothing
        if page is widget or (page is not None and page.isAncestorOf(widget)):
            return re.sub(r"\s*\(\d+\)$", "", tabs.tabText(index))  # no unread count
    return ""


def shortcut_rows(window: QMainWindow,
                  window_label: str = "") -> list[tuple[str, str, tuple[str, ...]]]:
    """``(where, command, keys)`` for every action of the window that has a key: the menus'
    in menu order (``where``: the menu), then the window's other actions (``window_label``),
    then those of the tabs built so far (the tab's title)."""
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    seen: set[int] = set()

    def add(where: str, action: QAction) -> None:
        if id(action) in seen or action.isSeparator():
            return
        seen.add(id(action))
        if action.menu() is not None:
            for inner in action.menu().actions():
                add(where, inner)
            return
        keys = _window_keys(window, action)
        if keys:
            rows.append((where, plain_text(action.text()) or action.objectName(),
                         _key_texts(keys)))

    for entry in window.menuBar().actions():
        menu = entry.menu()
        if isinstance(menu, QMenu):
            seen.add(id(entry))
            for action in menu.actions():
                add(plain_text(menu.title()), action)
    for action in window.actions():
        add(window_label, action)
    for action in window.findChildren(QAction):
        parent = action.parent()
        where = _tab_title_of(window, parent if isinstance(parent, QWidget) else None)
        add(where or window_label, action)
    return rows


class ShortcutsDialog(QDialog):
    """The window's keyboard shortcuts, read from its actions when the dialog opens."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("ShortcutsDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setSizeGripEnabled(True)
        self.setMinimumSize(420, 300)
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 8)
        self.browser = QTextBrowser(self)
        self.browser.document().setDefaultStyleSheet(GUIDE_STYLE)
        root.addWidget(self.browser, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self.retranslate()
        fit_to_screen(self, 560, self._page_height())

    def _page_height(self) -> int:
        """Tall enough for the whole list where the screen allows (no scrolling to find F1)."""
        # A copy: the browser lays its own document out at its current (unshown) width.
        document = self.browser.document().clone(self)
        document.setTextWidth(520)
        height = int(document.size().height())
        document.deleteLater()
        return height + self.buttons.sizeHint().height() + 40

    def rows(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return shortcut_rows(self.window_, self.tr("Window"))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.browser.setHtml(self._page())

    def _page(self) -> str:
        """One table: a heading row per menu (or tab), then its commands and keys."""
        rows = []
        current = None
        for where, command, keys in self.rows():
            if where != current:
                rows.append(f'<tr><th colspan="2" class="group">{html.escape(where)}</th></tr>')
                current = where
            shown = " / ".join(f"<b>{html.escape(key)}</b>" for key in keys)
            rows.append(f"<tr><td>{html.escape(command)}</td><td>{shown}</td></tr>")
        head = (f'<tr><th width="60%">{html.escape(self.tr("Command"))}</th>'
                f"<th>{html.escape(self.tr('Keys'))}</th></tr>")
        note = html.escape(self.tr("Alt + an underlined letter opens that menu or presses that "
                                   "button. In a dialog, Esc cancels."))
        return (f'<table width="100%" {TABLE_ATTRIBUTES}>{head}{"".join(rows)}</table>'
                f'<p class="note">{note}</p>')

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


# -- about -------------------------------------------------------------------------------------


def all_versions() -> list[tuple[str, str]]:
    """The app, Qt (the library running), PySide6, Python and SQLite."""
    app, *rest = versions.runtime_versions()
    return [app, ("Qt", qVersion()), ("PySide6", PySide6.__version__), *rest]


class AboutDialog(QDialog):
    """What this is, and the versions a bug report needs (with a button that copies them)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("AboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        root = QVBoxLayout(self)
        root.setContentsMargins(18, 16, 18, 10)
        root.setSpacing(10)
        head = QHBoxLayout()
        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        head.addWidget(logo)
        titles = QVBoxLayout()
        self.title = QLabel(self)
        self.title.setProperty("role", "heading")
        self.tagline = QLabel(self)
        self.tagline.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.tagline)
        titles.addStretch(1)
        head.addLayout(titles, 1)
        root.addLayout(head)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.version_labels: dict[str, QLabel] = {}
        for name, version in all_versions():
            value = QLabel(version, self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.version_labels[name] = value
            self.form.addRow(f"{name}:", value)
        self.database_label = QLabel(self)
        self.database_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.database_title = QLabel(self)
        self.form.addRow(self.database_title, self.database_label)
        root.addLayout(self.form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_versions)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self.retranslate()
        self.setMinimumWidth(460)
        self.adjustSize()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About MixTimer"))
        self.title.setText(f"MixTimer {versions.runtime_versions()[0][1]}")
        self.tagline.setText(self.tr("A maintenance planner for maintenance supervisors: "
                                     "plans, reminders, records."))
        self.database_title.setText(self.tr("Database:"))
        services = getattr(self.window_, "services", None)
        path = (str(services.location) if services is not None
                else self.tr("(the database is still opening)"))
        # A path has no spaces to wrap at: a long one is shortened in the middle instead of
        # widening the box past a small screen (the tooltip and "Copy versions" have it all).
        self.database_label.setText(self.database_label.fontMetrics().elidedText(
            path, Qt.TextElideMode.ElideMiddle, 400))
        self.database_label.setToolTip(path)
        self._database = path
        self.copy_button.setText(self.tr("&Copy versions"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def versions_text(self) -> str:
        lines = [f"{name} {version}" for name, version in all_versions()]
        return "\n".join([*lines, f"{self.database_title.text()} {self._database}"])

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.versions_text())


def _bundle_limit() -> int:
    from mixtimer_gui.reminders.engine import BUNDLE_LIMIT

    return BUNDLE_LIMIT
