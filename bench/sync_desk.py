"""A real desk database whose outbox holds the benchmark's receptions, built fast.

Each generated reception (``sync_data.generate_dossiers``) is written the way the desk writes
one: the dossier row (with its documents and search row) through ``store.dossiers.insert``, and
its ``dossier.received`` event and audit entry through the recorder, the one writer of the
outbox (so every event has the desk's own UUID, epoch, gap-free seq and envelope shape). What
makes it fast is only the grouping: thousands of receptions per transaction instead of one
fsync each. Fees, code and ledger counters are left out: nothing in sync reads them.

The database is built once per (count, seed, generator version) into bench/out/ and copied for
each run, since a push acknowledges its outbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import shutil
import sqlite3
from pathlib import Path

import sync_data
from desk_app.domain import events
from desk_app.services.desk import Desk
from desk_app.store.store import Store

OUT = Path(__file__).resolve().parent / "out"
GROUP = 5_000  # receptions per transaction while building
COMMUNE, AUTHORITY = "Xã Tân Phú", "Ủy ban nhân dân xã Tân Phú"


class _Clock:
    """The business and device clocks of the build: set to each reception's own times."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def open_desk(path: Path, *, clock: dt.datetime | None = None) -> Desk:
    """The desk on ``path`` as a program opens it, actor "sync-bench"; ``clock`` fixes its time."""
    fixed = _Clock(clock) if clock is not None else None
    return Desk(Store.open(path), clock=fixed, device_clock=fixed, actor="sync-bench")


def build(path: Path, count: int, *, seed: int = 1) -> None:
    """Write a desk database at ``path`` with ``count`` received dossiers, all pending in its outbox."""
    received = sync_data.generate_dossiers(count, seed=seed, desks=1)
    clock = _Clock(dt.datetime.combine(sync_data.START, dt.time(7), sync_data.ZONE))
    desk = Desk(Store.open(path), clock=clock, device_clock=clock, actor="sync-bench")
    try:
        desk.initialise(commune=COMMUNE, authority=AUTHORITY, unit_code=sync_data.UNIT_CODE, desk_no=1)
        while group := list(itertools.islice(received, GROUP)):
            with desk.store.transaction():
                for item in group:
                    _receive(desk, clock, item)
    finally:
        desk.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        desk.store.close()


def _receive(desk: Desk, clock: _Clock, item: sync_data.Received) -> None:
    dossier = item.dossier
    clock.now = item.device_time
    with desk.recorder.change(business_time=dossier.received_at) as change:
        desk.store.dossiers.insert(dossier)
        change.event(events.Kind.DOSSIER_RECEIVED, dossier.uuid, events.dossier_received(dossier))
        change.audit("dossier.receive", "dossier", dossier.code, {"procedure": dossier.procedure_code,
                                                                  "fee_vnd": dossier.fee_vnd})


def template(count: int, seed: int) -> Path:
    """The cached desk database for (count, seed), built if missing."""
    version = hashlib.sha256(Path(sync_data.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:8]
    path = OUT / f"desk-{count}-seed{seed}-{version}.sqlite3"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        build(partial, count, seed=seed)
        partial.rename(path)
    return path


def fresh_copy(count: int, seed: int, to: Path) -> Path:
    """A copy of the cached desk database at ``to``, every event pending."""
    shutil.copyfile(template(count, seed), to)
    return to


def outbox_records(path: Path) -> list[dict[str, object]]:
    """The outbox's events as the desk would send them (``Event.to_dict()``), in local order:
    the very records the floors and peers are given."""
    desk = open_desk(path)
    try:
        return [event.to_dict() for event in desk.recorder.outbox.pending(limit=10**9)]
    finally:
        desk.store.close()


def pending(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()[0])
