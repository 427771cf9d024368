"""Locate the bundled resources and register the Liberation Serif family with reportlab once."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desk_app.paths import resources_dir

FAMILY = "LiberationSerif"
REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


class FontError(RuntimeError):
    """The bundled fonts are missing or lack glyphs the forms need."""


def _vietnamese_alphabet() -> str:
    """Every precomposed letter of Vietnamese, both cases: the glyphs a name or address may need."""
    vowels = "aăâeêioôơuưy"
    # The five tone marks as combining characters; NFC folds base+mark into one code point.
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("abcdefghijklmnopqrstuvwxyzđ")
    return "".join(sorted(letters | {ch.upper() for ch in letters}))


# Letters, digits and the punctuation the forms themselves print.
REQUIRED_CHARS = _vietnamese_alphabet() + "0123456789 .,:;-–()/%…“”'\"&+#@_"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def missing_glyphs(font_name: str, text: str) -> str:
    """The characters of ``text`` (NFC) that the registered font ``font_name`` has no glyph for."""
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        raise FontError(f"{font_name} is not a TrueType font")
    cmap: dict[int, int] = font.face.charToGlyph
    wanted = unicodedata.normalize("NFC", text)
    return "".join(sorted({ch for ch in wanted if not ch.isspace() and ord(ch) not in cmap}))


@functools.cache
def register_fonts() -> str:
    """Register the four faces and the family mapping (idempotent); return the family name.

    Raises FontError when a file is missing or a face lacks a Vietnamese letter: better to fail
    loudly at the first print than to put empty boxes on a citizen's receipt.
    """
    for name, filename in _FILES.items():
        path = fonts_dir() / filename
        if not path.is_file():
            raise FontError(f"font file not found: {path}")
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        missing = missing_glyphs(name, REQUIRED_CHARS)
        if missing:
            raise FontError(f"{filename} lacks glyphs for {missing!r}")
    # <b>/<i> in Paragraph markup resolve through these mappings.
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return FAMILY
