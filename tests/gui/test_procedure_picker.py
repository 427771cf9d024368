"""The procedure picker ignores diacritics, folds đ, and lists the commune's frequent procedures first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desk_app.domain.text import fold
from desk_app.gui.procedure_picker import ProcedurePicker
from desk_app.services.reception import ReceptionRequest, receive
from tests.gui.keys import press, type_keys


@pytest.fixture
def picker(qtbot, desk):
    widget = ProcedurePicker()
    qtbot.addWidget(widget)
    widget.set_procedures(desk.procedures())
    widget.show()
    qtbot.waitExposed(widget)
    widget.search.setFocus()
    return widget


@pytest.mark.parametrize(
    ("typed", "first_code"),
    [("chung thuc ban sao", "2.000815"), ("khai sinh", "1.001193"), ("CHUNG THUC chu ky", "2.000884"),
     ("2.000815", "2.000815")],
)
def test_typing_without_diacritics_finds_the_procedure(picker, typed, first_code):
    type_keys(typed, picker.search)
    assert picker.matches()[0].code == first_code


def test_dang_ky_finds_every_registration_and_nothing_else(picker, desk):
    type_keys("dang ky", picker.search)
    found = picker.matches()
    assert len(found) >= 8
    assert all("dang ky" in fold(p.name + " " + p.field) for p in found)
    assert {"1.001193", "1.000894", "1.000656"} <= {p.code for p in found}  # Đăng ký khai sinh, kết hôn, khai tử


def test_enter_chooses_and_arrows_move(picker, qtbot):
    type_keys("dang ky", picker.search)
    second = picker.matches()[1]
    with qtbot.waitSignal(picker.procedure_chosen) as chosen:
        press(Qt.Key.Key_Down, widget=picker.search)
        press(Qt.Key.Key_Return, widget=picker.search)
    assert chosen.args == [second]
    assert "Đã chọn" in picker.chosen_label.text()


def test_nothing_matches_says_so(picker):
    type_keys("xyzzy", picker.search)
    press(Qt.Key.Key_Return, widget=picker.search)
    assert picker.current is None
    assert "Không có thủ tục nào khớp" in picker.chosen_label.text()


def test_the_communes_frequent_procedures_come_first(qtbot, desk):
    for _ in range(2):
        receive(desk, ReceptionRequest(procedure_code="1.000656", name="Lê Văn Tám"))
    widget = ProcedurePicker()
    qtbot.addWidget(widget)
    widget.set_procedures(desk.procedures())
    type_keys("dang ky", widget.search)
    assert widget.matches()[0].code == "1.000656"  # Đăng ký khai tử, used twice here
