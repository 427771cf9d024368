"""Start-up timing for the benchmark (bench/startup_bench.py), from source and from the bundle.

With DESK_APP_STARTUP_PROBE=1 in the environment, the window prints the wall-clock time of its
first paint ("first-paint <seconds since the epoch>") and of its first paint once the desk is
attached and the form enabled ("ready-paint …"), then closes. Without it nothing is installed.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV = "DESK_APP_STARTUP_PROBE"


def wanted() -> bool:
    return os.environ.get(ENV) == "1"


class StartupProbe(QObject):
    """Watches the main window's paint events; ``ready`` is called when the desk is attached."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window, self.painted, self.waiting_ready = window, False, False
        window.installEventFilter(self)

    def ready(self, window: QWidget) -> None:
        self.waiting_ready = True
        window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            # Reported on the next turn of the event loop: after the paint itself is done.
            if not self.painted:
                self.painted = True
                QTimer.singleShot(0, lambda: _report("first-paint"))
            elif self.waiting_ready:
                self.waiting_ready = False
                QTimer.singleShot(0, self._ready_painted)
        return False

    def _ready_painted(self) -> None:
        _report("ready-paint")
        self.window.close()


def _report(what: str) -> None:
    print(what, time.time(), flush=True)
