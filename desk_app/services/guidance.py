"""Guiding an incomplete dossier: issue Mẫu 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).

The dossier is not received (NĐ 61: an incomplete dossier is guided, not registered), so no
dossier code, ledger entry or appointment is made; the slip gets its own number, is recorded for
the statistics (§8 "supplement requested") and goes home with the citizen.
"""

from __future__ import annotations

from dataclasses import replace

from desk_app.domain import events
from desk_app.domain.accounts import Permission
from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError
from desk_app.domain.guidance import DEFAULT_REASON, SupplementGuidance, guidance_number
from desk_app.domain.text import nfc, nfc_or_none
from desk_app.domain.validation import clean_applicant
from desk_app.printing.supplement_request import render_supplement_request
from desk_app.services.desk import Desk

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
    desk.require(Permission.RECEPTION)
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
    with desk.recorder.change(business_time=now) as change:
        seq = desk.store.guidance.take_seq(now.year, profile.desk_no)
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
            uuid=desk.new_uuid(),
        )
        desk.store.guidance.insert(guidance, year=now.year, desk_no=profile.desk_no, seq=seq, actor=desk.actor)
        change.event(events.Kind.GUIDANCE_ISSUED, guidance.uuid, events.guidance_issued(guidance, profile.desk_no))
        change.audit("guidance.issue", "guidance", guidance.number,
                     {"uuid": guidance.uuid, "procedure": procedure.code, "documents": len(documents)})
    return guidance


def missing_documents(
    desk: Desk, procedure_code: str, items: list[tuple[str, str | None, int | None]]
) -> tuple[ReceivedDocument, ...]:
    """Papers named as (name, form value or None, count or None): a missing form or count comes
    from the catalogue paper of the same name (case and spacing aside), else original, 1.
    A retired procedure's papers still name themselves (a received dossier may need them)."""
    procedure = desk.procedure(procedure_code)
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


def render_guidance(desk: Desk, guidance: SupplementGuidance) -> bytes:
    """The slip as PDF bytes; called after the commit, so every printed slip is on disk."""
    return render_supplement_request(guidance, desk.profile())
