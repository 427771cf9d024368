"""Vietnamese text: NFC normalisation and the diacritic-free fold used for search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a combining mark, so NFD does not strip it;
# SQLite's remove_diacritics leaves it too. Fold it explicitly.
_LETTER_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, with outer whitespace trimmed and inner runs collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def nfc_or_none(text: str | None) -> str | None:
    """NFC-normalise an optional text; empty or blank becomes None."""
    if text is None:
        return None
    cleaned = nfc(text)
    return cleaned or None


def fold(text: str) -> str:
    """Lower-case, strip every diacritic and fold đ→d: "Đặng Thị Hoà" → "dang thi hoa".

    Old and new tone placement ("hoà"/"hòa") fold to the same string, so both match.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_tokens(text: str) -> list[str]:
    """Split folded text into the word tokens the full-text index stores."""
    return re.findall(r"[0-9a-z]+", fold(text))


def format_vnd(amount: int) -> str:
    """Vietnamese money: 1000000 → "1.000.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"
