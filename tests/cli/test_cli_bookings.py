"""Appointment slots from the command line, as real processes: book, slots, checkin; two desks
on one database booking the last place of a slot at the same moment (one wins, the other is told)."""

import datetime as dt
import io
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader

from tests.cli.test_cli_end_to_end import INIT, run
from tests.store.test_database_errors import write_lock_held


def as_json(home, *args):
    return json.loads(run(home, *args, "--json").stdout)


def free_slot(home):
    """The first slot of the first working day from the day after tomorrow (by the real clock)."""
    day = dt.date.today() + dt.timedelta(days=2)
    for _ in range(20):
        slots = as_json(home, "slots", day.isoformat())
        if slots:
            return slots[0]["slot"]
        day += dt.timedelta(days=1)
    raise AssertionError("no working day in twenty days")


def book(home, name, slot, check=True):
    return run(home, "book", "--procedure", "1.001193", "--name", name, "--phone", "0912345678", "--slot", slot,
               "--json", check=check)


def test_book_print_the_ticket_then_check_in(tmp_path):
    run(tmp_path, *INIT)
    slot = free_slot(tmp_path)
    out = json.loads(book(tmp_path, "Nguyễn Văn An", slot).stdout)
    assert out["number"].startswith("LH1-") and out["slot"] == slot and out["status"] == "booked"
    text = " ".join(PdfReader(io.BytesIO(open(out["pdf"], "rb").read())).pages[0].extract_text().split())
    assert "PHIẾU HẸN NỘP HỒ SƠ" in text and out["number"] in text
    assert as_json(tmp_path, "slots", slot[:10])[0] == {"slot": slot, "taken": 1, "free": 3}

    received = as_json(tmp_path, "checkin", out["number"], "--id-number", "001090012345")
    assert (received["applicant_name"], received["phone"], received["id_number"]) == (
        "Nguyễn Văn An", "0912345678", "001090012345")
    assert received["booking"] == out["number"] and received["receipt_pdf"].endswith(f"{received['code']}.pdf")
    again = run(tmp_path, "checkin", out["number"], "--json", check=False)
    assert again.returncode == 2 and json.loads(again.stdout)["error"] == "already_checked_in"


def test_two_desks_booking_the_last_place_at_once(tmp_path):
    run(tmp_path, *INIT)
    assert as_json(tmp_path, "settings", "booking", "--capacity", "1") == {"capacity": 1, "minutes": 30}
    slot = free_slot(tmp_path)
    # Both commands start while another program holds the write lock, so both are waiting when it
    # is released: they race for the one place.
    with write_lock_held(tmp_path / "desk.sqlite3", 2.0), ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: book(tmp_path, name, slot, check=False),
                                ["Trần Thị Bình", "Lê Văn Cường"]))
    codes = sorted(p.returncode for p in results)
    assert codes == [0, 2], [p.stderr for p in results]
    loser = next(p for p in results if p.returncode == 2)
    assert json.loads(loser.stdout)["error"] == "slot_full"
    assert "đã đủ 1 chỗ. Khung giờ gần nhất còn chỗ:" in loser.stderr
    raw = sqlite3.connect(tmp_path / "desk.sqlite3")
    assert raw.execute("SELECT count(*) FROM bookings WHERE slot = ?", [slot]).fetchone()[0] == 1
    assert raw.execute("SELECT count(*) FROM outbox WHERE kind = 'booking.made'").fetchone()[0] == 1
    raw.close()


def test_a_slot_on_a_day_off_or_out_of_hours_is_refused(tmp_path):
    run(tmp_path, *INIT)
    slot = dt.datetime.fromisoformat(free_slot(tmp_path))
    proc = book(tmp_path, "Phạm Thị Dung", (slot + dt.timedelta(minutes=10)).isoformat(), check=False)
    assert proc.returncode == 2 and "không phải khung giờ hẹn" in proc.stderr
    assert run(tmp_path, "slots", "2026-11-28").stdout.strip() == "Ngày 28/11/2026 không có khung giờ hẹn (ngày nghỉ)."


def test_cancel_and_move_from_the_command_line(tmp_path):
    run(tmp_path, *INIT)
    first, second = [s["slot"] for s in as_json(tmp_path, "slots", free_slot(tmp_path)[:10])[:2]]
    number = json.loads(book(tmp_path, "Nguyễn Văn An", first).stdout)["number"]
    moved = as_json(tmp_path, "booking", "move", number.lower(), "--slot", second)
    assert (moved["moved_from"], moved["slot"], moved["status"]) == (number, second, "booked")
    text = " ".join(PdfReader(io.BytesIO(open(moved["pdf"], "rb").read())).pages[0].extract_text().split())
    assert moved["number"] in text and f"Phiếu này thay phiếu hẹn số {number}" in text
    old = run(tmp_path, "checkin", number, "--json", check=False)
    assert old.returncode == 2 and json.loads(old.stdout)["error"] == "booking_moved"
    assert f"đã chuyển sang lịch hẹn {moved['number']}" in old.stderr
    cancelled = as_json(tmp_path, "booking", "cancel", moved["number"], "--reason", "Không đến được")
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "Không đến được")
    again = run(tmp_path, "booking", "cancel", moved["number"], "--json", check=False)
    assert again.returncode == 2 and json.loads(again.stdout)["error"] == "booking_cancelled"
    assert [s["taken"] for s in as_json(tmp_path, "slots", first[:10])[:2]] == [0, 0]


def test_two_desks_moving_into_the_last_place_at_once(tmp_path):
    run(tmp_path, *INIT)
    assert as_json(tmp_path, "settings", "booking", "--capacity", "1") == {"capacity": 1, "minutes": 30}
    a, b, target = [s["slot"] for s in as_json(tmp_path, "slots", free_slot(tmp_path)[:10])[:3]]
    numbers = [json.loads(book(tmp_path, name, slot).stdout)["number"]
               for name, slot in (("Trần Thị Bình", a), ("Lê Văn Cường", b))]
    with write_lock_held(tmp_path / "desk.sqlite3", 2.0), ThreadPoolExecutor(2) as pool:
        results = list(pool.map(
            lambda n: run(tmp_path, "booking", "move", n, "--slot", target, "--json", check=False), numbers))
    codes = [p.returncode for p in results]
    assert sorted(codes) == [0, 2], [p.stderr for p in results]
    loser = numbers[codes.index(2)]
    assert json.loads(results[codes.index(2)].stdout)["error"] == "slot_full"
    assert "đã đủ 1 chỗ" in results[codes.index(2)].stderr
    raw = sqlite3.connect(tmp_path / "desk.sqlite3")
    # Nothing half done: the loser still holds its own slot, the target holds exactly one place.
    assert raw.execute("SELECT status, slot FROM bookings WHERE number = ?", [loser]).fetchone() == (
        "booked", b if loser == numbers[1] else a)
    assert raw.execute("SELECT count(*) FROM bookings WHERE slot = ? AND status = 'booked'",
                       [target]).fetchone()[0] == 1
    assert raw.execute("SELECT count(*) FROM bookings").fetchone()[0] == 3
    assert raw.execute("SELECT count(*) FROM outbox WHERE kind = 'booking.moved'").fetchone()[0] == 1
    assert raw.execute("SELECT count(*) FROM audit WHERE action = 'booking.move'").fetchone()[0] == 1
    raw.close()
