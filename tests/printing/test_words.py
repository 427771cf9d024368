"""Amounts in Vietnamese words, as printed on the fee receipt."""

from __future__ import annotations

import pytest

from desk_app.printing.words import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_000, "Một nghìn đồng"),
        (2_000, "Hai nghìn đồng"),
        (8_000, "Tám nghìn đồng"),
        (10_000, "Mười nghìn đồng"),
        (12_000, "Mười hai nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (200_000, "Hai trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2_000_000, "Hai triệu đồng"),
        (21_031_000, "Hai mươi mốt triệu không trăm ba mươi mốt nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (3_000_200_000, "Ba tỷ hai trăm nghìn đồng"),
        (5_000_000_021, "Năm tỷ không trăm hai mươi mốt đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_lower_case_number() -> None:
    assert number_in_words(1_234_567) == "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy"


def test_negative_is_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-1)
