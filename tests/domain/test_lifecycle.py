"""The desk's lifecycle rules: which status changes are allowed, and withdrawing needs a reason."""

import itertools

import pytest

from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import TRANSITIONS, Action, allowed_actions, check

# Written out here rather than read from TRANSITIONS, so a change to the rules shows up as a test change.
ALLOWED = {
    (Status.RECEIVED, Action.FORWARD): Status.IN_PROCESS,
    (Status.RECEIVED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.IN_PROCESS, Action.RECORD_RESULT): Status.RESULT_READY,
    (Status.IN_PROCESS, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.RESULT_READY, Action.RETURN_RESULT): Status.RETURNED,
}
REFUSED = [pair for pair in itertools.product(Status, Action) if pair not in ALLOWED]


def test_action_labels_are_vietnamese():
    assert [a.label for a in Action] == ["Chuyển xử lý", "Có kết quả", "Trả kết quả", "Rút hồ sơ"]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_every_allowed_transition(status, action):
    reason = "Người nộp đổi ý" if action is Action.WITHDRAW else ""
    assert check(status, action, reason=reason) is ALLOWED[status, action]


def test_the_table_holds_exactly_the_allowed_transitions():
    table = {(status, action): target for status, row in TRANSITIONS.items() for action, target in row.items()}
    assert table == ALLOWED


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.RECEIVED, (Action.FORWARD, Action.WITHDRAW)),
        (Status.SUPPLEMENT_REQUESTED, (Action.WITHDRAW,)),
        (Status.IN_PROCESS, (Action.RECORD_RESULT, Action.WITHDRAW)),
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
        "Các thao tác được phép: «Chuyển xử lý», «Rút hồ sơ»."
    )


def test_a_finished_dossier_says_no_action_is_left():
    with pytest.raises(DomainError) as caught:
        check(Status.RETURNED, Action.WITHDRAW, reason="muộn quá")
    assert caught.value.message.endswith("Hồ sơ đã kết thúc, không còn thao tác nào.")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
@pytest.mark.parametrize("status", [Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.IN_PROCESS])
def test_withdrawing_needs_a_reason(status, reason):
    with pytest.raises(DomainError) as caught:
        check(status, Action.WITHDRAW, reason=reason)
    assert (caught.value.code, caught.value.field) == ("reason_required", "reason")
    assert caught.value.message == "Cần ghi lý do để «Rút hồ sơ»."


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
