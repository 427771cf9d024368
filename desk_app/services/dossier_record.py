"""The whole record of one dossier for a person: the dossier, its fee and its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from desk_app.domain.accounts import Permission
from desk_app.domain.dossier import Dossier, Status
from desk_app.domain.handover import Handover
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.domain.steps import StatusEntry, status_history
from desk_app.domain.timeliness import Timeliness
from desk_app.services import ledger
from desk_app.services.desk import Desk
from desk_app.store.connection import StoreError
from desk_app.store.history import HistoryEntry, dossier_history
from desk_app.store.lifecycle import steps
from desk_app.store.papers import FeeRecord, fee_record

# What each audited action on a dossier is called for people.
ACTION_LABELS = {
    "dossier.receive": "Tiếp nhận hồ sơ",
    "dossier.receive_and_return": "Tiếp nhận và trả kết quả ngay tại quầy",
    "dossier.print_receipt": "In giấy tiếp nhận",
    "dossier.reprint_receipt": "In lại giấy tiếp nhận",
    "dossier.print_fee_receipt": "In biên lai",
    "dossier.print": "In",
    "dossier.reprint": "In lại",
    "dossier.set_status": "Chuyển trạng thái",
    "dossier.view": "Xem hồ sơ",
}


@dataclass(frozen=True)
class DossierRecord:
    dossier: Dossier
    fee: FeeRecord | None
    history: list[HistoryEntry]  # the audit: every action on the dossier, viewings included
    audited: bool  # False when the database is read-only and this viewing could not be recorded
    statuses: list[StatusEntry] = field(default_factory=list)  # reception and each step, in time order
    timeliness: Timeliness | None = None  # against the appointment, now


def dossier_record(desk: Desk, code: str, *, purpose: str) -> DossierRecord:
    """Load the dossier for a person to read; the viewing is audited (personal data).

    A database on write-protected media cannot take the audit entry: the record is still shown
    (a backup must stay readable) and ``audited`` says it was not recorded.
    """
    audited = not desk.store.read_only
    desk.require(Permission.VIEW)
    if audited:
        try:
            dossier = desk.view_dossier(code, purpose=purpose)
        except StoreError as exc:
            if exc.code != "read_only":
                raise
            audited = False
    if not audited:
        dossier = desk.dossier(code)
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    judged = ledger.judge(dossier.status, dossier.due_at, dossier.finished_at, ledger.window(desk))
    return DossierRecord(dossier, fee_record(desk.store, dossier_id), dossier_history(desk.store, dossier.code),
                         audited, status_history(dossier, steps(desk.store, dossier_id)), judged)


def describe_step(entry: HistoryEntry) -> str:
    """One history line's text, in Vietnamese."""
    label = ACTION_LABELS.get(entry.action, entry.action)
    detail = entry.detail
    if entry.action == "dossier.set_status":
        before, after = detail.get("from"), detail.get("to")
        label = f"{Status(before).label} → {Status(after).label}" if before and after else label
        if detail.get("step") in _STEPS:
            label = f"{Action(detail['step']).label}" + (f" ({label})" if before != after else "")
        if detail.get("note"):
            label += f" (lý do: {detail['note']})"
        if detail.get("due_at"):
            label += f", hẹn trả mới {dt.datetime.fromisoformat(detail['due_at']):%H:%M %d/%m/%Y}"
        if detail.get("handed_to"):
            label += f", chuyển cho {detail['handed_to']}"
        if isinstance(detail.get("handover"), dict):
            label += f", {Handover.from_dict(detail['handover']).text}"
    elif entry.action in ("dossier.print", "dossier.reprint") and detail.get("paper"):
        paper = _PAPER_NAMES.get(detail["paper"]) or (
            Paper(detail["paper"]).label.lower() if detail["paper"] in _PAPERS else detail["paper"])
        label += f" {paper}" + (f", lần in thứ {detail['print_no']}" if detail.get("print_no") else "")
    elif entry.action == "dossier.reprint_receipt" and detail.get("print_count"):
        label += f", lần in thứ {detail['print_count']}"
    return label


_STEPS = {a.value for a in Action}
_PAPERS = {p.value for p in Paper}
_PAPER_NAMES = {Paper.RECEIPT.value: "giấy tiếp nhận", Paper.FEE_RECEIPT.value: "biên lai"}
