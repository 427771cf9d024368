"""Ledger queries: filters (due buckets at a fixed now), SQL sorting, folded search, paging."""

import datetime as dt
import json
import unicodedata

import pytest

from desk_app.domain.dossier import Status
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import ledger
from desk_app.domain.text import sort_key
from desk_app.domain.timeliness import DueWindow, Timeliness, judge
from desk_app.store.ledger import LedgerFilter, LedgerSort, SortColumn
from desk_app.store.lifecycle import UnknownDossier, set_status

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)  # a Monday
SOON_UNTIL = dt.datetime(2026, 11, 26, 0, 0, tzinfo=VN)  # end of the 2nd working day after it (Wed 25/11)


def win(now=NOW, soon_until=SOON_UNTIL):
    return DueWindow(now, soon_until)


W = win()

# name, procedure, received (Nov 2026), statuses it goes through (with times), expected timeliness at NOW
DOSSIERS = [
    ("Nguyễn Văn An", "2.000815", (16, 9, 0), [(Status.RESULT_READY, (16, 10, 0)), (Status.RETURNED, (16, 11, 0))],
     Timeliness.DONE_ON_TIME),  # due 16/11 17:00, done that morning
    ("Trần Thị Bình", "1.004194", (16, 10, 0), [(Status.IN_PROCESS, (16, 11, 0)), (Status.RESULT_READY, (18, 9, 0))],
     Timeliness.DONE_EARLY),  # due 19/11 10:00
    ("Đặng Thị Hoà", "1.004194", (17, 8, 0), [(Status.IN_PROCESS, (17, 9, 0)), (Status.RETURNED, (20, 9, 0))],
     Timeliness.DONE_LATE),  # due 20/11 08:00
    ("Lê Văn Dũng", "1.004194", (18, 14, 0), [(Status.IN_PROCESS, (18, 15, 0))], Timeliness.DUE_TODAY),  # 23/11 14:00
    ("Phạm Minh Quân", "1.004194", (17, 9, 0), [(Status.IN_PROCESS, (17, 10, 0))], Timeliness.OVERDUE),  # 20/11 09:00
    ("Hoàng Thị Lan", "1.004194", (20, 9, 0), [], Timeliness.DUE_SOON),  # 25/11 09:00
    ("Võ Văn Tài", "1.004222", (20, 10, 0), [(Status.IN_PROCESS, (20, 11, 0))], Timeliness.ON_TRACK),  # 1/12
    ("Bùi Thị Mai", "2.000815", (19, 8, 30), [(Status.REFUSED, (19, 9, 0))], None),
    # Waiting for the citizen's supplement: the clock is stopped, so no due bucket holds it.
    ("Đỗ Thanh Hà", "1.004194", (19, 8, 0), [(Status.SUPPLEMENT_REQUESTED, (19, 10, 0))], Timeliness.PAUSED),
]


def _at(day_hour_minute):
    day, hour, minute = day_hour_minute
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def populate(desk, clock, dossiers=DOSSIERS):
    """Receive and move the dossiers above; returns {name: dossier id}. Leaves the clock at NOW."""
    ids = {}
    for name, procedure, received, steps, _ in dossiers:
        clock.now = _at(received)
        reception = receive(desk, ReceptionRequest(procedure_code=procedure, name=name, phone="0912345678",
                                                   received_at=_at(received)))
        ids[name] = reception.dossier_id
        for status, at in steps:
            set_status(desk.recorder, reception.dossier_id, status, at=_at(at))
    clock.now = NOW
    return ids


@pytest.fixture
def ids(desk, clock):
    return populate(desk, clock)


def names(store, f=LedgerFilter(), sort=LedgerSort(), offset=0, limit=100, window=W):
    return [r.applicant_name for r in ledger.page(store, f, sort, window, offset, limit)]


def test_every_row_shows_what_the_table_needs(store, ids):
    rows = {r.applicant_name: r for r in ledger.page(store, LedgerFilter(), LedgerSort(), W, 0, 100)}
    assert {name: r.timeliness for name, r in rows.items()} == {d[0]: d[4] for d in DOSSIERS}
    dung = rows["Lê Văn Dũng"]
    assert dung.id == ids["Lê Văn Dũng"]
    assert (dung.procedure_code, dung.status, dung.phone) == ("1.004194", Status.IN_PROCESS, "0912345678")
    assert dung.due_at == dt.datetime(2026, 11, 23, 14, 0, tzinfo=VN)
    assert dung.received_at == dt.datetime(2026, 11, 18, 14, 0, tzinfo=VN)
    assert dung.code.startswith("000.21.33.H49-261118-")
    assert dung.ledger_year == 2026 and dung.ledger_no >= 1 and dung.fee_vnd == 15_000
    assert "ngày làm việc" in dung.due_reason
    assert rows["Trần Thị Bình"].finished_at == dt.datetime(2026, 11, 18, 9, 0, tzinfo=VN)
    assert rows["Bùi Thị Mai"].finished_at is None


def test_count_and_status_filter(store, ids):
    assert ledger.count(store, LedgerFilter(), W) == len(DOSSIERS)
    open_ = LedgerFilter(statuses=(Status.RECEIVED, Status.IN_PROCESS))
    assert ledger.count(store, open_, W) == 4
    assert set(names(store, open_)) == {"Lê Văn Dũng", "Phạm Minh Quân", "Hoàng Thị Lan", "Võ Văn Tài"}
    assert names(store, LedgerFilter(statuses=(Status.REFUSED,))) == ["Bùi Thị Mai"]
    assert ledger.count(store, LedgerFilter(statuses=(Status.STOPPED,)), W) == 0


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ("overdue", {"Phạm Minh Quân"}),
        ("due_today", {"Lê Văn Dũng"}),
        ("due_soon", {"Hoàng Thị Lan"}),
    ],
)
def test_due_buckets_at_a_fixed_now(store, ids, bucket, expected):
    f = LedgerFilter(due=bucket)
    assert set(names(store, f)) == expected
    assert ledger.count(store, f, W) == len(expected)


def test_due_buckets_move_with_now_and_the_soon_window(store, ids):
    afternoon = NOW.replace(hour=15)  # Dũng's 14:00 appointment has passed
    later = win(afternoon)
    assert set(names(store, LedgerFilter(due="overdue"), window=later)) == {"Phạm Minh Quân", "Lê Văn Dũng"}
    assert names(store, LedgerFilter(due="due_today"), window=later) == []
    one_day = win(soon_until=dt.datetime(2026, 11, 25, 0, 0, tzinfo=VN))
    assert names(store, LedgerFilter(due="due_soon"), window=one_day) == []
    two_weeks = win(soon_until=dt.datetime(2026, 12, 7, 0, 0, tzinfo=VN))
    assert set(names(store, LedgerFilter(due="due_soon"), window=two_weeks)) == {"Hoàng Thị Lan", "Võ Văn Tài"}
    # A bucket and a status filter both hold; a paused dossier is in no bucket.
    assert names(store, LedgerFilter(due="due_soon", statuses=(Status.IN_PROCESS,)), window=two_weeks) == ["Võ Văn Tài"]
    assert names(store, LedgerFilter(due="overdue", statuses=(Status.SUPPLEMENT_REQUESTED,))) == []


def test_procedure_and_received_dates(store, ids):
    assert set(names(store, LedgerFilter(procedure_code="2.000815"))) == {"Nguyễn Văn An", "Bùi Thị Mai"}
    day = LedgerFilter(received_from=dt.date(2026, 11, 17), received_to=dt.date(2026, 11, 17))  # inclusive
    assert set(names(store, day)) == {"Đặng Thị Hoà", "Phạm Minh Quân"}
    assert ledger.count(store, LedgerFilter(received_from=dt.date(2026, 11, 20)), W) == 2
    assert ledger.count(store, LedgerFilter(received_to=dt.date(2026, 11, 16)), W) == 2
    both = LedgerFilter(procedure_code="1.004194", received_from=dt.date(2026, 11, 19), statuses=(Status.RECEIVED,))
    assert names(store, both) == ["Hoàng Thị Lan"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words match as prefixes anywhere: "dang" also starts "Đăng ký tạm trú", "hoa" starts "Hoàng".
        ("dang thi hoa", {"Đặng Thị Hoà", "Hoàng Thị Lan"}),
        ("Đặng hòa", {"Đặng Thị Hoà", "Hoàng Thị Lan"}),  # new tone placement finds the old one
        (unicodedata.normalize("NFD", "ĐẶNG hoà"), {"Đặng Thị Hoà", "Hoàng Thị Lan"}),
        ("do thanh ha", {"Đỗ Thanh Hà"}),  # đ folds to d
        ("DŨNG", {"Lê Văn Dũng"}),
        ("tam tru", {d[0] for d in DOSSIERS if d[1] == "1.004194"}),  # the procedure name, folded
        ("0912", {d[0] for d in DOSSIERS}),
        ("không có ai", set()),
        ("!!!", {d[0] for d in DOSSIERS}),  # no word at all: no text condition
    ],
)
def test_text_search_folds_diacritics(store, ids, text, expected):
    f = LedgerFilter(text=text)
    assert set(names(store, f)) == expected
    assert ledger.count(store, f, W) == len(expected)


def test_text_combines_with_other_filters_and_both_query_plans_agree(store, ids, monkeypatch):
    combined = LedgerFilter(text="thi", statuses=(Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.RESULT_READY))
    assert set(names(store, combined)) == {"Hoàng Thị Lan", "Trần Thị Bình"}
    for f in (LedgerFilter(text="thi"), combined):
        for sort in (LedgerSort(), LedgerSort(SortColumn.APPLICANT, True)):
            monkeypatch.setattr(ledger, "BROAD_SEARCH", 10**9)  # look each match up, then sort
            narrow = names(store, f, sort)
            monkeypatch.setattr(ledger, "BROAD_SEARCH", 0)  # walk the sort index, check each id
            assert names(store, f, sort) == narrow
            assert narrow


def test_search_count_sees_a_new_dossier(desk, store, ids):
    f = LedgerFilter(text="nguyen")
    assert ledger.count(store, f, W) == 1
    receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Thị Nga"))
    assert ledger.count(store, f, W) == 2  # the remembered match count is not reused after a write


def _key(row, column):
    return {
        SortColumn.LEDGER_NO: (row.ledger_year, row.ledger_no),
        SortColumn.CODE: row.code,
        SortColumn.APPLICANT: sort_key(row.applicant_name),  # Vietnamese order
        SortColumn.PROCEDURE: row.procedure_name,
        SortColumn.RECEIVED_AT: row.received_at,
        SortColumn.DUE_AT: row.due_at,
        SortColumn.STATUS: (row.status.value, row.due_at),
    }[column]


@pytest.mark.parametrize("column", list(SortColumn))
@pytest.mark.parametrize("ascending", [True, False])
def test_sorting_is_done_by_sqlite(store, ids, column, ascending):
    rows = ledger.page(store, LedgerFilter(), LedgerSort(column, ascending), W, 0, 100)
    expected = sorted(rows, key=lambda r: (_key(r, column), r.id), reverse=not ascending)
    assert [r.id for r in rows] == [r.id for r in expected]
    assert len(rows) == len(DOSSIERS)


def test_default_sort_is_newest_first(store, ids):
    assert names(store)[:2] == ["Võ Văn Tài", "Hoàng Thị Lan"]


@pytest.mark.parametrize("column", list(SortColumn))
def test_pages_neither_repeat_nor_skip(store, ids, column):
    sort = LedgerSort(column, ascending=False)
    whole = [r.id for r in ledger.page(store, LedgerFilter(), sort, W, 0, 100)]
    paged = []
    for offset in range(0, len(whole) + 4, 4):
        paged += [r.id for r in ledger.page(store, LedgerFilter(), sort, W, offset, 4)]
    assert paged == whole
    assert ledger.page(store, LedgerFilter(), sort, W, len(whole), 4) == []
    assert ledger.page(store, LedgerFilter(), sort, W, 0, 0) == []


def test_rows_by_id_keeps_the_order_given(store, ids):
    wanted = [ids["Võ Văn Tài"], 999_999, ids["Nguyễn Văn An"]]
    assert [r.applicant_name for r in ledger.rows_by_id(store, wanted, W)] == ["Võ Văn Tài", "Nguyễn Văn An"]
    assert ledger.rows_by_id(store, [], W) == []


@pytest.mark.parametrize("column", list(SortColumn))
def test_every_sort_walks_an_index(store, column):
    """At a million dossiers a sort without an index would sort them all for every page."""
    for ascending in (True, False):
        order = ledger._order(LedgerSort(column, ascending))
        query = f"EXPLAIN QUERY PLAN SELECT id FROM dossiers ORDER BY {order} LIMIT 5"
        plan = " ".join(str(r) for r in store.db.execute(query))
        assert "TEMP B-TREE" not in plan and "INDEX" in plan, plan


def test_set_status_writes_row_event_and_audit_and_keeps_first_finish(desk, store, ids):
    dossier_id = ids["Võ Văn Tài"]
    outbox, audit = store.tables.count("outbox"), store.tables.count("audit")
    ready = NOW.replace(hour=10)
    change = set_status(desk.recorder, dossier_id, Status.RESULT_READY, at=ready, note="ký xong")
    assert (change.before, change.after, change.dossier_id) == (Status.IN_PROCESS, Status.RESULT_READY, dossier_id)
    set_status(desk.recorder, dossier_id, Status.RETURNED, at=ready.replace(hour=11))
    assert (store.tables.count("outbox"), store.tables.count("audit")) == (outbox + 2, audit + 2)
    row = ledger.rows_by_id(store, [dossier_id], W)[0]
    assert row.status is Status.RETURNED
    assert row.finished_at == ready  # the result was ready at 10:00; returning later does not move it
    assert row.timeliness is Timeliness.DONE_EARLY
    event = store.db.execute("SELECT kind, payload FROM outbox WHERE seq = ?", [change.event_seq]).fetchone()
    assert event[0] == "dossier.status_changed"
    assert json.loads(event[1])["to"] == "result_ready" and json.loads(event[1])["note"] == "ký xong"
    with pytest.raises(UnknownDossier):
        set_status(desk.recorder, 424242, Status.RETURNED, at=NOW)


def test_timeliness_rules():
    due = dt.datetime(2026, 11, 23, 14, 0, tzinfo=VN)

    def judge_at(status, finished=None, now=NOW, soon_until=SOON_UNTIL):
        return judge(status, due, finished, DueWindow(now, soon_until))

    assert judge_at(Status.RETURNED, due) is Timeliness.DONE_ON_TIME  # exactly at the appointment
    assert judge_at(Status.RESULT_READY, due.replace(hour=8)) is Timeliness.DONE_ON_TIME  # same day, earlier
    assert judge_at(Status.RETURNED, due - dt.timedelta(days=1)) is Timeliness.DONE_EARLY
    assert judge_at(Status.RETURNED, due + dt.timedelta(minutes=1)) is Timeliness.DONE_LATE
    assert judge_at(Status.RETURNED, None) is None  # finished before finishing times were kept
    assert judge_at(Status.WITHDRAWN) is None
    assert judge_at(Status.IN_PROCESS, now=due) is Timeliness.DUE_TODAY
    assert judge_at(Status.IN_PROCESS, now=due + dt.timedelta(seconds=1)) is Timeliness.OVERDUE
    before = due - dt.timedelta(days=3)
    assert judge_at(Status.RECEIVED, now=before, soon_until=due) is Timeliness.ON_TRACK  # window ends before it
    assert judge_at(Status.RECEIVED, now=before, soon_until=due + dt.timedelta(hours=1)) is Timeliness.DUE_SOON
    assert judge_at(Status.SUPPLEMENT_REQUESTED, now=due + dt.timedelta(days=5)) is Timeliness.PAUSED


def test_sample_data_is_nfc():
    assert all(unicodedata.is_normalized("NFC", d[0]) for d in DOSSIERS)


def test_a_whole_code_is_looked_up_exactly(store, ids):
    code = ledger.rows_by_id(store, [ids["Lê Văn Dũng"]], W)[0].code
    for text in (code, f"  {code.lower()} "):
        f = LedgerFilter(text=text)
        assert names(store, f) == ["Lê Văn Dũng"]
        assert ledger.count(store, f, W) == 1
        where, _ = ledger._where(store, f, W)
        assert "dossier_search" not in where  # the unique index, not the full-text one
    assert names(store, LedgerFilter(text=code[:-1] + "9")) == []
    assert names(store, LedgerFilter(text=code.split("-", 1)[1])) == ["Lê Văn Dũng"]  # part of a code: full text


def test_a_naive_window_is_refused():
    with pytest.raises(ValueError):
        DueWindow(NOW.replace(tzinfo=None), SOON_UNTIL)
    with pytest.raises(ValueError):
        DueWindow(NOW, SOON_UNTIL.replace(tzinfo=None))
