"""The reception form's worker jobs: live estimate, save, paper. They run on the store worker only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desk_app.domain.catalogue import Procedure
from desk_app.domain.errors import DomainError

if TYPE_CHECKING:  # the store layer and reportlab load on the worker, when first needed
    from desk_app.domain.bookings import Booking
    from desk_app.domain.calendar import DueResult
    from desk_app.domain.dossier import ReceivedDocument
    from desk_app.domain.fees import FeeQuote
    from desk_app.domain.guidance import SupplementGuidance
    from desk_app.services.desk import Desk
    from desk_app.services.printouts import Printout
    from desk_app.services.reception import Reception, ReceptionRequest


@dataclass(frozen=True)
class Estimate:
    """The live fee and appointment, computed with the desk's clock."""

    now: dt.datetime
    fee: FeeQuote | None
    fee_error: str
    due: DueResult | None
    due_error: str


def estimate(desk: Desk, procedure: Procedure, *, channel: str, pages: int, copies: int,
             local_fee: int | None, extension_days: int) -> Estimate:
    """What the slip would say if the dossier were saved now."""
    from desk_app.domain.fees import quote

    now = desk.clock()
    fee = due = None
    fee_error = due_error = ""
    try:
        fee = quote(procedure, channel=channel, on=now.date(), pages=pages, copies=copies, local_amount=local_fee)
    except DomainError as exc:
        fee_error = exc.message
    if procedure.time is None:
        due_error = "Danh mục chưa có thời hạn: nhập ngày hẹn trả bên dưới."
    else:
        try:
            due = desk.due(procedure.code, now, extension_days=extension_days)
        except DomainError as exc:
            due_error = exc.message
    return Estimate(now, fee, fee_error, due, due_error)


def save_dossier(desk: Desk, procedure: Procedure, request: ReceptionRequest, *,
                 booking: str | None = None) -> Reception:
    """Receive the dossier (one transaction), checking in ``booking`` with it when the citizen came
    with one. A typed amount counts only where the provincial council sets the fee; for a fixed
    fee the form's amount box is ignored."""
    from desk_app.domain.fees import takes_typed_amount
    from desk_app.services.reception import receive

    on = (request.received_at or desk.clock()).date()
    if request.fee_vnd is not None and not takes_typed_amount(procedure, channel=request.channel.value, on=on):
        request = replace(request, fee_vnd=None)
    if booking is not None:
        from desk_app.services.bookings import check_in

        return check_in(desk, booking, request)
    return receive(desk, request)


def find_booking(desk: Desk, number: str) -> tuple[Booking, Procedure]:
    """A booking and its procedure (a retired one too: the booking was made before)."""
    from desk_app.services.bookings import find

    booking = find(desk, number)
    return booking, desk.procedure(booking.procedure_code)


def make_printout(desk: Desk, code: str, *, slip: bool = True) -> Printout:
    """The committed dossier's receipt (and fee receipt), rendered; nothing counts as printed
    until ``record_delivery`` runs for what actually reached the printer or a file."""
    from desk_app.services.printouts import prepare_printout  # reportlab loads on the first print

    return prepare_printout(desk, code, slip=slip)


def record_delivery(desk: Desk, printout: Printout, papers: list[str], via: str) -> dict[str, int]:
    """Count the delivered papers as printed (print or reprint, audited); their print numbers."""
    from desk_app.domain.papers import Paper
    from desk_app.services.printouts import record_printed

    numbers = record_printed(desk, printout, [Paper(p) for p in papers], via=via)
    return {paper.value: number for paper, number in numbers.items()}


def issue_guidance(desk: Desk, procedure_code: str, *, name: str, phone: str | None, address: str | None,
                   missing: tuple[ReceivedDocument, ...]) -> tuple[SupplementGuidance, bytes]:
    """Record the supplement request (Mẫu 02), then render it: the slip is on disk before it prints."""
    from desk_app.services.guidance import issue_supplement_guidance, render_guidance

    guidance = issue_supplement_guidance(desk, procedure_code=procedure_code, name=name, phone=phone,
                                         address=address, missing=missing)
    return guidance, render_guidance(desk, guidance)
