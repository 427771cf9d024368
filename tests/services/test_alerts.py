"""The alerts: overdue, due today, due within N working days, waiting for a supplement, and the
apologies still allowed that must go out soon (not those already sent)."""

import datetime as dt

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.services import ledger, lifecycle
from desk_app.services.alerts import alerts, set_soon_working_days
from desk_app.services.reception import ReceptionRequest, receive

VN = dt.timezone(dt.timedelta(hours=7))


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def dossier(desk, name, received, procedure="1.004837"):
    return receive(desk, ReceptionRequest(procedure_code=procedure, name=name, received_at=received)).dossier.code


@pytest.fixture
def codes(desk, clock):
    """Monday 23/11/2026 09:15 (the desk's clock); guardianship takes 3 working days."""
    codes = {
        "overdue": dossier(desk, "Nguyễn Văn An", at(16, 9)),  # due Thu 19/11
        "today": dossier(desk, "Trần Thị Bình", at(23, 9), procedure="2.000815"),  # same day: 17:00 today
        "soon": dossier(desk, "Lê Văn Cường", at(20, 9)),  # due Wed 25/11 09:00; last apology day Tue 24/11
        "later": dossier(desk, "Phạm Thị Dung", at(23, 9, 10)),  # due Thu 26/11; last apology day Wed 25/11
        "paused": dossier(desk, "Vũ Thị Lan", at(23, 8)),
        "apologised": dossier(desk, "Hoàng Văn Nam", at(20, 10)),  # due Wed 25/11 10:00
    }
    lifecycle.request_supplement(desk, codes["paused"], reason="Thiếu", at=at(23, 8, 30),
                                 missing=(ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL),))
    lifecycle.apologize(desk, codes["apologised"], reason="Chậm", new_due=at(25, 16), at=at(23, 9))
    return codes


def test_the_counts_and_the_apology_reminders(desk, codes):
    found = alerts(desk)
    assert found.soon_working_days == 2
    assert dict(found.counts) == {"overdue": 1, "due_today": 1, "due_soon": 2, "paused": 1, "apology": 2}
    assert [(r.code, r.last_day) for r in found.apologies] == [
        (codes["soon"], dt.date(2026, 11, 24)), (codes["later"], dt.date(2026, 11, 25))]
    assert found.text == ("Quá hạn: 1 · Đến hạn hôm nay: 1 · Đến hạn trong 2 ngày làm việc: 2 · Chờ bổ sung: 1 · "
                          "Cần xin lỗi, hẹn lại (còn kịp): 2")


def test_the_last_day_is_called_out_and_the_reminder_goes_once_sent(desk, clock, codes):
    clock.now = at(24, 8)
    found = alerts(desk)
    assert [r.code for r in found.apologies] == [codes["soon"], codes["later"]]
    assert found.text.endswith("hôm nay là ngày cuối để xin lỗi, hẹn lại 1 hồ sơ")
    lifecycle.apply(desk, codes["soon"], Action.FORWARD, at=at(24, 7, 30))
    lifecycle.apologize(desk, codes["soon"], reason="Chậm", new_due=at(30, 9), at=at(24, 7, 45))
    assert [r.code for r in alerts(desk).apologies] == [codes["later"]]
    clock.now = at(25, 8)  # Wednesday: for "later" (due Thursday) today is the last day
    assert [(r.code, r.last_day) for r in alerts(desk).apologies] == [(codes["later"], dt.date(2026, 11, 25))]
    clock.now = at(26, 8)  # Thursday: too late, so no longer a reminder (it is due today)
    found = alerts(desk)
    assert found.apologies == () and found.counts["due_today"] == 1


def test_the_ledger_filters_list_the_same_dossiers(desk, codes):
    rows = ledger.page(desk, ledger.LedgerFilter(due="paused"), ledger.LedgerSort(), offset=0, limit=10)
    assert [r.code for r in rows] == [codes["paused"]]
    rows = ledger.page(desk, ledger.LedgerFilter(due="apology"), ledger.LedgerSort(), offset=0, limit=10)
    assert {r.code for r in rows} == {codes["soon"], codes["later"]}


def test_n_working_days_is_the_communes(desk, codes):
    outbox = desk.store.tables.count("outbox")
    assert set_soon_working_days(desk, 4) == 4
    assert desk.store.tables.count("outbox") == outbox + 1
    found = alerts(desk)
    assert found.soon_working_days == 4 and found.counts["due_soon"] == 3  # Thursday 26/11 joins
    assert "Đến hạn trong 4 ngày làm việc: 3" in found.text
    with pytest.raises(DomainError) as caught:
        set_soon_working_days(desk, 0)
    assert caught.value.code == "invalid_soon_days"


def test_a_weekend_day_looks_to_the_next_working_day(desk, clock, codes):
    clock.now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=VN)  # Saturday
    window = ledger.window(desk)
    # Due Monday 30/11: its last apology day was Friday, too late; due Tuesday: Monday is still to come.
    assert window.apology_from == dt.datetime(2026, 12, 1, 0, 0, tzinfo=VN)
