"""The step papers of a real desk: rendered from the recorded step, counted once delivered,
reprints marked; the control slip; the ledger book of a period, audited when delivered."""

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.services import lifecycle as lc
from desk_app.services.lifecycle_papers import deliver_book, ledger_book, paper_of, prepare_paper
from desk_app.services.printouts import deliver
from desk_app.services.reception import ReceptionRequest, receive

VN = dt.timezone(dt.timedelta(hours=7))


def at(day, hour, minute=0, month=11):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def text(pdf):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def code(desk, clock):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An")).dossier.code
    clock.now = at(25, 16)
    return code


def test_each_step_prints_its_paper_from_what_was_recorded(desk, code, tmp_path):
    change = lc.request_supplement(desk, code, reason="Thiếu giấy chứng minh", at=at(23, 10), missing=(
        ReceivedDocument("Giấy chứng nhận kết hôn", DocForm.CERTIFIED_COPY),))
    assert paper_of(change) is Paper.SUPPLEMENT_REQUEST
    printout = prepare_paper(desk, code, Paper.SUPPLEMENT_REQUEST)
    assert [c.paper for c in printout.copies] == [Paper.SUPPLEMENT_REQUEST] and not printout.reprint
    words = text(printout.copies[0].pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in words and "Giấy chứng nhận kết hôn" in words
    assert "Lý do: Thiếu giấy chứng minh" in words
    audit = desk.store.tables.count("audit")
    delivery = deliver(desk, printout, receipt_path=tmp_path / "mau-02.pdf")
    assert delivery.numbers == {Paper.SUPPLEMENT_REQUEST: 1}
    assert (tmp_path / "mau-02.pdf").read_bytes() == printout.copies[0].pdf
    action, detail = desk.store.db.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert (action, json.loads(detail)["paper"]) == ("dossier.print", "supplement_request")
    assert desk.store.tables.count("audit") == audit + 1
    again = prepare_paper(desk, code, Paper.SUPPLEMENT_REQUEST)
    assert again.reprint and again.print_count == 2 and "BẢN IN LẠI" in text(again.copies[0].pdf)

    # The supplement arrives: the new slip is an original with the new appointment.
    change = lc.receive_supplement(desk, code, at=at(24, 14))
    assert paper_of(change) is Paper.RECEIPT
    slip = prepare_paper(desk, code, Paper.RECEIPT)
    assert not slip.reprint and [c.paper for c in slip.copies] == [Paper.RECEIPT]
    words = text(slip.copies[0].pdf)
    assert "Thời gian nhận đủ hồ sơ bổ sung: 14 giờ 00 phút, ngày 24/11/2026" in words
    assert "Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 27/11/2026" in words

    lc.apply(desk, code, Action.FORWARD, at=at(24, 15))
    change = lc.apologize(desk, code, reason="Cần xác minh", new_due=at(2, 9, month=12), at=at(25, 9))
    assert paper_of(change) is Paper.APOLOGY
    words = text(prepare_paper(desk, code, Paper.APOLOGY).copies[0].pdf)
    assert "Thời gian trả kết quả mới: 09 giờ 00 phút, ngày 02/12/2026" in words
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 27/11/2026." in words

    change = lc.stop(desk, code, reason="Người nộp đề nghị dừng", at=at(25, 10))
    assert paper_of(change) is Paper.STOP_NOTICE
    assert "Lý do: Người nộp đề nghị dừng." in text(prepare_paper(desk, code, Paper.STOP_NOTICE).copies[0].pdf)
    slip = text(prepare_paper(desk, code, Paper.CONTROL_SLIP).copies[0].pdf)
    for step in ("Tiếp nhận hồ sơ", "Yêu cầu bổ sung", "Nhận hồ sơ bổ sung", "Chuyển xử lý", "Xin lỗi, hẹn lại",
                 "Dừng giải quyết"):
        assert step in slip


def test_a_refusal_paper(desk, code):
    change = lc.refuse(desk, code, reason="Không thuộc thẩm quyền", at=at(24, 9))
    assert paper_of(change) is Paper.REFUSAL
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text(prepare_paper(desk, code, Paper.REFUSAL).copies[0].pdf)


def test_forward_and_result_print_nothing(desk, code):
    assert paper_of(lc.apply(desk, code, Action.FORWARD, at=at(23, 10))) is None


def test_a_paper_of_a_step_not_taken_is_a_clear_error(desk, code):
    with pytest.raises(DomainError) as caught:
        prepare_paper(desk, code, Paper.REFUSAL)
    assert caught.value.code == "no_such_paper"
    assert caught.value.message == (f"Hồ sơ {code} chưa có bước «Từ chối» nên không có phiếu từ chối tiếp nhận "
                                    "giải quyết hồ sơ (Mẫu 03).")


def test_the_ledger_book_of_a_period(desk, clock, tmp_path):
    clock.now = at(2, 16, month=12)
    codes = [receive(desk, ReceptionRequest(procedure_code="1.004837", name=name, received_at=moment)).dossier.code
             for name, moment in (("Nguyễn Văn An", at(23, 9, 15)), ("Trần Thị Bình", at(27, 10)),
                                  ("Lê Văn Cường", at(1, 10, month=12)))]
    lc.apply(desk, codes[0], Action.FORWARD, at=at(23, 10), to="Công chức Tư pháp - Hộ tịch")
    book = ledger_book(desk, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert book.entries == 2
    words = text(book.pdf)
    assert "01 000.21.33.H49- 261123-0001" in words and "02 000.21.33.H49- 261127-0001" in words
    assert "Lê Văn Cường" not in words  # received in December
    assert "Công chức Tư pháp - Hộ tịch" in words
    audit = desk.store.tables.count("audit")
    assert deliver_book(desk, book, path=tmp_path / "so.pdf") is None
    assert (tmp_path / "so.pdf").read_bytes() == book.pdf
    row = desk.store.db.execute("SELECT action, entity_id, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row[:2] == ("ledger_book.print", "2026-11-01..2026-11-30")
    assert json.loads(row[2]) == {"entries": 2, "via": f"pdf:{tmp_path / 'so.pdf'}"}
    assert desk.store.tables.count("audit") == audit + 1
    assert not book.reprint and "BẢN IN LẠI" not in words


def test_a_ledger_book_printed_again_is_marked_as_a_reprint(desk, clock, tmp_path):
    clock.now = at(2, 16, month=12)
    receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An", received_at=at(23, 9, 15)))
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    first = ledger_book(desk, *november)
    assert ledger_book(desk, *november).reprint is False  # rendered, previewed, never delivered: still the first
    deliver_book(desk, first, path=tmp_path / "so.pdf")
    clock.now = at(3, 8, 30, month=12)
    again = ledger_book(desk, *november)
    words = text(again.pdf)
    assert again.reprint and "BẢN IN LẠI in lúc 08:30, 03/12/2026" in words
    assert "Nguyễn Văn An" in words
    # Another period is another book: its first printing is an original.
    other = ledger_book(desk, dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    assert not other.reprint and "BẢN IN LẠI" not in text(other.pdf)
    (tmp_path / "again.pdf").write_bytes(again.pdf)


@pytest.mark.parametrize(("first", "last", "error"), [
    (dt.date(2026, 11, 30), dt.date(2026, 11, 1), "invalid_period"),
    (dt.date(2025, 1, 1), dt.date(2026, 6, 1), "period_too_long"),
])
def test_a_wrong_period_is_refused(desk, first, last, error):
    with pytest.raises(DomainError) as caught:
        ledger_book(desk, first, last)
    assert caught.value.code == error


def test_the_new_slip_after_a_supplement_is_dated_the_day_it_is_issued(desk, code, clock, tmp_path):
    """Received 23/11 09:15, sent back 23/11 10:00, complete on Friday 27/11 at 14:00 (given as
    UTC, as a synced step may be): the new slip is dated 27/11, shows the reception, the arrival
    and the new appointment in the desk's time, and replaces the first slip."""
    first_due = desk.dossier(code).due_at
    lc.request_supplement(desk, code, reason="Thiếu giấy", at=at(23, 10), missing=(
        ReceivedDocument("Giấy chứng nhận kết hôn", DocForm.CERTIFIED_COPY),))
    clock.now = at(27, 16)
    lc.receive_supplement(desk, code, at=at(27, 14).astimezone(dt.timezone.utc))
    slip = prepare_paper(desk, code, Paper.RECEIPT)
    words = text(slip.copies[0].pdf)
    assert "Tân Phú, ngày 27 tháng 11 năm 2026" in words and "ngày 23 tháng 11 năm 2026" not in words
    assert "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 23/11/2026" in words
    assert "Thời gian nhận đủ hồ sơ bổ sung: 14 giờ 00 phút, ngày 27/11/2026" in words
    assert "Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 02/12/2026" in words
    assert (f"Giấy này thay Giấy tiếp nhận hồ sơ và hẹn trả kết quả cấp ngày 23/11/2026 (hẹn trả "
            f"{first_due:%H:%M %d/%m/%Y}); giấy cũ không còn giá trị.") in words
    (tmp_path / "new-slip.pdf").write_bytes(slip.copies[0].pdf)
