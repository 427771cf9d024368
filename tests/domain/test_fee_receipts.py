"""Fee receipt numbering rules and the place name of the date line."""

import pytest

from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.fee_receipts import FeeReceiptBook, FeeReceiptNo, check_book, default_book, next_number
from desk_app.domain.papers import place_name


def test_default_series_differs_per_desk_and_follows_the_year():
    assert default_book(1, 2026) == FeeReceiptBook("01BLP2-001", "AA/26T", 1)
    assert default_book(2, 2026).series == "AB/26T"
    assert default_book(6, 2030).series == "AG/30T"  # F is not one of the letters a series may use


def test_check_book_normalises_and_refuses_in_vietnamese():
    assert check_book(" 01blp2-001 ", "aa/26t", 5) == FeeReceiptBook("01BLP2-001", "AA/26T", 5)
    with pytest.raises(ValidationErrors) as err:
        check_book("", "AA 26", 10_000_000)
    assert [e.code for e in err.value.errors] == ["invalid_fee_form", "invalid_fee_series", "invalid_fee_start"]
    assert "Số bắt đầu của biên lai phải từ 1 đến 9.999.999." in err.value.message


def test_next_number_never_goes_back_and_stops_at_the_end_of_a_series():
    book = FeeReceiptBook("01BLP2-001", "AA/26T", 100)
    assert next_number(None, book) == 100
    assert next_number(250, book) == 251
    with pytest.raises(DomainError) as err:
        next_number(9_999_999, book)
    assert err.value.code == "fee_series_full"


def test_receipt_number_text():
    assert FeeReceiptNo("01BLP2-001", "AA/26T", 42).number_text == "0000042"
    assert str(FeeReceiptNo("01BLP2-001", "AA/26T", 42)) == "Mẫu số 01BLP2-001, ký hiệu AA/26T, số 0000042"
    assert str(FeeReceiptNo("", "", None, legacy="BL2026-01-00001")) == "BL2026-01-00001"


@pytest.mark.parametrize(("name", "place"), [
    ("Xã Tân Phú", "Tân Phú"),
    ("xã  Tân Phú", "Tân Phú"),
    ("Phường Hòa Khánh", "Hòa Khánh"),
    ("Thị trấn Củ Chi", "Củ Chi"),
    ("Đặc khu Phú Quốc", "Phú Quốc"),
    ("Phường 5", "Phường 5"),
    ("Tân Phú", "Tân Phú"),
    ("Xã", "Xã"),
])
def test_place_name(name, place):
    assert place_name(name) == place
