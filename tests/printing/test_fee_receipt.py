"""Fee receipt: content, copies, form/series/number, payment time, reprints, QR, byte-stable output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5

from desk_app.domain import qr_text
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.domain.fee_receipts import FeeReceiptNo
from desk_app.printing import fonts
from desk_app.printing.fee_receipt import render_fee_receipt
from tests.printing.conftest import ICT, ISSUED_AT, NAME, QR_KEY, flat, font_names, make_dossier, page_texts

COPY_1 = "Liên 1: Lưu tại Bộ phận Một cửa"
COPY_2 = "Liên 2: Giao người nộp tiền"
RECEIPT = FeeReceiptNo("01BLP2-001", "AA/26T", 123)
PAID_AT = dt.datetime(2026, 11, 22, 9, 15, tzinfo=ICT)
REPRINTED_AT = dt.datetime(2026, 12, 3, 14, 40, tzinfo=ICT)


def render(dossier: Dossier, profile: DeskProfile, *, receipt: FeeReceiptNo = RECEIPT, reprint: bool = False,
           printed_at: dt.datetime = ISSUED_AT) -> bytes:
    return render_fee_receipt(dossier, profile, receipt=receipt, paid_at=PAID_AT, printed_at=printed_at,
                              qr_key=QR_KEY, reprint=reprint)


def test_every_field_is_printed_on_both_copies(dossier: Dossier, profile: DeskProfile) -> None:
    texts = page_texts(render(dossier, profile))
    assert len(texts) == 2
    for text, mark in zip(texts, (COPY_1, COPY_2), strict=True):
        page = flat(text)
        expected = [
            "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Tân Phú, ngày 22 tháng 11 năm 2026",
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Mẫu số: 01BLP2-001",
            "Ký hiệu: AA/26T",
            "Số: 0000123",
            "Mã hồ sơ: 000.21.33.H49-261122-0007",
            "Đơn vị thu: Bộ phận tiếp nhận và trả kết quả xã Tân Phú",
            f"Họ và tên người nộp tiền: {NAME}",
            "Địa chỉ: Số 12, ấp Mỹ Lợi, xã Tân Phú, tỉnh Đồng Tháp",
            "Nội dung thu: Đăng ký khai sinh",
            "Chi tiết: Cấp bản sao trích lục: 1 bản × 8.000 đ",
            "Số tiền: 8.000 đ",
            "Viết bằng chữ: Tám nghìn đồng",
            "Hình thức thanh toán: Tiền mặt",
            "Thời gian thu: 09 giờ 15 phút, ngày 22/11/2026",
            "NGƯỜI NỘP TIỀN",
            "NGƯỜI THU TIỀN",
            "Trần Văn Lực",
            mark,
        ]
        missing = [item for item in expected if item not in page]
        assert not missing, f"missing {missing} in {page!r}"
        assert unicodedata.is_normalized("NFC", text)
        assert "BẢN IN LẠI" not in page and "in lại" not in page.casefold()
    assert COPY_2 not in flat(texts[0])


def test_a_reprint_keeps_number_and_payment_time_and_is_no_second_payment(
    dossier: Dossier, profile: DeskProfile
) -> None:
    texts = page_texts(render(dossier, profile, reprint=True, printed_at=REPRINTED_AT))
    assert len(texts) == 2
    for text in texts:
        page = flat(text)
        assert page.count("BẢN IN LẠI") == 1
        assert "in lúc 14:40, 03/12/2026" in page  # when this copy was printed, beside the mark
        for kept in ("Mẫu số: 01BLP2-001", "Ký hiệu: AA/26T", "Số: 0000123", "Số tiền: 8.000 đ",
                     "Tân Phú, ngày 22 tháng 11 năm 2026", "Thời gian thu: 09 giờ 15 phút, ngày 22/11/2026"):
            assert kept in page
        assert ("Bản in lại của biên lai số 0000123, ký hiệu AA/26T, tiền đã thu lúc 09 giờ 15 phút, ngày "
                "22/11/2026. Không phải một lần thu tiền mới.") in page
        # The day of printing is never presented as the day of payment.
        assert "ngày 03 tháng 12" not in page and "phút, ngày 03/12/2026" not in page


def test_a_receipt_numbered_before_series_existed_keeps_its_number(dossier: Dossier, profile: DeskProfile) -> None:
    legacy = FeeReceiptNo("", "", None, legacy="BL2026-01-00007")
    page = flat(page_texts(render(dossier, profile, receipt=legacy, reprint=True))[0])
    assert "Số: BL2026-01-00007" in page and "Mẫu số" not in page and "Ký hiệu" not in page
    assert "Bản in lại của biên lai số BL2026-01-00007, tiền đã thu" in page


def test_large_amount_in_words(profile: DeskProfile) -> None:
    page = flat(page_texts(render(make_dossier(fee=1_005_000), profile))[0])
    assert "Số tiền: 1.005.000 đ" in page
    assert "Viết bằng chữ: Một triệu không trăm linh năm nghìn đồng" in page


def test_zero_fee_and_empty_number_are_refused(profile: DeskProfile) -> None:
    with pytest.raises(ValueError):
        render(make_dossier(fee=0), profile)
    with pytest.raises(ValueError):
        render(make_dossier(), profile, receipt=FeeReceiptNo("", "", None, legacy=" "))


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A5, A5), (PaperSize.A4, A4)])
def test_paper_and_fonts(dossier: Dossier, profile: DeskProfile, paper: PaperSize, size: tuple[float, float]) -> None:
    pdf = render(dossier, dataclasses.replace(profile, paper=paper), reprint=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx(size, abs=0.01)
    assert font_names(pdf) <= {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}


def test_qr_carries_the_number_and_amount_and_no_personal_data(
    dossier: Dossier, profile: DeskProfile, scan_text: Callable[[bytes], str]
) -> None:
    text = scan_text(render(dossier, profile))
    assert qr_text.read(text, QR_KEY) == {"MHS": "000.21.33.H49-261122-0007", "KH": "AA/26T", "SO": "0000123",
                                   "TIEN": "8000"}
    for private in ("079186012345", "0912", "Mỹ Lợi", "Nguy"):
        assert private not in text


def test_metadata_and_same_bytes(dossier: Dossier, profile: DeskProfile) -> None:
    pdf = render(dossier, profile)
    assert render(dossier, profile) == pdf
    assert render(dossier, profile, reprint=True) != pdf
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Biên lai thu phí, lệ phí",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "000.21.33.H49-261122-0007",
    )
