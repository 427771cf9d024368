import datetime as dt

import pytest

from desk_app.domain import codes
from desk_app.domain.errors import DomainError


def test_code_format_matches_circular_example():
    code = codes.DossierCode("000.21.33.H49", dt.date(2025, 7, 15), 7)
    assert str(code) == "000.21.33.H49-250715-0007"
    assert codes.parse_code(str(code)) == code


def test_desk_one_starts_at_0001_and_desk_two_at_1001():
    assert codes.next_sequence(1, None) == 1
    assert codes.next_sequence(1, 1) == 2
    assert codes.next_sequence(2, None) == 1001
    assert codes.next_sequence(10, None) == 9001


def test_two_desks_never_share_a_code():
    issued_1 = {codes.next_sequence(1, n if n else None) for n in range(0, 999)}
    issued_2 = {codes.next_sequence(2, 1000 + n if n else None) for n in range(0, 999)}
    assert len(issued_1) == len(issued_2) == 999
    assert not issued_1 & issued_2
    assert all(codes.DossierCode("X", dt.date(2026, 1, 5), s).desk_no == 2 for s in issued_2)


def test_range_exhaustion_is_an_error_not_an_overlap():
    with pytest.raises(DomainError) as err:
        codes.next_sequence(1, 999)
    assert err.value.code == "code_range_exhausted"


@pytest.mark.parametrize("desk", [0, 11, -1])
def test_desk_number_bounds(desk):
    with pytest.raises(DomainError):
        codes.desk_range(desk)


@pytest.mark.parametrize("bad", ["abc", "X-251345-0001", "X-250715-7", "X-250715-00001"])
def test_parse_rejects_bad_codes(bad):
    with pytest.raises(DomainError):
        codes.parse_code(bad)


def test_unit_code_check():
    assert codes.check_unit_code("000.21.33.H49") == "000.21.33.H49"
    with pytest.raises(DomainError):
        codes.check_unit_code("xã tân phú")
