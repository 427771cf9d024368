"""Bookings of appointment slots: take a place, count a slot's places, find, check in."""

from __future__ import annotations

import datetime as dt

from desk_app.domain.bookings import Booking, BookingStatus
from desk_app.store.store import Store

_COLUMNS = ("uuid, number, procedure_code, procedure_name, name, phone, slot, created_at, status, "
            "dossier_code")


def places_taken(store: Store, slot: dt.datetime) -> int:
    """How many places of ``slot`` are taken (checked-in bookings keep theirs)."""
    row = store.db.execute("SELECT count(*) FROM bookings WHERE slot = ?",
                           [slot.isoformat(timespec="seconds")]).fetchone()
    return int(row[0])


def taken_on(store: Store, day: dt.date) -> dict[str, int]:
    """Places taken per slot (ISO text) of a day."""
    rows = store.db.execute("SELECT slot, count(*) FROM bookings WHERE day = ? GROUP BY slot", [day.isoformat()])
    return {slot: int(n) for slot, n in rows}


def next_seq(store: Store, desk_no: int, day: dt.date) -> int:
    row = store.db.execute("SELECT max(seq) FROM bookings WHERE desk_no = ? AND day = ?",
                           [desk_no, day.isoformat()]).fetchone()
    return int(row[0] or 0) + 1


def insert(store: Store, booking: Booking, *, desk_no: int, seq: int) -> None:
    store.db.execute(
        "INSERT INTO bookings(uuid, number, desk_no, day, seq, procedure_code, procedure_name, name, phone, slot, "
        "created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [booking.uuid, booking.number, desk_no, booking.slot.date().isoformat(), seq, booking.procedure_code,
         booking.procedure_name, booking.name, booking.phone, booking.slot.isoformat(timespec="seconds"),
         booking.created_at.isoformat(timespec="seconds"), booking.status.value],
    )


def find(store: Store, number: str) -> Booking | None:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM bookings WHERE number = ?", [number.strip().upper()]).fetchone()
    if row is None:
        return None
    uuid, number, procedure_code, procedure_name, name, phone, slot, created_at, status, dossier_code = row
    return Booking(uuid, number, procedure_code, procedure_name, name, phone, dt.datetime.fromisoformat(slot),
                   dt.datetime.fromisoformat(created_at), BookingStatus(status), dossier_code)


def check_in(store: Store, number: str, dossier_code: str) -> None:
    store.db.execute("UPDATE bookings SET status = ?, dossier_code = ? WHERE number = ?",
                     [BookingStatus.CHECKED_IN.value, dossier_code, number])
