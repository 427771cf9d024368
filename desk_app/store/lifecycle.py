"""Recording a dossier's status change, with its outbox event and audit entry, atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.dossier import Status
from desk_app.store.store import Store

# Reaching one of these finishes the dossier: its finishing time decides early / on time / late.
FINISHED = (Status.RESULT_READY, Status.RETURNED)


@dataclass(frozen=True)
class StatusChange:
    """What a status change wrote, so views refresh only this dossier and sync knows the event."""

    dossier_id: int
    code: str
    before: Status
    after: Status
    at: dt.datetime
    event_seq: int


class UnknownDossier(LookupError):
    pass


def set_status(
    store: Store,
    dossier_id: int,
    status: Status,
    *,
    at: dt.datetime,
    desk_id: str,
    actor: str,
    note: str = "",
) -> StatusChange:
    """Move a dossier to ``status`` at ``at``: the row, an outbox event and an audit entry.

    Records what it is told: which transitions are allowed (and the reasons, slips and new
    appointments they need) is the business of the lifecycle services, not of the store.
    The first time a dossier reaches a finished status, ``finished_at`` keeps that moment.
    """
    with store.transaction():
        row = store.db.execute("SELECT code, uuid, status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
        if row is None:
            raise UnknownDossier(dossier_id)
        code, dossier_uuid, before = row[0], row[1], Status(row[2])
        moment = at.isoformat(timespec="seconds")
        store.db.execute(
            "UPDATE dossiers SET status = ?, "
            "finished_at = CASE WHEN ? AND finished_at IS NULL THEN ? ELSE finished_at END "
            "WHERE id = ?",
            [status.value, status in FINISHED, moment, dossier_id],
        )
        payload = {"uuid": dossier_uuid, "code": code, "from": before.value, "to": status.value, "at": moment}
        if note:
            payload["note"] = note
        seq = store.add_event(
            desk_id=desk_id, entity="dossier", entity_id=dossier_uuid, kind="dossier.status_changed",
            payload=payload, at=at,
        )
        store.add_audit(
            actor=actor, action="dossier.set_status", entity="dossier", entity_id=code,
            detail={"from": before.value, "to": status.value, **({"note": note} if note else {})}, at=at,
        )
    return StatusChange(dossier_id, code, before, status, at, seq)
