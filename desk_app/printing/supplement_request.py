"""Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request), one copy for the citizen.

TT 01/2018 layout (the TT 03/2025 fields are not known yet, DOMAIN.md §3): common header, the
addressee, the procedure, the reason, the table of papers to add, whom to contact, and the
signature of the officer who guided the citizen.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from desk_app.domain.desk import DeskProfile
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.text import nfc
from desk_app.printing import layout
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, para
from desk_app.printing.qr import SUPPLEMENT_REQUEST_DOCUMENT_NAME, guidance_qr_payload

TITLE = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
SIGNER = "Người hướng dẫn"
# Column shares of the table: STT, Tên giấy tờ, Hình thức, Số lượng (as on the receipt).


def unit_in_sentence(profile: DeskProfile) -> str:
    """"Bộ phận tiếp nhận và trả kết quả xã Tân Phú": the unit as written inside a sentence."""
    return f"{nfc(profile.unit_name).capitalize()} {layout.in_sentence(profile.commune)}"


def _documents(guidance: SupplementGuidance, geom: Geometry, styles: Styles) -> list[Flowable]:
    return layout.documents_table("Giấy tờ cần bổ sung, hoàn thiện:", guidance.documents, geom, styles)


def render_supplement_request(guidance: SupplementGuidance, profile: DeskProfile) -> bytes:
    """Mẫu 02 as PDF bytes, dated and QR-stamped with ``guidance.issued_at``; A5 unless the desk
    prints on A4. The phone number is kept in the record but not printed: the slip goes home
    with the citizen and carries only what it needs (DOMAIN.md §9)."""
    payload = guidance_qr_payload(guidance, profile)
    unit = unit_in_sentence(profile)

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        body = styles.body
        story: list[Flowable] = [
            layout.header(
                geom, styles, profile, number=guidance.number, day=guidance.issued_at.date(), qr_payload=payload
            ),
            *layout.title_block(styles, TITLE, []),
            Spacer(1, geom.pt(8)),
            labelled("Kính gửi", f"Ông/Bà {nfc(guidance.applicant_name)}", body, bold=True),
        ]
        if guidance.address:
            story.append(labelled("Địa chỉ", guidance.address, body))
        story += [
            labelled("Nội dung yêu cầu giải quyết", f"{nfc(guidance.procedure_name)} (mã {guidance.procedure_code})",
                     body, bold=True),
            labelled("Lý do", guidance.reason, body),
            *_documents(guidance, geom, styles),
            labelled("Khi cần thông tin, liên hệ", unit, body),
            para(
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận nêu trên "
                "để được hướng dẫn.",
                body,
            ),
            layout.signature(geom, styles, SIGNER, guidance.officer),
        ]
        return story

    return render_copies(
        make_copy,
        paper=profile.paper,
        meta=PdfMeta(title=SUPPLEMENT_REQUEST_DOCUMENT_NAME, author=profile.unit_name, subject=guidance.number),
        continuation_labels=[f"Số: {nfc(guidance.number)}"],
    )
