"""The Help menu: the user guide (F1), the keyboard shortcuts, the data folder, About.

The main window's shell imports this module, so it stays as light as the shell (no Qt
namespace, no store, no services): the dialogs, and what they read (the settings, the CSV
column tables, the API's action table), load when first opened (``gui.help_dialogs``).
The actions are the window's own, so F1 works wherever the window has the focus and the
shortcut list finds them like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from mixtimer_gui.gui.icons import icon

if TYPE_CHECKING:
    from mixtimer_gui.gui.help_dialogs import GuideDialog
    from mixtimer_gui.gui.main_window import MainWindow

log = logging.getLogger(__name__)

GUIDE_KEY = "F1"


class HelpActions(QObject):
    """Fills the window's Help menu and opens what it offers.

    ``about`` is the window's existing About action: it goes last in the menu, and the window
    calls ``show_about`` from it.
    """

    def __init__(self, window: MainWindow, menu: QMenu, about: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.guide_dialog: GuideDialog | None = None
        self.guide_action = self._action("help_guide", self.show_guide, GUIDE_KEY)
        self.shortcuts_action = self._action("help_shortcuts", self.show_shortcuts)
        self.data_folder_action = self._action("help_data_folder", self.open_data_folder,
                                               icon_name="folder")
        for action in (self.guide_action, self.shortcuts_action, None,
                       self.data_folder_action, None, about):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        # The folder is the database's: there is none to open until the database is there.
        self.data_folder_action.setEnabled(window.is_attached())
        window.attached.connect(lambda: self.data_folder_action.setEnabled(True))
        window.installEventFilter(self)  # a QObject hears no LanguageChange of its own
        self.retranslate()

    def _action(self, name: str, slot: Callable[[], Any], key: str | None = None,
                icon_name: str | None = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        if key is not None:
            action.setShortcuts([QKeySequence(key)])
        if icon_name is not None:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def retranslate(self) -> None:
        self.guide_action.setText(self.tr("&User guide"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.data_folder_action.setText(self.tr("Open the &data folder"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    # -- what the menu opens ------------------------------------------------------------------

    def show_guide(self) -> GuideDialog:
        """The guide, filled in with this workstation's values as they are now."""
        from mixtimer_gui.gui.help_dialogs import GuideDialog

        if self.guide_dialog is None:
            self.guide_dialog = GuideDialog(self.window)
        self.guide_dialog.reload()
        self.guide_dialog.show()
        self.guide_dialog.raise_()
        self.guide_dialog.activateWindow()
        return self.guide_dialog

    def show_shortcuts(self) -> QWidget:
        from mixtimer_gui.gui.help_dialogs import ShortcutsDialog

        return self._open(ShortcutsDialog(self.window))

    def show_about(self) -> QWidget:
        from mixtimer_gui.gui.help_dialogs import AboutDialog

        return self._open(AboutDialog(self.window))

    @staticmethod
    def _open(dialog: QWidget) -> QWidget:
        # Window-modal and without a nested event loop (``open``, not ``exec``): the window
        # keeps repainting, and tests drive the dialog like a user.
        dialog.open()
        return dialog

    def open_data_folder(self) -> bool:
        services = self.window.services
        if services is None:
            return False
        folder = services.ctx.data_dir
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        log.warning("no file manager opened %s", folder)
        QMessageBox.warning(self.window, self.tr("Data folder"),
                            self.tr("No file manager could be opened. The data folder is:\n%1")
                            .replace("%1", str(folder)))
        return False

