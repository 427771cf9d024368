"""Paper for a committed dossier: the receipt (Mẫu 01) and, when a fee was collected, its fee receipt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desk_app.printing.fee_receipt import render_fee_receipt
from desk_app.printing.receipt import render_receipt
from desk_app.domain.errors import DomainError
from desk_app.services.desk import Desk


@dataclass(frozen=True)
class Printout:
    code: str
    receipt: bytes | None  # None when only the fee receipt was asked for
    fee_receipt: bytes | None
    reprint: bool
    print_count: int


def print_receipt(desk: Desk, code: str, *, slip: bool = True) -> Printout:
    """Render the dossier's paper and record the printing; any print after the first is a reprint.

    Called only for a dossier already on disk, so the paper always refers to a committed record.
    ``slip=False`` renders only the fee receipt: a dossier resolved on the spot needs no
    appointment slip, but the citizen who paid still gets the biên lai.
    """
    dossier = desk.dossier(code)
    profile = desk.profile()
    now = desk.clock()
    dossier_id = desk.store.dossier_id(dossier.code)
    assert dossier_id is not None
    reprint = slip and desk.store.receipt_print_count(dossier_id) > 0
    receipt = render_receipt(dossier, profile, issued_at=now, reprint=reprint) if slip else None
    fee_receipt = None
    receipt_no = desk.store.fee_receipt_no(dossier_id)
    if dossier.fee_vnd > 0 and receipt_no:
        fee_receipt = render_fee_receipt(dossier, profile, issued_at=now, receipt_no=receipt_no)
    # Recorded after rendering succeeded, so a failed render does not turn the next print into a reprint.
    if receipt is None and fee_receipt is None:
        raise DomainError("nothing_to_print", f"Hồ sơ {dossier.code} không có phí nên không có biên lai để in.")
    with desk.store.transaction():
        count = desk.store.count_receipt_print(dossier_id) if slip else desk.store.receipt_print_count(dossier_id)
        action = "dossier.reprint_receipt" if reprint else "dossier.print_receipt" if slip else "dossier.print_fee_receipt"
        desk.store.add_audit(
            actor=desk.actor, action=action, entity="dossier", entity_id=dossier.code,
            detail={"print_count": count}, at=now,
        )
    return Printout(dossier.code, receipt, fee_receipt, reprint, count)


def write_printout(printout: Printout, receipt_path: Path) -> tuple[Path | None, Path | None]:
    """Write the receipt to ``receipt_path`` and the fee receipt beside it (``…-bien-lai.pdf``)."""
    receipt_path.parent.mkdir(parents=True, exist_ok=True)
    if printout.receipt is not None:
        receipt_path.write_bytes(printout.receipt)
    fee_path = None
    if printout.fee_receipt is not None:
        fee_path = receipt_path.with_name(receipt_path.stem + "-bien-lai.pdf")
        fee_path.write_bytes(printout.fee_receipt)
    return (receipt_path if printout.receipt is not None else None), fee_path
