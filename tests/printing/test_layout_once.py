"""Each paper is laid out once, and its QR code is the standard's smallest at level M (issue 11)."""

from __future__ import annotations

import dataclasses

import pytest

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.domain.fee_receipts import FeeReceiptNo
from desk_app.printing import document, qr
from desk_app.printing.fee_receipt import render_fee_receipt
from desk_app.printing.receipt import render_receipt
from tests.printing.conftest import ISSUED_AT, QR_KEY, make_dossier


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page count of every reportlab build."""
    counted: list[int] = []
    original = document._build

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        pdf, pages = original(*args, **kwargs)
        counted.append(pages)
        return pdf, pages

    monkeypatch.setattr(document, "_build", counting)
    return counted


@pytest.mark.parametrize("paper", [PaperSize.A4, PaperSize.A5])
def test_a_slip_and_a_fee_receipt_are_each_built_once(
    dossier: Dossier, profile: DeskProfile, builds: list[int], paper: PaperSize
) -> None:
    profile = dataclasses.replace(profile, paper=paper)
    render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY)
    render_fee_receipt(dossier, profile, receipt=FeeReceiptNo("01BLP2-001", "AA/26T", 12), paid_at=ISSUED_AT,
                       printed_at=ISSUED_AT, qr_key=QR_KEY)
    assert builds == [2, 2]  # two copies, one page each, one build each


def test_a_copy_too_long_for_a_page_is_built_again_smaller(profile: DeskProfile, builds: list[int]) -> None:
    crowded = make_dossier(documents=16)
    render_receipt(crowded, dataclasses.replace(profile, paper=PaperSize.A5), issued_at=ISSUED_AT, qr_key=QR_KEY)
    assert len(builds) >= 2 and builds[0] > 2  # the first (normal) size overflowed
    assert builds[-1] >= 2


def test_the_slip_qr_is_version_4_alphanumeric_at_level_m() -> None:
    text = "MHS:000.21.33.H49-261122-0007 DV:000.21.33.H49 HT:2026-11-25T09:15+07:00 KT:HH6WLP"
    modules = qr._modules(text)
    assert len(modules) == 33 and all(len(row) == 33 for row in modules)  # version 4: 17 + 4 × 4
    # The three finder patterns sit in their corners: a dark 7×7 ring around a 3×3 core.
    for top, left in ((0, 0), (0, 26), (26, 0)):
        assert all(modules[top][left + c] for c in range(7))
        assert all(modules[top + 3][left + c] for c in (0, 2, 3, 4, 6))
        assert not modules[top + 1][left + 1]
