"""The main window: the tabs, the menu, window-wide shortcuts, remembered geometry.

Each tab is a widget ``Tab(services, bridge, parent)`` with ``refresh()``; the window calls
the optional verbs a tab offers (``new_item``, ``focus_search``, ``delete_selected``,
``open_selected``) for Ctrl+N, Ctrl+F, Delete and Enter, so every tab gets the same keys.

A tab is imported and built the first time it is shown (or asked for through
``tab_by_key``): at start only the current tab loads, which at 1 M handles and 10,000 tasks
saves most of a second (DESIGN §6). The tab bar holds a ``TabHost`` for each. A tab that
fails to import or to build is a bug: the error surfaces (the error hook says so, the log has
its traceback) and the host stays empty, to try again when shown again.

The window can be shown before its database is open: ``MainWindow(None, settings)`` is the
shell (menus, tab bar, "Opening the database…"), and ``attach(services)`` builds the current
tab once the database is there. ``gui.app`` starts this way so the window is on screen
while the store and the services load; the actions that need data wait for ``attach``.

Signals:
    hidden_to_tray(): the window was closed while a tray icon exists (the tray may say so).
    settings_applied(): the settings dialog was accepted; the API server follows its values.
    attached(): the database is there (``attach``); the current tab has been built.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

# Not Qt's own namespace (``from PySide6.QtCore import Qt``): importing the name creates its
# ~100 enum classes (~11 ms), which the shell shown before the database never needs.
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.gui import i18n, screens
from mixtimer_gui.gui.bridge import ChangeBridge
from mixtimer_gui.gui.help_menu import HelpActions
from mixtimer_gui.gui.icons import app_icon, icon
from mixtimer_gui.gui.operator import apply_operator
from mixtimer_gui.gui.settings import AppSettings

if TYPE_CHECKING:  # the services load after the window is first shown (gui.app)
    from mixtimer_gui.services import Services
    from mixtimer_gui.services.reports import ReportService

log = logging.getLogger(__name__)

# (key, module, class, icon): the order of the tabs.
TAB_SPECS = (
    ("overview", "mixtimer_gui.gui.overview_tab", "OverviewTab", "overview"),
    ("projects", "mixtimer_gui.gui.projects_tab", "ProjectsTab", "projects"),
    ("tasks", "mixtimer_gui.gui.tasks_tab", "TasksTab", "tasks"),
    ("handles", "mixtimer_gui.gui.handles_tab", "HandlesTab", "handles"),
    ("objects", "mixtimer_gui.gui.objects_tab", "ObjectsTab", "objects"),
    ("statistics", "mixtimer_gui.gui.statistics_tab", "StatisticsTab", "statistics"),
)


# The window's verbs and the method names tabs use for them, in order of preference.
VERB_NAMES = {
    "new_item": ("new_record", "new_object", "new_statistic"),
    "open_selected": ("open_selected", "edit_selected", "handle_selected"),
    "delete_selected": ("delete_selected",),
    "focus_search": ("focus_search",),
}


def _keys_bound_inside(widget: QWidget) -> set[str]:
    """The key sequences that shortcuts and actions inside ``widget`` bind themselves."""
    keys: set[str] = set()
    for shortcut in widget.findChildren(QShortcut):
        if shortcut.isEnabled():
            keys.update(k.toString() for k in shortcut.keys())  # noqa: SIM118 (a method)
    for action in widget.findChildren(QAction):
        keys.update(k.toString() for k in action.shortcuts())
    keys.discard("")
    return keys


def tab_title(key: str) -> str:
    titles = {
        "overview": QApplication.translate("MainWindow", "Overview"),
        "projects": QApplication.translate("MainWindow", "Projects"),
        "tasks": QApplication.translate("MainWindow", "Tasks"),
        "handles": QApplication.translate("MainWindow", "Handles"),
        "objects": QApplication.translate("MainWindow", "Objects"),
        "statistics": QApplication.translate("MainWindow", "Statistics"),
        "reminders": QApplication.translate("MainWindow", "Reminders"),
    }
    return titles.get(key, key)


class TabHost(QWidget):
    """Keeps a tab's place in the tab bar; builds the tab when first shown (or asked) once
    ``can_build()`` says the window has its database."""

    def __init__(self, key: str, build: Callable[[str], QWidget],
                 parent: QWidget | None = None,
                 can_build: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self.key = key
        self._build = build
        self._can_build = can_build
        self.tab: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def materialize(self) -> QWidget:
        if self.tab is None:
            if not self._can_build():
                raise RuntimeError(f"the {self.key} tab needs the database (attach first)")
            self.tab = self._build(self.key)
            self.layout().addWidget(self.tab)
            if self.isVisible():
                self.tab.show()
        return self.tab

    def showEvent(self, event: QShowEvent) -> None:
        if self._can_build():
            self.materialize()
        super().showEvent(event)


class MainTabs(QTabWidget):
    """A tab widget that speaks of the tabs themselves, not their hosts: ``currentWidget``
    and ``widget(i)`` give (building if need be) the tab, ``setCurrentWidget``/``indexOf``
    take either."""

    @staticmethod
    def _page(widget: QWidget | None) -> QWidget | None:
        parent = widget.parentWidget() if widget is not None else None
        if isinstance(parent, TabHost) and parent.tab is widget:
            return parent
        return widget

    @staticmethod
    def _tab(page: QWidget | None) -> QWidget | None:
        return page.materialize() if isinstance(page, TabHost) else page

    def currentWidget(self) -> QWidget | None:
        return self._tab(super().currentWidget())

    def widget(self, index: int) -> QWidget | None:
        return self._tab(super().widget(index))

    def setCurrentWidget(self, widget: QWidget) -> None:
        super().setCurrentWidget(self._page(widget))

    def indexOf(self, widget: QWidget) -> int:
        return super().indexOf(self._page(widget))


class LazyTabs(Mapping[str, QWidget]):
    """``tab_by_key``: looking a tab up builds it. ``built()`` lists those built so far
    (saving state, say, must not build the rest)."""

    def __init__(self) -> None:
        self._entries: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        entry = self._entries[key]
        return entry.materialize() if isinstance(entry, TabHost) else entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __setitem__(self, key: str, widget: QWidget) -> None:
        self._entries[key] = widget

    def page(self, key: str) -> QWidget:
        """The widget in the tab bar for ``key`` (its host, for a lazy tab)."""
        return self._entries[key]

    def built(self) -> list[QWidget]:
        tabs = []
        for entry in self._entries.values():
            if not isinstance(entry, TabHost):
                tabs.append(entry)
            elif entry.tab is not None:
                tabs.append(entry.tab)
        return tabs


class MainWindow(QMainWindow):
    hidden_to_tray = Signal()
    settings_applied = Signal()  # the settings dialog was accepted (the API server follows)
    attached = Signal()  # the database is there and the current tab is built

    def __init__(self, services: Services | None, settings: AppSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services: Services | None = None
        self.settings = settings
        self.reports: ReportService | None = None
        self.bridge = ChangeBridge(None, self)
        self._tray_available = False
        self._quitting = False
        self._reminder_center: QWidget | None = None
        self._reminder_unread = 0
        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.setMinimumSize(760, 520)
        self.tabs = MainTabs(self)
        self.tabs.setDocumentMode(False)
        self.tabs.setObjectName("MainTabs")
        self.setCentralWidget(self.tabs)
        self.tab_by_key = LazyTabs()
        self._build_tabs()
        self._build_actions()
        self._build_menu()
        self._status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self._status_label)
        self._build_api_status()
        self._demo_widgets: tuple[QLabel, QPushButton] | None = None
        self._read_only_widgets: tuple[QLabel, QLabel] | None = None
        self._read_only_reason: str | None = None
        self._check_widgets: tuple[QLabel, QProgressBar] | None = None
        self._skipped_label: QLabel | None = None
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(400)
        self._status_timer.timeout.connect(self._update_status)
        self.bridge.changed.connect(self._on_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._restore_state()
        self.retranslate()  # also fills the status bar
        if services is not None:
            self.attach(services)

    def attach(self, services: Services) -> None:
        """The database is open: build the current tab (if shown), turn on the actions that
        need data, count the status bar's numbers."""
        from mixtimer_gui.services.reports import ReportService

        self.services = services
        self.reports = ReportService(services.ctx)
        apply_operator(services, self.settings.operator_name)  # who writes from here
        self.bridge.listen_to(services.bus)
        for action in self._data_actions:
            action.setEnabled(True)
        page = QTabWidget.currentWidget(self.tabs)
        if isinstance(page, TabHost) and page.isVisible():
            page.materialize()
        self._update_status()
        self._show_demo()
        self.attached.emit()

    def is_attached(self) -> bool:
        return self.services is not None

    # -- building ---------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        for key, _module, _cls, icon_name in TAB_SPECS:
            host = TabHost(key, self._build_tab, self, can_build=self.is_attached)
            self.tab_by_key[key] = host
            self.tabs.addTab(host, icon(icon_name), tab_title(key))

    def _build_tab(self, key: str) -> QWidget:
        """Import and build one tab (on its first show), wire it, restore its state."""
        module, cls = next((m, c) for k, m, c, _i in TAB_SPECS if k == key)
        tab_class = getattr(importlib.import_module(module), cls)
        widget = tab_class(self.services, self.bridge, self.tab_by_key.page(key))
        for name, slot in (("open_tasks", self.show_tasks),
                           ("open_task_filter", self.show_task_filter),
                           ("open_abnormal", self.show_abnormal),
                           ("go_to_tab", self.show_tab)):
            signal = getattr(widget, name, None)
            if signal is not None:  # overview and projects lead to the Tasks tab
                signal.connect(slot)
        restore = getattr(widget, "restore_state", None)
        if callable(restore):
            restore(self.settings)
        if QTabWidget.currentWidget(self.tabs) is self.tab_by_key.page(key):
            QTimer.singleShot(0, self, self._yield_keys_to_tab)  # its own keys exist now
        return widget

    def _action(self, name: str, shortcut: QKeySequence | str | None,
                slot: Callable[[], None], icon_name: str | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            # setShortcuts, and no copy of a QKeySequence: the overloads of setShortcut and
            # of the copy reach into Qt's namespace (see the imports). Window-wide is
            # QAction's default context.
            keys = shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut)
            action.setShortcuts([keys])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("new", QKeySequence.StandardKey.New,
                                       lambda: self._call_tab("new_item"), "add")
        self.find_action = self._action("find", QKeySequence.StandardKey.Find,
                                        lambda: self._call_tab("focus_search"), "search")
        self.refresh_action = self._action("refresh", QKeySequence.StandardKey.Refresh,
                                           self.refresh_current, "refresh")
        if self.refresh_action.shortcut() != QKeySequence("F5"):
            self.refresh_action.setShortcuts([self.refresh_action.shortcut(),
                                              QKeySequence("F5")])
        self.delete_action = self._action("delete", QKeySequence.StandardKey.Delete,
                                          lambda: self._call_in_list("delete_selected"),
                                          "delete")
        self.open_action = self._action("open", None,
                                        lambda: self._call_in_list("open_selected"), "edit")
        self.open_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.settings_action = self._action("settings", QKeySequence("Ctrl+,"),
                                            self.open_settings, "settings")
        self.quit_action = self._action("quit", QKeySequence.StandardKey.Quit, self.quit)
        self.history_action = self._action("history", None, self.open_history)
        self.calendar_action = self._action("calendar", None, self.export_calendar, "calendar")
        self.about_action = self._action("about", None, self._about)
        self.tab_actions = []
        for number in range(len(TAB_SPECS)):
            # ``triggered`` passes ``checked`` (False) first: a lambda whose only default
            # was the number got False, i.e. tab 0, from every entry.
            self.tab_actions.append(self._action(
                f"tab{number}", QKeySequence(f"Ctrl+{number + 1}"),
                lambda _checked=False, n=number: self.tabs.setCurrentIndex(n)))
        self._window_keys = {action: list(action.shortcuts()) for action in (
            self.new_action, self.find_action, self.refresh_action, self.delete_action,
            self.open_action)}
        # Until the database is attached there is no tab to act on.
        self._data_actions = (self.new_action, self.find_action, self.refresh_action,
                              self.delete_action, self.open_action, self.settings_action,
                              self.history_action, self.calendar_action)
        for action in self._data_actions:
            action.setEnabled(False)
        self._yield_keys_to_tab()

    def _build_menu(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.calendar_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        for action in (self.new_action, self.open_action, self.delete_action):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addAction(self.history_action)
        self.view_menu.addSeparator()
        for action in self.tab_actions:
            self.view_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help = HelpActions(self, self.help_menu, self.about_action)

    def retranslate(self) -> None:
        # Qt appends the application's display name: "Maintenance planner — MixTimer".
        self.setWindowTitle(self.tr("Maintenance planner"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.new_action.setText(self.tr("&New…"))
        self.open_action.setText(self.tr("&Open"))
        self.delete_action.setText(self.tr("&Delete…"))
        self.find_action.setText(self.tr("&Find"))
        self.refresh_action.setText(self.tr("&Refresh"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.history_action.setText(self.tr("&History…"))
        self.calendar_action.setText(self.tr("Export &calendar (.ics)…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.about_action.setText(self.tr("&About MixTimer"))
        for number, (key, *_rest) in enumerate(TAB_SPECS):
            self.tab_actions[number].setText(tab_title(key))
            self.tabs.setTabText(number, tab_title(key))
        self._update_reminder_title()
        self._update_status()
        self._show_api_state()
        self._show_demo()
        self._retranslate_read_only()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the interface other modules use ----------------------------------------------------

    def show_tab(self, key: str) -> None:
        """Bring up the tab ``key`` ("projects", "tasks", …)."""
        if key in self.tab_by_key:
            self.tabs.setCurrentWidget(self.tab_by_key.page(key))

    def show_tasks(self, task_uids: list[str]) -> None:
        """Bring up the Tasks tab filtered to exactly these tasks."""
        tasks = self.tab_by_key["tasks"]
        self.tabs.setCurrentWidget(self.tab_by_key.page("tasks"))
        if hasattr(tasks, "show_tasks"):
            tasks.show_tasks(list(task_uids))
        self.bring_to_front()

    def show_abnormal(self, days: int) -> None:
        """Bring up the Records tab on the records of the last ``days`` days whose
        checklist found something abnormal."""
        handles = self.tab_by_key["handles"]
        self.tabs.setCurrentWidget(self.tab_by_key.page("handles"))
        if hasattr(handles, "show_abnormal"):
            handles.show_abnormal(days)
        self.bring_to_front()

    def show_task_filter(self, filters: dict) -> None:
        """Bring up the Tasks tab filtered by ``filters`` (``status``, ``project_id``)."""
        tasks = self.tab_by_key["tasks"]
        self.tabs.setCurrentWidget(self.tab_by_key.page("tasks"))
        if hasattr(tasks, "show_filtered"):
            tasks.show_filtered(**filters)
        self.bring_to_front()

    def add_reminder_center(self, widget: QWidget) -> None:
        """Put the reminder centre in the window as a tab; its unread count badges the tab."""
        self._reminder_center = widget
        self.tabs.addTab(widget, icon("reminder"), tab_title("reminders"))
        self.tab_by_key["reminders"] = widget
        signal = getattr(widget, "unread_changed", None)
        if signal is not None:
            signal.connect(self._set_reminder_unread)
        self._update_reminder_title()

    def set_tray_available(self, available: bool) -> None:
        self._tray_available = bool(available)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def current_tab(self) -> QWidget:
        """The current tab itself (built now if it was not yet)."""
        return self.tabs.currentWidget()

    def refresh_current(self) -> None:
        tab = self.current_tab()
        if hasattr(tab, "refresh"):
            tab.refresh()
        self._update_status()

    def open_history(self) -> None:
        from mixtimer_gui.gui.history_view import open_history

        open_history(self, self.services)

    def open_settings(self) -> None:
        from mixtimer_gui.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.services, self)
        if not dialog.exec():
            return
        if dialog.language_changed:
            i18n.install_language(self.settings.language)
        self.settings_applied.emit()

    def export_calendar(self) -> None:
        """导出日历: the tasks' next due moments and the fixed plans ahead, as .ics."""
        from mixtimer_gui.gui.calendar_export import CalendarExport

        if self.services is not None:
            CalendarExport(self, self.services).start()

    def quit(self) -> None:
        self._quitting = True
        self._save_state()
        self.bridge.close()
        QApplication.quit()

    # -- events -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_state()
        if self._tray_available and not self._quitting:
            event.ignore()
            self.hide()
            if not self.settings.tray_hint_shown:
                self.settings.tray_hint_shown = True
                self.hidden_to_tray.emit()
            return
        self.bridge.close()
        event.accept()

    def _on_changed(self, entity: str, _uids: list) -> None:
        from mixtimer_gui.services import events

        if entity in (events.TASK, events.PROJECT, events.HANDLE):
            self._status_timer.start()

    def _on_tab_changed(self, index: int) -> None:
        self.settings.current_tab = index
        self._yield_keys_to_tab()

    # -- shortcuts --------------------------------------------------------------------------

    def _call_tab(self, verb: str) -> None:
        tab = self.current_tab()
        for name in VERB_NAMES.get(verb, (verb,)):
            method = getattr(tab, name, None)
            if callable(method):
                method()
                return
        if verb == "focus_search":
            search = getattr(tab, "search", None)
            if isinstance(search, QLineEdit):
                search.setFocus()
                search.selectAll()

    def _yield_keys_to_tab(self) -> None:
        """Give a tab that binds a key itself the key alone.

        Two shortcuts with one key in scope are ambiguous to Qt and neither fires, so while a
        tab has its own Ctrl+F (say), the window's action keeps its menu entry but drops the
        key; on a tab without one, the window's key comes back.
        """
        page = QTabWidget.currentWidget(self.tabs)  # a tab not built yet binds nothing yet
        owned = _keys_bound_inside(page) if page is not None else set()
        for action, keys in self._window_keys.items():
            mine = [k for k in keys if k.toString() not in owned]
            action.setShortcuts(mine)

    def _call_in_list(self, verb: str) -> None:
        # Delete and Enter act on a list's selection only; in a form field they keep their
        # usual meaning (QLineEdit claims Delete via ShortcutOverride before we see it).
        focus = QApplication.focusWidget()
        current = self.tabs.currentWidget()
        if isinstance(focus, QAbstractItemView) and current.isAncestorOf(focus):
            self._call_tab(verb)

    # -- status bar -------------------------------------------------------------------------

    def _update_status(self) -> None:
        if self.reports is None or self.services is None:
            self._status_label.setText(self.tr("Opening the database…"))
            return
        try:
            counts = self.reports.status_counts()
        except Exception:  # the status bar must never take the window down
            log.exception("status counts failed")
            return
        self._status_label.setText(self.tr("Due: %1   Due soon: %2   Database: %3")
                                   .replace("%1", str(counts.get("已到期", 0)))
                                   .replace("%2", str(counts.get("即将到期", 0)))
                                   .replace("%3", str(self.services.location)))

    # -- the action API server's state ------------------------------------------------------

    def _build_api_status(self) -> None:
        self._api_state = ("starting" if self.settings.api_enabled else "off", "")
        self.api_status = QToolButton(self)
        self.api_status.setObjectName("apiStatus")
        self.api_status.setAutoRaise(True)
        self.api_status.clicked.connect(self._api_status_clicked)
        self.statusBar().addPermanentWidget(self.api_status)

    def set_api_state(self, state: str, detail: str = "") -> None:
        """What the status bar says of the action API server: ``"off"``, ``"starting"``,
        ``"listening"`` (``detail``: its address), ``"failed"`` (``detail``: why) or
        ``"demo"`` (never served from the demo database)."""
        self._api_state = (state, detail)
        self._show_api_state()

    def api_state(self) -> tuple[str, str]:
        return self._api_state

    def _show_api_state(self) -> None:
        state, detail = self._api_state
        if state == "listening":
            text = self.tr("API: %1").replace("%1", detail)
            tip = self.tr("The action API server is listening at %1. Click to copy the "
                          "address.").replace("%1", detail)
        elif state == "failed":
            short = detail if len(detail) <= 48 else detail[:47] + "…"
            text = self.tr("API failed: %1").replace("%1", short)
            tip = self.tr("The action API server did not start: %1\nClick to open the "
                          "settings.").replace("%1", detail)
        elif state == "demo":
            text = self.tr("API: off (demo database)")
            tip = self.tr("The action API is not served from the demo database, so that no "
                          "other tool writes to it by mistake.")
        elif state == "starting":
            text, tip = self.tr("API: starting…"), ""
        else:
            text = self.tr("API: off")
            tip = self.tr("The action API server is off. Click to open the settings, where "
                          "it is turned on.")
        self.api_status.setText(text)
        self.api_status.setToolTip(tip)

    def _api_status_clicked(self) -> None:
        state, detail = self._api_state
        if state == "listening":
            QGuiApplication.clipboard().setText(detail)
            self.statusBar().showMessage(self.tr("Copied %1").replace("%1", detail), 4000)
        elif state in ("off", "failed") and self.settings_action.isEnabled():
            self.open_settings()

    # -- the demo database ------------------------------------------------------------------

    def is_demo(self) -> bool:
        """The window shows the demo database (``gui.welcome``), not the user's own."""
        if self.services is None:
            return False
        from mixtimer_gui.gui.welcome import is_demo  # loads after the first paint

        return is_demo(self.services.location)

    def show_read_only(self, reason: str | None) -> None:
        """The database was opened read-only: a badge in the status bar, and ``reason``
        beside it (a server that wants a newer program names the version to install)."""
        if self._read_only_widgets is None:
            badge = QLabel(self)
            badge.setObjectName("readOnlyBadge")
            badge.setStyleSheet("QLabel#readOnlyBadge { background: #fdecea; color: #8a1c13; "
                                "border: 1px solid #f5b7b1; border-radius: 3px; "
                                "padding: 1px 6px; font-weight: bold; }")
            text = QLabel(self)
            text.setObjectName("readOnlyReason")
            # a long sentence is cut at the window's edge rather than widening the window
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            # Permanent, both: a passing status message must not hide it, and the other
            # permanent widgets insert at 0 (Qt refuses that index after a normal widget).
            self.statusBar().insertPermanentWidget(0, text, 1)
            self.statusBar().insertPermanentWidget(0, badge)
            self._read_only_widgets = (badge, text)
        self._read_only_reason = reason
        self._retranslate_read_only()

    def _retranslate_read_only(self) -> None:
        if self._read_only_widgets is None:
            return
        badge, text = self._read_only_widgets
        badge.setText(self.tr("Read-only"))
        reason = self._read_only_reason or self.tr(
            "Opened read-only: changes cannot be saved.")
        text.setText(reason)
        text.setToolTip(reason)
        badge.setToolTip(reason)
    def show_startup_check(self, running: bool, problem: str | None = None) -> None:
        """While the start-up check runs: a notice and a busy bar in the status bar (the
        data can be read; changes wait). After it: gone, or the damage it found."""
        if self._check_widgets is None:
            label = QLabel(self)
            label.setObjectName("startupCheck")
            bar = QProgressBar(self)
            bar.setRange(0, 0)  # SQLite's check tells no progress: a busy bar
            bar.setMaximumWidth(120)
            bar.setTextVisible(False)
            self.statusBar().insertPermanentWidget(0, bar)
            self.statusBar().insertPermanentWidget(0, label)
            self._check_widgets = (label, bar)
        label, bar = self._check_widgets
        bar.setVisible(running)
        label.setVisible(running or problem is not None)
        if running:
            label.setText(self.tr("Checking the database; changes wait"))
            label.setToolTip(self.tr("MixTimer did not exit cleanly last time, so it checks "
                                     "the database. You can look around meanwhile; changes "
                                     "are saved once the check is done."))
        elif problem is not None:
            label.setStyleSheet("QLabel#startupCheck { color: #b00020; }")
            label.setText(self.tr("The check found a problem: %1").replace("%1", problem))

    def show_backup_skipped(self, reason: str) -> None:
        """The daily copy was not made (no room on the disk): said in the status bar until
        the window closes, the reason in its tooltip."""
        if self._skipped_label is None:
            self._skipped_label = QLabel(self)
            self._skipped_label.setObjectName("backupSkipped")
            self._skipped_label.setStyleSheet("QLabel#backupSkipped { color: #b00020; }")
            self.statusBar().insertPermanentWidget(0, self._skipped_label)
        self._skipped_label.setText(self.tr("Today's backup was skipped: the disk is full"))
        self._skipped_label.setToolTip(reason)
        self._skipped_label.show()

    def _show_demo(self) -> None:
        """On the demo database: the title and the status bar say so, with a way back."""
        if not self.is_demo():
            return
        marker = self.tr("[Demo database]")
        if not self.windowTitle().startswith(marker):
            self.setWindowTitle(f"{marker} {self.windowTitle()}")
        if self._demo_widgets is None:
            label = QLabel(self)
            label.setObjectName("demoBadge")
            label.setStyleSheet("QLabel#demoBadge { background: #fff3e0; color: #8a4b00; "
                                "border: 1px solid #ffcc80; border-radius: 3px; "
                                "padding: 1px 6px; font-weight: bold; }")
            button = QPushButton(self)
            button.setObjectName("backToOwnDatabase")
            button.clicked.connect(self.back_to_own_database)
            self.statusBar().insertPermanentWidget(0, button)
            self.statusBar().insertPermanentWidget(0, label)
            self._demo_widgets = (label, button)
        label, button = self._demo_widgets
        label.setText(self.tr("Demo database"))
        button.setText(self.tr("Back to my database"))

    def back_to_own_database(self) -> bool:
        from mixtimer_gui.gui.welcome import back_to_own_database

        return back_to_own_database(self)

    def _set_reminder_unread(self, count: int) -> None:
        self._reminder_unread = int(count)
        self._update_reminder_title()

    def _update_reminder_title(self) -> None:
        if self._reminder_center is None:
            return
        index = self.tabs.indexOf(self._reminder_center)
        title = tab_title("reminders")
        if self._reminder_unread:
            title = f"{title} ({self._reminder_unread})"
        self.tabs.setTabText(index, title)

    def _about(self) -> None:
        self.help.show_about()

    # -- remembered state -------------------------------------------------------------------

    def _restore_state(self) -> None:
        screens.restore_window(self, self.settings.window_geometry)
        state = self.settings.window_state
        if not state.isEmpty():
            self.restoreState(state)
        index = self.settings.current_tab
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _save_state(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.current_tab = self.tabs.currentIndex()
        for tab in self.tab_by_key.built():
            save = getattr(tab, "save_state", None)
            if callable(save):
                save(self.settings)
        self.settings.sync()

