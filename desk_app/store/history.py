"""A dossier's record beyond its row: the fee collected and what was done with it, in time order."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from desk_app.store.store import Store


@dataclass(frozen=True)
class FeeRecord:
    amount_vnd: int
    detail: str
    receipt_no: str | None
    collected_at: dt.datetime


@dataclass(frozen=True)
class HistoryEntry:
    """One audited step on a dossier (received, printed, moved along, viewed …)."""

    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]


def fee_record(store: Store, dossier_id: int) -> FeeRecord | None:
    row = store.db.execute(
        "SELECT amount_vnd, detail, receipt_no, collected_at FROM fees WHERE dossier_id = ? ORDER BY id LIMIT 1",
        [dossier_id],
    ).fetchone()
    if row is None:
        return None
    return FeeRecord(int(row[0]), row[1], row[2], dt.datetime.fromisoformat(row[3]))


def dossier_history(store: Store, code: str) -> list[HistoryEntry]:
    """The audit entries of dossier ``code`` in the order they were written.

    Not by ``at``: a lifecycle step carries its business time (which may be back-dated) while
    the reception carries the device time; the writing order is the true sequence.
    """
    rows = store.db.execute(
        "SELECT at, actor, action, detail FROM audit WHERE entity = 'dossier' AND entity_id = ? ORDER BY id",
        [code],
    )
    return [HistoryEntry(dt.datetime.fromisoformat(at), actor, action, json.loads(detail or "{}"))
            for at, actor, action, detail in rows]
