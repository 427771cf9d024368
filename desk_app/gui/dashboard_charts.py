"""The three charts of the "Thống kê" tab (QtCharts): months, channels, open dossiers today."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

RECEIVED_COLOUR = QColor("#3d6fb6")
ON_TIME_COLOUR = QColor("#2e8b57")
LATE_COLOUR = QColor("#c0392b")
CHANNEL_COLOURS = (QColor("#3d6fb6"), QColor("#e08e0b"), QColor("#7b5ea7"))
TODAY_COLOURS = (QColor("#c0392b"), QColor("#e08e0b"), QColor("#f1c40f"), QColor("#7f8c8d"))


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    chart.setTitleFont(font)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    # No animation: the tab is redrawn whenever it is refreshed, and a grab must show the figures.
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def view(chart: QChart, name: str) -> QChartView:
    widget = QChartView(chart)
    widget.setObjectName(name)
    widget.setRenderHint(QPainter.RenderHint.Antialiasing)
    widget.setMinimumHeight(220)
    return widget


def _value_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(4.0, top * 1.15))
    axis.applyNiceNumbers()
    return axis


def months_chart(labels: Sequence[str], received: Sequence[int], on_time: Sequence[int],
                 late: Sequence[int]) -> QChart:
    """Per month: dossiers received, resolved early or on time, resolved late."""
    chart = _chart("Tiếp nhận và giải quyết theo tháng")
    series = QBarSeries()
    for name, values, colour in (("Tiếp nhận mới", received, RECEIVED_COLOUR),
                                 ("Giải quyết trước và đúng hạn", on_time, ON_TIME_COLOUR),
                                 ("Giải quyết quá hạn", late, LATE_COLOUR)):
        bars = QBarSet(name)
        bars.append([float(v) for v in values])
        bars.setColor(colour)
        series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(list(labels))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = _value_axis(max([*received, *on_time, *late, 0]))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    return chart


def channels_chart(title: str, slices: Sequence[tuple[str, int]]) -> QChart:
    """New dossiers of the chosen period by channel (a pie; a note when there are none)."""
    chart = _chart(title)
    series = QPieSeries()
    total = sum(n for _, n in slices)
    for (label, n), colour in zip(slices, CHANNEL_COLOURS):
        if n:
            piece = series.append(f"{label}: {n} ({n / total * 100:.0f}%)".replace(".", ","), n)
            piece.setColor(colour)
            piece.setLabelVisible(True)
    if not total:
        chart.setTitle(f"{title} – chưa có hồ sơ")
    series.setPieSize(0.6)
    chart.addSeries(series)
    chart.legend().setVisible(False)
    return chart


def today_chart(title: str, values: Sequence[tuple[str, int]]) -> QChart:
    """Open dossiers now: overdue, due today, due soon, waiting for a supplement."""
    chart = _chart(title)
    series = QHorizontalBarSeries()
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    for (label, n), colour in zip(values, TODAY_COLOURS):
        bars = QBarSet(label)
        bars.append(float(n))
        bars.setColor(colour)
        series.append(bars)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([""])
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    axis_x = _value_axis(max([n for _, n in values] + [0]))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    return chart
