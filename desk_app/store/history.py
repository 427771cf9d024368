"""A dossier's record beyond its row: the fee collected and what was done with it, in time order."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from desk_app.store.store import Store


@dataclass(frozen=True)
class HistoryEntry:
    """One audited step on a dossier (received, printed, moved along, viewed …)."""

    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]


def dossier_history(store: Store, code: str) -> list[HistoryEntry]:
    """The audit entries of dossier ``code`` in the order they were written.

    Not by time: a back-dated step carries its business time while others carry the device
    time; the writing order is the true sequence.
    """
    rows = store.db.execute(
        "SELECT at, actor, action, detail FROM audit WHERE entity = 'dossier' AND entity_id = ? ORDER BY id",
        [code],
    )
    entries = []
    for at, actor, action, detail in rows:
        data = json.loads(detail or "{}")
        # The audit is stamped with the device clock; a back-dated step keeps its business time.
        moment = data.get("business_time") or at
        entries.append(HistoryEntry(dt.datetime.fromisoformat(moment), actor, action, data))
    return entries
