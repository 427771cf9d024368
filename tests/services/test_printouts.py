"""Papers tell the truth: numbered fee receipts, reprints that keep the payment, prints counted
only once delivered, ended dossiers that say so (issue 6, item 1)."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json

import pytest
from pypdf import PdfReader

from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.services import lifecycle
from desk_app.services.printouts import deliver, prepare_printout
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.services.spooler import SpoolError, SpoolJob
from desk_app.store import papers

VN = dt.timezone(dt.timedelta(hours=7))


def text_of(pdf: bytes, page: int = 0) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[page].extract_text().split())


def paid(desk, name="Nguyễn Văn An"):
    """A chứng thực bản sao dossier: 3 pages, 2 copies, 10.000 đ collected."""
    return receive(desk, ReceptionRequest(procedure_code="2.000815", name=name, pages=3, copies=2))


def print_actions(desk, code):
    rows = desk.store.db.execute(
        "SELECT action, detail FROM audit WHERE entity_id = ? AND action LIKE 'dossier.%print%' ORDER BY id", [code]
    ).fetchall()
    return [(action, json.loads(detail)["paper"]) for action, detail in rows]


class FakeSpooler:
    """Accepts the first ``accept`` jobs, then refuses like a printer that went offline."""

    def __init__(self, accept: int = 99) -> None:
        self.accept, self.jobs = accept, []

    def __call__(self, pdf: bytes, *, printer: str | None, title: str) -> SpoolJob:
        if len(self.jobs) >= self.accept:
            raise SpoolError("Máy in «quay1» đang không nhận lệnh in.")
        self.jobs.append((printer, title, pdf))
        return SpoolJob(printer or "mac-dinh", f"{printer}-{len(self.jobs)}")


# fee receipt numbers ------------------------------------------------------------------------


def test_numbers_are_allocated_at_reception_consecutively_per_series(desk):
    first, second = paid(desk), paid(desk, "Trần Thị Bình")
    free = receive(desk, ReceptionRequest(procedure_code="1.001193", name="Lê Văn Cường"))
    third = paid(desk, "Phạm Thị Dung")
    assert free.fee_receipt is None
    assert [r.fee_receipt.number for r in (first, second, third)] == [1, 2, 3]
    assert {(r.fee_receipt.form_no, r.fee_receipt.series) for r in (first, second, third)} == {("01BLP2-001", "AA/26T")}
    stored = papers.fee_record(desk.store, second.dossier_id)
    assert stored.receipt == second.fee_receipt and stored.amount == 10_000


def test_a_reception_that_fails_gives_its_number_back(desk, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(desk.recorder.outbox, "append", broken)
    with pytest.raises(RuntimeError):
        paid(desk)
    monkeypatch.undo()
    assert paid(desk).fee_receipt.number == 1  # the rolled-back number was never issued


def test_a_new_series_starts_its_own_count_and_an_old_one_continues(desk):
    assert [paid(desk).fee_receipt.number for _ in range(2)] == [1, 2]
    book = desk.set_fee_receipt_book(form_no="01blp2-002", series="ab/26t", start_no=351)
    assert (book.form_no, book.series, book.start_no) == ("01BLP2-002", "AB/26T", 351)
    assert [str(paid(desk).fee_receipt) for _ in range(2)] == [
        "Mẫu số 01BLP2-002, ký hiệu AB/26T, số 0000351", "Mẫu số 01BLP2-002, ký hiệu AB/26T, số 0000352"]
    # Back to the first book with a lower start: numbers are never reused, it continues at 3.
    desk.set_fee_receipt_book(form_no="01BLP2-001", series="AA/26T", start_no=1)
    assert paid(desk).fee_receipt.number == 3
    audit = desk.store.db.execute("SELECT count(*) FROM audit WHERE action = 'desk.set_fee_receipt_book'").fetchone()
    assert audit[0] == 2


def test_a_bad_book_is_refused_in_vietnamese_and_nothing_changes(desk):
    before = desk.fee_receipt_book()
    with pytest.raises(ValidationErrors) as err:
        desk.set_fee_receipt_book(series="Ký hiệu có dấu", start_no=0)
    assert {e.field for e in err.value.errors} == {"fee_series", "fee_start"}
    assert "Ký hiệu biên lai chỉ gồm chữ in hoa không dấu" in err.value.message
    assert desk.fee_receipt_book() == before


def test_each_desk_gets_its_own_default_series(store, clock):
    from desk_app.services.desk import Desk

    desk = Desk(store, clock=clock)
    desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=3)
    assert (desk.fee_receipt_book().form_no, desk.fee_receipt_book().series) == ("01BLP2-001", "AC/26T")


# reprints -----------------------------------------------------------------------------------


def test_a_reprinted_fee_receipt_keeps_its_number_and_payment_time(desk, clock, tmp_path):
    reception = paid(desk)
    first = prepare_printout(desk, reception.dossier.code)
    deliver(desk, first, receipt_path=tmp_path / "a.pdf")
    clock.now += dt.timedelta(days=2, hours=5, minutes=20)  # 25/11/2026 14:35
    again = prepare_printout(desk, reception.dossier.code)
    assert [(c.paper, c.reprint, c.number) for c in again.copies] == [
        (Paper.RECEIPT, True, 2), (Paper.FEE_RECEIPT, True, 2)]
    original, reprint = text_of(first.fee_receipt), text_of(again.fee_receipt)
    assert "BẢN IN LẠI" not in original
    for page in (original, reprint):
        assert "Mẫu số: 01BLP2-001" in page and "Ký hiệu: AA/26T" in page and "Số: 0000001" in page
        assert "Tân Phú, ngày 23 tháng 11 năm 2026" in page
        assert "Thời gian thu: 09 giờ 15 phút, ngày 23/11/2026" in page
    assert "BẢN IN LẠI" in reprint and "in lúc 14:35, 25/11/2026" in reprint
    assert "Không phải một lần thu tiền mới." in reprint
    assert "25/11/2026" not in original and "ngày 25 tháng 11" not in reprint


def test_prints_and_reprints_are_audited_with_their_paper(desk, tmp_path):
    code = paid(desk).dossier.code
    assert print_actions(desk, code) == []  # rendering alone records nothing
    deliver(desk, prepare_printout(desk, code), receipt_path=tmp_path / "a.pdf")
    deliver(desk, prepare_printout(desk, code, slip=False), to_printer=True, printer="quay1", spool=FakeSpooler())
    assert print_actions(desk, code) == [
        ("dossier.print", "receipt"), ("dossier.print", "fee_receipt"), ("dossier.reprint", "fee_receipt")]
    last = desk.store.db.execute("SELECT detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert json.loads(last) == {"paper": "fee_receipt", "print_no": 2, "via": "printer:quay1 quay1-1"}


# a print counts only once it succeeded ---------------------------------------------------------


def test_a_failed_write_leaves_the_next_print_the_original(desk, tmp_path):
    reception = paid(desk)
    (tmp_path / "not-a-folder").write_text("x")
    printout = prepare_printout(desk, reception.dossier.code)
    with pytest.raises(OSError):  # the folder cannot be written (here: it is a file)
        deliver(desk, printout, receipt_path=tmp_path / "not-a-folder" / "slip.pdf")
    assert print_actions(desk, reception.dossier.code) == []
    assert not any(c.reprint for c in prepare_printout(desk, reception.dossier.code).copies)


def test_a_full_disk_leaves_no_half_file_and_no_count(desk, tmp_path, monkeypatch):
    import desk_app.services.durable_files as durable_files

    reception = paid(desk)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable_files.os, "fsync", full)
    with pytest.raises(OSError):
        deliver(desk, prepare_printout(desk, reception.dossier.code), receipt_path=tmp_path / "out" / "slip.pdf")
    assert list((tmp_path / "out").iterdir()) == []
    assert papers.print_count(desk.store, reception.dossier_id, Paper.RECEIPT) == 0


def test_a_refused_print_job_is_not_counted(desk):
    reception = paid(desk)
    with pytest.raises(SpoolError):
        deliver(desk, prepare_printout(desk, reception.dossier.code), to_printer=True, spool=FakeSpooler(accept=0))
    assert print_actions(desk, reception.dossier.code) == []
    assert not any(c.reprint for c in prepare_printout(desk, reception.dossier.code).copies)


def test_a_printer_failing_after_the_slip_counts_the_slip_only(desk):
    reception = paid(desk)
    spool = FakeSpooler(accept=1)
    with pytest.raises(SpoolError):
        deliver(desk, prepare_printout(desk, reception.dossier.code), to_printer=True, printer="quay1", spool=spool)
    assert [title for _, title, _ in spool.jobs] == [f"{reception.dossier.code}-giay-tiep-nhan"]
    again = prepare_printout(desk, reception.dossier.code)
    assert [(c.paper, c.reprint) for c in again.copies] == [(Paper.RECEIPT, True), (Paper.FEE_RECEIPT, False)]


def test_a_file_and_a_printer_count_one_printing(desk, tmp_path):
    reception = paid(desk)
    done = deliver(desk, prepare_printout(desk, reception.dossier.code), receipt_path=tmp_path / "out" / "hs.pdf",
                   to_printer=True, printer="quay1", spool=FakeSpooler())
    assert done.numbers == {Paper.RECEIPT: 1, Paper.FEE_RECEIPT: 1}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hs-bien-lai.pdf", "hs.pdf"]
    assert set(done.jobs) == {Paper.RECEIPT, Paper.FEE_RECEIPT}


# the slip of a dossier that is no longer waiting -------------------------------------------------


def test_the_slip_of_a_withdrawn_dossier_says_so(desk, clock):
    code = paid(desk).dossier.code
    clock.now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=VN)
    lifecycle.apply(desk, code, Action.WITHDRAW, note="Công dân xin rút hồ sơ")
    clock.now += dt.timedelta(days=3)
    for page in range(2):
        text = text_of(prepare_printout(desk, code).receipt, page)
        assert "Hồ sơ đã rút ngày 24/11/2026. Giấy hẹn này không còn giá trị để nhận kết quả." in text
        assert "(không còn giá trị)" in text


def test_the_slip_of_a_dossier_in_process_has_no_state_note(desk, clock):
    code = paid(desk).dossier.code
    lifecycle.apply(desk, code, Action.FORWARD)
    assert "không còn giá trị" not in text_of(prepare_printout(desk, code).receipt)


def test_the_slip_of_a_dossier_resolved_on_the_spot_says_it_was_returned(desk):
    reception = receive(desk, ReceptionRequest(procedure_code="2.000815", name="Vũ Thị Lan", pages=1,
                                               resolved_on_the_spot=True))
    text = text_of(prepare_printout(desk, reception.dossier.code).receipt)
    assert "Hồ sơ đã trả kết quả ngày 23/11/2026." in text


def test_the_date_line_uses_the_place_name(desk):
    assert desk.profile().place == "Tân Phú"  # set up with --commune "Xã Tân Phú" and no --place
    assert "Tân Phú, ngày 23 tháng 11 năm 2026" in text_of(prepare_printout(desk, paid(desk).dossier.code).receipt)
    assert "Xã Tân Phú, ngày" not in text_of(prepare_printout(desk, paid(desk).dossier.code).receipt)


def test_nothing_to_print_for_a_free_dossier_without_its_slip(desk):
    code = receive(desk, ReceptionRequest(procedure_code="1.001193", name="Lê Văn Cường")).dossier.code
    with pytest.raises(DomainError) as err:
        prepare_printout(desk, code, slip=False)
    assert err.value.code == "nothing_to_print"
