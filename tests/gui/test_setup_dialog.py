"""First run: the setup dialog configures the desk on the worker and remembers the printer."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTime

from desk_app.gui.setup_dialog import SetupDialog
from desk_app.gui.tasks import SyncRunner
from tests.gui.keys import focused, press, type_keys


@pytest.fixture
def fresh_desk(tmp_path, clock):
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    store = Store.open(tmp_path / "new.sqlite3")
    yield Desk(store, clock=clock, actor="tester")
    store.close()


@pytest.fixture
def dialog(qtbot, fresh_desk):
    widget = SetupDialog(SyncRunner(), fresh_desk, printers=lambda: ["PDF", "Quay1-HP"])
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.commune.setFocus()
    qtbot.waitUntil(lambda: focused() is widget.commune)
    return widget


def test_setup_dialog_initialises_a_desk(dialog, fresh_desk, qtbot):
    assert not fresh_desk.configured
    type_keys("Xã Tân Phú")
    press(Qt.Key.Key_Tab)
    type_keys("Ủy ban nhân dân xã Tân Phú")
    press(Qt.Key.Key_Tab, times=2)  # unit name: keep the default
    type_keys("000.21.33.H49")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Up)  # desk 2
    dialog.saturday.setFocus()
    press(Qt.Key.Key_Space)
    dialog.printer.setFocus()
    press(Qt.Key.Key_Down, times=2)  # "Quay1-HP"
    with qtbot.waitSignal(dialog.configured) as configured:
        press(Qt.Key.Key_Return)
    profile = fresh_desk.profile()
    assert (profile.commune, profile.authority, profile.unit_code, profile.desk_no) == (
        "Xã Tân Phú", "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ", "000.21.33.H49", 2)
    assert profile.paper.value == "A5"
    calendar = fresh_desk.calendar_settings()
    assert calendar.saturday_morning is True
    assert [(s.start, s.end) for s in calendar.sessions] == [
        (dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))]
    assert fresh_desk.printer() == "Quay1-HP"
    assert configured.args[0].printer == "Quay1-HP"
    assert fresh_desk.procedures()  # the catalogue was seeded
    assert not dialog.isVisible()


def test_invalid_values_show_vietnamese_messages_and_save_nothing(dialog, fresh_desk):
    type_keys("Xã Tân Phú")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab, times=2)
    type_keys("mã sai!")
    dialog.afternoon[0].setTime(QTime(10, 0))  # before the morning ends
    press(Qt.Key.Key_Return)
    assert dialog.messages["authority"].text().startswith("⚠ Chưa nhập dòng cơ quan chủ quản")
    assert dialog.messages["sessions"].text() == "⚠ Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc."
    assert not fresh_desk.configured
    assert dialog.isVisible()


def test_a_bad_unit_code_is_refused_by_the_domain_rule(dialog, fresh_desk):
    type_keys("Xã Tân Phú")
    press(Qt.Key.Key_Tab)
    type_keys("UBND xã Tân Phú")
    press(Qt.Key.Key_Tab, times=2)
    type_keys("mã sai!")
    press(Qt.Key.Key_Return)
    assert dialog.messages["unit_code"].text().startswith("⚠ Mã đơn vị chỉ gồm chữ, số và dấu chấm")
    assert not fresh_desk.configured


def test_reopening_prefills_what_is_configured(qtbot, desk):
    desk.set_printer("Máy đã gỡ")
    widget = SetupDialog(SyncRunner(), desk, printers=lambda: ["PDF"])
    qtbot.addWidget(widget)
    assert widget.commune.text() == "Xã Tân Phú"
    assert widget.unit_code.text() == "000.21.33.H49"
    assert widget.printer.currentText() == "Máy đã gỡ (không thấy máy in này)"


def test_first_run_offers_the_demo_one_key_away(qtbot, fresh_desk):
    widget = SetupDialog(SyncRunner(), fresh_desk, printers=lambda: [], offer_demo=True)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.commune.setFocus()
    qtbot.waitUntil(lambda: focused() is widget.commune)
    assert widget.demo.isVisible() and widget.demo.text().startswith("&Dùng thử với dữ liệu mẫu")
    assert "Alt+D" in widget.ui.first_run.text() and widget.ui.first_run.isVisible()
    with qtbot.waitSignal(widget.demo_requested):
        press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # typing in a field: Alt+D still reaches it
    assert widget.result() == 2 and not widget.isVisible()
    assert not fresh_desk.configured  # nothing was written: the real desk stays to be set up


def test_enter_still_saves_the_real_desk_when_the_demo_is_offered(qtbot, fresh_desk):
    widget = SetupDialog(SyncRunner(), fresh_desk, printers=lambda: [], offer_demo=True)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.commune.setText("Xã Tân Phú")
    widget.authority.setText("Ủy ban nhân dân xã Tân Phú")
    widget.unit_code.setText("000.21.33.H49")
    widget.commune.setFocus()
    qtbot.waitUntil(lambda: focused() is widget.commune)
    with qtbot.assertNotEmitted(widget.demo_requested), qtbot.waitSignal(widget.configured):
        press(Qt.Key.Key_Return)
    assert fresh_desk.configured


def test_the_demo_is_not_offered_once_the_desk_is_set_up(dialog):
    assert not dialog.demo.isVisible() and not dialog.ui.first_run.isVisible()
