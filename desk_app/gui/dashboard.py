"""The "Thống kê" tab: a period's figures and QĐ 766 indicators, charts, and the exports to Excel and PDF.

Every figure comes from services.reports on the background worker (the desk's clock, the same rules
as the command line and the hub); the tab only draws them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui import dashboard_charts as charts
from desk_app.gui.context import DeskContext

if TYPE_CHECKING:
    from desk_app.domain.indicators import Indicator
    from desk_app.domain.period_report import PeriodReport
    from desk_app.services.reports import Dashboard

CHOICES = ("Tháng này", "Tháng trước", "Quý này", "Năm nay", "Khoảng ngày…")
CUSTOM = len(CHOICES) - 1
EXPORTS = (
    ("report", "xlsx", "Báo cáo Excel…", "bao-cao"),
    ("report", "pdf", "Báo cáo PDF…", "bao-cao"),
    ("ledger", "xlsx", "Sổ theo dõi Excel…", "so-theo-doi"),
    ("ledger", "pdf", "Sổ theo dõi PDF…", "so-theo-doi"),
)


def choice_period(index: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days of a preset choice, up to today (this month, last month, this quarter, this year)."""
    first_of_month = today.replace(day=1)
    if index == 1:
        last = first_of_month - dt.timedelta(days=1)
        return last.replace(day=1), last
    if index == 2:
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1), today
    if index == 3:
        return today.replace(month=1, day=1), today
    return first_of_month, today


class DashboardPanel(QWidget):
    """Figures of the chosen period beside twelve months of charts; refreshed on demand and when shown."""

    exported = Signal(str)  # the file written

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardPanel")
        self.report: PeriodReport | None = None
        self.board: Dashboard | None = None
        self.choice = QComboBox()
        self.choice.setObjectName("periodChoice")
        self.choice.addItems(CHOICES)
        self.date_from = QDateEdit(displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.date_to = QDateEdit(displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.refresh_button = QPushButton("&Xem")
        self.refresh_button.setObjectName("dashboardRefresh")
        self.note = QLabel("Đang tính…")
        self.note.setObjectName("dashboardNote")
        self.note.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Kỳ:"))
        controls.addWidget(self.choice)
        controls.addWidget(QLabel("từ"))
        controls.addWidget(self.date_from)
        controls.addWidget(QLabel("đến"))
        controls.addWidget(self.date_to)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        self.export_buttons: dict[tuple[str, str], QPushButton] = {}
        for kind, fmt, label, _ in EXPORTS:
            button = QPushButton(label)
            button.setObjectName(f"export_{kind}_{fmt}")
            button.clicked.connect(lambda _=False, k=kind, f=fmt: self.export(k, f))
            self.export_buttons[(kind, fmt)] = button
            controls.addWidget(button)
        self.figures: dict[str, QLabel] = {}
        cards = QGridLayout()
        for column, (key, caption) in enumerate((
            ("received", "Tiếp nhận"), ("resolved", "Đã giải quyết"), ("index", "Đúng hạn (chỉ số 2.1)"),
            ("running", "Đang giải quyết"), ("paused", "Chờ bổ sung"), ("average", "Thời gian TB (2.2)"),
        )):
            value = QLabel("—")
            value.setObjectName(f"figure_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet("font-size: 20px; font-weight: bold;")
            label = QLabel(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cards.addWidget(value, 0, column)
            cards.addWidget(label, 1, column)
            self.figures[key] = value
        self.details = QLabel()
        self.details.setObjectName("dashboardDetails")
        self.details.setWordWrap(True)
        self.months_view = charts.view(charts.months_chart([], [], [], []), "monthsChart")
        self.channels_view = charts.view(charts.channels_chart("Theo kênh tiếp nhận", []), "channelsChart")
        self.today_view = charts.view(charts.today_chart("Hồ sơ đang mở hôm nay", []), "todayChart")
        grid = QGridLayout()
        grid.addWidget(self.months_view, 0, 0, 1, 2)
        grid.addWidget(self.channels_view, 1, 0)
        grid.addWidget(self.today_view, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(cards)
        layout.addWidget(self.details)
        layout.addLayout(grid, 1)
        layout.addWidget(self.note)
        self.choice.currentIndexChanged.connect(self._on_choice_current_index_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self._on_choice_current_index_changed(0)

    # period ---------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        from desk_app.services import ledger

        return ledger.now(self.ctx.desk).date()  # the desk's clock, the one the services judge by

    def _on_choice_current_index_changed(self, index: int) -> None:
        custom = index == CUSTOM
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            first, last = choice_period(index, self._today())
            self.date_from.setDate(QDate(first))
            self.date_to.setDate(QDate(last))
            self.refresh()

    def set_period(self, first: dt.date, last: dt.date) -> None:
        """Choose "Khoảng ngày…" with these days and refresh."""
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(CUSTOM)
        self.choice.blockSignals(False)
        self._on_choice_current_index_changed(CUSTOM)
        self.date_from.setDate(QDate(first))
        self.date_to.setDate(QDate(last))
        self.refresh()

    def period(self) -> tuple[dt.date, dt.date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    # loading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        from desk_app.gui.errors import show_error

        desk, (first, last) = self.ctx.desk, self.period()
        if desk is None:
            return

        def job() -> tuple[PeriodReport, Dashboard]:
            from desk_app.services import reports

            return reports.period_report(desk, first, last), reports.dashboard(desk)

        self.note.setText("Đang tính…")
        self.ctx.runner.submit(job, self._show, lambda exc: show_error(self, "Không tính được số liệu", exc))

    def _show(self, result: tuple[PeriodReport, Dashboard]) -> None:
        from desk_app.domain.tables import Kind, display

        self.report, self.board = report, board = result
        c = report.totals
        index = {i.code: i for i in report.indicators}
        rate, average = index["2.1"].value, index["2.2"].value
        self.figures["received"].setText(display(c.received_total, Kind.COUNT))
        self.figures["resolved"].setText(display(c.resolved_total, Kind.COUNT))
        self.figures["index"].setText(display(rate, Kind.PERCENT) if rate is not None else "—")
        self.figures["running"].setText(display(c.in_progress_total, Kind.COUNT))
        self.figures["paused"].setText(display(c.paused, Kind.COUNT))
        self.figures["average"].setText(f"{display(average, Kind.DAYS)} ngày" if average is not None else "—")
        self.details.setText(
            f"Tiếp nhận {c.received_total}: kỳ trước chuyển qua {c.received_carried_over}, mới {c.received_new}. "
            f"Đã giải quyết {c.resolved_total}: trước hạn {c.resolved_early}, đúng hạn {c.resolved_on_time}, "
            f"quá hạn {c.resolved_late}. Đang giải quyết {c.in_progress_total}: trong hạn {c.in_progress_on_time}, "
            f"quá hạn {c.in_progress_overdue}. Yêu cầu bổ sung {c.supplement_requested}, từ chối {c.refused}, "
            f"rút {c.withdrawn}, dừng {c.stopped}, đã trả kết quả {c.returned}. "
            + " ".join(f"Chỉ số {code}: {_shown(index[code])}." for code in ("4.2", "5.4")))
        months = board.months
        self.months_view.setChart(charts.months_chart(
            [m.label for m in months], [m.received_new for m in months], [m.resolved_in_time for m in months],
            [m.resolved_late for m in months]))
        p = report.period
        self.channels_view.setChart(charts.channels_chart(
            f"Theo kênh tiếp nhận ({p.first:%d/%m} – {p.last:%d/%m/%Y})",
            [("Trực tiếp", c.received_direct), ("Trực tuyến", c.received_online),
             ("Bưu chính", c.received_postal)]))
        self.today_view.setChart(charts.today_chart(
            f"Hồ sơ đang mở lúc {board.at:%H:%M %d/%m/%Y}",
            [("Quá hạn", board.overdue), ("Đến hạn hôm nay", board.due_today),
             ("Sắp đến hạn (2 ngày làm việc)", board.due_soon), ("Chờ bổ sung", board.paused)]))
        self.note.setText(f"Kỳ {p.first:%d/%m/%Y} – {p.last:%d/%m/%Y}; hồ sơ đang giải quyết xét hạn lúc "
                          f"{p.judged_at:%H:%M %d/%m/%Y}. Biểu đồ tháng: 12 tháng gần nhất.")

    # exports --------------------------------------------------------------------------------

    def _ask(self, suggested: str, fmt: str) -> Path | None:
        if self.ctx.ask_path is not None:
            return self.ctx.ask_path(self, suggested)
        label = "Tệp Excel (*.xlsx)" if fmt == "xlsx" else "Tệp PDF (*.pdf)"
        name, _ = QFileDialog.getSaveFileName(self, "Lưu tệp", suggested, label)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{fmt}" else path.with_suffix(f".{fmt}")

    def export(self, kind: str, fmt: str) -> None:
        """Ask where, then write the report (or the ledger's list) of the chosen period on the worker."""
        from desk_app.gui.errors import show_error

        desk, (first, last) = self.ctx.desk, self.period()
        stem = dict((k, s) for k, _, _, s in EXPORTS)[kind]
        path = self._ask(f"{stem}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}", fmt)
        if desk is None or path is None:
            return

        def job() -> Any:
            from desk_app.services import reports

            chosen = reports.Format(fmt)
            if kind == "ledger":
                data = reports.ledger_file(desk, first, last, chosen)
            else:
                data = reports.report_file(desk, reports.period_report(desk, first, last), chosen)
            reports.write_file(path, data)
            return path

        self.note.setText(f"Đang xuất {path.name}…")
        self.ctx.runner.submit(job, self._on_exported, lambda exc: show_error(self, "Không xuất được tệp", exc))

    def _on_exported(self, path: Path) -> None:
        self.note.setText(f"Đã lưu {path}.")
        self.exported.emit(str(path))


def _shown(indicator: Indicator) -> str:
    """An indicator's figure, or its note when the desk has no data for it (no number invented)."""
    from desk_app.domain.tables import Kind, display

    return display(indicator.value, Kind.PERCENT) if indicator.value is not None else indicator.note
