"""The window takes its day from the desk's clock (which a test or the demo sets), never the wall clock."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk_app.gui.ledger_panel import LedgerPanel
from desk_app.gui.reception_form import ReceptionForm
from tests.gui.keys import press, type_keys


def test_reception_form_uses_the_desks_day(qtbot, ctx, clock):
    clock.now = dt.datetime(2031, 3, 4, 9, 15, tzinfo=clock.now.tzinfo)  # far from the real date
    form = ReceptionForm(ctx)
    qtbot.addWidget(form)
    form.resize(1300, 760)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    form.focus_picker()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.picker.search)
    # Before any estimate: a birth date is judged against the desk's day.
    assert form.applicant.today == dt.date(2031, 3, 4)
    type_keys("sua loi sai sot")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "XA.CT.03"  # no processing time: the appointment is typed
    assert form.due_at.dateTime().toPython() == dt.datetime(2031, 3, 5, 9, 15)  # the desk's "tomorrow"


def test_ledger_date_filter_starts_at_the_desks_day(qtbot, ctx, clock):
    clock.now = dt.datetime(2031, 3, 4, 9, 15, tzinfo=clock.now.tzinfo)
    panel = LedgerPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.date_to.date().toPython() == dt.date(2031, 3, 4)
    assert panel.date_from.date().toPython() == dt.date(2031, 2, 4)
