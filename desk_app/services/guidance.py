"""Guiding an incomplete dossier: issue Mẫu 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).

The dossier is not received (NĐ 61: an incomplete dossier is guided, not registered), so no
dossier code, ledger entry or appointment is made; the slip gets its own number, is recorded for
the statistics (§8 "supplement requested") and goes home with the citizen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError
from desk_app.domain.guidance import DEFAULT_REASON, SupplementGuidance, guidance_number
from desk_app.domain.text import nfc, nfc_or_none
from desk_app.domain.validation import clean_applicant
from desk_app.printing.supplement_request import render_supplement_request
from desk_app.services.desk import Desk

EVENT_KIND = "guidance.supplement_requested"
MAX_REASON = 1000


def issue_supplement_guidance(
    desk: Desk,
    *,
    procedure_code: str,
    name: str | None,
    phone: str | None = None,
    address: str | None = None,
    missing: tuple[ReceivedDocument, ...],
    reason: str | None = None,
) -> SupplementGuidance:
    """Validate, then in one transaction write the slip, an outbox event and an audit entry.

    Raises ValidationErrors / DomainError (nothing written) for a missing or invalid name or
    phone, an unknown procedure, no document to add, or a document without a name or count.
    """
    now = desk.clock()
    applicant = clean_applicant(name=name, phone=phone, address=address, today=now.date())
    procedure = desk.active_procedure(procedure_code)
    documents = tuple(replace(d, name=nfc(d.name)) for d in missing)
    if not documents:
        raise DomainError("no_document", "Phiếu hướng dẫn bổ sung phải nêu ít nhất một giấy tờ cần bổ sung.",
                          field="documents")
    if any(not d.name or d.count < 1 for d in documents):
        raise DomainError("invalid_document", "Mỗi giấy tờ cần có tên và số lượng từ 1 trở lên.", field="documents")
    why = nfc_or_none(reason) or DEFAULT_REASON
    if len(why) > MAX_REASON:
        raise DomainError("reason_too_long", f"Lý do dài quá {MAX_REASON} ký tự.", field="reason")
    profile = desk.profile()
    desk_id = desk.desk_id()
    with desk.store.transaction():
        seq = desk.store.take_guidance_seq(now.year, profile.desk_no)
        guidance = SupplementGuidance(
            number=guidance_number(now.year, profile.desk_no, seq),
            procedure_code=procedure.code,
            procedure_name=nfc(procedure.name),
            applicant_name=applicant.name,
            phone=applicant.phone,
            address=applicant.address,
            documents=documents,
            reason=why,
            officer=nfc(desk.actor),
            issued_at=now,
        )
        desk.store.insert_guidance(guidance, year=now.year, desk_no=profile.desk_no, seq=seq, actor=desk.actor)
        desk.store.add_event(
            desk_id=desk_id, entity="guidance", entity_id=guidance.number, kind=EVENT_KIND,
            payload=event_payload(guidance, profile.desk_no), at=now,
        )
        desk.store.add_audit(
            actor=desk.actor, action="guidance.issue", entity="guidance", entity_id=guidance.number,
            detail={"procedure": procedure.code, "documents": len(documents)}, at=now,
        )
    return guidance


def missing_documents(
    desk: Desk, procedure_code: str, items: list[tuple[str, str | None, int | None]]
) -> tuple[ReceivedDocument, ...]:
    """Papers named as (name, form value or None, count or None): a missing form or count comes
    from the catalogue paper of the same name (case and spacing aside), else original, 1."""
    procedure = desk.active_procedure(procedure_code)
    known = {nfc(d.name).casefold(): d for d in procedure.documents}
    documents = []
    for name, form, count in items:
        clean = nfc(name)
        listed = known.get(clean.casefold())
        try:
            doc_form = DocForm(form) if form else listed.form if listed else DocForm.ORIGINAL
        except ValueError:
            choices = ", ".join(f.value for f in DocForm)
            raise DomainError("invalid_form", f"Hình thức giấy tờ '{form}' không hợp lệ (chọn: {choices}).",
                              field="documents") from None
        documents.append(ReceivedDocument(listed.name if listed else clean, doc_form,
                                          count if count is not None else listed.count if listed else 1))
    return tuple(documents)


def event_payload(guidance: SupplementGuidance, desk_no: int) -> dict[str, Any]:
    """What the hub counts: the procedure, when, and which papers were missing. No phone or
    address: the statistics need no personal data beyond the name on the slip."""
    return {
        "number": guidance.number,
        "desk": desk_no,
        "procedure_code": guidance.procedure_code,
        "procedure_name": guidance.procedure_name,
        "applicant_name": guidance.applicant_name,
        "issued_at": guidance.issued_at.isoformat(timespec="seconds"),
        "documents": [{"name": d.name, "form": d.form.value, "count": d.count} for d in guidance.documents],
        "reason": guidance.reason,
    }


def render_guidance(desk: Desk, guidance: SupplementGuidance) -> bytes:
    """The slip as PDF bytes; called after the commit, so every printed slip is on disk."""
    return render_supplement_request(guidance, desk.profile())
