"""The papers of the lifecycle steps (Mẫu 02–05), the control slip (Mẫu 06) and the ledger book
(Mẫu 07): rendered from what is recorded, delivered and counted like the slip (``printouts``).

A step's paper is rendered after the step committed, from the step's row, so a reprint years
later says what the first printing said (marked "BẢN IN LẠI"). The form set in use is the one
imported below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.papers import Paper
from desk_app.domain.steps import book_entry, hand_offs, latest
from desk_app.printing import forms_tt01_2018 as forms  # the form set in use (TT 03/2025 when confirmed)
from desk_app.services import spooler
from desk_app.services.desk import Desk
from desk_app.services.printouts import PaperCopy, Printout, prepare_printout, write_whole
from desk_app.store import papers
from desk_app.store.lifecycle import (
    LEDGER_BOOK_PRINT, StatusChange, ledger_book_key, ledger_book_prints, received_between, steps, steps_of,
)

# The paper each step prints, and the step each step paper is printed from.
STEP_PAPERS: Mapping[Action, Paper] = MappingProxyType({
    Action.REQUEST_SUPPLEMENT: Paper.SUPPLEMENT_REQUEST,
    Action.RECEIVE_SUPPLEMENT: Paper.RECEIPT,  # a new slip, with the new appointment
    Action.REFUSE: Paper.REFUSAL,
    Action.APOLOGIZE: Paper.APOLOGY,
    Action.STOP: Paper.STOP_NOTICE,
})
_RENDER = {
    Paper.SUPPLEMENT_REQUEST: forms.render_supplement_request,
    Paper.REFUSAL: forms.render_refusal,
    Paper.APOLOGY: forms.render_apology,
    Paper.STOP_NOTICE: forms.render_stop_notice,
}
_FORM_NO = {Paper.SUPPLEMENT_REQUEST: "02", Paper.REFUSAL: "03", Paper.APOLOGY: "04", Paper.STOP_NOTICE: "05",
            Paper.CONTROL_SLIP: "06"}
# What the command line's --paper calls them (``desk-app print CODE --paper refusal``).
PAPER_NAMES: Mapping[str, Paper] = MappingProxyType({
    "supplement-request": Paper.SUPPLEMENT_REQUEST, "refusal": Paper.REFUSAL, "apology": Paper.APOLOGY,
    "stop-notice": Paper.STOP_NOTICE, "control-slip": Paper.CONTROL_SLIP,
})


def paper_of(change: StatusChange) -> Paper | None:
    """The paper a recorded step prints (None: forward, result, return and withdraw print none)."""
    return STEP_PAPERS.get(change.action) if change.action is not None else None


def form_no(paper: Paper) -> str:
    """"03" for the refusal, …; "01" for the slip."""
    return _FORM_NO.get(paper, "01")


def digitised_line(desk: Desk, code: str) -> str:
    """The control slip's line on the scans: which papers are digitised (issue 9 item 5)."""
    from desk_app.services.scans import paper_marks

    marks = paper_marks(desk, code)
    if not marks:
        return ""
    done = [m for m in marks if m.digitised]
    pages = sum(m.pages for m in done)
    missing = ", ".join(str(m.position) for m in marks if not m.digitised)
    return (f"{len(done)}/{len(marks)} giấy tờ có bản quét ({pages} trang)"
            + (f"; chưa quét giấy tờ số {missing}" if missing else ""))


def prepare_paper(desk: Desk, code: str, paper: Paper) -> Printout:
    """Render the dossier's ``paper`` (a step paper, the control slip, or the slip); nothing is
    recorded until it is delivered (``printouts.deliver``). A paper printed before comes out
    marked "BẢN IN LẠI". Refused (DomainError) when the dossier has no such paper."""
    if paper is Paper.RECEIPT:
        return prepare_printout(desk, code, fee_receipt=False)
    if paper is Paper.FEE_RECEIPT:
        return prepare_printout(desk, code, slip=False)
    dossier = desk.dossier(code)
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    recorded = steps(desk.store, dossier_id)
    count = papers.print_count(desk.store, dossier_id, paper)
    printing = forms.Printing(desk.clock(), papers.qr_key(desk.store), reprint=count > 0)
    profile = desk.profile()
    if paper is Paper.CONTROL_SLIP:
        rows = hand_offs(dossier, recorded, forms.unit_in_sentence(profile))
        pdf = forms.render_control_slip(dossier, rows, profile, printing, digitised=digitised_line(desk, dossier.code))
    else:
        action = next(a for a, p in STEP_PAPERS.items() if p is paper)
        step = latest(recorded, action)
        if step is None:
            raise DomainError("no_such_paper", f"Hồ sơ {dossier.code} chưa có bước «{action.label}» nên không có "
                              f"{paper.label.lower()} (Mẫu {form_no(paper)}).")
        pdf = _RENDER[paper](dossier, step, profile, printing)
    return Printout(dossier.code, dossier_id, (PaperCopy(paper, pdf, count > 0, count + 1),))


@dataclass(frozen=True)
class LedgerBook:
    """The ledger book of a period, rendered: the PDF and how many entries it holds; ``reprint``
    when the book of this very period was delivered before (printed or saved), so it is marked
    "BẢN IN LẠI" like every other paper printed again."""

    first: dt.date
    last: dt.date
    entries: int
    pdf: bytes
    reprint: bool = False


def ledger_book(desk: Desk, first: dt.date, last: dt.date) -> LedgerBook:
    """Mẫu 07 for the dossiers received from ``first`` to ``last`` (inclusive)."""
    if last < first:
        raise DomainError("invalid_period", f"Ngày cuối ({last:%d/%m/%Y}) phải từ ngày đầu ({first:%d/%m/%Y}) trở đi.",
                          field="to")
    if (last - first).days > 366:
        raise DomainError("period_too_long", "Mỗi lần in sổ theo dõi tối đa một năm.", field="to")
    ids = received_between(desk.store, first, last)
    recorded = steps_of(desk.store, ids)
    entries = [book_entry(d, recorded.get(i, [])) for i, d in zip(ids, desk.store.dossiers.by_ids(ids))]
    reprint = ledger_book_prints(desk.store, first, last) > 0
    printing = forms.Printing(desk.clock(), papers.qr_key(desk.store), reprint=reprint)
    pdf = forms.render_ledger_book(entries, desk.profile(), first=first, last=last, printing=printing)
    return LedgerBook(first, last, len(entries), pdf, reprint)


def deliver_book(desk: Desk, book: LedgerBook, *, path: Path | None, printer: str | None = None,
                 to_printer: bool = False) -> spooler.SpoolJob | None:
    """Write the ledger book to ``path`` (whole, or not at all) and/or send it to the printer;
    audited once delivered (``record_book_printed``)."""
    via = []
    job = None
    try:
        if path is not None:
            write_whole(path, book.pdf)
            via.append(f"pdf:{path}")
        if to_printer:
            job = spooler.spool(book.pdf, printer=printer, title=f"so-theo-doi-{book.first}-{book.last}")
            via.append(f"printer:{job.printer} {job.job_id}".strip())
    finally:
        if via:
            record_book_printed(desk, book, "; ".join(via))
    return job


def record_book_printed(desk: Desk, book: LedgerBook, via: str) -> None:
    """Audit a delivered ledger book: it holds the personal data of every citizen in the period."""
    with desk.store.transaction():
        desk.store.audit.add(actor=desk.actor, action=LEDGER_BOOK_PRINT, entity="ledger_book",
                             entity_id=ledger_book_key(book.first, book.last),
                             detail={"entries": book.entries, "via": via}, at=desk.clock())
