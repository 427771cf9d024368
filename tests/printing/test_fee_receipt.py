"""Fee receipt: content, copies, amount in words, QR, refusal of a zero fee, byte-stable output."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.printing import fonts
from desk_app.printing.fee_receipt import render_fee_receipt
from tests.printing.conftest import ISSUED_AT, NAME, flat, font_names, make_dossier, page_texts

COPY_1 = "Liên 1: Lưu tại Bộ phận Một cửa"
COPY_2 = "Liên 2: Giao người nộp tiền"


def test_every_field_is_printed_on_both_copies(dossier: Dossier, profile: DeskProfile) -> None:
    texts = page_texts(render_fee_receipt(dossier, profile, issued_at=ISSUED_AT, receipt_no="0000123"))
    assert len(texts) == 2
    for text, mark in zip(texts, (COPY_1, COPY_2), strict=True):
        page = flat(text)
        expected = [
            "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Tân Phú, ngày 22 tháng 11 năm 2026",
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Số biên lai: 0000123",
            "Mã hồ sơ: 000.21.33.H49-261122-0007",
            "Đơn vị thu: Bộ phận tiếp nhận và trả kết quả xã Tân Phú",
            f"Họ và tên người nộp tiền: {NAME}",
            "Địa chỉ: Số 12, ấp Mỹ Lợi, xã Tân Phú, tỉnh Đồng Tháp",
            "Nội dung thu: Đăng ký khai sinh",
            "Chi tiết: Cấp bản sao trích lục: 1 bản × 8.000 đ",
            "Số tiền: 8.000 đ",
            "Viết bằng chữ: Tám nghìn đồng",
            "Hình thức thanh toán: Tiền mặt",
            "Thời gian thu: 09 giờ 16 phút, ngày 22/11/2026",
            "NGƯỜI NỘP TIỀN",
            "NGƯỜI THU TIỀN",
            "Trần Văn Lực",
            mark,
        ]
        missing = [item for item in expected if item not in page]
        assert not missing, f"missing {missing} in {page!r}"
        assert unicodedata.is_normalized("NFC", text)
    assert COPY_2 not in flat(texts[0])


def test_large_amount_in_words(profile: DeskProfile) -> None:
    dossier = make_dossier(fee=1_005_000)
    page = flat(page_texts(render_fee_receipt(dossier, profile, issued_at=ISSUED_AT, receipt_no="9"))[0])
    assert "Số tiền: 1.005.000 đ" in page
    assert "Viết bằng chữ: Một triệu không trăm linh năm nghìn đồng" in page


def test_zero_fee_is_refused(profile: DeskProfile) -> None:
    with pytest.raises(ValueError):
        render_fee_receipt(make_dossier(fee=0), profile, issued_at=ISSUED_AT, receipt_no="1")


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A5, A5), (PaperSize.A4, A4)])
def test_paper_and_fonts(dossier: Dossier, profile: DeskProfile, paper: PaperSize, size: tuple[float, float]) -> None:
    pdf = render_fee_receipt(dossier, dataclasses.replace(profile, paper=paper), issued_at=ISSUED_AT, receipt_no="1")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx(size, abs=0.01)
    assert font_names(pdf) <= {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}


def test_qr_names_the_fee_receipt(
    dossier: Dossier, profile: DeskProfile, decode_qr: Callable[[bytes], dict[str, str]]
) -> None:
    decoded = decode_qr(render_fee_receipt(dossier, profile, issued_at=ISSUED_AT, receipt_no="0000123"))
    assert decoded == {
        "ma_hs": "000.21.33.H49-261122-0007",
        "ma_tthc": "1.001193",
        "ma_dinh_danh": "079186012345",
        "ten_giay_to": "Biên lai thu phí, lệ phí",
        "he_thong": "desk_app - Một cửa cấp xã",
        "thoi_diem_cap": "2026-11-22T09:16:30+07:00",
    }


def test_metadata_and_same_bytes(dossier: Dossier, profile: DeskProfile) -> None:
    pdf = render_fee_receipt(dossier, profile, issued_at=ISSUED_AT, receipt_no="0000123")
    assert render_fee_receipt(dossier, profile, issued_at=ISSUED_AT, receipt_no="0000123") == pdf
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Biên lai thu phí, lệ phí",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "000.21.33.H49-261122-0007",
    )
