"""Moving a dossier along its lifecycle: check the step, then record it atomically.

forward, result, withdraw (``apply``); the supplement request (Mẫu 02) and the supplement's
arrival (the time counts again in full, a new slip); refusal (Mẫu 03); apology with a new
appointment (Mẫu 04, once, signed off); stop (Mẫu 05); the return to the citizen (who took it,
originals handed back, the rating). Each writes the dossier, its step, one outbox event and one
audit entry in one transaction, or nothing; the step's paper is printed after the commit
(``services.lifecycle_papers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desk_app.domain import events, lifecycle
from desk_app.domain.accounts import ACTION_PERMISSIONS, Permission
from desk_app.domain.dossier import Dossier, ReceivedDocument
from desk_app.domain.errors import DomainError
from desk_app.domain.handover import DEFAULT_RATING_SCALE, Handover, check_scale, handover, rate
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.domain.steps import Step, taken_actions
from desk_app.domain.text import nfc
from desk_app.services.desk import Desk
from desk_app.store import papers
from desk_app.store.accounts import find, has_officers
from desk_app.store.lifecycle import StatusChange, set_status, setup_admin, steps

__all__ = [
    "Action", "FUTURE_TOLERANCE", "StatusChange", "apologize", "apply", "may_sign_off", "rating_scale",
    "receive_supplement", "refuse", "request_supplement", "return_result", "set_rating_scale", "stop",
]

# The same slack reception allows: the desk's clock and the receptionist's watch differ a little.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_REASON = 1000
RATING_SCALE_KEY = "rating_scale"


@dataclass(frozen=True)
class _Plan:
    """What a step writes beyond its status: its details and, if it moves it, the appointment."""

    step: Step | None = None
    due: tuple[dt.datetime, str] | None = None


Planner = Callable[[Dossier, dt.datetime], _Plan]


def _take(desk: Desk, code: str, action: Action, *, note: str, at: dt.datetime | None,
          plan: Planner | None = None, after: Callable[[int], None] | None = None) -> StatusChange:
    """Check ``action`` on dossier ``code`` at ``at`` (default now) and record it.

    Refused (DomainError, nothing written) when the dossier's status or history does not allow
    the action, a required reason is missing, the time is before the receipt, before the previous
    step or in the future, or ``plan`` refuses. ``after`` writes more in the same transaction.
    """
    desk.require(ACTION_PERMISSIONS[action])
    note = nfc(note)
    if len(note) > MAX_REASON:
        raise DomainError("reason_too_long", f"Lý do dài quá {MAX_REASON} ký tự.", field="reason")
    now = desk.localise(desk.clock())
    moment = desk.localise(at) if at else now
    if moment > now + FUTURE_TOLERANCE:
        raise DomainError("time_in_future", "Thời điểm ghi nhận không được sau thời điểm hiện tại.", field="at")
    # The check and the write share one transaction, so a change made meanwhile by another
    # process on the same database (the CLI beside the window) cannot slip in between.
    with desk.store.transaction():
        dossier = desk.dossier(code)
        dossier_id = desk.store.dossiers.id_of(dossier.code)
        assert dossier_id is not None  # just loaded, inside the same transaction
        target = lifecycle.check(dossier.status, action, reason=note,
                                 taken=taken_actions(steps(desk.store, dossier_id)))
        if moment < dossier.received_at:
            raise DomainError(
                "time_before_receipt",
                f"Thời điểm ghi nhận phải từ lúc tiếp nhận hồ sơ ({dossier.received_at:%H:%M %d/%m/%Y}) trở đi.",
                field="at",
            )
        previous = dossier.last_change_at
        if previous is not None and moment < previous:
            # Steps are recorded in order: a result cannot predate the hand-over it follows.
            raise DomainError(
                "time_before_previous_step",
                f"Thời điểm ghi nhận phải sau bước trước đó ({desk.localise(previous):%H:%M %d/%m/%Y}).",
                field="at",
            )
        planned = plan(dossier, moment) if plan else _Plan()
        change = set_status(desk.recorder, dossier_id, target, at=moment, note=note,
                            step=planned.step, due=planned.due)
        if after is not None:
            after(dossier_id)
        return change


def _step(action: Action, dossier: Dossier, moment: dt.datetime, *, to: str = "",
          documents: tuple[ReceivedDocument, ...] = (), signed_off_by: str = "",
          handover: Handover | None = None) -> Step:
    """A step's details; the recorder fills in statuses, actor, note and appointments."""
    return Step(action, dossier.status, dossier.status, moment, "", to=to, documents=documents,
                signed_off_by=signed_off_by, handover=handover)


def apply(desk: Desk, code: str, action: Action, *, note: str = "", at: dt.datetime | None = None,
          to: str = "") -> StatusChange:
    """Take ``action`` on dossier ``code`` at ``at`` (default now); ``note`` is the reason, if any;
    ``to``: for a forward, the officer or agency that takes the dossier (on the control slip).

    Steps that need more (a supplement's papers, an apology's new appointment) have their own
    functions below; a return through here was taken by the applicant.
    The first result (result ready, or returned) keeps its time as ``finished_at``, which
    decides early / on time / late.
    """
    special = {Action.REQUEST_SUPPLEMENT: "request_supplement", Action.RECEIVE_SUPPLEMENT: "receive_supplement",
               Action.APOLOGIZE: "apologize"}
    if action in special:
        raise ValueError(f"{action.value} needs services.lifecycle.{special[action]}")
    if action is Action.RETURN_RESULT:  # the applicant took it, no originals noted, not rated
        return return_result(desk, code, at=at)
    recipient = nfc(to)
    plan: Planner | None = None
    if recipient:
        plan = lambda dossier, moment: _Plan(_step(action, dossier, moment, to=recipient))  # noqa: E731
    return _take(desk, code, action, note=note, at=at, plan=plan)


def request_supplement(desk: Desk, code: str, *, missing: Sequence[ReceivedDocument], reason: str,
                       at: dt.datetime | None = None) -> StatusChange:
    """Ask for the ``missing`` papers (Mẫu 02), once and in full; the appointment clock pauses."""
    documents = tuple(ReceivedDocument(nfc(d.name), d.form, d.count) for d in missing)
    if not documents:
        raise DomainError("no_document", "Phiếu yêu cầu bổ sung phải nêu ít nhất một giấy tờ cần bổ sung.",
                          field="documents")
    if any(not d.name or d.count < 1 for d in documents):
        raise DomainError("invalid_document", "Mỗi giấy tờ cần có tên và số lượng từ 1 trở lên.", field="documents")
    return _take(desk, code, Action.REQUEST_SUPPLEMENT, note=reason, at=at,
                 plan=lambda dossier, moment: _Plan(_step(Action.REQUEST_SUPPLEMENT, dossier, moment,
                                                          documents=documents)))


def receive_supplement(desk: Desk, code: str, *, at: dt.datetime | None = None,
                       due_at: dt.datetime | None = None) -> StatusChange:
    """The supplement arrived complete: the statutory time counts again in full from ``at``
    (NĐ 61 Art. 19(4)), through the work calendar, and the next slip is a new one (an original,
    with the new appointment). ``due_at`` only for a procedure the catalogue has no time for."""

    def plan(dossier: Dossier, moment: dt.datetime) -> _Plan:
        procedure = desk.procedure(dossier.procedure_code)  # retired ones too: the dossier exists
        stamp = f"tính lại từ khi nhận đủ hồ sơ bổ sung lúc {moment:%H:%M %d/%m/%Y}"
        if procedure.time is None:
            if due_at is None:
                raise DomainError("no_processing_time", "Danh mục chưa có thời hạn giải quyết của thủ tục "
                                  f"{procedure.code}; hãy nhập ngày hẹn trả mới.", field="due_at")
            new_due = desk.localise(due_at)
            if new_due <= moment:
                raise DomainError("due_before_now", "Ngày hẹn trả mới phải sau lúc nhận hồ sơ bổ sung.",
                                  field="due_at")
            return _Plan(due=(new_due, f"{stamp}; hẹn theo ngày nhập tay"))
        result = desk.calendar().due(moment, procedure.time, same_day=procedure.same_day)
        return _Plan(due=(result.due_at, f"{stamp}: {result.reason}"))

    return _take(desk, code, Action.RECEIVE_SUPPLEMENT, note="", at=at, plan=plan,
                 after=lambda dossier_id: papers.restart_prints(desk.store, dossier_id, Paper.RECEIPT))


def refuse(desk: Desk, code: str, *, reason: str, at: dt.datetime | None = None) -> StatusChange:
    """Refuse the dossier (Mẫu 03); the reason is required."""
    return _take(desk, code, Action.REFUSE, note=reason, at=at)


def stop(desk: Desk, code: str, *, reason: str, at: dt.datetime | None = None) -> StatusChange:
    """Stop processing the dossier (Mẫu 05); the reason is required."""
    return _take(desk, code, Action.STOP, note=reason, at=at)


def may_sign_off(desk: Desk, person: str) -> bool:
    """Whether ``person`` may sign an apology for the leader.

    The hook for accounts (issue 8): once they exist, this asks for the leader's role. Until then
    the desk has one account that may do everything, the one that set the desk up.
    """
    if has_officers(desk.store):  # accounts exist: the person must be an active officer with sign-off
        row = find(desk.store, nfc(person))
        return row is not None and row.officer.active and row.officer.can(Permission.SIGN_OFF)
    admin = setup_admin(desk.store)
    return admin is None or nfc(person) == nfc(admin)


def apologize(desk: Desk, code: str, *, reason: str, new_due: dt.datetime, at: dt.datetime | None = None,
              signed_off_by: str | None = None) -> StatusChange:
    """Apologise and set a new appointment (Mẫu 04): once per dossier, and only while at least one
    working day remains before the due date; signed off by the leader (``signed_off_by``, default
    the person at the desk), who must be allowed to (``may_sign_off``)."""
    signer = nfc(signed_off_by or desk.actor)
    if not may_sign_off(desk, signer):
        raise DomainError("sign_off_required", f"«{signer}» không có quyền ký phiếu xin lỗi và hẹn lại; "
                          "cần lãnh đạo cơ quan ký duyệt.", field="signed_off_by")

    def plan(dossier: Dossier, moment: dt.datetime) -> _Plan:
        due = desk.localise(new_due)
        lifecycle.check_apology(desk.calendar(), at=moment, due_at=desk.localise(dossier.due_at), new_due=due)
        return _Plan(_step(Action.APOLOGIZE, dossier, moment, signed_off_by=signer),
                     (due, f"hẹn lại theo phiếu xin lỗi ngày {moment:%d/%m/%Y}"))

    return _take(desk, code, Action.APOLOGIZE, note=reason, at=at, plan=plan)


def return_result(desk: Desk, code: str, *, recipient: str | None = None, authorisation: str | None = None,
                  originals: Sequence[str] = (), rating: str | None = None,
                  at: dt.datetime | None = None) -> StatusChange:
    """Hand the result to the citizen: the applicant, or a person with an authorisation paper;
    the originals handed back; the citizen's rating on the commune's scale (optional)."""
    scale = rating_scale(desk)
    rated = rate(rating, scale) if rating is not None and nfc(rating) else None

    def plan(dossier: Dossier, moment: dt.datetime) -> _Plan:
        given = handover(applicant=dossier.applicant.name, recipient=recipient,
                                   authorisation=authorisation, originals=originals, rating=rated)
        return _Plan(_step(Action.RETURN_RESULT, dossier, moment, handover=given))

    return _take(desk, code, Action.RETURN_RESULT, note="", at=at, plan=plan)


def rating_scale(desk: Desk) -> tuple[str, ...]:
    """The commune's rating scale, best first (default: DEFAULT_RATING_SCALE)."""
    value = desk.store.settings.get(RATING_SCALE_KEY)
    return tuple(value) if isinstance(value, list) and value else DEFAULT_RATING_SCALE


def set_rating_scale(desk: Desk, labels: Sequence[str]) -> tuple[str, ...]:
    scale = check_scale(labels)
    values = {RATING_SCALE_KEY: list(scale)}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(values)
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(values))
        change.audit("desk.set_rating_scale", "desk", RATING_SCALE_KEY, values)
    return scale


def dossier_steps(desk: Desk, code: str) -> tuple[Dossier, list[Step]]:
    """The dossier and its recorded steps, in order."""
    dossier = desk.dossier(code)
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    return dossier, steps(desk.store, dossier_id)


def allowed(desk: Desk, dossier: Dossier) -> tuple[Action, ...]:
    """The actions the dossier may take now (its status and the once-only steps it took)."""
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    return lifecycle.allowed_actions(dossier.status, taken_actions(steps(desk.store, dossier_id)))

