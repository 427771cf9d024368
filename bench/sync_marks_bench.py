"""The ledger's sync marks at 100,000 dossiers: does the marks query scan the outbox?

    .venv/bin/python bench/sync_marks_bench.py [--dossiers 100000] [--page 100]

Takes the generated ledger (bench/gen_dossiers.py, cached) and gives it an outbox the way a desk
that has synced for months has one: a ``dossier.received`` event of about 1 KB per dossier, one to
three status changes for half of them, every event acknowledged and answered except the last
3,000 (pending), one answer in 300 a rejection. Rows go in with executemany (benchmark data, not
the recorder). Then, for a ledger page (the newest rows, and one in the middle), it prints the
query plan of ``sync_state.dossier_marks`` and ``pending_dossiers`` and their median time, first
with the desk's indexes, then with each candidate index (dropped again after).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_dossiers  # noqa: E402

from desk_app.store import sync_state  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

PENDING = 3_000
CANDIDATES = {
    "covering outbox(entity, entity_id, acked_at, event_uuid)":
        "CREATE INDEX bench_outbox_marks ON outbox(entity, entity_id, acked_at, event_uuid)",
}


def fill_outbox(path: Path, *, seed: int = 1) -> int:
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    desk_uuid = db.execute("SELECT desk_uuid FROM desk_identity").fetchone()[0]
    epoch = db.execute("SELECT epoch FROM sync_epochs ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM outbox WHERE epoch = ?", [epoch]).fetchone()[0])
    rows = []
    for duuid, code, received_at in db.execute("SELECT uuid, code, received_at FROM dossiers ORDER BY id"):
        for step in range(1 + (rng.randint(1, 3) if rng.random() < 0.5 else 0)):
            seq += 1
            kind = "dossier.received" if step == 0 else "dossier.status_changed"
            payload = json.dumps({"uuid": duuid, "code": code, "step": step, "pad": "x" * 900},
                                 separators=(",", ":"))
            rows.append((str(uuid.UUID(int=rng.getrandbits(128))), desk_uuid, epoch, seq, 1, "bench", "dossier",
                         duuid, kind, received_at, received_at, payload, hashlib.sha256(payload.encode()).hexdigest()))
    with db:
        db.executemany("INSERT INTO outbox(event_uuid, desk_uuid, epoch, seq, schema, unit_code, entity, entity_id, "
                       "kind, business_time, device_time, payload, payload_hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        last = int(db.execute("SELECT max(id) FROM outbox").fetchone()[0])
        db.execute("UPDATE outbox SET acked_at = '2026-11-27T09:00:00+07:00' WHERE id <= ?", [last - PENDING])
        db.execute("INSERT INTO outbox_answers(event_uuid, answer, answered_at) SELECT event_uuid, "
                   "CASE WHEN id % 300 = 0 THEN 'rejected' ELSE 'applied' END, acked_at FROM outbox "
                   "WHERE acked_at IS NOT NULL")
    db.execute("ANALYZE")
    db.close()
    return len(rows)


def median_ms(fn: Callable[[], object], runs: int = 30) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def plan(store: Store, sql: str, params: list[object]) -> str:
    return "; ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def measure(store: Store, pages: dict[str, list[str]]) -> None:
    sample = pages["newest"]
    marks_sql = ("SELECT o.entity_id, max(a.answer = 'rejected'), max(o.acked_at IS NULL) FROM outbox o "
                 "LEFT JOIN outbox_answers a USING (event_uuid) "
                 f"WHERE o.entity = 'dossier' AND o.entity_id IN ({', '.join('?' * len(sample))}) "
                 "GROUP BY o.entity_id")
    print(f"  plan marks:   {plan(store, marks_sql, list(sample))}")
    print("  plan pending: " + plan(store, "SELECT count(DISTINCT entity_id) FROM outbox WHERE acked_at IS NULL "
                                    "AND +entity = 'dossier'", []))
    for name, uuids in pages.items():
        print(f"  marks, {name} page of {len(uuids)}: {median_ms(lambda: sync_state.dossier_marks(store, uuids)):.2f} ms")
    print(f"  pending_dossiers: {median_ms(lambda: sync_state.pending_dossiers(store)):.2f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "desk.sqlite3"
        shutil.copyfile(gen_dossiers.cached(args.dossiers), path)
        Store.open(path).close()  # the desk's own migrations, as a program opening it runs them
        started = time.perf_counter()
        events = fill_outbox(path)
        print(f"{args.dossiers:,} dossiers, {events:,} outbox events ({PENDING:,} pending), built in "
              f"{time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")
        store = Store.open(path)
        ids = [u for (u,) in store.db.execute("SELECT uuid FROM dossiers ORDER BY id DESC")]
        middle = len(ids) // 2
        pages = {"newest": ids[:args.page], "middle": ids[middle:middle + args.page]}
        print("desk indexes (outbox_entity, outbox_unacked):")
        measure(store, pages)
        for name, sql in CANDIDATES.items():
            store.db.execute(sql)
            store.db.execute("ANALYZE")
            print(f"+ {name}:")
            measure(store, pages)
            store.db.execute(f"DROP INDEX {sql.split()[2]}")
        store.close()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
