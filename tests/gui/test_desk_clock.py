"""The window takes its day from the desk's clock (which a test or the demo sets), never the wall clock."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from desk_app.gui.ledger_panel import LedgerPanel
from tests.conftest import VN, FakeClock
from tests.gui.keys import press, type_keys


@pytest.fixture
def clock():
    return FakeClock(dt.datetime(2031, 3, 4, 9, 15, tzinfo=VN))  # far from the real date


def test_reception_form_uses_the_desks_day(form):
    # Before any estimate: a birth date is judged against the desk's day.
    assert form.applicant.today == dt.date(2031, 3, 4)
    type_keys("sua loi sai sot")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "XA.CT.03"  # no processing time: the appointment is typed
    assert form.due_at.dateTime().toPython() == dt.datetime(2031, 3, 5, 9, 15)  # the desk's "tomorrow"


def test_ledger_date_filter_starts_at_the_desks_day(qtbot, ctx):
    panel = LedgerPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.date_to.date().toPython() == dt.date(2031, 3, 4)
    assert panel.date_from.date().toPython() == dt.date(2031, 2, 4)
