"""The TT 01/2018 layouts of Mẫu 02–07: each paper's text read back, reprints marked, the QR
decoded and verified, the page sizes (A5 or the desk's paper; A4 for Mẫu 06; A4 landscape for 07)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape

from desk_app.domain.catalogue import DocForm
from desk_app.domain.desk import PaperSize
from desk_app.domain.dossier import ReceivedDocument, Status
from desk_app.domain.handover import Handover
from desk_app.domain.lifecycle import Action
from desk_app.domain.qr_text import read
from desk_app.domain.steps import Step, book_entry, hand_offs
from desk_app.printing import forms_tt01_2018 as forms
from tests.printing.conftest import ICT, NAME, QR_KEY, flat, font_names, make_dossier, page_texts

PRINTED = dt.datetime(2026, 11, 25, 10, 30, tzinfo=ICT)
AT = dt.datetime(2026, 11, 24, 14, 0, tzinfo=ICT)
NEW_DUE = dt.datetime(2026, 12, 1, 9, 15, tzinfo=ICT)
REASON = unicodedata.normalize("NFD", "Hồ sơ thuộc thẩm quyền của xã nơi cư trú")


def step(action, before=Status.RECEIVED, after=Status.RECEIVED, **more):
    return Step(action, before, after, AT, "Trần Văn Lực", note=REASON,
                due_before=dt.datetime(2026, 11, 25, 9, 15, tzinfo=ICT), **more)


def printing(reprint=False):
    return forms.Printing(PRINTED, QR_KEY, reprint=reprint)


def size(pdf):
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def one_page_text(pdf):
    texts = page_texts(pdf)
    assert len(texts) == 1
    text = flat(texts[0])
    assert unicodedata.is_normalized("NFC", text)
    return text


PAPERS = {
    "03": (forms.render_refusal, step(Action.REFUSE, after=Status.REFUSED),
           ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Lý do: Hồ sơ thuộc thẩm quyền của xã nơi cư trú.",
            "Xin thông báo để Ông/Bà được biết và thực hiện.", "NGƯỜI TIẾP NHẬN HỒ SƠ"]),
    "04": (forms.render_apology, step(Action.APOLOGIZE, after=Status.RECEIVED, due_after=NEW_DUE,
                                      signed_off_by="Lê Văn Trưởng"),
           ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 25/11/2026.",
            "Chúng tôi xin lỗi Ông/Bà", "Thời gian trả kết quả mới: 09 giờ 15 phút, ngày 01/12/2026",
            "THỦ TRƯỞNG CƠ QUAN", "Lê Văn Trưởng"]),
    "05": (forms.render_stop_notice, step(Action.STOP, after=Status.STOPPED),
           ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "kể từ 14 giờ 00 phút, ngày 24/11/2026. Lý do: Hồ sơ thuộc thẩm quyền"]),
    "02": (forms.render_supplement_request,
           step(Action.REQUEST_SUPPLEMENT, after=Status.SUPPLEMENT_REQUESTED,
                documents=(ReceivedDocument("Giấy chứng nhận kết hôn", DocForm.CERTIFIED_COPY, 2),)),
           ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Lý do: Hồ sơ thuộc thẩm quyền",
            "1 Giấy chứng nhận kết hôn Bản sao chứng thực 2", "thời hạn giải quyết được tính lại từ đầu",
            "NGƯỜI HƯỚNG DẪN"]),
}


@pytest.mark.parametrize("form_no", sorted(PAPERS))
def test_each_step_paper_prints_its_fields_on_one_a5_page(form_no, profile, scan_text):
    render, recorded, expected = PAPERS[form_no]
    dossier = make_dossier()
    pdf = render(dossier, recorded, profile, printing())
    text = one_page_text(pdf)
    for part in [*expected, f"Kính gửi: Ông/Bà {NAME}", "Mã hồ sơ: 000.21.33.H49-261122-0007",
                 "Số: 07/2026/Q1", "Tân Phú, ngày 24 tháng 11 năm 2026", "Giao người nộp hồ sơ",
                 "Trần Văn Lực" if form_no != "04" else "Lê Văn Trưởng"]:
        assert part in text
    assert "BẢN IN LẠI" not in text
    assert size(pdf) == (round(A5[0]), round(A5[1]))
    assert font_names(pdf) <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}
    fields = read(scan_text(pdf), QR_KEY)  # decodes from a 100 dpi rendering and verifies
    assert fields == {"MHS": dossier.code, "MAU": form_no, "NGAY": "2026-11-24T14:00+07:00"}


@pytest.mark.parametrize("form_no", sorted(PAPERS))
def test_a_reprint_is_marked_with_its_time_and_is_otherwise_the_same(form_no, profile):
    render, recorded, _ = PAPERS[form_no]
    first = one_page_text(render(make_dossier(), recorded, profile, printing()))
    again = one_page_text(render(make_dossier(), recorded, profile, printing(reprint=True)))
    assert "BẢN IN LẠI in lúc 10:30, 25/11/2026" in again
    assert again.replace("BẢN IN LẠI in lúc 10:30, 25/11/2026 ", "") == first


def test_a4_desks_print_the_step_papers_on_a4(profile):
    pdf = forms.render_refusal(make_dossier(), PAPERS["03"][1], dataclasses.replace(profile, paper=PaperSize.A4),
                               printing())
    assert size(pdf) == (round(A4[0]), round(A4[1]))


def full_history():
    handover = Handover("Trần Văn Bình", True, "Giấy ủy quyền số 12/UQ", ("Giấy chứng sinh",), None)
    at = [dt.datetime(2026, 11, d, h, tzinfo=ICT) for d, h in ((22, 10), (24, 9), (24, 15), (25, 8), (26, 9))]
    due = dt.datetime(2026, 11, 25, 9, 15, tzinfo=ICT)
    return [
        Step(Action.FORWARD, Status.RECEIVED, Status.IN_PROCESS, at[0], "Trần Văn Lực", to="Công chức Tư pháp",
             due_before=due, due_after=due),
        Step(Action.APOLOGIZE, Status.IN_PROCESS, Status.IN_PROCESS, at[1], "Trần Văn Lực", note="Cần xác minh",
             due_before=due, due_after=NEW_DUE, signed_off_by="Lê Văn Trưởng"),
        Step(Action.RECORD_RESULT, Status.IN_PROCESS, Status.RESULT_READY, at[2], "Trần Văn Lực",
             due_before=NEW_DUE, due_after=NEW_DUE),
        Step(Action.RETURN_RESULT, Status.RESULT_READY, Status.RETURNED, at[4], "Trần Văn Lực",
             due_before=NEW_DUE, due_after=NEW_DUE, handover=handover),
    ]


def test_the_control_slip_lists_every_hand_off_on_a4(profile, scan_text):
    dossier = dataclasses.replace(make_dossier(), due_at=NEW_DUE, status=Status.RETURNED)
    rows = hand_offs(dossier, full_history(), forms.unit_in_sentence(profile))
    pdf = forms.render_control_slip(dossier, rows, profile, printing())
    text = one_page_text(pdf)
    assert size(pdf) == (round(A4[0]), round(A4[1]))
    for part in ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: 000.21.33.H49-261122-0007",
                 "Lưu cùng hồ sơ", "Người giao Người nhận", "Hẹn trả kết quả: 09 giờ 15 phút, ngày 01/12/2026",
                 "1 Bộ phận tiếp nhận và trả kết quả xã Tân Phú: Tiếp nhận hồ sơ 09 giờ 15, ngày 22/11/2026",
                 "2 Công chức Tư pháp: Chuyển xử lý 10 giờ 00, ngày 22/11/2026 Trần Văn Lực Công chức Tư pháp "
                 "Trước hạn", "Hẹn trả mới 09:15 01/12/2026",
                 "người nhận: Trần Văn Bình (người được ủy quyền; Giấy ủy quyền số 12/UQ)"]:
        assert part in text, part
    assert read(scan_text(pdf), QR_KEY)["MAU"] == "06"


def test_the_ledger_book_is_a4_landscape_numbered_from_01_per_book(profile, scan_text):
    dossiers = [dataclasses.replace(make_dossier(), code=f"000.21.33.H49-261122-{n:04d}", ledger_no=n)
                for n in (3, 1, 2)]
    last_year = dataclasses.replace(make_dossier(), code="000.21.33.H49-251231-0099", ledger_year=2025,
                                    ledger_no=99)
    entries = [book_entry(d, full_history() if d.ledger_no == 1 else []) for d in [*dossiers, last_year]]
    pdf = forms.render_ledger_book(entries, profile, first=dt.date(2025, 12, 1), last=dt.date(2026, 11, 30),
                                   printing=printing())
    assert size(pdf) == (round(landscape(A4)[0]), round(landscape(A4)[1]))
    text = flat(" ".join(page_texts(pdf)))
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày: 01/12/2025 đến ngày 30/11/2026" in text
    # One book per desk and year, in its own order; the entry number is the dossier's, from 01.
    # The code breaks after the unit code, the part every line repeats.
    assert text.index("Quyển số: 2025/Q1") < text.index("99 000.21.33.H49- 251231-0099")
    assert text.index("Quyển số: 2026/Q1") < text.index("01 000.21.33.H49- 261122-0001") < text.index(
        "02 000.21.33.H49- 261122-0002") < text.index("03 000.21.33.H49- 261122-0003")
    assert "Công chức Tư pháp" in text and "09:00 26/11/2026 Trần Văn Bình" in text
    assert "xin lỗi, hẹn lại 01/12/2026" in text
    assert read(scan_text(pdf), QR_KEY) == {"SO": "MAU07", "DV": "000.21.33.H49", "TU": "2025-12-01",
                                            "DEN": "2026-11-30", "SL": "4"}


def test_an_empty_period_says_so(profile):
    pdf = forms.render_ledger_book([], profile, first=dt.date(2026, 1, 1), last=dt.date(2026, 1, 31),
                                   printing=printing())
    assert "Không có hồ sơ nào được tiếp nhận trong thời gian này." in flat(page_texts(pdf)[0])
