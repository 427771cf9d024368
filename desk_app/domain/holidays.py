"""Statutory days off per Labour Code 2019 Art. 112 and 111(3), for years lacking a schedule."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from enum import Enum

from desk_app.domain.lunar import lunar_to_solar, tet

__all__ = ["DayKind", "DayEntry", "derive_statutory"]

_ONE_DAY = datetime.timedelta(days=1)


class DayKind(str, Enum):
    HOLIDAY = "holiday"
    COMPENSATORY = "compensatory"
    SWAPPED_WORKDAY = "swapped_workday"


@dataclass(frozen=True)
class DayEntry:
    date: datetime.date
    name: str
    kind: DayKind
    provisional: bool = False


def _nfc(text: str) -> str:
    # Names are compared and stored elsewhere; NFC keeps them byte-identical
    # whatever form the source file or an editor used.
    return unicodedata.normalize("NFC", text)


NEW_YEAR = _nfc("Tết Dương lịch")
TET = _nfc("Tết Nguyên đán")
TET_EVE = _nfc("Tết Nguyên đán (giao thừa)")
HUNG_KINGS = _nfc("Giỗ Tổ Hùng Vương")
VICTORY_DAY = _nfc("Ngày Chiến thắng")
LABOUR_DAY = _nfc("Ngày Quốc tế Lao động")
NATIONAL_DAY = _nfc("Quốc khánh")
NATIONAL_DAY_EXTRA = _nfc("Quốc khánh (ngày liền kề)")
COMPENSATORY_PREFIX = _nfc("Nghỉ bù ")


def _tet_day_name(n: int) -> str:
    return _nfc(f"{TET} (Mùng {n})")


def _statutory_holidays(
    year: int, tz: float, national_day_extra: str
) -> list[tuple[datetime.date, str]]:
    """The 11 paid holidays of Art. 112(1), with the yearly choices made provisionally."""
    if national_day_extra == "before":
        extra = datetime.date(year, 9, 1)
    elif national_day_extra == "after":
        extra = datetime.date(year, 9, 3)
    else:
        raise ValueError(
            f"national_day_extra must be 'before' or 'after', not {national_day_extra!r}"
        )

    mung1 = tet(year, tz)
    days: list[tuple[datetime.date, str]] = [(datetime.date(year, 1, 1), NEW_YEAR)]
    # Five Tết days; the Prime Minister picks them each year, and recent schedules
    # use the last day of the old lunar year plus Mùng 1-4.
    days.append((mung1 - _ONE_DAY, TET_EVE))
    days.extend((mung1 + n * _ONE_DAY, _tet_day_name(n + 1)) for n in range(4))
    days.append((lunar_to_solar(year, 3, 10, tz=tz), HUNG_KINGS))
    days.append((datetime.date(year, 4, 30), VICTORY_DAY))
    days.append((datetime.date(year, 5, 1), LABOUR_DAY))
    # Art. 112(1)(đ): 2/9 plus 1/9 or 3/9, announced yearly.
    days.append((datetime.date(year, 9, 2), NATIONAL_DAY))
    days.append((extra, NATIONAL_DAY_EXTRA))
    days.sort(key=lambda item: item[0])
    return days


def derive_statutory(
    year: int,
    tz: float = 7.0,
    *,
    national_day_extra: str = "before",
    rest_weekdays: frozenset[int] = frozenset({5, 6}),
) -> list[DayEntry]:
    """Provisional statutory holidays and compensatory days of `year`, sorted by date.

    `rest_weekdays` uses date.weekday() numbering (Monday 0 .. Sunday 6).
    Raises ValueError for an unknown `national_day_extra` or an impossible
    rest-day set (every weekday resting would leave no day for compensation).
    Two holidays on one date (Giỗ Tổ on 30/4: rare, none in 2021-2100) are
    both listed; the coincidence itself earns no extra day.
    """
    if not rest_weekdays <= frozenset(range(7)) or len(rest_weekdays) == 7:
        raise ValueError(
            f"rest_weekdays must be a proper subset of 0..6, got {sorted(rest_weekdays)}"
        )

    holidays = _statutory_holidays(year, tz, national_day_extra)
    entries = [DayEntry(d, name, DayKind.HOLIDAY, provisional=True) for d, name in holidays]

    # Art. 111(3): a holiday on a weekly rest day is made up on the next working
    # day; holidays are walked in date order so earlier ones claim days first.
    taken = {d for d, _ in holidays}
    for d, name in holidays:
        if d.weekday() not in rest_weekdays:
            continue
        day = d + _ONE_DAY
        while day.weekday() in rest_weekdays or day in taken:
            day += _ONE_DAY
        taken.add(day)
        entries.append(
            DayEntry(day, _nfc(COMPENSATORY_PREFIX + name), DayKind.COMPENSATORY, provisional=True)
        )

    entries.sort(key=lambda e: (e.date, e.kind is DayKind.COMPENSATORY))
    return entries
