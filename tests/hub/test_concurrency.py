"""Several hub processes share one database: correctness comes from transactions and unique
constraints. Two Hub instances (two pools, as two processes would have) race on the same work."""

from __future__ import annotations

import threading

from desk_app.domain import events as ev
from desk_app.hub.service import Hub
from tests.hub.conftest import table_counts


def _race(n: int, work) -> list:
    results: list = [None] * n
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # reported below, with the thread's result
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_the_same_batch_pushed_to_two_hub_processes_at_once_applies_once(hub_url, hub_clock, make_desk):
    hubs = [Hub.open(hub_url, clock=hub_clock) for _ in range(2)]
    try:
        desk = make_desk()
        desk.enroll_on(hubs[0])
        batches = [desk.batch([desk.received() for _ in range(50)]) for _ in range(4)]
        # Each batch goes to both processes at the same moment (a duplicated request behind a proxy).
        for batch in batches:
            results = _race(2, lambda i: hubs[i].push(batch))
            applied = sum(a.status.value == "applied" for r in results for a in r.answers)
            duplicate = sum(a.status.value == "duplicate" for r in results for a in r.answers)
            assert (applied, duplicate) == (50, 50)
        counts = table_counts(hubs[0])
        assert counts["events"] == 200 and counts["dossiers"] == 200 and counts["held_events"] == 0
    finally:
        for h in hubs:
            h.close()


def test_change_log_numbers_are_unique_and_gapless_under_concurrent_publishers(hub_url, hub_clock):
    hubs = [Hub.open(hub_url, clock=hub_clock) for _ in range(3)]
    try:
        updates = _race(6, lambda i: hubs[i % 3].publish(ev.Kind.CALENDAR_UPDATED, f"v{i}", {"days": []})[0])
        assert sorted(u.hub_seq for u in updates) == [1, 2, 3, 4, 5, 6]
        assert len({h.epoch for h in hubs}) == 1 and len({h.public_key for h in hubs}) == 1
    finally:
        for h in hubs:
            h.close()
