"""Appointment slots on the command line: book, the day's slots, check-in, cancel and move, the
slot settings."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from desk_app.cli import papers
from desk_app.cli.output import PrintFailed, dossier_json, emit
from desk_app.cli.parser import MOMENT_EXAMPLE, date, moment
from desk_app.domain.bookings import Booking
from desk_app.domain.dossier import Sex
from desk_app.services import bookings
from desk_app.services.desk import Desk
from desk_app.services.printouts import prepare_printout, write_whole
from desk_app.services.reception import ReceptionRequest

log = logging.getLogger(__name__)
COMMANDS = {"book", "checkin", "slots", "booking"}


def add_commands(sub: Any) -> None:
    p = sub.add_parser("book", help="đặt lịch hẹn nộp hồ sơ vào một khung giờ (không quá số chỗ của khung giờ); "
                       "in phiếu hẹn có mã QR")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--name", required=True, help="họ tên người đặt")
    p.add_argument("--phone", required=True, help="số điện thoại liên hệ")
    p.add_argument("--slot", type=moment, required=True, help=f"khung giờ hẹn, ví dụ {MOMENT_EXAMPLE}")
    p.add_argument("--pdf", type=Path, help="nơi lưu phiếu hẹn PDF (mặc định: thư mục papers/ cạnh cơ sở dữ liệu)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("slots", help="các khung giờ hẹn của một ngày và số chỗ còn trống")
    p.add_argument("day", type=date, help="ngày, ví dụ 24/11/2026")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("checkin", help="người dân đến theo lịch hẹn: tiếp nhận hồ sơ với thông tin đã đặt, in giấy "
                       "tiếp nhận")
    p.add_argument("booking", help="số phiếu hẹn, ví dụ LH1-261124-001")
    p.add_argument("--id-number", help="số định danh cá nhân (12 số)")
    p.add_argument("--birth-date", type=date, help="ngày sinh")
    p.add_argument("--sex", choices=[s.value for s in Sex])
    p.add_argument("--address")
    p.add_argument("--email")
    p.add_argument("--pages", type=int, default=1, help="số trang (phí chứng thực theo trang)")
    p.add_argument("--copies", type=int, default=1, help="số bản")
    p.add_argument("--fee", type=int, help="số tiền thu khi mức phí do HĐND tỉnh quy định")
    p.add_argument("--pdf", type=Path, help="nơi lưu giấy tiếp nhận PDF (mặc định: thư mục receipts/)")
    p.add_argument("--print", action="store_true", help="in ra máy in của quầy (không lưu tệp trừ khi có --pdf)")
    p.add_argument("--printer", help="tên máy in")
    p.add_argument("--json", action="store_true")

    group = sub.add_parser("booking", help="hủy hoặc chuyển một lịch hẹn")
    group_sub = group.add_subparsers(dest="booking_command", metavar="LỆNH", required=True, parser_class=type(group))
    p = group_sub.add_parser("cancel", help="hủy lịch hẹn: trả lại chỗ, phiếu hẹn không còn giá trị")
    p.add_argument("booking", help="số phiếu hẹn, ví dụ LH1-261124-001")
    p.add_argument("--reason", default="", help="lý do hủy")
    p.add_argument("--json", action="store_true")
    p = group_sub.add_parser("move", help="chuyển lịch hẹn sang khung giờ khác (nếu còn chỗ); in phiếu hẹn mới")
    p.add_argument("booking", help="số phiếu hẹn, ví dụ LH1-261124-001")
    p.add_argument("--slot", type=moment, required=True, help=f"khung giờ mới, ví dụ {MOMENT_EXAMPLE}")
    p.add_argument("--reason", default="", help="lý do chuyển")
    p.add_argument("--pdf", type=Path, help="nơi lưu phiếu hẹn mới PDF (mặc định: thư mục papers/ cạnh cơ sở dữ liệu)")
    p.add_argument("--json", action="store_true")


def add_settings(settings: Any) -> None:
    p = settings.add_parser("booking", help="số chỗ mỗi khung giờ hẹn và độ dài khung giờ (không có tham số: xem)")
    p.add_argument("--capacity", type=int, help="số người mỗi khung giờ (1–50, mặc định 4)")
    p.add_argument("--minutes", type=int, help="độ dài khung giờ: 10, 15, 20, 30 (mặc định) hoặc 60 phút")
    p.add_argument("--json", action="store_true")


def handles(args: argparse.Namespace) -> bool:
    return args.command in COMMANDS or (args.command == "settings" and args.settings_command == "booking")


def run(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    if args.command == "settings":
        if args.capacity is None and args.minutes is None:
            settings = bookings.slot_settings(desk)
        else:
            settings = bookings.set_slot_settings(desk, capacity=args.capacity, minutes=args.minutes)
        emit(args, {"capacity": settings.capacity, "minutes": settings.minutes},
             f"Lịch hẹn: {settings.capacity} chỗ mỗi khung giờ {settings.minutes} phút.")
    elif args.command == "book":
        _book(args, desk, db_path)
    elif args.command == "booking" and args.booking_command == "cancel":
        booking = bookings.cancel(desk, args.booking, reason=args.reason)
        emit(args, booking_json(booking), f"Đã hủy lịch hẹn {booking.number} ({booking.slot:%H:%M %d/%m/%Y}).")
    elif args.command == "booking":
        _move(args, desk, db_path)
    elif args.command == "slots":
        places = bookings.day_slots(desk, args.day)
        emit(args, [{"slot": p.slot.isoformat(timespec="seconds"), "taken": p.taken, "free": p.free} for p in places],
             "\n".join(f"{p.slot:%H:%M}  còn {p.free}/{p.capacity} chỗ" for p in places)
             or f"Ngày {args.day:%d/%m/%Y} không có khung giờ hẹn (ngày nghỉ).")
    else:
        _check_in(args, desk, db_path)


def booking_json(booking: Booking) -> dict[str, Any]:
    return {"number": booking.number, "uuid": booking.uuid, "procedure_code": booking.procedure_code,
            "name": booking.name, "phone": booking.phone, "slot": booking.slot.isoformat(timespec="seconds"),
            "status": booking.status.value, "dossier_code": booking.dossier_code, "reason": booking.reason,
            "moved_to": booking.moved_to, "moved_from": booking.moved_from}


def _write_ticket(args: argparse.Namespace, desk: Desk, db_path: Path, booking: Booking, retry: str) -> Path:
    path: Path = args.pdf or db_path.parent / "papers" / f"{booking.number}.pdf"
    try:  # the booking is committed: a ticket that fails now loses nothing
        write_whole(path, bookings.ticket(desk, booking))
    except Exception as exc:
        log.exception("ticket of %s failed after commit", booking.number)
        raise PrintFailed(booking.number, exc, f"{retry} (lịch hẹn {booking.number} đã được ghi)") from exc
    return path


def _book(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    booking = bookings.book(desk, procedure_code=args.procedure, name=args.name, phone=args.phone, slot=args.slot)
    path = _write_ticket(args, desk, db_path, booking, "desk-app book …")
    emit(args, {**booking_json(booking), "pdf": str(path)},
         f"Đã đặt lịch hẹn {booking.number}: {booking.slot:%H:%M %d/%m/%Y}, {booking.procedure_name}.\n"
         f"Phiếu hẹn: {path}")


def _move(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    booking = bookings.move(desk, args.booking, slot=args.slot, reason=args.reason)
    path = _write_ticket(args, desk, db_path, booking, "desk-app booking move …")
    emit(args, {**booking_json(booking), "pdf": str(path)},
         f"Đã chuyển lịch hẹn {booking.moved_from} sang {booking.number}: {booking.slot:%H:%M %d/%m/%Y}.\n"
         f"Phiếu hẹn mới: {path}")


def _check_in(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    booking = bookings.find(desk, args.booking)
    reception = bookings.check_in(desk, booking.number, ReceptionRequest(
        procedure_code=booking.procedure_code, name=booking.name, id_number=args.id_number,
        birth_date=args.birth_date, sex=Sex(args.sex) if args.sex else None, address=args.address,
        email=args.email, pages=args.pages, copies=args.copies, fee_vnd=args.fee,
    ))
    d = reception.dossier
    path = args.pdf if args.pdf is not None or args.print else db_path.parent / "receipts" / f"{d.code}.pdf"
    try:  # the dossier is committed: a paper that fails now is printed again with `print`
        printout = prepare_printout(desk, d.code)
        delivery = papers.send(args, desk, printout, receipt_path=path, to_printer=args.print)
    except Exception as exc:
        log.exception("receipt of %s failed after commit", d.code)
        raise PrintFailed(d.code, exc) from exc
    emit(args, {**dossier_json(d), "booking": booking.number, **papers.delivery_json(printout, delivery)},
         f"Đã tiếp nhận hồ sơ {d.code} theo lịch hẹn {booking.number}; hẹn trả {d.due_at:%H:%M %d/%m/%Y}.\n"
         + "\n".join(papers.delivery_lines(printout, delivery)))
