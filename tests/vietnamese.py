"""What the property tests ask of every refusal: a message a Vietnamese officer can read."""

import unicodedata

# Letters only Vietnamese text has (beyond ASCII): đ, the vowels with a breve, circumflex or horn,
# and any letter carrying a tone mark.
_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def is_vietnamese(message: str) -> bool:
    """Non-empty, and written with Vietnamese letters (a diacritic or đ somewhere)."""
    if not message or not message.strip():
        return False
    decomposed = unicodedata.normalize("NFD", message)
    return "đ" in message.lower() or any(ch in _MARKS for ch in decomposed)
