"""Which steps a dossier may take at the desk, as data, and the rules each step checks.

The steps of DOMAIN.md §2: forward, result, return, withdraw; supplement request (Mẫu 02) and
receipt of the supplement; refusal (Mẫu 03); apology with a new appointment (Mẫu 04); stop
(Mẫu 05). An apology keeps the status and moves the appointment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from enum import Enum
from types import MappingProxyType

from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError


class Action(str, Enum):
    """What the receptionist does to a dossier, in the order the window's buttons show them."""

    FORWARD = "forward"  # handed to the deciding officer or agency (chuyển xử lý, liên thông)
    RECORD_RESULT = "record_result"  # the decision came back to the desk
    RETURN_RESULT = "return_result"  # handed to the citizen
    REQUEST_SUPPLEMENT = "request_supplement"  # Mẫu 02: what to add and why; the clock pauses
    RECEIVE_SUPPLEMENT = "receive_supplement"  # the papers arrived: the time counts again in full
    APOLOGIZE = "apologize"  # Mẫu 04: apology and a new appointment, once, before the due date
    REFUSE = "refuse"  # Mẫu 03: the dossier is refused, with its reason
    STOP = "stop"  # Mẫu 05: processing is stopped, with its reason
    WITHDRAW = "withdraw"  # the citizen takes the dossier back (rút hồ sơ)

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: Mapping[Action, str] = MappingProxyType({
    Action.FORWARD: "Chuyển xử lý",
    Action.RECORD_RESULT: "Có kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.APOLOGIZE: "Xin lỗi, hẹn lại",
    Action.REFUSE: "Từ chối",
    Action.STOP: "Dừng giải quyết",
    Action.WITHDRAW: "Rút hồ sơ",
})

# Status → (action → next status). A status missing here, or an action missing from its row, is
# refused. Returning is allowed only once a result is ready: a dossier decided on the spot is
# recorded as returned by reception itself, so received → returned never happens here.
TRANSITIONS: Mapping[Status, Mapping[Action, Status]] = MappingProxyType({
    Status.RECEIVED: MappingProxyType({
        Action.FORWARD: Status.IN_PROCESS,
        Action.REQUEST_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
        Action.APOLOGIZE: Status.RECEIVED,
        Action.REFUSE: Status.REFUSED,
        Action.STOP: Status.STOPPED,
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    # Paused: no appointment runs, so there is nothing to apologise for. The supplement comes
    # back to the desk, which hands the complete dossier on again (forward).
    Status.SUPPLEMENT_REQUESTED: MappingProxyType({
        Action.RECEIVE_SUPPLEMENT: Status.RECEIVED,
        Action.REFUSE: Status.REFUSED,
        Action.STOP: Status.STOPPED,
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    Status.IN_PROCESS: MappingProxyType({
        Action.RECORD_RESULT: Status.RESULT_READY,
        Action.REQUEST_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
        Action.APOLOGIZE: Status.IN_PROCESS,
        Action.REFUSE: Status.REFUSED,
        Action.STOP: Status.STOPPED,
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    # Once the result exists it is only handed back: withdrawing would undo a decision taken.
    Status.RESULT_READY: MappingProxyType({
        Action.RETURN_RESULT: Status.RETURNED,
    }),
})

# Actions that are refused without a reason saying why (it goes on the paper, the outbox and audit).
REASON_REQUIRED = frozenset({
    Action.WITHDRAW, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.REFUSE, Action.STOP,
})

# Taken at most once per dossier: a supplement is requested once and in full (NĐ 61 Art. 19(4)),
# and the apology with a new appointment is issued once (Art. 19(9)).
ONCE_ONLY: Mapping[Action, str] = MappingProxyType({
    Action.REQUEST_SUPPLEMENT: "Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu bổ sung một lần, "
                               "nêu đầy đủ các giấy tờ cần bổ sung.",
    Action.APOLOGIZE: "Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả kết quả; chỉ được hẹn lại một lần.",
})

# The paper each step prints (TT 03/2025 numbering), for the window and the command line.
FORM_OF: Mapping[Action, str] = MappingProxyType({
    Action.REQUEST_SUPPLEMENT: "Mẫu 02",
    Action.REFUSE: "Mẫu 03",
    Action.APOLOGIZE: "Mẫu 04",
    Action.STOP: "Mẫu 05",
})


def allowed_actions(status: Status, taken: Collection[Action] = ()) -> tuple[Action, ...]:
    """The actions a dossier in ``status`` may take, in the order the buttons show them;
    ``taken`` are the actions the dossier already took (once-only ones are then left out)."""
    row = TRANSITIONS.get(status, {})
    return tuple(action for action in Action if action in row and not (action in ONCE_ONLY and action in taken))


def check(status: Status, action: Action, *, reason: str = "", taken: Collection[Action] = ()) -> Status:
    """The status ``action`` leads to from ``status``; DomainError when it is not allowed.

    ``reason`` is the already normalised text the receptionist gave; it must be non-empty for
    actions in ``REASON_REQUIRED``. ``taken``: the actions the dossier already took.
    """
    target = TRANSITIONS.get(status, {}).get(action)
    if target is None:
        allowed = allowed_actions(status, taken)
        hint = (
            "Các thao tác được phép: " + ", ".join(f"«{a.label}»" for a in allowed) + "."
            if allowed else "Hồ sơ đã kết thúc, không còn thao tác nào."
        )
        raise DomainError(
            "transition_not_allowed",
            f"Không thể «{action.label}» khi hồ sơ đang ở trạng thái «{status.label}». {hint}",
        )
    if action in ONCE_ONLY and action in taken:
        raise DomainError("once_only", ONCE_ONLY[action])
    if action in REASON_REQUIRED and not reason.strip():
        raise DomainError("reason_required", f"Cần ghi lý do để «{action.label}».", field="reason")
    return target


def last_apology_day(calendar: WorkCalendar, due_at: dt.datetime) -> dt.date:
    """The last day an apology may be issued: the working day before the due day (NĐ 61 Art.
    19(9): at least one day before the due date), so at least one working day remains."""
    day = due_at.date() - dt.timedelta(days=1)
    for _ in range(60):
        if calendar.is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    raise ValueError("no working day within two months before the due date: check the calendar")


def check_apology(calendar: WorkCalendar, *, at: dt.datetime, due_at: dt.datetime, new_due: dt.datetime) -> None:
    """An apology issued ``at`` moves the appointment ``due_at`` to ``new_due``: refused (DomainError)
    when it comes too late (not at least one working day before the due date) or the new
    appointment is not later than the old one, or falls on a day off. Times are in one offset."""
    last = last_apology_day(calendar, due_at)
    if at.date() > last:
        raise DomainError(
            "apology_too_late",
            f"Chỉ được xin lỗi và hẹn lại chậm nhất một ngày làm việc trước ngày hẹn trả ({due_at:%d/%m/%Y}), "
            f"tức là đến hết ngày {last:%d/%m/%Y}.",
            field="at",
        )
    if new_due <= due_at:
        raise DomainError(
            "new_due_not_later",
            f"Ngày hẹn mới phải sau ngày hẹn cũ ({due_at:%H:%M %d/%m/%Y}).",
            field="new_due",
        )
    if not calendar.is_working_day(new_due.date()):
        raise DomainError("new_due_day_off", f"Ngày hẹn mới {new_due:%d/%m/%Y} là ngày nghỉ.", field="new_due")
