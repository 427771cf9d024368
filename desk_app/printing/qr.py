"""The TT 01/2023/TT-VPCP QR payload printed in the upper-left corner of every desk paper.

Format: one compact JSON object, UTF-8 (non-ASCII kept as is), keys short ASCII, in this order:

    ma_hs          dossier code issued by the desk ("000.21.33.H49-261122-0007")
    ma_tthc        procedure code ("1.001193")
    ma_dinh_danh   applicant identifier: the personal ID number when given, else the name
    ten_giay_to    name of the paper ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    he_thong       name of the issuing system (DeskProfile.system_name)
    thoi_diem_cap  time of issue, ISO 8601 with offset ("2026-11-22T09:15:00+07:00")
    hen_tra        appointment for the result, same format (receipt only)

Mẫu 02 (supplement request) is issued before any dossier exists, so it carries ``so_phieu``, the
slip's own number ("HD-2025-Q1-0001"), in place of ``ma_hs``, and no appointment.

The paper goes home with the citizen, so the payload carries only what the circular requires
(DOMAIN.md §9): no phone, address, e-mail, birth date or fee.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.text import nfc

RECEIPT_DOCUMENT_NAME = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
FEE_RECEIPT_DOCUMENT_NAME = "Biên lai thu phí, lệ phí"
SUPPLEMENT_REQUEST_DOCUMENT_NAME = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"


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


def guidance_qr_fields(guidance: SupplementGuidance, profile: DeskProfile) -> dict[str, str]:
    """Mẫu 02 payload fields in print order; the applicant is identified by name (no ID is taken)."""
    fields = {
        "so_phieu": guidance.number,
        "ma_tthc": guidance.procedure_code,
        "ma_dinh_danh": guidance.applicant_name,
        "ten_giay_to": SUPPLEMENT_REQUEST_DOCUMENT_NAME,
        "he_thong": profile.system_name,
        "thoi_diem_cap": iso_time(guidance.issued_at),
    }
    return {key: nfc(value) for key, value in fields.items()}


def guidance_qr_payload(guidance: SupplementGuidance, profile: DeskProfile) -> str:
    return encode(guidance_qr_fields(guidance, profile))


@functools.lru_cache(maxsize=32)
def _modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    # Level M (15 % recovery) for a paper that lives in a pocket. The payload goes in as UTF-8
    # bytes without an ECI header; readers (zbar, phone cameras) detect UTF-8.
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


class QrFlowable(Flowable):
    """The QR as one filled path: reportlab's QrCodeWidget draws a shape per module, which made
    a receipt take half a second; one path per code renders in a few milliseconds."""

    def __init__(self, payload: str, side: float, border: int = 2) -> None:
        super().__init__()
        self.payload, self.side, self.border = payload, side, border
        self.width = self.height = side

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.side, self.side

    def draw(self) -> None:
        modules = _modules(self.payload)
        box = self.side / (len(modules) + 2 * self.border)
        # Raw "re" operators with fixed precision: going through canvas paths formats every
        # number with reportlab's pure-Python fp_str, which cost more than the rest of the page.
        ops = []
        for r, row in enumerate(modules):
            top = self.side - (r + self.border + 1) * box
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    ops.append(f"{(c + self.border) * box:.3f} {top:.3f} {count * box:.3f} {box:.3f} re")
                c += count
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.addLiteral("\n".join(ops) + "\nf")  # fill all modules as one path
        self.canv.restoreState()


def qr_drawing(payload: str, side: float) -> QrFlowable:
    """The QR as a square flowable ``side`` points wide, a 2-module quiet zone included (the page
    margin and the header gap complete it)."""
    return QrFlowable(payload, side)
