"""What a desk batch says about the audit trail: the chain head now, and the anchor.

The anchor is the desk's own hash, now, at the entry the hub last said it holds (kept in
``sync_audit_anchor`` from the hub's packages). An honest trail only grows within an epoch, so the
hub finds the same hash there; a rewritten trail gives another, a trail cut short gives none (an
empty hash). See hub/storage/audit_heads.py for the hub's side.
"""

from __future__ import annotations

from sqlite_utils import Database

from desk_app.store.audit import GENESIS

Point = tuple[int, str]  # an audit entry's id and hash (sync.protocol.AuditHead on the wire)


def head(db: Database) -> Point:
    """The latest entry (id 0 and 64 zeros before the first)."""
    row = db.execute("SELECT last_id, hash FROM audit_head WHERE id = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def anchor(db: Database, epoch: str) -> Point | None:
    """The desk's hash now at the entry the hub holds for ``epoch`` (None: the hub holds none)."""
    row = db.execute("SELECT audit_id FROM sync_audit_anchor WHERE id = 1 AND epoch = ?", [epoch]).fetchone()
    if row is None:
        return None
    entry = db.execute("SELECT hash FROM audit WHERE id = ?", [row[0]]).fetchone()
    return int(row[0]), str(entry[0]) if entry else ""


def save_hub_head(db: Database, epoch: str, held: Point) -> None:
    """Remember what the hub holds; call inside the caller's transaction."""
    db.execute("INSERT INTO sync_audit_anchor(id, epoch, audit_id, hash) VALUES (1, ?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET epoch = excluded.epoch, audit_id = excluded.audit_id, "
               "hash = excluded.hash", [epoch, *held])
