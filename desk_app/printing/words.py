"""Amounts of money in Vietnamese words, as written on receipts: 12000 → "Mười hai nghìn đồng"."""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")  # below a billion; "tỷ" recurses so 10^12 is "nghìn tỷ"
_BILLION = 1_000_000_000


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000. ``full`` reads leading zeros ("không trăm linh năm"), as a
    group does after a larger one: 1 005 000 is "một triệu không trăm linh năm nghìn"."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")  # hai mươi mốt
        elif units == 5 and tens >= 1:
            words.append("lăm")  # mười lăm, hai mươi lăm
        else:
            words.append(_DIGITS[units])
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    words: list[str] = []
    for index in range(len(_GROUPS) - 1, -1, -1):
        group = n // 1000**index % 1000
        if group == 0:
            continue  # a zero group is skipped: "một triệu không trăm linh năm" for 1 000 005
        words += _triple(group, full or bool(words))
        if _GROUPS[index]:
            words.append(_GROUPS[index])
    return words


def _number(n: int, full: bool = False) -> list[str]:
    if n >= _BILLION:
        head, rest = divmod(n, _BILLION)
        words = _number(head, full) + ["tỷ"]
        return words + (_below_billion(rest, True) if rest else [])
    return _below_billion(n, full)


def number_in_words(n: int) -> str:
    """A non-negative integer in lower-case Vietnamese words: 21 → "hai mươi mốt"."""
    if n < 0:
        raise ValueError(f"negative amount: {n}")
    return " ".join(_number(n)) if n else _DIGITS[0]


def amount_in_words(n: int) -> str:
    """An amount in đồng, capitalised as on a receipt: 1005000 → "Một triệu không trăm linh năm
    nghìn đồng"."""
    text = number_in_words(n) + " đồng"
    return text[0].upper() + text[1:]
