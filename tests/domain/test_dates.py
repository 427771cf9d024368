"""Dates and times as people type them, and the two kinds of mistake told apart."""

import datetime as dt

import pytest

from desk_app.domain.dates import format_date, parse_date, parse_moment
from desk_app.domain.errors import DomainError

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("text", ["04/03/1990", "4/3/1990", "04.03.1990", "04-03-1990", "04031990",
                                  "1990-03-04", "1990/03/04", " 04/03/1990 "])
def test_both_orders_and_the_usual_separators_give_the_same_day(text):
    assert parse_date(text) == dt.date(1990, 3, 4)


@pytest.mark.parametrize("text, message", [
    ("31/02/2030", "Không có ngày 31/02/2030."),
    ("2030-02-31", "Không có ngày 31/02/2030."),
    ("29/02/2027", "Không có ngày 29/02/2027."),
    ("31/04/2026", "Không có ngày 31/04/2026."),
    ("12/13/2030", "Không có ngày 12/13/2030: tháng chỉ từ 1 đến 12 (ngày viết trước tháng)."),
    ("2030-13-01", "Không có ngày 01/13/2030: tháng chỉ từ 1 đến 12."),
])
def test_impossible_date_says_there_is_no_such_day(text, message):
    with pytest.raises(DomainError) as err:
        parse_date(text, field="birth_date")
    assert (err.value.code, err.value.message, err.value.field) == ("impossible_date", message, "birth_date")


def test_leap_day_exists_in_a_leap_year():
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)


@pytest.mark.parametrize("text", ["hôm qua", "04/03/90", "1990-3", "", "04/03/1990 09:15", "32.1.2020x"])
def test_unreadable_text_is_a_format_error_naming_both_forms(text):
    with pytest.raises(DomainError) as err:
        parse_date(text)
    assert err.value.code == "invalid_date"
    assert err.value.message == f"'{text.strip()}' không phải ngày: gõ như 04/03/1990 hoặc 1990-03-04."


@pytest.mark.parametrize("text, expected", [
    ("24/11/2025 09:15", dt.datetime(2025, 11, 24, 9, 15)),
    ("24/11/2025, 9:15", dt.datetime(2025, 11, 24, 9, 15)),
    ("24/11/2025 9h15", dt.datetime(2025, 11, 24, 9, 15)),
    ("09:15 24/11/2025", dt.datetime(2025, 11, 24, 9, 15)),  # as the slip prints it
    ("2025-11-24T09:15", dt.datetime(2025, 11, 24, 9, 15)),
    ("2025-11-24 09:15:30", dt.datetime(2025, 11, 24, 9, 15, 30)),
    ("2025-11-24T09:15:00+07:00", dt.datetime(2025, 11, 24, 9, 15, tzinfo=VN)),
    ("2025-11-24T02:15Z", dt.datetime(2025, 11, 24, 2, 15, tzinfo=dt.timezone.utc)),
])
def test_moments(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text, code, message", [
    ("30/02/2026 09:00", "impossible_date", "Không có ngày 30/02/2026."),
    ("24/11/2025 25:00", "impossible_time", "Không có giờ 25:00."),
    ("24/11/2025 09:75", "impossible_time", "Không có giờ 09:75."),
    ("24/11/2025", "invalid_datetime", "'24/11/2025' thiếu giờ: gõ như 24/11/2025 09:15"),
    ("sáng mai", "invalid_datetime", "'sáng mai' không phải thời điểm: gõ như 24/11/2025 09:15"),
])
def test_moment_mistakes(text, code, message):
    with pytest.raises(DomainError) as err:
        parse_moment(text)
    assert err.value.code == code and err.value.message.startswith(message)


def test_format_date_is_day_first():
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert parse_date(format_date(dt.date(2025, 7, 1))) == dt.date(2025, 7, 1)


def test_two_digit_years_only_where_the_century_is_known():
    # LibreOffice Calc writes a date it recognised in a CSV back as 01/07/25.
    assert parse_date("01/07/25", century=2000) == dt.date(2025, 7, 1)
    for text in ("04/03/90", "01/07/25"):  # a birth year 1990 or 2090? never guessed
        with pytest.raises(DomainError) as err:
            parse_date(text)
        assert err.value.code == "invalid_date"
    with pytest.raises(DomainError):
        parse_moment("24/11/25 09:15")
