"""Dates and times as people type them: dd/mm/yyyy or yyyy-mm-dd, with a time for moments."""

from __future__ import annotations

import datetime as dt
import re

from desk_app.domain.errors import DomainError

# Day first as Vietnamese write it (also d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy, ddmmyyyy), or ISO
# year first. Two-digit years only where the caller says which century (see parse_date).
_DAY_FIRST = (r"(?P<d>\d{1,2})(?P<s1>[/.\-])(?P<m>\d{1,2})(?P=s1)(?P<y>\d{4}|\d{2})"
              r"|(?P<d2>\d{2})(?P<m2>\d{2})(?P<y2>\d{4})")
_YEAR_FIRST = r"(?P<y3>\d{4})(?P<s3>[/.\-])(?P<m3>\d{1,2})(?P=s3)(?P<d3>\d{1,2})"
_DATE = f"(?:{_DAY_FIRST}|{_YEAR_FIRST})"
# 09:15, 9:15:30, and the "9h15" / "9g15" people write by hand.
_TIME = r"(?P<hh>\d{1,2})[:hg](?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
_OFFSET = r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"
_DATE_ONLY = re.compile(f"^{_DATE}$")
_DATE_TIME = re.compile(f"^{_DATE}(?:[T ]|, ?){_TIME}{_OFFSET}$")
_TIME_DATE = re.compile(f"^{_TIME},? {_DATE}$")  # "09:15 23/11/2026", the order printed on slips

DATE_HINT = "gõ như 04/03/1990 hoặc 1990-03-04"
MOMENT_HINT = "gõ như 24/11/2025 09:15 hoặc 2025-11-24T09:15"


def parse_date(text: str, *, field: str | None = None, century: int | None = None) -> dt.date:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd.

    Raises DomainError ``invalid_date`` when the text is not written as a date, and
    ``impossible_date`` ("Không có ngày 31/02/2030.") when it is written right but no such
    day exists, so the person knows which of the two to fix.

    A two-digit year ("01/07/25", how LibreOffice Calc writes back a date it recognised in a
    CSV file) is read only when ``century`` says which (2000 for catalogue and holiday files);
    for a birth date "04/03/90" could be 1990 or 2090, so it stays a format error.
    """
    cleaned = text.strip()
    match = _DATE_ONLY.match(cleaned)
    if not match or (century is None and len(match.group("y") or "yyyy") == 2):
        raise DomainError("invalid_date", f"'{cleaned}' không phải ngày: {DATE_HINT}.", field=field)
    return _date(match, field, century or 0)


def parse_moment(text: str, *, field: str | None = None) -> dt.datetime:
    """A date with a time of day ("24/11/2025 09:15", "09:15 24/11/2025", "2025-11-24T09:15+07:00").

    Naive unless the text carries an offset: the desk localises naive times to its own zone.
    """
    cleaned = " ".join(text.split())
    match = _DATE_TIME.match(cleaned) or _TIME_DATE.match(cleaned)
    if not match:
        if _DATE_ONLY.match(cleaned):
            raise DomainError("invalid_datetime", f"'{cleaned}' thiếu giờ: {MOMENT_HINT}.", field=field)
        raise DomainError("invalid_datetime", f"'{cleaned}' không phải thời điểm: {MOMENT_HINT}.", field=field)
    if len(match.group("y") or "yyyy") == 2:
        raise DomainError("invalid_datetime", f"'{cleaned}' không phải thời điểm: {MOMENT_HINT}.", field=field)
    day = _date(match, field, 0)
    hour, minute, second = (int(match.group(g) or 0) for g in ("hh", "mm", "ss"))
    if hour > 23 or minute > 59 or second > 59:
        raise DomainError("impossible_time", f"Không có giờ {hour:02d}:{minute:02d}.", field=field)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    offset = match.groupdict().get("tz")
    if offset:
        moment = moment.replace(tzinfo=_zone(offset))
    return moment


def _date(match: re.Match[str], field: str | None, century: int) -> dt.date:
    g = match.groupdict()
    day_first = g.get("y3") is None
    if g.get("y"):
        day, month, year = int(g["d"]), int(g["m"]), int(g["y"])
        year += century if len(g["y"]) == 2 else 0
    elif g.get("y2"):
        day, month, year = int(g["d2"]), int(g["m2"]), int(g["y2"])
    else:
        day, month, year = int(g["d3"]), int(g["m3"]), int(g["y3"])
    written = f"{day:02d}/{month:02d}/{year:04d}"
    if not 1 <= month <= 12:
        # Day-first text with a month over 12 is most often a month/day/year date.
        hint = " (ngày viết trước tháng)" if day_first else ""
        raise DomainError("impossible_date", f"Không có ngày {written}: tháng chỉ từ 1 đến 12{hint}.", field=field)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DomainError("impossible_date", f"Không có ngày {written}.", field=field) from None


def _zone(offset: str) -> dt.timezone:
    if offset == "Z":
        return dt.timezone.utc
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def format_date(day: dt.date) -> str:
    """The Vietnamese way of writing a date: 04/03/1990."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
