"""The 2025 administrative units shipped for the address picker (no dependency on the source package)."""

from __future__ import annotations

import pytest

from desk_app.services.units import load_units, parse_units, search_units


@pytest.fixture(scope="module")
def units():
    return load_units()


def test_the_shipped_list_has_the_two_tier_units(units):
    assert len(units) == 3321
    assert len({u.province_code for u in units}) == 34
    assert len({u.code for u in units}) == 3321
    assert {u.name.split(" ")[0] for u in units} == {"Xã", "Phường", "Đặc"}  # xã, phường, đặc khu


def test_search_ignores_diacritics_and_folds_d(units):
    found = search_units(units, "tan phu dong thap")
    assert found[0].label == "Xã Tân Phú, Tỉnh Đồng Tháp"
    assert all(u.province_name == "Tỉnh Đồng Tháp" for u in found)
    assert search_units(units, "ba dinh ha noi")[0].label == "Phường Ba Đình, Thành phố Hà Nội"
    assert any(u.province_name == "Tỉnh Đắk Lắk" for u in search_units(units, "dak lak", limit=50))


def test_whole_words_rank_before_parts_of_words(units):
    labels = [u.label for u in search_units(units, "tan phu", limit=50)]
    first_partial = next(i for i, label in enumerate(labels) if "Tân Phước" in label or "Tân Phúc" in label)
    assert all("Tân Phú" in label for label in labels[:first_partial])


def test_an_empty_query_finds_nothing(units):
    assert search_units(units, "  ") == []


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(ValueError, match="columns"):
        parse_units("tinh,xa\nA,B\n")
