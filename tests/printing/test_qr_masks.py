"""The fast mask choice gives exactly segno's QR codes (desk_app/printing/qr_masks.py)."""

from __future__ import annotations

import random

import pytest
import segno
from segno import encoder

from desk_app.printing import qr_masks

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def _payloads() -> list[str | bytes]:
    rng = random.Random(7)
    payloads: list[str | bytes] = [
        "MHS:000.21.33.H49-261122-0007 DV:000.21.33.H49 HT:2026-11-25T09:15+07:00 KT:HH6WLP",
        "MHS:000.21.33.H49-261122-0007 KH:AA/26T SO:0000123 TIEN:8000 KT:Q2J8ZC",
        '{"so_phieu":"HD-2026-Q1-0001","ma_dinh_danh":"Nguyễn Thị Hằng"}'.encode(),
    ]
    for n in range(120):
        size = rng.choice([5, 30, 70, 90, 150, 260])
        if n % 3:
            payloads.append("".join(rng.choice(ALPHANUMERIC) for _ in range(size)))
        else:
            payloads.append("".join(rng.choice("Đặng Thị Hoà {}:,\"019") for _ in range(size)).encode())
    return payloads


def _symbol(payload: str | bytes) -> tuple[int, int, tuple[bytes, ...]]:
    code = segno.make_qr(payload, error="m", boost_error=False)
    return code.version, code.mask, tuple(bytes(row) for row in code.matrix)


def test_the_same_symbols_as_segno_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    payloads = _payloads()
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_masks._segno_best_mask)
    expected = [_symbol(p) for p in payloads]
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_masks.best_mask)
    assert [_symbol(p) for p in payloads] == expected
    assert len({version for version, _, _ in expected}) >= 6  # small and large symbols
    assert len({mask for _, mask, _ in expected}) >= 6  # most masks get chosen somewhere


def test_the_penalty_is_segnos_term_by_term() -> None:
    rng = random.Random(1)
    for width in (21, 33, 57):
        for _ in range(20):
            matrix = [bytearray(rng.random() < rng.choice([0.3, 0.5, 0.7]) for _ in range(width)) for _ in range(width)]
            rows = [int(bytes(row).translate(bytes.maketrans(b"\x00\x01", b"01")), 2) for row in matrix]
            assert qr_masks.penalty(rows, width) == encoder.evaluate_mask(matrix, width, width)


def test_micro_codes_and_given_masks_keep_segnos_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_masks.best_mask)
    assert segno.make_micro("12345").is_micro
    assert segno.make_qr("ABC", mask=3).mask == 3


def test_installed_only_for_the_checked_segno(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_masks._segno_best_mask)
    monkeypatch.setattr(segno, "__version__", "9.9.9")
    assert qr_masks.install() is False
    assert encoder.find_and_apply_best_mask is qr_masks._segno_best_mask
