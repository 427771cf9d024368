"""Ctrl+H in the reception form: a booking fills the form; saving receives it and checks it in."""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk_app.services import bookings
from tests.gui.keys import press
from tests.gui.test_detail_lifecycle import Answers

VN = dt.timezone(dt.timedelta(hours=7))
CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_booking_fills_the_form_and_saving_checks_it_in(qtbot, form, desk):
    booking = bookings.book(desk, procedure_code="1.001193", name="Nguyễn Thị Hằng", phone="0912345678",
                            slot=dt.datetime(2026, 11, 24, 8, 0, tzinfo=VN))
    form.ask = Answers({"number": booking.number.lower()})
    press(Qt.Key.Key_H, CTRL)
    assert form.ask.asked[0][2] == ["number"]
    assert form.procedure is not None and form.procedure.code == "1.001193"
    assert (form.applicant.name.text(), form.applicant.phone.text()) == ("Nguyễn Thị Hằng", "0912345678")
    assert form.booking == booking.number and booking.number in form.result_label.text()
    press(Qt.Key.Key_S, CTRL)
    found = bookings.find(desk, booking.number)
    assert found.status.value == "checked_in" and found.dossier_code == form.last_code
    assert desk.dossier(found.dossier_code).applicant.name == "Nguyễn Thị Hằng"
    assert form.booking is None  # the next citizen is a plain reception


def test_an_unknown_booking_is_said_plainly(qtbot, form):
    form.ask = Answers({"number": "LH1-000000-001"})
    press(Qt.Key.Key_H, CTRL)
    box = form.findChild(QMessageBox, "errorBox")
    assert box is not None and "Không có lịch hẹn số 'LH1-000000-001'." in box.text()
    box.close()
    assert form.booking is None
