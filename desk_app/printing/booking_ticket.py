"""The appointment ticket (phiếu hẹn): which slot, for which procedure, with a signed QR that the
counter scans to receive the dossier with its fields filled."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from desk_app.domain.bookings import Booking
from desk_app.domain.desk import DeskProfile
from desk_app.domain.qr_text import compose, qr_time
from desk_app.domain.text import nfc
from desk_app.printing import layout
from desk_app.printing.document import PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, para, text, time_phrase

TITLE = "Phiếu hẹn nộp hồ sơ"


def ticket_qr_payload(booking: Booking, profile: DeskProfile, key: bytes) -> str:
    """"LH:<number> DV:<unit> GIO:<slot> KT:<check>": finds the booking, proves the ticket; no name."""
    return compose([("LH", booking.number), ("DV", profile.unit_code), ("GIO", qr_time(booking.slot))], key)


def render_ticket(booking: Booking, profile: DeskProfile, *, qr_key: bytes) -> bytes:
    """The ticket as PDF bytes, one copy for the citizen (A5 unless the desk prints on A4)."""
    payload = ticket_qr_payload(booking, profile, qr_key)
    place = nfc(profile.collect_at) or f"{nfc(profile.unit_name).capitalize()} {layout.in_sentence(profile.commune)}"

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        body = styles.body
        return [
            layout.header(geom, styles, profile, number=booking.number, day=booking.created_at.date(),
                          qr_payload=payload),
            *layout.title_block(styles, TITLE, []),
            Spacer(1, geom.pt(8)),
            labelled("Ông/Bà", booking.name, body, bold=True),
            labelled("Số điện thoại", booking.phone, body),
            labelled("Thủ tục", f"{nfc(booking.procedure_name)} (mã {booking.procedure_code})", body),
            Paragraph(f"<b>{text('Thời gian hẹn')}: {text(time_phrase(booking.slot))}</b>", body),
            labelled("Địa điểm", place, body),
            *([para(f"Phiếu này thay phiếu hẹn số {booking.moved_from} (đã chuyển lịch hẹn); phiếu cũ không còn "
                    "giá trị.", body)] if booking.moved_from else []),
            para("Ông/Bà mang theo phiếu này (hoặc đọc số phiếu) và các giấy tờ của thủ tục; đến trước giờ hẹn "
                 "ít nhất 5 phút. Nếu không đến được, xin báo lại để nhường chỗ cho người khác.", body),
        ]

    return render_copies(make_copy, paper=profile.paper,
                         meta=PdfMeta(title=TITLE, author=profile.unit_name, subject=booking.number),
                         continuation_labels=[f"Phiếu hẹn số {booking.number}"])
