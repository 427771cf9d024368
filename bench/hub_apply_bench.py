"""The hub's batch apply (verify, decode, judge, insert, project; one transaction per batch)
against a raw SQLite executemany of the same event rows with the same durability, in one run.

Usage: .venv/bin/python bench/hub_apply_bench.py [--events 100000] [--batch 1000] [--db-url URL]
Without --db-url the hub is SQLite in a temporary folder (WAL, synchronous=FULL, like the floor).
In process, no HTTP: the transport's cost is the end-to-end benchmark's business.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from desk_app.domain import events as ev
from desk_app.hub.service import Hub
from desk_app.sync import protocol as p

VN = dt.timezone(dt.timedelta(hours=7))
UNIT = "000.21.33.H49"


def make_events(n: int, desk_uuid: str) -> list[ev.Event]:
    """``n`` dossier receptions of about 1.4 KB each (canonical JSON of the whole event)."""
    at = dt.datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    out = []
    for i in range(1, n + 1):
        dossier = str(uuid.uuid4())
        payload = {
            "uuid": dossier, "code": f"{UNIT}-261127-{i:06d}", "procedure_code": "2.000815",
            "procedure_name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
            "status": "received", "received_at": at.isoformat(), "due_at": (at + dt.timedelta(days=2)).isoformat(),
            "applicant": {"name": "Nguyễn Thị Thuỳ Dương", "id_number": "001190012345",
                          "address": "Số 12, đường Trần Hưng Đạo, ấp Tân Phú, xã Tân Phú, tỉnh Đồng Nai " * 3},
            "documents": [{"name": "Bản chính giấy tờ", "form": "original", "count": 1}] * 4,
        }
        out.append(ev.make_event(event_uuid=str(uuid.uuid4()), desk_uuid=desk_uuid, epoch="bench", seq=i,
                                 unit_code=UNIT, kind=ev.Kind.DOSSIER_RECEIVED, entity_id=dossier,
                                 business_time=at, device_time=at, payload=payload))
    return out


def floor(path: Path, events: list[ev.Event], batch: int) -> tuple[float, float]:
    """Raw executemany of the same rows into the same events table, one commit per batch."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA cache_size=-65536")  # the hub's page cache too: only the work differs
    conn.execute("CREATE TABLE events (event_uuid TEXT PRIMARY KEY, desk_uuid TEXT, epoch TEXT, seq INT, "
                 "schema_version INT, unit_code TEXT, entity TEXT, kind TEXT, entity_id TEXT, payload TEXT, "
                 "payload_hash TEXT, business_time TEXT, device_time TEXT, received_at TEXT, "
                 "UNIQUE (desk_uuid, epoch, seq))")
    rows = [(e.event_uuid, e.desk_uuid, e.epoch, e.seq, e.schema, e.unit_code, e.entity, e.kind, e.entity_id,
             ev.canonical_json(e.payload).decode(), e.payload_hash, e.business_time, e.device_time, "t")
            for e in events]
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(rows), batch):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows[i:i + batch])
        conn.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return len(rows) / elapsed, len(rows) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub.open(args.db_url or f"sqlite:///{tmp}/hub.sqlite3")
        key, desk_uuid = p.SigningKey.generate(), str(uuid.uuid4())
        issued = hub.issue_code(UNIT, 1)
        hub.enroll(code=issued.code, desk_uuid=desk_uuid, public_key=key.public_text, facts={})
        events = make_events(args.events, desk_uuid)
        size = len(ev.canonical_json(events[0].to_dict()))
        at = dt.datetime.now(VN)
        batches = [p.build_batch(events[i:i + args.batch], key, created_at=at)
                   for i in range(0, len(events), args.batch)]
        rates, cpu_rates = {}, {}
        for name in ("push", "re-send"):
            start, cpu = time.perf_counter(), time.process_time()
            counts = {"applied": 0, "duplicate": 0}
            for batch in batches:
                for answer in hub.push(batch).answers:
                    counts[answer.status.value] = counts.get(answer.status.value, 0) + 1
            rates[name] = len(events) / (time.perf_counter() - start)
            cpu_rates[name] = len(events) / (time.process_time() - cpu)
            print(f"hub {name:8} {rates[name]:>9,.0f} events/s ({cpu_rates[name]:,.0f} per CPU second)  {counts}")
        hub.close()
        raw, raw_cpu = floor(Path(tmp) / "floor.sqlite3", events, args.batch)
    print(f"floor    {raw:>9,.0f} rows/s ({raw_cpu:,.0f} per CPU second; raw executemany, WAL, synchronous=FULL)")
    # On a shared machine wall time swings with the neighbours' load; the CPU ratio is steadier.
    print(f"{args.events} events of {size} bytes in batches of {args.batch}; hub push / floor = "
          f"{rates['push'] / raw:.2f} wall, {cpu_rates['push'] / raw_cpu:.2f} CPU (goal ≥ 0.5)")


if __name__ == "__main__":
    main()
