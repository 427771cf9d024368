"""Biên lai thu phí, lệ phí: the desk's fee receipt for a dossier, two copies.

The layout is deliberately plain. A receipt that counts as a finance document also needs the
form number and series (mẫu số, ký hiệu) the commune registered with the tax authority; those
are not part of the desk's data yet, so none are invented here.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable, Paragraph, Spacer

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.text import format_vnd, nfc
from desk_app.printing import layout
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, text, time_phrase
from desk_app.printing.qr import FEE_RECEIPT_DOCUMENT_NAME, fee_receipt_qr_payload
from desk_app.printing.words import amount_in_words

TITLE = "Biên lai thu phí, lệ phí"
COPY_MARKS = ("Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp tiền")
PAYMENT_METHOD = "Tiền mặt"


def render_fee_receipt(
    dossier: Dossier, profile: DeskProfile, *, issued_at: dt.datetime, receipt_no: str
) -> bytes:
    """The fee receipt as PDF bytes, dated ``issued_at`` (the moment of payment).

    Raises ValueError when the dossier owes nothing: a zero receipt would only confuse the books.
    """
    if dossier.fee_vnd <= 0:
        raise ValueError(f"dossier {dossier.code} has no fee to receipt")
    if not receipt_no.strip():
        raise ValueError("receipt number is empty")
    payload = fee_receipt_qr_payload(dossier, profile, issued_at)
    unit = f"{nfc(profile.unit_name).capitalize()} {layout.in_sentence(profile.commune)}"

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        body = styles.body
        person = dossier.applicant
        story: list[Flowable] = [
            layout.header(geom, styles, profile, number=None, day=issued_at.date(), qr_payload=payload),
            layout.copy_mark(geom, styles, COPY_MARKS[index], reprint=False),
            *layout.title_block(
                styles, TITLE, [("Số biên lai", receipt_no), ("Mã hồ sơ", dossier.code)]
            ),
            Spacer(1, geom.pt(8)),
            labelled("Đơn vị thu", unit, body),
            labelled("Họ và tên người nộp tiền", person.name, body, bold=True),
        ]
        if person.address:
            story.append(labelled("Địa chỉ", person.address, body))
        story.append(labelled("Nội dung thu", dossier.procedure_name, body))
        if dossier.fee_detail.strip():
            story.append(labelled("Chi tiết", dossier.fee_detail, body))
        story += [
            labelled("Số tiền", format_vnd(dossier.fee_vnd), body, bold=True),
            Paragraph(f"{text('Viết bằng chữ')}: <i>{text(amount_in_words(dossier.fee_vnd))}</i>", body),
            labelled("Hình thức thanh toán", PAYMENT_METHOD, body),
            labelled("Thời gian thu", time_phrase(issued_at), body),
            layout.signatures(geom, styles, "Người nộp tiền", "Người thu tiền", dossier.receiver),
        ]
        return story

    return render_copies(
        make_copy,
        paper=profile.paper,
        meta=PdfMeta(title=FEE_RECEIPT_DOCUMENT_NAME, author=profile.unit_name, subject=dossier.code),
        continuation_labels=[f"Số biên lai: {nfc(receipt_no)} - {mark}" for mark in COPY_MARKS],
    )
