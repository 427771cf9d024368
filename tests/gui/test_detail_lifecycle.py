"""The detail tab moves a dossier along its lifecycle from the keyboard, and the ledger follows."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.domain.lifecycle import Action
from desk_app.gui.ledger_model import Column
from desk_app.gui.main_window import DETAIL, LEDGER
from desk_app.services.reception import ReceptionRequest, receive
from tests.gui.keys import press, type_keys

ALT = Qt.KeyboardModifier.AltModifier


class Answers:
    """Stands in for the step dialog: records what was asked and answers from a list."""

    def __init__(self, *answers: dict | None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, list[str]]] = []

    def __call__(self, parent, title: str, lead: str, fields) -> dict | None:
        self.asked.append((title, lead, [f.key for f in fields]))
        return self.answers.pop(0)


@pytest.fixture
def codes(desk):
    return {
        name: receive(desk, ReceptionRequest(procedure_code="1.004837", name=name, id_number=id_number)).dossier.code
        for name, id_number in (("Nguyễn Văn An", "001090012345"), ("Trần Thị Bình", "001190054321"))
    }


@pytest.fixture
def window(codes, shown_window):
    return shown_window


def open_from_ledger(window, qtbot, id_number):
    """As the receptionist does: Ctrl+2-like jump to the search box, type, Enter."""
    window.show_tab(LEDGER)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.ledger.search)
    type_keys(id_number)
    press(Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == DETAIL
    detail = window.detail
    qtbot.waitUntil(lambda: QApplication.focusWidget() is detail.reprint_button)
    return detail


def ledger_status(window, code):
    model = window.ledger.model
    for row in range(model.rowCount()):
        loaded = model.row_at(row)
        if loaded is not None and loaded.code == code:
            return model.data(model.index(row, Column.STATUS))
    raise AssertionError(f"{code} is not in the ledger")


def shown_actions(detail):
    return [action for action, button in detail.action_buttons.items() if button.isVisible()]


def test_forward_result_and_return_by_shortcut(window, qtbot, desk, codes):
    code = codes["Nguyễn Văn An"]
    detail = open_from_ledger(window, qtbot, "001090012345")
    assert detail.values["status"].text() == "Đã tiếp nhận"
    assert shown_actions(detail) == [Action.FORWARD, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.REFUSE,
                                     Action.STOP, Action.WITHDRAW]
    assert [detail.action_buttons[a].text() for a in shown_actions(detail)] == [
        "Chuyển xử lý  [Alt+C]", "Yêu cầu bổ sung (Mẫu 02)  [Alt+B]", "Xin lỗi, hẹn lại (Mẫu 04)  [Alt+L]",
        "Từ chối (Mẫu 03)  [Alt+O]", "Dừng giải quyết (Mẫu 05)  [Alt+D]", "Rút hồ sơ  [Alt+R]"]
    outbox = desk.store.tables.count("outbox")

    press(Qt.Key.Key_T, ALT)  # "Trả kết quả" is not allowed yet: nothing happens
    assert detail.values["status"].text() == "Đã tiếp nhận"
    assert desk.store.tables.count("outbox") == outbox

    press(Qt.Key.Key_C, ALT)
    assert detail.values["status"].text() == "Đang giải quyết"
    assert ledger_status(window, code) == "Đang giải quyết"
    assert window.statusBar().currentMessage() == f"Hồ sơ {code}: Đang giải quyết"
    assert detail.status.text().startswith("Đã ghi nhận: Đã tiếp nhận → Đang giải quyết lúc 09:15 23/11/2026")
    assert shown_actions(detail) == [Action.RECORD_RESULT, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE,
                                     Action.REFUSE, Action.STOP, Action.WITHDRAW]

    press(Qt.Key.Key_K, ALT)
    assert detail.values["status"].text() == "Có kết quả"
    assert ledger_status(window, code) == "Có kết quả"
    assert shown_actions(detail) == [Action.RETURN_RESULT]

    detail.ask = Answers({"recipient": "Nguyễn Văn An", "authorisation": "", "originals": "", "rating": "Hài lòng"})
    press(Qt.Key.Key_T, ALT)
    assert detail.ask.asked[0][2] == ["recipient", "authorisation", "originals", "rating"]
    assert detail.values["status"].text() == "Đã trả kết quả"
    assert ledger_status(window, code) == "Đã trả kết quả"
    assert shown_actions(detail) == []
    assert detail.actions_hint.text() == "Hồ sơ ở trạng thái «Đã trả kết quả»: không còn thao tác nào."
    assert desk.store.tables.count("outbox") == outbox + 3
    assert desk.dossier(code).finished_at is not None
    assert desk.dossier(codes["Trần Thị Bình"]).status.label == "Đã tiếp nhận"  # only this dossier moved


def test_withdraw_asks_for_the_reason(window, qtbot, desk, codes):
    code = codes["Trần Thị Bình"]
    detail = open_from_ledger(window, qtbot, "001190054321")
    detail.ask = Answers(None, {"reason": ""}, {"reason": "Người nộp đổi ý"})
    outbox = desk.store.tables.count("outbox")

    press(Qt.Key.Key_R, ALT)  # cancelled: nothing recorded, no message
    assert detail.values["status"].text() == "Đã tiếp nhận"
    assert desk.store.tables.count("outbox") == outbox

    press(Qt.Key.Key_R, ALT)  # an empty reason is refused in Vietnamese
    box = detail.findChild(QMessageBox, "errorBox")
    assert box is not None and "Cần ghi lý do để «Rút hồ sơ»." in box.text()
    box.close()
    assert detail.values["status"].text() == "Đã tiếp nhận"
    assert desk.store.tables.count("outbox") == outbox

    detail.setFocus()
    press(Qt.Key.Key_R, ALT)
    assert detail.ask.asked == [("Rút hồ sơ", f"Rút hồ sơ: hồ sơ {code} của Trần Thị Bình", ["reason"])] * 3
    assert detail.values["status"].text() == "Rút hồ sơ"
    assert ledger_status(window, code) == "Rút hồ sơ"
    assert desk.store.tables.count("outbox") == outbox + 1
    payload = desk.store.db.execute("SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert json.loads(payload)["note"] == "Người nộp đổi ý"
    assert shown_actions(detail) == []


def test_a_button_click_does_the_same(window, qtbot, desk, codes):
    code = codes["Nguyễn Văn An"]
    detail = open_from_ledger(window, qtbot, "001090012345")
    qtbot.mouseClick(detail.action_buttons[Action.FORWARD], Qt.MouseButton.LeftButton)
    assert detail.values["status"].text() == "Đang giải quyết"
    assert ledger_status(window, code) == "Đang giải quyết"
    # The keyboard stays in the tab, on the next step's button.
    assert QApplication.focusWidget() is detail.action_buttons[Action.RECORD_RESULT]


def test_a_dossier_changed_elsewhere_shows_the_error_and_reloads(window, qtbot, desk, codes):
    from desk_app.services.lifecycle import apply

    code = codes["Nguyễn Văn An"]
    detail = open_from_ledger(window, qtbot, "001090012345")
    apply(desk, code, Action.FORWARD)  # e.g. from the command line, while the tab shows "received"
    press(Qt.Key.Key_C, ALT)
    box = detail.findChild(QMessageBox, "errorBox")
    assert box is not None and "«Đang giải quyết»" in box.text()
    box.close()
    assert detail.values["status"].text() == "Đang giải quyết"
    assert shown_actions(detail) == [Action.RECORD_RESULT, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE,
                                     Action.REFUSE, Action.STOP, Action.WITHDRAW]
