"""The desk's lifecycle rules: which steps are allowed, which need a reason, which happen once,
and when an apology may still be issued."""

import datetime as dt
import itertools

import pytest

from desk_app.domain.calendar import CalendarSettings, WorkCalendar
from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError
from desk_app.domain.holidays import DayEntry, DayKind
from desk_app.domain.lifecycle import (
    REASON_REQUIRED, TRANSITIONS, Action, allowed_actions, check, check_apology, last_apology_day,
)

# Written out here rather than read from TRANSITIONS, so a change to the rules shows up as a test change.
ALLOWED = {
    (Status.RECEIVED, Action.FORWARD): Status.IN_PROCESS,
    (Status.RECEIVED, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT_REQUESTED,
    (Status.RECEIVED, Action.APOLOGIZE): Status.RECEIVED,
    (Status.RECEIVED, Action.REFUSE): Status.REFUSED,
    (Status.RECEIVED, Action.STOP): Status.STOPPED,
    (Status.RECEIVED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT_REQUESTED, Action.RECEIVE_SUPPLEMENT): Status.RECEIVED,
    (Status.SUPPLEMENT_REQUESTED, Action.REFUSE): Status.REFUSED,
    (Status.SUPPLEMENT_REQUESTED, Action.STOP): Status.STOPPED,
    (Status.SUPPLEMENT_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.IN_PROCESS, Action.RECORD_RESULT): Status.RESULT_READY,
    (Status.IN_PROCESS, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT_REQUESTED,
    (Status.IN_PROCESS, Action.APOLOGIZE): Status.IN_PROCESS,
    (Status.IN_PROCESS, Action.REFUSE): Status.REFUSED,
    (Status.IN_PROCESS, Action.STOP): Status.STOPPED,
    (Status.IN_PROCESS, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.RESULT_READY, Action.RETURN_RESULT): Status.RETURNED,
}
REFUSED = [pair for pair in itertools.product(Status, Action) if pair not in ALLOWED]


def test_action_labels_are_vietnamese():
    assert [a.label for a in Action] == [
        "Chuyển xử lý", "Có kết quả", "Trả kết quả", "Yêu cầu bổ sung", "Nhận hồ sơ bổ sung", "Xin lỗi, hẹn lại",
        "Từ chối", "Dừng giải quyết", "Rút hồ sơ"]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_every_allowed_transition(status, action):
    reason = "Người nộp đổi ý" if action in REASON_REQUIRED else ""
    assert check(status, action, reason=reason) is ALLOWED[status, action]


def test_the_table_holds_exactly_the_allowed_transitions():
    table = {(status, action): target for status, row in TRANSITIONS.items() for action, target in row.items()}
    assert table == ALLOWED


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.RECEIVED, (Action.FORWARD, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.REFUSE,
                           Action.STOP, Action.WITHDRAW)),
        (Status.SUPPLEMENT_REQUESTED, (Action.RECEIVE_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.WITHDRAW)),
        (Status.IN_PROCESS, (Action.RECORD_RESULT, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.REFUSE,
                             Action.STOP, Action.WITHDRAW)),
        (Status.RESULT_READY, (Action.RETURN_RESULT,)),
        (Status.RETURNED, ()),
        (Status.REFUSED, ()),
        (Status.WITHDRAWN, ()),
        (Status.STOPPED, ()),
    ],
)
def test_allowed_actions_in_button_order(status, expected):
    assert allowed_actions(status) == expected


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_every_other_transition_is_refused_naming_the_status(status, action):
    with pytest.raises(DomainError) as caught:
        check(status, action, reason="có lý do")
    assert caught.value.code == "transition_not_allowed"
    assert f"«{status.label}»" in caught.value.message
    assert f"«{action.label}»" in caught.value.message


def test_received_cannot_be_returned_directly():
    # On-the-spot dossiers are recorded as returned by reception; the desk never skips the result.
    with pytest.raises(DomainError) as caught:
        check(Status.RECEIVED, Action.RETURN_RESULT)
    assert caught.value.message == (
        "Không thể «Trả kết quả» khi hồ sơ đang ở trạng thái «Đã tiếp nhận». "
        "Các thao tác được phép: «Chuyển xử lý», «Yêu cầu bổ sung», «Xin lỗi, hẹn lại», «Từ chối», "
        "«Dừng giải quyết», «Rút hồ sơ»."
    )


def test_a_finished_dossier_says_no_action_is_left():
    with pytest.raises(DomainError) as caught:
        check(Status.RETURNED, Action.WITHDRAW, reason="muộn quá")
    assert caught.value.message.endswith("Hồ sơ đã kết thúc, không còn thao tác nào.")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
@pytest.mark.parametrize(("status", "action"), [pair for pair in ALLOWED if pair[1] in REASON_REQUIRED])
def test_steps_with_a_paper_or_an_end_need_a_reason(status, action, reason):
    with pytest.raises(DomainError) as caught:
        check(status, action, reason=reason)
    assert (caught.value.code, caught.value.field) == ("reason_required", "reason")
    assert caught.value.message == f"Cần ghi lý do để «{action.label}»."


def test_the_reason_required_steps():
    assert REASON_REQUIRED == {Action.WITHDRAW, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.REFUSE,
                               Action.STOP}


@pytest.mark.parametrize("action", [Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE])
def test_a_supplement_request_and_an_apology_happen_once(action):
    assert check(Status.IN_PROCESS, action, reason="lần đầu") is not None
    with pytest.raises(DomainError) as caught:
        check(Status.IN_PROCESS, action, reason="lần hai", taken={Action.FORWARD, action})
    assert caught.value.code == "once_only"
    assert "một lần" in caught.value.message
    assert action not in allowed_actions(Status.IN_PROCESS, {action})
    assert Action.RECORD_RESULT in allowed_actions(Status.IN_PROCESS, {action})


def test_other_steps_may_repeat():
    # Forwarded, sent back for a supplement, received again, forwarded again.
    assert check(Status.RECEIVED, Action.FORWARD, taken={Action.FORWARD, Action.RECEIVE_SUPPLEMENT}) is (
        Status.IN_PROCESS)


VN = dt.timezone(dt.timedelta(hours=7))
# 2026: 2/9 (Wednesday) and 1/9 (Tuesday) are Quốc khánh; Saturday 5/9 is a swapped working day here.
CALENDAR = WorkCalendar(CalendarSettings(), {2026: [
    DayEntry(dt.date(2026, 9, 1), "Quốc khánh", DayKind.HOLIDAY),
    DayEntry(dt.date(2026, 9, 2), "Quốc khánh", DayKind.HOLIDAY),
    DayEntry(dt.date(2026, 9, 5), "Làm bù", DayKind.SWAPPED_WORKDAY),
]})


def moment(day, month, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.mark.parametrize(
    ("due", "last"),
    [
        (moment(26, 11), dt.date(2026, 11, 25)),  # Thursday → Wednesday
        (moment(30, 11), dt.date(2026, 11, 27)),  # Monday → the Friday before
        (moment(3, 9), dt.date(2026, 8, 31)),  # Thursday after the holidays → Monday 31/8
        (moment(7, 9), dt.date(2026, 9, 5)),  # Monday → the swapped Saturday
    ],
)
def test_the_last_day_for_an_apology_is_the_working_day_before_the_due_day(due, last):
    assert last_apology_day(CALENDAR, due) == last


def test_an_apology_on_the_last_allowed_day_passes():
    check_apology(CALENDAR, at=moment(25, 11, 16, 59), due_at=moment(26, 11), new_due=moment(1, 12))


@pytest.mark.parametrize("at", [moment(26, 11, 7), moment(26, 11, 10), moment(27, 11)])
def test_an_apology_on_the_due_day_or_after_is_too_late(at):
    with pytest.raises(DomainError) as caught:
        check_apology(CALENDAR, at=at, due_at=moment(26, 11), new_due=moment(1, 12))
    assert (caught.value.code, caught.value.field) == ("apology_too_late", "at")
    assert caught.value.message == ("Chỉ được xin lỗi và hẹn lại chậm nhất một ngày làm việc trước ngày hẹn trả "
                                    "(26/11/2026), tức là đến hết ngày 25/11/2026.")


def test_an_apology_over_a_holiday_counts_working_days():
    # Due Thursday 3/9; Tuesday 1/9 and Wednesday 2/9 are off: Monday 31/8 is the last day.
    with pytest.raises(DomainError, match="đến hết ngày 31/08/2026"):
        check_apology(CALENDAR, at=moment(2, 9), due_at=moment(3, 9), new_due=moment(8, 9))
    check_apology(CALENDAR, at=moment(31, 8, 16), due_at=moment(3, 9), new_due=moment(8, 9))


@pytest.mark.parametrize(
    ("new_due", "code"),
    [
        (moment(26, 11), "new_due_not_later"),
        (moment(20, 11), "new_due_not_later"),
        (moment(28, 11), "new_due_day_off"),  # a Saturday
        (moment(2, 9), "new_due_not_later"),
    ],
)
def test_the_new_appointment_must_be_later_and_on_a_working_day(new_due, code):
    with pytest.raises(DomainError) as caught:
        check_apology(CALENDAR, at=moment(24, 11), due_at=moment(26, 11), new_due=new_due)
    assert (caught.value.code, caught.value.field) == (code, "new_due")


def test_a_refused_transition_is_reported_before_a_missing_reason():
    with pytest.raises(DomainError) as caught:
        check(Status.RESULT_READY, Action.WITHDRAW)
    assert caught.value.code == "transition_not_allowed"


def test_other_actions_need_no_reason():
    assert check(Status.RECEIVED, Action.FORWARD) is Status.IN_PROCESS


def test_finished_statuses_are_defined_once():
    from desk_app.domain import dossier, timeliness
    from desk_app.store import lifecycle as store_lifecycle

    assert dossier.FINISHED == {Status.RESULT_READY, Status.RETURNED}
    assert {s for s in Status if s.is_finished} == dossier.FINISHED
    # The timeliness rules and the store read the domain's set; no copies of their own.
    assert timeliness.FINISHED is dossier.FINISHED and store_lifecycle.FINISHED is dossier.FINISHED
    assert not hasattr(timeliness, "DONE")
