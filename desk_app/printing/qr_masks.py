"""The QR mask choice of segno, computed on whole rows at once: the same mask, ten times faster.

A QR symbol's data are XORed with one of eight mask patterns, and the standard's encoder picks
the one with the lowest penalty (ISO/IEC 18004:2015, 7.8.3: runs of one colour, 2×2 blocks,
finder-like 1:1:3:1:1 patterns, the share of dark modules). segno (pure Python) scores every
module of every candidate in a Python loop: about 3 ms of the 4 ms a slip's code takes, twice per
dossier. Here a row is one integer (masking is one XOR) or one string (runs and patterns are
regular-expression and substring searches in C), and the score is segno's, term by term, so the
chosen mask and the symbol are identical (tests/printing/test_qr_masks.py compares them).

``install()`` puts this function in place of segno's for normal QR codes (Micro QR codes and a
mask given by the caller keep segno's own path), only for the segno release it was checked with.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import segno
from segno import encoder as _segno_encoder

encoder: Any = _segno_encoder  # segno's internals carry no type hints

CHECKED_SEGNO = "1.6.6"
_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "1011101"
_TO_TEXT = bytes.maketrans(b"\x00\x01", b"01")
_TO_MODULES = bytes.maketrans(b"01", b"\x00\x01")


@functools.lru_cache(maxsize=16)
def _masks(width: int) -> tuple[tuple[int, ...], ...]:
    """Per mask pattern, each row's XOR as an integer: the pattern limited to the data region."""
    function = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function, width, width)
    encoder.add_alignment_patterns(function, width, width)
    function[-8][8] = 0x1  # the dark module
    masks = []
    for pattern in encoder.get_data_mask_functions(False):
        rows = []
        for i in range(width):
            bits = "".join("1" if function[i][j] > 0x1 and pattern(i, j) else "0" for j in range(width))
            rows.append(int(bits, 2))
        masks.append(tuple(rows))
    return tuple(masks)


def _finder_like(seq: str, size: int) -> int:
    """segno's N3 term for one row or column, the same search and the same skips."""
    count = 0
    idx = seq.find(_FINDER_LIKE)
    while idx != -1:
        offset = idx + 7
        if idx in (0, size - 7) or "1" not in seq[max(idx - 4, 0):idx] or "1" not in seq[offset:offset + 4]:
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_FINDER_LIKE, offset)
    return count


def penalty(rows: Sequence[int], width: int) -> int:
    """The standard's penalty score (N1 + N2 + N3 + N4) of a square symbol given as row integers."""
    texts = [format(row, f"0{width}b") for row in rows]
    lines = [*texts, *("".join(column) for column in zip(*texts))]
    # N1: a run of 5 + i modules of one colour costs 3 + i; one search over all rows and columns
    # (the separator ends every run).
    runs = _RUNS.findall("|".join(lines))
    score = sum(map(len, runs)) - 2 * len(runs)
    score += sum(_finder_like(line, width) for line in lines if _FINDER_LIKE in line)  # N3
    # N2: 3 points per 2×2 block of one colour (blocks overlap), both rows and the pair of columns.
    pairs = (1 << (width - 1)) - 1
    for above, below in zip(rows, rows[1:]):
        same = ~(above ^ below)
        score += 3 * (same & (same >> 1) & ~(above ^ (above >> 1)) & pairs).bit_count()
    dark = sum(row.bit_count() for row in rows)
    score += 10 * int(abs(dark / (width * width) * 100 - 50) / 5)  # N4
    return score


def best_mask(matrix: Sequence[bytearray], width: int, height: int,
              proposed_mask: int | None = None) -> tuple[int, tuple[bytearray, ...]]:
    """segno.encoder.find_and_apply_best_mask for normal QR codes: (mask number, masked matrix)."""
    if proposed_mask is not None or width != height or width < 21:
        return _segno_best_mask(matrix, width, height, proposed_mask)
    rows = [int(bytes(row).translate(_TO_TEXT), 2) for row in matrix]
    best_score, best_number, best_rows = -1, 0, rows
    for number, mask in enumerate(_masks(width)):
        candidate = [row ^ bits for row, bits in zip(rows, mask)]
        score = penalty(candidate, width)
        if best_score < 0 or score < best_score:  # the first of equal scores, as segno
            best_score, best_number, best_rows = score, number, candidate
    masked = tuple(bytearray(format(row, f"0{width}b").encode().translate(_TO_MODULES)) for row in best_rows)
    return best_number, masked


_segno_best_mask: Callable[..., tuple[int, tuple[bytearray, ...]]] = encoder.find_and_apply_best_mask


def install() -> bool:
    """Use ``best_mask`` inside segno when its release is the checked one; True when installed."""
    if segno.__version__ != CHECKED_SEGNO:
        return False
    encoder.find_and_apply_best_mask = best_mask
    return True
