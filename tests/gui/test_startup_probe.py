"""DESK_APP_STARTUP_PROBE=1: the window reports its first paint and its first paint with the desk
attached, then closes, so the benchmark can time the source and the bundle alike (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from desk_app.gui import startup_probe
from desk_app.services.desk import Desk
from desk_app.store.store import Store


def configured_database(folder: Path) -> Path:
    """A desk database set up for a commune, as `desk-app init` makes it."""
    database = folder / "desk.sqlite3"
    desk = Desk(Store.open(database))
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    desk.store.close()
    return database


def test_the_window_reports_both_paints_and_closes(tmp_path: Path) -> None:
    database = configured_database(tmp_path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_APP_STARTUP_PROBE="1", DESK_APP_HOME=str(tmp_path))
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "desk_app", "--db", str(database)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    times = dict(line.split() for line in done.stdout.splitlines() if line.split()[0].endswith("-paint"))
    first, ready = float(times["first-paint"]), float(times["ready-paint"])
    assert started < first <= ready < time.time()


def test_without_the_variable_nothing_is_installed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(startup_probe.ENV, raising=False)
    assert not startup_probe.wanted()
    monkeypatch.setenv(startup_probe.ENV, "1")
    assert startup_probe.wanted()
