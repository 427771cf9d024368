"""Fixtures for the printed forms: a Vietnamese dossier and helpers that read PDFs back."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.domain.catalogue import DocForm
from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Applicant, Channel, Dossier, ReceivedDocument, Status

ICT = dt.timezone(dt.timedelta(hours=7))
ISSUED_AT = dt.datetime(2026, 11, 22, 9, 16, 30, tzinfo=ICT)
QR_KEY = bytes(range(32))  # a fixed key: the QR check value is part of the byte-stable output
# Stored in NFD on purpose (as some keyboards send it): every output must come out NFC.
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hằng Đặng")
NAME = unicodedata.normalize("NFC", NFD_NAME)
LONG_DOC = "Văn bản ủy quyền có chứng thực theo quy định của pháp luật về chứng thực, bản số {}"


def make_dossier(*, documents: int = 4, id_number: str | None = "079186012345", fee: int = 8000) -> Dossier:
    docs = [
        ReceivedDocument(
            "Tờ khai đăng ký khai sinh (theo mẫu ban hành kèm theo Thông tư 04/2024/TT-BTP)", DocForm.ORIGINAL
        ),
        ReceivedDocument("Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp", DocForm.ORIGINAL),
        ReceivedDocument("Giấy chứng nhận kết hôn của cha, mẹ trẻ em", DocForm.CERTIFIED_COPY),
        ReceivedDocument("Căn cước của người đi đăng ký", DocForm.PRESENTED),
    ]
    docs += [ReceivedDocument(LONG_DOC.format(n), DocForm.PHOTOCOPY, 2) for n in range(5, documents + 1)]
    return Dossier(
        code="000.21.33.H49-261122-0007",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant=Applicant(
            name=NFD_NAME,
            id_number=id_number,
            phone="0912 345 678",
            address="Số 12, ấp Mỹ Lợi, xã Tân Phú, tỉnh Đồng Tháp",
            email="hang.nguyen@example.vn",
        ),
        channel=Channel.DIRECT,
        received_at=dt.datetime(2026, 11, 22, 9, 15, tzinfo=ICT),
        due_at=dt.datetime(2026, 11, 25, 9, 15, tzinfo=ICT),
        due_reason="",
        status=Status.RECEIVED,
        documents=tuple(docs[:documents]),
        sets=1,
        pages=4,
        copies=1,
        fee_vnd=fee,
        fee_detail="Cấp bản sao trích lục: 1 bản × 8.000 đ",
        statutory_time="3 ngày làm việc",
        ledger_year=2026,
        ledger_no=7,
        desk_no=1,
        receiver="Trần Văn Lực",
    )


@pytest.fixture
def dossier() -> Dossier:
    return make_dossier()


@pytest.fixture
def profile() -> DeskProfile:
    return DeskProfile(
        commune="Xã Tân Phú",
        authority="ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
        unit_code="000.21.33.H49",
        desk_no=1,
        place="Tân Phú",
    )


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces as single spaces (wrapped cells)."""
    return " ".join(text.split())


def font_names(pdf: bytes) -> set[str]:
    """Base names of every font a page uses, checking each is embedded (FontFile2)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # a missing tool must fail loudly: skipping would hide an unreadable QR
        pytest.fail(f"{name} not found: install poppler-utils (pdftoppm), zbar-tools (zbarimg), imagemagick (convert)")
    return path


def scan_qr(pdf: bytes, folder: Path, *, dpi: int, page: int = 1, degrade: list[str] | None = None) -> bytes:
    """Render ``page`` at ``dpi`` (as a scanner would see the sheet), optionally pass it through
    ImageMagick options that imitate a scan, and decode its QR code with zbar: the raw bytes."""
    source = folder / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(source), str(folder / "page")],
        check=True,
    )
    image = folder / "page.png"
    if degrade:
        subprocess.run([_tool("convert"), str(image), *degrade, "-flatten", str(folder / "scan.png")], check=True)
        image = folder / "scan.png"
    # -Sbinary: the raw bytes, so zbar's charset guessing cannot mangle the UTF-8.
    result = subprocess.run([_tool("zbarimg"), "--raw", "-q", "-Sbinary", str(image)], capture_output=True)
    assert result.returncode == 0, f"no QR code decoded at {dpi} dpi: {result.stderr.decode(errors='replace')}"
    return result.stdout.rstrip(b"\n")


@pytest.fixture
def decode_qr(tmp_path: Path) -> Callable[[bytes], dict[str, str]]:
    """Render page 1 at 200 dpi and decode its QR code with zbar into the JSON payload (Mẫu 02)."""

    def decode(pdf: bytes) -> dict[str, str]:
        payload: dict[str, str] = json.loads(scan_qr(pdf, tmp_path, dpi=200).decode("utf-8"))
        return payload

    return decode


@pytest.fixture
def scan_text(tmp_path: Path) -> Callable[[bytes], str]:
    """Render page 1 at 100 dpi and decode its QR code: the text (slip, fee receipt)."""

    def decode(pdf: bytes) -> str:
        return scan_qr(pdf, tmp_path, dpi=100).decode("ascii")

    return decode
