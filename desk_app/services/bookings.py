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
    moment = _valid_slot(desk, slot, now)
    profile = desk.profile()
    # The count and the insert share the write transaction (BEGIN IMMEDIATE): a second desk
    # booking the same slot waits for this one, then counts this place too.
    with desk.recorder.change(business_time=now) as change:
        booking = _take_place(desk, moment, now, Booking(
            "", "", procedure.code, nfc(procedure.name), applicant.name, applicant.phone, moment, now))
        change.event(events.Kind.BOOKING_MADE, booking.uuid, events.booking_made(booking, profile.desk_no))
        change.audit("booking.make", "booking", booking.number,
                     {"uuid": booking.uuid, "procedure": procedure.code, "slot": moment.isoformat()})
    return booking


def _valid_slot(desk: Desk, slot: dt.datetime, now: dt.datetime) -> dt.datetime:
    moment = desk.localise(slot)
    check_slot(desk.calendar(), moment, slot_settings(desk), now)
    return moment


def _take_place(desk: Desk, moment: dt.datetime, now: dt.datetime, draft: Booking) -> Booking:
    """Number and insert ``draft`` at ``moment`` if the slot has a free place; call inside the
    write transaction, so the count cannot go stale before the insert."""
    capacity = slot_settings(desk).capacity
    if bookings.places_taken(desk.store, moment) >= capacity:
        nearest = _nearest_free(desk, moment, now)
        hint = f" Khung giờ gần nhất còn chỗ: {nearest.slot:%H:%M %d/%m/%Y}." if nearest else ""
        raise DomainError("slot_full", f"Khung giờ {moment:%H:%M %d/%m/%Y} đã đủ {capacity} chỗ.{hint}",
                          field="slot")
    desk_no = desk.profile().desk_no
    seq = bookings.next_seq(desk.store, desk_no, moment.date())
    booking = dataclasses.replace(draft, uuid=desk.new_uuid(), number=booking_number(desk_no, moment.date(), seq))
    bookings.insert(desk.store, booking, desk_no=desk_no, seq=seq)
    return booking


def _waiting(desk: Desk, number: str) -> Booking:
    """The booking, refused unless it still waits for its citizen (read inside the transaction)."""
    booking = find(desk, number)
    if booking.status is BookingStatus.CHECKED_IN:
        raise DomainError("already_checked_in",
                          f"Lịch hẹn {booking.number} đã được tiếp nhận: hồ sơ {booking.dossier_code}.")
    if booking.status is BookingStatus.CANCELLED:
        raise DomainError("booking_cancelled", f"Lịch hẹn {booking.number} đã bị hủy.", field="booking")
    if booking.status is BookingStatus.MOVED:
        moved_to = find(desk, booking.moved_to or "")
        raise DomainError("booking_moved", f"Lịch hẹn {booking.number} đã chuyển sang lịch hẹn {moved_to.number} "
                          f"({moved_to.slot:%H:%M %d/%m/%Y}).", field="booking")
    return booking


def cancel(desk: Desk, number: str, *, reason: str = "") -> Booking:
    """Call the booking off: its place is free again, its ticket can no longer be checked in."""
    now = desk.localise(desk.clock())
    why = nfc(reason).strip()
    with desk.recorder.change(business_time=now) as change:
        booking = _waiting(desk, number)
        bookings.end(desk.store, booking.number, BookingStatus.CANCELLED, at=now, reason=why)
        change.event(events.Kind.BOOKING_CANCELLED, booking.uuid, events.booking_cancelled(booking, at=now, reason=why))
        change.audit("booking.cancel", "booking", booking.number, {"uuid": booking.uuid, "reason": why})
    return dataclasses.replace(booking, status=BookingStatus.CANCELLED, reason=why)


def move(desk: Desk, number: str, *, slot: dt.datetime, reason: str = "") -> Booking:
    """Move the booking to ``slot``: a new booking (new number, new ticket) takes a place there and
    the old one is marked moved, in one transaction; a full slot refuses it and nothing changes.
    Returns the new booking."""
    now = desk.localise(desk.clock())
    why = nfc(reason).strip()
    moment = _valid_slot(desk, slot, now)
    with desk.recorder.change(business_time=now) as change:
        old = _waiting(desk, number)
        if old.slot == moment:
            raise DomainError("same_slot", f"Lịch hẹn {old.number} đã ở khung giờ {moment:%H:%M %d/%m/%Y}.",
                              field="slot")
        new = _take_place(desk, moment, now, dataclasses.replace(old, slot=moment, created_at=now,
                                                                 moved_from=old.number))
        bookings.end(desk.store, old.number, BookingStatus.MOVED, at=now, reason=why, moved_to=new.number)
        change.event(events.Kind.BOOKING_MOVED, old.uuid, events.booking_moved(old, new, reason=why))
        change.audit("booking.move", "booking", old.number,
                     {"uuid": old.uuid, "to": new.number, "slot": moment.isoformat(), "reason": why})
    return new


def on_day(desk: Desk, day: dt.date) -> list[Booking]:
    """The day's bookings, ended ones too (the window's bookings list)."""
    return bookings.on_day(desk.store, day)


def find(desk: Desk, number: str) -> Booking:
    found = bookings.find(desk.store, nfc(number))
    if found is None:
        raise DomainError("unknown_booking", f"Không có lịch hẹn số '{number}'.", field="booking")
    return found


def check_in(desk: Desk, number: str, request: ReceptionRequest | None = None) -> Reception:
    """The citizen came: receive the dossier with the booking's procedure, name and phone (the rest
    from ``request``), and mark the booking, in one transaction. A booking is received once."""
    with desk.store.transaction():
        booking = _waiting(desk, number)
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
