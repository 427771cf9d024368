"""Dossier codes ``<unit code>-YYMMDD-XXXX`` (TT 01/2018 Art. 19) and their per-desk ranges.

Two desks of one commune work offline and cannot ask each other for the next number, so the
four-digit daily sequence is partitioned by desk number: desk *n* (1–10) issues
``(n-1)*1000 + 1`` … ``(n-1)*1000 + 999``. A one-desk commune therefore issues 0001, 0002, …
exactly as the circular's example; desk 2 issues 1001, 1002, …; desk 10 issues 9001–9999.
Each desk may issue 999 codes a day, far above the busiest commune's daily volume.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desk_app.domain.errors import DomainError

MAX_DESKS = 10
BLOCK = 1000

_UNIT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]{0,39}$")
_CODE = re.compile(r"^(?P<unit>[0-9A-Za-z.]+)-(?P<day>\d{6})-(?P<seq>\d{4})$")


@dataclass(frozen=True)
class DossierCode:
    unit_code: str
    day: dt.date
    sequence: int

    def __str__(self) -> str:
        return f"{self.unit_code}-{self.day:%y%m%d}-{self.sequence:04d}"

    @property
    def desk_no(self) -> int:
        return (self.sequence - 1) // BLOCK + 1


def check_unit_code(unit_code: str) -> str:
    if not _UNIT_CODE.match(unit_code):
        raise DomainError(
            "invalid_unit_code",
            "Mã đơn vị chỉ gồm chữ, số và dấu chấm (ví dụ 000.21.33.H49), tối đa 40 ký tự.",
            field="unit_code",
        )
    return unit_code


def check_desk_no(desk_no: int) -> int:
    if not 1 <= desk_no <= MAX_DESKS:
        raise DomainError("invalid_desk_no", f"Số quầy phải từ 1 đến {MAX_DESKS}.", field="desk_no")
    return desk_no


def desk_range(desk_no: int) -> range:
    """The daily sequence numbers that desk ``desk_no`` may issue."""
    check_desk_no(desk_no)
    first = (desk_no - 1) * BLOCK + 1
    return range(first, first + BLOCK - 1)


def next_sequence(desk_no: int, last_issued: int | None) -> int:
    """The next sequence for this desk today, given the last one it issued today (or None)."""
    numbers = desk_range(desk_no)
    candidate = numbers.start if last_issued is None else last_issued + 1
    if candidate not in numbers:
        raise DomainError(
            "code_range_exhausted",
            f"Quầy {desk_no} đã dùng hết {len(numbers)} mã hồ sơ của ngày hôm nay.",
        )
    return candidate


def parse_code(text: str) -> DossierCode:
    match = _CODE.match(text.strip())
    if not match:
        raise DomainError("invalid_code", f"Mã hồ sơ '{text}' không đúng dạng <mã đơn vị>-YYMMDD-XXXX.")
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        raise DomainError("invalid_code", f"Mã hồ sơ '{text}' có ngày không hợp lệ.") from None
    return DossierCode(match["unit"], day, int(match["seq"]))
