"""Cancelling and moving a booking: the place is given back, a move takes a place in the new slot
only if one is free (else nothing changes), the old ticket cannot be checked in, each change is one
outbox event and one audit entry, and the moved ticket prints the new slot and QR."""

import datetime as dt
import io
import json

from pypdf import PdfReader

from desk_app.domain.qr_text import read
from desk_app.services import bookings
from desk_app.store import papers
from tests.printing.conftest import scan_qr
from tests.services.test_bookings import at, book, refused, written


def last_event(desk):
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    action, detail = desk.store.db.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return kind, json.loads(payload), action, json.loads(detail)


def free(desk, slot):
    return next(p.free for p in bookings.day_slots(desk, slot.date()) if p.slot == slot)


def test_cancel_gives_the_place_back_and_the_ticket_can_no_longer_be_checked_in(desk):
    bookings.set_slot_settings(desk, capacity=1)
    booking = book(desk)
    assert free(desk, at(24, 8)) == 0
    before = written(desk)
    cancelled = bookings.cancel(desk, booking.number.lower(), reason="Bận việc gia đình")
    assert (cancelled.status.value, cancelled.reason) == ("cancelled", "Bận việc gia đình")
    assert written(desk) == (before[0] + 1, before[1] + 1, before[2])
    kind, payload, action, detail = last_event(desk)
    assert (kind, action) == ("booking.cancelled", "booking.cancel")
    assert payload == {"uuid": booking.uuid, "number": booking.number, "at": "2026-11-23T09:15:00+07:00",
                       "reason": "Bận việc gia đình"}
    assert detail == {"uuid": booking.uuid, "reason": "Bận việc gia đình"}
    assert free(desk, at(24, 8)) == 1
    assert book(desk, name="Trần Thị Bình").number == "LH1-261124-002"  # the freed place is taken again
    message = refused(desk, lambda: bookings.check_in(desk, booking.number), "booking_cancelled")
    assert message == "Lịch hẹn LH1-261124-001 đã bị hủy."
    refused(desk, lambda: bookings.cancel(desk, booking.number), "booking_cancelled")
    refused(desk, lambda: bookings.move(desk, booking.number, slot=at(24, 9)), "booking_cancelled")


def test_move_takes_a_place_in_the_new_slot_and_voids_the_old_ticket(desk, tmp_path):
    booking = book(desk)
    before = written(desk)
    moved = bookings.move(desk, booking.number, slot=at(25, 14), reason="Người dân xin đổi ngày")
    assert (moved.number, moved.slot, moved.moved_from, moved.status.value) == (
        "LH1-261125-001", at(25, 14), booking.number, "booked")
    assert (moved.name, moved.phone, moved.procedure_code) == (booking.name, booking.phone, booking.procedure_code)
    assert written(desk) == (before[0] + 1, before[1] + 1, before[2] + 1)
    kind, payload, action, detail = last_event(desk)
    assert (kind, action) == ("booking.moved", "booking.move")
    assert payload == {"uuid": booking.uuid, "number": booking.number, "at": "2026-11-23T09:15:00+07:00",
                       "reason": "Người dân xin đổi ngày",
                       "to": {"uuid": moved.uuid, "number": "LH1-261125-001", "slot": "2026-11-25T14:00:00+07:00"}}
    assert detail["to"] == "LH1-261125-001"
    old = bookings.find(desk, booking.number)
    assert (old.status.value, old.moved_to) == ("moved", "LH1-261125-001")
    assert free(desk, at(24, 8)) == 4 and free(desk, at(25, 14)) == 3
    message = refused(desk, lambda: bookings.check_in(desk, booking.number), "booking_moved")
    assert message == "Lịch hẹn LH1-261124-001 đã chuyển sang lịch hẹn LH1-261125-001 (14:00 25/11/2026)."
    refused(desk, lambda: bookings.move(desk, moved.number, slot=at(25, 14)), "same_slot")
    refused(desk, lambda: bookings.move(desk, moved.number, slot=at(28, 8)), "slot_day_off")

    pdf = bookings.ticket(desk, moved)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Thời gian hẹn: 14 giờ 00 phút, ngày 25/11/2026" in text and "LH1-261125-001" in text
    assert "Phiếu này thay phiếu hẹn số LH1-261124-001 (đã chuyển lịch hẹn)" in text
    assert read(scan_qr(pdf, tmp_path, dpi=100).decode("ascii"), papers.qr_key(desk.store)) == {
        "LH": "LH1-261125-001", "DV": "000.21.33.H49", "GIO": "2026-11-25T14:00+07:00"}

    reception = bookings.check_in(desk, moved.number)
    assert reception.dossier.applicant.name == booking.name
    refused(desk, lambda: bookings.move(desk, moved.number, slot=at(26, 8)), "already_checked_in")


def test_a_move_into_a_full_slot_changes_nothing(desk):
    bookings.set_slot_settings(desk, capacity=1)
    first = book(desk)
    second = book(desk, name="Trần Thị Bình", slot=at(24, 9))
    message = refused(desk, lambda: bookings.move(desk, second.number, slot=at(24, 8)), "slot_full")
    assert message == "Khung giờ 08:00 24/11/2026 đã đủ 1 chỗ. Khung giờ gần nhất còn chỗ: 08:30 24/11/2026."
    assert bookings.find(desk, second.number).status.value == "booked"
    assert bookings.find(desk, first.number).status.value == "booked"


def test_the_days_bookings_list_the_ended_ones_too(desk):
    first = book(desk)
    book(desk, name="Trần Thị Bình", slot=at(24, 9))
    bookings.cancel(desk, first.number)
    assert [(b.number, b.status.value) for b in bookings.on_day(desk, dt.date(2026, 11, 24))] == [
        ("LH1-261124-001", "cancelled"), ("LH1-261124-002", "booked")]
