"""The raw floor: SQLite executemany of the same event rows, as durable as the desk and the hub.

WAL with synchronous=FULL, a UNIQUE event UUID and a UNIQUE (desk, epoch, seq), committed every
500 rows. Rows are prepared before the clock starts: this is what the disk and SQLite cost,
with no parsing, checking or HTTP at all.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from desk_app.domain.events import canonical_json

SCHEMA = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    event_uuid TEXT NOT NULL UNIQUE,
    desk_uuid TEXT NOT NULL,
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    business_time TEXT NOT NULL,
    device_time TEXT NOT NULL,
    payload TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    UNIQUE (desk_uuid, epoch, seq)
)
"""
COLUMNS = ("event_uuid", "desk_uuid", "epoch", "seq", "schema", "unit_code", "entity", "entity_id", "kind",
           "business_time", "device_time", "payload", "payload_hash")
BATCH = 500


def rows(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(canonical_json(r[c]).decode() if c == "payload" else r[c] for c in COLUMNS) for r in records]


def measure(records: list[dict[str, Any]], *, batch: int = BATCH, cache_kib: int | None = None) -> float:
    """Records per second inserted and committed (see ``timed``)."""
    seconds, _ = timed(records, batch=batch, cache_kib=cache_kib)
    return len(records) / seconds


def timed(records: list[dict[str, Any]], *, batch: int = BATCH, cache_kib: int | None = None) -> tuple[float, float]:
    """Wall and CPU seconds to insert and commit ``records``, ``batch`` rows a transaction, into a
    fresh database file; ``cache_kib``: the page cache (SQLite's 2 MB default when None), to give
    the floor the same cache as the hub it is compared with."""
    prepared = rows(records)
    insert = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    with tempfile.TemporaryDirectory(prefix="sqlite-floor-") as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if cache_kib is not None:
                conn.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
            conn.execute(SCHEMA)
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(0, len(prepared), batch):
                conn.execute("BEGIN")
                conn.executemany(insert, prepared[i:i + batch])
                conn.execute("COMMIT")
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            (held,) = conn.execute("SELECT count(*) FROM events").fetchone()
        finally:
            conn.close()
    if held != len(records):
        raise RuntimeError(f"the floor holds {held} of {len(records)} rows")
    return seconds, cpu
