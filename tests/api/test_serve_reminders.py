"""DESIGN §5: `serve` runs the reminders headless and writes what fires to the log."""

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


def test_serve_logs_the_catch_up_reminder_once(tmp_path: Path) -> None:
    db = tmp_path / "serve" / "mixtimer.db"
    task_uid = _overdue_project(db)

    def serve_once() -> list[tuple[str, str]]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mixtimer_gui", "serve", "--db", str(db), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().startswith("listening on ")
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == 0, err
        with sqlite3.connect(db) as conn:
            return conn.execute('SELECT task_id, kind FROM reminder_log').fetchall()

    # The catch-up is logged before the listening line; a second start repeats nothing.
    first = serve_once()
    assert [task for task, _ in first] == [task_uid]
    assert serve_once() == first
