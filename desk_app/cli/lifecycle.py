"""The lifecycle on the command line: forward, result, return, withdraw, supplement, supplemented,
refuse, apologize, stop; the control slip and the ledger book; the rating scale.

A step that prints a paper (Mẫu 02–05, or the new slip after a supplement) records the step
first; the paper is then saved (``--pdf``, default ``papers/`` beside the database) and/or sent
to the printer (``--print``). A paper that fails after the commit loses nothing: the message
names the command that prints it again.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk_app.cli import papers
from desk_app.cli.output import PrintFailed, dossier_json, emit
from desk_app.cli.parser import MOMENT_EXAMPLE, VietnameseParser, date, missing_paper, moment
from desk_app.domain.catalogue import DocForm
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.domain.timeliness import PUBLIC_NAMES
from desk_app.services import ledger, lifecycle
from desk_app.services.alerts import alerts, set_soon_working_days
from desk_app.services.desk import Desk
from desk_app.services.guidance import missing_documents
from desk_app.services.lifecycle_papers import (
    PAPER_NAMES, deliver_book, form_no, ledger_book, paper_of, prepare_paper,
)
from desk_app.services.printouts import Printout
from desk_app.services.spooler import SpoolError
from desk_app.store.lifecycle import PLAIN_ACTIONS, StatusChange

log = logging.getLogger(__name__)

STEP_PAPERS_BY_NAME = PAPER_NAMES  # the names `desk-app print --paper` takes beyond the slip and fee receipt
PAPER_HELP = ", ".join(f"{name} (Mẫu {form_no(paper)})" for name, paper in PAPER_NAMES.items())
_FILE_NAMES = {Paper.RECEIPT: "giay-tiep-nhan-moi", Paper.SUPPLEMENT_REQUEST: "mau-02-yeu-cau-bo-sung",
               Paper.REFUSAL: "mau-03-tu-choi", Paper.APOLOGY: "mau-04-xin-loi",
               Paper.STOP_NOTICE: "mau-05-dung-giai-quyet", Paper.CONTROL_SLIP: "mau-06-phieu-kiem-soat"}
_PRINT_NAMES = {Paper.RECEIPT: "receipt", **{paper: name for name, paper in PAPER_NAMES.items()}}

Step = Callable[[argparse.Namespace, Desk], StatusChange]


@dataclass(frozen=True)
class Command:
    help: str
    step: Step
    reason: str = ""  # help of --reason; "" when the step takes none


def _supplement(args: argparse.Namespace, desk: Desk) -> StatusChange:
    dossier = desk.dossier(args.code)
    return lifecycle.request_supplement(desk, args.code, reason=args.reason, at=args.at,
                                        missing=missing_documents(desk, dossier.procedure_code, args.missing))


COMMANDS: dict[str, Command] = {
    "forward": Command("chuyển hồ sơ cho người/cơ quan giải quyết (--to: ai, cơ quan nào nhận)",
                       lambda a, d: lifecycle.apply(d, a.code, Action.FORWARD, at=a.at, to=a.to or "")),
    "result": Command("ghi nhận hồ sơ đã có kết quả",
                      lambda a, d: lifecycle.apply(d, a.code, Action.RECORD_RESULT, at=a.at)),
    "return": Command("trả kết quả cho người nộp hoặc người được ủy quyền; bản chính trả lại; đánh giá",
                      lambda a, d: lifecycle.return_result(d, a.code, recipient=a.recipient,
                                                           authorisation=a.authorization, originals=a.original or (),
                                                           rating=a.rating, at=a.at)),
    "withdraw": Command("người nộp rút hồ sơ (cần --reason)",
                        lambda a, d: lifecycle.apply(d, a.code, Action.WITHDRAW, note=a.reason, at=a.at),
                        "lý do rút hồ sơ"),
    "supplement": Command("yêu cầu bổ sung, hoàn thiện hồ sơ đã tiếp nhận (Mẫu 02): một lần, đầy đủ; tạm dừng "
                          "thời hạn", _supplement, "lý do yêu cầu bổ sung"),
    "supplemented": Command("đã nhận đủ hồ sơ bổ sung: thời hạn tính lại từ đầu, in giấy tiếp nhận mới",
                            lambda a, d: lifecycle.receive_supplement(d, a.code, at=a.at, due_at=a.due_at)),
    "refuse": Command("từ chối giải quyết hồ sơ (Mẫu 03, cần --reason)",
                      lambda a, d: lifecycle.refuse(d, a.code, reason=a.reason, at=a.at), "lý do từ chối"),
    "apologize": Command("xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): một lần, chậm nhất một ngày làm việc "
                         "trước ngày hẹn; lãnh đạo ký",
                         lambda a, d: lifecycle.apologize(d, a.code, reason=a.reason, new_due=a.new_due, at=a.at,
                                                          signed_off_by=a.signed_off_by),
                         "lý do chậm trễ"),
    "stop": Command("dừng giải quyết hồ sơ (Mẫu 05, cần --reason)",
                    lambda a, d: lifecycle.stop(d, a.code, reason=a.reason, at=a.at), "lý do dừng giải quyết"),
}
OTHERS = {"control-slip", "ledger-book", "alerts"}
# The paper each command's step prints (options --pdf, --print, --printer).
STEP_PAPER_OF = {"supplement": Paper.SUPPLEMENT_REQUEST, "supplemented": Paper.RECEIPT, "refuse": Paper.REFUSAL,
                 "apologize": Paper.APOLOGY, "stop": Paper.STOP_NOTICE}


def _paper_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--pdf", type=Path, help=f"lưu {what} PDF vào đây (mặc định khi không có --print: thư mục "
                   "papers/ cạnh cơ sở dữ liệu)")
    p.add_argument("--print", action="store_true", help="in ra máy in của quầy (không lưu tệp trừ khi có --pdf)")
    p.add_argument("--printer", help="tên máy in (mặc định: máy in đã chọn cho quầy, hoặc máy in mặc định)")


def add_commands(sub: Any) -> None:
    """The lifecycle subcommands, on the main parser's subparsers."""
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help)
        p.add_argument("code", help="mã hồ sơ")
        if command.reason:
            # Not required by argparse: the domain refuses a missing reason in Vietnamese, with exit 2.
            p.add_argument("--reason", default="", help=command.reason)
        p.add_argument("--at", type=moment, help=f"thời điểm ghi nhận, ví dụ {MOMENT_EXAMPLE} (mặc định: bây giờ)")
        if name == "forward":
            p.add_argument("--to", help="người hoặc cơ quan nhận hồ sơ để giải quyết (ghi trên phiếu kiểm soát)")
        elif name == "return":
            p.add_argument("--recipient", help="người nhận kết quả (mặc định: người nộp hồ sơ)")
            p.add_argument("--authorization", help="giấy ủy quyền (số, ngày, nơi chứng thực), bắt buộc khi người "
                           "nhận không phải người nộp")
            p.add_argument("--original", action="append", help="bản chính trả lại cho người nhận (lặp lại được)")
            p.add_argument("--rating", help="đánh giá của người dân: số thứ tự hoặc tên mức trong thang "
                           "(xem: desk-app settings rating-scale)")
        elif name == "supplement":
            p.add_argument("--missing", type=missing_paper, action="append", required=True,
                           help='giấy tờ cần bổ sung "Tên giấy tờ|hình thức|số lượng" (lặp lại được; hình thức: '
                                + ", ".join(f.value for f in DocForm) + ")")
        elif name == "supplemented":
            p.add_argument("--due-at", type=moment, help="ngày hẹn trả mới, chỉ khi danh mục chưa có thời hạn")
        elif name == "apologize":
            p.add_argument("--new-due", type=moment, required=True, help=f"ngày hẹn trả mới, ví dụ {MOMENT_EXAMPLE}")
            p.add_argument("--signed-off-by", help="lãnh đạo ký phiếu (mặc định: người dùng hiện tại)")
        paper = STEP_PAPER_OF.get(name)
        if paper is not None:
            _paper_options(p, f"{paper.label.lower()}")
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("control-slip", help="in phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)")
    p.add_argument("code", help="mã hồ sơ")
    _paper_options(p, "phiếu")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("ledger-book", help="in sổ theo dõi hồ sơ (Mẫu 07) của một khoảng thời gian, A4 ngang")
    p.add_argument("--from", dest="first", type=date, required=True, help="từ ngày tiếp nhận (04/03/2026)")
    p.add_argument("--to", dest="last", type=date, required=True, help="đến ngày tiếp nhận (kể cả ngày này)")
    _paper_options(p, "sổ")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("alerts", help="hồ sơ cần chú ý: quá hạn, đến hạn hôm nay, sắp đến hạn, chờ bổ sung, cần xin "
                       "lỗi và hẹn lại khi còn kịp")
    p.add_argument("--json", action="store_true")


def add_settings(settings: Any) -> None:
    p: VietnameseParser = settings.add_parser(
        "rating-scale", help="thang đánh giá của người dân khi nhận kết quả, mức tốt nhất trước (không có tham số: "
        "xem)")
    p.add_argument("labels", nargs="*", help='các mức, ví dụ "Rất hài lòng" "Hài lòng" "Không hài lòng"')
    p.add_argument("--json", action="store_true")
    p = settings.add_parser("due-soon", help="báo «sắp đến hạn» khi còn N ngày làm việc (mặc định 2; không có "
                            "tham số: xem)")
    p.add_argument("days", nargs="?", type=int, help="số ngày làm việc, từ 1 đến 10")
    p.add_argument("--json", action="store_true")


def handles(args: argparse.Namespace) -> bool:
    return args.command in COMMANDS or args.command in OTHERS or (
        args.command == "settings" and args.settings_command in ("rating-scale", "due-soon"))


def run(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    if args.command == "settings" and args.settings_command == "due-soon":
        days = set_soon_working_days(desk, args.days) if args.days is not None else ledger.soon_days(desk)
        emit(args, {"due_soon_working_days": days}, f"Báo sắp đến hạn khi còn {days} ngày làm việc.")
    elif args.command == "alerts":
        _alerts(args, desk)
    elif args.command == "settings":
        scale = lifecycle.set_rating_scale(desk, args.labels) if args.labels else lifecycle.rating_scale(desk)
        emit(args, {"rating_scale": list(scale)},
             "Thang đánh giá: " + ", ".join(f"{i}. {label}" for i, label in enumerate(scale, start=1)) + ".")
    elif args.command == "control-slip":
        _deliver(args, desk, db_path, prepare_paper(desk, args.code, Paper.CONTROL_SLIP), {})
    elif args.command == "ledger-book":
        _ledger_book(args, desk, db_path)
    else:
        _step(args, desk, db_path)


def _step(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    change = COMMANDS[args.command].step(args, desk)
    d = desk.dossier(change.code)
    timeliness = ledger.judge(d.status, d.due_at, d.finished_at, ledger.window(desk))
    data = {**dossier_json(d), "timeliness": PUBLIC_NAMES[timeliness] if timeliness else None,
            "finished_at": d.finished_at.isoformat(timespec="seconds") if d.finished_at else None,
            "step": change.action.value if change.action else None}
    moved = f"{change.before.label} → {change.after.label}"
    if change.action is not None and change.action not in PLAIN_ACTIONS:
        moved = f"{change.action.label} ({moved})"
    line = f"Hồ sơ {d.code}: {moved} lúc {change.at:%H:%M %d/%m/%Y}"
    line += f" ({ledger.TIMELINESS_LABELS[timeliness]})." if timeliness else "."
    if change.due_at is not None:
        line += f"\nHẹn trả mới: {d.due_at:%H:%M %d/%m/%Y} ({d.due_reason})."
    paper = paper_of(change)
    if paper is None:
        emit(args, data, line)
        return
    # The step is committed: a paper that fails now loses nothing and is printed again with `print`.
    retry = f"desk-app print {d.code} --paper {_PRINT_NAMES[paper]}"
    try:
        printout = prepare_paper(desk, d.code, paper)
    except Exception as exc:
        log.exception("paper of %s failed after commit", d.code)
        raise PrintFailed(d.code, exc, retry) from exc
    _deliver(args, desk, db_path, printout, data, line, retry)


def _deliver(args: argparse.Namespace, desk: Desk, db_path: Path, printout: Printout, data: dict[str, Any],
             line: str = "", retry: str = "") -> None:
    paper = printout.copies[0].paper
    path = args.pdf
    if path is None and not args.print:
        path = db_path.parent / "papers" / f"{printout.code}-{_FILE_NAMES[paper]}.pdf"
    try:
        delivery = papers.send(args, desk, printout, receipt_path=path, to_printer=args.print)
    except (SpoolError, OSError) as exc:
        if not retry:
            raise
        raise PrintFailed(printout.code, exc, retry) from exc
    lines = papers.delivery_lines(printout, delivery)
    emit(args, {**data, "code": printout.code, "paper": paper.value, "pdf": str(delivery.files.get(paper) or "") or None,
                **papers.delivery_json(printout, delivery)},
         "\n".join(filter(None, [line, *lines])))


def reprint(args: argparse.Namespace, desk: Desk) -> None:
    """`desk-app print CODE --paper refusal …`: a step paper again (marked BẢN IN LẠI)."""
    printout = prepare_paper(desk, args.code, PAPER_NAMES[args.paper])
    to_printer = args.pdf is None or args.printer is not None
    delivery = papers.send(args, desk, printout, receipt_path=args.pdf, to_printer=to_printer)
    paper = printout.copies[0].paper
    emit(args, {"code": printout.code, "paper": paper.value, "pdf": str(delivery.files[paper])
                if paper in delivery.files else None, **papers.delivery_json(printout, delivery)},
         f"Hồ sơ {printout.code}:\n" + "\n".join(papers.delivery_lines(printout, delivery)))


def _alerts(args: argparse.Namespace, desk: Desk) -> None:
    found = alerts(desk)
    lines = [found.text]
    lines += [f"  Xin lỗi, hẹn lại chậm nhất ngày {r.last_day:%d/%m/%Y}: {r.code} {r.applicant_name} "
              f"(hẹn trả {r.due_at:%H:%M %d/%m/%Y})" for r in found.apologies]
    emit(args, {"at": found.at.isoformat(timespec="seconds"), "due_soon_working_days": found.soon_working_days,
                "counts": dict(found.counts),
                "apologies": [{"code": r.code, "applicant_name": r.applicant_name,
                               "due_at": r.due_at.isoformat(timespec="seconds"), "last_day": r.last_day.isoformat()}
                              for r in found.apologies]},
         "\n".join(lines))


def _ledger_book(args: argparse.Namespace, desk: Desk, db_path: Path) -> None:
    book = ledger_book(desk, args.first, args.last)
    path = args.pdf
    if path is None and not args.print:
        path = db_path.parent / "papers" / f"so-theo-doi-{book.first:%Y%m%d}-{book.last:%Y%m%d}.pdf"
    job = deliver_book(desk, book, path=path, to_printer=args.print,
                       printer=(args.printer or desk.printer()) if args.print else None)
    done = [f"đã lưu tệp {path}"] if path else []
    if job is not None:
        done.append(f"đã gửi tới máy in {job.printer}" + (f" (lệnh in {job.job_id})" if job.job_id else ""))
    emit(args, {"from": book.first.isoformat(), "to": book.last.isoformat(), "entries": book.entries,
                "reprint": book.reprint, "pdf": str(path) if path else None, "printer": job.printer if job else None,
                "job_id": job.job_id if job else None},
         f"Sổ theo dõi hồ sơ từ {book.first:%d/%m/%Y} đến {book.last:%d/%m/%Y}"
         + (" (bản in lại)" if book.reprint else "") + f": {book.entries} hồ sơ; "
         + ", ".join(done) + ".")

