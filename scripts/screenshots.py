"""Render every tab and the main dialogs offscreen with demo data into docs/*.png.

    .venv/bin/python scripts/screenshots.py [--out docs] [--lang zh_CN] [--handles 3000]
                                            [--screen 1920x1080]

A fresh temporary database is filled by ``demo-data`` (as of now, zone Asia/Shanghai), the
window is built exactly as the app builds it (translations, style, CJK font) and each view is
grabbed with ``QWidget.grab()``; nothing is shown on a screen. ``--screen`` is the size of the
offscreen screen the window and dialogs fit themselves to (``--screen 1024x700`` shows a
small laptop's view; the window then takes its first-start size instead of 1360×860).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW_SIZE = (1360, 860)


def offscreen_screen(size: str) -> None:
    """Qt's offscreen platform with one screen of ``size`` ("1920x1080"): its plugin
    reads the screens from a JSON file named in the platform's options."""
    width, height = (int(part) for part in size.lower().split("x"))
    config = Path(tempfile.mkdtemp(prefix="mixtimer-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "shots", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def fill_demo_data(db: Path, handles: int) -> None:
    from mixtimer_gui.demo.loader import generate

    generate(db, objects=40, projects=12, handles=handles, seed=1, now=int(time.time()))


def settle(app: object, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()  # type: ignore[attr-defined]


def shoot(widget: object, path: Path, app: object) -> None:
    settle(app)
    if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def shoot_dialog(make: Callable[[], object], path: Path, app: object) -> None:
    try:
        dialog = make()
    except Exception as exc:  # another engineer's dialog may not be there yet
        print(f"skipped {path.name}: {exc}")
        return
    dialog.show()  # type: ignore[attr-defined]
    shoot(dialog, path, app)
    dialog.close()  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--handles", type=int, default=3000)
    parser.add_argument("--screen", default="1920x1080", help="the offscreen screen, WxH")
    args = parser.parse_args(argv)
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        offscreen_screen(args.screen)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    from mixtimer_gui.domain import clock

    clock.set_local_zone("Asia/Shanghai")
    from mixtimer_gui.gui import i18n
    from mixtimer_gui.gui.app import install_reminders, make_application
    from mixtimer_gui.gui.main_window import MainWindow
    from mixtimer_gui.gui.project_form import ProjectForm
    from mixtimer_gui.gui.settings import AppSettings
    from mixtimer_gui.gui.settings_dialog import SettingsDialog
    from mixtimer_gui.services import Services

    work = Path(tempfile.mkdtemp(prefix="mixtimer-shots-"))
    db = work / "mixtimer.db"
    fill_demo_data(db, args.handles)
    app = make_application()
    i18n.install_language(args.lang)
    services = Services.open(db)
    settings = AppSettings(work / "settings.ini")
    window = MainWindow(services, settings)
    room = window.screen().availableGeometry()
    if room.width() >= WINDOW_SIZE[0] + 100 and room.height() >= WINDOW_SIZE[1] + 100:
        window.resize(*WINDOW_SIZE)  # else: the first-start size fitted to the screen
    window.show()
    reminders = install_reminders(app, window, services)  # adds the 提醒 tab when present
    overview = window.tab_by_key["overview"]
    deadline = time.monotonic() + 60
    while getattr(overview, "charts_busy", lambda: False)() and time.monotonic() < deadline:
        app.processEvents()  # the charts load on a worker thread
        time.sleep(0.02)
    settle(app)

    for index, key in enumerate(window.tab_by_key):
        window.tabs.setCurrentIndex(index)
        tab = window.tab_by_key[key]
        table = getattr(tab, "view", None)
        if table is not None and table.model() is not None and table.model().rowCount():
            table.selectRow(0)  # the detail panes are part of the picture
        shoot(window, out / f"tab-{key}.png", app)

    projects = services.projects.list({"page_size": 50})["data"]
    statistic = next((p for p in projects if p["cycle_type"] == "统计周期"), None)
    natural = next((p for p in projects if p["cycle_type"] == "自然时间周期"), projects[0])
    shoot_dialog(lambda: ProjectForm(services, natural, window), out / "project-form.png", app)
    if statistic is not None:
        shoot_dialog(lambda: ProjectForm(services, statistic, window),
                     out / "project-form-statistic.png", app)
    shoot_dialog(lambda: SettingsDialog(settings, services, window), out / "settings.png", app)

    tasks = services.tasks.list({"page_size": 1, "order_by": "due_at",
                                 "where_and": [["status", "=", "已到期"]]})["data"]
    if tasks:
        def handle_dialog() -> object:
            from mixtimer_gui.gui.handle_dialog import HandleDialog

            return HandleDialog(services, tasks[0], window)

        shoot_dialog(handle_dialog, out / "handle-dialog.png", app)

    def history_dialog() -> object:
        from mixtimer_gui.gui.history_view import HistoryDialog

        dialog = HistoryDialog(services, parent=window)
        deadline = time.monotonic() + 30
        while not dialog.model.rowCount() and time.monotonic() < deadline:
            app.processEvents()  # its first page loads on a worker thread
            time.sleep(0.02)
        return dialog

    shoot_dialog(history_dialog, out / "history.png", app)
    del reminders
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
