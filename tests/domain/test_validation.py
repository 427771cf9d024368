import datetime as dt
import unicodedata

import pytest

from desk_app.domain.dossier import Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.validation import check_id_number, check_phone, clean_applicant

TODAY = dt.date(2026, 11, 22)


def test_valid_id_for_man_born_1990_in_hanoi():
    assert check_id_number("001090012345", birth_date=dt.date(1990, 5, 1), sex=Sex.MALE) == "001090012345"


def test_century_digit_for_woman_born_2003():
    assert check_id_number("079303000001", birth_date=dt.date(2003, 2, 2), sex=Sex.FEMALE)


@pytest.mark.parametrize(
    "number, birth, sex, code",
    [
        ("00109001234", None, None, "invalid_id_number"),  # 11 digits
        ("00109001234a", None, None, "invalid_id_number"),
        ("003090012345", None, None, "invalid_id_province"),  # 003 is not a province code
        ("001090012345", None, Sex.FEMALE, "id_sex_mismatch"),
        ("001090012345", dt.date(1991, 1, 1), None, "id_year_mismatch"),
        ("001290012345", dt.date(1990, 1, 1), None, "id_year_mismatch"),  # 2 = 2000s
    ],
)
def test_bad_ids(number, birth, sex, code):
    with pytest.raises(DomainError) as err:
        check_id_number(number, birth_date=birth, sex=sex)
    assert err.value.code == code
    assert err.value.field == "id_number"


@pytest.mark.parametrize("raw, clean", [("0912 345 678", "0912345678"), ("+84912345678", "0912345678"),
                                        ("024.3825.1234", "02438251234")])
def test_phones(raw, clean):
    assert check_phone(raw) == clean


@pytest.mark.parametrize("raw", ["0112345678", "12345", "09123456789"])
def test_bad_phones(raw):
    with pytest.raises(DomainError):
        check_phone(raw)


def test_clean_applicant_normalises_every_text_to_nfc():
    nfd_name = unicodedata.normalize("NFD", "Lê Thị Thuỳ")
    nfd_addr = unicodedata.normalize("NFD", "Thôn Đồng Tâm, xã Tân Phú")
    a = clean_applicant(name=nfd_name, address=nfd_addr, today=TODAY)
    assert a.name == "Lê Thị Thuỳ" and unicodedata.is_normalized("NFC", a.name)
    assert unicodedata.is_normalized("NFC", a.address)


def test_clean_applicant_reports_every_bad_field_at_once():
    with pytest.raises(ValidationErrors) as err:
        clean_applicant(name="", phone="123", email="x@", birth_date=dt.date(2030, 1, 1), today=TODAY)
    fields = {e.field for e in err.value.errors}
    assert fields == {"name", "phone", "email", "birth_date"}
    assert all(e.message for e in err.value.errors)


def test_name_rules():
    with pytest.raises(ValidationErrors):
        clean_applicant(name="Nguyen 123", today=TODAY)
    with pytest.raises(ValidationErrors):
        clean_applicant(name="A" * 101, today=TODAY)
    assert clean_applicant(name="H'Hen Niê", today=TODAY).name == "H'Hen Niê"


@pytest.mark.parametrize("typed, stored", [
    ("Y Khoa Niê Kđăm", "Y Khoa Niê Kđăm"),
    ("H’Hen Niê", "H'Hen Niê"),
    ("H‘Hen Niê", "H'Hen Niê"),
    ("Ksor HʼBa", "Ksor H'Ba"),
    ("Ksor H'Ba", "Ksor H'Ba"),
    ("Rơ Châm H’Bi", "Rơ Châm H'Bi"),
])
def test_central_highlands_names_with_any_apostrophe_are_accepted_and_stored_alike(typed, stored):
    assert clean_applicant(name=typed, today=TODAY).name == stored


def test_a_name_that_is_not_a_name_says_what_is_allowed():
    with pytest.raises(ValidationErrors) as err:
        clean_applicant(name="H’’Hen", today=TODAY)
    assert "dấu nháy (như H'Hen)" in err.value.errors[0].message
