"""Hardened input: whatever is typed or imported, the domain either accepts it or refuses it with
its documented error and a Vietnamese message; it never crashes with anything else.

Hypothesis generates the input (tests/conftest.py: 150 examples a property in CI, HYPOTHESIS_PROFILE=long
for 3,000).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.catalogue_csv import CSV_COLUMNS, catalogue_to_csv, parse_csv
from desk_app.domain.catalogue_io import CatalogueError, catalogue_to_json, parse_json
from desk_app.domain.csv_files import decode
from desk_app.domain.dates import format_date, parse_date, parse_moment
from desk_app.domain.dossier import Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.schedule_io import ScheduleError, parse_schedule_csv
from desk_app.domain.text import nfc
from desk_app.domain.validation import check_email, check_id_number, check_name, check_phone, clean_applicant
from tests.vietnamese import is_vietnamese

TODAY = dt.date(2026, 11, 23)
# Text as it arrives from keyboards and files: Vietnamese in NFC and NFD, digits, separators,
# control characters, look-alike apostrophes, emoji.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạĐđƯưỜờỮữ"
typed = st.text(alphabet=st.sampled_from(list(VIETNAMESE + "0123456789 .,;:-'’ʼ/\\|@\"\t\n\r\x00🙂")) | st.characters(),
                max_size=60)
nfd = typed.map(lambda s: unicodedata.normalize("NFD", s))


def refused_in_vietnamese(exc: DomainError) -> None:
    assert is_vietnamese(exc.message), exc.message
    if isinstance(exc, ValidationErrors):
        assert exc.errors and all(is_vietnamese(e.message) for e in exc.errors)


def file_refusal(exc: CatalogueError | ScheduleError) -> None:
    assert exc.problems, "a refused file names its bad lines"
    for line, message in exc.problems:
        assert isinstance(line, int) and line >= 1 and is_vietnamese(message), (line, message)


# Validators -----------------------------------------------------------------------------------


@given(value=typed | nfd, birth=st.none() | st.dates(dt.date(1800, 1, 1), dt.date(2199, 12, 31)),
       sex=st.none() | st.sampled_from(Sex))
def test_id_numbers_are_twelve_digits_or_refused(value, birth, sex):
    try:
        digits = check_id_number(value, birth_date=birth, sex=sex)
    except DomainError as exc:
        refused_in_vietnamese(exc)
    else:
        assert len(digits) == 12 and digits.isdigit()


@given(province=st.sampled_from(["001", "079", "096"]), gene=st.integers(0, 9), rest=st.integers(0, 99_999_999))
def test_every_well_formed_id_is_accepted_with_its_own_year_and_sex(province, gene, rest):
    number = f"{province}{gene}{rest:08d}"
    start = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 1800}[gene - gene % 2]
    year = start + int(number[4:6])
    sex = Sex.MALE if gene % 2 == 0 else Sex.FEMALE
    assert check_id_number(f" {number[:6]} {number[6:]} ", birth_date=dt.date(year, 1, 1), sex=sex) == number


@given(value=typed)
def test_phones_are_normalised_or_refused(value):
    try:
        phone = check_phone(value)
    except DomainError as exc:
        refused_in_vietnamese(exc)
    else:
        assert phone.isdigit() and phone.startswith("0")


@given(digits=st.text(alphabet="0123456789", min_size=8, max_size=8), prefix=st.sampled_from(["03", "05", "09"]),
       sep=st.sampled_from(["", " ", ".", "-"]))
def test_mobile_numbers_with_separators_are_accepted(digits, prefix, sep):
    typed_number = f"{prefix}{digits[:2]}{sep}{digits[2:5]}{sep}{digits[5:]}"
    assert check_phone(typed_number) == prefix + digits


@given(value=typed | nfd)
def test_names_and_emails_are_nfc_or_refused(value):
    for check in (check_name, check_email):
        try:
            result = check(value)
        except DomainError as exc:
            refused_in_vietnamese(exc)
        else:
            assert result == nfc(result) and result.strip() == result and result


@given(name=st.none() | typed | nfd, id_number=st.none() | typed, phone=st.none() | typed, email=st.none() | typed,
       address=st.none() | typed, birth=st.none() | st.dates(dt.date(1800, 1, 1), dt.date(2100, 1, 1)),
       sex=st.none() | st.sampled_from(Sex))
def test_an_applicant_is_clean_or_every_bad_field_is_named(name, id_number, phone, email, address, birth, sex):
    try:
        applicant = clean_applicant(name=name, id_number=id_number, birth_date=birth, sex=sex, phone=phone,
                                    address=address, email=email, today=TODAY)
    except DomainError as exc:
        refused_in_vietnamese(exc)
        if isinstance(exc, ValidationErrors):
            assert all(e.field for e in exc.errors)
    else:
        assert applicant.name == nfc(applicant.name)


# Dates ----------------------------------------------------------------------------------------


@given(value=typed | st.from_regex(r"\A\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}( \d{1,2}:\d{1,2})?\Z"))
def test_dates_and_moments_parse_or_are_refused(value):
    for parse in (parse_date, parse_moment):
        try:
            parse(value)
        except DomainError as exc:
            refused_in_vietnamese(exc)


@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_every_date_and_moment_round_trips_in_both_spellings(day, hour, minute):
    assert parse_date(format_date(day)) == day == parse_date(day.isoformat())
    moment = parse_moment(f"{format_date(day)} {hour:02d}:{minute:02d}")
    assert (moment.date(), moment.hour, moment.minute) == (day, hour, minute)


# Files ----------------------------------------------------------------------------------------


@given(data=st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused(data):
    try:
        text = decode(data, name="x.csv")
    except DomainError as exc:
        refused_in_vietnamese(exc)
    else:
        assert text == unicodedata.normalize("NFC", text)


cell = st.text(alphabet=st.sampled_from(list(VIETNAMESE + "0123456789 .,;:|/-\"'\n")), max_size=25) | st.sampled_from(
    ["", "0", "1", "3", "ngày làm việc", "working_days", "có", "không", "flat", "per_page", "free", "local",
     "10.000", "2000", "từ trang 1: 2000; từ trang 3: 1000", "direct", "01/07/2025", "31/02/2026", "2.00072",
     "Tờ khai|original|1|có", "x|y|z|w|v"])


@st.composite
def catalogue_csv(draw):
    columns = draw(st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=len(CSV_COLUMNS), unique=True)
                   | st.just(list(CSV_COLUMNS)))
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=5))
    delimiter = draw(st.sampled_from([",", ";"]))
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


@given(text=catalogue_csv() | typed)
def test_catalogue_csv_parses_or_names_its_bad_lines(text):
    try:
        catalogue = parse_csv(text, version="v")
    except CatalogueError as exc:
        file_refusal(exc)
    else:
        assert catalogue.procedures
        # What was accepted writes back and reads again the same.
        assert parse_csv(catalogue_to_csv(catalogue), version="v").procedures == catalogue.procedures


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | cell,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["code", "name", "time", "value", "unit", "fees", "documents", "kind", "amount", "tiers",
                         "from_page", "channels", "form", "count", "mandatory", "same_day", "effective_from",
                         "procedures", "version"]) | cell, children, max_size=6),
    max_leaves=20)


@given(value=json_values | st.fixed_dictionaries({"procedures": st.lists(json_values, max_size=3)}),
       raw=st.booleans())
def test_catalogue_json_parses_or_names_its_bad_lines(value, raw):
    text = json.dumps(value, ensure_ascii=False)
    if raw:
        text = text[: len(text) // 2]  # a file cut short
    try:
        catalogue = parse_json(text)
    except CatalogueError as exc:
        file_refusal(exc)
    else:
        assert parse_json(catalogue_to_json(catalogue)).procedures == catalogue.procedures


@given(rows=st.lists(st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(format_date) | cell,
                               cell, st.sampled_from(["holiday", "compensatory", "swapped_workday", "nghỉ lễ",
                                                      "làm bù", ""]) | cell), max_size=6),
       header=st.sampled_from(["date,name,kind", "date;name;kind", "date,name,kind,year,provisional", "ngay,ten"]))
def test_holiday_files_parse_or_name_their_bad_lines(rows, header):
    delimiter = ";" if ";" in header else ","
    extra = header.count(",") - 2 if delimiter == "," else 0
    lines = [header] + [delimiter.join(['"' + c.replace('"', '""') + '"' for c in (*row, *([""] * extra))])
                        for row in rows]
    try:
        years = parse_schedule_csv("\n".join(lines))
    except ScheduleError as exc:
        file_refusal(exc)
    else:
        assert sum(len(entries) for entries in years.values()) == len(rows)


@pytest.mark.parametrize("text", ["", "\ufeff", "code,name,time_value\n", ";;;\n;;;\n"])
def test_an_empty_catalogue_is_refused(text):
    with pytest.raises(CatalogueError) as err:
        parse_csv(text, version="v")
    file_refusal(err.value)


@pytest.mark.parametrize("text", ["", "\ufeff", "date,name,kind\n", "date;name;kind\r\n;;\r\n"])
def test_an_empty_holiday_file_is_refused(text):
    with pytest.raises(ScheduleError) as err:
        parse_schedule_csv(text)
    file_refusal(err.value)
