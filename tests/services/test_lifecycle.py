"""Lifecycle use cases: forward, result, return, withdraw; one event and one audit entry per step."""

import datetime as dt
import json
import unicodedata

import pytest

from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError
from desk_app.services import ledger
from desk_app.services.lifecycle import Action, apply
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.lifecycle import StatusChange

VN = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)  # Monday; the desk fixture's clock
DUE = dt.datetime(2026, 11, 26, 9, 15, tzinfo=VN)  # 3 working days later (guardianship, 1.004837)


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def snapshot(desk, code):
    """Everything a lifecycle step may write."""
    store = desk.store
    return (desk.dossier(code), store.tables.count("outbox"), store.tables.count("audit"))


def last_event(desk):
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    return kind, json.loads(payload)


def last_audit(desk):
    action, entity_id, detail = desk.store.db.execute(
        "SELECT action, entity_id, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return action, entity_id, json.loads(detail)


@pytest.fixture
def code(desk):
    dossier = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An")).dossier
    assert (dossier.received_at, dossier.due_at) == (RECEIVED, DUE)
    return dossier.code


def test_received_to_returned_writes_one_event_and_one_audit_entry_per_step(desk, clock, code):
    clock.now = at(27, 8)
    steps = [
        (Action.FORWARD, at(23, 10), Status.RECEIVED, Status.IN_PROCESS),
        (Action.RECORD_RESULT, at(25, 14), Status.IN_PROCESS, Status.RESULT_READY),
        (Action.RETURN_RESULT, at(26, 16), Status.RESULT_READY, Status.RETURNED),
    ]
    for action, moment, before, after in steps:
        _, outbox, audit = snapshot(desk, code)
        change = apply(desk, code, action, at=moment)
        assert isinstance(change, StatusChange)
        assert (change.code, change.before, change.after, change.at) == (code, before, after, moment)
        dossier, outbox_after, audit_after = snapshot(desk, code)
        assert dossier.status is after
        assert (outbox_after, audit_after) == (outbox + 1, audit + 1)
        kind, payload = last_event(desk)
        assert kind == "dossier.status_changed"
        assert (payload["code"], payload["from"], payload["to"]) == (code, before.value, after.value)
        assert payload["at"] == moment.isoformat()
        assert "note" not in payload
        # Back-dated (the clock says Friday): the audit keeps the business time beside its own.
        expected = {"from": before.value, "to": after.value, "business_time": moment.isoformat()}
        if action is Action.RETURN_RESULT:  # who took the result: the applicant, unless told otherwise
            handover = {"recipient": "Nguyễn Văn An", "authorised": False, "authorisation": "",
                        "originals": [], "rating": None}
            assert (payload["step"], payload["detail"]) == ("return_result", {"handover": handover})
            # The audit trail (never redactable) keeps the hand-over without the citizen's name.
            expected["handover"] = {"authorised": False, "originals": [], "rating": None}
        else:  # the events of these steps stay byte for byte what they were
            assert set(payload) == {"uuid", "code", "from", "to", "at"}
        assert last_audit(desk) == ("dossier.set_status", code, expected)
        assert change.event_seq == desk.store.db.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    dossier = desk.dossier(code)
    # The result was ready on Wednesday; handing it back on Thursday afternoon does not move that.
    assert dossier.finished_at == at(25, 14)
    row = ledger.rows_by_id(desk, [desk.store.dossiers.id_of(code)])[0]
    assert (row.status, row.timeliness) == (Status.RETURNED, ledger.Timeliness.DONE_EARLY)


@pytest.mark.parametrize(
    ("ready", "expected"),
    [
        (at(25, 16), ledger.Timeliness.DONE_EARLY),  # the day before the appointment
        (at(26, 8), ledger.Timeliness.DONE_ON_TIME),  # on the appointment's day, before its hour
        (DUE, ledger.Timeliness.DONE_ON_TIME),  # at the appointment itself
        (at(26, 9, 16), ledger.Timeliness.DONE_LATE),  # a minute after it
        (at(30, 10), ledger.Timeliness.DONE_LATE),
    ],
)
def test_finished_at_is_set_when_the_result_is_ready_and_judges_timeliness(desk, clock, code, ready, expected):
    clock.now = at(30, 17)
    apply(desk, code, Action.FORWARD, at=at(23, 9, 30))
    assert desk.dossier(code).finished_at is None  # forwarding does not finish anything
    apply(desk, code, Action.RECORD_RESULT, at=ready)
    dossier = desk.dossier(code)
    assert dossier.finished_at == ready
    assert ledger.judge(dossier.status, dossier.due_at, dossier.finished_at, ledger.window(desk)) is expected
    assert ledger.rows_by_id(desk, [desk.store.dossiers.id_of(code)])[0].timeliness is expected


@pytest.mark.parametrize(
    ("moves", "refused"),
    [
        ((), Action.RETURN_RESULT),  # received → returned is reception's business (on the spot only)
        ((), Action.RECORD_RESULT),
        ((Action.FORWARD,), Action.FORWARD),
        ((Action.FORWARD, Action.RECORD_RESULT), Action.WITHDRAW),
        ((Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT), Action.RETURN_RESULT),
    ],
)
def test_a_refused_transition_changes_nothing(desk, code, moves, refused):
    for action in moves:
        apply(desk, code, action)
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        apply(desk, code, refused, note="có lý do")
    assert caught.value.code == "transition_not_allowed"
    assert f"«{before[0].status.label}»" in caught.value.message
    assert snapshot(desk, code) == before


def test_an_on_the_spot_dossier_is_already_returned(desk):
    dossier = receive(desk, ReceptionRequest(procedure_code="2.000884", name="Vũ Thị Lan",
                                             resolved_on_the_spot=True)).dossier
    with pytest.raises(DomainError, match="«Đã trả kết quả»"):
        apply(desk, dossier.code, Action.RETURN_RESULT)


@pytest.mark.parametrize("moves", [(), (Action.FORWARD,)])
def test_withdraw_with_a_reason_records_it_normalised(desk, clock, code, moves):
    for action in moves:
        apply(desk, code, action)
    clock.now = at(24, 8)
    reason = unicodedata.normalize("NFD", "  Người nộp   đổi ý, xin rút  ")
    change = apply(desk, code, Action.WITHDRAW, note=reason)
    assert (change.after, change.at) == (Status.WITHDRAWN, at(24, 8))  # no time given: now
    dossier = desk.dossier(code)
    assert dossier.status is Status.WITHDRAWN
    assert dossier.finished_at is None  # withdrawn is not a result: it is neither early nor late
    assert ledger.rows_by_id(desk, [desk.store.dossiers.id_of(code)])[0].timeliness is None
    assert last_event(desk)[1]["note"] == "Người nộp đổi ý, xin rút"
    assert last_audit(desk)[2]["note"] == "Người nộp đổi ý, xin rút"


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdraw_without_a_reason_is_refused(desk, code, reason):
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        apply(desk, code, Action.WITHDRAW, note=reason)
    assert (caught.value.code, caught.value.field) == ("reason_required", "reason")
    assert snapshot(desk, code) == before


def test_a_time_before_the_receipt_is_refused(desk, code):
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        apply(desk, code, Action.FORWARD, at=RECEIVED - dt.timedelta(minutes=1))
    assert (caught.value.code, caught.value.field) == ("time_before_receipt", "at")
    assert "09:15 23/11/2026" in caught.value.message
    assert snapshot(desk, code) == before


def test_a_time_in_the_future_is_refused(desk, clock, code):
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        apply(desk, code, Action.FORWARD, at=clock.now + dt.timedelta(hours=1))
    assert (caught.value.code, caught.value.field) == ("time_in_future", "at")
    assert snapshot(desk, code) == before
    # A watch a couple of minutes ahead of the desk's clock is tolerated, as at reception.
    assert apply(desk, code, Action.FORWARD, at=clock.now + dt.timedelta(minutes=2)).after is Status.IN_PROCESS


def test_a_naive_time_is_the_desks_wall_clock(desk, clock, code):
    clock.now = at(24, 12)
    change = apply(desk, code, Action.FORWARD, at=dt.datetime(2026, 11, 24, 8, 30))
    assert change.at == at(24, 8, 30)


def test_an_unknown_dossier_is_a_clear_error(desk):
    with pytest.raises(DomainError) as caught:
        apply(desk, "000.21.33.H49-261123-9999", Action.FORWARD)
    assert caught.value.code == "unknown_dossier"


def test_a_step_cannot_predate_the_previous_one(desk, clock, code):
    clock.now = at(25, 10)
    apply(desk, code, Action.FORWARD, at=at(24, 14))
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        apply(desk, code, Action.RECORD_RESULT, at=at(24, 9))  # a result before the hand-over
    assert (caught.value.code, caught.value.field) == ("time_before_previous_step", "at")
    assert "14:00 24/11/2026" in caught.value.message
    assert snapshot(desk, code) == before
    assert apply(desk, code, Action.RECORD_RESULT, at=at(24, 16)).after is Status.RESULT_READY
