"""SQL of the hub's reports: each dossier's status steps (written as events are applied), and the
facts the period report counts, read the same way as on a desk (desk_app.store.reports).

``dossier_steps`` holds one row per applied reception or status change (keyed by its event, so
applying again adds nothing) and per decision taken on the hub. Times are UTC text; a step's
``due_at_utc`` is NULL when the change left the appointment as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from desk_app.domain.dossier import Status
from desk_app.domain.statistics import PAUSED, DossierFacts, Step
from desk_app.domain.events import Kind
from desk_app.hub.rules import RECEIVED, STATUS_CHANGED, utc_iso
from desk_app.hub.storage.database import Tx, placeholders

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)
# step key, dossier uuid, at (UTC), status before (None: the reception), status, due (UTC) or None (unchanged)
StepRow = tuple[str, str, str, str | None, str, str | None]
# A step that sent the dossier back for a supplement (not a change of appointment while waiting).
SENT_BACK_STEP = "status = 'supplement_requested' AND from_status IS DISTINCT FROM 'supplement_requested'"
BACKFILL_BATCH = 5000


def record_steps(tx: Tx, steps: Sequence[StepRow]) -> None:
    tx.executemany("INSERT INTO dossier_steps (step_key, uuid, at_utc, from_status, status, due_at_utc) "
                   "VALUES (?,?,?,?,?,?) ON CONFLICT (step_key) DO NOTHING", steps)


GUIDANCE_ISSUED = Kind.GUIDANCE_ISSUED.value
# dossier uuid, rating (its words); guidance slip uuid, unit code, issued at (UTC)
RatingRow = tuple[str, str]
GuidanceRow = tuple[str, str, str]


def rating_of(payload: dict[str, Any]) -> str | None:
    """The citizen's rating a return step's event carries (its hand-over's words), or None.
    Desks before ratings, and returns without one, send none."""
    detail = payload.get("detail")
    handover = detail.get("handover") if isinstance(detail, dict) else None
    rating = handover.get("rating") if isinstance(handover, dict) else None
    label = rating.get("label") if isinstance(rating, dict) else None
    return label if isinstance(label, str) and label else None


def guidance_row(event_entity: str, unit_code: str, payload: dict[str, Any]) -> GuidanceRow | None:
    """The slip a guidance event records, or None when its time cannot be read (the event is kept)."""
    try:
        return (str(payload.get("uuid") or event_entity), unit_code, utc_iso(payload.get("issued_at")))
    except ValueError:
        return None


def record_ratings_and_guidance(tx: Tx, ratings: Sequence[RatingRow], slips: Sequence[GuidanceRow]) -> None:
    tx.executemany("UPDATE dossiers SET rating = ? WHERE uuid = ?", [(label, uuid) for uuid, label in ratings])
    tx.executemany("INSERT INTO guidance_slips (uuid, unit_code, issued_utc) VALUES (?,?,?) "
                   "ON CONFLICT (uuid) DO NOTHING", slips)


def backfill_ratings_and_guidance(tx: Tx) -> None:
    """Migration 0003: the ratings and guidance slips of events applied before the hub kept them."""
    after: tuple[str, str, int] = ("", "", -1)
    while True:
        rows = tx.query(
            "SELECT desk_uuid, epoch, seq, kind, entity_id, unit_code, payload FROM events "
            "WHERE kind IN (?, ?) AND (desk_uuid > ? OR (desk_uuid = ? AND (epoch > ? OR (epoch = ? AND seq > ?)))) "
            "ORDER BY desk_uuid, epoch, seq LIMIT ?",
            (STATUS_CHANGED, GUIDANCE_ISSUED, after[0], after[0], after[1], after[1], after[2], BACKFILL_BATCH))
        if not rows:
            break
        ratings: list[RatingRow] = []
        slips: list[GuidanceRow] = []
        for desk_uuid, epoch, seq, kind, entity_id, unit_code, payload in rows:
            p = json.loads(payload)
            if kind == GUIDANCE_ISSUED:
                slip = guidance_row(entity_id, unit_code, p)
                if slip is not None:
                    slips.append(slip)
            elif (label := rating_of(p)) is not None:
                ratings.append((entity_id, label))
            after = (desk_uuid, epoch, int(seq))
        record_ratings_and_guidance(tx, ratings, slips)


def guidance_issued(tx: Tx, start: dt.datetime, end: dt.datetime, unit_code: str | None = None) -> int:
    """Guidance slips (Mẫu 02 at the counter, no dossier registered) issued in [start, end)."""
    unit = " AND unit_code = ?" if unit_code else ""
    rows = tx.query(f"SELECT count(*) FROM guidance_slips WHERE issued_utc >= ? AND issued_utc < ?{unit}",
                    [utc_iso(start.isoformat()), utc_iso(end.isoformat()), *([unit_code] if unit_code else [])])
    return int(rows[0][0])


def backfill(tx: Tx) -> None:
    """Migration 0002: the steps, channel, procedure name and UTC times of dossiers applied before
    reports existed, from the events the hub keeps (in each desk stream's order) and its decisions."""
    after: tuple[str, str, int] = ("", "", -1)
    kinds = (RECEIVED, STATUS_CHANGED)
    while True:
        rows = tx.query(
            "SELECT desk_uuid, epoch, seq, event_uuid, kind, entity_id, payload FROM events "
            "WHERE kind IN (?, ?) AND (desk_uuid > ? OR (desk_uuid = ? AND (epoch > ? OR (epoch = ? AND seq > ?)))) "
            "ORDER BY desk_uuid, epoch, seq LIMIT ?",
            (*kinds, after[0], after[0], after[1], after[1], after[2], BACKFILL_BATCH))
        if not rows:
            break
        steps: list[StepRow] = []
        received: list[tuple[Any, ...]] = []
        for desk_uuid, epoch, seq, event_uuid, kind, entity_id, payload in rows:
            p = json.loads(payload)
            if kind == RECEIVED:
                at = utc_iso(p["received_at"])
                steps.append((event_uuid, entity_id, at, None, p["status"], utc_iso(p["due_at"])))
                received.append((p.get("channel") or "direct", p.get("procedure_name") or "", at, entity_id))
            else:
                due = utc_iso(p["due_at"]) if p.get("due_at") else None
                steps.append((event_uuid, entity_id, utc_iso(p["at"]), p.get("from"), p["to"], due))
            after = (desk_uuid, epoch, int(seq))
        record_steps(tx, steps)
        tx.executemany("UPDATE dossiers SET channel = ?, procedure_name = ?, received_utc = ? WHERE uuid = ?", received)
    decisions = tx.query("SELECT hub_seq, entity_id, payload FROM change_log WHERE kind = 'dossier.decided' "
                         "ORDER BY hub_seq")
    # A decision is taken on an open dossier; which open status it left is not kept (not a supplement).
    record_steps(tx, [(f"decided:{seq}", uuid, utc_iso(json.loads(p)["decided_at"]), None, json.loads(p)["status"],
                       None) for seq, uuid, p in decisions])
    tx.execute("UPDATE dossiers SET last_change_utc = (SELECT max(at_utc) FROM dossier_steps s "
               "WHERE s.uuid = dossiers.uuid)")


def _active(unit: str) -> str:
    """Dossiers received in the period, or before it and changed since it began (as on a desk)."""
    return (f"SELECT uuid FROM dossiers WHERE received_utc >= ? AND received_utc < ?{unit} "
            f"UNION SELECT uuid FROM dossiers WHERE last_change_utc >= ? AND received_utc < ?{unit}")


# Times the dossier was sent back for a supplement, counted in the partial index of those steps.
_SENT_BACK = f"(SELECT count(*) FROM dossier_steps s WHERE s.uuid = d.uuid AND {SENT_BACK_STEP})"


def dossier_facts(tx: Tx, start: dt.datetime, end: dt.datetime, unit_code: str | None = None,
                  fields: dict[str, str] | None = None) -> list[tuple[str, DossierFacts]]:
    """(unit code, facts) of every dossier that may count in [start, end), of one commune or all.
    ``fields`` maps procedure codes to their field (the hub has no catalogue table of its own).

    As on a desk (desk_app.store.reports): the active dossiers with their whole history, the
    quiet ones (open, unchanged since before the period) with their last step only."""
    s, e = utc_iso(start.isoformat()), utc_iso(end.isoformat())
    unit = " AND unit_code = ?" if unit_code else ""
    u = [unit_code] if unit_code else []
    known = fields or {}
    parse = dt.datetime.fromisoformat
    rows = tx.query(
        f"WITH active(uuid) AS ({_active(unit)}) "
        "SELECT d.uuid, d.unit_code, d.received_utc, d.channel, d.procedure_code, d.procedure_name, d.rating, "
        "st.at_utc, st.status, st.due_at_utc "
        "FROM active JOIN dossiers d ON d.uuid = active.uuid JOIN dossier_steps st ON st.uuid = d.uuid "
        "ORDER BY d.uuid, st.at_utc, st.id", [s, e, *u, s, s, *u])
    found: list[tuple[str, DossierFacts]] = []
    current: str | None = None
    head: tuple[Any, ...] = ()
    steps: list[Step] = []

    def close() -> None:
        unit_code, received, channel, code, name, rating = head
        found.append((unit_code, DossierFacts(parse(received), channel, code, name, known.get(code, ""),
                                              tuple(steps), rating)))

    for uuid, unit_of, received, channel, code, name, rating, at, status, due in rows:
        if uuid != current:
            if current is not None:
                close()
            current, head, steps = uuid, (unit_of, received, channel, code, name, rating), []
        # A change that kept the appointment carries the one in force before it.
        due_at = parse(due) if due else (steps[-1].due_at if steps else parse(at))
        steps.append(Step(parse(at), status, due_at))
    if current is not None:
        close()
    quiet = tx.query(
        "SELECT d.unit_code, d.received_utc, d.channel, d.procedure_code, d.procedure_name, d.last_change_utc, "
        f"d.status, d.due_at_utc, {_SENT_BACK} FROM dossiers d "
        f"WHERE d.status IN ({placeholders(len(OPEN_STATUSES))}) AND d.received_utc < ? "
        f"AND d.last_change_utc < ?{unit.replace('unit_code', 'd.unit_code')}", [*OPEN_STATUSES, s, s, *u])
    for unit_of, received, channel, code, name, changed, status, due, sent_back in quiet:
        earlier = max(0, int(sent_back) - (1 if status == PAUSED else 0))
        found.append((unit_of, DossierFacts(parse(received), channel, code, name, known.get(code, ""),
                                            (Step(parse(changed), status, parse(due)),), None, earlier)))
    return found


def published_fields(tx: Tx) -> dict[str, str]:
    """Procedure code → field, from the latest catalogue the hub published (empty when none)."""
    rows = tx.query("SELECT payload FROM change_log WHERE kind = 'catalogue.updated' ORDER BY hub_seq DESC LIMIT 1")
    if not rows:
        return {}
    procedures = json.loads(rows[0][0]).get("procedures", [])
    return {p["code"]: p.get("field", "") for p in procedures if isinstance(p, dict) and "code" in p}


def units(tx: Tx) -> list[str]:
    """Every commune the hub knows: enrolled desks and dossiers."""
    rows = tx.query("SELECT unit_code FROM desks UNION SELECT unit_code FROM dossiers")
    return sorted(row[0] for row in rows)
