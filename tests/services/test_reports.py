"""The period report on a desk built through the real services, every figure known in advance."""

import datetime as dt

import pytest

from desk_app.domain.errors import DomainError
from desk_app.domain.period_report import counts_json, report_json
from desk_app.services import reports
from tests.reports_data import (
    OCTOBER,
    OCTOBER_2_1,
    OCTOBER_5_4,
    OCTOBER_AVERAGE_DAYS,
    OCTOBER_RATINGS,
    at,
    build,
)

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
    assert (index["5.4"].numerator, index["5.4"].denominator) == OCTOBER_5_4
    assert index["5.4"].value == pytest.approx(400 / 7) and index["5.4"].formula
    assert (index["4.2"].value, index["4.2"].numerator, index["4.2"].denominator) == (0, 0, 8)  # nothing scanned
    assert report.guidance_issued == 1
    assert report.period.judged_at == at(11, 1, 0)  # the month is over: judged at its end


def test_the_ratings_given_at_the_returns_of_the_period(desk, codes):
    report = reports.period_report(desk, OCT_1, OCT_31)
    assert report.ratings is not None and report.ratings.other == 0
    assert {label: n for label, n, _ in report.ratings.rows()} == OCTOBER_RATINGS
    assert [share for _, _, share in report.ratings.rows()] == [25.0, 25.0, 0.0, 50.0]
    assert report_json(report)["ratings"]["total"] == 4
    november = reports.period_report(desk, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert november.ratings is not None and november.ratings.total == 0  # none returned in November
    # No rating lowers it, so 5.4 is 100 % less the overdue rate: d3, d9, d12 judged, all overdue.
    index = {i.code: i for i in november.indicators}["5.4"]
    assert (index.numerator, index.denominator, index.value) == (0, 3, 0.0)


def test_a_new_scale_keeps_the_ratings_given_under_the_old_one(desk, codes):
    from desk_app.services.lifecycle import set_rating_scale

    set_rating_scale(desk, ["Hài lòng", "Chưa hài lòng"])
    report = reports.period_report(desk, OCT_1, OCT_31)
    assert report.ratings is not None
    # The commune's levels first (its worst counts against 5.4), then the older words seen in the period.
    assert [(level.label, level.negative) for level in report.ratings.scale.levels] == [
        ("Hài lòng", False), ("Chưa hài lòng", True), ("Không hài lòng", True), ("Rất hài lòng", False)]
    assert {label: n for label, n, _ in report.ratings.rows()} == {
        "Hài lòng": 1, "Chưa hài lòng": 0, "Không hài lòng": 2, "Rất hài lòng": 1}
    assert {i.code: i for i in report.indicators}["5.4"].numerator == OCTOBER_5_4[0]


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


def test_indicator_4_2_counts_the_new_dossiers_whose_papers_are_scanned(desk, codes):
    """d4 both papers, d5 one of two, d1 (September) and d12 (November) both: October's 4.2 is
    1/8 when every paper must be scanned (the default), 2/8 when one is enough."""
    from desk_app.services import scans
    from tests import scan_samples

    def scan(name, paper):
        scans.attach(desk, codes[name], paper, scan_samples.image(text=f"{name} {paper}"))

    for name, paper in [("d4", 1), ("d4", 2), ("d5", 1), ("d1", 1), ("d1", 2), ("d12", 1), ("d12", 2)]:
        scan(name, paper)
    index = {i.code: i for i in reports.period_report(desk, OCT_1, OCT_31).indicators}["4.2"]
    assert (index.numerator, index.denominator, index.value) == (1, 8, 12.5)
    assert "mọi thành phần hồ sơ đều có bản quét" in index.formula and "kết quả điện tử" in index.formula
    scans.set_scan_settings(desk, rule="any_paper")
    index = {i.code: i for i in reports.period_report(desk, OCT_1, OCT_31).indicators}["4.2"]
    assert (index.numerator, index.denominator, index.value) == (2, 8, 25.0)
    assert "ít nhất một thành phần hồ sơ có bản quét" in index.formula
    november = {i.code: i for i in reports.period_report(desk, dt.date(2026, 11, 1),
                                                          dt.date(2026, 11, 30)).indicators}["4.2"]
    assert (november.numerator, november.denominator) == (1, 1)


def test_the_quiet_dossiers_counted_in_groups_give_the_figures_of_each_one(tmp_path):
    """period_report counts the dossiers quiet since before the period in SQL groups; every figure
    is the one counted dossier by dossier, on generated months with thousands carried over."""
    from bench import gen_dossiers
    from desk_app.domain.period_report import build_report
    from desk_app.domain.statistics import Period
    from desk_app.services.desk import Desk
    from desk_app.store import reports as store_reports
    from desk_app.store.store import Store

    path = gen_dossiers.generate(tmp_path / "g.sqlite3", 4000, seed=7, end=dt.date(2026, 11, 20), per_day=25)
    store = Store.open(path, read_only=True)
    try:
        desk = Desk(store, clock=lambda: dt.datetime(2026, 11, 20, 10, 30, tzinfo=at(1, 1).tzinfo), actor="t")
        for first, last in ((dt.date(2026, 10, 1), dt.date(2026, 10, 31)), (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
                            (dt.date(2026, 9, 10), dt.date(2026, 9, 10))):
            report = reports.period_report(desk, first, last)
            period = Period(first, last, reports.ledger.now(desk))
            each = build_report(store_reports.dossier_facts(store, period.start, period.end), period, unit=report.unit,
                                scale=report.ratings.scale if report.ratings else None)
            assert report.totals == each.totals and report.by_procedure == each.by_procedure
            assert report.by_field == each.by_field
            # 4.2 counts scans, which are not among the facts; every other indicator must agree.
            assert [i for i in report.indicators if i.code != "4.2"] == [i for i in each.indicators if i.code != "4.2"]
            quiet = store_reports.quiet_groups(store, period.start, period.judged_at)
            assert len(quiet) < sum(times for _, times in quiet)  # groups, not dossiers
        assert report.totals.received_carried_over > 100 and report.totals.paused > 0
    finally:
        store.close()
