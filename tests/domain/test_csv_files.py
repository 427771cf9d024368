"""Files as Excel and LibreOffice Calc save them: real bytes in each encoding and separator."""

import codecs
import unicodedata

import pytest

from desk_app.domain.csv_files import SAVE_AS_UTF8, decode, read_table
from desk_app.domain.errors import DomainError

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """The bytes Excel writes on a Vietnamese Windows: letters with their circumflex, breve or
    horn precomposed (â ă ơ ư đ …), each tone mark as a separate combining byte after it."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONE_MARKS))
        out.append(base + "".join(p for p in parts if p in TONE_MARKS))
    return "".join(out).encode("cp1258")


TEXT = "date;name;kind\r\n30/04/2027;Ngày Chiến thắng;nghỉ lễ\r\n01/05/2027;Quốc tế Lao động;holiday\r\n"


def test_utf8_with_and_without_bom():
    assert decode(TEXT.encode("utf-8"), name="a.csv") == TEXT
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), name="a.csv") == TEXT


def test_utf8_in_nfd_comes_back_nfc():
    nfd = unicodedata.normalize("NFD", TEXT)
    assert nfd != TEXT
    assert decode(nfd.encode("utf-8"), name="a.csv") == TEXT


def test_windows_1258_is_converted_and_composed():
    data = windows_1258(TEXT)
    # Windows-1258 writes most tone marks as separate bytes after the letter: the raw decoding
    # is not NFC, and the UTF-8 decoder refuses it.
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not unicodedata.is_normalized("NFC", data.decode("cp1258"))
    assert decode(data, name="a.csv") == TEXT


def test_windows_1258_with_typography_from_word_processors():
    text = "code;name\r\n1.001193;Đăng ký khai sinh – “mẫu” H’Hen…\r\n"
    assert decode(windows_1258(text), name="a.csv") == text


def test_utf16_unicode_text_from_excel():
    text = TEXT.replace(";", "\t")
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), name="a.txt") == text


@pytest.mark.parametrize("data", [
    # "Đăng ký khai sinh" in the old TCVN3 (ABC) font encoding: valid Windows-1258 bytes, wrong letters.
    b"code,name\r\n1.001193,\xa7\xa8ng k\xfd khai sinh\r\n",
    # Undefined in Windows-1258 and not UTF-8.
    b"code,name\r\n1,\x81\x8a\x9f\r\n",
    # Latin-1 symbols only, no Vietnamese letter to recognise.
    b"code,name\r\n1,\xa9\xae\xb1\r\n",
])
def test_unknown_encoding_is_refused_with_how_to_save_as_utf8(data):
    with pytest.raises(DomainError) as err:
        decode(data, name="danh-muc.csv")
    assert err.value.code == "unknown_encoding"
    assert "danh-muc.csv" in err.value.message and SAVE_AS_UTF8 in err.value.message
    assert "CSV UTF-8" in SAVE_AS_UTF8 and "Unicode (UTF-8)" in SAVE_AS_UTF8


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_separator_is_sniffed_from_the_header(delimiter):
    text = delimiter.join(["Date", " name ", "KIND"]) + "\n" + delimiter.join(["30/04/2027", "Lễ", "holiday"]) + "\n"
    table = read_table(text)
    assert table.columns == ("date", "name", "kind")
    assert [r.cells for r in table.rows] == [{"date": "30/04/2027", "name": "Lễ", "kind": "holiday"}]


def test_quoted_multiline_cells_crlf_blank_rows_and_line_numbers():
    text = (
        '\ufeffcode;name;notes\r\n'        # 1
        'A;"Tên; có chấm phẩy";"dòng một\r\n'  # 2
        'dòng hai"\r\n'                    # 3
        ';;\r\n'                           # 4: Excel's formatted empty row
        'B;Tên B;\r\n'                     # 5
        'C;Tên C;x;thừa\r\n'               # 6: one cell too many
        'D;Tên D\r\n'                      # 7: short row, missing cells are empty
    )
    table = read_table(text)
    assert [(r.line, r.cells["code"]) for r in table.rows] == [(2, "A"), (5, "B"), (7, "D")]
    assert table.rows[0].cells["name"] == "Tên; có chấm phẩy"
    assert table.rows[0].cells["notes"] == "dòng một\r\ndòng hai"
    assert table.rows[2].cells["notes"] == ""
    assert table.problems == ((6, "dòng có 4 ô, nhiều hơn 3 cột của dòng tiêu đề"),)


def test_old_mac_line_ends_and_a_runaway_quote_are_read_or_reported_never_a_crash():
    from desk_app.domain.csv_files import read_table

    table = read_table("date,name,kind\r01/01/2027,Tết Dương lịch,holiday\r")
    assert [r.cells["name"] for r in table.rows] == ["Tết Dương lịch"] and not table.problems
    huge = "code,name\n1," + '"' + "x" * 200_000 + '"\n'
    table = read_table(huge)
    assert table.problems and table.problems[0][1].startswith("dòng CSV hỏng")
