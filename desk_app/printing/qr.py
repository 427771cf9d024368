"""The TT 01/2023/TT-VPCP QR payload printed in the upper-left corner of every desk paper.

Format: one compact JSON object, UTF-8 (non-ASCII kept as is), keys short ASCII, in this order:

    ma_hs          dossier code issued by the desk ("000.21.33.H49-261122-0007")
    ma_tthc        procedure code ("1.001193")
    ma_dinh_danh   applicant identifier: the personal ID number when given, else the name
    ten_giay_to    name of the paper ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    he_thong       name of the issuing system (DeskProfile.system_name)
    thoi_diem_cap  time of issue, ISO 8601 with offset ("2026-11-22T09:15:00+07:00")
    hen_tra        appointment for the result, same format (receipt only)

The paper goes home with the citizen, so the payload carries only what the circular requires
(DOMAIN.md §9): no phone, address, e-mail, birth date or fee.
"""

from __future__ import annotations

import datetime as dt
import json

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.text import nfc
from desk_app.printing import fonts

RECEIPT_DOCUMENT_NAME = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
FEE_RECEIPT_DOCUMENT_NAME = "Biên lai thu phí, lệ phí"


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 to the second with the UTC offset; a naive time is refused as ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time must carry its UTC offset: {moment!r}")
    return moment.replace(microsecond=0).isoformat()


def qr_fields(
    dossier: Dossier,
    profile: DeskProfile,
    *,
    document_name: str,
    issued_at: dt.datetime,
    with_appointment: bool,
) -> dict[str, str]:
    """The payload fields as a dict, in print order (tests compare the decoded QR with this)."""
    applicant = dossier.applicant
    identifier = applicant.id_number or applicant.name
    fields = {
        "ma_hs": dossier.code,
        "ma_tthc": dossier.procedure_code,
        "ma_dinh_danh": nfc(identifier),
        "ten_giay_to": document_name,
        "he_thong": nfc(profile.system_name),
        "thoi_diem_cap": iso_time(issued_at),
    }
    if with_appointment:
        fields["hen_tra"] = iso_time(dossier.due_at)
    return {key: nfc(value) for key, value in fields.items()}


def encode(fields: dict[str, str]) -> str:
    # No spaces after separators: every byte saved makes the modules larger at a fixed size.
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def receipt_qr_payload(dossier: Dossier, profile: DeskProfile, issued_at: dt.datetime) -> str:
    """Payload for Mẫu 01 (receipt and appointment slip), appointment included."""
    return encode(
        qr_fields(
            dossier,
            profile,
            document_name=RECEIPT_DOCUMENT_NAME,
            issued_at=issued_at,
            with_appointment=True,
        )
    )


def fee_receipt_qr_payload(dossier: Dossier, profile: DeskProfile, issued_at: dt.datetime) -> str:
    """Payload for the fee receipt: the same fields without the appointment."""
    return encode(
        qr_fields(
            dossier,
            profile,
            document_name=FEE_RECEIPT_DOCUMENT_NAME,
            issued_at=issued_at,
            with_appointment=False,
        )
    )


def qr_drawing(payload: str, side: float) -> Drawing:
    """The QR as a square drawing ``side`` points wide, a 2-module quiet zone included (the page
    margin and the header gap complete it)."""
    # Level M (15 % recovery) for a paper that lives in a pocket. The payload goes in as UTF-8
    # bytes without an ECI header; readers (zbar, phone cameras) detect UTF-8.
    widget = QrCodeWidget(payload, barLevel="M", barWidth=side, barHeight=side, barBorder=2)
    # Without an initial font the renderer selects Helvetica, leaving an unembedded font reference.
    drawing = Drawing(side, side, initialFontName=fonts.register_fonts(), initialFontSize=8)
    drawing.add(widget)
    return drawing
