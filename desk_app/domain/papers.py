"""The papers a dossier gets at the desk, and how a place is named in their date line."""

from __future__ import annotations

from enum import Enum

from desk_app.domain.text import nfc


class Paper(str, Enum):
    """A paper whose printings are counted: the first is the original, later ones are reprints."""

    RECEIPT = "receipt"  # Mẫu 01, giấy tiếp nhận hồ sơ và hẹn trả kết quả
    FEE_RECEIPT = "fee_receipt"  # biên lai thu phí, lệ phí

    @property
    def label(self) -> str:
        return "Giấy tiếp nhận và hẹn trả kết quả" if self is Paper.RECEIPT else "Biên lai thu phí, lệ phí"


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
