"""Recording a dossier's status change, with its outbox event and audit entry, atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain import events
from desk_app.domain.dossier import FINISHED, Status
from desk_app.store.recorder import Recorder


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
    recorder: Recorder,
    dossier_id: int,
    status: Status,
    *,
    at: dt.datetime,
    note: str = "",
) -> StatusChange:
    """Move a dossier to ``status`` at ``at``: the row, an outbox event and an audit entry.

    Records what it is told: which transitions are allowed (and the reasons, slips and new
    appointments they need) is the business of the lifecycle services, not of the store.
    The first time a dossier reaches a finished status, ``finished_at`` keeps that moment;
    ``last_change_at`` always takes it.
    """
    store = recorder.store
    with recorder.change(business_time=at) as change:
        row = store.db.execute("SELECT code, uuid, status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
        if row is None:
            raise UnknownDossier(dossier_id)
        code, dossier_uuid, before = row[0], row[1], Status(row[2])
        moment = at.isoformat(timespec="seconds")
        store.db.execute(
            "UPDATE dossiers SET status = ?, last_change_at = ?, "
            "finished_at = CASE WHEN ? AND finished_at IS NULL THEN ? ELSE finished_at END "
            "WHERE id = ?",
            [status.value, moment, status in FINISHED, moment, dossier_id],
        )
        event = change.event(
            events.Kind.DOSSIER_STATUS_CHANGED, dossier_uuid,
            events.dossier_status_changed(uuid=dossier_uuid, code=code, before=before, after=status, at=at, note=note),
        )
        change.audit(
            "dossier.set_status", "dossier", code,
            {"from": before.value, "to": status.value, **({"note": note} if note else {})},
        )
    return StatusChange(dossier_id, code, before, status, at, event.seq)
