"""Tables for people: Vietnamese headers, typed columns. The period report and the ledger become
tables here, once; the Excel and PDF writers (desk_app.printing) only lay them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Union

from desk_app.domain.indicators import Indicator
from desk_app.domain.period_report import Group, PeriodReport
from desk_app.domain.statistics import Counts

Cell = Union[str, int, float, dt.datetime, dt.date, None]


class Kind(str, Enum):
    TEXT = "text"
    COUNT = "count"  # whole numbers: 1.234
    DAYS = "days"  # 2 decimals: 3,88
    PERCENT = "percent"  # given as 0–100: 62,5%
    MONEY = "money"  # đồng: 10.000
    MOMENT = "moment"  # 09:15 23/11/2026


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 1.0  # relative width (PDF) and characters / 10 (Excel)
    group: str = ""  # a header spanning neighbouring columns with the same group


@dataclass(frozen=True)
class Table:
    """One sheet of the workbook, one section of the PDF. ``total`` rows are shown in bold."""

    name: str  # the sheet's name (≤ 31 characters)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: int = 0  # how many rows at the end are totals
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.name) > 31:
            raise ValueError(f"sheet name too long: {self.name}")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.name}: a row has {len(row)} cells for {len(self.columns)} columns")


RECEIVED, RESOLVED, RUNNING = "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"
COUNT_COLUMNS = (
    Column("Tổng số", Kind.COUNT, 0.55, RECEIVED),
    Column("Kỳ trước chuyển qua", Kind.COUNT, 0.7, RECEIVED),
    Column("Mới trong kỳ", Kind.COUNT, 0.6, RECEIVED),
    Column("Trực tiếp", Kind.COUNT, 0.6, RECEIVED),
    Column("Trực tuyến", Kind.COUNT, 0.6, RECEIVED),
    Column("Bưu chính", Kind.COUNT, 0.6, RECEIVED),
    Column("Tổng số", Kind.COUNT, 0.55, RESOLVED),
    Column("Trước hạn", Kind.COUNT, 0.6, RESOLVED),
    Column("Đúng hạn", Kind.COUNT, 0.6, RESOLVED),
    Column("Quá hạn", Kind.COUNT, 0.6, RESOLVED),
    Column("Tổng số", Kind.COUNT, 0.55, RUNNING),
    Column("Trong hạn", Kind.COUNT, 0.6, RUNNING),
    Column("Quá hạn", Kind.COUNT, 0.6, RUNNING),
    Column("Chờ bổ sung", Kind.COUNT, 0.65),
    Column("Yêu cầu bổ sung", Kind.COUNT, 0.7),
    Column("Từ chối", Kind.COUNT, 0.55),
    Column("Rút hồ sơ", Kind.COUNT, 0.55),
    Column("Dừng giải quyết", Kind.COUNT, 0.65),
    Column("Đã trả kết quả", Kind.COUNT, 0.6),
    Column("Thời gian TB (ngày)", Kind.DAYS, 0.7),
)


def count_cells(c: Counts) -> tuple[Cell, ...]:
    return (c.received_total, c.received_carried_over, c.received_new, c.received_direct, c.received_online,
            c.received_postal, c.resolved_total, c.resolved_early, c.resolved_on_time, c.resolved_late,
            c.in_progress_total, c.in_progress_on_time, c.in_progress_overdue, c.paused, c.supplement_requested,
            c.refused, c.withdrawn, c.stopped, c.returned, c.average_processing_days)


def _breakdown(name: str, title: str, label: Sequence[Column], groups: Sequence[Group], totals: Counts) -> Table:
    rows = []
    for number, g in enumerate(groups, start=1):
        head: tuple[Cell, ...] = (number, g.key, g.label) if len(label) == 3 else (number, g.label)
        rows.append(head + count_cells(g.counts))
    total_head: tuple[Cell, ...] = ("", "", "Tổng cộng") if len(label) == 3 else ("", "Tổng cộng")
    rows.append(total_head + count_cells(totals))
    return Table(name, title, (*label, *COUNT_COLUMNS), tuple(rows), total_rows=1)


def _indicator_row(i: Indicator) -> tuple[Cell, ...]:
    value: Cell = i.value if i.value is not None else "chưa có dữ liệu" if "chưa có dữ liệu" in i.note else "—"
    return (i.code, i.name, i.formula, i.numerator, i.denominator, value, i.unit, i.note)


def report_tables(report: PeriodReport) -> list[Table]:
    """The report's tables: summary by field, by procedure, the QĐ 766 indicators, the ratings."""
    by_field = _breakdown(
        "Tổng hợp", "Tình hình, kết quả giải quyết thủ tục hành chính theo lĩnh vực",
        (Column("STT", Kind.COUNT, 0.45), Column("Lĩnh vực", Kind.TEXT, 2.2)), report.by_field, report.totals)
    by_procedure = _breakdown(
        "Theo thủ tục", "Chi tiết theo thủ tục hành chính",
        (Column("STT", Kind.COUNT, 0.45), Column("Mã thủ tục", Kind.TEXT, 0.9), Column("Tên thủ tục", Kind.TEXT, 2.6)),
        report.by_procedure, report.totals)
    indicators = Table(
        "Chỉ số QĐ 766", "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) lấy từ dữ liệu của quầy",
        (Column("Chỉ số", Kind.TEXT, 0.45), Column("Tên chỉ số", Kind.TEXT, 1.9), Column("Công thức", Kind.TEXT, 4.2),
         Column("Tử số", Kind.DAYS, 0.6), Column("Mẫu số", Kind.COUNT, 0.6), Column("Giá trị", Kind.DAYS, 0.75),
         Column("Đơn vị", Kind.TEXT, 0.5), Column("Ghi chú", Kind.TEXT, 2.0)),
        tuple(_indicator_row(i) for i in report.indicators))
    if report.ratings is None:
        rating_rows: tuple[tuple[Cell, ...], ...] = ()
        note = "Chưa có dữ liệu: quầy chưa ghi nhận đánh giá của người dân khi trả kết quả."
    else:
        rating_rows = tuple((label, n, share) for label, n, share in report.ratings.rows())
        rating_rows += (("Tổng cộng", report.ratings.total, 100.0 if report.ratings.total else None),)
        note = f"Giá trị ngoài thang đánh giá: {report.ratings.other}." if report.ratings.other else ""
    ratings = Table("Đánh giá", "Đánh giá của người dân khi nhận kết quả trong kỳ",
                    (Column("Mức đánh giá", Kind.TEXT, 2.0), Column("Số lượt", Kind.COUNT, 0.8),
                     Column("Tỷ lệ", Kind.PERCENT, 0.8)),
                    rating_rows, total_rows=1 if rating_rows else 0, note=note)
    return [by_field, by_procedure, indicators, ratings]


def communes_table(communes: Sequence[tuple[str, Counts]]) -> Table:
    """Communes in the order given (ranked by the caller), with their on-time rate (2.1)."""
    rows = tuple((rank, unit, c.received_total, c.resolved_total, c.resolved_early + c.resolved_on_time,
                  c.resolved_late, c.in_progress_on_time, c.in_progress_overdue, c.paused, c.on_time_rate,
                  c.average_processing_days)
                 for rank, (unit, c) in enumerate(communes, start=1))
    return Table("Xếp hạng đơn vị", "Các đơn vị xếp theo tỷ lệ giải quyết đúng hạn (chỉ số 2.1)", (
        Column("Hạng", Kind.COUNT, 0.45), Column("Mã đơn vị", Kind.TEXT, 1.3), Column("Tiếp nhận", Kind.COUNT, 0.7),
        Column("Đã giải quyết", Kind.COUNT, 0.7), Column("Trước và đúng hạn", Kind.COUNT, 0.8),
        Column("Quá hạn", Kind.COUNT, 0.6), Column("Đang GQ trong hạn", Kind.COUNT, 0.8),
        Column("Đang GQ quá hạn", Kind.COUNT, 0.8), Column("Chờ bổ sung", Kind.COUNT, 0.7),
        Column("Tỷ lệ đúng hạn (2.1)", Kind.PERCENT, 0.8), Column("Thời gian TB (ngày)", Kind.DAYS, 0.8)), rows)


def report_subtitle(report: PeriodReport) -> str:
    p = report.period
    return (f"{report.unit} — kỳ báo cáo từ ngày {p.first:%d/%m/%Y} đến ngày {p.last:%d/%m/%Y}; hồ sơ đang giải "
            f"quyết xét hạn lúc {p.judged_at:%H:%M %d/%m/%Y}")


def display(value: Cell, kind: Kind) -> str:
    """A cell as people read it in Vietnamese: 1.234 · 3,88 · 62,5% · 10.000 · 09:15 23/11/2026."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M %d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if kind is Kind.PERCENT:
        return f"{value:.1f}".replace(".", ",") + "%"
    if kind is Kind.DAYS and isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")
