"""The counter window: status bar, ledger search and filters, details and reprint."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk_app.domain.dossier import Sex
from desk_app.gui.main_window import DETAIL, LEDGER, RECEPTION, MainWindow
from desk_app.domain.papers import Paper
from desk_app.services.printouts import deliver, prepare_printout
from desk_app.store import papers
from desk_app.services.reception import ReceptionRequest, receive
from tests.gui.keys import focused, press, type_keys


def register(desk, name, **extra):
    values = dict(procedure_code="2.000815", name=name, phone="0912345678", pages=1, copies=1)
    values.update(extra)
    return receive(desk, ReceptionRequest(**values)).dossier


@pytest.fixture
def window(qtbot, ctx, desk, clock):
    register(desk, "Nguyễn Văn An", id_number="001090012345", birth_date=dt.date(1990, 5, 1), sex=Sex.MALE)
    register(desk, "Trần Thị Bình")
    clock.now -= dt.timedelta(days=10)  # received ten days ago, a 3-day procedure: now overdue
    register(desk, "Đặng Văn Cường", procedure_code="1.004873", fee_vnd=15_000)
    clock.now += dt.timedelta(days=10)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def test_status_bar_tells_commune_desk_user_and_sync(window, qtbot):
    assert window.place_label.text().startswith("Xã Tân Phú · Quầy số 1")
    assert window.user_label.text() == "Người dùng: tester"
    # The sync status is read once the window has shown itself usable (not on the start path).
    qtbot.waitUntil(lambda: window.sync_label.text() == "Đồng bộ: Quầy chưa ghi danh với máy chủ đồng bộ")
    assert window.windowTitle() == "Một cửa – Xã Tân Phú – Quầy 1"


def test_search_as_you_type_and_filters(window, qtbot):
    ledger = window.ledger
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 3)
    assert ledger.count_label.text() == "3 hồ sơ"
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, widget=window)
    assert window.tabs.currentIndex() == LEDGER
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ledger.search)
    type_keys("dang cuong")
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 1)  # after the typing pause
    assert ledger.selected_row().applicant_name == "Đặng Văn Cường"
    press(Qt.Key.Key_Escape)
    ledger.search.clear()
    ledger.apply_filter()
    assert ledger.model.rowCount() == 3
    ledger.due.setFocus()
    press(Qt.Key.Key_Down)  # "⚠ Quá hạn"
    assert ledger.model.rowCount() == 1
    assert ledger.model.row_at(0).applicant_name == "Đặng Văn Cường"


def test_enter_in_the_ledger_opens_the_dossier_and_reprint_is_marked(window, desk, qtbot, sink, tmp_path):
    code = desk.search("Nguyen Van An")[0].code
    deliver(desk, prepare_printout(desk, code), receipt_path=tmp_path / "first.pdf")  # printed at reception
    ledger = window.ledger
    window.show_tab(LEDGER)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ledger.search)
    type_keys("001090012345")
    press(Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == DETAIL
    detail = window.detail
    assert detail.values["code"].text() == code
    assert detail.values["name"].text() == "Nguyễn Văn An"
    assert detail.values["birth"].text() == "01/05/1990, Nam"
    assert detail.values["fee"].text().startswith("2.000 đ")
    assert detail.values["due_reason"].text()
    assert "Bản chính giấy tờ" in detail.documents.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is detail.reprint_button)
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = detail.preview
    assert "BẢN IN LẠI" in preview.windowTitle()
    text = PdfReader(io.BytesIO(preview.documents[0].pdf)).pages[0].extract_text()
    assert "BẢN IN LẠI" in text
    dossier_id = desk.store.dossiers.id_of(code)
    assert papers.print_count(desk.store, dossier_id, Paper.RECEIPT) == 1  # previewed, not yet printed
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    press(Qt.Key.Key_Return)  # "In ngay"
    assert len(sink.jobs) == 1
    audit = desk.store.db.execute("SELECT action, detail FROM audit WHERE entity_id = ? ORDER BY id", [code]).fetchall()
    assert [(a, json.loads(d)["paper"]) for a, d in audit[-2:]] == [
        ("dossier.reprint", "receipt"), ("dossier.reprint", "fee_receipt")]
    assert papers.print_count(desk.store, dossier_id, Paper.RECEIPT) == 2
    assert "Đã ghi nhận lần in thứ 2" in detail.status.text()


def test_a_saved_dossier_appears_in_the_ledger(window, qtbot):
    window.show_tab(RECEPTION)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.form.picker.search)
    type_keys("khai tu")
    press(Qt.Key.Key_Return)
    type_keys("Hồ Thị Duyên")
    press(Qt.Key.Key_Return)
    assert window.ledger.model.rowCount() == 4
    assert "Đã lưu hồ sơ" in window.statusBar().currentMessage()
    window.form.preview.close()
    assert focused() is not None


def test_backup_from_the_menu_writes_a_verified_copy(window, tmp_path):
    from desk_app.store.store import Store

    target = tmp_path / "usb" / "sao-luu.sqlite3"
    window.backup_to_path(target)  # the SyncRunner finishes the job at once
    assert "Đã sao lưu 3 hồ sơ" in window.statusBar().currentMessage()
    copy = Store.open(target)
    assert copy.dossiers.count() == 3
    copy.close()
