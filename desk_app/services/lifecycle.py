"""Moving a dossier along its lifecycle (forward, result, return, withdraw): check, then record atomically."""

from __future__ import annotations

import datetime as dt

from desk_app.domain import lifecycle
from desk_app.domain.accounts import ACTION_PERMISSIONS
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.text import nfc
from desk_app.services.desk import Desk
from desk_app.store.lifecycle import StatusChange, set_status

__all__ = ["Action", "FUTURE_TOLERANCE", "StatusChange", "apply"]

# The same slack reception allows: the desk's clock and the receptionist's watch differ a little.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def apply(desk: Desk, code: str, action: Action, *, note: str = "", at: dt.datetime | None = None) -> StatusChange:
    """Take ``action`` on dossier ``code`` at ``at`` (default now); ``note`` is the reason, if any.

    Refused (DomainError, nothing written) when the dossier's status does not allow the action,
    a required reason is missing, or the time is before the receipt or in the future. The row,
    its outbox event and its audit entry are written in one transaction; the first result
    (result ready, or returned) keeps its time as ``finished_at``, which decides early / on time
    / late.
    """
    desk.require(ACTION_PERMISSIONS[action])
    note = nfc(note)
    now = desk.localise(desk.clock())
    moment = desk.localise(at) if at else now
    if moment > now + FUTURE_TOLERANCE:
        raise DomainError("time_in_future", "Thời điểm ghi nhận không được sau thời điểm hiện tại.", field="at")
    # The check and the write share one transaction, so a change made meanwhile by another
    # process on the same database (the CLI beside the window) cannot slip in between.
    with desk.store.transaction():
        dossier = desk.dossier(code)
        target = lifecycle.check(dossier.status, action, reason=note)
        if moment < dossier.received_at:
            raise DomainError(
                "time_before_receipt",
                f"Thời điểm ghi nhận phải từ lúc tiếp nhận hồ sơ ({dossier.received_at:%H:%M %d/%m/%Y}) trở đi.",
                field="at",
            )
        previous = dossier.last_change_at
        if previous is not None and moment < previous:
            # Steps are recorded in order: a result cannot predate the hand-over it follows.
            raise DomainError(
                "time_before_previous_step",
                f"Thời điểm ghi nhận phải sau bước trước đó ({desk.localise(previous):%H:%M %d/%m/%Y}).",
                field="at",
            )
        dossier_id = desk.store.dossier_id(dossier.code)
        assert dossier_id is not None  # just loaded, inside the same transaction
        return set_status(desk.recorder, dossier_id, target, at=moment, note=note)
