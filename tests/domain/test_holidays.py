"""Tests for statutory holidays derived from the 2019 Labour Code."""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata

import pytest

from desk_app.domain.holidays import DayEntry, DayKind, derive_statutory

D = datetime.date
H = DayKind.HOLIDAY
C = DayKind.COMPENSATORY


def _dates(entries: list[DayEntry], kind: DayKind) -> list[datetime.date]:
    return [e.date for e in entries if e.kind is kind]


def _by_date(entries: list[DayEntry], kind: DayKind) -> dict[datetime.date, str]:
    return {e.date: e.name for e in entries if e.kind is kind}


def test_2026_matches_official_schedule() -> None:
    entries = derive_statutory(2026)
    holidays = _by_date(entries, H)
    assert holidays == {
        D(2026, 1, 1): "Tết Dương lịch",
        D(2026, 2, 16): "Tết Nguyên đán (giao thừa)",
        D(2026, 2, 17): "Tết Nguyên đán (Mùng 1)",
        D(2026, 2, 18): "Tết Nguyên đán (Mùng 2)",
        D(2026, 2, 19): "Tết Nguyên đán (Mùng 3)",
        D(2026, 2, 20): "Tết Nguyên đán (Mùng 4)",
        D(2026, 4, 26): "Giỗ Tổ Hùng Vương",
        D(2026, 4, 30): "Ngày Chiến thắng",
        D(2026, 5, 1): "Ngày Quốc tế Lao động",
        D(2026, 9, 1): "Quốc khánh (ngày liền kề)",
        D(2026, 9, 2): "Quốc khánh",
    }
    # Giỗ Tổ falls on Sunday 26/4 and is made up on Monday 27/4; nothing else hits a weekend.
    assert _by_date(entries, C) == {D(2026, 4, 27): "Nghỉ bù Giỗ Tổ Hùng Vương"}


def test_2027_tet_on_weekend_compensated_after_all_tet_days() -> None:
    entries = derive_statutory(2027)
    tet_days = [e.date for e in entries if e.kind is H and e.name.startswith("Tết Nguyên đán")]
    assert tet_days == [D(2027, 2, d) for d in range(5, 10)]
    # Mùng 1 (Sat) and Mùng 2 (Sun): Mon/Tue 8-9/2 are Tết themselves, so the
    # make-up days skip to Wed 10/2 and Thu 11/2.
    compensatory = _by_date(entries, C)
    assert compensatory[D(2027, 2, 10)] == "Nghỉ bù Tết Nguyên đán (Mùng 1)"
    assert compensatory[D(2027, 2, 11)] == "Nghỉ bù Tết Nguyên đán (Mùng 2)"


def test_2027_labour_day_on_saturday_compensated_on_monday() -> None:
    entries = derive_statutory(2027)
    assert DayEntry(D(2027, 5, 1), "Ngày Quốc tế Lao động", H, provisional=True) in entries
    make_up = DayEntry(D(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động", C, provisional=True)
    assert make_up in entries
    assert _dates(entries, C) == [D(2027, 2, 10), D(2027, 2, 11), D(2027, 5, 3)]


def test_2028_sunday_holiday_skips_over_next_day_holiday() -> None:
    # 30/4/2028 is a Sunday and 1/5 (Monday) is itself a holiday: make-up on Tuesday 2/5.
    entries = derive_statutory(2028)
    compensatory = _by_date(entries, C)
    assert compensatory[D(2028, 5, 2)] == "Nghỉ bù Ngày Chiến thắng"
    assert D(2028, 5, 1) not in compensatory
    # 1/1/2028 is a Saturday: made up on Monday 3/1.
    assert compensatory[D(2028, 1, 3)] == "Nghỉ bù Tết Dương lịch"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("before", [D(2027, 9, 1), D(2027, 9, 2)]),
        ("after", [D(2027, 9, 2), D(2027, 9, 3)]),
    ],
)
def test_national_day_adjacent_day(extra: str, expected: list[datetime.date]) -> None:
    entries = derive_statutory(2027, national_day_extra=extra)
    september = [e for e in entries if e.kind is H and e.date.month == 9]
    assert [e.date for e in september] == expected
    assert {e.name for e in september} == {"Quốc khánh", "Quốc khánh (ngày liền kề)"}
    assert next(e for e in september if e.date == D(2027, 9, 2)).name == "Quốc khánh"


def test_national_day_default_is_before() -> None:
    assert derive_statutory(2027) == derive_statutory(2027, national_day_extra="before")


def test_national_day_after_with_sunday_skips_adjacent_holiday() -> None:
    # 2/9/2029 is a Sunday; with 3/9 (Monday) as the extra day the make-up is Tuesday 4/9.
    entries = derive_statutory(2029, national_day_extra="after")
    assert _by_date(entries, C)[D(2029, 9, 4)] == "Nghỉ bù Quốc khánh"
    # With 1/9 (Saturday) instead, both weekend days are made up on Mon 3/9 and Tue 4/9.
    before = _by_date(derive_statutory(2029, national_day_extra="before"), C)
    assert before[D(2029, 9, 3)] == "Nghỉ bù Quốc khánh (ngày liền kề)"
    assert before[D(2029, 9, 4)] == "Nghỉ bù Quốc khánh"


def test_invalid_national_day_extra_raises() -> None:
    with pytest.raises(ValueError):
        derive_statutory(2027, national_day_extra="both")


def test_rest_weekdays_parameter() -> None:
    # With only Sunday as the weekly rest day, Saturday 1/5/2027 needs no make-up.
    entries = derive_statutory(2027, rest_weekdays=frozenset({6}))
    assert _dates(entries, C) == [D(2027, 2, 10)]
    assert _by_date(entries, C)[D(2027, 2, 10)] == "Nghỉ bù Tết Nguyên đán (Mùng 2)"


@pytest.mark.parametrize("rest", [frozenset(range(7)), frozenset({7})])
def test_invalid_rest_weekdays_raise(rest: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        derive_statutory(2027, rest_weekdays=rest)


@pytest.mark.parametrize("year", range(2021, 2101))
def test_invariants(year: int) -> None:
    entries = derive_statutory(year)
    holidays = _dates(entries, H)
    compensatory = _dates(entries, C)
    assert len(holidays) == 11 and len(set(holidays)) == 11
    assert all(e.provisional for e in entries)
    assert all(e.date.year == year for e in entries)
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert all(unicodedata.is_normalized("NFC", e.name) for e in entries)
    # One make-up day per weekend holiday, on a distinct working, non-holiday day.
    assert len(compensatory) == sum(d.weekday() >= 5 for d in holidays)
    assert len(set(compensatory)) == len(compensatory)
    assert all(d.weekday() < 5 and d not in holidays for d in compensatory)
    assert all(e.name.startswith("Nghỉ bù ") for e in entries if e.kind is C)


def test_day_entry_is_frozen_and_kind_is_string_enum() -> None:
    entry = derive_statutory(2026)[0]
    assert entry == DayEntry(D(2026, 1, 1), "Tết Dương lịch", H, provisional=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.name = "x"  # type: ignore[misc]
    assert DayKind("swapped_workday") is DayKind.SWAPPED_WORKDAY
    assert DayKind.COMPENSATORY == "compensatory"
