"""The QR code printed in the upper-left corner of every desk paper, and what it says.

Mẫu 01 (the slip) and the fee receipt leave the office in the citizen's pocket, so their QR says
only what finds the dossier and proves the paper, never who the citizen is (DOMAIN.md §9; no ID
number, name, phone or address), in the compact text of ``domain.qr_text``:

    slip         MHS:<dossier code> DV:<unit code> HT:<due time> KT:<check>
    fee receipt  MHS:<dossier code> KH:<series> SO:<number> TIEN:<amount in đồng> KT:<check>

TT 01/2023/TT-VPCP also lists the procedure, the applicant's identifier, the paper's name, the
issuing system and the time of issue; the dossier code leads to all of them at the desk, and
leaving them out keeps the code small enough (33 modules) to decode from a 100 dpi scan.

Mẫu 02 (supplement request) is issued before any dossier exists and keeps its JSON payload:
``so_phieu`` (the slip's number), ``ma_tthc``, ``ma_dinh_danh`` (the name: no ID is taken),
``ten_giay_to``, ``he_thong`` and ``thoi_diem_cap``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json

import segno
from reportlab.platypus import Flowable

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.fee_receipts import FeeReceiptNo
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.qr_text import compose, qr_time
from desk_app.domain.text import nfc
from desk_app.printing import qr_masks

RECEIPT_DOCUMENT_NAME = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
FEE_RECEIPT_DOCUMENT_NAME = "Biên lai thu phí, lệ phí"
SUPPLEMENT_REQUEST_DOCUMENT_NAME = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 to the second with the UTC offset; a naive time is refused as ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time must carry its UTC offset: {moment!r}")
    return moment.replace(microsecond=0).isoformat()


def encode(fields: dict[str, str]) -> str:
    # No spaces after separators: every byte saved makes the modules larger at a fixed size.
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def receipt_qr_payload(dossier: Dossier, profile: DeskProfile, key: bytes) -> str:
    """The slip's QR text: dossier code, unit, due time and the check value under ``key``."""
    return compose([("MHS", dossier.code), ("DV", profile.unit_code), ("HT", qr_time(dossier.due_at))], key)


def fee_receipt_qr_payload(dossier: Dossier, receipt: FeeReceiptNo, key: bytes) -> str:
    """The fee receipt's QR text: dossier code, series and number, amount and the check value."""
    fields = [("MHS", dossier.code)]
    if receipt.series:
        fields.append(("KH", receipt.series))
    fields += [("SO", receipt.number_text), ("TIEN", str(dossier.fee_vnd))]
    return compose(fields, key)


def dossier_paper_qr_payload(dossier: Dossier, form_no: str, issued_at: dt.datetime, key: bytes) -> str:
    """A dossier's other papers (Mẫu 02–06): dossier code, form number, date of the step, check."""
    return compose([("MHS", dossier.code), ("MAU", form_no), ("NGAY", qr_time(issued_at))], key)


def ledger_book_qr_payload(unit_code: str, first: dt.date, last: dt.date, entries: int, key: bytes) -> str:
    """The ledger book (Mẫu 07): unit, period and number of entries, so a page can be checked."""
    return compose([("SO", "MAU07"), ("DV", unit_code), ("TU", first.isoformat()), ("DEN", last.isoformat()),
                    ("SL", str(entries))], key)


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


# QR alphanumeric mode's 45 characters: such a text takes 5.5 bits a character instead of 8.
_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@functools.lru_cache(maxsize=32)
def _modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    # Level M (15 % recovery) for a paper that lives in a pocket, in the smallest version that
    # holds the text. Alphanumeric mode for the slip and the fee receipt; anything else (Mẫu 02's
    # JSON) as UTF-8 bytes without an ECI header, which readers (zbar, phone cameras) detect.
    # segno picks the mask by the standard's penalty rules; qr_masks scores the candidates a row at
    # a time (the same choice, about 1.5 ms a code instead of 4). reportlab's encoder took 30 ms.
    qr_masks.install()
    if set(payload) <= _ALPHANUMERIC:
        code = segno.make_qr(payload, error="m", mode="alphanumeric", boost_error=False)
    else:
        code = segno.make_qr(payload.encode("utf-8"), error="m", mode="byte", boost_error=False)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


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
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.addLiteral(_path(self.payload, self.side, self.border))
        self.canv.restoreState()


@functools.lru_cache(maxsize=8)
def _path(payload: str, side: float, border: int) -> str:
    """The dark modules as one filled PDF path; the same for every copy of a paper."""
    modules = _modules(payload)
    box = side / (len(modules) + 2 * border)
    # Raw "re" operators with fixed precision: going through canvas paths formats every
    # number with reportlab's pure-Python fp_str, which cost more than the rest of the page.
    ops = []
    for r, row in enumerate(modules):
        top = side - (r + border + 1) * box
        c = 0
        for dark, run in itertools.groupby(row):
            count = len(list(run))
            if dark:
                ops.append(f"{(c + border) * box:.3f} {top:.3f} {count * box:.3f} {box:.3f} re")
            c += count
    return "\n".join(ops) + "\nf"  # fill all modules as one path


def qr_drawing(payload: str, side: float) -> QrFlowable:
    """The QR as a square flowable ``side`` points wide, a 2-module quiet zone included (the page
    margin and the header gap complete it)."""
    return QrFlowable(payload, side)
