"""The background runner: its own connection, backoff with jitter, resuming, pokes, stopping."""

from __future__ import annotations

import threading
import time

import pytest

from desk_app.services.desk import Desk
from desk_app.services.sync import sync_status
from desk_app.services.sync_runner import RunOutcome, SyncRunner
from tests.sync.conftest import register


def wait_until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def runner_for(clock, hub):
    made = []

    def make(desk: Desk, **options) -> tuple[SyncRunner, list[RunOutcome]]:
        outcomes: list[RunOutcome] = []
        runner = SyncRunner(desk.store.path, make_desk=lambda store: Desk(store, clock=clock, device_clock=clock,
                                                                          actor="sync"),
                            connect=hub.connect, on_outcome=outcomes.append, **options)
        made.append(runner)
        return runner, outcomes

    yield make
    for runner in made:
        assert runner.stop(10)


def test_backoff_doubles_with_jitter_up_to_the_cap(tmp_path):
    fixed = SyncRunner(tmp_path / "x", backoff_start=5, backoff_max=300, jitter=lambda: 1.0)
    assert [fixed.backoff(n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]
    low = SyncRunner(tmp_path / "x", backoff_start=5, backoff_max=300, jitter=lambda: 0.0)
    assert [low.backoff(n) for n in (1, 2, 7)] == [2.5, 5, 150]


def test_the_runner_backs_off_while_the_hub_is_down_and_resumes_when_it_returns(enrolled, hub, runner_for):
    dossiers = [register(enrolled, i) for i in range(3)]
    hub.down = True
    runner, outcomes = runner_for(enrolled, interval=30, backoff_start=0.05, backoff_max=0.4, jitter=lambda: 1.0)
    runner.start()
    wait_until(lambda: runner.failures >= 4)
    assert [o.error.code for o in outcomes[:4]] == ["hub_unreachable"] * 4
    assert [o.next_in for o in outcomes[:4]] == [0.05, 0.1, 0.2, 0.4]
    assert runner.alive and enrolled.recorder.outbox.pending_count() > 0
    assert sync_status(enrolled).last_error.startswith("Chưa đồng bộ được: không kết nối được máy chủ")

    hub.down = False  # the link is back: the next attempt (at most backoff_max later) succeeds
    wait_until(lambda: outcomes[-1].report is not None)
    assert runner.failures == 0 and outcomes[-1].next_in == 30
    assert enrolled.recorder.outbox.pending_count() == 0 and hub.hub.stats()["dossiers"] == len(dossiers)
    assert sync_status(enrolled).last_error is None


def test_a_poke_syncs_a_new_change_at_once_and_stop_is_prompt(enrolled, hub, runner_for):
    runner, outcomes = runner_for(enrolled, interval=600)
    runner.start()
    wait_until(lambda: outcomes and outcomes[-1].report is not None)
    register(enrolled, 1)
    assert enrolled.recorder.outbox.pending_count() == 1
    runner.poke()
    wait_until(lambda: enrolled.recorder.outbox.pending_count() == 0, timeout=10)
    started = time.monotonic()
    assert runner.stop(10) and time.monotonic() - started < 5 and not runner.alive


def test_a_poke_does_not_cut_a_backoff_short_but_a_forced_one_does(enrolled, hub, runner_for):
    hub.down = True
    runner, outcomes = runner_for(enrolled, interval=600, backoff_start=600, backoff_max=600)
    runner.start()
    wait_until(lambda: runner.failures == 1)
    runner.poke()
    time.sleep(0.3)
    assert runner.attempts == 1
    hub.down = False
    runner.poke(now=True)
    wait_until(lambda: outcomes[-1].report is not None)
    assert runner.attempts == 2


def test_nothing_escapes_the_thread(enrolled, tmp_path, hub):
    calls = []

    def broken(store):
        calls.append(threading.current_thread().name)
        raise RuntimeError("boom")

    outcomes: list[RunOutcome] = []

    def listener(outcome):
        outcomes.append(outcome)
        raise ValueError("a listener's bug")

    runner = SyncRunner(enrolled.store.path, make_desk=broken, connect=hub.connect, backoff_start=0.02,
                        backoff_max=0.05, on_outcome=listener)
    runner.start()
    wait_until(lambda: len(outcomes) >= 3)
    assert runner.alive and outcomes[0].error.code == "bug" and "boom" in outcomes[0].error.message
    assert set(calls) == {"desk-sync"}  # the work ran on the runner's own thread
    assert runner.stop(10)


def test_an_unenrolled_desk_is_left_alone(desk, hub, runner_for):
    runner, outcomes = runner_for(desk, interval=600)
    runner.start()
    wait_until(lambda: outcomes)
    assert outcomes[0] == RunOutcome(None, None, 0, 600) and runner.failures == 0


def test_a_missing_database_is_retried_not_raised(tmp_path):
    outcomes: list[RunOutcome] = []
    folder = tmp_path / "not-yet"
    runner = SyncRunner(folder / "desk.sqlite3", backoff_start=0.02, backoff_max=0.05, on_outcome=outcomes.append)
    runner.start()
    wait_until(lambda: runner.failures >= 2)
    assert runner.alive and runner.stop(10) and not folder.exists()
