"""The period report on a desk built through the real services, every figure known in advance."""

import datetime as dt

import pytest

from desk_app.domain.errors import DomainError
from desk_app.domain.period_report import counts_json, report_json
from desk_app.services import reports
from tests.reports_data import OCTOBER, OCTOBER_2_1, OCTOBER_AVERAGE_DAYS, at, build

OCT_1, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


@pytest.fixture
def codes(desk, clock):
    return build(desk, clock)


def test_the_crafted_appointments_are_the_ones_assumed(desk, codes):
    # The rows of the table in tests/reports_data.py rest on these appointments from the real calendar.
    assert desk.dossier(codes["d2"]).due_at == at(10, 2)
    assert desk.dossier(codes["d3"]).due_at == at(10, 5)
    assert desk.dossier(codes["d4"]).due_at == at(10, 8)
    assert desk.dossier(codes["d5"]).due_at == at(10, 9)
    assert desk.dossier(codes["d9"]).due_at == at(11, 3)
    assert desk.dossier(codes["d11"]).due_at.date() == dt.date(2026, 10, 20)


def test_october_report(desk, codes):
    report = reports.period_report(desk, OCT_1, OCT_31)
    data = counts_json(report.totals)
    assert {k: data[k] for k in OCTOBER} == OCTOBER
    assert data["average_processing_days"] == pytest.approx(OCTOBER_AVERAGE_DAYS, abs=0.005)
    index = {i.code: i for i in report.indicators}
    assert (index["2.1"].numerator, index["2.1"].denominator) == OCTOBER_2_1
    assert index["5.4"].value is None and index["4.2"].value is None  # no ratings, no scans recorded yet
    assert report.guidance_issued == 1
    assert report.period.judged_at == at(11, 1, 0)  # the month is over: judged at its end


def test_by_procedure_and_by_field(desk, codes):
    report = reports.period_report(desk, OCT_1, OCT_31)
    procedures = {g.key: g.counts for g in report.by_procedure}
    assert set(procedures) == {"1.004837", "2.000815"}
    assert procedures["2.000815"].resolved_on_time == 1 and procedures["2.000815"].returned == 1
    assert procedures["1.004837"].received_total == 9
    assert sum(g.counts.received_total for g in report.by_field) == 10
    assert all(g.label for g in report.by_field)


def test_the_next_month_starts_from_what_october_left_open(desk, codes):
    report = reports.period_report(desk, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    # d3, d9 running and d8 waiting carried over; d12 new. Judged now (5/11 10:00): d9 was due 3/11,
    # d12 at 09:00 this morning: three overdue.
    c = report.totals
    assert (c.received_carried_over, c.received_new) == (3, 1)
    assert (c.in_progress_overdue, c.in_progress_on_time, c.paused) == (3, 0, 1)
    assert report.period.judged_at == at(11, 5, 10)


def test_a_single_day_and_a_year(desk, codes):
    day = reports.period_report(desk, dt.date(2026, 10, 5), dt.date(2026, 10, 5))
    assert (day.totals.received_new, day.totals.received_carried_over) == (1, 1)  # d4 new; d3 still open
    year = reports.period_report(desk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert year.totals.received_new == 13 and year.totals.received_carried_over == 0


def test_a_period_ending_before_it_starts_is_refused_in_vietnamese(desk):
    with pytest.raises(DomainError) as caught:
        reports.period_report(desk, OCT_31, OCT_1)
    assert caught.value.code == "bad_period" and "phải từ ngày bắt đầu" in caught.value.message


def test_json_keys_of_the_issue(desk, codes):
    data = report_json(reports.period_report(desk, OCT_1, OCT_31))
    for key in ("received_total", "received_new", "received_carried_over", "received_by_channel", "resolved_early",
                "resolved_on_time", "resolved_late", "in_progress_on_time", "in_progress_overdue", "refused",
                "withdrawn", "returned"):
        assert key in data
    assert set(data["indicators"]) == {"2.1", "2.2", "4.2", "5.4"}
    assert all(i["formula"] for i in data["indicators"].values())


def test_the_report_reads_only(desk, codes):
    before = [desk.store.tables.count(t) for t in ("dossiers", "outbox", "audit")]
    reports.period_report(desk, OCT_1, OCT_31)
    reports.dashboard(desk)
    assert [desk.store.tables.count(t) for t in ("dossiers", "outbox", "audit")] == before


def test_dashboard_months_and_due_buckets(desk, codes):
    board = reports.dashboard(desk, months=3)
    assert [m.label for m in board.months] == ["09/2026", "10/2026", "11/2026"]
    october = board.months[1]
    assert (october.received_new, october.resolved_in_time, october.resolved_late) == (8, 4, 1)
    # Now (5/11 10:00): d3 and d9 overdue; d12 due 5/11 09:00 is overdue too; d8 waits for its supplement.
    assert (board.overdue, board.paused) == (3, 1)


def test_ledger_export_rows_in_ledger_order(desk, codes):
    rows = reports.ledger_rows(desk, OCT_1, OCT_31)
    assert len(rows) == 8 and [r.ledger_no for r in rows] == sorted(r.ledger_no for r in rows)
    assert {r.code for r in rows} == {codes[n] for n in ("d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11")}
    table = reports.ledger_table(rows, OCT_1, OCT_31)
    assert table.columns[0].header == "STT" and len(table.rows) == 8


def test_ledger_exports_to_excel_and_pdf(desk, codes, tmp_path):
    import io

    from openpyxl import load_workbook

    from desk_app.printing.xlsx import TITLE_ROWS
    from tests.printing.conftest import flat, page_texts

    book = load_workbook(io.BytesIO(reports.ledger_file(desk, OCT_1, OCT_31, reports.Format.XLSX)))
    sheet = book["Sổ theo dõi"]
    head = TITLE_ROWS + 1
    assert [c.value for c in sheet[head]][:5] == ["STT", "Số sổ", "Mã hồ sơ", "Người nộp", "Thủ tục"]
    assert sheet.freeze_panes == f"A{head + 1}"
    rows = list(sheet.iter_rows(min_row=head + 1, values_only=True))
    assert len(rows) == 8
    d4 = next(r for r in rows if r[2] == codes["d4"])
    # Moments are Excel date-times (the desk's local time), the fee a number.
    assert d4[5] == dt.datetime(2026, 10, 5, 9, 0) and d4[6] == dt.datetime(2026, 10, 8, 9, 0)
    assert d4[7] == "Có kết quả" and d4[9] == "Trả đúng hạn"
    assert sheet.cell(head + 1, 6).number_format == "dd/mm/yyyy hh:mm"
    pdf = reports.ledger_file(desk, OCT_1, OCT_31, reports.Format.PDF)
    text = flat(" ".join(page_texts(pdf)))
    assert "DANH SÁCH HỒ SƠ TIẾP NHẬN" in text and codes["d4"] in text and "Trả đúng hạn" in text
    assert "Phạm Thị Dung" in text


def test_files_are_written_whole(tmp_path):
    target = tmp_path / "sub" / "bao-cao.xlsx"
    reports.write_file(target, b"abc")
    assert target.read_bytes() == b"abc" and not list(target.parent.glob("*.part"))


def test_dashboard_months_leave_out_only_what_cannot_change_them(desk, codes):
    """Received and resolved per month are the same as from every dossier the months can count."""
    from desk_app.domain.period_report import last_months
    from desk_app.domain.statistics import count
    from desk_app.store import reports as store_reports

    board = reports.dashboard(desk, months=4)
    periods = last_months(reports.ledger.now(desk), 4)
    every = store_reports.dossier_facts(desk.store, periods[0].start, periods[-1].end)
    for month, period in zip(board.months, periods):
        c = count(every, period)
        assert (month.received_new, month.resolved_in_time, month.resolved_late) == (
            c.received_new, c.resolved_early + c.resolved_on_time, c.resolved_late)
