"""Mẫu 02 supplement request: content, one copy, paper, NFC, QR and byte-stable output."""

from __future__ import annotations

import dataclasses
import io
import json
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5

from desk_app.domain.catalogue import DocForm
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.guidance import DEFAULT_REASON, SupplementGuidance
from desk_app.printing import fonts
from desk_app.printing.qr import guidance_qr_payload
from desk_app.printing.supplement_request import render_supplement_request
from tests.printing.conftest import ISSUED_AT, LONG_DOC, NAME, NFD_NAME, flat, font_names, page_texts


def make_guidance(*, documents: int = 2, address: str | None = "Số 12, ấp Mỹ Lợi, xã Tân Phú") -> SupplementGuidance:
    docs = [
        ReceivedDocument("Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp", DocForm.ORIGINAL),
        ReceivedDocument(unicodedata.normalize("NFD", "Giấy chứng nhận kết hôn của cha, mẹ trẻ em"),
                         DocForm.CERTIFIED_COPY, 2),
    ]
    docs += [ReceivedDocument(LONG_DOC.format(n), DocForm.PHOTOCOPY, 2) for n in range(3, documents + 1)]
    return SupplementGuidance(
        number="HD-2026-Q1-0003",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant_name=NFD_NAME,  # NFD on purpose: the paper must come out NFC
        phone="0912345678",
        address=address,
        documents=tuple(docs[:documents]),
        officer="Trần Văn Lực",
        issued_at=ISSUED_AT,
    )


@pytest.fixture
def guidance() -> SupplementGuidance:
    return make_guidance()


def test_every_field_is_printed_on_one_page(guidance: SupplementGuidance, profile: DeskProfile) -> None:
    texts = page_texts(render_supplement_request(guidance, profile))
    assert len(texts) == 1  # one copy, for the citizen
    page = flat(texts[0])
    expected = [
        "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tân Phú, ngày 22 tháng 11 năm 2026",
        "Số: HD-2026-Q1-0003",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Kính gửi: Ông/Bà {NAME}",
        "Địa chỉ: Số 12, ấp Mỹ Lợi, xã Tân Phú",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã 1.001193)",
        f"Lý do: {DEFAULT_REASON}",
        "STT Tên giấy tờ Hình thức Số lượng",
        "1 Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp Bản chính 1",
        "2 Giấy chứng nhận kết hôn của cha, mẹ trẻ em Bản sao chứng thực 2",
        "Khi cần thông tin, liên hệ: Bộ phận tiếp nhận và trả kết quả xã Tân Phú",
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận nêu trên để được hướng dẫn.",
        "NGƯỜI HƯỚNG DẪN",
        "(Ký và ghi rõ họ tên)",
        "Trần Văn Lực",
    ]
    missing = [item for item in expected if item not in page]
    assert not missing, f"missing {missing} in {page!r}"
    assert "0912345678" not in page  # the citizen's paper carries no phone (DOMAIN.md §9)
    assert "Mã hồ sơ" not in page and "Liên 1" not in page


def test_custom_reason_and_no_address(profile: DeskProfile) -> None:
    bare = dataclasses.replace(make_guidance(address=None), reason="Tờ khai chưa có chữ ký của người yêu cầu.")
    page = flat(page_texts(render_supplement_request(bare, profile))[0])
    assert "Lý do: Tờ khai chưa có chữ ký của người yêu cầu." in page
    assert "Địa chỉ" not in page


def test_text_is_nfc_and_fonts_are_embedded(guidance: SupplementGuidance, profile: DeskProfile) -> None:
    pdf = render_supplement_request(guidance, profile)
    for text in page_texts(pdf):
        assert unicodedata.is_normalized("NFC", text)
        assert unicodedata.normalize("NFD", NAME) not in text
    assert font_names(pdf) <= {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A5, A5), (PaperSize.A4, A4)])
def test_paper_size(guidance: SupplementGuidance, profile: DeskProfile, paper: PaperSize,
                    size: tuple[float, float]) -> None:
    pdf = render_supplement_request(guidance, dataclasses.replace(profile, paper=paper))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx(size, abs=0.01)


def test_ten_long_documents_fit_one_a5_page(profile: DeskProfile) -> None:
    texts = page_texts(render_supplement_request(make_guidance(documents=10), profile))
    assert len(texts) == 1
    assert LONG_DOC.format(10) in flat(texts[0]) and "NGƯỜI HƯỚNG DẪN" in texts[0]


def test_qr_decodes_to_the_tt01_2023_fields_with_the_slip_number(
    guidance: SupplementGuidance, profile: DeskProfile, decode_qr: Callable[[bytes], dict[str, str]]
) -> None:
    decoded = decode_qr(render_supplement_request(guidance, profile))
    assert decoded == {
        "so_phieu": "HD-2026-Q1-0003",
        "ma_tthc": "1.001193",
        "ma_dinh_danh": NAME,
        "ten_giay_to": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "he_thong": "desk_app - Một cửa cấp xã",
        "thoi_diem_cap": "2026-11-22T09:16:30+07:00",
    }
    assert decoded == json.loads(guidance_qr_payload(guidance, profile))
    assert list(decoded) == list(json.loads(guidance_qr_payload(guidance, profile)))
    assert "0912" not in guidance_qr_payload(guidance, profile) and "Mỹ Lợi" not in guidance_qr_payload(guidance, profile)


def test_metadata(guidance: SupplementGuidance, profile: DeskProfile) -> None:
    meta = PdfReader(io.BytesIO(render_supplement_request(guidance, profile))).metadata
    assert meta is not None
    assert meta.title == "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    assert meta.subject == "HD-2026-Q1-0003"


def test_same_input_same_bytes(guidance: SupplementGuidance, profile: DeskProfile) -> None:
    first = render_supplement_request(guidance, profile)
    assert render_supplement_request(make_guidance(), profile) == first
    assert render_supplement_request(dataclasses.replace(guidance, number="HD-2026-Q1-0004"), profile) != first
