"""The day's bookings (menu Hồ sơ, Ctrl+Shift+H): each slot's bookings with their state; a
waiting booking can be moved to another slot (its new ticket opens in the preview) or cancelled.
Loading, moving and cancelling run on the store worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from desk_app.domain.bookings import Booking, BookingStatus
from desk_app.domain.dates import parse_date, parse_moment
from desk_app.gui.errors import show_error
from desk_app.gui.step_dialog import Ask, Field, ask_fields

if TYPE_CHECKING:
    from desk_app.gui.context import DeskContext
    from desk_app.gui.preview_dialog import PreviewDialog

COLUMNS = ("Giờ hẹn", "Số phiếu", "Họ tên", "Điện thoại", "Thủ tục", "Tình trạng")


def state_text(booking: Booking) -> str:
    if booking.status is BookingStatus.CHECKED_IN:
        return f"Đã tiếp nhận: {booking.dossier_code}"
    if booking.status is BookingStatus.CANCELLED:
        return "Đã hủy" + (f" ({booking.reason})" if booking.reason else "")
    if booking.status is BookingStatus.MOVED:
        return f"Đã chuyển sang {booking.moved_to}"
    return "Chờ đến" + (f" (chuyển từ {booking.moved_from})" if booking.moved_from else "")


class BookingsDialog(QDialog):
    """Type a day and Enter to list it; Alt+C moves, Alt+H cancels the selected booking."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *, ask: Ask = ask_fields) -> None:
        super().__init__(parent)
        self.setObjectName("bookingsDialog")
        self.setWindowTitle("Lịch hẹn nộp hồ sơ")
        self.ctx, self.ask = ctx, ask
        self.bookings: list[Booking] = []
        self.ticket_preview: PreviewDialog | None = None
        assert ctx.desk is not None
        self.day_edit = QLineEdit(f"{ctx.desk.clock().date():%d/%m/%Y}")
        self.day_edit.setObjectName("bookingsDay")
        self.day_edit.returnPressed.connect(self.reload)
        label = QLabel("&Ngày:")
        label.setBuddy(self.day_edit)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("bookingsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.move_button = QPushButton("&Chuyển lịch hẹn…")
        self.cancel_button = QPushButton("&Hủy lịch hẹn…")
        self.move_button.clicked.connect(self.move_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.status = QLabel("")
        self.status.setObjectName("bookingsStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.day_edit)
        top.addStretch(1)
        top.addWidget(self.move_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        QShortcut(QKeySequence("Esc"), self, activated=self.reject)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        desk = self.ctx.desk
        assert desk is not None
        try:
            day = parse_date(self.day_edit.text(), field="day")
        except Exception as exc:
            show_error(self, "Ngày không hợp lệ", exc)
            return
        from desk_app.services.bookings import on_day

        self.ctx.runner.submit(lambda: on_day(desk, day), self._show,
                               lambda exc: show_error(self, "Không đọc được lịch hẹn", exc))

    def _show(self, found: list[Booking]) -> None:
        self.bookings = found
        self.table.setRowCount(len(found))
        for row, b in enumerate(found):
            cells = (f"{b.slot:%H:%M}", b.number, b.name, b.phone, b.procedure_name, state_text(b))
            for column, value in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        waiting = [row for row, b in enumerate(found) if b.status is BookingStatus.BOOKED]
        if waiting and self.selected() is None:
            self.table.selectRow(waiting[0])
        self.table.setFocus()

    def selected(self) -> Booking | None:
        rows = self.table.selectionModel().selectedRows()
        return self.bookings[rows[0].row()] if rows and rows[0].row() < len(self.bookings) else None

    def _waiting(self) -> Booking | None:
        booking = self.selected()
        if booking is None or booking.status is not BookingStatus.BOOKED:
            self.status.setText("Chọn một lịch hẹn đang chờ đến.")
            return None
        return booking

    def move_selected(self) -> None:
        booking = self._waiting()
        if booking is None:
            return
        answers = self.ask(self, "Chuyển lịch hẹn",
                           f"Lịch hẹn {booking.number} của {booking.name}, đang hẹn {booking.slot:%H:%M %d/%m/%Y}", [
                               Field("slot", "Khung giờ mới", "datetime", f"{booking.slot:%H:%M %d/%m/%Y}"),
                               Field("reason", "Lý do", "line")])
        if answers is None:
            return
        desk = self.ctx.desk
        assert desk is not None
        from desk_app.services import bookings

        def job() -> tuple[Booking, bytes]:
            moved = bookings.move(desk, booking.number, slot=parse_moment(answers["slot"], field="slot"),
                                  reason=answers.get("reason", ""))
            return moved, bookings.ticket(desk, moved)

        self.ctx.runner.submit(job, self._moved, lambda exc: show_error(self, "Không chuyển được lịch hẹn", exc))

    def _moved(self, result: tuple[Booking, bytes]) -> None:
        from desk_app.gui.printing import Document

        moved, pdf = result
        self.status.setText(f"Đã chuyển lịch hẹn {moved.moved_from} sang {moved.number} "
                            f"({moved.slot:%H:%M %d/%m/%Y}): in phiếu hẹn mới cho người dân.")
        self.ticket_preview = self.ctx.preview_documents(
            [Document("Phiếu hẹn", pdf)], title=f"Xem trước – phiếu hẹn {moved.number}",
            suggested_name=f"{moved.number}.pdf", parent=self)
        self.reload()

    def cancel_selected(self) -> None:
        booking = self._waiting()
        if booking is None:
            return
        answers = self.ask(self, "Hủy lịch hẹn",
                           f"Hủy lịch hẹn {booking.number} của {booking.name} ({booking.slot:%H:%M %d/%m/%Y})",
                           [Field("reason", "Lý do", "line")])
        if answers is None:
            return
        desk = self.ctx.desk
        assert desk is not None
        from desk_app.services.bookings import cancel

        def done(cancelled: Booking) -> None:
            self.status.setText(f"Đã hủy lịch hẹn {cancelled.number}.")
            self.reload()

        self.ctx.runner.submit(lambda: cancel(desk, booking.number, reason=answers.get("reason", "")), done,
                               lambda exc: show_error(self, "Không hủy được lịch hẹn", exc))


def open_bookings(ctx: DeskContext, parent: QWidget) -> BookingsDialog:
    dialog = BookingsDialog(ctx, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
