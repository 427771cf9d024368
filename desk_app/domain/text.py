"""Vietnamese text: NFC normalisation and the diacritic-free fold used for search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a combining mark, so NFD does not strip it;
# SQLite's remove_diacritics leaves it too. Fold it explicitly.
_LETTER_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
# Names of the Central Highlands' peoples (Ê Đê, Gia Rai, …) carry an apostrophe: "H'Hen Niê",
# "Ksor H'Ba". Phones and word processors type it as ’ ‘ ʼ ʻ ′ or even ` ´; one stored form
# (ASCII ') makes the same name compare, sort and search the same whichever way it was typed.
APOSTROPHE = "'"
APOSTROPHE_LOOKALIKES = "\u2019\u2018\u02bc\u02bb\u2032`\u00b4"
_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHE_LOOKALIKES, APOSTROPHE))
_APOSTROPHE_WORD = re.compile(r"\w+(?:'\w+)+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, with outer whitespace trimmed, inner runs collapsed and
    every apostrophe look-alike written as ASCII '."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_APOSTROPHES)).strip()


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
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_FOLD).translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_name(name: str) -> str:
    """The folded name for the search index, with apostrophe words also written joined.

    The index splits words at the apostrophe, so "H'Hen" is found by "h'hen", "h’hen" or
    "h hen"; the joined form adds "hhen", for people who leave the apostrophe out.
    """
    folded = fold(name)
    joined = [word.replace(APOSTROPHE, "") for word in _APOSTROPHE_WORD.findall(folded)]
    return " ".join([folded, *joined])


def search_tokens(text: str) -> list[str]:
    """Split folded text into the word tokens the full-text index stores."""
    return re.findall(r"[0-9a-z]+", fold(text))


def format_vnd(amount: int) -> str:
    """Vietnamese money: 1000000 → "1.000.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"


# Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with
# the Latin letters Vietnamese lacks (f j w z) in their usual places.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
             "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: chr(0x100 + i) for i, letter in enumerate(_ALPHABET)}
# Tone marks sort after the bare letter: ngang, huyền, sắc, hỏi, ngã, nặng.
_TONE_RANK = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_TONES = frozenset(_TONE_RANK)


def sort_key(text: str) -> str:
    """A string whose plain (binary) order is Vietnamese dictionary order of ``text``.

    Letters decide first (đ after d, ơ after ô …), then the tone of each word: "Đặng" sorts
    after "Dương" and before "Hà", instead of after "Z" as in code-point order. A syllable
    carries one tone wherever it is placed, so "hoà" and "hòa" get the same key.
    """
    letters: list[str] = []
    tones: list[str] = []
    for word in nfc(text).casefold().split(" "):
        tone = "0"
        for char in word:
            parts = unicodedata.normalize("NFD", char)
            mark = next((m for m in parts if m in _TONES), "")
            if mark:
                tone = _TONE_RANK[mark]
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
            letters.append(_LETTER_RANK.get(base, base))
        letters.append(" ")
        tones.append(tone)
    return "".join(letters).rstrip(" ") + "\x00" + "".join(tones)
