"""Appointment slots: a place per booking up to the slot's capacity, a ticket with a QR, and the
check-in that turns the booking into a reception with its fields filled."""

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from desk_app.domain.errors import DomainError
from desk_app.domain.qr_text import read
from desk_app.services import bookings
from desk_app.store import papers
from tests.printing.conftest import scan_qr

VN = dt.timezone(dt.timedelta(hours=7))


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def book(desk, name="Nguyễn Văn An", slot=None, phone="0912345678"):
    return bookings.book(desk, procedure_code="1.001193", name=name, phone=phone, slot=slot or at(24, 8))


def written(desk):
    return (desk.store.tables.count("outbox"), desk.store.tables.count("audit"),
            desk.store.db.execute("SELECT count(*) FROM bookings").fetchone()[0])


def refused(desk, call, code):
    before = written(desk)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert written(desk) == before
    return caught.value.message


def test_a_booking_takes_a_place_and_its_ticket_says_when(desk, tmp_path):
    before = written(desk)
    booking = book(desk)
    assert (booking.number, booking.slot, booking.procedure_name) == ("LH1-261124-001", at(24, 8), "Đăng ký khai sinh")
    assert written(desk) == (before[0] + 1, before[1] + 1, before[2] + 1)
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    assert kind == "booking.made"
    assert json.loads(payload) == {"uuid": booking.uuid, "number": "LH1-261124-001", "desk": 1,
                                   "procedure_code": "1.001193", "slot": "2026-11-24T08:00:00+07:00",
                                   "created_at": "2026-11-23T09:15:00+07:00"}
    pdf = bookings.ticket(desk, booking)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "PHIẾU HẸN NỘP HỒ SƠ" in text and "Thời gian hẹn: 08 giờ 00 phút, ngày 24/11/2026" in text
    assert "Ông/Bà: Nguyễn Văn An" in text and "Đăng ký khai sinh (mã 1.001193)" in text
    assert read(scan_qr(pdf, tmp_path, dpi=100).decode("ascii"), papers.qr_key(desk.store)) == {
        "LH": "LH1-261124-001", "DV": "000.21.33.H49", "GIO": "2026-11-24T08:00+07:00"}
    assert book(desk, name="Trần Thị Bình").number == "LH1-261124-002"


def test_a_full_slot_is_refused_naming_the_nearest_free_one(desk):
    bookings.set_slot_settings(desk, capacity=2)
    book(desk)
    book(desk, name="Trần Thị Bình")
    message = refused(desk, lambda: book(desk, name="Lê Văn Cường"), "slot_full")
    assert message == "Khung giờ 08:00 24/11/2026 đã đủ 2 chỗ. Khung giờ gần nhất còn chỗ: 08:30 24/11/2026."
    assert [(p.slot.strftime("%H:%M"), p.free) for p in bookings.day_slots(desk, dt.date(2026, 11, 24))][:2] == [
        ("07:00", 2), ("07:30", 2)]


@pytest.mark.parametrize(("slot", "code"), [
    (at(23, 9), "slot_in_past"),
    (at(28, 8), "slot_day_off"),  # Saturday
    (at(24, 8, 10), "not_a_slot"),
    (at(24, 11, 15), "not_a_slot"),  # the session ends at 11:30: a 30-minute slot cannot start at 11:15
    (at(24, 12, 0), "not_a_slot"),  # lunch
    (dt.datetime(2027, 6, 1, 8, 0, tzinfo=VN), "slot_too_far"),
])
def test_a_slot_that_does_not_exist_is_refused(desk, slot, code):
    message = refused(desk, lambda: book(desk, slot=slot), code)
    if code == "not_a_slot":
        assert "các khung giờ 30 phút từ 07:00 đến 16:30" in message


def test_name_and_phone_are_required(desk):
    refused(desk, lambda: book(desk, phone=""), "phone_required")
    with pytest.raises(DomainError):
        book(desk, name="")


def test_check_in_receives_the_dossier_with_the_bookings_fields(desk):
    booking = book(desk)
    before = written(desk)
    reception = bookings.check_in(desk, "lh1-261124-001")
    d = reception.dossier
    assert (d.procedure_code, d.applicant.name, d.applicant.phone) == ("1.001193", "Nguyễn Văn An", "0912345678")
    found = bookings.find(desk, booking.number)
    assert (found.status.value, found.dossier_code) == ("checked_in", d.code)
    kinds = [k for (k,) in desk.store.db.execute("SELECT kind FROM outbox ORDER BY id DESC LIMIT 2")]
    assert kinds == ["booking.checked_in", "dossier.received"]
    assert written(desk)[0] == before[0] + 2
    message = refused(desk, lambda: bookings.check_in(desk, booking.number), "already_checked_in")
    assert d.code in message
    refused(desk, lambda: bookings.check_in(desk, "LH1-000000-001"), "unknown_booking")


def test_the_communes_slot_settings(desk):
    assert bookings.slot_settings(desk) == bookings.SlotSettings(4, 30)
    assert bookings.set_slot_settings(desk, minutes=60) == bookings.SlotSettings(4, 60)
    assert [p.slot.strftime("%H:%M") for p in bookings.day_slots(desk, dt.date(2026, 11, 24))] == [
        "07:00", "08:00", "09:00", "10:00", "13:30", "14:30", "15:30"]
    with pytest.raises(DomainError) as caught:
        bookings.set_slot_settings(desk, capacity=0)
    assert caught.value.code == "invalid_capacity"
