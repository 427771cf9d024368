"""A dossier's fee and the printings of its papers: receipt numbers per series, print counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.fee_receipts import FeeReceiptBook, FeeReceiptNo, next_number
from desk_app.domain.papers import Paper
from desk_app.store.migrations import QR_KEY_SETTING
from desk_app.store.store import Store

_PRINT_COLUMNS = {Paper.RECEIPT: "receipt_prints", Paper.FEE_RECEIPT: "fee_receipt_prints"}


@dataclass(frozen=True)
class FeeRecord:
    """The fee collected with a dossier: the amount, its receipt number and when it was paid."""

    amount: int
    detail: str
    receipt: FeeReceiptNo | None
    collected_at: dt.datetime


def take_fee_receipt_no(store: Store, book: FeeReceiptBook) -> FeeReceiptNo:
    """Reserve the next number of the book's series. Call inside the transaction that records the
    fee: a rolled-back reception gives its number back, a committed one never reuses it."""
    row = store.db.execute(
        "SELECT last_no FROM fee_receipt_counters WHERE form_no = ? AND series = ?", [book.form_no, book.series]
    ).fetchone()
    number = next_number(row[0] if row else None, book)
    store.db.execute(
        "INSERT INTO fee_receipt_counters(form_no, series, last_no) VALUES (?, ?, ?) "
        "ON CONFLICT(form_no, series) DO UPDATE SET last_no = excluded.last_no",
        [book.form_no, book.series, number],
    )
    return FeeReceiptNo(book.form_no, book.series, number)


def add_fee(
    store: Store, dossier_id: int, *, amount: int, detail: str, receipt: FeeReceiptNo | None, at: dt.datetime
) -> None:
    store.db.execute(
        "INSERT INTO fees(dossier_id, amount_vnd, detail, receipt_no, form_no, series, number, collected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dossier_id, amount, detail, receipt.number_text if receipt else None,
            receipt.form_no if receipt else None, receipt.series if receipt else None,
            receipt.number if receipt else None, at.isoformat(timespec="seconds"),
        ],
    )


def fee_record(store: Store, dossier_id: int) -> FeeRecord | None:
    row = store.db.execute(
        "SELECT amount_vnd, detail, receipt_no, form_no, series, number, collected_at FROM fees "
        "WHERE dossier_id = ? ORDER BY id LIMIT 1",
        [dossier_id],
    ).fetchone()
    if row is None:
        return None
    amount, detail, receipt_no, form_no, series, number, collected_at = row
    receipt = None
    if number is not None:
        receipt = FeeReceiptNo(form_no, series, number)
    elif receipt_no:
        receipt = FeeReceiptNo("", "", None, legacy=receipt_no)
    return FeeRecord(amount, detail, receipt, dt.datetime.fromisoformat(collected_at))


def print_count(store: Store, dossier_id: int, paper: Paper) -> int:
    """How many times ``paper`` of the dossier has been printed (delivered, not just rendered)."""
    column = _PRINT_COLUMNS.get(paper)
    if column is None:
        row = store.db.execute("SELECT count FROM paper_prints WHERE dossier_id = ? AND paper = ?",
                               [dossier_id, paper.value]).fetchone()
        return int(row[0]) if row else 0
    row = store.db.execute(f"SELECT {column} FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    return int(row[0])


def count_print(store: Store, dossier_id: int, paper: Paper) -> int:
    """Record one more printing of ``paper``; returns its number (1 = the original)."""
    column = _PRINT_COLUMNS.get(paper)
    if column is None:
        store.db.execute(
            "INSERT INTO paper_prints(dossier_id, paper, count) VALUES (?, ?, 1) "
            "ON CONFLICT(dossier_id, paper) DO UPDATE SET count = count + 1",
            [dossier_id, paper.value],
        )
    else:
        store.db.execute(f"UPDATE dossiers SET {column} = {column} + 1 WHERE id = ?", [dossier_id])
    return print_count(store, dossier_id, paper)


def restart_prints(store: Store, dossier_id: int, paper: Paper) -> None:
    """The paper is issued anew (a new slip after a supplement, a new step's paper): its next
    printing is an original again. Earlier printings stay in the audit."""
    column = _PRINT_COLUMNS.get(paper)
    if column is None:
        store.db.execute("DELETE FROM paper_prints WHERE dossier_id = ? AND paper = ?", [dossier_id, paper.value])
    else:
        store.db.execute(f"UPDATE dossiers SET {column} = 0 WHERE id = ?", [dossier_id])


def qr_key(store: Store) -> bytes:
    """The desk's key for QR check values (made once by migration 0006)."""
    value = store.settings.get(QR_KEY_SETTING)
    if not isinstance(value, str) or not value:
        raise LookupError("the QR key is missing: the database was not migrated")
    return bytes.fromhex(value)
