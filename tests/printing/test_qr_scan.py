"""The slip's QR code is readable from a 100 dpi scan and discreet (issue 6, item 10)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from desk_app.domain import qr_text
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.printing.receipt import render_receipt
from tests.printing.conftest import ISSUED_AT, QR_KEY, scan_qr

# What a cheap office scanner does to a sheet: a slight skew, a little blur, some sensor noise
# (seeded, so the test is the same every run).
SCANNER = ["-background", "white", "-rotate", "1.5", "-blur", "0x0.5", "-seed", "7", "-attenuate", "0.3",
           "+noise", "Gaussian"]


@pytest.mark.parametrize("paper", [PaperSize.A5, PaperSize.A4])
@pytest.mark.parametrize("degrade", [None, SCANNER], ids=["clean", "scanner"])
@pytest.mark.parametrize("page", [1, 2], ids=["kept-copy", "citizen-copy"])
def test_the_slip_qr_decodes_from_a_100_dpi_scan(
    dossier: Dossier, profile: DeskProfile, tmp_path: Path, paper: PaperSize, degrade: list[str] | None, page: int
) -> None:
    pdf = render_receipt(dossier, dataclasses.replace(profile, paper=paper), issued_at=ISSUED_AT, qr_key=QR_KEY)
    text = scan_qr(pdf, tmp_path, dpi=100, page=page, degrade=degrade).decode("ascii")
    fields = qr_text.read(text, QR_KEY)  # the check value verifies
    assert fields == {"MHS": dossier.code, "DV": "000.21.33.H49", "HT": "2026-11-25T09:15+07:00"}
    assert dossier.applicant.id_number and dossier.applicant.id_number not in text
    assert dossier.applicant.id_number[-6:] not in text


def test_the_check_value_catches_an_altered_or_foreign_slip(dossier: Dossier, profile: DeskProfile) -> None:
    text = qr_text.compose([("MHS", dossier.code), ("DV", profile.unit_code), ("HT", "2026-11-25T09:15+07:00")],
                           QR_KEY)
    assert qr_text.read(text, QR_KEY)["HT"] == "2026-11-25T09:15+07:00"
    later = text.replace("2026-11-25T09:15", "2026-11-28T09:15")
    with pytest.raises(ValueError):
        qr_text.read(later, QR_KEY)  # the appointment was altered
    with pytest.raises(ValueError):
        qr_text.read(text, bytes(32))  # another desk's key (or a forger's) does not verify
    with pytest.raises(ValueError):
        qr_text.read(text.rsplit(" KT:", 1)[0], QR_KEY)  # no check value at all


def test_compose_refuses_values_that_would_break_the_format() -> None:
    with pytest.raises(ValueError):
        qr_text.compose([("MHS", "a b")], QR_KEY)
    with pytest.raises(ValueError):
        qr_text.compose([("KT", "x")], QR_KEY)
