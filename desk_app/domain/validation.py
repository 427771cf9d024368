"""Checks on what the receptionist types: ID number, phone, email, names and lengths."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from desk_app.domain.dossier import Applicant, Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.text import nfc_or_none

# Birth-registration province codes of the 12-digit personal ID (TT 07/2016/TT-BCA, 63 provinces).
# The code records where the birth was registered, so it never changes with later mergers; the
# codes for births registered in the 34 provinces after 1/7/2025 are not published, so callers
# may pass their own set.
ID_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 "
    "036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 "
    "074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

# Century-and-sex digit: even = male, odd = female; pairs step through centuries from 1900.
_CENTURY_START = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 1800}

_P = ParamSpec("_P")
_T = TypeVar("_T")

MAX_NAME = 100
MAX_ADDRESS = 250
MAX_EMAIL = 254

# Words of letters joined by a space, dot, hyphen or apostrophe ("H'Hen Niê"); nfc() has already
# turned the apostrophe look-alikes that phones type (’ ‘ ʼ) into '.
_NAME = re.compile(r"^[^\W\d_]+(?:[ '.-][^\W\d_]+)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_JUNK = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")


def check_id_number(
    value: str,
    *,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    province_codes: frozenset[str] = ID_PROVINCE_CODES,
) -> str:
    """A 12-digit personal ID, consistent with birth year and sex when they are given."""
    digits = value.strip().replace(" ", "")
    if not re.fullmatch(r"\d{12}", digits):
        raise DomainError("invalid_id_number", "Số định danh cá nhân phải gồm đúng 12 chữ số.", field="id_number")
    if digits[:3] not in province_codes:
        raise DomainError(
            "invalid_id_province",
            f"Ba số đầu '{digits[:3]}' không phải mã tỉnh nơi đăng ký khai sinh.",
            field="id_number",
        )
    gene = int(digits[3])
    century = _CENTURY_START[gene - gene % 2]
    id_sex = Sex.MALE if gene % 2 == 0 else Sex.FEMALE
    if sex is not None and sex is not id_sex:
        raise DomainError(
            "id_sex_mismatch",
            f"Số định danh ghi giới tính {id_sex.label}, khác giới tính đã nhập ({sex.label}).",
            field="id_number",
        )
    if birth_date is not None:
        id_year = century + int(digits[4:6])
        if id_year != birth_date.year:
            raise DomainError(
                "id_year_mismatch",
                f"Số định danh ghi năm sinh {id_year}, khác ngày sinh đã nhập ({birth_date:%d/%m/%Y}).",
                field="id_number",
            )
    return digits


def check_phone(value: str) -> str:
    """A Vietnamese mobile (10 digits) or landline (11 digits, 02…); +84 becomes 0."""
    digits = _PHONE_JUNK.sub("", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not (_MOBILE.match(digits) or _LANDLINE.match(digits)):
        raise DomainError(
            "invalid_phone",
            "Số điện thoại không hợp lệ (di động 10 số bắt đầu 03, 05, 07, 08, 09; cố định 11 số bắt đầu 02).",
            field="phone",
        )
    return digits


def check_email(value: str) -> str:
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise DomainError("invalid_email", "Địa chỉ thư điện tử không hợp lệ.", field="email")
    return value.lower()


def check_name(value: str | None) -> str:
    name = nfc_or_none(value)
    if not name:
        raise DomainError("name_required", "Chưa nhập họ tên người nộp hồ sơ.", field="name")
    if len(name) > MAX_NAME:
        raise DomainError("name_too_long", f"Họ tên dài quá {MAX_NAME} ký tự.", field="name")
    if not _NAME.match(name):
        raise DomainError(
            "invalid_name", "Họ tên chỉ được gồm chữ cái, khoảng trắng, dấu nháy (như H'Hen) và gạch nối.", field="name"
        )
    return name


def check_birth_date(value: dt.date, *, today: dt.date) -> dt.date:
    if value > today:
        raise DomainError("birth_in_future", "Ngày sinh không được sau ngày hôm nay.", field="birth_date")
    if value.year < 1900:
        raise DomainError("birth_too_old", "Ngày sinh phải từ năm 1900 trở đi.", field="birth_date")
    return value


def clean_applicant(
    *,
    name: str | None,
    id_number: str | None = None,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    phone: str | None = None,
    address: str | None = None,
    email: str | None = None,
    today: dt.date,
) -> Applicant:
    """Validate every field at once and return the NFC-normalised applicant.

    Raises ValidationErrors listing each bad field, so a form can mark all of them together.
    """
    errors: list[DomainError] = []

    def attempt(check: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T | None:
        try:
            return check(*args, **kwargs)
        except DomainError as exc:
            errors.append(exc)
            return None

    clean_name = attempt(check_name, name)
    clean_birth = attempt(check_birth_date, birth_date, today=today) if birth_date else None
    id_text = nfc_or_none(id_number)
    clean_id = attempt(check_id_number, id_text, birth_date=clean_birth, sex=sex) if id_text else None
    phone_text = nfc_or_none(phone)
    clean_phone = attempt(check_phone, phone_text) if phone_text else None
    email_text = nfc_or_none(email)
    clean_email = attempt(check_email, email_text) if email_text else None
    clean_address = nfc_or_none(address)
    if clean_address and len(clean_address) > MAX_ADDRESS:
        errors.append(DomainError("address_too_long", f"Địa chỉ dài quá {MAX_ADDRESS} ký tự.", field="address"))
    if errors:
        raise ValidationErrors(errors)
    assert clean_name is not None
    return Applicant(
        name=clean_name,
        id_number=clean_id,
        birth_date=clean_birth,
        sex=sex,
        phone=clean_phone,
        address=clean_address,
        email=clean_email,
    )
