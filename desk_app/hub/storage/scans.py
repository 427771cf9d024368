"""The hub's side of the desks' scans (issue 10, indicator 4.2): which papers of each dossier a
desk reported scanned (hash, pages, paper; never the image), and how many papers each dossier
has, so the hub counts digitised dossiers as the desks do (every paper scanned)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from desk_app.domain.events import Event
from desk_app.hub.rules import RECEIVED, SCAN_ATTACHED, utc_iso
from desk_app.hub.storage.database import Tx

BACKFILL_BATCH = 5000


def papers_of(payload: dict[str, object]) -> int:
    """How many papers a received dossier has (its documents list)."""
    documents = payload.get("documents")
    return len(documents) if isinstance(documents, list) else 0


def project(tx: Tx, events: Sequence[Event]) -> None:
    """The scans of applied events (a scan reported twice is kept once)."""
    rows = [(e.entity_id, e.payload["paper"], e.payload["sha256"], e.payload["pages"], utc_iso(e.payload["attached_at"]))
            for e in events if e.kind == SCAN_ATTACHED]
    tx.executemany("INSERT INTO dossier_scans (uuid, paper, sha256, pages, attached_utc) VALUES (?,?,?,?,?) "
                   "ON CONFLICT (uuid, paper, sha256) DO NOTHING", rows)


def backfill_papers(tx: Tx) -> None:
    """Migration 0003: the paper count of dossiers applied before it, from their reception events."""
    after = ""
    while True:
        rows = tx.query("SELECT event_uuid, entity_id, payload FROM events WHERE kind = ? AND event_uuid > ? "
                        "ORDER BY event_uuid LIMIT ?", (RECEIVED, after, BACKFILL_BATCH))
        if not rows:
            break
        tx.executemany("UPDATE dossiers SET papers = ? WHERE uuid = ? AND papers IS NULL",
                       [(papers_of(json.loads(payload)), uuid) for _, uuid, payload in rows])
        after = rows[-1][0]


def digitised(tx: Tx, start: dt.datetime, end: dt.datetime, unit_code: str | None = None) -> int:
    """Dossiers received in [start, end) (of ``unit_code``) whose every paper has a scan."""
    unit = " AND d.unit_code = ?" if unit_code else ""
    rows = tx.query(
        "SELECT count(*) FROM dossiers d WHERE d.received_utc >= ? AND d.received_utc < ?" + unit
        + " AND d.papers > 0 AND d.papers = (SELECT count(DISTINCT s.paper) FROM dossier_scans s WHERE s.uuid = d.uuid)",
        (utc_iso(start.isoformat()), utc_iso(end.isoformat()), *((unit_code,) if unit_code else ())))
    return int(rows[0][0])
