import unicodedata

from desk_app.domain.text import fold, format_vnd, nfc, search_tokens


def test_nfc_turns_decomposed_input_into_precomposed():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    assert nfd != "Nguyễn Thị Hoà"
    assert nfc(nfd) == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", nfc(nfd))


def test_nfc_collapses_spaces():
    assert nfc("  Trần   Văn\tBa ") == "Trần Văn Ba"


def test_fold_strips_marks_and_folds_d_bar():
    assert fold("Đặng Đình Đức") == "dang dinh duc"
    assert fold("đăng ký khai sinh") == "dang ky khai sinh"


def test_fold_equates_old_and_new_tone_placement_and_nfd():
    assert fold("hoà") == fold("hòa") == fold(unicodedata.normalize("NFD", "hòa")) == "hoa"
    assert fold("thuý") == fold("thúy")


def test_search_tokens_split_codes():
    assert search_tokens("000.21.33.H49-250715-0007") == ["000", "21", "33", "h49", "250715", "0007"]


def test_money_format():
    assert format_vnd(1_000_000) == "1.000.000 đ"
    assert format_vnd(0) == "0 đ"


def test_sort_key_is_vietnamese_dictionary_order():
    from desk_app.domain.text import sort_key

    names = ["Zoãn", "Đặng", "Dương", "Ưng", "Uyên", "Âu", "An", "Ánh", "Anh", "Bùi", "Hà", "Ơn", "Ông"]
    assert sorted(names, key=sort_key) == [
        "An", "Anh", "Ánh", "Âu", "Bùi", "Dương", "Đặng", "Hà", "Ông", "Ơn", "Uyên", "Ưng", "Zoãn"]
    assert sort_key(unicodedata.normalize("NFD", "Đặng")) == sort_key("Đặng")
    assert sort_key("hoà") == sort_key("hòa")


# Apostrophes in the names of the Central Highlands' peoples -----------------------------------


def test_every_apostrophe_look_alike_is_stored_as_ascii():
    from desk_app.domain.text import nfc

    for typed in ("H’Hen Niê", "H‘Hen Niê", "HʼHen Niê", "HʻHen Niê", "H`Hen Niê", "H´Hen Niê", "H'Hen Niê"):
        assert nfc(typed) == "H'Hen Niê", typed
    assert nfc(unicodedata.normalize("NFD", "Ksor H’Ba")) == "Ksor H'Ba"


def test_fold_treats_the_apostrophes_alike():
    assert fold("H’Hen Niê") == fold("H'Hen Niê") == "h'hen nie"
    assert search_tokens("H’Hen") == search_tokens("h'hen") == ["h", "hen"]


def test_name_index_text_adds_the_joined_word():
    from desk_app.domain.text import fold_name

    assert fold_name("Ksor H’Ba") == "ksor h'ba hba"
    assert fold_name("Y Khoa Niê Kđăm") == "y khoa nie kdam"
