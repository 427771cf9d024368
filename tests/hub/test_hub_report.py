"""The hub's report: the crafted desk's own events pushed to the hub give the desk's own figures,
on SQLite and PostgreSQL; a second commune, the ranking, the command line and the dashboard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from desk_app.cli.main import main
from desk_app.domain.dossier import Status
from desk_app.domain.period_report import counts_json
from desk_app.hub import reports as hub_reports
from desk_app.services import reports as desk_reports
from desk_app.store.outbox import Outbox
from desk_app.sync import protocol as p
from tests.hub.conftest import OTHER_UNIT, VN
from tests.reports_data import OCTOBER, OCTOBER_5_4, OCTOBER_RATINGS, build

OCT_1, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
UNIT = "000.21.33.H49"


def push_desk(hub, desk) -> None:
    """Enrol the real desk under a fresh key and push its whole outbox, as sync would."""
    key = p.SigningKey.generate()
    issued = hub.issue_code(UNIT, 1)
    hub.enroll(code=issued.code, desk_uuid=desk.desk_uuid(), public_key=key.public_text,
               facts={"unit_code": UNIT, "desk_no": 1})
    events = Outbox(desk.store).pending(limit=10_000)
    result = hub.push(p.build_batch(events, key, created_at=dt.datetime(2026, 11, 5, 10, 0, tzinfo=VN)))
    assert {a.status.value for a in result.answers} == {"applied"}


@pytest.fixture
def crafted(hub, desk, clock):
    build(desk, clock)
    push_desk(hub, desk)
    return desk


def test_the_hub_counts_the_desks_events_like_the_desk(hub, crafted):
    at_desk = desk_reports.period_report(crafted, OCT_1, OCT_31)
    report, communes = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock(), unit_code=UNIT)
    assert counts_json(report.totals) == counts_json(at_desk.totals)
    assert {k: counts_json(report.totals)[k] for k in OCTOBER} == OCTOBER
    assert [(g.key, counts_json(g.counts)) for g in report.by_procedure] == [
        (g.key, counts_json(g.counts)) for g in at_desk.by_procedure]
    # The hub reads fields from the shipped catalogue, which is what the desk imported.
    assert [(g.label, g.counts) for g in report.by_field] == [(g.label, g.counts) for g in at_desk.by_field]
    assert [i.value for i in report.indicators] == [i.value for i in at_desk.indicators]
    assert [c.unit_code for c in communes] == [UNIT]
    # The ratings the return events carry, and the guidance slip given at the counter, as on the desk.
    index = {i.code: i for i in report.indicators}["5.4"]
    assert (index.numerator, index.denominator) == OCTOBER_5_4
    assert report.ratings is not None and at_desk.ratings is not None
    assert report.ratings.rows() == at_desk.ratings.rows()
    assert {label: n for label, n, _ in report.ratings.rows()} == OCTOBER_RATINGS
    assert report.guidance_issued == at_desk.guidance_issued == 1
    november, _ = hub_reports.period_report(hub.db, dt.date(2026, 11, 1), dt.date(2026, 11, 30), now=hub.clock(),
                                            unit_code=UNIT)
    assert november.guidance_issued == 0 and november.ratings is not None and november.ratings.total == 0


def test_a_decision_taken_on_the_hub_counts_at_its_time(hub, crafted, hub_clock):
    # d9 (due 3/11 09:00, in process) is decided on the hub on 2/11 (UTC clock): resolved early in November.
    hub_clock.now = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.timezone.utc)
    d9 = crafted.store.db.execute("SELECT code FROM dossiers WHERE received_at LIKE '2026-10-29%'").fetchone()[0]
    hub.decide(d9, Status.RESULT_READY, by="UBND xã")
    hub_clock.now = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc)
    november, _ = hub_reports.period_report(hub.db, dt.date(2026, 11, 1), dt.date(2026, 11, 30), now=hub.clock(),
                                            unit_code=UNIT)
    assert november.totals.resolved_early == 1
    october, _ = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock(), unit_code=UNIT)
    assert october.totals.in_progress_on_time == 1  # at the end of October it was still running


def test_all_communes_and_the_ranking(hub, crafted, make_desk):
    other = make_desk(unit_code=OTHER_UNIT)
    other.enroll_on(hub)
    other.at = dt.datetime(2026, 10, 12, 9, 0, tzinfo=VN)
    one, two = other.received(), other.received()
    done = other.status_changed(one, "result_ready", dt.datetime(2026, 10, 13, 9, 0, tzinfo=VN))
    hub.push(other.batch([one, two, done]))
    report, communes = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock())
    assert report.totals.received_new == 8 + 2 and report.unit == hub_reports.ALL_UNITS
    # The other commune: one resolved early, one overdue since 15/10 → 50 %; ours 5 of 7 → 71,4 %.
    assert [(c.unit_code, round(c.on_time_rate, 1)) for c in communes] == [(UNIT, 71.4), (OTHER_UNIT, 50.0)]
    # A channel missing from an old desk's payload counts as direct.
    assert report.totals.received_direct == 6 + 2


def october_reopened(hub, hub_url, downgrade):
    """October's report after ``downgrade`` ran on the hub and the hub was opened again (migrated)."""
    from desk_app.hub.service import Hub

    hub.db.run(downgrade)
    again = Hub.open(hub_url, clock=hub.clock)
    try:
        return hub_reports.period_report(again.db, OCT_1, OCT_31, now=again.clock(), unit_code=UNIT)[0]
    finally:
        again.close()


def test_the_migration_rebuilds_the_steps_of_an_older_hub(hub, hub_url, crafted):
    """A hub that applied events before 0002 existed: the steps come back from its events."""
    before = counts_json(hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock(), unit_code=UNIT)[0].totals)

    def downgrade(tx):
        for index in ("dossier_steps_uuid", "dossier_steps_sent_back", "dossiers_received_utc",
                      "dossiers_last_change", "dossiers_state"):
            tx.execute(f"DROP INDEX {index}")
        tx.execute("DROP TABLE dossier_steps")
        for column in ("channel", "procedure_name", "received_utc", "last_change_utc"):
            tx.execute(f"ALTER TABLE dossiers DROP COLUMN {column}")
        tx.execute("DELETE FROM schema_migrations WHERE name = '0002_reports'")
        # 0003 comes after 0002: undone too, and its paper counts come back from the events.
        tx.execute("DROP TABLE dossier_scans")
        tx.execute("ALTER TABLE dossiers DROP COLUMN papers")
        tx.execute("DELETE FROM schema_migrations WHERE name = '0003_scans_digitised'")

    after = october_reopened(hub, hub_url, downgrade)
    assert counts_json(after.totals) == before
    assert {i.code: i.denominator for i in after.indicators}["4.2"] == 8
    papers = hub.db.run(lambda tx: tx.query("SELECT count(*) FROM dossiers WHERE papers = 2"), write=False)
    assert papers[0][0] == 12  # every crafted dossier of 1.004837 has its two papers again


def test_the_migration_keeps_the_ratings_and_slips_of_events_applied_before(hub, hub_url, crafted):
    """A hub that applied events before 0003: ratings and guidance slips come back from its events."""
    before = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock(), unit_code=UNIT)[0]

    def downgrade(tx):
        tx.execute("DROP INDEX guidance_slips_issued")
        tx.execute("DROP TABLE guidance_slips")
        tx.execute("ALTER TABLE dossiers DROP COLUMN rating")
        tx.execute("DELETE FROM schema_migrations WHERE name = '0004_reports_ratings_guidance'")

    after = october_reopened(hub, hub_url, downgrade)
    assert after.ratings is not None and after.ratings.rows() == before.ratings.rows()
    assert after.guidance_issued == 1 and after.indicators == before.indicators


def test_hub_report_command_json_and_excel(hub_url, crafted, hub, capsys, tmp_path):
    code = main(["hub", "report", "--db", hub_url, "--from", "2026-10-01", "--to", "31/10/2026"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and {k: data[k] for k in OCTOBER} == OCTOBER
    assert data["communes"][0]["unit_code"] == UNIT and data["communes"][0]["on_time_rate"] == 71.43
    assert data["indicators"]["2.1"]["value"] == 71.43 and data["indicators"]["5.4"]["value"] == 57.14
    assert data["guidance_issued"] == 1 and data["ratings"]["total"] == 4
    target = tmp_path / "hub.xlsx"
    code = main(["hub", "report", "--db", hub_url, "--from", "2026-10-01", "--to", "2026-10-31",
                 "--format", "xlsx", "--out", str(target)])
    assert code == 0 and str(target) in capsys.readouterr().out
    book = load_workbook(target)
    assert book.sheetnames[-1] == "Xếp hạng đơn vị"
    assert [c.value for c in book["Xếp hạng đơn vị"][5]][:3] == [1, UNIT, 10]
    one = json.loads((main(["hub", "report", "--db", hub_url, "--from", "2026-10-01", "--to", "2026-10-31",
                            "--unit-code", UNIT]), capsys.readouterr().out)[1])
    assert one["unit_code"] == UNIT and one == {**one, **{k: data[k] for k in OCTOBER}}


@pytest.mark.parametrize("args, words", [
    (["--from", "2026-10-31", "--to", "2026-10-01"], "phải từ ngày bắt đầu"),
    (["--from", "2026-10-01", "--to", "2026-10-31", "--unit-code", "000.99.99.H00"], "chưa có đơn vị mã"),
])
def test_hub_report_refuses_bad_input_with_exit_2(hub_url, hub, capsys, args, words):
    code = main(["hub", "report", "--db", hub_url, *args])
    assert code == 2 and words in capsys.readouterr().err


def test_dashboard_ranks_communes_by_on_time_rate(app, api_hub, desk, clock, make_desk):
    build(desk, clock)
    push_desk(api_hub, desk)
    page = app.get("/").text
    assert "Xếp hạng đơn vị theo tỷ lệ giải quyết đúng hạn – tháng 11/2026" in page
    row = page.split('<section id="ranking">')[1].split("</tbody>")[0]
    # November so far (hub clock 27/11): 3 carried over + d12 new; d8 waits, the other three are overdue.
    assert f"<td>{UNIT}</td>" in row and '<td class="num">4</td>' in row
    assert "<b>0,0%</b>" in row
    # Two different rates, each saying what it measures: the month's 2.1, and results on time ever since.
    assert "<th class=\"num\">Chỉ số 2.1</th>" in page and "Chỉ số 2.1 của tháng 11/2026 = (" in page
    assert "Có kết quả không trễ hẹn (từ trước đến nay): <b>" in page and "Tỷ lệ đúng hạn:" not in page


def test_indicator_4_2_on_the_hub_counts_the_desks_scans(hub, desk, clock):
    """d4 both papers, d5 one of two: 1 of October's 8 new dossiers is digitised, as at the desk."""
    from desk_app.services import scans
    from tests import scan_samples

    codes = build(desk, clock)
    for name, paper in [("d4", 1), ("d4", 2), ("d5", 1), ("d1", 1), ("d1", 2)]:
        scans.attach(desk, codes[name], paper, scan_samples.image(text=f"{name} {paper}"))
    push_desk(hub, desk)
    report = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock(), unit_code=UNIT)[0]
    at_desk = desk_reports.period_report(desk, OCT_1, OCT_31)
    hub_4_2 = {i.code: i for i in report.indicators}["4.2"]
    assert (hub_4_2.numerator, hub_4_2.denominator, hub_4_2.value) == (1, 8, 12.5)
    assert [i.value for i in report.indicators] == [i.value for i in at_desk.indicators]
    every = hub_reports.period_report(hub.db, OCT_1, OCT_31, now=hub.clock())[0]
    assert {i.code: i.numerator for i in every.indicators}["4.2"] == 1
