"""The "Thống kê" tab on the crafted October 2026: figures, charts, exports, and its place in the window."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries, QPieSeries

from desk_app.gui.dashboard import DashboardPanel, choice_period
from desk_app.gui.main_window import STATS, MainWindow
from tests.reports_data import build

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def panel(qtbot, ctx, desk, clock):
    build(desk, clock)
    widget = DashboardPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_period(*OCTOBER)
    return widget


def series_of(view, kind):
    return next(s for s in view.chart().series() if isinstance(s, kind))


def test_figures_of_the_chosen_period(panel):
    values = {key: label.text() for key, label in panel.figures.items()}
    assert values == {"received": "10", "resolved": "5", "index": "71,4%", "running": "2", "paused": "1",
                      "average": "2,26 ngày"}
    details = panel.details.text()
    assert "kỳ trước chuyển qua 2, mới 8" in details and "quá hạn 1" in details
    assert "Chỉ số 4.2: 0,0%." in details and "Chỉ số 5.4: 57,1%." in details


def test_months_chart_shows_received_and_on_time_per_month(panel):
    series = series_of(panel.months_view, QBarSeries)
    sets = {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    axis = panel.months_view.chart().axes()[0]
    labels = axis.categories()
    assert len(labels) == 12 and labels[-1] == "11/2026" and labels[-2] == "10/2026"
    assert sets["Tiếp nhận mới"][-2] == 8 and sets["Giải quyết trước và đúng hạn"][-2] == 4
    assert sets["Giải quyết quá hạn"][-2] == 1
    assert sets["Tiếp nhận mới"][-1] == 1  # d12, 2 November


def test_channels_and_today_charts(panel):
    pie = series_of(panel.channels_view, QPieSeries)
    assert sorted((s.label().split(":")[0], int(s.value())) for s in pie.slices()) == [
        ("Bưu chính", 1), ("Trực tiếp", 6), ("Trực tuyến", 1)]
    today = series_of(panel.today_view, QHorizontalBarSeries)
    assert {s.label(): s.at(0) for s in today.barSets()} == {
        "Quá hạn": 3, "Đến hạn hôm nay": 0, "Sắp đến hạn (2 ngày làm việc)": 0, "Chờ bổ sung": 1}


def test_exports_write_the_files_of_the_period(panel, qtbot, saved_paths):
    with qtbot.waitSignal(panel.exported):
        panel.export_buttons[("report", "xlsx")].click()
    path = saved_paths.answers[-1]
    assert path.name == "bao-cao-20261001-20261031.xlsx"
    assert load_workbook(path).sheetnames[0] == "Tổng hợp"
    with qtbot.waitSignal(panel.exported):
        panel.export_buttons[("ledger", "pdf")].click()
    assert saved_paths.answers[-1].name == "so-theo-doi-20261001-20261031.pdf"
    assert saved_paths.answers[-1].read_bytes().startswith(b"%PDF")
    assert "Đã lưu" in panel.note.text()


def test_preset_periods():
    today = dt.date(2026, 11, 27)
    assert choice_period(0, today) == (dt.date(2026, 11, 1), today)
    assert choice_period(1, today) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert choice_period(2, today) == (dt.date(2026, 10, 1), today)
    assert choice_period(3, today) == (dt.date(2026, 1, 1), today)
    assert choice_period(1, dt.date(2026, 1, 5)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_the_window_has_the_tab_on_ctrl_4(qtbot, ctx, desk, clock):
    build(desk, clock)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.tabs.tabText(STATS) == "&4 Thống kê"
    win.show_tab(STATS)
    assert win.tabs.currentIndex() == STATS and isinstance(win.tabs.widget(STATS), DashboardPanel)
    # This month so far (the desk's clock: 5 November): d12 is new, three carried over.
    assert win.dashboard.figures["received"].text() == "4"
