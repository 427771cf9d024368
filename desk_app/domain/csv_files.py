"""CSV files as offices save them from Excel or LibreOffice Calc: encoding, separator, blank rows."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from desk_app.domain.errors import DomainError

SAVE_AS_UTF8 = (
    'Hãy mở tệp và lưu lại dạng CSV UTF-8: trong Excel chọn Tệp (File) › Lưu thành (Save As) › kiểu '
    '"CSV UTF-8 (Comma delimited) (*.csv)"; trong LibreOffice Calc chọn File › Save As › kiểu "Text CSV (.csv)", '
    'đánh dấu "Edit filter settings" rồi chọn bộ ký tự "Unicode (UTF-8)".'
)

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for vowel in "aăâeêioôơuưy"
    for base in (vowel, vowel.upper())
    for tone in _TONES
) | {"đ", "Đ"}
# Typography a word processor or Excel puts into Vietnamese text, all inside Windows-1258.
_TYPOGRAPHY = frozenset("\u00a0“”‘’–—…•°«»·€")


def decode(data: bytes, *, name: str) -> str:
    """The text of a file saved by a spreadsheet, NFC-normalised.

    UTF-8 with or without BOM; UTF-16 with BOM (Excel's "Unicode Text"); or Windows-1258, which
    Excel on a Vietnamese Windows writes for plain "CSV (Comma delimited)". Windows-1258 stores
    tone marks as separate bytes, so its text only reads right after NFC. Any byte string decodes
    in some single-byte code page, so Windows-1258 is accepted only when every non-ASCII
    character it gives is a Vietnamese letter or common typography; files in the old TCVN3/VNI
    font encodings, or anything else, are refused with how to save them as UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="strict")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            found = _windows_1258(data)
            if found is None:
                raise DomainError(
                    "unknown_encoding",
                    f"Không nhận ra bảng mã của tệp {name} (không phải UTF-8, cũng không phải Windows-1258 "
                    f"của Excel tiếng Việt). {SAVE_AS_UTF8}",
                ) from None
            text = found
    return unicodedata.normalize("NFC", text)


def _windows_1258(data: bytes) -> str | None:
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    others = {c for c in text if ord(c) > 127 and c not in _VIETNAMESE_LETTERS and c not in _TYPOGRAPHY}
    # A tone mark left uncomposed after NFC, a C1 control or a symbol: not Vietnamese text.
    if others or not any(c in _VIETNAMESE_LETTERS for c in text):
        return None
    return text


@dataclass(frozen=True)
class CsvRow:
    line: int  # where the record starts: a quoted cell may span several lines
    cells: dict[str, str]  # column → cell text, stripped ("" for a missing cell)


@dataclass(frozen=True)
class CsvTable:
    columns: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    problems: tuple[tuple[int, str], ...]  # (line, Vietnamese message) found while reading


def read_table(text: str) -> CsvTable:
    """Rows of a CSV file with a header line.

    The separator is sniffed from the header (Excel with Vietnamese regional settings writes
    ``;``, elsewhere ``,``; "Unicode Text" uses tabs). Header names are trimmed and lower-cased.
    Rows with every cell blank (Excel writes ``;;;;`` for formatted empty rows) are skipped;
    a row with more cells than the header is a problem, never silently cut.
    """
    text = text.lstrip("\ufeff")
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    # newline="": the csv module reads \r, \n and \r\n line ends itself (a lone \r from an old
    # Mac export, or inside a cell, would otherwise stop the reader).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[CsvRow] = []
    problems: list[tuple[int, str]] = []
    try:
        header = next(reader, [])
    except csv.Error:
        return CsvTable((), (), ((1, _BROKEN),))
    columns = tuple(name.strip().lstrip("\ufeff").lower() for name in header)
    end_of_previous = reader.line_num
    for values in _records(reader, problems):
        line, end_of_previous = end_of_previous + 1, reader.line_num
        cells = [value.strip() for value in values]
        if not any(cells):
            continue
        if any(cells[len(columns):]):
            problems.append((line, f"dòng có {len(cells)} ô, nhiều hơn {len(columns)} cột của dòng tiêu đề"))
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        rows.append(CsvRow(line, dict(zip(columns, padded))))
    return CsvTable(columns, tuple(rows), tuple(problems))


_BROKEN = "dòng CSV hỏng (một ô quá dài, hoặc dấu ngoặc kép không đóng); không đọc tiếp được"


def _records(reader: Any, problems: list[tuple[int, str]]) -> Iterator[list[str]]:
    """The reader's records; a record it cannot read ends the file with a problem, never a crash."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            problems.append((reader.line_num or 1, _BROKEN))
            return
        yield values
