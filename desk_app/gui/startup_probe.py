"""Start-up timing for the benchmark (bench/startup_bench.py), from source and from the bundle.

With DESK_APP_STARTUP_PROBE=1 in the environment, the window prints the wall-clock time of its
first paint ("first-paint <seconds since the epoch>") and of its first paint once the desk is
attached and the form enabled ("ready-paint …"), then closes. Without it nothing is installed.
It listens to the main window's own paint signals: no event filter (which would slow every event
of the window) and no Qt event types to load.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from desk_app.gui.main_window import MainWindow

ENV = "DESK_APP_STARTUP_PROBE"


def wanted() -> bool:
    return os.environ.get(ENV) == "1"


class StartupProbe:
    """Reports the window's first paint and its ready paint (see ``MainWindow.ready_painted``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        # Reported on the next turn of the event loop: after the paint itself is done.
        window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: _report("first-paint")))
        window.ready_painted.connect(self._ready_painted)

    def _ready_painted(self) -> None:
        _report("ready-paint")  # ready_painted comes on the turn after the paint
        QTimer.singleShot(0, self.window.close)


def _report(what: str) -> None:
    print(what, time.time(), flush=True)
