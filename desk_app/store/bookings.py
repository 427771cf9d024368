"""Bookings of appointment slots: take a place, count a slot's places, find, check in, cancel, move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk_app.domain.bookings import Booking, BookingStatus
from desk_app.store.store import Store

_COLUMNS = ("uuid, number, procedure_code, procedure_name, name, phone, slot, created_at, status, "
            "dossier_code, reason, moved_to, moved_from")
# Cancelled and moved bookings gave their place back.
_HOLDS_A_PLACE = "status IN ('booked', 'checked_in')"


def places_taken(store: Store, slot: dt.datetime) -> int:
    """How many places of ``slot`` are taken (checked-in bookings keep theirs)."""
    row = store.db.execute(f"SELECT count(*) FROM bookings WHERE slot = ? AND {_HOLDS_A_PLACE}",
                           [slot.isoformat(timespec="seconds")]).fetchone()
    return int(row[0])


def taken_on(store: Store, day: dt.date) -> dict[str, int]:
    """Places taken per slot (ISO text) of a day."""
    rows = store.db.execute(f"SELECT slot, count(*) FROM bookings WHERE day = ? AND {_HOLDS_A_PLACE} GROUP BY slot",
                            [day.isoformat()])
    return {slot: int(n) for slot, n in rows}


def next_seq(store: Store, desk_no: int, day: dt.date) -> int:
    row = store.db.execute("SELECT max(seq) FROM bookings WHERE desk_no = ? AND day = ?",
                           [desk_no, day.isoformat()]).fetchone()
    return int(row[0] or 0) + 1


def insert(store: Store, booking: Booking, *, desk_no: int, seq: int) -> None:
    store.db.execute(
        "INSERT INTO bookings(uuid, number, desk_no, day, seq, procedure_code, procedure_name, name, phone, slot, "
        "created_at, status, moved_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [booking.uuid, booking.number, desk_no, booking.slot.date().isoformat(), seq, booking.procedure_code,
         booking.procedure_name, booking.name, booking.phone, booking.slot.isoformat(timespec="seconds"),
         booking.created_at.isoformat(timespec="seconds"), booking.status.value, booking.moved_from],
    )


def _booking(row: Any) -> Booking:
    (uuid, number, procedure_code, procedure_name, name, phone, slot, created_at, status, dossier_code, reason,
     moved_to, moved_from) = row
    return Booking(uuid, number, procedure_code, procedure_name, name, phone, dt.datetime.fromisoformat(slot),
                   dt.datetime.fromisoformat(created_at), BookingStatus(status), dossier_code, reason or "",
                   moved_to, moved_from)


def find(store: Store, number: str) -> Booking | None:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM bookings WHERE number = ?", [number.strip().upper()]).fetchone()
    return None if row is None else _booking(row)


def on_day(store: Store, day: dt.date) -> list[Booking]:
    """Every booking of a day's slots, moved and cancelled ones too, by slot then number."""
    rows = store.db.execute(f"SELECT {_COLUMNS} FROM bookings WHERE day = ? ORDER BY slot, number",
                            [day.isoformat()])
    return [_booking(row) for row in rows]


def check_in(store: Store, number: str, dossier_code: str) -> None:
    store.db.execute("UPDATE bookings SET status = ?, dossier_code = ? WHERE number = ?",
                     [BookingStatus.CHECKED_IN.value, dossier_code, number])


def end(store: Store, number: str, status: BookingStatus, *, at: dt.datetime, reason: str,
        moved_to: str | None = None) -> None:
    """Cancel the booking, or mark it moved to ``moved_to``; only a booking still waiting changes."""
    cursor = store.db.execute(
        "UPDATE bookings SET status = ?, ended_at = ?, reason = ?, moved_to = ? WHERE number = ? AND status = ?",
        [status.value, at.isoformat(timespec="seconds"), reason, moved_to, number, BookingStatus.BOOKED.value])
    if cursor.rowcount != 1:
        raise RuntimeError(f"booking {number} was not waiting")
