"""A dossier's recorded steps, and the hand-offs the control slip (Mẫu 06) lists from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import Dossier, ReceivedDocument, Status
from desk_app.domain.handover import Handover
from desk_app.domain.lifecycle import TRANSITIONS, Action
from desk_app.domain.timeliness import Timeliness, judge_moment


@dataclass(frozen=True)
class Step:
    """One recorded step: which action, from and to which status, when, by whom, and what its
    paper needs. ``due_before``/``due_after``: the appointment before and after the step (they
    differ when the step moved it). ``action`` is None only for a step whose action cannot be
    told from its statuses (none today)."""

    action: Action | None
    before: Status
    after: Status
    at: dt.datetime
    actor: str
    note: str = ""
    due_before: dt.datetime | None = None
    due_after: dt.datetime | None = None
    to: str = ""  # forward: the officer or agency that took the dossier
    documents: tuple[ReceivedDocument, ...] = ()  # supplement request: the papers to add
    signed_off_by: str = ""  # apology: the leader who signed it
    handover: Handover | None = None  # return: who received the result

    def detail(self) -> dict[str, Any]:
        """The parts beyond the columns, as stored (JSON) and sent in the step's event."""
        data: dict[str, Any] = {}
        if self.to:
            data["handed_to"] = self.to
        if self.documents:
            data["documents"] = [{"name": d.name, "form": d.form.value, "count": d.count} for d in self.documents]
        if self.signed_off_by:
            data["signed_off_by"] = self.signed_off_by
        if self.handover is not None:
            data["handover"] = self.handover.to_dict()
        return data

    @staticmethod
    def detail_fields(data: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments ``detail`` was made from."""
        return {
            "to": str(data.get("handed_to", "")),
            "documents": tuple(ReceivedDocument(d["name"], DocForm(d["form"]), int(d["count"]))
                               for d in data.get("documents", ())),
            "signed_off_by": str(data.get("signed_off_by", "")),
            "handover": Handover.from_dict(data["handover"]) if data.get("handover") else None,
        }


def action_between(before: Status, after: Status) -> Action | None:
    """The action that leads from ``before`` to ``after`` (each pair has at most one)."""
    for action, target in TRANSITIONS.get(before, {}).items():
        if target is after:
            return action
    return None


def taken_actions(steps: Sequence[Step]) -> frozenset[Action]:
    return frozenset(s.action for s in steps if s.action is not None)


def latest(steps: Sequence[Step], action: Action) -> Step | None:
    return next((s for s in reversed(steps) if s.action is action), None)


@dataclass(frozen=True)
class HandOff:
    """One row of the control slip: the dossier passes from ``by`` to ``to`` at ``at``."""

    at: dt.datetime
    agency: str
    step: str
    by: str
    to: str
    result: Timeliness | None  # early / on time / late against the appointment then in force
    note: str = ""

    @property
    def result_label(self) -> str:
        return {Timeliness.DONE_EARLY: "Trước hạn", Timeliness.DONE_ON_TIME: "Đúng hạn",
                Timeliness.DONE_LATE: "Quá hạn"}.get(self.result, "") if self.result else ""


DECIDING = "Cơ quan, người giải quyết"
CITIZEN = "Người nộp hồ sơ"

# Steps taken while the clock is stopped, or that set a new appointment: not judged.
_NOT_JUDGED = frozenset({Action.RECEIVE_SUPPLEMENT, Action.APOLOGIZE})


def hand_offs(dossier: Dossier, steps: Sequence[Step], desk_unit: str) -> list[HandOff]:
    """The control slip's rows: the reception, then one per recorded step, in order.

    ``desk_unit`` names the desk ("Bộ phận tiếp nhận và trả kết quả xã Tân Phú"). Each step is
    judged early / on time / late against the appointment in force when it was taken.
    """
    applicant = dossier.applicant.name
    rows = [HandOff(dossier.received_at, desk_unit, "Tiếp nhận hồ sơ", applicant, dossier.receiver or "—", None,
                    f"Hẹn trả {dossier_due_text(steps, dossier)}")]
    deciding = DECIDING
    for step in steps:
        due = step.due_before or dossier.due_at
        result = None if step.action in _NOT_JUDGED else judge_moment(step.at, due)
        label = step.action.label if step.action else f"{step.before.label} → {step.after.label}"
        by, to, agency, note = step.actor, CITIZEN, desk_unit, step.note
        if step.action is Action.FORWARD:
            deciding = step.to or DECIDING
            to, agency = deciding, deciding
        elif step.action is Action.RECORD_RESULT:
            by = deciding
            to = step.actor
        elif step.action is Action.RECEIVE_SUPPLEMENT:
            by, to = applicant, step.actor
        elif step.action is Action.RETURN_RESULT and step.handover is not None:
            to = step.handover.recipient
            note = step.handover.text
        if step.action is Action.REQUEST_SUPPLEMENT and step.documents:
            note = f"{note}. Cần bổ sung: " + "; ".join(d.name for d in step.documents)
        if step.due_after is not None and step.due_after != step.due_before:
            note = (note + ". " if note else "") + f"Hẹn trả mới {step.due_after:%H:%M %d/%m/%Y}"
        rows.append(HandOff(step.at, agency, label, by, to, result, note))
    return rows


def dossier_due_text(steps: Sequence[Step], dossier: Dossier) -> str:
    """The first appointment (before any step moved it), as the slip printed it."""
    moved = next((s for s in steps if s.due_before is not None), None)
    first = moved.due_before if moved is not None and moved.due_before is not None else dossier.due_at
    return f"{first:%H:%M %d/%m/%Y}"


@dataclass(frozen=True)
class BookEntry:
    """One line of the ledger book (Mẫu 07): the dossier and the times it changed hands."""

    dossier: Dossier
    forwarded_at: dt.datetime | None
    deciding: str
    result_at: dt.datetime | None
    returned_at: dt.datetime | None
    returned_to: str
    note: str


_ENDINGS = {Status.REFUSED: Action.REFUSE, Status.STOPPED: Action.STOP, Status.WITHDRAWN: Action.WITHDRAW}


def book_entry(dossier: Dossier, steps: Sequence[Step]) -> BookEntry:
    """The ledger line of ``dossier``: the first hand-over to the deciding officer, the result,
    the return; the note says how a dossier ended without a result, and what moved its appointment."""
    forward = next((s for s in steps if s.action is Action.FORWARD), None)
    result = latest(steps, Action.RECORD_RESULT)
    returned = latest(steps, Action.RETURN_RESULT)
    notes = []
    for step in steps:
        if step.action is Action.REQUEST_SUPPLEMENT:
            notes.append(f"Yêu cầu bổ sung {step.at:%d/%m/%Y}")
        elif step.action is Action.RECEIVE_SUPPLEMENT and step.due_after:
            notes.append(f"nhận bổ sung {step.at:%d/%m/%Y}, hẹn mới {step.due_after:%d/%m/%Y}")
        elif step.action is Action.APOLOGIZE and step.due_after:
            notes.append(f"xin lỗi, hẹn lại {step.due_after:%d/%m/%Y}")
        elif step.action is not None and step.action is _ENDINGS.get(step.after):
            notes.append(f"{step.after.label} {step.at:%d/%m/%Y}" + (f": {step.note}" if step.note else ""))
    recipient = ""
    if returned is not None:
        recipient = returned.handover.recipient if returned.handover else dossier.applicant.name
    # Resolved on the spot: reception recorded it returned, with no step of its own.
    on_the_spot = dossier.status is Status.RETURNED and returned is None
    if on_the_spot:
        recipient = dossier.applicant.name
        notes.insert(0, "Giải quyết và trả ngay tại quầy")
    return BookEntry(
        dossier=dossier,
        forwarded_at=forward.at if forward else None,
        deciding=(forward.to or DECIDING) if forward else "",
        result_at=result.at if result else dossier.finished_at if on_the_spot else None,
        returned_at=returned.at if returned else dossier.finished_at if on_the_spot else None,
        returned_to=recipient,
        note="; ".join(notes),
    )


@dataclass(frozen=True)
class StatusEntry:
    """One line of a dossier's status history: the status it reached, when, by whom, why."""

    status: Status
    at: dt.datetime
    by: str
    note: str
    step: Action | None = None
    due_at: dt.datetime | None = None  # the new appointment, when the step moved it


def status_history(dossier: Dossier, steps: Sequence[Step]) -> list[StatusEntry]:
    """The reception, then each recorded step, in time order (steps are recorded in order)."""
    first = StatusEntry(Status.RECEIVED, dossier.received_at, dossier.receiver, "")
    if not steps and dossier.status is not Status.RECEIVED:  # resolved on the spot by reception
        return [first, StatusEntry(dossier.status, dossier.finished_at or dossier.received_at, dossier.receiver,
                                   "Giải quyết và trả ngay tại quầy")]
    entries = [first]
    for step in steps:
        note = step.note
        if step.handover is not None:
            note = "; ".join(filter(None, [note, step.handover.text]))
        if step.documents:
            note = "; ".join(filter(None, [note, "cần bổ sung: " + ", ".join(d.name for d in step.documents)]))
        moved = step.due_after if step.due_after is not None and step.due_after != step.due_before else None
        entries.append(StatusEntry(step.after, step.at, step.actor, note, step.action, moved))
    return entries
