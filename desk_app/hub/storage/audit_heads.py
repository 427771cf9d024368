"""The audit chain heads desks carry in their batches, and the alerts when a chain goes wrong.

Each batch header may hold the desk's audit head (the id and hash of its latest audit entry when
the batch was built) and an anchor (the desk's own hash, now, at the head the hub last told it it
holds). Within one desk epoch the audit trail only grows, so:

* a head id the hub has seen with another hash: the trail was rewritten (``fork``);
* an anchor whose hash differs from the one the hub holds at that id: ``fork`` too; an empty
  anchor hash (the desk no longer has that entry) or a head before the anchor: ``backwards``.

An alert never stops a batch: the dossiers matter more. It is kept (once per desk, epoch, kind,
entry and reported hash) for the dashboard and ``hub stats``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desk_app.hub.storage.database import Tx, placeholders
from desk_app.sync.protocol import AuditHead

FORK = "fork"
BACKWARDS = "backwards"


@dataclass(frozen=True)
class Alert:
    kind: str
    audit_id: int
    expected_hash: str
    reported_hash: str


def check(tx: Tx, desk_uuid: str, epoch: str, head: AuditHead | None, anchor: AuditHead | None,
          now: str) -> list[Alert]:
    """Record ``head`` (the first hash seen at an id stays) and keep an alert for each
    inconsistency with what the hub holds; returns the alerts of this batch."""
    points = [p for p in (head, anchor) if p is not None]
    if not points:
        return []
    ids = sorted({p.id for p in points})
    known = {int(i): str(h) for i, h in tx.query(
        f"SELECT audit_id, hash FROM audit_heads WHERE desk_uuid = ? AND epoch = ? AND audit_id IN ({placeholders(len(ids))})",
        [desk_uuid, epoch, *ids])}
    alerts: list[Alert] = []
    if head is not None:
        seen = known.get(head.id)
        if seen is None:
            tx.execute("INSERT INTO audit_heads (desk_uuid, epoch, audit_id, hash, seen_at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (desk_uuid, epoch, audit_id) DO NOTHING", (desk_uuid, epoch, head.id, head.hash, now))
        elif seen != head.hash:
            alerts.append(Alert(FORK, head.id, seen, head.hash))
    if anchor is not None:
        seen = known.get(anchor.id)
        if seen is not None and seen != anchor.hash:
            alerts.append(Alert(BACKWARDS if not anchor.hash else FORK, anchor.id, seen, anchor.hash))
        if head is not None and head.id < anchor.id:
            alerts.append(Alert(BACKWARDS, head.id, known.get(anchor.id, anchor.hash), head.hash))
    for a in alerts:
        tx.execute("INSERT INTO audit_alerts (desk_uuid, epoch, kind, audit_id, expected_hash, reported_hash, "
                   "detected_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (desk_uuid, epoch, kind, audit_id, reported_hash) DO NOTHING",
                   (desk_uuid, epoch, a.kind, a.audit_id, a.expected_hash, a.reported_hash, now))
    return alerts


def latest(tx: Tx, desk_uuid: str) -> tuple[str, AuditHead] | None:
    """The desk's most recently seen epoch and the highest head the hub holds in it."""
    rows = tx.query("SELECT epoch FROM audit_heads WHERE desk_uuid = ? ORDER BY seen_at DESC LIMIT 1", (desk_uuid,))
    if not rows:
        return None
    epoch = str(rows[0][0])
    head = tx.query("SELECT audit_id, hash FROM audit_heads WHERE desk_uuid = ? AND epoch = ? "
                    "ORDER BY audit_id DESC LIMIT 1", (desk_uuid, epoch))[0]
    return epoch, AuditHead(int(head[0]), str(head[1]))


def alerts(tx: Tx, limit: int = 100) -> list[dict[str, Any]]:
    """The newest alerts first, with the desk's commune and number."""
    rows = tx.query("SELECT a.desk_uuid, d.unit_code, d.desk_no, a.epoch, a.kind, a.audit_id, a.expected_hash, "
                    "a.reported_hash, a.detected_at FROM audit_alerts a LEFT JOIN desks d ON d.desk_uuid = a.desk_uuid "
                    "ORDER BY a.id DESC LIMIT ?", (limit,))
    return [{"desk_uuid": r[0], "unit_code": r[1], "desk_no": r[2], "epoch": r[3], "kind": r[4],
             "audit_id": int(r[5]), "expected_hash": r[6], "reported_hash": r[7], "detected_at": r[8]} for r in rows]
