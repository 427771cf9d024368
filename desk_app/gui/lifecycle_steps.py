"""What the detail tab asks for each lifecycle step, and the worker jobs that record it.

The questions are built on the GUI thread from what was loaded; the jobs run on the store
worker only (they touch the desk).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dates import parse_date, parse_moment
from desk_app.domain.dossier import Dossier
from desk_app.domain.guidance import parse_missing
from desk_app.domain.lifecycle import FORM_OF, Action
from desk_app.domain.steps import StatusEntry, status_history
from desk_app.domain.timeliness import Timeliness
from desk_app.gui.step_dialog import Answers, Field

if TYPE_CHECKING:  # the store layer loads on the worker
    from desk_app.domain.papers import Paper
    from desk_app.services.desk import Desk
    from desk_app.services.lifecycle_papers import LedgerBook
    from desk_app.services.printouts import Printout
    from desk_app.store.lifecycle import StatusChange

NO_RATING = "(người dân không đánh giá)"


@dataclass(frozen=True)
class DetailState:
    """A dossier as the tab shows it: the steps it may take, the rating scale, the step papers
    it has (for a reprint)."""

    dossier: Dossier
    allowed: tuple[Action, ...]
    scale: tuple[str, ...]
    papers: tuple[Paper, ...]
    history: tuple[StatusEntry, ...] = ()  # reception and each step, in time order
    timeliness: Timeliness | None = None  # against the appointment, now


def load(desk: Desk, code: str, *, viewing: bool = True) -> DetailState:
    """Worker job: the dossier and what it may do next. Opening it is a viewing (audited, personal
    data); reloading it after a step the receptionist took on it is not a new one."""
    from desk_app.services import ledger, lifecycle
    from desk_app.services.lifecycle_papers import STEP_PAPERS

    dossier = desk.view_dossier(code, purpose="detail") if viewing else desk.dossier(code)
    _, steps = lifecycle.dossier_steps(desk, dossier.code)
    # The step papers in the order their steps were taken: the last is the one Ctrl+Shift+P reprints.
    papers = tuple(dict.fromkeys(STEP_PAPERS[s.action] for s in steps if s.action in FORM_OF))
    judged = ledger.judge(dossier.status, dossier.due_at, dossier.finished_at, ledger.window(desk))
    return DetailState(dossier, lifecycle.allowed(desk, dossier), lifecycle.rating_scale(desk), papers,
                       tuple(status_history(dossier, steps)), judged)


def questions(action: Action, state: DetailState, user: str) -> tuple[str, list[Field]] | None:
    """The lead line and fields to ask before ``action``; None when it needs nothing."""
    d = state.dossier
    reason = Field("reason", "Lý do", "text")
    if action in (Action.WITHDRAW, Action.REFUSE, Action.STOP):
        form = f" ({FORM_OF[action]})" if action in FORM_OF else ""
        return f"{action.label}{form}: hồ sơ {d.code} của {d.applicant.name}", [reason]
    if action is Action.REQUEST_SUPPLEMENT:
        return (f"Yêu cầu bổ sung (Mẫu 02) hồ sơ {d.code}: một lần, nêu đủ mọi giấy tờ cần bổ sung", [
            Field("missing", "Giấy tờ cần bổ sung", "text",
                  hint="Mỗi dòng một giấy tờ; có thể ghi «Tên giấy tờ|hình thức|số lượng», hình thức: "
                       + ", ".join(f.value for f in DocForm) + "."),
            reason,
        ])
    if action is Action.APOLOGIZE:
        proposed = (d.due_at + dt.timedelta(days=7)).replace(tzinfo=None)
        return (f"Xin lỗi và hẹn lại (Mẫu 04) hồ sơ {d.code}, đang hẹn trả {d.due_at:%H:%M %d/%m/%Y}", [
            Field("reason", "Lý do chậm trễ", "text"),
            Field("new_due", "Ngày hẹn trả mới", "datetime", f"{proposed:%H:%M %d/%m/%Y}"),
            Field("signed_off_by", "Lãnh đạo ký", "line", user),
        ])
    if action is Action.RETURN_RESULT:
        originals = "\n".join(doc.name for doc in d.documents if doc.form is DocForm.ORIGINAL)
        return (f"Trả kết quả hồ sơ {d.code}", [
            Field("recipient", "Người nhận kết quả", "line", d.applicant.name,
                  hint="Người khác người nộp: ghi giấy ủy quyền bên dưới."),
            Field("authorisation", "Giấy ủy quyền", "line"),
            Field("originals", "Bản chính trả lại", "text", originals, hint="Mỗi dòng một giấy tờ."),
            Field("rating", "Đánh giá của người dân", "choice", NO_RATING, (NO_RATING, *state.scale)),
        ])
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class StepDone:
    """A recorded step, the dossier after it, and the paper the step prints (None: none)."""

    change: StatusChange
    state: DetailState
    paper: Paper | None


def record(desk: Desk, code: str, action: Action, answers: Answers) -> StepDone:
    """Worker job: record ``action`` with the receptionist's ``answers``, then reload the dossier."""
    from desk_app.services import lifecycle
    from desk_app.services.guidance import missing_documents
    from desk_app.services.lifecycle_papers import paper_of

    reason = answers.get("reason", "")
    change: StatusChange
    if action is Action.REQUEST_SUPPLEMENT:
        dossier = desk.dossier(code)
        missing = missing_documents(desk, dossier.procedure_code,
                                    [parse_missing(line) for line in _lines(answers.get("missing", ""))])
        change = lifecycle.request_supplement(desk, code, missing=missing, reason=reason)
    elif action is Action.RECEIVE_SUPPLEMENT:
        change = lifecycle.receive_supplement(desk, code)
    elif action is Action.APOLOGIZE:
        change = lifecycle.apologize(desk, code, reason=reason, new_due=parse_moment(answers.get("new_due", ""), field="new_due"),
                                     signed_off_by=answers.get("signed_off_by") or None)
    elif action is Action.REFUSE:
        change = lifecycle.refuse(desk, code, reason=reason)
    elif action is Action.STOP:
        change = lifecycle.stop(desk, code, reason=reason)
    elif action is Action.RETURN_RESULT:
        rating = answers.get("rating", "")
        change = lifecycle.return_result(desk, code, recipient=answers.get("recipient"),
                                         authorisation=answers.get("authorisation"),
                                         originals=_lines(answers.get("originals", "")),
                                         rating=None if rating in ("", NO_RATING) else rating)
    else:
        change = lifecycle.apply(desk, code, action, note=reason)
    return StepDone(change, load(desk, code, viewing=False), paper_of(change))


def make_paper(desk: Desk, code: str, paper: Paper) -> Printout:
    """Worker job: the dossier's ``paper`` rendered (a reprint is marked); counted once delivered."""
    from desk_app.services.lifecycle_papers import prepare_paper

    return prepare_paper(desk, code, paper)


def book_questions(today: dt.date) -> tuple[str, list[Field]]:
    """The period of the ledger book: this month so far, unless changed."""
    return ("Sổ theo dõi hồ sơ (Mẫu 07) của các hồ sơ tiếp nhận trong khoảng thời gian", [
        Field("first", "Từ ngày", "line", f"{today.replace(day=1):%d/%m/%Y}"),
        Field("last", "Đến ngày", "line", f"{today:%d/%m/%Y}"),
    ])


def make_ledger_book(desk: Desk, answers: Answers) -> LedgerBook:
    """Worker job: the ledger book of the period typed (dd/mm/yyyy), rendered."""
    from desk_app.services.lifecycle_papers import ledger_book

    return ledger_book(desk, parse_date(answers.get("first", ""), field="from"),
                       parse_date(answers.get("last", ""), field="to"))


def record_book(desk: Desk, book: LedgerBook, via: str) -> None:
    """Worker job: the ledger book reached the printer or a file: audit it."""
    from desk_app.services.lifecycle_papers import record_book_printed

    record_book_printed(desk, book, via)
