"""The steps with papers: supplement request and arrival, refusal, apology, stop, the return.

Each is allowed or refused by the domain's table; a refusal writes nothing; a step writes its
row, one outbox event and one audit entry together.
"""

import datetime as dt
import json

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument, Status
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.domain.steps import hand_offs
from desk_app.services import ledger
from desk_app.services.lifecycle import (
    apologize, apply, dossier_steps, rating_scale, receive_supplement, refuse, request_supplement, return_result,
    set_rating_scale, stop,
)
from desk_app.services.dossier_record import describe_step
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.history import dossier_history
from desk_app.store import papers

VN = dt.timezone(dt.timedelta(hours=7))
MISSING = (ReceivedDocument("Giấy chứng nhận kết hôn", DocForm.CERTIFIED_COPY, 2),)


def at(day, hour, minute=0, month=11):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def snapshot(desk, code):
    store = desk.store
    return (desk.dossier(code), store.tables.count("outbox"), store.tables.count("audit"),
            store.db.execute("SELECT count(*) FROM dossier_steps").fetchone()[0])


def last_event(desk):
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    return kind, json.loads(payload)


def last_audit(desk):
    action, detail = desk.store.db.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return action, json.loads(detail)


def writes_one_step(desk, code, before):
    dossier, outbox, audit, step_rows = snapshot(desk, code)
    assert (outbox, audit, step_rows) == (before[1] + 1, before[2] + 1, before[3] + 1)
    return dossier


def refused(desk, code, call, error):
    before = snapshot(desk, code)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == error
    assert snapshot(desk, code) == before  # nothing written
    return caught.value


@pytest.fixture
def code(desk, clock):
    """Guardianship (1.004837, 3 working days), received Monday 23/11/2026 09:15, due Thursday 09:15."""
    dossier = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An")).dossier
    assert dossier.due_at == at(26, 9, 15)
    clock.now = at(24, 16)
    return dossier.code


def window(desk):
    return ledger.window(desk)


def test_a_supplement_request_pauses_the_dossier(desk, code):
    before = snapshot(desk, code)
    change = request_supplement(desk, code, missing=MISSING, reason=" Thiếu giấy tờ chứng minh ", at=at(24, 10))
    assert (change.before, change.after, change.action) == (Status.RECEIVED, Status.SUPPLEMENT_REQUESTED,
                                                           Action.REQUEST_SUPPLEMENT)
    dossier = writes_one_step(desk, code, before)
    assert dossier.status is Status.SUPPLEMENT_REQUESTED and dossier.due_at == at(26, 9, 15)
    kind, payload = last_event(desk)
    assert kind == "dossier.status_changed"
    assert (payload["to"], payload["note"], payload["step"]) == ("supplement_requested", "Thiếu giấy tờ chứng minh",
                                                                "request_supplement")
    assert payload["detail"] == {"documents": [{"name": "Giấy chứng nhận kết hôn", "form": "ban_sao_chung_thuc",
                                                "count": 2}]}
    action, detail = last_audit(desk)
    assert (action, detail["step"], detail["documents"][0]["name"]) == (
        "dossier.set_status", "request_supplement", "Giấy chứng nhận kết hôn")
    # Paused: in no due bucket, whatever the clock says.
    judged = ledger.judge(dossier.status, dossier.due_at, dossier.finished_at, window(desk))
    assert judged is ledger.Timeliness.PAUSED
    for bucket in ledger.DUE_BUCKETS:
        assert ledger.count(desk, ledger.LedgerFilter(due=bucket), at=at(30, 10)) == 0


def test_a_supplement_request_needs_papers_and_a_reason(desk, code):
    refused(desk, code, lambda: request_supplement(desk, code, missing=(), reason="Thiếu"), "no_document")
    refused(desk, code, lambda: request_supplement(desk, code, missing=MISSING, reason="  "), "reason_required")
    bad = (ReceivedDocument("", DocForm.ORIGINAL),)
    refused(desk, code, lambda: request_supplement(desk, code, missing=bad, reason="Thiếu"), "invalid_document")


def test_the_supplement_restarts_the_time_in_full_and_a_new_slip_is_an_original(desk, clock, code):
    dossier_id = desk.store.dossiers.id_of(code)
    with desk.store.transaction():
        papers.count_print(desk.store, dossier_id, Paper.RECEIPT)  # the first slip was printed
    request_supplement(desk, code, missing=MISSING, reason="Thiếu giấy", at=at(24, 10))
    clock.now = at(30, 15)
    before = snapshot(desk, code)
    # Papers back on Monday 30/11 at 14:00: three full working days again, from that moment.
    change = receive_supplement(desk, code, at=at(30, 14))
    assert (change.after, change.due_at) == (Status.RECEIVED, at(3, 14, month=12))
    dossier = writes_one_step(desk, code, before)
    assert dossier.due_at == at(3, 14, month=12)
    assert dossier.due_reason.startswith("tính lại từ khi nhận đủ hồ sơ bổ sung lúc 14:00 30/11/2026: 3 ngày làm việc")
    assert papers.print_count(desk.store, dossier_id, Paper.RECEIPT) == 0  # the new slip prints as an original
    _, payload = last_event(desk)
    assert (payload["step"], payload["due_at"]) == ("receive_supplement", "2026-12-03T14:00:00+07:00")
    # Running again, and far from overdue (the old appointment, 26/11, has passed).
    assert ledger.judge(dossier.status, dossier.due_at, None, window(desk)) is ledger.Timeliness.ON_TRACK
    # Once and in full: after the supplement, no second request.
    apply(desk, code, Action.FORWARD, at=at(30, 14, 30))
    error = refused(desk, code, lambda: request_supplement(desk, code, missing=MISSING, reason="Thiếu nữa"),
                    "once_only")
    assert "chỉ được yêu cầu bổ sung một lần" in error.message


def test_a_supplement_during_processing_comes_back_to_the_desk(desk, code):
    apply(desk, code, Action.FORWARD, at=at(23, 10))
    request_supplement(desk, code, missing=MISSING, reason="Cơ quan giải quyết yêu cầu", at=at(24, 9))
    assert receive_supplement(desk, code, at=at(24, 15)).after is Status.RECEIVED


@pytest.mark.parametrize("moves", [(), (Action.FORWARD,), ("supplement",)])
@pytest.mark.parametrize(("step", "status", "form"), [(refuse, Status.REFUSED, "refuse"),
                                                       (stop, Status.STOPPED, "stop")])
def test_refuse_and_stop_end_an_open_dossier_with_their_reason(desk, code, moves, step, status, form):
    for move in moves:
        if move == "supplement":
            request_supplement(desk, code, missing=MISSING, reason="Thiếu", at=at(23, 10))
        else:
            apply(desk, code, move, at=at(23, 10))
    refused(desk, code, lambda: step(desk, code, reason=""), "reason_required")
    before = snapshot(desk, code)
    change = step(desk, code, reason="Không thuộc thẩm quyền của xã", at=at(24, 11))
    dossier = writes_one_step(desk, code, before)
    assert (change.after, dossier.status, dossier.finished_at) == (status, status, None)
    _, payload = last_event(desk)
    assert (payload["to"], payload["note"], payload["step"]) == (status.value, "Không thuộc thẩm quyền của xã", form)
    assert ledger.judge(dossier.status, dossier.due_at, None, window(desk)) is None  # neither early nor late
    refused(desk, code, lambda: step(desk, code, reason="lần nữa"), "transition_not_allowed")


def test_refuse_is_not_allowed_once_the_result_is_ready(desk, code):
    apply(desk, code, Action.FORWARD, at=at(23, 10))
    apply(desk, code, Action.RECORD_RESULT, at=at(24, 10))
    refused(desk, code, lambda: refuse(desk, code, reason="muộn"), "transition_not_allowed")
    refused(desk, code, lambda: stop(desk, code, reason="muộn"), "transition_not_allowed")


def test_an_apology_moves_the_appointment_once(desk, clock, code):
    apply(desk, code, Action.FORWARD, at=at(23, 10))
    clock.now = at(25, 17)
    before = snapshot(desk, code)
    change = apologize(desk, code, reason="Cần xác minh thêm", new_due=at(1, 9, 15, month=12), at=at(25, 16))
    dossier = writes_one_step(desk, code, before)
    assert (change.before, change.after, change.due_at) == (Status.IN_PROCESS, Status.IN_PROCESS,
                                                           at(1, 9, 15, month=12))
    assert dossier.due_at == at(1, 9, 15, month=12) and dossier.due_reason == "hẹn lại theo phiếu xin lỗi ngày 25/11/2026"
    _, payload = last_event(desk)
    assert (payload["from"], payload["to"], payload["step"]) == ("in_process", "in_process", "apologize")
    assert (payload["due_at"], payload["detail"]) == ("2026-12-01T09:15:00+07:00", {"signed_off_by": "tester"})
    [*_, step] = dossier_steps(desk, code)[1]
    assert (step.due_before, step.due_after, step.signed_off_by) == (at(26, 9, 15), at(1, 9, 15, month=12), "tester")
    error = refused(desk, code, lambda: apologize(desk, code, reason="Lần nữa", new_due=at(4, 9, month=12),
                                                 at=at(25, 16, 30)), "once_only")
    assert "chỉ được hẹn lại một lần" in error.message
    # The result on the new appointment's day is on time.
    clock.now = at(1, 16, month=12)
    apply(desk, code, Action.RECORD_RESULT, at=at(1, 9, month=12))
    d = desk.dossier(code)
    assert ledger.judge(d.status, d.due_at, d.finished_at, window(desk)) is ledger.Timeliness.DONE_ON_TIME


def test_an_apology_on_the_due_day_is_too_late(desk, clock, code):
    clock.now = at(26, 8)
    error = refused(desk, code, lambda: apologize(desk, code, reason="Chậm", new_due=at(1, 9, month=12)),
                    "apology_too_late")
    assert "đến hết ngày 25/11/2026" in error.message


def test_an_apology_needs_a_reason_and_a_later_working_day(desk, code):
    refused(desk, code, lambda: apologize(desk, code, reason="", new_due=at(1, 9, month=12)), "reason_required")
    refused(desk, code, lambda: apologize(desk, code, reason="Chậm", new_due=at(26, 9)), "new_due_not_later")
    refused(desk, code, lambda: apologize(desk, code, reason="Chậm", new_due=at(28, 9)), "new_due_day_off")


def test_an_apology_is_signed_off_by_the_leader(desk, code):
    # Until accounts exist, the leader is whoever set the desk up ("tester" in these tests).
    error = refused(desk, code, lambda: apologize(desk, code, reason="Chậm", new_due=at(1, 9, month=12),
                                                 signed_off_by="Người khác"), "sign_off_required")
    assert "cần lãnh đạo cơ quan ký duyệt" in error.message
    assert apologize(desk, code, reason="Chậm", new_due=at(1, 9, month=12), signed_off_by="tester").due_at


def test_no_apology_while_paused(desk, code):
    request_supplement(desk, code, missing=MISSING, reason="Thiếu", at=at(23, 10))
    refused(desk, code, lambda: apologize(desk, code, reason="Chậm", new_due=at(1, 9, month=12)),
            "transition_not_allowed")


def ready(desk, code):
    apply(desk, code, Action.FORWARD, at=at(23, 10))
    apply(desk, code, Action.RECORD_RESULT, at=at(24, 10))


def test_the_return_records_an_authorised_recipient_originals_and_the_rating(desk, code):
    ready(desk, code)
    refused(desk, code, lambda: return_result(desk, code, recipient="Trần Văn Bình"), "authorisation_required")
    refused(desk, code, lambda: return_result(desk, code, rating="tuyệt vời"), "invalid_rating")
    before = snapshot(desk, code)
    change = return_result(desk, code, recipient="Trần Văn Bình", authorisation="Giấy ủy quyền số 12, chứng thực "
                           "ngày 20/11/2026", originals=["Giấy chứng sinh"], rating="hai long", at=at(24, 15))
    dossier = writes_one_step(desk, code, before)
    assert (change.after, dossier.status) == (Status.RETURNED, Status.RETURNED)
    assert dossier.finished_at == at(24, 10)  # judged by when the result was ready
    step = dossier_steps(desk, code)[1][-1]
    assert step.handover.recipient == "Trần Văn Bình" and step.handover.authorised
    assert step.handover.rating.label == "Hài lòng" and step.handover.originals == ("Giấy chứng sinh",)
    _, payload = last_event(desk)
    assert payload["detail"]["handover"]["rating"] == {"value": 2, "label": "Hài lòng", "scale_size": 4}


def test_the_rating_scale_is_the_communes(desk, code):
    assert rating_scale(desk) == ("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng")
    outbox = desk.store.tables.count("outbox")
    assert set_rating_scale(desk, ["Hài lòng", "Không hài lòng"]) == ("Hài lòng", "Không hài lòng")
    assert desk.store.tables.count("outbox") == outbox + 1
    assert last_event(desk)[1] == {"settings": {"rating_scale": ["Hài lòng", "Không hài lòng"]}}
    ready(desk, code)
    refused(desk, code, lambda: return_result(desk, code, rating="rất hài lòng"), "invalid_rating")
    return_result(desk, code, rating="2")
    assert dossier_steps(desk, code)[1][-1].handover.rating.label == "Không hài lòng"


def test_the_control_slip_rows_follow_the_steps(desk, clock, code):
    apply(desk, code, Action.FORWARD, at=at(23, 10), to="Công chức Tư pháp - Hộ tịch")
    assert last_audit(desk)[1] == {"from": "received", "to": "in_process", "handed_to": "Công chức Tư pháp - Hộ tịch",
                                   "business_time": "2026-11-23T10:00:00+07:00"}
    request_supplement(desk, code, missing=MISSING, reason="Thiếu giấy", at=at(24, 9))
    receive_supplement(desk, code, at=at(24, 14))  # due again 27/11 14:00
    apply(desk, code, Action.FORWARD, at=at(24, 15))
    clock.now = at(30, 12)
    apply(desk, code, Action.RECORD_RESULT, at=at(27, 15))  # an hour late
    return_result(desk, code, at=at(30, 9))
    dossier, steps = dossier_steps(desk, code)
    rows = hand_offs(dossier, steps, "Bộ phận tiếp nhận và trả kết quả xã Tân Phú")
    assert [(r.step, r.by, r.to, r.result_label) for r in rows] == [
        ("Tiếp nhận hồ sơ", "Nguyễn Văn An", "tester", ""),
        ("Chuyển xử lý", "tester", "Công chức Tư pháp - Hộ tịch", "Trước hạn"),
        ("Yêu cầu bổ sung", "tester", "Người nộp hồ sơ", "Trước hạn"),
        ("Nhận hồ sơ bổ sung", "Nguyễn Văn An", "tester", ""),
        ("Chuyển xử lý", "tester", "Cơ quan, người giải quyết", "Trước hạn"),
        ("Có kết quả", "Cơ quan, người giải quyết", "tester", "Quá hạn"),
        ("Trả kết quả", "tester", "Nguyễn Văn An", "Quá hạn"),
    ]
    assert rows[0].note == "Hẹn trả 09:15 26/11/2026"
    assert rows[3].note == "Hẹn trả mới 14:00 27/11/2026"
    assert rows[2].note == "Thiếu giấy. Cần bổ sung: Giấy chứng nhận kết hôn"
    history = [describe_step(e) for e in dossier_history(desk.store, code) if e.action == "dossier.set_status"]
    assert history == [
        "Đã tiếp nhận → Đang giải quyết, chuyển cho Công chức Tư pháp - Hộ tịch",
        "Yêu cầu bổ sung (Đang giải quyết → Yêu cầu bổ sung) (lý do: Thiếu giấy)",
        "Nhận hồ sơ bổ sung (Yêu cầu bổ sung → Đã tiếp nhận), hẹn trả mới 14:00 27/11/2026",
        "Đã tiếp nhận → Đang giải quyết",
        "Đang giải quyết → Có kết quả",
        "Có kết quả → Đã trả kết quả, người nhận: người nộp",  # the audit keeps no citizen's name
    ]
