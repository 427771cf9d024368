"""Reports of the desk (issue 10): the period report and its exports, the ledger's export, the
dashboard's figures. Reads only: nothing here writes to the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError
from desk_app.domain.indicators import rating_scale
from desk_app.domain.period_report import PeriodReport, build_report, last_months
from desk_app.domain.statistics import Period, count_each
from desk_app.domain.tables import Column, Kind, Table, report_subtitle, report_tables
from desk_app.domain.timeliness import TIMELINESS_LABELS
from desk_app.domain.scans import DigitisedRule
from desk_app.services import ledger, lifecycle, scans
from desk_app.services.desk import Desk
from desk_app.store import reports as store_reports
from desk_app.store import scans as store_scans
from desk_app.store.ledger import LedgerFilter, LedgerRow, LedgerSort, SortColumn

REPORT_TITLE = "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính"
LEDGER_TITLE = "Danh sách hồ sơ tiếp nhận"
LEDGER_LIMIT = 100_000  # one export; a longer period is split (a commune receives 5–20k a year)


class Format(str, Enum):
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


def check_period(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise DomainError("bad_period", f"Ngày kết thúc ({last:%d/%m/%Y}) phải từ ngày bắt đầu "
                                        f"({first:%d/%m/%Y}) trở đi.", field="to")


def period_report(desk: Desk, first: dt.date, last: dt.date) -> PeriodReport:
    """The report of the days ``first`` … ``last``; open dossiers are judged at the period's end, or
    now when it has not ended. Ratings: those given at the returns of the period, on the commune's
    scale (5.4 and their breakdown). Digitisation (4.2): the new dossiers whose papers have scans,
    by the commune's rule (services/scans.py)."""
    check_period(first, last)
    period = Period(first, last, ledger.now(desk))
    facts = store_reports.dossier_facts(desk.store, period.start, period.end, quiet=False)
    quiet = store_reports.quiet_groups(desk.store, period.start, period.judged_at)
    profile = desk.profile()
    scale = rating_scale(lifecycle.rating_scale(desk), (f.rating for f in facts if f.rating))
    rule = scans.digitised_rule(desk)
    digitised = store_scans.digitised_received(desk.store, period.start, period.end,
                                               every_paper=rule is DigitisedRule.ALL_PAPERS)
    return build_report(facts, period, unit=f"{profile.commune} ({profile.unit_code})", scale=scale, repeated=quiet,
                        guidance_issued=store_reports.guidance_issued(desk.store, period.start, period.end),
                        digitised=digitised, digitised_rule=rule.label)


def report_file(desk: Desk, report: PeriodReport, fmt: Format) -> bytes:
    """The report as an Excel workbook or an A4 landscape PDF."""
    from desk_app.printing.report import tables_pdf  # openpyxl and reportlab load when a file is made
    from desk_app.printing.xlsx import workbook

    tables = report_tables(report)
    subtitle = report_subtitle(report)
    if fmt is Format.XLSX:
        return workbook(tables, subtitle=subtitle)
    p = report.period
    lines = [f"Kỳ báo cáo: từ ngày {p.first:%d/%m/%Y} đến ngày {p.last:%d/%m/%Y}",
             f"Hồ sơ đang giải quyết được xét hạn lúc {p.judged_at:%H:%M ngày %d/%m/%Y}"]
    if report.guidance_issued:
        lines.append(f"Phiếu hướng dẫn bổ sung hồ sơ tại quầy (không tiếp nhận) trong kỳ: {report.guidance_issued}")
    return tables_pdf(desk.profile(), title=REPORT_TITLE, lines=lines, tables=tables, day=ledger.now(desk).date())


# The ledger's export --------------------------------------------------------------------------

LEDGER_COLUMNS = (
    Column("STT", Kind.COUNT, 0.4),
    Column("Số sổ", Kind.TEXT, 0.55),
    Column("Mã hồ sơ", Kind.TEXT, 1.9),
    Column("Người nộp", Kind.TEXT, 1.4),
    Column("Thủ tục", Kind.TEXT, 2.3),
    Column("Tiếp nhận lúc", Kind.MOMENT, 0.95),
    Column("Hẹn trả", Kind.MOMENT, 0.95),
    Column("Trạng thái", Kind.TEXT, 0.95),
    Column("Có kết quả lúc", Kind.MOMENT, 0.95),
    Column("Tình trạng hạn", Kind.TEXT, 0.9),
    Column("Lệ phí (đồng)", Kind.MONEY, 0.7),
    Column("Điện thoại", Kind.TEXT, 0.85),
)


def ledger_rows(desk: Desk, first: dt.date, last: dt.date) -> list[LedgerRow]:
    """The ledger's dossiers received ``first`` … ``last``, by ledger number."""
    check_period(first, last)
    chosen = LedgerFilter(received_from=first, received_to=last)
    total = ledger.count(desk, chosen)
    if total > LEDGER_LIMIT:
        raise DomainError("too_many_rows", f"Khoảng thời gian này có {total:,} hồ sơ; mỗi lần xuất tối đa "
                          f"{LEDGER_LIMIT:,} hồ sơ, hãy chia nhỏ khoảng thời gian.".replace(",", "."))
    return ledger.page(desk, chosen, LedgerSort(SortColumn.LEDGER_NO, ascending=True), offset=0, limit=total)


def ledger_table(rows: list[LedgerRow], first: dt.date, last: dt.date) -> Table:
    cells = tuple(
        (n, f"{r.ledger_no:02d}/{r.ledger_year}", r.code, r.applicant_name, f"{r.procedure_name} ({r.procedure_code})",
         r.received_at, r.due_at, r.status.label, r.finished_at,
         TIMELINESS_LABELS[r.timeliness] if r.timeliness else "", r.fee_vnd, r.phone or "")
        for n, r in enumerate(rows, start=1))
    return Table("Sổ theo dõi", f"Hồ sơ tiếp nhận từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}",
                 LEDGER_COLUMNS, cells)


def ledger_file(desk: Desk, first: dt.date, last: dt.date, fmt: Format) -> bytes:
    """The ledger's list of the period as an Excel workbook or an A4 landscape PDF."""
    from desk_app.printing.report import tables_pdf
    from desk_app.printing.xlsx import workbook

    if fmt is Format.JSON:
        raise ValueError("the ledger exports to xlsx or pdf")
    rows = ledger_rows(desk, first, last)
    table = ledger_table(rows, first, last)
    now = ledger.now(desk)
    profile = desk.profile()
    subtitle = (f"{profile.commune} ({profile.unit_code}) — {len(rows)} hồ sơ; tình trạng hạn xét lúc "
                f"{now:%H:%M %d/%m/%Y}")
    if fmt is Format.XLSX:
        return workbook([table], subtitle=subtitle)
    return tables_pdf(profile, title=LEDGER_TITLE, lines=[subtitle], tables=[table], day=now.date(),
                      signers=("Người lập", "Thủ trưởng đơn vị"))


def write_file(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never sees half a file, an old one stays whole until then."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)


# The dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """What happened in one month: dossiers received, and resolved early or on time, or late."""

    label: str  # "11/2026"
    received_new: int
    resolved_in_time: int  # early or on time
    resolved_late: int


@dataclass(frozen=True)
class Dashboard:
    """What the window's "Thống kê" tab draws: the last months, and where open dossiers stand now."""

    months: tuple[MonthFigures, ...]
    overdue: int
    due_today: int
    due_soon: int
    paused: int
    at: dt.datetime


def dashboard(desk: Desk, *, months: int = 12) -> Dashboard:
    """The figures of the last ``months`` calendar months (one read of the facts) and of today.

    Months show what happened in them, so the dossiers quiet since before the first month (which
    can be neither received nor resolved in any of them) are not read."""
    now = ledger.now(desk)
    periods = last_months(now, months)
    facts = store_reports.dossier_facts(desk.store, periods[0].start, periods[-1].end, quiet=False)
    figures = tuple(MonthFigures(f"{p.first:%m/%Y}", c.received_new, c.resolved_early + c.resolved_on_time,
                                 c.resolved_late) for p, c in zip(periods, count_each(facts, periods)))
    due = {bucket: ledger.count(desk, LedgerFilter(due=bucket), at=now) for bucket in ledger.DUE_BUCKETS}
    paused = ledger.count(desk, LedgerFilter(statuses=(Status.SUPPLEMENT_REQUESTED,)), at=now)
    return Dashboard(figures, due["overdue"], due["due_today"], due["due_soon"], paused, now)
