"""The fee receipt's numbering: form number (Mẫu số), series (Ký hiệu) and consecutive number (Số).

A commune registers the form and the series of its receipts with the finance authority and numbers
the receipts of a series consecutively, never reusing a number. The values are the commune's own,
so they are settings (DOMAIN.md §3 rates the finance rules [L]); the defaults follow the common
pattern: form "01BLP2-001", series of two of the 20 letters the finance rules allow, the year's last
two digits and "T" for a self-printed receipt ("AA/26T"), numbers of seven digits. Each desk gets
its own default series (desk 1 "AA", desk 2 "AB", …) because two desks working offline must never
hand out the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.text import nfc

DEFAULT_FORM_NO = "01BLP2-001"
SERIES_LETTERS = "ABCDEGHKLMNPQRSTUVXY"  # capitals of the Vietnamese alphabet; no F I J O W Z
NUMBER_DIGITS = 7
MAX_NUMBER = 10**NUMBER_DIGITS - 1
_CODE = re.compile(r"[A-Z0-9][A-Z0-9/.\-]{0,19}")


@dataclass(frozen=True)
class FeeReceiptBook:
    """What the desk prints on its next receipts; ``start_no`` is the first number of a new series
    (a commune moving to the desk in the middle of a printed book starts after its last number)."""

    form_no: str
    series: str
    start_no: int = 1


@dataclass(frozen=True)
class FeeReceiptNo:
    """The number printed on one receipt. Receipts issued before the series existed keep their old
    number in ``legacy`` ("BL2026-01-00001") and have no form or series."""

    form_no: str
    series: str
    number: int | None
    legacy: str = ""

    @property
    def number_text(self) -> str:
        return f"{self.number:0{NUMBER_DIGITS}d}" if self.number is not None else self.legacy

    def __str__(self) -> str:
        if self.number is None:
            return self.legacy
        return f"Mẫu số {self.form_no}, ký hiệu {self.series}, số {self.number_text}"


def default_book(desk_no: int, year: int) -> FeeReceiptBook:
    letter = SERIES_LETTERS[(desk_no - 1) % len(SERIES_LETTERS)]
    return FeeReceiptBook(DEFAULT_FORM_NO, f"A{letter}/{year % 100:02d}T")


def check_book(form_no: str, series: str, start_no: int) -> FeeReceiptBook:
    """The book as typed, normalised (NFC, capitals); every problem at once, in Vietnamese."""
    form, code = nfc(form_no).upper(), nfc(series).upper()
    errors = []
    if not _CODE.fullmatch(form):
        errors.append(DomainError(
            "invalid_fee_form", "Mẫu số biên lai chỉ gồm chữ in hoa không dấu, số và các dấu / . - "
            "(tối đa 20 ký tự), ví dụ 01BLP2-001.", field="fee_form"))
    if not _CODE.fullmatch(code):
        errors.append(DomainError(
            "invalid_fee_series", "Ký hiệu biên lai chỉ gồm chữ in hoa không dấu, số và các dấu / . - "
            "(tối đa 20 ký tự), ví dụ AA/26T.", field="fee_series"))
    if not 1 <= start_no <= MAX_NUMBER:
        errors.append(DomainError(
            "invalid_fee_start", f"Số bắt đầu của biên lai phải từ 1 đến {MAX_NUMBER:,}.".replace(",", "."),
            field="fee_start"))
    if errors:
        raise ValidationErrors(errors)
    return FeeReceiptBook(form, code, start_no)


def next_number(last: int | None, book: FeeReceiptBook) -> int:
    """The number after ``last`` in the book's series, never below its start number; a number
    once issued is never issued again, so a lower start number changes nothing."""
    number = max((last or 0) + 1, book.start_no)
    if number > MAX_NUMBER:
        raise DomainError(
            "fee_series_full",
            f"Ký hiệu biên lai {book.series} đã dùng hết số. Hãy đặt ký hiệu mới: "
            "desk-app settings fee-receipt --series …",
        )
    return number
