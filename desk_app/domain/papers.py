"""The papers a dossier gets at the desk, and how a place is named in their date line."""

from __future__ import annotations

from enum import Enum

from desk_app.domain.text import nfc


class Paper(str, Enum):
    """A paper whose printings are counted: the first is the original, later ones are reprints."""

    RECEIPT = "receipt"  # Mẫu 01, giấy tiếp nhận hồ sơ và hẹn trả kết quả
    FEE_RECEIPT = "fee_receipt"  # biên lai thu phí, lệ phí
    SUPPLEMENT_REQUEST = "supplement_request"  # Mẫu 02 for a received dossier
    REFUSAL = "refusal"  # Mẫu 03
    APOLOGY = "apology"  # Mẫu 04
    STOP_NOTICE = "stop_notice"  # Mẫu 05
    CONTROL_SLIP = "control_slip"  # Mẫu 06

    @property
    def label(self) -> str:
        return PAPER_LABELS[self]


PAPER_LABELS = {
    Paper.RECEIPT: "Giấy tiếp nhận và hẹn trả kết quả",
    Paper.FEE_RECEIPT: "Biên lai thu phí, lệ phí",
    Paper.SUPPLEMENT_REQUEST: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    Paper.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    Paper.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    Paper.STOP_NOTICE: "Thông báo dừng giải quyết hồ sơ",
    Paper.CONTROL_SLIP: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


# The kind of administrative unit that starts a commune-level name.
_UNIT_KINDS = ("Xã", "Phường", "Thị trấn", "Đặc khu")


def place_name(name: str) -> str:
    """The place as the date line of an administrative paper writes it: "Xã Tân Phú" → "Tân Phú".

    A unit named by a number keeps its kind ("Phường 5"), as NĐ 30/2020 asks; so would one named
    after a person, which no rule can tell from the name: such a desk sets its place at set-up.
    """
    value = nfc(name)
    for kind in _UNIT_KINDS:
        if value.casefold().startswith(kind.casefold() + " "):
            rest = value[len(kind) + 1:].strip()
            if rest and not rest[0].isdigit():
                return rest
    return value
