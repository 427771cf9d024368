"""Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip), two copies."""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable, Paragraph, Spacer

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier, ReturnMethod, Status
from desk_app.domain.text import format_vnd, nfc
from desk_app.printing import layout
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, para, text, time_phrase
from desk_app.printing.qr import RECEIPT_DOCUMENT_NAME, receipt_qr_payload

TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
COPY_MARKS = ("Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp hồ sơ")
# A slip of a dossier that is no longer waiting for its result says so: an old appointment must
# not be presented as valid. (A ready result is still collected with the slip, so it is not here.)
ENDED_STATES = {
    Status.WITHDRAWN: "Hồ sơ đã rút",
    Status.REFUSED: "Hồ sơ đã bị từ chối giải quyết",
    Status.STOPPED: "Hồ sơ đã dừng giải quyết",
    Status.RETURNED: "Hồ sơ đã trả kết quả",
}
VOID_NOTE = "Giấy hẹn này không còn giá trị để nhận kết quả."


def ledger_book(dossier: Dossier) -> str:
    """The ledger book: one a year per desk, "2026/Q1"."""
    return f"{dossier.ledger_year}/Q{dossier.desk_no}"


def ledger_entry(dossier: Dossier) -> str:
    """The entry number in the book, numbered from 01 each year."""
    return f"{dossier.ledger_no:02d}"


def return_place(dossier: Dossier, profile: DeskProfile) -> str:
    """How the citizen registered to collect the result: "Tại Bộ phận Một cửa", "Qua dịch vụ bưu
    chính công ích", "Trực tuyến"; a desk that names its counter (collect_at) prints that place."""
    place = nfc(profile.collect_at)
    if dossier.return_method is ReturnMethod.DESK and place:
        return place if place.casefold().startswith("tại ") else f"Tại {place}"
    return dossier.return_method.label


def _intro(dossier: Dossier, profile: DeskProfile) -> str:
    # The unit is configured in capitals for the header; a sentence wants "Bộ phận … xã Tân Phú".
    unit = nfc(profile.unit_name).capitalize()
    return f"{unit} {layout.in_sentence(profile.commune)} tiếp nhận hồ sơ của:"


def _applicant(dossier: Dossier, styles: Styles) -> list[Flowable]:
    person = dossier.applicant
    lines: list[Flowable] = [labelled("Ông/Bà", person.name, styles.body, bold=True)]
    # Only what Mẫu 01 asks for: name, address, phone, email. The ID number, birth date and sex
    # stay in the desk's record: a lost slip must not carry them (Luật 91/2025, minimal data).
    # Empty fields are left out rather than dotted: the slip is printed, not filled by hand.
    if person.address:
        lines.append(labelled("Địa chỉ", person.address, styles.body))
    contact = [f"{label}: {text(value)}" for label, value in
               (("Số điện thoại", person.phone), ("Email", person.email)) if value]
    if contact:
        lines.append(Paragraph("&#160;&#160;&#160; ".join(contact), styles.body))
    return lines


def _documents(dossier: Dossier, geom: Geometry, styles: Styles) -> list[Flowable]:
    return layout.documents_table("Thành phần hồ sơ:", dossier.documents, geom, styles)


def state_note(dossier: Dossier, since: dt.datetime | None) -> str | None:
    """"Hồ sơ đã rút ngày 26/11/2026. Giấy hẹn này …" for a dossier that is no longer waiting."""
    state = ENDED_STATES.get(dossier.status)
    if state is None:
        return None
    day = f" ngày {since:%d/%m/%Y}" if since is not None else ""
    return f"{state}{day}. {VOID_NOTE}"


def _replaces(dossier: Dossier, replaced_due: dt.datetime | None) -> str:
    """The new slip after a supplement voids the one given at the reception."""
    due = f" (hẹn trả {replaced_due:%H:%M %d/%m/%Y})" if replaced_due else ""
    return (f"Giấy này thay {RECEIPT_DOCUMENT_NAME} cấp ngày {dossier.received_at:%d/%m/%Y}{due}; "
            "giấy cũ không còn giá trị.")


def render_receipt(
    dossier: Dossier,
    profile: DeskProfile,
    *,
    issued_at: dt.datetime,
    qr_key: bytes,
    reprint: bool = False,
    status_since: dt.datetime | None = None,
    supplemented_at: dt.datetime | None = None,
    replaced_due: dt.datetime | None = None,
) -> bytes:
    """Mẫu 01 as PDF bytes: Liên 1 (kept) and Liên 2 (citizen), each starting its own page.

    The form is dated the day of reception; a reprint is marked with ``issued_at``, the time of
    this printing. A dossier withdrawn, refused, stopped or returned (since ``status_since``)
    carries that state in a box, and its appointment is marked as no longer valid. A slip issued
    anew when a requested supplement arrived (``supplemented_at``) is dated that day, says so
    beside the receipt time (its appointment counts from that moment) and that it replaces the
    first slip, with the appointment that slip gave (``replaced_due``). The QR code
    is signed with the desk's ``qr_key``. A5 unless the desk prints on A4.
    """
    payload = receipt_qr_payload(dossier, profile, qr_key)
    ended = state_note(dossier, status_since)
    due = time_phrase(dossier.due_at) + (" (không còn giá trị)" if ended else "")

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        body = styles.body
        story: list[Flowable] = [
            layout.header(
                geom,
                styles,
                profile,
                number=f"{ledger_entry(dossier)}/{ledger_book(dossier)}",
                day=(supplemented_at or dossier.received_at).date(),
                qr_payload=payload,
            ),
            layout.copy_mark(geom, styles, COPY_MARKS[index], reprint=reprint, printed_at=issued_at),
            *layout.title_block(styles, TITLE, [("Mã hồ sơ", dossier.code)]),
            Spacer(1, geom.pt(6)),
        ]
        if ended:
            story += [layout.notice(geom, styles, ended), Spacer(1, geom.pt(4))]
        story += [
            para(_intro(dossier, profile), body),
            *_applicant(dossier, styles),
            labelled("Nội dung yêu cầu giải quyết", dossier.procedure_name, body, bold=True),
            *_documents(dossier, geom, styles),
            labelled("Số lượng hồ sơ", f"{dossier.sets} bộ", body),
            labelled("Thời gian giải quyết hồ sơ theo quy định", dossier.statutory_time, body),
            labelled("Thời gian nhận hồ sơ", time_phrase(dossier.received_at), body),
            *([labelled("Thời gian nhận đủ hồ sơ bổ sung", time_phrase(supplemented_at)
                        + " (thời gian giải quyết tính lại từ thời điểm này)", body)] if supplemented_at else []),
            Paragraph(
                f"<b>{text('Thời gian trả kết quả giải quyết hồ sơ')}: "
                f"{text(due)}</b>",
                body,
            ),
            *([para(_replaces(dossier, replaced_due), body)] if supplemented_at else []),
            # The 2018 form reads "Đăng ký nhận kết quả tại:"; the method labels already say
            # "Tại …"/"Qua …", so the label drops "tại" rather than print "tại: Tại".
            labelled("Đăng ký nhận kết quả", return_place(dossier, profile), body),
            Paragraph(
                f"Vào Sổ theo dõi hồ sơ, Quyển số: {text(ledger_book(dossier))}, "
                f"Số thứ tự: {text(ledger_entry(dossier))}",
                body,
            ),
        ]
        if dossier.fee_vnd > 0:
            fee = format_vnd(dossier.fee_vnd)
            if dossier.fee_detail.strip():
                fee += f" ({nfc(dossier.fee_detail)})"
            story.append(labelled("Phí, lệ phí", fee, body))
        story.append(
            layout.signatures(geom, styles, "Người nộp hồ sơ", "Người tiếp nhận hồ sơ", dossier.receiver)
        )
        return story

    return render_copies(
        make_copy,
        paper=profile.paper,
        meta=PdfMeta(title=RECEIPT_DOCUMENT_NAME, author=profile.unit_name, subject=dossier.code),
        continuation_labels=[f"Mã hồ sơ: {dossier.code} - {mark}" for mark in COPY_MARKS],
    )
