"""What the period report reads: the facts of the dossiers a period can count, and its guidance slips.

Only the dossiers a period can count are read, each set through an index (migration 0015):

- *active*: received in the period (``received_at``), or received before it and changed since
  it began (``last_change_at, received_at``): with their whole status history, in order
  (``status_history(dossier_id, id)``);
- *quiet*: received before the period, open, unchanged since before it began (the covering
  ``dossiers_state``: their rows are not read). Most dossiers carried over are these, and the
  rules need only their last step and how often they were sent back for a supplement (a partial
  index of those steps), so their history is not read either; the period report takes them in
  groups the rules count alike (``quiet_groups``).

Anything else was closed before the period began and cannot count in it. Times compare as stored
strings: every stored time carries the desk's one offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk_app.domain.dossier import Status
from desk_app.domain.statistics import PAUSED, DossierFacts, Step
from desk_app.store.migrations import RATING_LABEL, RETURN_STEP, SENT_BACK_STEP
from desk_app.store.store import Store

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)

_ACTIVE = """
    SELECT id FROM dossiers WHERE received_at >= ? AND received_at < ?
    UNION SELECT id FROM dossiers WHERE last_change_at >= ? AND received_at < ?
"""
# The active dossiers with their histories. "id IN (…)": the dossiers are visited in id order and
# each history in its covering index's order (0017), so the ORDER BY needs no sort (joining the
# same set as a table sorted some 40,000 rows a month).
_HISTORIES = f"""
    SELECT d.id, d.received_at, d.channel, d.procedure_code, d.procedure_name, st.at, st.status, st.due_at
    FROM dossiers d JOIN status_history st ON st.dossier_id = d.id
    WHERE d.id IN ({_ACTIVE})
    ORDER BY d.id, st.id
"""
# Times the dossier was sent back for a supplement, counted in the partial index of those steps.
_SENT_BACK = f"(SELECT count(*) FROM status_history s WHERE s.dossier_id = d.id AND {SENT_BACK_STEP})"


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _catalogue(store: Store) -> dict[str, tuple[str, str]]:
    """Procedure code → (name, field), read once: a join per row cost more than the whole Python side."""
    return {code: (name, field) for code, name, field in store.db.execute("SELECT code, name, field FROM procedures")}


def dossier_facts(store: Store, start: dt.datetime, end: dt.datetime, *, quiet: bool = True) -> list[DossierFacts]:
    """The facts of every dossier that may count in [start, end): received in it, or received
    before and not closed before ``start``. ``start`` and ``end`` are in the desk's offset.

    ``quiet=False`` leaves out the dossiers unchanged since before ``start``: enough for figures
    of what happened in the period (received, resolved, returned), not for those carried over."""
    s, e = _stamp(start), _stamp(end)
    catalogue = _catalogue(store)
    rows = store.db.execute(_HISTORIES, [s, e, s, s])
    found = _group(rows, catalogue, ratings(store, s, e))
    if not quiet:
        return found
    # Read from the covering index dossiers_state alone: their rows are not visited (so the name is
    # the catalogue's, not the one kept on the dossier).
    unchanged = store.db.execute(
        f"""SELECT d.received_at, d.channel, d.procedure_code, d.last_change_at, d.status, d.due_at, {_SENT_BACK}
            FROM dossiers d
            WHERE d.status IN ({", ".join("?" for _ in OPEN_STATUSES)}) AND d.last_change_at < ?
              AND d.received_at < ?""",
        [*OPEN_STATUSES, s, s],
    )
    parse = dt.datetime.fromisoformat
    for received_at, channel, code, changed, status, due_at, sent_back in unchanged:
        name, field = catalogue.get(code, ("", ""))
        last = Step(parse(changed), status, parse(due_at))
        # The last step is itself the latest request when the dossier is waiting for a supplement.
        earlier = max(0, sent_back - (1 if status == PAUSED else 0))
        found.append(DossierFacts(parse(received_at), channel, code, name, field, (last,), None, earlier))
    return found


def quiet_groups(store: Store, start: dt.datetime, judged_at: dt.datetime) -> list[tuple[DossierFacts, int]]:
    """The dossiers quiet since before ``start`` (received before it, open, unchanged since), in
    groups that the rules count alike, each once with how many it stands for.

    For such a dossier the rules read only its channel and procedure, whether it waits for a
    supplement, whether its appointment passed before ``judged_at`` and whether it was sent back
    more than once (statistics.outcome's first branch), so SQL groups them by exactly that and
    gives one representative each: a million-dossier desk carries some forty thousand over into
    every month, in a few hundred groups. Times compare as text: one offset (see above)."""
    s = _stamp(start)
    catalogue = _catalogue(store)
    rows = store.db.execute(
        f"""SELECT d.procedure_code, d.channel, d.status, d.due_at < ? AS overdue, min({_SENT_BACK}, 2) AS sent_back,
                   count(*), max(d.received_at), max(d.last_change_at), max(d.due_at)
            FROM dossiers d
            WHERE d.status IN ({", ".join("?" for _ in OPEN_STATUSES)}) AND d.last_change_at < ? AND d.received_at < ?
            GROUP BY 1, 2, 3, 4, 5""",
        [_stamp(judged_at), *OPEN_STATUSES, s, s],
    )
    parse = dt.datetime.fromisoformat
    found = []
    for code, channel, status, _, sent_back, times, received_at, changed, due_at in rows:
        name, field = catalogue.get(code, ("", ""))
        earlier = max(0, sent_back - (1 if status == PAUSED else 0))
        last = Step(parse(changed), status, parse(due_at))
        found.append((DossierFacts(parse(received_at), channel, code, name, field, (last,), None, earlier), times))
    return found


def ratings(store: Store, start: str, end: str) -> dict[int, str]:
    """Dossier id → the citizen's rating (its words) given when the result was handed back in
    [start, end): the rating in the return step's hand-over (store.lifecycle), through the partial
    index of return steps (migration 0017). A dossier quiet since before the period has none."""
    rows = store.db.execute(
        f"SELECT dossier_id, {RATING_LABEL} FROM dossier_steps WHERE {RETURN_STEP} AND at >= ? AND at < ? "
        f"AND {RATING_LABEL} IS NOT NULL", [start, end])
    return {int(dossier_id): str(label) for dossier_id, label in rows if label}


def _group(rows: Any, catalogue: dict[str, tuple[str, str]], rated: dict[int, str]) -> list[DossierFacts]:
    """Rows of (dossier…, step…) in dossier order → one DossierFacts per dossier."""
    parse = dt.datetime.fromisoformat
    found: list[DossierFacts] = []
    current: int | None = None
    head: tuple[Any, ...] = ()
    steps: list[Step] = []
    due_text, due = "", dt.datetime.min
    for dossier_id, received_at, channel, code, name, at, status, due_at in rows:
        if dossier_id != current:
            if current is not None:
                found.append(_facts(head, steps))
            field = catalogue.get(code, ("", ""))[1]
            current, head, steps = dossier_id, (received_at, channel, code, name, field, rated.get(dossier_id)), []
        if due_at != due_text:  # most steps keep the appointment of the one before: parsed once
            due_text, due = due_at, parse(due_at)
        steps.append(Step(parse(at), status, due))
    if current is not None:
        found.append(_facts(head, steps))
    return found


def _facts(head: tuple[Any, ...], steps: list[Step]) -> DossierFacts:
    received_at, channel, code, name, field, rating = head
    return DossierFacts(dt.datetime.fromisoformat(received_at), channel, code, name, field, tuple(steps), rating)


def guidance_issued(store: Store, start: dt.datetime, end: dt.datetime) -> int:
    """Supplement requests (Mẫu 02) given at the counter in [start, end), no dossier registered."""
    row = store.db.execute("SELECT count(*) FROM guidance_slips WHERE issued_at >= ? AND issued_at < ?",
                           [_stamp(start), _stamp(end)]).fetchone()
    return int(row[0])
