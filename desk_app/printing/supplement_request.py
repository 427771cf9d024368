"""Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request), one copy for the citizen.

The layout is the form set's (``printing.forms_tt01_2018``): common header, the addressee, the
procedure, the reason, the table of papers to add, whom to contact, and the signature of the
officer who guided the citizen.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from desk_app.domain.desk import DeskProfile
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.text import nfc
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.forms_tt01_2018 import TITLES, SupplementForm, supplement_story
from desk_app.printing.layout import Geometry, Styles
from desk_app.printing.qr import SUPPLEMENT_REQUEST_DOCUMENT_NAME, guidance_qr_payload

TITLE = TITLES["02"]

SIGNER = "Người hướng dẫn"


def render_supplement_request(guidance: SupplementGuidance, profile: DeskProfile) -> bytes:
    """Mẫu 02 as PDF bytes, dated and QR-stamped with ``guidance.issued_at``; A5 unless the desk
    prints on A4. The phone number is kept in the record but not printed: the slip goes home
    with the citizen and carries only what it needs (DOMAIN.md §9)."""
    payload = guidance_qr_payload(guidance, profile)
    form = SupplementForm(
        number=guidance.number, day=guidance.issued_at.date(), applicant_name=guidance.applicant_name,
        address=guidance.address, procedure=f"{nfc(guidance.procedure_name)} (mã {guidance.procedure_code})",
        reason=guidance.reason, documents=guidance.documents, officer=guidance.officer,
    )

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        return supplement_story(form, profile, payload, geom, styles)

    return render_copies(
        make_copy,
        paper=profile.paper,
        meta=PdfMeta(title=SUPPLEMENT_REQUEST_DOCUMENT_NAME, author=profile.unit_name, subject=guidance.number),
        continuation_labels=[f"Số: {nfc(guidance.number)}"],
    )
