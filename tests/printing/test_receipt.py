"""Mẫu 01 receipt: content, copies, paper, fonts, NFC, QR and byte-stable output."""

from __future__ import annotations

import dataclasses
import io
import datetime as dt
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain import qr_text
from desk_app.domain.dossier import Dossier, ReturnMethod, Sex, Status
from desk_app.printing import fonts
from desk_app.printing.qr import receipt_qr_payload
from desk_app.printing.receipt import render_receipt
from tests.printing.conftest import ISSUED_AT, LONG_DOC, NAME, QR_KEY, flat, font_names, make_dossier, page_texts

COPY_1 = "Liên 1: Lưu tại Bộ phận Một cửa"
COPY_2 = "Liên 2: Giao người nộp hồ sơ"


def test_every_field_is_printed_on_both_copies(dossier: Dossier, profile: DeskProfile) -> None:
    texts = page_texts(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))
    assert len(texts) == 2
    for text, mark in zip(texts, (COPY_1, COPY_2), strict=True):
        page = flat(text)
        expected = [
            "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Tân Phú, ngày 22 tháng 11 năm 2026",
            "Số: 07/2026/Q1",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Mã hồ sơ: 000.21.33.H49-261122-0007",
            "Bộ phận tiếp nhận và trả kết quả xã Tân Phú tiếp nhận hồ sơ của:",
            f"Ông/Bà: {NAME}",
            "Địa chỉ: Số 12, ấp Mỹ Lợi, xã Tân Phú, tỉnh Đồng Tháp",
            "Số điện thoại: 0912 345 678",
            "Email: hang.nguyen@example.vn",
            "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
            "STT Tên giấy tờ Hình thức Số lượng",
            "1 Tờ khai đăng ký khai sinh (theo mẫu ban hành kèm theo Thông tư 04/2024/TT-BTP) Bản chính 1",
            "2 Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp Bản chính 1",
            "3 Giấy chứng nhận kết hôn của cha, mẹ trẻ em Bản sao chứng thực 1",
            "4 Căn cước của người đi đăng ký Xuất trình 1",
            "Số lượng hồ sơ: 1 bộ",
            "Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc",
            "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 22/11/2026",
            "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 25/11/2026",
            "Đăng ký nhận kết quả: Tại Bộ phận Một cửa",
            "Vào Sổ theo dõi hồ sơ, Quyển số: 2026/Q1, Số thứ tự: 07",
            "Phí, lệ phí: 8.000 đ (Cấp bản sao trích lục: 1 bản × 8.000 đ)",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "Trần Văn Lực",
            mark,
        ]
        missing = [item for item in expected if item not in page]
        assert not missing, f"missing {missing} in {page!r}"
        assert "BẢN IN LẠI" not in page
    assert COPY_2 not in flat(texts[0]) and COPY_1 not in flat(texts[1])


def test_reprint_marks_each_copy(dossier: Dossier, profile: DeskProfile) -> None:
    texts = page_texts(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY, reprint=True))
    assert len(texts) == 2
    assert all(flat(text).count("BẢN IN LẠI") == 1 for text in texts)
    assert all("in lúc 09:16, 22/11/2026" in flat(text) for text in texts)


@pytest.mark.parametrize(("status", "state"), [
    (Status.WITHDRAWN, "Hồ sơ đã rút ngày 26/11/2026."),
    (Status.REFUSED, "Hồ sơ đã bị từ chối giải quyết ngày 26/11/2026."),
    (Status.STOPPED, "Hồ sơ đã dừng giải quyết ngày 26/11/2026."),
    (Status.RETURNED, "Hồ sơ đã trả kết quả ngày 26/11/2026."),
])
def test_a_dossier_no_longer_waiting_shows_its_state(
    dossier: Dossier, profile: DeskProfile, status: Status, state: str
) -> None:
    ended = dataclasses.replace(dossier, status=status)
    since = dt.datetime(2026, 11, 26, 10, 5, tzinfo=ISSUED_AT.tzinfo)
    texts = page_texts(render_receipt(ended, profile, issued_at=ISSUED_AT, qr_key=QR_KEY, reprint=True,
                                      status_since=since))
    for text in texts:  # both copies: the citizen's is the one that could be presented
        page = flat(text)
        assert f"{state} Giấy hẹn này không còn giá trị để nhận kết quả." in page
        assert ("Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 25/11/2026 (không còn giá trị)"
                in page)


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.IN_PROCESS, Status.SUPPLEMENT_REQUESTED,
                                    Status.RESULT_READY])
def test_a_waiting_dossier_has_no_state_note(dossier: Dossier, profile: DeskProfile, status: Status) -> None:
    page = flat(page_texts(render_receipt(dataclasses.replace(dossier, status=status), profile,
                                          issued_at=ISSUED_AT, qr_key=QR_KEY))[1])
    assert "không còn giá trị" not in page


@pytest.mark.parametrize(("place", "line"), [
    ("Xã Tân Phú", "Tân Phú, ngày 22 tháng 11 năm 2026"),  # a desk set up before the rule stored this
    ("Phường Hòa Khánh", "Hòa Khánh, ngày 22 tháng 11 năm 2026"),
    ("Đặc khu Phú Quốc", "Phú Quốc, ngày 22 tháng 11 năm 2026"),
    ("Phường 5", "Phường 5, ngày 22 tháng 11 năm 2026"),  # a unit named by a number keeps its kind
])
def test_the_date_line_uses_the_place_name(dossier: Dossier, profile: DeskProfile, place: str, line: str) -> None:
    page = flat(page_texts(render_receipt(dossier, dataclasses.replace(profile, place=place), issued_at=ISSUED_AT,
                                          qr_key=QR_KEY))[0])
    assert line in page
    assert f"Xã {line}" not in page


def test_the_slip_carries_no_more_personal_data_than_the_form_asks(dossier: Dossier, profile: DeskProfile) -> None:
    """Mẫu 01 names the applicant with address, phone and email; the ID number, birth date and
    sex stay in the desk's record, off both copies (a lost slip must not carry them)."""
    person = dataclasses.replace(dossier.applicant, birth_date=dt.date(1986, 3, 4), sex=Sex.FEMALE)
    dossier = dataclasses.replace(dossier, applicant=person)
    assert person.id_number
    for page in page_texts(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY)):
        page = flat(page)
        for value in (person.id_number, person.id_number[-6:], f"{person.birth_date:%d/%m/%Y}", "định danh",
                      "Ngày sinh", "Giới tính"):
            assert value not in page


def test_empty_optional_fields_and_free_dossier_are_left_out(profile: DeskProfile) -> None:
    base = make_dossier(fee=0, id_number=None)
    bare = dataclasses.replace(base, applicant=dataclasses.replace(base.applicant, phone=None, email=None))
    page = flat(page_texts(render_receipt(bare, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))[0])
    for label in ("Số định danh cá nhân", "Số điện thoại", "Email", "Phí, lệ phí"):
        assert label not in page


def test_return_method_and_collect_at(dossier: Dossier, profile: DeskProfile) -> None:
    by_post = dataclasses.replace(dossier, return_method=ReturnMethod.POST)
    page = flat(page_texts(render_receipt(by_post, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))[0])
    assert "Đăng ký nhận kết quả: Qua dịch vụ bưu chính công ích" in page
    counter = dataclasses.replace(profile, collect_at="Quầy số 2, Trung tâm Phục vụ hành chính công xã")
    page = flat(page_texts(render_receipt(dossier, counter, issued_at=ISSUED_AT, qr_key=QR_KEY))[0])
    assert "Đăng ký nhận kết quả: Tại Quầy số 2, Trung tâm Phục vụ hành chính công xã" in page


def test_text_is_nfc_and_fonts_are_embedded_liberation_serif(dossier: Dossier, profile: DeskProfile) -> None:
    pdf = render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY, reprint=True)
    for text in page_texts(pdf):
        assert unicodedata.is_normalized("NFC", text)
        assert unicodedata.normalize("NFD", NAME) not in text
    assert font_names(pdf) <= {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}
    assert {fonts.REGULAR, fonts.BOLD, fonts.ITALIC} <= font_names(pdf)


def test_font_has_the_vietnamese_glyphs() -> None:
    fonts.register_fonts()
    for face in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        assert fonts.missing_glyphs(face, "ằ ẫ ự ỹ Đ đ Ơ ư Ằ Ẫ Ự Ỹ ơ Ư") == ""
        assert fonts.missing_glyphs(face, fonts.REQUIRED_CHARS) == ""
    assert fonts.missing_glyphs(fonts.REGULAR, "☃") == "☃"


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A5, A5), (PaperSize.A4, A4)])
def test_paper_size(dossier: Dossier, profile: DeskProfile, paper: PaperSize, size: tuple[float, float]) -> None:
    pdf = render_receipt(dossier, dataclasses.replace(profile, paper=paper), issued_at=ISSUED_AT, qr_key=QR_KEY)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)


@pytest.mark.parametrize("paper", [PaperSize.A5, PaperSize.A4])
def test_ten_long_documents_fit_one_page_per_copy(profile: DeskProfile, paper: PaperSize) -> None:
    dossier = make_dossier(documents=10)
    texts = page_texts(render_receipt(dossier, dataclasses.replace(profile, paper=paper), issued_at=ISSUED_AT, qr_key=QR_KEY))
    assert len(texts) == 2
    for text in texts:
        assert LONG_DOC.format(10) in flat(text)
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_long_table_flows_but_signatures_stay_whole(profile: DeskProfile) -> None:
    dossier = make_dossier(documents=24)
    texts = [flat(text) for text in page_texts(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))]
    assert len(texts) > 2
    copy_2 = next(i for i, text in enumerate(texts) if COPY_2 in text)
    for pages in (texts[:copy_2], texts[copy_2:]):
        signed = [text for text in pages if "NGƯỜI NỘP HỒ SƠ" in text]
        assert len(signed) == 1 and "NGƯỜI TIẾP NHẬN HỒ SƠ" in signed[0] and "Trần Văn Lực" in signed[0]
        assert "(tiếp theo)" in pages[-1]  # a continuation page names its dossier and copy
        assert all(text.count("STT Tên giấy tờ") == 1 for text in pages if LONG_DOC.format(24) in text)
        assert LONG_DOC.format(24) in " ".join(pages)


def test_qr_says_code_unit_due_and_a_check_value(
    dossier: Dossier, profile: DeskProfile, scan_text: Callable[[bytes], str]
) -> None:
    text = scan_text(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))
    assert text == receipt_qr_payload(dossier, profile, QR_KEY)
    assert qr_text.read(text, QR_KEY) == {
        "MHS": "000.21.33.H49-261122-0007",
        "DV": "000.21.33.H49",
        "HT": "2026-11-25T09:15+07:00",
    }
    # The slip goes home with the citizen: nothing personal, whatever the dossier holds.
    for private in ("079186012345", "0912", "Mỹ Lợi", "example.vn", "Nguy", "1.001193"):
        assert private not in text


def test_qr_payload_refuses_naive_times(dossier: Dossier, profile: DeskProfile) -> None:
    naive = dataclasses.replace(dossier, due_at=dossier.due_at.replace(tzinfo=None))
    with pytest.raises(ValueError):
        receipt_qr_payload(naive, profile, QR_KEY)


def test_metadata(dossier: Dossier, profile: DeskProfile) -> None:
    meta = PdfReader(io.BytesIO(render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY))).metadata
    assert meta is not None
    assert meta.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert meta.author == "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    assert meta.subject == "000.21.33.H49-261122-0007"


def test_same_input_same_bytes(dossier: Dossier, profile: DeskProfile) -> None:
    first = render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY, reprint=True)
    assert render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY, reprint=True) == first
    assert render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY) != first


def test_same_bytes_in_a_fresh_process(dossier: Dossier, profile: DeskProfile) -> None:
    # A new interpreter registers the fonts afresh: the file must not depend on process state.
    script = (
        "import sys\n"
        "from tests.printing.conftest import make_dossier, ISSUED_AT, QR_KEY\n"
        "from desk_app.domain.desk import DeskProfile\n"
        "from desk_app.printing.receipt import render_receipt\n"
        "p = DeskProfile(commune='Xã Tân Phú', authority='ỦY BAN NHÂN DÂN XÃ TÂN PHÚ',"
        " unit_code='000.21.33.H49', desk_no=1, place='Tân Phú')\n"
        "sys.stdout.buffer.write(render_receipt(make_dossier(), p, issued_at=ISSUED_AT, qr_key=QR_KEY))\n"
    )
    root = Path(__file__).resolve().parents[2]
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, cwd=root).stdout
    assert other == render_receipt(dossier, profile, issued_at=ISSUED_AT, qr_key=QR_KEY)
