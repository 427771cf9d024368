"""Vietnamese lunar calendar after Hồ Ngọc Đức's public algorithm, time zone as a parameter."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["LunarDate", "solar_to_lunar", "lunar_to_solar", "tet"]

# Julian Day Number of 0001-01-01 minus its proleptic Gregorian ordinal; lets us
# use datetime's exact calendar arithmetic instead of a hand-written JD formula.
_JDN_OFFSET = 1721425
# JD of the new moon of 1900-01-01 (k = 0 in the new-moon series) and the mean
# synodic month; both anchor the lunation index k used throughout.
_EPOCH_NEW_MOON = 2415021.076998695
_SYNODIC_MONTH = 29.530588853
_DR = math.pi / 180.0


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False


def _jdn(d: datetime.date) -> int:
    return d.toordinal() + _JDN_OFFSET


def _date_from_jdn(jdn: int) -> datetime.date:
    return datetime.date.fromordinal(jdn - _JDN_OFFSET)


def _new_moon(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85  # Julian centuries since 1900-01-01
    t2 = t * t
    t3 = t2 * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    # Mean anomalies of sun (m) and moon (mpr), moon's argument of latitude (f).
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    # Periodic corrections turning the mean new moon into the true one.
    c1 = (
        (0.1734 - 0.000393 * t) * math.sin(_DR * m)
        + 0.0021 * math.sin(_DR * 2 * m)
        - 0.4068 * math.sin(_DR * mpr)
        + 0.0161 * math.sin(_DR * 2 * mpr)
        - 0.0004 * math.sin(_DR * 3 * mpr)
        + 0.0104 * math.sin(_DR * 2 * f)
        - 0.0051 * math.sin(_DR * (m + mpr))
        - 0.0074 * math.sin(_DR * (m - mpr))
        + 0.0004 * math.sin(_DR * (2 * f + m))
        - 0.0004 * math.sin(_DR * (2 * f - m))
        - 0.0006 * math.sin(_DR * (2 * f + mpr))
        + 0.0010 * math.sin(_DR * (2 * f - mpr))
        + 0.0005 * math.sin(_DR * (2 * mpr + m))
    )
    # Delta T (TT - UT), so the result is in civil time rather than dynamical time.
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


@lru_cache(maxsize=8192)
def _new_moon_day(k: int, tz: float) -> int:
    """Local day number (JDN) on which the k-th new moon falls in zone tz."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24.0)


def _sun_longitude(jd: float) -> float:
    """Apparent solar longitude in radians, normalised to [0, 2π)."""
    t = (jd - 2451545.0) / 36525.0  # Julian centuries since J2000
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    lon = (l0 + dl) * _DR
    return lon - 2 * math.pi * math.floor(lon / (2 * math.pi))


def _sun_sector(day_number: int, tz: float) -> int:
    """Which 30° sector (0..11) the sun is in at local midnight starting day_number.

    Sector changes are the 12 major solar terms (trung khí); sector 9 starts at
    the winter solstice (270°).
    """
    return math.floor(_sun_longitude(day_number - 0.5 - tz / 24.0) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month11_start(year: int, tz: float) -> int:
    """Day number starting lunar month 11, the month holding the winter solstice of `year`."""
    off = _jdn(datetime.date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    nm = _new_moon_day(k, tz)
    # If the sun is already past 270° at that new moon, the solstice fell in
    # the previous lunation, so month 11 starts one new moon earlier.
    if _sun_sector(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


@lru_cache(maxsize=1024)
def _leap_month_offset(a11: int, tz: float) -> int:
    """In a 13-month year starting at month 11 (day a11), index of the leap month.

    The leap month is the first lunation containing no major solar term, i.e.
    the sun stays in the same sector at its start as at the next month's start.
    """
    k = math.floor((a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


def solar_to_lunar(d: datetime.date, tz: float = 7.0) -> LunarDate:
    """Convert a Gregorian date to the lunar date observed in time zone `tz`."""
    day_number = _jdn(d)
    # The mean-month estimate can be off by one lunation when the true new moon
    # strays far from the mean one, so walk until k is the month holding d.
    k = math.floor((day_number - _EPOCH_NEW_MOON) / _SYNODIC_MONTH) + 1
    while _new_moon_day(k, tz) > day_number:
        k -= 1
    while _new_moon_day(k + 1, tz) <= day_number:
        k += 1
    month_start = _new_moon_day(k, tz)

    # Bracket the date between two consecutive month-11 starts (a11 <= date < b11).
    a11 = _month11_start(d.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11_start(d.year - 1, tz)
    else:
        lunar_year = d.year + 1
        b11 = _month11_start(d.year + 1, tz)

    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)  # months elapsed since month 11
    leap = False
    lunar_month = diff + 11
    # More than 365 days between two month-11 starts means 13 lunations: one is leap.
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    # Months 11 and 12 before Tết still belong to the previous lunar year.
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, tz: float = 7.0
) -> datetime.date:
    """Convert a lunar date (as observed in zone `tz`) to a Gregorian date.

    Raises ValueError for a month/day that does not exist, including a leap
    flag on a month that is not the leap month of that year.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month out of range: {month}")
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day out of range: {day}")

    # Months 11 and 12 of `year` lie after month 11 of `year`; others after that of year-1.
    if month < 11:
        a11 = _month11_start(year - 1, tz)
        b11 = _month11_start(year, tz)
    else:
        a11 = _month11_start(year, tz)
        b11 = _month11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    off = (month - 11) % 12  # lunations after month 11
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = (leap_off + 9) % 12 + 1  # the leap month repeats the one before it
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")

    month_start = _new_moon_day(k + off, tz)
    next_start = _new_moon_day(k + off + 1, tz)
    # A lunar month has 29 or 30 days depending on the next new moon.
    if month_start + day - 1 >= next_start:
        raise ValueError(f"lunar month {month}/{year} has only {next_start - month_start} days")
    return _date_from_jdn(month_start + day - 1)


def tet(year: int, tz: float = 7.0) -> datetime.date:
    """Gregorian date of Tết (day 1 of lunar month 1) of lunar year `year`."""
    return lunar_to_solar(year, 1, 1, tz=tz)
