"""What the counter window has loaded when it first shows itself usable (issue 11's cold start).

A fresh process opens a configured desk offscreen, as the start-up benchmark does, and lists its
modules at the ready paint (desk attached, form enabled). The heavy modules load later, when first
needed: sqlite-utils (migrations and a few table helpers), argon2 (signing in), the sync services
with httpx and cryptography, reportlab and the papers, QtCharts (the Thống kê tab), QtPdf (preview),
the hub. Should one of them come back onto the start path, the start gets slower: this fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.gui.test_startup_probe import configured_database

CHILD = """
import json, sys
from desk_app.gui import startup_probe

def report(what):
    if what == "ready-paint":
        print("modules", json.dumps(sorted(sys.modules)), flush=True)

startup_probe._report = report
from desk_app.gui.app import run
sys.exit(run(["--db", sys.argv[1]]))
"""

NOT_ON_THE_START_PATH = (
    "sqlite_utils", "click", "dateutil", "pluggy",  # sqlite-utils and what it brings
    "argon2", "cryptography", "httpx",
    "desk_app.services.sync", "desk_app.sync", "desk_app.hub",
    "reportlab", "segno", "PIL", "desk_app.printing",
    "PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport",
)


def loaded_at_ready(database: Path, home: Path) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_APP_STARTUP_PROBE="1", DESK_APP_HOME=str(home))
    done = subprocess.run([sys.executable, "-c", CHILD, str(database)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("modules ")]
    assert len(lines) == 1, f"no ready paint reported:\n{done.stdout}\n{done.stderr}"
    return set(json.loads(lines[0].removeprefix("modules ")))


def test_the_ready_window_has_not_loaded_the_heavy_modules(tmp_path: Path) -> None:
    modules = loaded_at_ready(configured_database(tmp_path), tmp_path)
    assert {"desk_app.gui.reception_form", "desk_app.services.desk", "desk_app.store.store"} <= modules
    heavy = sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_ON_THE_START_PATH))
    assert heavy == []
