"""The command line: a thin shell over the desk's services (JSON for scripts, Vietnamese for people)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desk_app import __version__
from desk_app.cli import accounts as accounts_cli
from desk_app.cli import audit as audit_cli
from desk_app.cli import citizen as citizen_cli
from desk_app.cli import scans as scans_cli
from desk_app.cli.catalogue_report import changes_json, changes_text
from desk_app.cli.report import REPORT_COMMANDS, add_report_commands, run_report
from desk_app.cli import papers
from desk_app.domain.catalogue import DocForm
from desk_app.domain.catalogue_io import CatalogueError, procedure_to_dict
from desk_app.domain.dossier import Channel, Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.schedule_io import ScheduleError
from desk_app.cli import bookings as bookings_cli
from desk_app.cli import lifecycle as lifecycle_cli
from desk_app.cli.output import PrintFailed, dossier_json
from desk_app.cli.output import emit as _emit
from desk_app.cli.parser import EXIT_BAD_INPUT, MOMENT_EXAMPLE
from desk_app.cli.parser import VietnameseParser as _Parser
from desk_app.cli.parser import date as _date
from desk_app.cli.parser import missing_paper as _missing
from desk_app.cli.parser import moment as _moment
from desk_app.cli.show import show_json, show_text
from desk_app.paths import AppPaths, backups_folder
from desk_app.services.backup import backup_to, daily_backup, restore_from, restored_text
from desk_app.cli.hub import add_hub_commands, run_hub
from desk_app.cli.sync import add_sync_commands, run_sync
from desk_app.services.desk import Desk, local_clock
from desk_app.services.dossier_record import dossier_record
from desk_app.services.guidance import issue_supplement_guidance, missing_documents, render_guidance
from desk_app.services.printouts import prepare_printout
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.services.spooler import SpoolError
from desk_app.services.sync import SyncFailed
from desk_app.store.accounts import has_officers
from desk_app.store.connection import StoreError, classify
from desk_app.store.store import Store

EXIT_BUG = 1
EXIT_ENVIRONMENT = 3
EXIT_READER_GONE = 141  # 128 + SIGPIPE, as Unix tools end when `| head` stops reading; the work is done

# How each command uses the database; a command not listed here writes.
READS = {"search", "due", "catalog list", "calendar show", "sync status", "audit verify", "audit list",
         "alerts", "slots", "scan list", *REPORT_COMMANDS}  # opened read-only: never written, nor created
VIEWS = {"show"}  # audited when the medium can be written, still readable when it cannot
CREATES = {"init"}  # the only command that may create the database

log = logging.getLogger(__name__)

# Commands whose whole body lives in their own module: name → run(args, desk).
COMMAND_MODULES: dict[str, Callable[[argparse.Namespace, Desk], int | None]] = {
    "user": accounts_cli.run,
    "audit": audit_cli.run,
    "citizen": citizen_cli.run,
    "scan": scans_cli.run,
}

class GuidancePrintFailed(PrintFailed):
    """The guidance slip is recorded but its PDF could not be produced."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="desk-app", description="Bộ phận Một cửa cấp xã: tiếp nhận và trả kết quả hồ sơ.")
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}",
                        help="hiện số phiên bản rồi thoát")
    parser.add_argument("--db", type=Path, help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng, "
                        "đổi bằng biến môi trường DESK_APP_HOME)")
    accounts_cli.add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser, title="Lệnh")

    p = sub.add_parser("init", help="cài đặt quầy: xã, cơ quan, mã đơn vị, số quầy")
    p.add_argument("--commune", required=True, help='tên xã, ví dụ "Xã Tân Phú"')
    p.add_argument("--authority", required=True, help='dòng cơ quan chủ quản, ví dụ "Ủy ban nhân dân xã Tân Phú"')
    p.add_argument("--unit-code", required=True, help="mã định danh điện tử của đơn vị, ví dụ 000.21.33.H49")
    p.add_argument("--desk", type=int, required=True, help="số quầy (1–10), chia dải mã hồ sơ trong ngày")
    p.add_argument("--place", help="địa danh ghi trên giấy tờ (mặc định: tên xã bỏ chữ «Xã», «Phường»)")
    p.add_argument("--unit-name", help="tên bộ phận (mặc định: BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ)")
    p.add_argument("--paper", choices=["A5", "A4"], default="A5", help="khổ giấy in (mặc định A5)")
    papers.fee_book_options(p, "fee-")
    accounts_cli.add_init_options(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("receive", help="tiếp nhận một hồ sơ và in giấy tiếp nhận")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--name", required=True, help="họ tên người nộp")
    p.add_argument("--id-number", help="số định danh cá nhân (12 số)")
    p.add_argument("--birth-date", type=_date, help="ngày sinh: 04/03/1990 hoặc 1990-03-04")
    p.add_argument("--sex", choices=[s.value for s in Sex])
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--email")
    p.add_argument("--received-at", type=_moment,
                   help=f"thời điểm tiếp nhận, ví dụ {MOMENT_EXAMPLE} (mặc định: bây giờ)")
    p.add_argument("--channel", choices=[c.value for c in Channel], default=Channel.DIRECT.value)
    p.add_argument("--sets", type=int, default=1, help="số bộ hồ sơ")
    p.add_argument("--pages", type=int, default=1, help="số trang (phí chứng thực theo trang)")
    p.add_argument("--copies", type=int, default=1, help="số bản")
    p.add_argument("--fee", type=int, help="số tiền thu khi mức phí do HĐND tỉnh quy định")
    p.add_argument("--extension-days", type=int, default=0, help="số ngày làm việc gia hạn (chứng thực)")
    p.add_argument("--due-at", type=_moment, help="ngày hẹn trả khi danh mục chưa có thời hạn")
    p.add_argument("--on-the-spot", action="store_true",
                   help="thủ tục trong ngày đã giải quyết và trả ngay tại quầy: ghi nhận, không in giấy hẹn "
                        "(trừ khi có --pdf)")
    p.add_argument("--pdf", type=Path, help="nơi lưu giấy tiếp nhận PDF (mặc định khi không có --print: "
                   "thư mục receipts/ cạnh cơ sở dữ liệu)")
    p.add_argument("--print", action="store_true", help="in ra giấy ở máy in của quầy (không lưu tệp trừ khi có --pdf)")
    p.add_argument("--printer", help="tên máy in (mặc định: máy in đã chọn cho quầy, hoặc máy in mặc định)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("guide", help="hồ sơ chưa đủ: in phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02), "
                       "không tiếp nhận")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--name", required=True, help="họ tên người nộp")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--missing", type=_missing, action="append", required=True,
                   help='giấy tờ cần bổ sung "Tên giấy tờ|hình thức|số lượng" (lặp lại được; hình thức: '
                        + ", ".join(f.value for f in DocForm) + "; mặc định theo danh mục)")
    p.add_argument("--reason", help="lý do (mặc định: hồ sơ chưa đầy đủ theo quy định)")
    p.add_argument("--pdf", type=Path, help="nơi lưu phiếu PDF")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("due", help="tính ngày hẹn trả")
    p.add_argument("--procedure", required=True)
    p.add_argument("--received-at", type=_moment, required=True, help=f"thời điểm tiếp nhận, ví dụ {MOMENT_EXAMPLE}")
    p.add_argument("--extension-days", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="xem toàn bộ một hồ sơ: giấy tờ, phí, hẹn trả, lịch sử (việc xem được ghi nhật ký)")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--json", action="store_true")

    lifecycle_cli.add_commands(sub)
    bookings_cli.add_commands(sub)

    p = sub.add_parser("print", help="in giấy tiếp nhận và biên lai của một hồ sơ ra máy in (bản in sau bản "
                       "đầu ghi BẢN IN LẠI)")
    p.add_argument("code")
    p.add_argument("--printer", help="tên máy in (mặc định: máy in đã chọn cho quầy, hoặc máy in mặc định)")
    p.add_argument("--pdf", type=Path, help="lưu tệp PDF vào đây thay vì in (in cả hai khi có thêm --printer)")
    p.add_argument("--paper", choices=["all", "receipt", "fee-receipt", *lifecycle_cli.STEP_PAPERS_BY_NAME], default="all",
                   help="giấy cần in: all (mặc định), receipt (giấy tiếp nhận), fee-receipt (biên lai), "
                        + lifecycle_cli.PAPER_HELP)
    p.add_argument("--json", action="store_true")

    st = sub.add_parser("settings", help="thiết lập của quầy: biên lai, máy in")
    st_sub = st.add_subparsers(dest="settings_command", metavar="ACTION", required=True, parser_class=_Parser)
    p = st_sub.add_parser("fee-receipt", help="mẫu số, ký hiệu và số bắt đầu của biên lai (không có tham số: xem)")
    papers.fee_book_options(p, "")
    p.add_argument("--json", action="store_true")
    lifecycle_cli.add_settings(st_sub)
    bookings_cli.add_settings(st_sub)
    p = st_sub.add_parser("printer", help="máy in của quầy (không có tên: dùng máy in mặc định của hệ thống)")
    p.add_argument("name", nargs="?", help="tên máy in (hàng đợi CUPS hoặc máy in Windows)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="tìm hồ sơ theo tên, số định danh, điện thoại, mã, thủ tục")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    cal = sub.add_parser("calendar", help="lịch nghỉ lễ, nghỉ bù, làm bù")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="LỆNH", required=True, parser_class=_Parser)
    p = cal_sub.add_parser("import", help="nhập tệp CSV date,name,kind (thay cả năm)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p = cal_sub.add_parser("show", help="các ngày nghỉ và ngày làm bù của một năm")
    p.add_argument("year", type=int)
    p.add_argument("--json", action="store_true")

    cat = sub.add_parser("catalog", help="danh mục thủ tục hành chính")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="LỆNH", required=True, parser_class=_Parser)
    p = cat_sub.add_parser("list", help="liệt kê thủ tục")
    p.add_argument("--query", default="", help="lọc theo tên (không cần dấu)")
    p.add_argument("--json", action="store_true")
    p = cat_sub.add_parser("import", help="nhập danh mục JSON hoặc CSV: thêm và sửa theo mã thủ tục "
                           "(lỗi một dòng thì không nhập gì)")
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true",
                   help="thay cả danh mục: bỏ các thủ tục không có trong tệp (thủ tục đã có hồ sơ thì giữ lại, "
                        "ngừng áp dụng)")
    p.add_argument("--dry-run", action="store_true", help="chỉ liệt kê sẽ thêm, sửa, bỏ gì; không ghi")
    p.add_argument("--json", action="store_true")
    p = cat_sub.add_parser("export", help="xuất danh mục ra tệp CSV (mở được bằng Excel, LibreOffice) hoặc JSON")
    p.add_argument("file", type=Path)
    p.add_argument("--semicolon", action="store_true",
                   help="ngăn cột bằng dấu chấm phẩy (Excel cài đặt vùng Việt Nam)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (API sao lưu của SQLite)")
    p.add_argument("destination", type=Path, help="tệp sao lưu cần tạo")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu (tệp đang dùng được giữ lại "
                       "bên cạnh); đóng cửa sổ Một cửa trước")
    p.add_argument("backup", type=Path, help="tệp sao lưu, ví dụ backups/desk-20261123.sqlite3")
    p.add_argument("--force", action="store_true", help="khôi phục cả khi cơ sở dữ liệu hiện tại không hỏng")
    p.add_argument("--other-desk", action="store_true",
                   help="bản sao lưu là của quầy khác (thay máy hỏng): máy này mang danh tính quầy đó")
    p.add_argument("--json", action="store_true")
    add_report_commands(sub)
    add_hub_commands(sub)
    add_sync_commands(sub)
    accounts_cli.add_commands(sub)
    audit_cli.add_commands(sub, _date)
    citizen_cli.add_commands(sub)
    scans_cli.add_commands(sub)
    return parser


def _receipt_path(args: argparse.Namespace, db_path: Path, code: str) -> Path:
    pdf: Path | None = args.pdf
    if pdf:
        return pdf
    return db_path.parent / "receipts" / f"{code}.pdf"


def _run(args: argparse.Namespace, desk: Desk, db_path: Path) -> int | None:
    command = args.command
    if command in COMMAND_MODULES:
        return COMMAND_MODULES[command](args, desk)
    if command == "init":
        admin = accounts_cli.check_first_admin(args)
        profile = desk.initialise(
            commune=args.commune, authority=args.authority, unit_code=args.unit_code,
            desk_no=args.desk, place=args.place, unit_name=args.unit_name, paper=args.paper,
            fee_form=args.fee_form, fee_series=args.fee_series, fee_start=args.fee_start,
        )
        if admin is not None:
            accounts_cli.create_first_admin(desk, admin)
        book = desk.fee_receipt_book()
        _emit(args, {"database": str(db_path), "unit_code": profile.unit_code, "desk": profile.desk_no,
                     "place": profile.place, "fee_receipt": papers.book_json(book),
                     "admin": admin[0] if admin else None},
              f"Đã cài đặt quầy {profile.desk_no} của {profile.commune} ({profile.unit_code}) tại {db_path}.\n"
              + papers.book_text(book)
              + (f"\nTài khoản quản trị: {admin[0]} ({admin[1]})." if admin else ""))
    elif command == "receive":
        reception = receive(desk, ReceptionRequest(
            procedure_code=args.procedure, name=args.name, id_number=args.id_number,
            birth_date=args.birth_date, sex=Sex(args.sex) if args.sex else None, phone=args.phone,
            address=args.address, email=args.email, channel=Channel(args.channel),
            received_at=args.received_at, sets=args.sets, pages=args.pages, copies=args.copies,
            fee_vnd=args.fee, extension_days=args.extension_days, due_at=args.due_at,
            resolved_on_the_spot=args.on_the_spot,
        ))
        d = reception.dossier
        # The dossier is committed; a printing failure now loses nothing and can be retried with `print`.
        # Resolved on the spot: no slip unless asked for (--pdf), but a fee still gets its receipt.
        slip = not args.on_the_spot or args.pdf is not None
        if not slip and d.fee_vnd == 0:
            _emit(args, dossier_json(d), f"Đã ghi nhận hồ sơ {d.code}: giải quyết và trả kết quả ngay tại quầy.")
            return None
        # --print sends the papers to the printer; files are kept when --pdf is given, or when
        # nothing is printed (the command's behaviour before --print existed).
        path = _receipt_path(args, db_path, d.code) if args.pdf is not None or not args.print else None
        try:
            printout = prepare_printout(desk, d.code, slip=slip)
            delivery = papers.send(args, desk, printout, receipt_path=path, to_printer=args.print)
        except (SpoolError, OSError) as exc:  # the printer or the disk: said plainly, no trace
            log.info("papers of %s not delivered after commit: %s", d.code, exc)
            raise PrintFailed(d.code, exc) from exc
        except Exception as exc:
            log.exception("receipt failed after commit")
            raise PrintFailed(d.code, exc) from exc
        lines = papers.delivery_lines(printout, delivery)
        _emit(args, {**dossier_json(d), **papers.delivery_json(printout, delivery)},
              f"Đã tiếp nhận hồ sơ {d.code}; hẹn trả {d.due_at:%H:%M %d/%m/%Y} ({d.due_reason}).\n"
              + ("" if slip else "Không in giấy hẹn (trả ngay tại quầy).\n") + "\n".join(lines))
    elif command == "guide":
        guidance = issue_supplement_guidance(
            desk, procedure_code=args.procedure, name=args.name, phone=args.phone, address=args.address,
            missing=missing_documents(desk, args.procedure, args.missing), reason=args.reason,
        )
        # The slip is recorded; a printing failure now loses nothing.
        path = args.pdf or db_path.parent / "guidance" / f"{guidance.number}.pdf"
        try:
            pdf = render_guidance(desk, guidance)
        except Exception as exc:
            log.exception("guidance slip failed after commit")
            raise GuidancePrintFailed(guidance.number, exc) from exc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        _emit(args, {"number": guidance.number, "procedure_code": guidance.procedure_code,
                     "applicant_name": guidance.applicant_name, "pdf": str(path)},
              f"Hồ sơ chưa đủ, KHÔNG tiếp nhận. Đã lập phiếu hướng dẫn bổ sung {guidance.number}: {path}")
    elif command == "due":
        result = desk.due(args.procedure, args.received_at, extension_days=args.extension_days)
        _emit(args, {"due_at": result.due_at.isoformat(timespec="seconds"), "reason": result.reason},
              f"Hẹn trả: {result.due_at:%H:%M %d/%m/%Y} ({result.reason})")
    elif command == "show":
        record = dossier_record(desk, args.code, purpose="cli.show")
        if not record.audited:
            print("Ghi chú: cơ sở dữ liệu chỉ đọc, lần xem này không ghi được vào nhật ký truy cập.", file=sys.stderr)
        _emit(args, {**dossier_json(record.dossier), **show_json(record)}, show_text(record))
    elif lifecycle_cli.handles(args):
        lifecycle_cli.run(args, desk, db_path)
    elif bookings_cli.handles(args):
        bookings_cli.run(args, desk, db_path)
    elif command == "print" and args.paper in lifecycle_cli.STEP_PAPERS_BY_NAME:
        lifecycle_cli.reprint(args, desk)
    elif command in REPORT_COMMANDS:
        run_report(args, desk)
    elif command == "print":
        printout = prepare_printout(desk, args.code, slip=args.paper != "fee-receipt",
                                    fee_receipt=args.paper != "receipt")
        # To the printer unless only --pdf was given; with --pdf and --printer, both.
        to_printer = args.pdf is None or args.printer is not None
        delivery = papers.send(args, desk, printout, receipt_path=args.pdf, to_printer=to_printer)
        _emit(args, {"code": printout.code, **papers.delivery_json(printout, delivery)},
              f"Hồ sơ {printout.code}:\n" + "\n".join(papers.delivery_lines(printout, delivery)))
    elif command == "settings" and args.settings_command == "fee-receipt":
        if args.form is None and args.series is None and args.start is None:
            book = desk.fee_receipt_book()
        else:
            book = desk.set_fee_receipt_book(form_no=args.form, series=args.series, start_no=args.start)
        _emit(args, papers.book_json(book), papers.book_text(book))
    elif command == "settings":
        desk.set_printer(args.name or None)
        _emit(args, {"printer": desk.printer()},
              f"Máy in của quầy: {desk.printer() or 'máy in mặc định của hệ thống'}.")
    elif command == "search":
        found = desk.search(args.text, limit=args.limit)
        _emit(args, [dossier_json(d) for d in found],
              "\n".join(f"{d.code}  {d.applicant.name}  {d.procedure_name}" for d in found) or "Không tìm thấy hồ sơ nào.")
    elif command == "calendar" and args.calendar_command == "import":
        years = desk.import_calendar(args.file)
        _emit(args, {"years": {str(y): n for y, n in sorted(years.items())}},
              "Đã nhập lịch: " + ", ".join(f"năm {y} ({n} ngày)" for y, n in sorted(years.items())))
    elif command == "calendar":
        entries = desk.calendar_year(args.year)
        _emit(args, [{"date": e.date.isoformat(), "name": e.name, "kind": e.kind.value, "provisional": e.provisional}
                     for e in entries],
              "\n".join(f"{e.date:%d/%m/%Y}  {e.kind.value:16} {e.name}{' (dự kiến)' if e.provisional else ''}"
                        for e in entries))
    elif command == "catalog" and args.catalog_command == "list":
        procs = desk.procedures(args.query)
        _emit(args, [procedure_to_dict(p) for p in procs],
              "\n".join(f"{p.code:24} {p.name}" for p in procs))
    elif command == "catalog" and args.catalog_command == "export":
        count = desk.export_catalogue(args.file, delimiter=";" if args.semicolon else ",")
        _emit(args, {"file": str(args.file), "procedures": count}, f"Đã xuất {count} thủ tục vào {args.file}.")
    elif command == "catalog":
        changes = desk.import_catalogue(args.file, replace=args.replace, dry_run=args.dry_run)
        _emit(args, changes_json(changes, dry_run=args.dry_run), changes_text(changes, dry_run=args.dry_run))
    elif command == "sync":
        run_sync(args, desk)
    elif command == "backup":
        made = backup_to(desk, args.destination, overwrite=args.force)
        _emit(args, {"backup": str(made.path), "dossiers": made.dossiers},
              f"Đã sao lưu {made.dossiers} hồ sơ vào {made.path} (đã kiểm tra bản sao).")
    return None


def _fail(args: argparse.Namespace, code: str, message: str, problems: list[dict[str, Any]], exit_code: int) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": code, "message": message, "problems": problems}, ensure_ascii=False))
    return exit_code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # the reader went away before anything mattered was written (help, an error)
        _detach_stdout()
        return EXIT_READER_GONE


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "hub":
        return run_hub(args)
    db_path: Path = args.db or AppPaths.from_environment().database
    key = " ".join(filter(None, [args.command, getattr(args, f"{args.command}_command", None)]))
    store: Store | None = None
    try:
        if key == "restore":  # the database may be too damaged to open: handled without the store
            return _deliver(lambda: _restore(args, db_path))
        if key not in CREATES and not db_path.exists():
            return _fail(args, "no_database", f"Chưa có cơ sở dữ liệu tại {db_path}. Hãy cài đặt quầy bằng: "
                         "desk-app init --commune … --authority … --unit-code … --desk … "
                         "(hoặc chỉ đúng tệp bằng --db).", [], EXIT_BAD_INPUT)
        read_only = key in READS or (key in VIEWS and not _writable(db_path))
        store = Store.open(db_path, read_only=read_only)
        if store.read_only and _writable(db_path) and has_officers(store):
            # Signing in is audited and counts wrong passwords, even before a command that only reads.
            store.close()
            store = Store.open(db_path)
        desk = Desk(store, actor=getpass.getuser())
        accounts_cli.sign_in(args, desk)
        if args.command != "init" and args.command != "backup" and not desk.configured:
            desk.profile()  # raises NotConfigured with the Vietnamese hint
        code = _deliver(lambda: _run(args, desk, db_path))
        if not read_only and key not in VIEWS:
            _daily_backup(args, desk, db_path)
        return code
    except ValidationErrors as exc:
        return _fail(args, exc.code, exc.message,
                     [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors], EXIT_BAD_INPUT)
    except SyncFailed as exc:  # the network, the hub or the disk (3), or the officer's input (2)
        return _fail(args, exc.code, exc.message, [], EXIT_ENVIRONMENT if exc.environment else EXIT_BAD_INPUT)
    except DomainError as exc:
        return _fail(args, exc.code, exc.message, [{"field": exc.field, "code": exc.code, "message": exc.message}],
                     EXIT_BAD_INPUT)
    except (CatalogueError, ScheduleError) as exc:
        problems = [{"line": line, "message": msg} for line, msg in exc.problems]
        return _fail(args, "invalid_file", "tệp có dòng không hợp lệ, không nhập gì:\n" + str(exc), problems,
                     EXIT_BAD_INPUT)
    except StoreError as exc:
        return _fail(args, exc.code, exc.message, [], EXIT_ENVIRONMENT)
    except sqlite3.DatabaseError as exc:  # met while reading (a damaged page, a lock): say what it means
        error = classify(exc, db_path)
        return _fail(args, error.code, error.message, [], EXIT_ENVIRONMENT)
    except GuidancePrintFailed as exc:
        return _fail(args, "print_failed",
                     f"Phiếu {exc.code} ĐÃ ĐƯỢC GHI NHẬN, nhưng không tạo được tệp PDF ({exc.cause}).", [],
                     EXIT_ENVIRONMENT)
    except PrintFailed as exc:
        cause = exc.cause.message if isinstance(exc.cause, (SpoolError, DomainError)) else str(exc.cause)
        return _fail(args, "print_failed",
                     f"Hồ sơ {exc.code} ĐÃ ĐƯỢC LƯU, nhưng chưa in được giấy tờ ({cause}). "
                     f"In lại bằng: {exc.retry}", [], EXIT_ENVIRONMENT)
    except SpoolError as exc:
        return _fail(args, "print_failed", f"Chưa in được: {exc.message}", [], EXIT_ENVIRONMENT)
    except BrokenPipeError:
        raise  # not a file error: main() ends quietly
    except OSError as exc:
        return _fail(args, "os_error", f"Không ghi/đọc được tệp: {exc.strerror or exc}", [], EXIT_ENVIRONMENT)
    except Exception as exc:  # a bug: say so plainly, keep the trace for the maintainer
        log.exception("unexpected error")
        return _fail(args, "bug", f"Lỗi không mong đợi của phần mềm ({type(exc).__name__}: {exc}). "
                     "Dữ liệu đã lưu không bị ảnh hưởng; hãy báo cho người bảo trì.", [], EXIT_BUG)
    finally:
        if store is not None:
            store.close()


def _writable(path: Path) -> bool:
    """Whether the database could take a write (false on write-protected media)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _deliver(command: Callable[[], int | None]) -> int:
    """Run a command whose last step prints; its exit code (None: 0). If the reader of our output
    stops early (`desk-app show … --json | head`), the command's effect stands and we end quietly."""
    try:
        code = command() or 0
        sys.stdout.flush()
    except BrokenPipeError:
        _detach_stdout()
        return EXIT_READER_GONE
    return code


def _detach_stdout() -> None:
    # Python docs, "Note on SIGPIPE": point stdout at devnull so the final flush at exit is quiet.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _restore(args: argparse.Namespace, db_path: Path) -> None:
    login, name = accounts_cli.restore_signer(args, db_path, args.backup)
    made = restore_from(args.backup, db_path, at=local_clock()(), actor=login, actor_name=name, force=args.force,
                        other_desk=args.other_desk)
    _emit(args, {"database": str(made.database), "backup": str(made.source), "dossiers": made.dossiers,
                 "kept": str(made.kept) if made.kept else None, "desk_uuid": made.desk.desk_uuid,
                 "replaced_desk_uuid": made.replaced.desk_uuid if made.replaced else None,
                 "other_desk": made.other_desk}, restored_text(made))


def _daily_backup(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    """After a command that wrote: today's backup if it is not made yet. The command itself has
    succeeded, so a failure here is a warning, not an error."""
    try:
        made = daily_backup(desk, backups_folder(db_path))
    except (DomainError, StoreError, OSError, sqlite3.Error) as exc:
        log.warning("daily backup failed: %r", exc)
        print(f"Cảnh báo: chưa sao lưu tự động được hôm nay ({getattr(exc, 'message', exc)}). "
              "Hãy sao lưu bằng: desk-app backup <tệp>", file=sys.stderr)
        return
    if made is not None and not getattr(args, "json", False):
        print(f"Đã sao lưu tự động {made.dossiers} hồ sơ vào {made.path}.", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
