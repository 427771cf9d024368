"""Recording a dossier's lifecycle step (status, appointment, step row) with its outbox event and
audit entry, atomically; reading the steps back."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from desk_app.domain import events
from desk_app.domain.dossier import FINISHED, Status
from desk_app.domain.lifecycle import Action
from desk_app.domain.steps import Step, action_between
from desk_app.store.recorder import Recorder
from desk_app.store.store import Store


@dataclass(frozen=True)
class StatusChange:
    """What a status change wrote, so views refresh only this dossier and sync knows the event."""

    dossier_id: int
    code: str
    before: Status
    after: Status
    at: dt.datetime
    event_seq: int
    action: Action | None = None
    due_at: dt.datetime | None = None  # the new appointment, when the step moved it


class UnknownDossier(LookupError):
    pass


# Steps recorded before the desk kept step details: their events stay byte for byte as they were.
PLAIN_ACTIONS = frozenset({Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT, Action.WITHDRAW})


def set_status(
    recorder: Recorder,
    dossier_id: int,
    status: Status,
    *,
    at: dt.datetime,
    note: str = "",
    step: Step | None = None,
    due: tuple[dt.datetime, str] | None = None,
) -> StatusChange:
    """Move a dossier to ``status`` at ``at``: the row, its step, an outbox event and an audit entry.

    Records what it is told: which transitions are allowed (and the reasons, slips and new
    appointments they need) is the business of the lifecycle services, not of the store.
    ``step`` carries the step's details (its action, papers, sign-off, hand-over); without it
    the action follows from the statuses. ``due``: a new appointment and its reason. The first
    time a dossier reaches a finished status, ``finished_at`` keeps that moment;
    ``last_change_at`` always takes it.
    """
    store = recorder.store
    with recorder.change(business_time=at) as change:
        row = store.db.execute("SELECT code, uuid, status, due_at FROM dossiers WHERE id = ?",
                               [dossier_id]).fetchone()
        if row is None:
            raise UnknownDossier(dossier_id)
        code, dossier_uuid, before = row[0], row[1], Status(row[2])
        due_before = dt.datetime.fromisoformat(row[3])
        due_after = due[0] if due else due_before
        action = step.action if step is not None else action_between(before, status)
        recorded = replace(step or Step(action, before, status, at, recorder.actor), before=before, after=status,
                           at=at, actor=recorder.actor, note=note, due_before=due_before, due_after=due_after)
        moment = at.isoformat(timespec="seconds")
        store.db.execute(
            "UPDATE dossiers SET status = ?, last_change_at = ?, "
            "finished_at = CASE WHEN ? AND finished_at IS NULL THEN ? ELSE finished_at END "
            "WHERE id = ?",
            [status.value, moment, status in FINISHED, moment, dossier_id],
        )
        if due is not None:
            store.db.execute("UPDATE dossiers SET due_at = ?, due_reason = ? WHERE id = ?",
                             [due[0].isoformat(timespec="seconds"), due[1], dossier_id])
        _insert_step(store, dossier_id, recorded)
        payload = events.dossier_status_changed(
            uuid=dossier_uuid, code=code, before=before, after=status, at=at, note=note,
            due_at=due[0] if due else None,
        )
        if (action is not None and action not in PLAIN_ACTIONS) or recorded.detail():
            payload = events.with_step(payload, step=action.value if action else "", detail=recorded.detail())
        event = change.event(events.Kind.DOSSIER_STATUS_CHANGED, dossier_uuid, payload)
        audit = {"from": before.value, "to": status.value, **({"note": note} if note else {})}
        if action is not None and action not in PLAIN_ACTIONS:
            audit["step"] = action.value
        if due is not None:
            audit["due_at"] = due[0].isoformat(timespec="seconds")
        change.audit("dossier.set_status", "dossier", code, audit | _audited(recorded.detail()))
    return StatusChange(dossier_id, code, before, status, at, event.seq, action, due[0] if due else None)


def _audited(detail: dict[str, Any]) -> dict[str, Any]:
    """The step's detail as the audit trail keeps it: the hand-over without the name of whoever
    collected the result and their authorisation paper. Audit entries are hash-chained and can
    never be redacted, so a citizen's personal data stays out of them; the step row holds it, and
    the retention purge wipes it there (docs/trust.md, "Personal data")."""
    handover = detail.get("handover")
    if not handover:
        return detail
    return detail | {"handover": {k: v for k, v in handover.items() if k not in ("recipient", "authorisation")}}


def _insert_step(store: Store, dossier_id: int, step: Step) -> None:
    def iso(moment: dt.datetime | None) -> str | None:
        return moment.isoformat(timespec="seconds") if moment else None

    store.db.execute(
        "INSERT INTO dossier_steps(dossier_id, action, from_status, to_status, at, actor, note, due_before, "
        "due_after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [dossier_id, step.action.value if step.action else "", step.before.value, step.after.value, iso(step.at),
         step.actor, step.note, iso(step.due_before), iso(step.due_after),
         json.dumps(step.detail(), ensure_ascii=False)],
    )


_STEP_COLUMNS = "dossier_id, action, from_status, to_status, at, actor, note, due_before, due_after, detail"


def _step(row: tuple[object, ...]) -> Step:
    _, action, before, after, at, actor, note, due_before, due_after, detail = (str(v) if v is not None else None
                                                                                for v in row)
    assert before and after and at
    return Step(
        Action(action) if action else None, Status(before), Status(after), dt.datetime.fromisoformat(at),
        actor or "", note or "", dt.datetime.fromisoformat(due_before) if due_before else None,
        dt.datetime.fromisoformat(due_after) if due_after else None,
        **Step.detail_fields(json.loads(detail or "{}")),
    )


def steps(store: Store, dossier_id: int) -> list[Step]:
    """The dossier's steps in the order they were recorded."""
    rows = store.db.execute(f"SELECT {_STEP_COLUMNS} FROM dossier_steps WHERE dossier_id = ? ORDER BY id",
                            [dossier_id])
    return [_step(row) for row in rows]


def steps_of(store: Store, dossier_ids: list[int]) -> dict[int, list[Step]]:
    """The steps of many dossiers at once, each list in recorded order."""
    found: dict[int, list[Step]] = {}
    for start in range(0, len(dossier_ids), 500):  # well under SQLite's limit of bound values
        batch = dossier_ids[start:start + 500]
        marks = ",".join("?" for _ in batch)
        for row in store.db.execute(
            f"SELECT {_STEP_COLUMNS} FROM dossier_steps WHERE dossier_id IN ({marks}) ORDER BY id", batch
        ):
            found.setdefault(int(row[0]), []).append(_step(row))
    return found


def received_between(store: Store, first: dt.date, last: dt.date) -> list[int]:
    """Ids of the dossiers received from ``first`` to ``last`` (local dates, inclusive), in ledger
    order. Times are stored in the desk's one offset, so their text compares as the dates do."""
    rows = store.db.execute(
        "SELECT id FROM dossiers WHERE received_at >= ? AND received_at < ? ORDER BY ledger_year, desk_no, ledger_no",
        [first.isoformat(), (last + dt.timedelta(days=1)).isoformat()],
    )
    return [int(r[0]) for r in rows]


def setup_admin(store: Store) -> str | None:
    """Who set the desk up (the first "desk.initialise" entry); None for a desk not set up."""
    row = store.db.execute("SELECT actor FROM audit WHERE action = 'desk.initialise' ORDER BY id LIMIT 1").fetchone()
    return str(row[0]) if row else None


LEDGER_BOOK_PRINT = "ledger_book.print"  # the audit action of a delivered ledger book (Mẫu 07)


def ledger_book_key(first: dt.date, last: dt.date) -> str:
    """The audit's entity id of the ledger book of a period ("2026-11-01..2026-11-30")."""
    return f"{first.isoformat()}..{last.isoformat()}"


def ledger_book_prints(store: Store, first: dt.date, last: dt.date) -> int:
    """How many times this desk delivered the ledger book of exactly this period (the audit keeps
    each delivery; a desk database is one desk's, so period and desk make the book)."""
    row = store.db.execute("SELECT count(*) FROM audit WHERE entity = 'ledger_book' AND entity_id = ? AND action = ?",
                           [ledger_book_key(first, last), LEDGER_BOOK_PRINT]).fetchone()
    return int(row[0])
