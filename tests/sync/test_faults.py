"""Fault tests (issue 7, item 8): desks syncing with a real `desk-app hub serve` process through
a fault-injecting proxy (drops, resets after the hub applied, duplicates, delays, truncations),
the hub killed with SIGKILL in the middle of a batch, a desk restored from an old backup, two
desks of one commune, fifty desks at once. After each, the hub holds exactly the union of what
the desks hold (counts and a checksum of event uuids and hashes), nothing twice.

The CI run pushes ~100 batches through the faults; ``DESK_SYNC_LONG=1`` makes it ≥ 1,000.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from desk_app.domain.codes import parse_code
from desk_app.domain.dossier import Status
from desk_app.hub.service import Hub
from desk_app.services.backup import backup_to, restore_from
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.services.sync import SyncFailed, enroll, sync_now, sync_status
from desk_app.store.store import Store
from desk_app.sync.client import HubClient
from tests.sync.conftest import person
from tests.sync.faultproxy import Fault, FaultPlan, FaultProxy
from tests.sync.processes import HubProcess, assert_hub_holds_the_union

UNIT = "000.21.33.H49"
LONG = os.environ.get("DESK_SYNC_LONG") == "1"
VN = dt.timezone(dt.timedelta(hours=7))


def quick(url: str) -> HubClient:
    """A client that gives up fast on a dead connection (the proxy's faults are immediate)."""
    return HubClient(url, timeout=10.0)


@pytest.fixture
def hub(tmp_path):
    process = HubProcess(tmp_path).start()
    yield process
    process.stop()


class BusinessClock:
    """The desk's business clock: it turns to the next day after 900 dossiers, so a long run never
    exhausts a desk's 999 codes of a day. (Events keep the real device time beside it.)"""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 6, 1, 8, 0, tzinfo=VN)
        self.issued = 0

    def __call__(self) -> dt.datetime:
        return self.now

    def take(self) -> None:
        self.issued += 1
        if self.issued % 900 == 0:
            self.now += dt.timedelta(days=1)


def new_desk(path: Path, hub: HubProcess, desk_no: int, unit: str = UNIT, admin: Hub | None = None) -> Desk:
    desk = Desk(Store.open(path), clock=BusinessClock(), actor="fault-test")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code=unit, desk_no=desk_no)
    code = admin.issue_code(unit, desk_no).code if admin else hub.code(unit, desk_no)
    enroll(desk, hub.base, code)
    return desk


def register(desk: Desk, count: int, start: int = 0) -> list[str]:
    """``count`` dossiers in one transaction (one fsync): the fault runs need many events fast."""
    codes = []
    with desk.store.transaction():
        for i in range(count):
            if isinstance(desk.clock, BusinessClock):
                desk.clock.take()
            codes.append(receive(desk, ReceptionRequest(procedure_code="1.004837", name=person(start + i))).dossier.code)
    return codes


def converge(desk: Desk, url: str, *, attempts: int = 20) -> None:
    """Sync until nothing is pending (faults off by then); failures in between are expected."""
    for _ in range(attempts):
        try:
            if sync_now(desk, connect=lambda _: quick(url)).pending == 0:
                return
        except SyncFailed:
            time.sleep(0.1)
    raise AssertionError(f"desk did not converge: {sync_status(desk).summary()}")


def decision_count(desk: Desk, code: str) -> int:
    return int(desk.store.db.execute(
        "SELECT count(*) FROM outbox o JOIN dossiers d ON d.uuid = o.entity_id WHERE d.code = ? "
        "AND o.kind = 'dossier.status_changed' AND o.payload LIKE '%cấp trên%'", [code]).fetchone()[0])


def test_two_desks_of_one_commune_through_network_faults(hub, tmp_path):
    """Batches of four events through every fault at once; decisions flow down meanwhile."""
    target = 1000 if LONG else 100
    admin = Hub.open(hub.url)
    desks = [new_desk(tmp_path / f"desk-{n}.sqlite3", hub, n, admin=admin) for n in (1, 2)]
    rng = random.Random(7)
    decided: dict[str, Status] = {}
    codes: list[str] = []
    plan = FaultPlan.every(0.06, seed=11, delay_ms=15)
    with FaultProxy(("127.0.0.1", hub.port), plan) as proxy:
        rounds, relabelled, failures = 0, False, Counter[str]()
        while (pushes := sum(1 for d in proxy.history if d.path.startswith("/v1/push"))) < target:
            if pushes >= target // 2 and not relabelled:
                # Second half: a truncated body arrives complete but short (a corrupted batch the
                # hub refuses as damaged) instead of a connection cut mid-upload.
                proxy.set_plan(replace(plan, relabel_truncated=True))
                relabelled = True
            rounds += 1
            for i, desk in enumerate(desks):
                codes += register(desk, rng.randint(1, 6), start=rounds * 10 + i)
                try:
                    sync_now(desk, connect=lambda _: quick(proxy.url), batch_size=4)
                except SyncFailed as exc:
                    assert exc.retry, exc.message  # every fault here is one to retry, never a refusal
                    failures[exc.code] += 1
            for code in rng.sample(codes, k=min(2, len(codes))):
                if code not in decided:
                    try:
                        status = rng.choice([Status.RESULT_READY, Status.REFUSED])
                        admin.decide(code, status)
                        decided[code] = status
                    except Exception:  # noqa: BLE001 - not on the hub yet: decided later, or never
                        pass
        counts = proxy.counts
        pushes = sum(1 for d in proxy.history if d.path.startswith("/v1/push"))
        proxy.set_plan(FaultPlan())
        for desk in desks:
            converge(desk, proxy.url)
        for desk in desks:  # the other desk's decisions applied meanwhile went up: once more
            converge(desk, proxy.url)
    for fault in Fault:
        assert counts[fault] > 0, f"no {fault.value} happened"
    assert pushes >= target
    total = assert_hub_holds_the_union(hub.db_file, [d.store.path for d in desks])
    stats = admin.stats()
    assert stats["dossiers"] == len(codes) == len(set(codes)) and stats["held"] == stats["rejected"] == 0
    assert decided
    for code, status in decided.items():
        desk = desks[parse_code(code).desk_no - 1]
        assert desk.dossier(code).status is status and decision_count(desk, code) == 1
    print(f"\nfault run: {pushes} push requests, {total} events, {len(codes)} dossiers, "
          f"{len(decided)} decisions; faults {dict((f.value, counts[f]) for f in Fault)}; "
          f"failed syncs {dict(failures)}")
    for desk in desks:
        desk.store.close()
    admin.close()


def test_the_hub_killed_in_the_middle_of_a_batch_loses_nothing_and_applies_nothing_twice(hub, tmp_path):
    """SIGKILL while a batch of 2,000 events is being read and judged (two fixed pauses after the
    proxy forwarded it) and while its transaction is being written (as soon as the hub's WAL
    grows). The hub keeps the batch whole or not at all; after a restart the desk converges."""
    desk = new_desk(tmp_path / "desk.sqlite3", hub, 1)
    wal = Path(f"{hub.db_file}-wal")
    kept = []
    for round_no, moment in enumerate((0.0, 0.1, "wal")):
        register(desk, 2000, start=round_no * 2000)
        before = len(set(_hub_uuids(hub)))
        pending = desk.recorder.outbox.pending_count()
        with FaultProxy(("127.0.0.1", hub.port), FaultPlan()) as proxy:
            outcome: list[object] = []
            pushing = threading.Thread(target=lambda: outcome.append(_try_sync(desk, proxy.url, 5000)))
            baseline = _written(wal)
            pushing.start()
            deadline = time.monotonic() + 30
            while proxy.counts.forwarded == 0 and time.monotonic() < deadline:
                time.sleep(0.001)
            if moment == "wal":
                while _written(wal) == baseline and time.monotonic() < deadline:
                    pass  # spin: the write may take only milliseconds
            else:
                time.sleep(float(moment))
            hub.stop(signal.SIGKILL)
            pushing.join(60)
        assert isinstance(outcome[0], SyncFailed) and outcome[0].code == "hub_unreachable", outcome
        after = len(set(_hub_uuids(hub)))
        assert after - before in (0, pending), "a batch is applied whole or not at all"
        kept.append(after - before)
        hub.start()
        converge(desk, hub.base)
        assert_hub_holds_the_union(hub.db_file, [desk.store.path])
    print(f"\nkilled mid-batch: events of the batch the hub had kept, per kill: {kept}")
    desk.store.close()


def _written(wal: Path) -> tuple[int, int]:
    """Changes when the hub writes its WAL (the file is reused after a checkpoint: size alone
    need not grow)."""
    if not wal.exists():
        return (0, 0)
    stat = wal.stat()
    return (stat.st_size, stat.st_mtime_ns)


def _try_sync(desk: Desk, url: str, batch_size: int) -> object:
    """sync_now on another thread: its own connection to the same database."""
    own = Desk(Store.open(desk.store.path), actor="pusher")
    try:
        return sync_now(own, connect=lambda _: quick(url), batch_size=batch_size)
    except SyncFailed as exc:
        return exc
    finally:
        own.store.close()


def _hub_uuids(hub: HubProcess) -> list[str]:
    from tests.sync.processes import hub_events

    return [u for u, _ in hub_events(hub.db_file)]


def test_a_desk_restored_from_an_old_backup_syncs_without_reusing_its_numbers(hub, tmp_path):
    path = tmp_path / "desk.sqlite3"
    desk = new_desk(path, hub, 1)
    register(desk, 5)
    converge(desk, hub.base)
    register(desk, 3, start=30)  # in the backup but not yet sent when it was made
    backup_to(desk, tmp_path / "old-backup.sqlite3")
    late = register(desk, 5, start=5)  # after the backup: on the hub, not in the backup
    converge(desk, hub.base)
    desk.store.close()

    restored = restore_from(tmp_path / "old-backup.sqlite3", path, at=dt.datetime.now(VN), actor="tester",
                            force=True)
    assert restored.kept is not None
    desk = Desk(Store.open(path), clock=BusinessClock(), actor="fault-test")
    desk.clock.now += dt.timedelta(days=3)
    report = sync_now(desk)  # the backup's unsent tail: the hub has it from before the restore
    assert (report.sent, report.duplicate, report.rejected) == (3, 3, 0)
    register(desk, 3, start=20)  # new epoch, numbered from 1 again: no clash with the lost events
    admin = Hub.open(hub.url)
    admin.decide(late[0], Status.RESULT_READY)  # a dossier the restored desk no longer has
    admin.close()
    report = sync_now(desk)
    assert report.rejected == report.held == report.pending == 0
    assert len(report.problems) == 1 and late[0] in report.problems[0]
    assert_hub_holds_the_union(hub.db_file, [path, restored.kept])
    epochs = desk.store.db.execute("SELECT count(DISTINCT epoch) FROM outbox").fetchone()[0]
    assert epochs == 2
    desk.store.close()


def test_fifty_desks_at_once(hub, tmp_path):
    admin = Hub.open(hub.url)
    units = [f"000.21.{n:02d}.H49" for n in range(10, 35)]  # 25 communes, two desks each
    desks = [new_desk(tmp_path / f"desk-{i}.sqlite3", hub, 1 + i % 2, unit=units[i // 2], admin=admin)
             for i in range(50)]
    for i, desk in enumerate(desks):
        register(desk, 4, start=i)
    paths = [d.store.path for d in desks]
    for desk in desks:
        desk.store.close()
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def work(path: Path, i: int) -> None:
        desk = Desk(Store.open(path), actor=f"desk-{i}")
        try:
            barrier.wait(30)
            for round_no in range(2):
                register(desk, 3, start=100 + 10 * round_no + i)
                converge(desk, hub.base, attempts=40)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            desk.store.close()

    threads = [threading.Thread(target=work, args=(p, i)) for i, p in enumerate(paths)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert errors == [] and not any(t.is_alive() for t in threads)
    total = assert_hub_holds_the_union(hub.db_file, paths)
    stats = admin.stats()
    assert stats["dossiers"] == 50 * 10 and len(stats["desks"]) == 50 and stats["held"] == stats["rejected"] == 0
    print(f"\nfifty desks: {total} events in {time.monotonic() - started:.1f} s")
    admin.close()
