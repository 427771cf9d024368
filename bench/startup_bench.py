"""Cold start of the counter window against a bare PySide6 window, measured in the same run.

Each start is a fresh process (QT_QPA_PLATFORM=offscreen), timed from just before the
process is spawned to the first paint of its main window; the desk opens a configured database
made with `desk-app init`. The desk paints its window before the worker opens the database, so
a second figure is given: the first paint after the desk is attached ("ready": commune in the
status bar, form enabled). The desk reports both itself when DESK_APP_STARTUP_PROBE=1
(desk_app/gui/startup_probe.py), from source (`python -m desk_app`) and from the bundle
(dist/desk-app/desk-app, when built). Runs alternate (bare, desk, bare, desk, …) so both see the
same machine state; medians and ratios are printed (goal: ready ≤ 1.5 × bare).

    .venv/bin/python bench/startup_bench.py [--runs 5] [--bundle] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The children print the wall-clock time of the first paint of their main window; the desk
# also prints its first paint after the desk is attached ("ready": status bar, procedures).
PAINT_PROBE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe:
    # Wraps a main window class's paintEvent: no application-wide event filter, which would
    # slow every event of the richer window and distort the comparison.
    def __init__(self, window_class, wait_ready):
        self.wait_ready, self.ready, self.painted = wait_ready, False, False
        original = window_class.paintEvent
        probe = self
        def paintEvent(window, event):
            original(window, event)
            probe.on_paint(window)
        window_class.paintEvent = paintEvent
    def on_paint(self, window):
        if not self.painted:
            self.painted = True
            print("first-paint", time.time(), flush=True)
            if not self.wait_ready:
                QTimer.singleShot(0, window.close)
        elif self.ready:
            self.ready = False
            print("ready-paint", time.time(), flush=True)
            QTimer.singleShot(0, window.close)
    def on_ready(self, window):
        self.ready = True
        window.update()
"""

BARE = PAINT_PROBE + """
import sys
from PySide6.QtWidgets import QLabel
class Window(QMainWindow):
    pass
app = QApplication(sys.argv[:1])
probe = Probe(Window, wait_ready=False)
window = Window()
window.setCentralWidget(QLabel("Xin chào"))
window.resize(1366, 740)
window.show()
app.exec()
"""

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "desk-app" / "desk-app"
SOURCE = [sys.executable, "-m", "desk_app"]


def make_database(folder: Path) -> Path:
    database = folder / "desk.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "desk_app", "--db", str(database), "init", "--commune", "Xã Tân Phú",
         "--authority", "Ủy ban nhân dân xã Tân Phú", "--unit-code", "000.21.33.H49", "--desk", "1"],
        check=True, capture_output=True,
    )
    return database


def paint_times_ms(command: list[str]) -> dict[str, float]:
    """Milliseconds from spawning the process to each reported paint."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_APP_STARTUP_PROBE="1")
    # The warm-up start writes the bytecode cache, as any install has it (pip compiles on install,
    # the bundle ships compiled modules); without it every start would compile desk_app anew.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    times = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("first-paint", "ready-paint"):
            times[name] = (float(value) - start) * 1000
    if "first-paint" not in times:
        raise RuntimeError(f"no paint reported (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return times


def measure(runs: int, desk: list[str]) -> dict[str, float]:
    """Medians over ``runs`` alternated starts: bare first paint, desk first paint, desk ready."""
    with tempfile.TemporaryDirectory(prefix="desk-startup-") as folder:
        database = str(make_database(Path(folder)))
        bare_command = [sys.executable, "-c", BARE]
        paint_times_ms(bare_command)  # warm the file cache once for both
        paint_times_ms([*desk, "--db", database])
        bare, first, ready = [], [], []
        for _ in range(runs):
            bare.append(paint_times_ms(bare_command)["first-paint"])
            times = paint_times_ms([*desk, "--db", database])
            first.append(times["first-paint"])
            ready.append(times["ready-paint"])
    return {"bare": statistics.median(bare), "first": statistics.median(first), "ready": statistics.median(ready),
            "bare_runs": bare, "first_runs": first, "ready_runs": ready}  # type: ignore[dict-item]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", action="store_true", help=f"start {BUNDLE} instead of the source")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    m = measure(args.runs, [str(BUNDLE)] if args.bundle else SOURCE)
    result = {key: round(value, 1) if isinstance(value, float) else [round(v, 1) for v in value]
              for key, value in m.items()}
    result |= {"ratio_first_paint": round(m["first"] / m["bare"], 2), "ratio_ready": round(m["ready"] / m["bare"], 2)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"bare PySide6 window, first paint:     median {result['bare']} ms  {result['bare_runs']}")
        print(f"desk window, first paint:             median {result['first']} ms  {result['first_runs']}")
        print(f"desk window, ready (desk attached):   median {result['ready']} ms  {result['ready_runs']}")
        print(f"ratio first paint desk/bare: {result['ratio_first_paint']}; "
              f"ready/bare: {result['ratio_ready']} (goal ≤ 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
