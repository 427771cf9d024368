"""Sync in the background, "when connected": a plain thread with its own database connection.

The window starts one ``SyncRunner`` for its database and ``poke()``s it after every change; the
counter never waits for the network. The thread opens its own Store (a SQLite connection
belongs to the thread that made it, and the window's connection is the window worker's), syncs
when the desk is enrolled, and sleeps between runs:

* after a success, ``interval`` seconds, or less if poked (a change was recorded);
* after a failure that may pass (hub unreachable, another program syncing, an unreadable
  answer), exponential backoff from ``backoff_start`` to ``backoff_max`` seconds, with "equal
  jitter" (half the delay fixed, half random) so fifty desks coming back after an outage do not
  knock on the hub in step; a poke does not shorten a backoff, ``poke(now=True)`` does (the
  receptionist pressed "Đồng bộ ngay");
* after a refusal (revoked or unknown desk), ``backoff_max``: an administrator must act.

Nothing escapes the thread: each outcome (report or error) goes to ``on_outcome`` and the log,
and ``sync_status`` reads the same from the database. Stopping is prompt between runs and waits
for a run in progress to end (the hub's answers are kept as they arrive).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk_app.services.desk import Desk
from desk_app.services.sync import Connect, SyncFailed, SyncReport, sync_now
from desk_app.store import sync_state
from desk_app.store.store import Store
from desk_app.sync.client import HubClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """One background attempt: ``report`` on success, else ``error`` (None for both: the desk is
    not enrolled, nothing was tried). ``failures`` in a row so far; ``next_in``: seconds to the
    next attempt. Delivered on the runner's thread: a window must hand it to its own thread."""

    report: SyncReport | None
    error: SyncFailed | None
    failures: int
    next_in: float


class SyncRunner:
    """Background sync of the database at ``db_path`` (see the module docstring)."""

    def __init__(
        self,
        db_path: Path,
        *,
        make_desk: Callable[[Store], Desk] | None = None,
        connect: Connect = HubClient,
        interval: float = 60.0,
        backoff_start: float = 5.0,
        backoff_max: float = 300.0,
        jitter: Callable[[], float] = random.random,
        on_outcome: Callable[[RunOutcome], None] | None = None,
    ) -> None:
        self.db_path = db_path
        self._make_desk = make_desk or (lambda store: Desk(store, actor="sync"))
        self._connect = connect
        self.interval = interval
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self._jitter = jitter
        self._on_outcome = on_outcome
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._forced = False
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.attempts = 0
        self.delays: list[float] = []  # every wait chosen, newest last (kept short): for tests and logs

    # control -----------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync runner is already started")
        self._thread = threading.Thread(target=self._main, name="desk-sync", daemon=True)
        self._thread.start()

    def poke(self, *, now: bool = False) -> None:
        """A change was recorded: sync soon (at once unless backing off). ``now``: even when
        backing off (an explicit request by a person). Safe from any thread."""
        if now:
            self._forced = True
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> bool:
        """Ask the thread to end and wait up to ``timeout`` seconds; True when it has ended."""
        self._stopping.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def backoff(self, failures: int) -> float:
        """The wait after ``failures`` failures in a row: doubling from ``backoff_start`` up to
        ``backoff_max``, half of it fixed and half random."""
        delay = min(self.backoff_max, self.backoff_start * 2.0 ** max(0, failures - 1))
        return float(delay / 2 + delay / 2 * self._jitter())

    # the thread --------------------------------------------------------------------------------

    def _main(self) -> None:
        store: Store | None = None
        try:
            while not self._stopping.is_set():
                if store is None:
                    store = self._open()
                delay = self._once(store) if store is not None else self._after_failure(None)
                self._sleep(delay)
        finally:
            if store is not None:
                try:
                    store.close()
                except Exception:
                    log.exception("closing the sync runner's database")

    def _open(self) -> Store | None:
        if not self.db_path.exists():  # never create a database: only `init` and the set-up do
            log.warning("sync runner: no database at %s", self.db_path)
            return None
        try:
            return Store.open(self.db_path)
        except Exception as exc:
            log.warning("sync runner cannot open %s: %r", self.db_path, exc)
            return None

    def _once(self, store: Store) -> float:
        self.attempts += 1
        try:
            desk = self._make_desk(store)
            if not desk.configured or sync_state.enrolment(store) is None:
                self._tell(RunOutcome(None, None, self.failures, self.interval))
                return self.interval
            report = sync_now(desk, connect=self._connect, wait=0)
        except SyncFailed as exc:
            log.info("background sync failed (%s): %s", exc.code, exc.message)
            delay = self.interval if exc.code == "sync_busy" else self._after_failure(exc)
            self._tell(RunOutcome(None, exc, self.failures, delay))
            return delay
        except Exception as exc:  # a bug or the disk: logged, retried with backoff, never raised
            log.exception("background sync failed unexpectedly")
            failure = SyncFailed("bug", f"Lỗi không mong đợi khi đồng bộ ({type(exc).__name__}: {exc}).", retry=True)
            delay = self._after_failure(failure)
            self._tell(RunOutcome(None, failure, self.failures, delay))
            return delay
        self.failures = 0
        self._tell(RunOutcome(report, None, 0, self.interval))
        return self.interval

    def _after_failure(self, error: SyncFailed | None) -> float:
        self.failures += 1
        if error is not None and not error.retry:
            return self.backoff_max  # a refusal: retrying soon cannot help
        return self.backoff(self.failures)

    def _tell(self, outcome: RunOutcome) -> None:
        if self._on_outcome is None:
            return
        try:
            self._on_outcome(outcome)
        except Exception:
            log.exception("sync outcome listener failed")

    def _sleep(self, delay: float) -> None:
        """Wait ``delay`` seconds; a poke ends the wait early unless backing off (then only a
        forced poke does); stopping always does."""
        self.delays = [*self.delays[-99:], delay]
        deadline = time.monotonic() + delay
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            woke = self._wake.wait(left)
            self._wake.clear()
            if woke and (self._forced or self.failures == 0):
                self._forced = False
                return
