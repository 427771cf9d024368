"""The desk's configuration as stored in the settings table, to and from domain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from desk_app.domain.calendar import CalendarSettings, DueTime, Session
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.fee_receipts import FeeReceiptBook

PROFILE_KEY = "profile"
PRINTER_KEY = "printer"
CALENDAR_KEY = "calendar"
FEE_RECEIPT_KEY = "fee_receipt"
UTC_OFFSET_KEY = "utc_offset_minutes"
DEFAULT_UTC_OFFSET = 7 * 60  # Vietnam, no daylight saving


def profile_to_dict(profile: DeskProfile) -> dict[str, Any]:
    data = asdict(profile)
    data["paper"] = profile.paper.value
    return data


def profile_from_dict(data: dict[str, Any]) -> DeskProfile:
    values = dict(data)
    values["paper"] = PaperSize(values.get("paper", PaperSize.A5.value))
    return DeskProfile(**values)


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def calendar_to_dict(settings: CalendarSettings) -> dict[str, Any]:
    return {
        "sessions": [[s.start.strftime("%H:%M"), s.end.strftime("%H:%M")] for s in settings.sessions],
        "working_weekdays": sorted(settings.working_weekdays),
        "saturday_morning": settings.saturday_morning,
        "same_day_cutoff": settings.same_day_cutoff.strftime("%H:%M"),
        "count_receipt_day_before": (
            settings.count_receipt_day_before.strftime("%H:%M") if settings.count_receipt_day_before else None
        ),
        "due_time": settings.due_time.value,
    }


def calendar_from_dict(data: dict[str, Any] | None) -> CalendarSettings:
    """Missing keys take the documented defaults of CalendarSettings."""
    if not data:
        return CalendarSettings()
    default = CalendarSettings()
    sessions = tuple(
        Session(dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in data.get("sessions", [])
    ) or default.sessions
    for session in sessions:
        if session.end <= session.start:
            raise ValueError("each office session must end after it starts")
    return CalendarSettings(
        sessions=sessions,
        working_weekdays=frozenset(data.get("working_weekdays", default.working_weekdays)),
        saturday_morning=bool(data.get("saturday_morning", default.saturday_morning)),
        same_day_cutoff=_time(data.get("same_day_cutoff")) or default.same_day_cutoff,
        count_receipt_day_before=_time(data.get("count_receipt_day_before")),
        due_time=DueTime(data.get("due_time", default.due_time.value)),
    )


def fee_book_to_dict(book: FeeReceiptBook) -> dict[str, Any]:
    return asdict(book)


def fee_book_from_dict(data: dict[str, Any] | None) -> FeeReceiptBook | None:
    if not data:
        return None
    return FeeReceiptBook(str(data["form_no"]), str(data["series"]), int(data.get("start_no", 1)))
