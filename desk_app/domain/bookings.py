"""Appointment slots at the counter: the commune's capacity per slot, which slots exist, a booking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.errors import DomainError

MAX_DAYS_AHEAD = 90


@dataclass(frozen=True)
class SlotSettings:
    """How many citizens one slot takes (per desk database) and how long a slot is."""

    capacity: int = 4
    minutes: int = 30

    def __post_init__(self) -> None:
        if not 1 <= self.capacity <= 50:
            raise DomainError("invalid_capacity", "Số chỗ mỗi khung giờ phải từ 1 đến 50.", field="capacity")
        if self.minutes not in (10, 15, 20, 30, 60):
            raise DomainError("invalid_slot_minutes", "Khung giờ dài 10, 15, 20, 30 hoặc 60 phút.", field="minutes")


class BookingStatus(str, Enum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"  # the citizen came: the booking became a reception
    CANCELLED = "cancelled"  # the citizen or the desk called it off: its place is free again
    MOVED = "moved"  # replaced by a booking at another slot (``moved_to``): the old ticket is void

    @property
    def holds_a_place(self) -> bool:
        return self in (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


@dataclass(frozen=True)
class Booking:
    """A place in a slot. ``number`` is printed on the ticket ("LH1-261124-007"); ``uuid`` is its
    identity for the hub. Texts are NFC; times aware, in the desk's offset."""

    uuid: str
    number: str
    procedure_code: str
    procedure_name: str
    name: str
    phone: str
    slot: dt.datetime
    created_at: dt.datetime
    status: BookingStatus = BookingStatus.BOOKED
    dossier_code: str | None = None
    reason: str = ""  # why it was cancelled or moved
    moved_to: str | None = None  # the booking that replaced this one
    moved_from: str | None = None  # the booking this one replaced


def booking_number(desk_no: int, day: dt.date, seq: int) -> str:
    """"LH1-261124-007": desk, slot day, a number from 1 per desk and day."""
    return f"LH{desk_no}-{day:%y%m%d}-{seq:03d}"


def slots_on(calendar: WorkCalendar, day: dt.date, settings: SlotSettings, zone: dt.tzinfo) -> list[dt.datetime]:
    """The slots of ``day``: each office session cut into ``settings.minutes`` from its start,
    whole slots only (Saturday morning counts where the commune opens it)."""
    slots = []
    step = dt.timedelta(minutes=settings.minutes)
    for session in calendar.sessions_on(day):
        start = dt.datetime.combine(day, session.start, zone)
        end = dt.datetime.combine(day, session.end, zone)
        while start + step <= end:
            slots.append(start)
            start += step
    return slots


def check_slot(calendar: WorkCalendar, slot: dt.datetime, settings: SlotSettings, now: dt.datetime) -> None:
    """Refuse (DomainError) a slot in the past, too far ahead, on a day the office is closed, or
    that is not one of the day's slots (saying which ones are)."""
    if slot <= now:
        raise DomainError("slot_in_past", "Khung giờ hẹn phải sau thời điểm hiện tại.", field="slot")
    if (slot.date() - now.date()).days > MAX_DAYS_AHEAD:
        raise DomainError("slot_too_far", f"Chỉ đặt lịch hẹn trong vòng {MAX_DAYS_AHEAD} ngày tới.", field="slot")
    day_slots = slots_on(calendar, slot.date(), settings, slot.tzinfo or now.tzinfo or dt.timezone.utc)
    if not day_slots:
        raise DomainError("slot_day_off", f"Ngày {slot:%d/%m/%Y} bộ phận một cửa không làm việc.", field="slot")
    if slot not in day_slots:
        first, last = day_slots[0], day_slots[-1]
        raise DomainError(
            "not_a_slot",
            f"{slot:%H:%M} không phải khung giờ hẹn: các khung giờ {settings.minutes} phút từ {first:%H:%M} đến "
            f"{last:%H:%M} trong giờ làm việc.",
            field="slot",
        )
