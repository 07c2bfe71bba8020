"""DESIGN §5 and issue 7: `serve` runs the reminders headless (logged), keeps today's
verified backup, and writes its log file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services
from mixtimer_gui.store import backup


def _overdue_project(db: Path) -> str:
    """A running 1-hour project started three hours ago (real time): its task is overdue."""
    services = Services.open(db, clock=FakeClock(int(time.time()) - 3 * 3600))
    try:
        uid = services.projects.create({"name": "锅炉巡检", "cycle_type": "自然时间周期",
                                        "period_num": 1, "period_unit": "时",
                                        "object_id_list": ["boiler-1"]})["uid"]
        services.projects.start({"uid": uid})
        return services.tasks.list({})["data"][0]["uid"]
    finally:
        services.close()


def _serve_until_ready(db: Path, **env: str) -> None:
    """Run `serve` until its listening line, then stop it with SIGTERM; it must exit 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixtimer_gui", "serve", "--db", str(db), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("listening on ")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err


def _reminders(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT task_id, kind FROM reminder_log").fetchall()


def test_serve_logs_the_catch_up_reminder_once(tmp_path: Path) -> None:
    db = tmp_path / "serve" / "mixtimer.db"
    task_uid = _overdue_project(db)
    # The catch-up is logged before the listening line; a second start repeats nothing.
    _serve_until_ready(db)
    first = _reminders(db)
    assert [task for task, _ in first] == [task_uid]
    _serve_until_ready(db)
    assert _reminders(db) == first


def test_serve_keeps_a_daily_backup_and_a_log_file(tmp_path: Path) -> None:
    db = tmp_path / "serve" / "mixtimer.db"
    _overdue_project(db)
    _serve_until_ready(db, XDG_STATE_HOME=str(tmp_path / "state"))
    daily = [p for p in (db.parent / "backups").glob("*.db.zst") if "daily" in p.name]
    assert len(daily) == 1
    with backup.plain_copy(daily[0]) as plain, sqlite3.connect(plain) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM project").fetchone()[0] == 1
    logs = list((tmp_path / "state").rglob("mixtimer-gui.log"))
    assert logs and "reminder" in logs[0].read_text(encoding="utf-8").lower()
