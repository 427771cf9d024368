"""Which status changes a dossier may take at the desk, as data: forward, result, return, withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError


class Action(str, Enum):
    """What the receptionist does to a dossier. Supplement requests, refusals, apologies and
    stops print a form (Mẫu 02–05) and are not actions here yet."""

    FORWARD = "forward"  # handed to the deciding officer or agency (chuyển xử lý, liên thông)
    RECORD_RESULT = "record_result"  # the decision came back to the desk
    RETURN_RESULT = "return_result"  # handed to the citizen
    WITHDRAW = "withdraw"  # the citizen takes the dossier back (rút hồ sơ); a reason is required

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: Mapping[Action, str] = MappingProxyType({
    Action.FORWARD: "Chuyển xử lý",
    Action.RECORD_RESULT: "Có kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.WITHDRAW: "Rút hồ sơ",
})

# Status → (action → next status). A status missing here, or an action missing from its row, is
# refused. Returning is allowed only once a result is ready: a dossier decided on the spot is
# recorded as returned by reception itself, so received → returned never happens here.
TRANSITIONS: Mapping[Status, Mapping[Action, Status]] = MappingProxyType({
    Status.RECEIVED: MappingProxyType({
        Action.FORWARD: Status.IN_PROCESS,
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    # Waiting for the citizen's supplement the dossier is still open, so it can be withdrawn;
    # receiving the supplement needs Mẫu 02 and is not handled here.
    Status.SUPPLEMENT_REQUESTED: MappingProxyType({
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    Status.IN_PROCESS: MappingProxyType({
        Action.RECORD_RESULT: Status.RESULT_READY,
        Action.WITHDRAW: Status.WITHDRAWN,
    }),
    # Once the result exists it is only handed back: withdrawing would undo a decision taken.
    Status.RESULT_READY: MappingProxyType({
        Action.RETURN_RESULT: Status.RETURNED,
    }),
})

# Actions that are refused without a reason saying why (the reason goes to the outbox and audit).
REASON_REQUIRED = frozenset({Action.WITHDRAW})


def allowed_actions(status: Status) -> tuple[Action, ...]:
    """The actions a dossier in ``status`` may take, in the order the buttons show them."""
    row = TRANSITIONS.get(status, {})
    return tuple(action for action in Action if action in row)


def check(status: Status, action: Action, *, reason: str = "") -> Status:
    """The status ``action`` leads to from ``status``; DomainError when it is not allowed.

    ``reason`` is the already normalised text the receptionist gave; it must be non-empty for
    actions in ``REASON_REQUIRED``.
    """
    target = TRANSITIONS.get(status, {}).get(action)
    if target is None:
        allowed = allowed_actions(status)
        hint = (
            "Các thao tác được phép: " + ", ".join(f"«{a.label}»" for a in allowed) + "."
            if allowed else "Hồ sơ đã kết thúc, không còn thao tác nào."
        )
        raise DomainError(
            "transition_not_allowed",
            f"Không thể «{action.label}» khi hồ sơ đang ở trạng thái «{status.label}». {hint}",
        )
    if action in REASON_REQUIRED and not reason.strip():
        raise DomainError("reason_required", f"Cần ghi lý do để «{action.label}».", field="reason")
    return target
