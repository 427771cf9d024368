"""``desk-app report`` and ``desk-app ledger-export``: the period report and the ledger's list, as
JSON, Excel or PDF. Both only read the database (main.READS opens it read-only)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from desk_app.domain.dates import parse_date
from desk_app.domain.errors import DomainError
from desk_app.domain.period_report import PeriodReport, report_json
from desk_app.domain.tables import Kind, display
from desk_app.services import reports
from desk_app.services.desk import Desk

REPORT_COMMANDS = ("report", "ledger-export")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])|[Qq]([1-4])[-/](\d{4})")


def date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _month(text: str) -> tuple[dt.date, dt.date]:
    """"2026-10" or "10/2026": the whole month."""
    found = _MONTH.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"tháng «{text}» phải có dạng 2026-10 hoặc 10/2026")
    year, month = (int(found[1]), int(found[2])) if found[1] else (int(found[4]), int(found[3]))
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"không có tháng {month}")
    return _span(year, month, 1)


def _quarter(text: str) -> tuple[dt.date, dt.date]:
    """"2026-Q4", "2026Q4" or "Q4/2026": the quarter's three months."""
    found = _QUARTER.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"quý «{text}» phải có dạng 2026-Q4 hoặc Q4/2026")
    year, quarter = (int(found[1]), int(found[2])) if found[1] else (int(found[4]), int(found[3]))
    return _span(year, 3 * quarter - 2, 3)


def _year(text: str) -> tuple[dt.date, dt.date]:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"năm «{text}» phải có 4 chữ số")
    return _span(int(text), 1, 12)


def _span(year: int, month: int, months: int) -> tuple[dt.date, dt.date]:
    end_year, end_month = year + (month + months - 1) // 12, (month + months - 1) % 12 + 1
    return dt.date(year, month, 1), dt.date(end_year, end_month, 1) - dt.timedelta(days=1)


def add_report_commands(sub: Any) -> None:
    """Add ``report`` and ``ledger-export`` to the top-level subparsers ``sub``."""
    p = sub.add_parser("report", help="báo cáo tình hình, kết quả giải quyết hồ sơ của một kỳ (tháng, quý, năm, "
                       "khoảng ngày) và các chỉ số QĐ 766: JSON, Excel hoặc PDF")
    _period_options(p)
    p.add_argument("--format", choices=["text", "json", "xlsx", "pdf"], default="text",
                   help="text (mặc định: tóm tắt), json, xlsx (Excel, mỗi bảng một trang tính) hoặc pdf (A4 ngang)")
    p.add_argument("--out", type=Path, metavar="TỆP", help="tệp cần ghi (mặc định: tóm tắt và JSON ra màn hình; "
                   "Excel/PDF vào thư mục hiện tại, tên theo kỳ báo cáo)")
    p.add_argument("--json", action="store_true", help="như --format json")
    p = sub.add_parser("ledger-export", help="xuất danh sách hồ sơ của sổ theo dõi trong một kỳ ra Excel hoặc PDF")
    _period_options(p)
    p.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx", help="xlsx (mặc định) hoặc pdf (A4 ngang)")
    p.add_argument("--out", type=Path, metavar="TỆP", help="tệp cần ghi (mặc định: thư mục hiện tại, tên theo kỳ)")
    p.add_argument("--json", action="store_true")


def _period_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="first", type=date_arg, metavar="NGÀY", help="từ ngày: 01/10/2026 hoặc 2026-10-01")
    p.add_argument("--to", dest="last", type=date_arg, metavar="NGÀY", help="đến ngày (tính cả ngày này)")
    p.add_argument("--month", type=_month, metavar="THÁNG", help="cả một tháng: 2026-10 hoặc 10/2026")
    p.add_argument("--quarter", type=_quarter, metavar="QUÝ", help="cả một quý: 2026-Q4 hoặc Q4/2026")
    p.add_argument("--year", type=_year, metavar="NĂM", help="cả một năm: 2026")


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    spans = [s for s in (args.month, args.quarter, args.year) if s is not None]
    ranged = args.first is not None or args.last is not None
    if len(spans) + ranged != 1 or (ranged and (args.first is None or args.last is None)):
        raise DomainError("period_required", "Hãy chọn đúng một kỳ: --from NGÀY --to NGÀY, hoặc --month, "
                                             "--quarter, --year.", field="from")
    return spans[0] if spans else (args.first, args.last)


def run_report(args: argparse.Namespace, desk: Desk) -> None:
    first, last = _period(args)
    if args.command == "ledger-export":
        fmt = reports.Format(args.format)
        path = args.out or Path(f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}.{fmt.value}")
        reports.write_file(path, reports.ledger_file(desk, first, last, fmt))
        _say(args, {"file": str(path), "format": fmt.value},
             f"Đã xuất danh sách hồ sơ nhận từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} vào {path}.")
        return
    report = reports.period_report(desk, first, last)
    shape = "json" if args.json else args.format
    if shape == "text":
        content = summary(report).encode() + b"\n"
    elif shape == "json":
        content = json.dumps(report_json(report), ensure_ascii=False, indent=1).encode() + b"\n"
    else:
        content = reports.report_file(desk, report, reports.Format(shape))
    if args.out is None and shape in ("text", "json"):
        print(content.decode(), end="")
        return
    path = args.out or Path(f"bao-cao-{first:%Y%m%d}-{last:%Y%m%d}.{'txt' if shape == 'text' else shape}")
    reports.write_file(path, content)
    print(f"Đã ghi báo cáo từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} vào {path}.")


def _say(args: argparse.Namespace, data: dict[str, Any], human: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else human)


def summary(report: PeriodReport) -> str:
    """The report in a few Vietnamese lines, for a person at the terminal."""
    c, p = report.totals, report.period

    def n(value: int) -> str:
        return display(value, Kind.COUNT)

    lines = [
        f"Báo cáo {report.unit}, từ {p.first:%d/%m/%Y} đến {p.last:%d/%m/%Y} "
        f"(hồ sơ đang giải quyết xét hạn lúc {p.judged_at:%H:%M %d/%m/%Y})",
        f"Tiếp nhận: {n(c.received_total)} (kỳ trước chuyển qua {n(c.received_carried_over)}, mới {n(c.received_new)}: "
        f"trực tiếp {n(c.received_direct)}, trực tuyến {n(c.received_online)}, bưu chính {n(c.received_postal)})",
        f"Đã giải quyết: {n(c.resolved_total)} (trước hạn {n(c.resolved_early)}, đúng hạn {n(c.resolved_on_time)}, "
        f"quá hạn {n(c.resolved_late)})",
        f"Đang giải quyết: {n(c.in_progress_total)} (trong hạn {n(c.in_progress_on_time)}, "
        f"quá hạn {n(c.in_progress_overdue)}); chờ bổ sung {n(c.paused)}",
        f"Yêu cầu bổ sung {n(c.supplement_requested)}, từ chối {n(c.refused)}, rút {n(c.withdrawn)}, "
        f"dừng {n(c.stopped)}, đã trả kết quả {n(c.returned)}",
    ]
    for i in report.indicators:
        value = display(i.value, Kind.PERCENT if i.unit == "%" else Kind.DAYS) if i.value is not None else i.note
        lines.append(f"Chỉ số {i.code} {i.name}: {value}{' ngày' if i.unit == 'ngày' and i.value is not None else ''}")
    if report.ratings is not None:
        given = ", ".join(f"{label} {n(count)}" for label, count, _ in report.ratings.rows())
        lines.append(f"Đánh giá khi trả kết quả: {n(report.ratings.total)} lượt ({given})")
    return "\n".join(lines)
