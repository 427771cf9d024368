"""The counting rules on hand-made histories whose every figure is worked out in advance."""

import datetime as dt

import pytest

from desk_app.domain.indicators import DEFAULT_SCALE
from desk_app.domain.period_report import build_report, last_months, report_json
from desk_app.domain.statistics import DossierFacts, Period, Place, Step, count, outcome, paused_time

VN = dt.timezone(dt.timedelta(hours=7))
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), dt.datetime(2026, 12, 5, 10, 0, tzinfo=VN))


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def facts(received, due, *changes, channel="direct", code="2.000815", field="Chứng thực", rating=None):
    """changes: (moment, status) or (moment, status, new due)."""
    steps = [Step(received, "received", due)]
    for change in changes:
        moment, status, *new_due = change
        due = new_due[0] if new_due else due
        steps.append(Step(moment, status, due))
    return DossierFacts(received, channel, code, f"Thủ tục {code}", field, tuple(steps), rating)


# The crafted month. Letters name the dossiers in the comments of the tests below.
A = facts(at(10, 20), at(10, 23), (at(10, 22), "result_ready"), (at(11, 3), "returned"), rating="Hài lòng")
B = facts(at(10, 28), at(10, 30), (at(10, 29), "in_process"), (at(11, 2, 10), "result_ready"))
C = facts(at(11, 5), at(11, 10), (at(11, 6), "in_process"), (at(11, 9, 15), "result_ready"))
D = facts(at(11, 5), at(11, 10), (at(11, 10, 8), "result_ready"), channel="online", code="1.001193", field="Hộ tịch")
E = facts(at(11, 6), at(11, 12), (at(11, 7), "supplement_requested"), (at(11, 9), "received", at(11, 16)),
          (at(11, 13), "result_ready"), channel="postal", code="1.001193", field="Hộ tịch")
F = facts(at(11, 25), at(12, 3), (at(11, 26), "in_process"))
G = facts(at(11, 20), at(11, 27), (at(11, 21), "in_process"))
H = facts(at(11, 26), at(12, 1), (at(11, 27), "supplement_requested"))
I = facts(at(11, 10), at(11, 13), (at(11, 11), "refused"))
J = facts(at(10, 12), at(10, 15), (at(10, 13), "in_process"), (at(11, 15), "withdrawn"))
K = facts(at(12, 2), at(12, 5))
L = facts(at(11, 3), at(11, 5), (at(11, 4), "supplement_requested"), (at(11, 5), "received", at(11, 8)),
          (at(11, 6), "supplement_requested"), (at(11, 7), "received", at(11, 10)), (at(11, 9), "result_ready"))
M = facts(at(9, 30), at(10, 3), (at(10, 2), "stopped"))
N = DossierFacts(at(11, 16, 10), "direct", "2.000815", "Thủ tục 2.000815", "Chứng thực",
                 (Step(at(11, 16, 10), "returned", at(11, 16, 17)),), "Không hài lòng")
MONTH = [A, B, C, D, E, F, G, H, I, J, K, L, M, N]


def test_each_dossier_lands_in_its_one_place():
    places = {name: outcome(item, NOVEMBER) for name, item in zip("ABCDEFGHIJKLMN", MONTH)}
    assert places["A"].place is None and places["A"].returned  # resolved in October, handed back in November
    assert places["K"] is None and places["M"] is None  # after the period; ended before it
    assert {name: o.place for name, o in places.items() if o and o.place} == {
        "B": Place.RESOLVED_LATE, "C": Place.RESOLVED_EARLY, "D": Place.RESOLVED_ON_TIME,
        "E": Place.RESOLVED_EARLY, "F": Place.IN_PROGRESS_ON_TIME, "G": Place.IN_PROGRESS_OVERDUE,
        "H": Place.PAUSED, "I": Place.REFUSED, "J": Place.WITHDRAWN, "L": Place.RESOLVED_EARLY,
        "N": Place.RESOLVED_ON_TIME,
    }
    assert [name for name, o in places.items() if o and o.carried_over] == ["B", "J"]


def test_the_months_counts():
    c = count(MONTH, NOVEMBER)
    assert (c.received_carried_over, c.received_new, c.received_total) == (2, 9, 11)
    assert c.by_channel() == {"direct": 7, "online": 1, "postal": 1}
    assert (c.resolved_early, c.resolved_on_time, c.resolved_late, c.resolved_total) == (3, 2, 1, 6)
    assert (c.in_progress_on_time, c.in_progress_overdue, c.paused) == (1, 1, 1)
    assert (c.refused, c.withdrawn, c.stopped, c.returned, c.supplement_requested) == (1, 1, 0, 2, 3)
    # Every dossier received (new or carried over) is in exactly one place at the end.
    assert c.received_total == c.resolved_total + c.in_progress_total + c.paused + c.refused + c.withdrawn + c.stopped


def test_processing_time_leaves_out_the_supplement_waits():
    # B 5 d 1 h, C 4 d 6 h, D 4 d 23 h, E 7 d − 2 d waiting, L 6 d − 2 × 1 d waiting, N 0.
    c = count(MONTH, NOVEMBER)
    assert c.processing_seconds == (23 * 24 + 6) * 3600
    assert c.average_processing_days == pytest.approx(23.25 / 6)
    assert paused_time(E.steps, at(11, 13)) == dt.timedelta(days=2)
    assert paused_time(H.steps, at(11, 28)) == dt.timedelta(days=1)  # still waiting: counted up to the moment


def test_indicators_with_formulas_and_honest_gaps():
    report = build_report(MONTH, NOVEMBER, unit="Xã Tân Phú", scale=None)
    by_code = {i.code: i for i in report.indicators}
    # 2.1: C, D, E, N resolved in time and F running in time; L was sent back twice, so it is late there.
    assert (by_code["2.1"].numerator, by_code["2.1"].denominator) == (5, 8)
    assert by_code["2.1"].value == pytest.approx(62.5)
    assert report.totals.sent_back_twice == 1
    assert by_code["2.2"].value == pytest.approx(23.25 / 6) and by_code["2.2"].unit == "ngày"
    assert by_code["4.2"].value is None and "chưa có dữ liệu" in by_code["4.2"].note
    assert by_code["5.4"].value is None and "chưa có dữ liệu" in by_code["5.4"].note
    assert all(i.formula for i in report.indicators)
    assert report.ratings is None


def test_satisfaction_and_ratings_when_the_source_records_them():
    report = build_report(MONTH, NOVEMBER, unit="Xã Tân Phú", scale=DEFAULT_SCALE)
    # N was on time but rated "không hài lòng"; 3 were late or overdue for 2.1: 8 − 4 = 4 satisfied.
    index = {i.code: i for i in report.indicators}["5.4"]
    assert (index.numerator, index.denominator, index.value) == (4, 8, 50.0)
    # A and N were handed back in November with a rating.
    assert report.ratings.counts == {"Rất hài lòng": 0, "Hài lòng": 1, "Bình thường": 0, "Không hài lòng": 1}


def test_breakdowns_add_up_to_the_totals():
    report = build_report(MONTH, NOVEMBER, unit="Xã Tân Phú", scale=None)
    assert [g.label for g in report.by_field] == ["Chứng thực", "Hộ tịch"]
    for groups in (report.by_field, report.by_procedure):
        assert sum(g.counts.received_total for g in groups) == report.totals.received_total
        assert sum(g.counts.resolved_total for g in groups) == report.totals.resolved_total
    hotich = report.by_procedure[[g.key for g in report.by_procedure].index("1.001193")].counts
    assert (hotich.received_new, hotich.resolved_early, hotich.resolved_on_time) == (2, 1, 1)


def test_json_has_the_issue_keys():
    data = report_json(build_report(MONTH, NOVEMBER, unit="Xã Tân Phú", scale=None))
    assert {k: data[k] for k in ("received_total", "received_new", "received_carried_over", "resolved_early",
                                 "resolved_on_time", "resolved_late", "in_progress_on_time", "in_progress_overdue",
                                 "refused", "withdrawn", "returned")} == {
        "received_total": 11, "received_new": 9, "received_carried_over": 2, "resolved_early": 3,
        "resolved_on_time": 2, "resolved_late": 1, "in_progress_on_time": 1, "in_progress_overdue": 1,
        "refused": 1, "withdrawn": 1, "returned": 2}
    assert data["received_by_channel"] == {"direct": 7, "online": 1, "postal": 1}
    assert data["indicators"]["5.4"]["value"] is None and data["ratings"] is None


def test_a_period_not_yet_over_judges_open_dossiers_now():
    # On 26/11 10:00, G (due 27/11 09:00) is still within time; at the month's end it is overdue.
    running = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), at(11, 26, 10))
    assert outcome(G, running).place is Place.IN_PROGRESS_ON_TIME
    assert outcome(G, NOVEMBER).place is Place.IN_PROGRESS_OVERDUE


def test_the_next_month_carries_over_what_november_left_open():
    december = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31), at(12, 5, 10))
    c = count(MONTH, december)
    # F, G (running) and H (waiting for its supplement) carried over; K new.
    assert (c.received_carried_over, c.received_new) == (3, 1)


def test_an_unknown_status_counts_as_open_never_as_an_error():
    newer = facts(at(11, 2), at(11, 4), (at(11, 3), "a_status_of_a_newer_desk"))
    assert outcome(newer, NOVEMBER).place is Place.IN_PROGRESS_OVERDUE


def test_last_months_are_whole_calendar_months():
    months = last_months(at(3, 15), 4)
    assert [(p.first, p.last) for p in months] == [
        (dt.date(2025, 12, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))]


def test_counting_several_periods_at_once_gives_each_periods_own_figures():
    from desk_app.domain.statistics import count_each

    months = last_months(at(12, 5, 10), 4)  # September to December
    assert count_each(MONTH, months) == [count(MONTH, p) for p in months]


def test_which_levels_count_against_satisfaction():
    from desk_app.domain.indicators import rating_scale

    five = rating_scale(["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"])
    assert five.negative == {"Không hài lòng", "Rất không hài lòng"}
    # Whatever its words, the worst level of the commune's scale counts; one seen off it, by its words only.
    plain = rating_scale(["Tốt", "Khá", "Kém"], seen=["Chưa hài lòng", "Tốt", "Bình thường"])
    assert [level.label for level in plain.levels] == ["Tốt", "Khá", "Kém", "Bình thường", "Chưa hài lòng"]
    assert plain.negative == {"Kém", "Chưa hài lòng"}
