"""The command line: a thin shell over the desk's services (JSON for scripts, Vietnamese for people)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from desk_app import __version__
from desk_app.domain.catalogue import DocForm
from desk_app.domain.catalogue_io import CatalogueError, procedure_to_dict
from desk_app.domain.dossier import Channel, Dossier, Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.lifecycle import Action
from desk_app.domain.schedule_io import ScheduleError
from desk_app.cli.hub import add_hub_commands, run_hub
from desk_app.paths import AppPaths
from desk_app.services.backup import backup_to
from desk_app.services import ledger, lifecycle
from desk_app.services.desk import Desk
from desk_app.services.guidance import issue_supplement_guidance, missing_documents, render_guidance
from desk_app.services.printouts import print_receipt, write_printout
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.connection import StoreError
from desk_app.store.store import Store

EXIT_BUG = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3

log = logging.getLogger(__name__)

# Lifecycle commands: name → (action, help). Each takes a dossier code, --at and --json.
LIFECYCLE_COMMANDS = {
    "forward": (Action.FORWARD, "chuyển hồ sơ cho người/cơ quan giải quyết"),
    "result": (Action.RECORD_RESULT, "ghi nhận hồ sơ đã có kết quả"),
    "return": (Action.RETURN_RESULT, "ghi nhận đã trả kết quả cho người nộp"),
    "withdraw": (Action.WITHDRAW, "người nộp rút hồ sơ (cần --reason)"),
}


class PrintFailed(Exception):
    """The dossier is saved but its paper could not be produced."""

    def __init__(self, code: str, cause: Exception) -> None:
        super().__init__(code)
        self.code = code
        self.cause = cause


class GuidancePrintFailed(PrintFailed):
    """The guidance slip is recorded but its PDF could not be produced."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"Lỗi: tham số không hợp lệ: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _iso_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải thời điểm ISO 8601 (ví dụ 2026-11-23T09:15)") from None


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải ngày dạng YYYY-MM-DD") from None


def _missing(text: str) -> tuple[str, str | None, int | None]:
    """"Tên giấy tờ|form|count", form and count optional."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 3 or not parts[0]:
        raise argparse.ArgumentTypeError(f"'{text}' phải có dạng \"Tên giấy tờ|hình thức|số lượng\"")
    form = parts[1] if len(parts) > 1 and parts[1] else None
    count = None
    if len(parts) > 2 and parts[2]:
        if not parts[2].isdigit():
            raise argparse.ArgumentTypeError(f"số lượng '{parts[2]}' phải là số nguyên dương")
        count = int(parts[2])
    return parts[0], form, count


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="desk-app", description="Bộ phận Một cửa cấp xã: tiếp nhận và trả kết quả hồ sơ.")
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    parser.add_argument("--db", type=Path, help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng, "
                        "đổi bằng biến môi trường DESK_APP_HOME)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("init", help="cài đặt quầy: xã, cơ quan, mã đơn vị, số quầy")
    p.add_argument("--commune", required=True, help='tên xã, ví dụ "Xã Tân Phú"')
    p.add_argument("--authority", required=True, help='dòng cơ quan chủ quản, ví dụ "Ủy ban nhân dân xã Tân Phú"')
    p.add_argument("--unit-code", required=True, help="mã định danh điện tử của đơn vị, ví dụ 000.21.33.H49")
    p.add_argument("--desk", type=int, required=True, help="số quầy (1–10), chia dải mã hồ sơ trong ngày")
    p.add_argument("--place", help="địa danh ghi trên giấy tờ (mặc định: tên xã)")
    p.add_argument("--unit-name", help="tên bộ phận (mặc định: BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ)")
    p.add_argument("--paper", choices=["A5", "A4"], default="A5", help="khổ giấy in (mặc định A5)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("receive", help="tiếp nhận một hồ sơ và in giấy tiếp nhận")
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--name", required=True, help="họ tên người nộp")
    p.add_argument("--id-number", help="số định danh cá nhân (12 số)")
    p.add_argument("--birth-date", type=_iso_date)
    p.add_argument("--sex", choices=[s.value for s in Sex])
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--email")
    p.add_argument("--received-at", type=_iso_datetime, help="thời điểm tiếp nhận (mặc định: bây giờ)")
    p.add_argument("--channel", choices=[c.value for c in Channel], default=Channel.DIRECT.value)
    p.add_argument("--sets", type=int, default=1, help="số bộ hồ sơ")
    p.add_argument("--pages", type=int, default=1, help="số trang (phí chứng thực theo trang)")
    p.add_argument("--copies", type=int, default=1, help="số bản")
    p.add_argument("--fee", type=int, help="số tiền thu khi mức phí do HĐND tỉnh quy định")
    p.add_argument("--extension-days", type=int, default=0, help="số ngày làm việc gia hạn (chứng thực)")
    p.add_argument("--due-at", type=_iso_datetime, help="ngày hẹn trả khi danh mục chưa có thời hạn")
    p.add_argument("--on-the-spot", action="store_true",
                   help="thủ tục trong ngày đã giải quyết và trả ngay tại quầy: ghi nhận, không in giấy hẹn "
                        "(trừ khi có --pdf)")
    p.add_argument("--pdf", type=Path, help="nơi lưu giấy tiếp nhận PDF")
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
    p.add_argument("--received-at", type=_iso_datetime, required=True)
    p.add_argument("--extension-days", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="xem một hồ sơ")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")

    for name, (action, help_text) in LIFECYCLE_COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("code")
        if action is Action.WITHDRAW:
            # Not required by argparse: the domain refuses a missing reason in Vietnamese, with exit 2.
            p.add_argument("--reason", default="", help="lý do rút hồ sơ")
        p.add_argument("--at", type=_iso_datetime, help="thời điểm ghi nhận (mặc định: bây giờ)")
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("print", help="in lại giấy tiếp nhận của một hồ sơ (ghi BẢN IN LẠI)")
    p.add_argument("code")
    p.add_argument("--pdf", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="tìm hồ sơ theo tên, số định danh, điện thoại, mã, thủ tục")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    cal = sub.add_parser("calendar", help="lịch nghỉ lễ, nghỉ bù, làm bù")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True, parser_class=_Parser)
    p = cal_sub.add_parser("import", help="nhập tệp CSV date,name,kind (thay cả năm)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p = cal_sub.add_parser("show", help="các ngày nghỉ và ngày làm bù của một năm")
    p.add_argument("year", type=int)
    p.add_argument("--json", action="store_true")

    cat = sub.add_parser("catalog", help="danh mục thủ tục hành chính")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="ACTION", required=True, parser_class=_Parser)
    p = cat_sub.add_parser("list", help="liệt kê thủ tục")
    p.add_argument("--query", default="", help="lọc theo tên (không cần dấu)")
    p.add_argument("--json", action="store_true")
    p = cat_sub.add_parser("import", help="nhập danh mục JSON hoặc CSV (lỗi một dòng thì không nhập gì)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (API sao lưu của SQLite)")
    p.add_argument("destination", type=Path)
    p.add_argument("--json", action="store_true")
    add_hub_commands(sub)
    return parser


def dossier_json(d: Dossier, receipt_pdf: Path | None = None, fee_pdf: Path | None = None) -> dict[str, Any]:
    a = d.applicant
    return {
        "code": d.code,
        "official_code": d.official_code,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant_name": a.name,
        "id_number": a.id_number,
        "phone": a.phone,
        "channel": d.channel.value,
        "status": d.status.value,
        "received_at": d.received_at.isoformat(timespec="seconds"),
        "due_at": d.due_at.isoformat(timespec="seconds"),
        "due_reason": d.due_reason,
        "fee_vnd": d.fee_vnd,
        "ledger": f"{d.ledger_year}/Q{d.desk_no}-{d.ledger_no}",
        "receipt_pdf": str(receipt_pdf) if receipt_pdf else None,
        "fee_receipt_pdf": str(fee_pdf) if fee_pdf else None,
    }


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(human)


def _receipt_path(args: argparse.Namespace, db_path: Path, code: str, suffix: str = "") -> Path:
    pdf: Path | None = args.pdf
    if pdf:
        return pdf
    return db_path.parent / "receipts" / f"{code}{suffix}.pdf"


def _run(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    command = args.command
    if command == "init":
        profile = desk.initialise(
            commune=args.commune, authority=args.authority, unit_code=args.unit_code,
            desk_no=args.desk, place=args.place, unit_name=args.unit_name, paper=args.paper,
        )
        _emit(args, {"database": str(db_path), "unit_code": profile.unit_code, "desk": profile.desk_no},
              f"Đã cài đặt quầy {profile.desk_no} của {profile.commune} ({profile.unit_code}) tại {db_path}.")
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
            return
        try:
            receipt, fee = write_printout(print_receipt(desk, d.code, slip=slip), _receipt_path(args, db_path, d.code))
        except Exception as exc:
            log.exception("receipt failed after commit")
            raise PrintFailed(d.code, exc) from exc
        _emit(args, dossier_json(d, receipt, fee),
              f"Đã tiếp nhận hồ sơ {d.code}; hẹn trả {d.due_at:%H:%M %d/%m/%Y} ({d.due_reason}).\n"
              + (f"Giấy tiếp nhận: {receipt}" if receipt else "Không in giấy hẹn (trả ngay tại quầy).")
              + (f"\nBiên lai: {fee}" if fee else ""))
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
        d = desk.view_dossier(args.code, purpose="cli.show")
        _emit(args, dossier_json(d), f"{d.code}  {d.applicant.name}  {d.procedure_name}  "
              f"nhận {d.received_at:%H:%M %d/%m/%Y}  hẹn {d.due_at:%H:%M %d/%m/%Y}  {d.status.label}")
    elif command in LIFECYCLE_COMMANDS:
        change = lifecycle.apply(desk, args.code, LIFECYCLE_COMMANDS[command][0], note=getattr(args, "reason", ""),
                                 at=args.at)
        d = desk.dossier(change.code)
        timeliness = ledger.judge(d.status, d.due_at, d.finished_at, ledger.window(desk))
        _emit(args, {**dossier_json(d), "timeliness": timeliness.value if timeliness else None,
                     "finished_at": d.finished_at.isoformat(timespec="seconds") if d.finished_at else None},
              f"Hồ sơ {d.code}: {change.before.label} → {change.after.label} lúc {change.at:%H:%M %d/%m/%Y}"
              + (f" ({ledger.TIMELINESS_LABELS[timeliness]})." if timeliness else "."))
    elif command == "print":
        printout = print_receipt(desk, args.code)
        receipt, fee = write_printout(printout, _receipt_path(args, db_path, printout.code, f"-in-lan-{printout.print_count}"))
        _emit(args, {"code": printout.code, "receipt_pdf": str(receipt), "fee_receipt_pdf": str(fee) if fee else None,
                     "reprint": printout.reprint}, f"Đã in {'lại ' if printout.reprint else ''}giấy tiếp nhận: {receipt}")
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
    elif command == "catalog":
        catalogue = desk.import_catalogue(args.file)
        _emit(args, {"version": catalogue.version, "procedures": len(catalogue.procedures)},
              f"Đã nhập danh mục {catalogue.version}: {len(catalogue.procedures)} thủ tục.")
    elif command == "backup":
        made = backup_to(desk, args.destination)
        _emit(args, {"backup": str(made.path), "dossiers": made.dossiers},
              f"Đã sao lưu {made.dossiers} hồ sơ vào {made.path} (đã kiểm tra bản sao).")


def _fail(args: argparse.Namespace, code: str, message: str, problems: list[dict[str, Any]], exit_code: int) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": code, "message": message, "problems": problems}, ensure_ascii=False))
    return exit_code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "hub":
        return run_hub(args)
    db_path = args.db or AppPaths.from_environment().database
    try:
        store = Store.open(db_path)
    except StoreError as exc:
        return _fail(args, exc.code, exc.message, [], EXIT_ENVIRONMENT)
    try:
        desk = Desk(store, actor=getpass.getuser())
        if args.command != "init" and args.command != "backup" and not desk.configured:
            desk.profile()  # raises NotConfigured with the Vietnamese hint
        _run(args, desk, db_path)
        return 0
    except ValidationErrors as exc:
        return _fail(args, exc.code, exc.message,
                     [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors], EXIT_BAD_INPUT)
    except DomainError as exc:
        return _fail(args, exc.code, exc.message, [{"field": exc.field, "code": exc.code, "message": exc.message}],
                     EXIT_BAD_INPUT)
    except (CatalogueError, ScheduleError) as exc:
        problems = [{"line": line, "message": msg} for line, msg in exc.problems]
        return _fail(args, "invalid_file", "tệp có dòng không hợp lệ, không nhập gì:\n" + str(exc), problems,
                     EXIT_BAD_INPUT)
    except StoreError as exc:
        return _fail(args, exc.code, exc.message, [], EXIT_ENVIRONMENT)
    except GuidancePrintFailed as exc:
        return _fail(args, "print_failed",
                     f"Phiếu {exc.code} ĐÃ ĐƯỢC GHI NHẬN, nhưng không tạo được tệp PDF ({exc.cause}).", [],
                     EXIT_ENVIRONMENT)
    except PrintFailed as exc:
        return _fail(args, "print_failed",
                     f"Hồ sơ {exc.code} ĐÃ ĐƯỢC LƯU, nhưng không tạo được giấy tiếp nhận ({exc.cause}). "
                     f"In lại bằng: desk-app print {exc.code}", [], EXIT_ENVIRONMENT)
    except OSError as exc:
        return _fail(args, "os_error", f"Không ghi/đọc được tệp: {exc.strerror or exc}", [], EXIT_ENVIRONMENT)
    except Exception as exc:  # a bug: say so plainly, keep the trace for the maintainer
        log.exception("unexpected error")
        return _fail(args, "bug", f"Lỗi không mong đợi của phần mềm ({type(exc).__name__}: {exc}). "
                     "Dữ liệu đã lưu không bị ảnh hưởng; hãy báo cho người bảo trì.", [], EXIT_BUG)
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
