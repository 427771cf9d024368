"""Biên lai thu phí, lệ phí: the desk's fee receipt for a dossier, two copies.

It carries the form number, series and consecutive number (Mẫu số, Ký hiệu, Số) the commune set
(``domain.fee_receipts``), and the moment the fee was paid. A reprint keeps both, is marked
"BẢN IN LẠI" with the time of printing, and says in a box that it records no new payment.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable, Paragraph, Spacer

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.fee_receipts import FeeReceiptNo
from desk_app.domain.text import format_vnd, nfc
from desk_app.printing import layout
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, text, time_phrase
from desk_app.printing.qr import FEE_RECEIPT_DOCUMENT_NAME, fee_receipt_qr_payload
from desk_app.printing.words import amount_in_words

TITLE = "Biên lai thu phí, lệ phí"
COPY_MARKS = ("Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp tiền")
PAYMENT_METHOD = "Tiền mặt"


def number_lines(receipt: FeeReceiptNo) -> list[tuple[str, str]]:
    """The lines under the title: Mẫu số, Ký hiệu, Số (or the old number alone)."""
    if receipt.number is None:
        return [("Số", receipt.number_text)]
    return [("Mẫu số", receipt.form_no), ("Ký hiệu", receipt.series), ("Số", receipt.number_text)]


def reprint_note(receipt: FeeReceiptNo, paid_at: dt.datetime) -> str:
    series = f", ký hiệu {receipt.series}" if receipt.series else ""
    return (f"Bản in lại của biên lai số {receipt.number_text}{series}, tiền đã thu lúc {time_phrase(paid_at)}. "
            "Không phải một lần thu tiền mới.")


def render_fee_receipt(
    dossier: Dossier,
    profile: DeskProfile,
    *,
    receipt: FeeReceiptNo,
    paid_at: dt.datetime,
    printed_at: dt.datetime,
    qr_key: bytes,
    reprint: bool = False,
) -> bytes:
    """The fee receipt as PDF bytes, dated ``paid_at`` (the moment of payment, on every printing);
    a reprint is marked with ``printed_at``.

    Raises ValueError when the dossier owes nothing: a zero receipt would only confuse the books.
    """
    if dossier.fee_vnd <= 0:
        raise ValueError(f"dossier {dossier.code} has no fee to receipt")
    if not receipt.number_text.strip():
        raise ValueError("receipt number is empty")
    payload = fee_receipt_qr_payload(dossier, receipt, qr_key)
    unit = f"{nfc(profile.unit_name).capitalize()} {layout.in_sentence(profile.commune)}"

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        body = styles.body
        person = dossier.applicant
        story: list[Flowable] = [
            layout.header(geom, styles, profile, number=None, day=paid_at.date(), qr_payload=payload),
            layout.copy_mark(geom, styles, COPY_MARKS[index], reprint=reprint, printed_at=printed_at),
            *layout.title_block(styles, TITLE, [*number_lines(receipt), ("Mã hồ sơ", dossier.code)]),
            Spacer(1, geom.pt(8)),
        ]
        if reprint:
            story += [layout.notice(geom, styles, reprint_note(receipt, paid_at)), Spacer(1, geom.pt(4))]
        story += [
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
            labelled("Thời gian thu", time_phrase(paid_at), body),
            layout.signatures(geom, styles, "Người nộp tiền", "Người thu tiền", dossier.receiver),
        ]
        return story

    return render_copies(
        make_copy,
        paper=profile.paper,
        meta=PdfMeta(title=FEE_RECEIPT_DOCUMENT_NAME, author=profile.unit_name, subject=dossier.code),
        continuation_labels=[f"Số biên lai: {receipt.number_text} - {mark}" for mark in COPY_MARKS],
    )
