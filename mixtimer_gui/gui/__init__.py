"""Everything Qt: the application, the main window, tabs, models, dialogs, translations.

Only this package imports PySide6 (DESIGN §1).
"""
