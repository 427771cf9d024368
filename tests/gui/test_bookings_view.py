"""The day's bookings in the window: a waiting booking is moved (its new ticket previewed) or
cancelled, each recorded; an ended booking offers neither."""

import datetime as dt

from desk_app.gui.bookings_view import BookingsDialog
from desk_app.services import bookings
from tests.gui.test_detail_lifecycle import Answers

VN = dt.timezone(dt.timedelta(hours=7))


def slot(day, hour):
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=VN)


def cells(dialog):
    return [[dialog.table.item(r, c).text() for c in (0, 1, 5)] for r in range(dialog.table.rowCount())]


def test_move_then_cancel_from_the_days_list(qtbot, ctx, desk):
    first = bookings.book(desk, procedure_code="1.001193", name="Nguyễn Văn An", phone="0912345678", slot=slot(24, 8))
    bookings.book(desk, procedure_code="1.001193", name="Trần Thị Bình", phone="0987654321", slot=slot(24, 9))
    dialog = BookingsDialog(ctx, ask=Answers({"slot": "14:00 25/11/2026", "reason": "Xin đổi ngày"},
                                             {"reason": "Không đến được"}))
    qtbot.addWidget(dialog)
    dialog.day_edit.setText("24/11/2026")
    dialog.reload()
    assert cells(dialog) == [["08:00", "LH1-261124-001", "Chờ đến"], ["09:00", "LH1-261124-002", "Chờ đến"]]
    assert dialog.selected() == first

    dialog.move_button.click()
    assert dialog.ask.asked[0][2] == ["slot", "reason"]
    assert "LH1-261125-001" in dialog.status.text()
    assert dialog.ticket_preview is not None and "LH1-261125-001" in dialog.ticket_preview.windowTitle()
    assert cells(dialog)[0] == ["08:00", "LH1-261124-001", "Đã chuyển sang LH1-261125-001"]
    assert bookings.find(desk, "LH1-261125-001").slot == slot(25, 14)
    dialog.ticket_preview.close()

    dialog.move_button.click()  # the moved one is selected: it is refused without asking
    assert len(dialog.ask.asked) == 1 and dialog.status.text() == "Chọn một lịch hẹn đang chờ đến."
    dialog.table.selectRow(1)
    dialog.cancel_button.click()
    assert cells(dialog)[1] == ["09:00", "LH1-261124-002", "Đã hủy (Không đến được)"]
    assert bookings.find(desk, "LH1-261124-002").status.value == "cancelled"


def test_the_menu_opens_the_bookings(qtbot, shown_window):
    action = next(a for a in shown_window.findChildren(type(shown_window.menuBar().actions()[0]))
                  if a.shortcut().toString() == "Ctrl+Shift+H")
    action.trigger()
    assert shown_window.bookings_dialog.isVisible()
    shown_window.bookings_dialog.close()
