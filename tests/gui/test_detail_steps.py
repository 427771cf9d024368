"""The steps with papers from the detail tab, by keyboard: each asks what it needs, records the
step, then previews its paper (Enter prints, counted once printed); the control slip; reprints."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.gui.step_dialog import Field, StepDialog
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import papers
from tests.gui.keys import focused, press, type_keys
from tests.gui.test_detail_lifecycle import ALT, Answers, open_from_ledger, shown_actions

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def code(desk):
    return receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An",
                                          id_number="001090012345")).dossier.code


@pytest.fixture
def detail(qtbot, code, shown_window):
    return open_from_ledger(shown_window, qtbot, "001090012345")


def preview_text(detail):
    return " ".join(PdfReader(io.BytesIO(detail.preview.documents[0].pdf)).pages[0].extract_text().split())


def print_preview(qtbot, detail):
    preview = detail.preview
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    press(Qt.Key.Key_Return)  # "In ngay"
    assert not preview.isVisible()
    back_to(qtbot, detail)


def back_to(qtbot, detail):
    """The window takes the keyboard back once the preview is gone (the offscreen platform needs
    telling)."""
    detail.window().activateWindow()
    detail.reprint_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is detail.reprint_button)


def test_supplement_then_its_arrival(qtbot, detail, desk, sink, clock, code):
    detail.ask = Answers({"missing": "Giấy chứng nhận kết hôn|ban_sao_chung_thuc|2\n\nVăn bản đồng ý",
                          "reason": "Thiếu giấy chứng minh"})
    press(Qt.Key.Key_B, ALT)
    assert detail.ask.asked[0][2] == ["missing", "reason"]
    assert detail.values["status"].text() == "Yêu cầu bổ sung"
    assert detail.timeliness.text() == "Chờ bổ sung"  # paused: no due bucket
    assert detail.history.text() == (
        "<b>09:15 23/11/2026</b> Đã tiếp nhận – tester<br>"
        "<b>09:15 23/11/2026</b> Yêu cầu bổ sung – tester: Thiếu giấy chứng minh; cần bổ sung: "
        "Giấy chứng nhận kết hôn, Văn bản đồng ý")
    assert shown_actions(detail) == [Action.RECEIVE_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.WITHDRAW]
    assert detail.preview.isVisible()
    text = preview_text(detail)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Giấy chứng nhận kết hôn" in text
    print_preview(qtbot, detail)
    dossier_id = desk.store.dossiers.id_of(code)
    assert papers.print_count(desk.store, dossier_id, Paper.SUPPLEMENT_REQUEST) == 1
    assert len(sink.jobs) == 1

    clock.now = clock.now.replace(day=25, hour=14, minute=0)  # Wednesday 14:00: the papers arrive
    press(Qt.Key.Key_N, ALT)
    assert detail.values["status"].text() == "Đã tiếp nhận"
    assert detail.values["due"].text() == "14:00 30/11/2026"  # three working days again, in full
    assert detail.timeliness.text() == "Trong hạn"
    assert detail.history.text().endswith("<b>14:00 25/11/2026</b> Đã tiếp nhận (nhận hồ sơ bổ sung) – tester; "
                                          "hẹn trả mới 14:00 30/11/2026")
    assert detail.status.text().startswith("Đã ghi nhận: Yêu cầu bổ sung → Đã tiếp nhận lúc 14:00 25/11/2026. "
                                           "Hẹn trả mới: 14:00 30/11/2026. Xem trước bản in đầu tiên")
    text = preview_text(detail)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "BẢN IN LẠI" not in text
    assert "Thời gian nhận đủ hồ sơ bổ sung: 14 giờ 00 phút, ngày 25/11/2026" in text
    assert Action.REQUEST_SUPPLEMENT not in shown_actions(detail)  # once only


def test_refuse_previews_mau_03_and_its_reprint_is_marked(qtbot, detail, desk, code):
    detail.ask = Answers({"reason": "Không thuộc thẩm quyền của xã"})
    press(Qt.Key.Key_O, ALT)
    assert detail.values["status"].text() == "Từ chối"
    assert "Lý do: Không thuộc thẩm quyền của xã." in preview_text(detail)
    assert detail.preview.suggested_name == f"{code}-refusal.pdf"  # not over the slip's file
    print_preview(qtbot, detail)
    assert shown_actions(detail) == []
    assert detail.step_paper_button.isEnabled()
    assert detail.step_paper_button.text() == "In lại phiếu từ chối tiếp nhận giải quyết hồ sơ  [Ctrl+Shift+P]"
    press(Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    text = preview_text(detail)
    assert "BẢN IN LẠI" in text and "PHIẾU TỪ CHỐI" in text
    print_preview(qtbot, detail)
    assert papers.print_count(desk.store, desk.store.dossiers.id_of(code), Paper.REFUSAL) == 2


def test_apology_sets_the_new_appointment(qtbot, detail, desk, code):
    detail.ask = Answers({"reason": "Cần xác minh thêm", "new_due": "09:15 01/12/2026", "signed_off_by": "tester"})
    press(Qt.Key.Key_L, ALT)
    assert detail.ask.asked[0][2] == ["reason", "new_due", "signed_off_by"]
    assert detail.values["due"].text() == "09:15 01/12/2026"
    assert "Thời gian trả kết quả mới: 09 giờ 15 phút, ngày 01/12/2026" in preview_text(detail)
    assert Action.APOLOGIZE not in shown_actions(detail)


def test_a_refused_apology_shows_the_reason_and_writes_nothing(qtbot, detail, desk):
    outbox = desk.store.tables.count("outbox")
    detail.ask = Answers({"reason": "Chậm", "new_due": "28/11/2026 09:15", "signed_off_by": "tester"})  # Saturday
    press(Qt.Key.Key_L, ALT)
    box = detail.findChild(QMessageBox, "errorBox")
    assert box is not None and "là ngày nghỉ" in box.text()
    box.close()
    assert desk.store.tables.count("outbox") == outbox
    assert detail.values["due"].text() == "09:15 26/11/2026"


def test_stop_and_the_control_slip(qtbot, detail, desk):
    detail.ask = Answers({"reason": "Người nộp đề nghị dừng"})
    press(Qt.Key.Key_D, ALT)
    assert detail.values["status"].text() == "Dừng giải quyết"
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in preview_text(detail)
    detail.preview.close()
    back_to(qtbot, detail)
    press(Qt.Key.Key_K, CTRL)
    text = preview_text(detail)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Dừng giải quyết" in text


def test_the_step_dialog_by_keyboard(qtbot):
    dialog = StepDialog(None, "Trả kết quả", "Trả kết quả hồ sơ X", [
        Field("recipient", "Người nhận kết quả", "line", "Nguyễn Văn An"),
        Field("originals", "Bản chính trả lại", "text"),
        Field("new_due", "Ngày hẹn", "datetime", "09:15 01/12/2026"),
        Field("rating", "Đánh giá", "choice", "Hài lòng", ("Rất hài lòng", "Hài lòng", "Không hài lòng")),
    ])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: focused() is dialog.inputs["recipient"])
    press(Qt.Key.Key_A, CTRL)
    type_keys("Trần Văn Bình")
    press(Qt.Key.Key_Tab)
    type_keys("Giấy chứng sinh")
    press(Qt.Key.Key_Tab)  # out of the multi-line field, into the date
    assert focused() is dialog.inputs["new_due"]
    press(Qt.Key.Key_A, CTRL)
    type_keys("10:00 02/12/2026")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Down)  # the next rating
    press(Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answers() == {"recipient": "Trần Văn Bình", "originals": "Giấy chứng sinh",
                                "new_due": "10:00 02/12/2026", "rating": "Không hài lòng"}


def test_the_detail_tab_fits_a_1280x720_counter_screen(detail):
    # The fields and a long history scroll; the step and paper buttons always show.
    hint = detail.window().minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 690


def test_the_ledger_book_from_the_menu(qtbot, shown_window, desk, sink, code):
    shown_window.ask_period = Answers({"first": "01/11/2026", "last": "30/11/2026"})
    shown_window.activateWindow()
    press(Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier, widget=shown_window)
    assert shown_window.ask_period.asked[0][2] == ["first", "last"]
    preview = shown_window.book_preview
    assert preview is not None and "30/11/2026" in preview.windowTitle()
    text = " ".join(PdfReader(io.BytesIO(preview.documents[0].pdf)).pages[0].extract_text().split())
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Nguyễn Văn An" in text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    audit = desk.store.tables.count("audit")
    press(Qt.Key.Key_Return)
    assert len(sink.jobs) == 1
    assert desk.store.tables.count("audit") == audit + 1
    action, entity_id = desk.store.db.execute("SELECT action, entity_id FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert (action, entity_id) == ("ledger_book.print", "2026-11-01..2026-11-30")


def test_a_wrong_period_is_said_in_vietnamese(qtbot, shown_window, code):
    shown_window.ask_period = Answers({"first": "31/02/2026", "last": "30/11/2026"})
    shown_window.print_ledger_book()
    box = shown_window.findChild(QMessageBox, "errorBox")
    assert box is not None and "Không có ngày 31/02/2026." in box.text()
    box.close()


def test_the_ledger_shows_the_alerts_and_filters_by_them(qtbot, code, shown_window, desk):
    from desk_app.gui.main_window import LEDGER

    shown_window.show_tab(LEDGER)
    ledger = shown_window.ledger
    # Received Monday 09:15, due Thursday: Wednesday is the last day for an apology, within the window.
    qtbot.waitUntil(lambda: ledger.alerts.text() != "")
    assert ledger.alerts.text() == "⚠ Cần xin lỗi, hẹn lại (còn kịp): 1"
    assert ledger.due.itemText(3) == "Sắp đến hạn (2 ngày làm việc)"
    ledger.due.setCurrentIndex(ledger.due.findData("apology"))
    assert ledger.model.rowCount() == 1 and ledger.model.row_at(0).code == code
    ledger.due.setCurrentIndex(ledger.due.findData("paused"))
    assert ledger.model.rowCount() == 0
