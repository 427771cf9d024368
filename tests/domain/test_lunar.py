"""Tests for the Vietnamese lunar calendar against independently known dates."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from desk_app.domain.lunar import LunarDate, lunar_to_solar, solar_to_lunar, tet

D = datetime.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, D(2024, 2, 10)),
        (2025, D(2025, 1, 29)),
        (2026, D(2026, 2, 17)),
        (2027, D(2027, 2, 6)),
        (2028, D(2028, 1, 26)),
        (2029, D(2029, 2, 13)),
        # The Feb 2030 new moon is at 16:07 UTC: 23:07 in Vietnam but 00:07 on
        # Feb 3 in China, so Vietnam's Tết is 2 Feb (3 Feb is the Chinese date).
        (2030, D(2030, 2, 2)),
    ],
)
def test_tet_vietnam(year: int, expected: datetime.date) -> None:
    assert tet(year) == expected
    assert tet(year, tz=7.0) == expected


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        (1968, D(1968, 1, 29), D(1968, 1, 30)),
        (1985, D(1985, 1, 21), D(1985, 2, 20)),
        (2007, D(2007, 2, 17), D(2007, 2, 18)),
        (2030, D(2030, 2, 2), D(2030, 2, 3)),
    ],
)
def test_tet_differs_between_vietnam_and_china(
    year: int, vietnam: datetime.date, china: datetime.date
) -> None:
    assert tet(year, tz=7.0) == vietnam
    assert tet(year, tz=8.0) == china


def test_tet_same_in_both_zones_for_ordinary_year() -> None:
    assert tet(2026, tz=8.0) == D(2026, 2, 17)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, D(2025, 4, 7)), (2026, D(2026, 4, 26)), (2027, D(2027, 4, 16))],
)
def test_hung_kings_anniversary(year: int, expected: datetime.date) -> None:
    assert lunar_to_solar(year, 3, 10) == expected
    assert solar_to_lunar(expected) == LunarDate(year, 3, 10)


def test_mid_autumn_2025() -> None:
    assert lunar_to_solar(2025, 8, 15) == D(2025, 10, 6)
    assert solar_to_lunar(D(2025, 10, 6)) == LunarDate(2025, 8, 15)


@pytest.mark.parametrize(
    ("lunar", "solar"),
    [
        (LunarDate(2023, 2, 1, leap=True), D(2023, 3, 22)),
        (LunarDate(2023, 2, 1), D(2023, 2, 20)),
        (LunarDate(2025, 6, 1, leap=True), D(2025, 7, 25)),
        (LunarDate(2025, 6, 1), D(2025, 6, 25)),
        (LunarDate(2025, 7, 1), D(2025, 8, 23)),
    ],
)
def test_leap_months(lunar: LunarDate, solar: datetime.date) -> None:
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == solar
    assert solar_to_lunar(solar) == lunar


def test_last_days_of_lunar_year_belong_to_previous_year() -> None:
    # 29 tháng Chạp Ất Tỵ is the eve of Tết 2026; that Chạp has only 29 days.
    assert solar_to_lunar(D(2026, 2, 16)) == LunarDate(2025, 12, 29)
    assert solar_to_lunar(D(2026, 2, 17)) == LunarDate(2026, 1, 1)
    assert solar_to_lunar(D(2026, 1, 1)) == LunarDate(2025, 11, 13)


@pytest.mark.parametrize(
    ("year", "month", "day", "leap"),
    [
        (2025, 12, 30, False),  # Chạp of Ất Tỵ has 29 days
        (2025, 5, 1, True),  # 2025's leap month is the 6th, not the 5th
        (2024, 6, 1, True),  # 2024 has no leap month at all
        (2025, 13, 1, False),
        (2025, 0, 1, False),
        (2025, 1, 0, False),
        (2025, 1, 31, False),
    ],
)
def test_impossible_lunar_dates_raise(year: int, month: int, day: int, leap: bool) -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(year, month, day, leap)


def test_lunar_date_is_frozen() -> None:
    lunar = LunarDate(2025, 1, 1)
    assert lunar.leap is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        lunar.day = 2  # type: ignore[misc]


def test_round_trip_every_day_1900_2100() -> None:
    day = D(1900, 1, 1)
    end = D(2100, 12, 31)
    previous: LunarDate | None = None
    while day <= end:
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day, day
        assert 1 <= lunar.month <= 12 and 1 <= lunar.day <= 30, (day, lunar)
        # Consecutive solar days advance the lunar day by one or start a new month.
        if previous is not None and lunar.day != previous.day + 1:
            assert lunar.day == 1 and previous.day in (29, 30), (day, previous, lunar)
        previous = lunar
        day += datetime.timedelta(days=1)
