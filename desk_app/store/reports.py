"""What the period report reads: the facts of the dossiers a period can count, and its guidance slips.

Fast at a million dossiers because only the dossiers a period can count are read, each through an
index: those received in it (``received_at``), those received before it and open now
(``status, received_at``), and those received before it that changed since it began
(``last_change_at``, migration 0013). Anything else was closed before the period began and
cannot count in it. Their steps come in the same query, in order (``dossier_steps(dossier_id, id)``).
Times compare as stored strings: every stored time carries the desk's one offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk_app.domain.dossier import Status
from desk_app.domain.statistics import DossierFacts, Step
from desk_app.store.store import Store

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)

_SCOPE = f"""
    SELECT id FROM dossiers WHERE received_at >= ? AND received_at < ?
    UNION SELECT id FROM dossiers WHERE status IN ({", ".join("?" for _ in OPEN_STATUSES)}) AND received_at < ?
    UNION SELECT id FROM dossiers WHERE last_change_at >= ? AND received_at < ?
"""


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def dossier_facts(store: Store, start: dt.datetime, end: dt.datetime) -> list[DossierFacts]:
    """The facts of every dossier that may count in [start, end): received in it, or received
    before and not closed before ``start``. ``start`` and ``end`` are in the desk's offset."""
    s, e = _stamp(start), _stamp(end)
    rows = store.db.execute(
        f"""WITH scope(id) AS ({_SCOPE})
            SELECT d.id, d.received_at, d.channel, d.procedure_code, d.procedure_name, coalesce(p.field, ''),
                   st.at, st.status, st.due_at
            FROM scope JOIN dossiers d ON d.id = scope.id
            LEFT JOIN procedures p ON p.code = d.procedure_code
            JOIN dossier_steps st ON st.dossier_id = d.id
            ORDER BY d.id, st.id""",
        [s, e, *OPEN_STATUSES, s, s, s],
    )
    return list(_group(rows))


def _group(rows: Any) -> list[DossierFacts]:
    """Rows of (dossier…, step…) in dossier order → one DossierFacts per dossier."""
    parse = dt.datetime.fromisoformat
    found: list[DossierFacts] = []
    current: int | None = None
    head: tuple[Any, ...] = ()
    steps: list[Step] = []
    for dossier_id, received_at, channel, code, name, field, at, status, due_at in rows:
        if dossier_id != current:
            if current is not None:
                found.append(_facts(head, steps))
            current, head, steps = dossier_id, (received_at, channel, code, name, field), []
        steps.append(Step(parse(at), status, parse(due_at)))
    if current is not None:
        found.append(_facts(head, steps))
    return found


def _facts(head: tuple[Any, ...], steps: list[Step]) -> DossierFacts:
    received_at, channel, code, name, field = head
    return DossierFacts(dt.datetime.fromisoformat(received_at), channel, code, name, field, tuple(steps))


def guidance_issued(store: Store, start: dt.datetime, end: dt.datetime) -> int:
    """Supplement requests (Mẫu 02) given at the counter in [start, end), no dossier registered."""
    row = store.db.execute("SELECT count(*) FROM guidance_slips WHERE issued_at >= ? AND issued_at < ?",
                           [_stamp(start), _stamp(end)]).fetchone()
    return int(row[0])
