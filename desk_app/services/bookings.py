"""Appointment slots: book a place (never more than the slot's capacity, even with two desks on
one database at once), print its ticket, and turn it into a reception when the citizen comes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from desk_app.domain import events
from desk_app.domain.bookings import Booking, BookingStatus, SlotSettings, booking_number, check_slot, slots_on
from desk_app.domain.errors import DomainError
from desk_app.domain.text import nfc
from desk_app.domain.validation import clean_applicant
from desk_app.printing.booking_ticket import render_ticket
from desk_app.services.desk import Desk
from desk_app.services.reception import Reception, ReceptionRequest, receive
from desk_app.store import bookings, papers

SLOT_SETTINGS_KEY = "booking_slots"


def slot_settings(desk: Desk) -> SlotSettings:
    value = desk.store.settings.get(SLOT_SETTINGS_KEY)
    if isinstance(value, dict):
        return SlotSettings(int(value.get("capacity", 4)), int(value.get("minutes", 30)))
    return SlotSettings()


def set_slot_settings(desk: Desk, *, capacity: int | None = None, minutes: int | None = None) -> SlotSettings:
    """The commune's places per slot and slot length (None: unchanged), through the recorder."""
    current = slot_settings(desk)
    settings = SlotSettings(current.capacity if capacity is None else capacity,
                            current.minutes if minutes is None else minutes)
    values = {SLOT_SETTINGS_KEY: {"capacity": settings.capacity, "minutes": settings.minutes}}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(values)
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(values))
        change.audit("desk.set_booking_slots", "desk", SLOT_SETTINGS_KEY, values[SLOT_SETTINGS_KEY])
    return settings


@dataclass(frozen=True)
class SlotPlaces:
    slot: dt.datetime
    taken: int
    capacity: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def day_slots(desk: Desk, day: dt.date) -> list[SlotPlaces]:
    """Every slot of ``day`` with its places taken."""
    settings = slot_settings(desk)
    taken = bookings.taken_on(desk.store, day)
    return [SlotPlaces(s, taken.get(s.isoformat(timespec="seconds"), 0), settings.capacity)
            for s in slots_on(desk.calendar(), day, settings, desk.zone)]


def _nearest_free(desk: Desk, slot: dt.datetime, now: dt.datetime) -> SlotPlaces | None:
    day = slot.date()
    for _ in range(14):
        for places in day_slots(desk, day):
            if places.slot > max(slot, now) and places.free:
                return places
        day += dt.timedelta(days=1)
    return None


def book(desk: Desk, *, procedure_code: str, name: str, phone: str, slot: dt.datetime) -> Booking:
    """Take a place in ``slot`` for the citizen: name and phone are required (the desk calls back
    if the slot must move). Refused (DomainError, nothing written) for a slot that does not exist
    or is full, naming the nearest slot with a free place."""
    now = desk.localise(desk.clock())
    applicant = clean_applicant(name=name, phone=phone, today=now.date())
    if not applicant.phone:
        raise DomainError("phone_required", "Cần số điện thoại để liên hệ khi đặt lịch hẹn.", field="phone")
    procedure = desk.active_procedure(procedure_code)
    moment = desk.localise(slot)
    settings = slot_settings(desk)
    check_slot(desk.calendar(), moment, settings, now)
    profile = desk.profile()
    # The count and the insert share the write transaction (BEGIN IMMEDIATE): a second desk
    # booking the same slot waits for this one, then counts this place too.
    with desk.recorder.change(business_time=now) as change:
        if bookings.places_taken(desk.store, moment) >= settings.capacity:
            nearest = _nearest_free(desk, moment, now)
            hint = f" Khung giờ gần nhất còn chỗ: {nearest.slot:%H:%M %d/%m/%Y}." if nearest else ""
            raise DomainError("slot_full", f"Khung giờ {moment:%H:%M %d/%m/%Y} đã đủ {settings.capacity} chỗ.{hint}",
                              field="slot")
        seq = bookings.next_seq(desk.store, profile.desk_no, moment.date())
        booking = Booking(desk.new_uuid(), booking_number(profile.desk_no, moment.date(), seq), procedure.code,
                          nfc(procedure.name), applicant.name, applicant.phone, moment, now)
        bookings.insert(desk.store, booking, desk_no=profile.desk_no, seq=seq)
        change.event(events.Kind.BOOKING_MADE, booking.uuid, events.booking_made(booking, profile.desk_no))
        change.audit("booking.make", "booking", booking.number,
                     {"uuid": booking.uuid, "procedure": procedure.code, "slot": moment.isoformat()})
    return booking


def find(desk: Desk, number: str) -> Booking:
    found = bookings.find(desk.store, nfc(number))
    if found is None:
        raise DomainError("unknown_booking", f"Không có lịch hẹn số '{number}'.", field="booking")
    return found


def check_in(desk: Desk, number: str, request: ReceptionRequest | None = None) -> Reception:
    """The citizen came: receive the dossier with the booking's procedure, name and phone (the rest
    from ``request``), and mark the booking, in one transaction. A booking is received once."""
    with desk.store.transaction():
        booking = find(desk, number)
        if booking.status is BookingStatus.CHECKED_IN:
            raise DomainError("already_checked_in",
                              f"Lịch hẹn {booking.number} đã được tiếp nhận: hồ sơ {booking.dossier_code}.")
        base = request or ReceptionRequest(procedure_code=booking.procedure_code, name=booking.name)
        # The booking fixes the procedure; a name or phone corrected at the counter stands.
        reception = receive(desk, dataclasses.replace(base, procedure_code=booking.procedure_code,
                                                      name=base.name or booking.name, phone=base.phone or booking.phone))
        now = desk.clock()
        with desk.recorder.change(business_time=now) as change:
            bookings.check_in(desk.store, booking.number, reception.dossier.code)
            change.event(events.Kind.BOOKING_CHECKED_IN, booking.uuid,
                         events.booking_checked_in(booking, dossier_code=reception.dossier.code, at=now))
            change.audit("booking.check_in", "booking", booking.number, {"dossier": reception.dossier.code})
    return reception


def ticket(desk: Desk, booking: Booking) -> bytes:
    """The appointment ticket, with its QR (rendered after the booking committed)."""
    return render_ticket(booking, desk.profile(), qr_key=papers.qr_key(desk.store))
