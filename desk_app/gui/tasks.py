"""One background worker owns the store; the GUI thread submits work and gets results by signal.

Like Anki's task manager: every database, rendering or printing job runs on a single worker
thread, in order, so the window never waits and the SQLite connection has one user.
Tests inject ``SyncRunner``, which runs the job at once on the calling thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Runner(Protocol):
    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> None: ...


class _Bridge(QObject):
    """Carries results from the worker thread to the GUI thread (queued signal)."""

    finished = Signal(object, object, object)  # callback, value, is_error


class TaskRunner(QObject):
    """A single worker thread; callbacks run on the thread that created the runner (the GUI)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[tuple[Job, Done | None, Failed | None] | None] = queue.Queue()
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._work, name="desk-store-worker", daemon=True)
        self._thread.start()

    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> None:
        self._jobs.put((job, on_done, on_error))

    def stop(self, timeout: float = 10.0) -> None:
        """Finish queued jobs (a save in flight must reach the disk), then end the worker."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, on_done, on_error = item
            try:
                value = job()
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
                log.exception("background job failed")
                self._bridge.finished.emit(on_error, exc, True)
            else:
                self._bridge.finished.emit(on_done, value, False)

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any], None] | None, value: Any, is_error: bool) -> None:
        if callback is not None:
            callback(value)
        elif is_error:
            log.error("unhandled background failure: %r", value)


class SyncRunner:
    """Runs each job immediately; for tests, so they need no event-loop waiting."""

    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> None:
        try:
            value = job()
        except BaseException as exc:  # noqa: BLE001
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(value)
