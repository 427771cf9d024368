"""Paper for a committed dossier: render its slip (Mẫu 01) and fee receipt, deliver them to a file
or a printer, and count a paper as printed only once it was delivered.

Rendering writes nothing. A paper counts (its print count, and an audit entry "dossier.print" or
"dossier.reprint" naming the paper and where it went) only after its PDF was written or the
spooler accepted its job, so a failed first print leaves the next one the original.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.accounts import Permission
from desk_app.domain.dossier import Dossier
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.steps import latest
from desk_app.domain.papers import Paper
from desk_app.printing.fee_receipt import render_fee_receipt
from desk_app.printing.receipt import ENDED_STATES, render_receipt
from desk_app.services import spooler
from desk_app.services.desk import Desk
from desk_app.services.durable_files import write_durably
from desk_app.store import papers
from desk_app.store.lifecycle import steps

FEE_FILE_SUFFIX = "-bien-lai"
_JOB_NAMES = {Paper.RECEIPT: "giay-tiep-nhan", Paper.FEE_RECEIPT: "bien-lai",
              Paper.SUPPLEMENT_REQUEST: "mau-02-yeu-cau-bo-sung", Paper.REFUSAL: "mau-03-tu-choi",
              Paper.APOLOGY: "mau-04-xin-loi", Paper.STOP_NOTICE: "mau-05-dung-giai-quyet",
              Paper.CONTROL_SLIP: "mau-06-phieu-kiem-soat"}

Spool = Callable[..., spooler.SpoolJob]


@dataclass(frozen=True)
class PaperCopy:
    """One rendered paper. ``number`` is the printing it becomes once delivered (1: the original)."""

    paper: Paper
    pdf: bytes
    reprint: bool
    number: int


@dataclass(frozen=True)
class Printout:
    code: str
    dossier_id: int
    copies: tuple[PaperCopy, ...]

    def pdf(self, paper: Paper) -> bytes | None:
        return next((c.pdf for c in self.copies if c.paper is paper), None)

    @property
    def receipt(self) -> bytes | None:
        return self.pdf(Paper.RECEIPT)

    @property
    def fee_receipt(self) -> bytes | None:
        return self.pdf(Paper.FEE_RECEIPT)

    @property
    def reprint(self) -> bool:
        """The first paper (the slip when there is one) is a reprint."""
        return self.copies[0].reprint

    @property
    def print_count(self) -> int:
        return self.copies[0].number


def status_since(desk: Desk, dossier: Dossier) -> dt.datetime | None:
    """When a dossier that is no longer waiting reached its state (None while it waits)."""
    if dossier.status not in ENDED_STATES:
        return None
    # A dossier resolved on the spot was recorded as returned by reception itself.
    return dossier.last_change_at or dossier.finished_at or dossier.received_at


def prepare_printout(desk: Desk, code: str, *, slip: bool = True, fee_receipt: bool = True) -> Printout:
    """Render the committed dossier's papers; nothing is recorded (see ``record_printed``).

    ``slip=False`` leaves out the appointment slip (a dossier resolved on the spot needs none,
    but the citizen who paid still gets the biên lai); the fee receipt exists only when a fee was
    collected. A paper printed before comes out marked "BẢN IN LẠI".
    """
    desk.require(Permission.RECEPTION)
    dossier = desk.dossier(code)
    profile = desk.profile()
    now = desk.clock()
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    key = papers.qr_key(desk.store)
    copies = []
    if slip:
        count = papers.print_count(desk.store, dossier_id, Paper.RECEIPT)
        recorded = steps(desk.store, dossier_id)
        supplement = latest(recorded, Action.RECEIVE_SUPPLEMENT)
        request = latest(recorded, Action.REQUEST_SUPPLEMENT)  # its due_before: the first slip's appointment
        pdf = render_receipt(dossier, profile, issued_at=now, qr_key=key, reprint=count > 0,
                             status_since=status_since(desk, dossier),
                             supplemented_at=desk.localise(supplement.at) if supplement else None,
                             replaced_due=desk.localise(request.due_before) if request and request.due_before
                             else None)
        copies.append(PaperCopy(Paper.RECEIPT, pdf, count > 0, count + 1))
    fee = papers.fee_record(desk.store, dossier_id)
    if fee_receipt and dossier.fee_vnd > 0 and fee is not None and fee.receipt is not None:
        count = papers.print_count(desk.store, dossier_id, Paper.FEE_RECEIPT)
        pdf = render_fee_receipt(dossier, profile, receipt=fee.receipt, paid_at=desk.localise(fee.collected_at),
                                 printed_at=now, qr_key=key, reprint=count > 0)
        copies.append(PaperCopy(Paper.FEE_RECEIPT, pdf, count > 0, count + 1))
    if not copies:
        raise DomainError("nothing_to_print", f"Hồ sơ {dossier.code} không có phí nên không có biên lai để in.")
    return Printout(dossier.code, dossier_id, tuple(copies))


def record_printed(desk: Desk, printout: Printout, delivered: Iterable[Paper], *, via: str) -> dict[Paper, int]:
    """Count the ``delivered`` papers of ``printout`` as printed, with one audit entry each
    ("dossier.print" or "dossier.reprint", as the paper is marked); returns their print numbers."""
    wanted = set(delivered)
    now = desk.clock()
    numbers = {}
    with desk.store.transaction():
        for copy in printout.copies:
            if copy.paper not in wanted:
                continue
            number = papers.count_print(desk.store, printout.dossier_id, copy.paper)
            numbers[copy.paper] = number
            desk.audit("dossier.reprint" if copy.reprint else "dossier.print", "dossier", printout.code,
                       {"paper": copy.paper.value, "print_no": number, "via": via}, now)
    return numbers


def paper_path(printout: Printout, paper: Paper, receipt_path: Path) -> Path:
    """The slip (or any paper printed alone) goes to ``receipt_path``, the fee receipt beside it
    (``…-bien-lai.pdf``)."""
    if paper is not Paper.FEE_RECEIPT:
        return receipt_path
    return receipt_path.with_name(receipt_path.stem + FEE_FILE_SUFFIX + ".pdf")


@dataclass(frozen=True)
class Delivery:
    """Where each paper went: a file, a spooler job, and its print number once counted."""

    files: dict[Paper, Path]
    jobs: dict[Paper, spooler.SpoolJob]
    numbers: dict[Paper, int]


def deliver(
    desk: Desk,
    printout: Printout,
    *,
    receipt_path: Path | None = None,
    to_printer: bool = False,
    printer: str | None = None,
    spool: Spool = spooler.spool,
) -> Delivery:
    """Write each paper to a PDF file (when ``receipt_path`` is given; see ``paper_path``) and/or
    send it to ``printer`` (None: the system default) as its own job.

    Each paper is counted once, as soon as it reached a file (whole, on disk) or a spooler that
    accepted it. A failure raises (OSError, SpoolError) after counting what was delivered before.
    """
    delivery = Delivery({}, {}, {})
    for copy in printout.copies:
        via = []
        try:
            if receipt_path is not None:
                path = paper_path(printout, copy.paper, receipt_path)
                write_whole(path, copy.pdf)
                delivery.files[copy.paper] = path
                via.append(f"pdf:{path}")
            if to_printer:
                job = spool(copy.pdf, printer=printer, title=f"{printout.code}-{_JOB_NAMES[copy.paper]}")
                delivery.jobs[copy.paper] = job
                via.append(f"printer:{job.printer} {job.job_id}".strip())
        finally:
            if via:
                numbers = record_printed(desk, printout, [copy.paper], via="; ".join(via))
                delivery.numbers.update(numbers)
    return delivery


def write_whole(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename: a full disk leaves no half PDF under the name."""
    write_durably(path, data, mode=0o644)
