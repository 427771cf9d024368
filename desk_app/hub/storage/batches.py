"""SQL for applying a batch: a few set-wise reads per batch, then executemany writes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from desk_app.domain.dossier import Status
from desk_app.domain.events import Event, canonical_json
from desk_app.hub.rules import RECEIVED, STATUS_CHANGED, utc_iso
from desk_app.hub.storage import reports, scans
from desk_app.hub.storage.database import Tx, placeholders


@dataclass(frozen=True)
class Known:
    """An event the hub already holds (applied or held)."""

    event_uuid: str
    desk_uuid: str
    epoch: str
    seq: int
    payload_hash: str


@dataclass(frozen=True)
class PriorRejection:
    payload_hash: str
    seq: int
    code: str
    reason: str


def lock_stream(tx: Tx, desk_uuid: str, epoch: str, first_seq: int) -> tuple[int, int]:
    """(first_seq, through_seq) of the stream, its row locked until commit on PostgreSQL, so two
    hub processes handed the same desk's batches apply them one after the other."""
    tx.execute("INSERT INTO streams (desk_uuid, epoch, first_seq, through_seq) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (desk_uuid, epoch) DO NOTHING", (desk_uuid, epoch, first_seq, first_seq - 1))
    rows = tx.query(f"SELECT first_seq, through_seq FROM streams WHERE desk_uuid = ? AND epoch = ? {tx.for_update}",
                    (desk_uuid, epoch))
    return int(rows[0][0]), int(rows[0][1])


def set_stream(tx: Tx, desk_uuid: str, epoch: str, through_seq: int) -> None:
    tx.execute("UPDATE streams SET through_seq = ? WHERE desk_uuid = ? AND epoch = ?", (through_seq, desk_uuid, epoch))


def applied_events(tx: Tx, desk_uuid: str, epoch: str, uuids: Sequence[str], lo: int, hi: int) -> list[Known]:
    """Events already applied that share a uuid with the batch, or a seq in its range."""
    sql = ("SELECT event_uuid, desk_uuid, epoch, seq, payload_hash FROM events WHERE event_uuid IN ({}) "
           "UNION ALL SELECT event_uuid, desk_uuid, epoch, seq, payload_hash FROM events "
           "WHERE desk_uuid = ? AND epoch = ? AND seq BETWEEN ? AND ?").format(placeholders(len(uuids)))
    return [Known(*row) for row in tx.query(sql, [*uuids, desk_uuid, epoch, lo, hi])]


def held_events(tx: Tx, desk_uuid: str, epoch: str, uuids: Sequence[str]) -> tuple[list[Known], dict[str, str]]:
    """Held events of this stream (with their JSON, to release them) and any held elsewhere under
    the batch's uuids."""
    sql = ("SELECT event_uuid, desk_uuid, epoch, seq, payload_hash, event FROM held_events "
           "WHERE (desk_uuid = ? AND epoch = ?) OR event_uuid IN ({})").format(placeholders(len(uuids)))
    rows = tx.query(sql, [desk_uuid, epoch, *uuids])
    return [Known(*row[:5]) for row in rows], {row[0]: row[5] for row in rows}


def prior_rejections(tx: Tx, uuids: Sequence[str]) -> dict[str, PriorRejection]:
    sql = "SELECT event_uuid, payload_hash, seq, code, reason FROM rejections WHERE event_uuid IN ({})"
    return {row[0]: PriorRejection(row[1], int(row[2]), row[3], row[4])
            for row in tx.query(sql.format(placeholders(len(uuids))), list(uuids))}


def dossier_units(tx: Tx, uuids: Sequence[str]) -> dict[str, str]:
    if not uuids:
        return {}
    sql = "SELECT uuid, unit_code FROM dossiers WHERE uuid IN ({})".format(placeholders(len(uuids)))
    return {row[0]: row[1] for row in tx.query(sql, list(uuids))}


def insert_events(tx: Tx, events: Sequence[Event], payloads: Sequence[str], received_at: str) -> None:
    tx.executemany(
        "INSERT INTO events (event_uuid, desk_uuid, epoch, seq, schema_version, unit_code, entity, kind, entity_id, "
        "payload, payload_hash, business_time, device_time, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(e.event_uuid, e.desk_uuid, e.epoch, e.seq, e.schema, e.unit_code, e.entity, e.kind, e.entity_id,
          payload, e.payload_hash, e.business_time, e.device_time, received_at) for e, payload in zip(events, payloads)])


def project(tx: Tx, events: Sequence[Event], now: str, known: Collection[str]) -> None:
    """Bring the dossier projection up to date: receptions first, then status changes in order;
    each leaves its step for the reports (hub.storage.reports).

    ``known``: dossiers already in the projection. The first reception of a dossier makes its
    row; a repeated one changes nothing. Filtering here rather than ``ON CONFLICT DO NOTHING``
    lets PostgreSQL write the rows with COPY (a dossier inserted meanwhile by another hub
    process fails the transaction, which is then run again and sees it)."""
    received = []
    changes = []
    steps: list[reports.StepRow] = []
    ratings: list[reports.RatingRow] = []
    slips: list[reports.GuidanceRow] = []
    seen = set(known)
    for e in events:
        p = e.payload
        if e.kind == RECEIVED and e.entity_id not in seen:
            seen.add(e.entity_id)
            finished = utc_iso(p["finished_at"]) if p.get("finished_at") else None
            at, promised = utc_iso(p["received_at"]), utc_iso(p["due_at"])
            received.append((e.entity_id, p["code"], e.unit_code, e.desk_uuid, p["procedure_code"], p["status"],
                             p["received_at"], promised, finished, now, p.get("channel") or "direct",
                             p.get("procedure_name") or "", at, at, scans.papers_of(p)))
            steps.append((e.event_uuid, e.entity_id, at, None, p["status"], promised))
        elif e.kind == STATUS_CHANGED:
            still_open = 1 if Status(p["to"]).is_open else 0
            due = utc_iso(p["due_at"]) if p.get("due_at") else None
            at = utc_iso(p["at"])
            changes.append((p["to"], still_open, at, due, now, at, e.entity_id))
            steps.append((e.event_uuid, e.entity_id, at, p.get("from"), p["to"], due))
            if (label := reports.rating_of(p)) is not None:
                ratings.append((e.entity_id, label))
        elif e.kind == reports.GUIDANCE_ISSUED and (slip := reports.guidance_row(e.entity_id, e.unit_code, p)):
            slips.append(slip)
    tx.executemany(
        "INSERT INTO dossiers (uuid, code, unit_code, desk_uuid, procedure_code, status, received_at, due_at_utc, "
        "finished_at_utc, updated_at, channel, procedure_name, received_utc, last_change_utc, papers) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", received)
    tx.executemany(
        "UPDATE dossiers SET status = ?, "
        "finished_at_utc = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(finished_at_utc, ?) END, "
        "due_at_utc = COALESCE(?, due_at_utc), updated_at = ?, last_change_utc = ? WHERE uuid = ?", changes)
    reports.record_steps(tx, steps)
    reports.record_ratings_and_guidance(tx, ratings, slips)
    scans.project(tx, events)


def hold(tx: Tx, events: Iterable[Event], received_at: str) -> None:
    tx.executemany(
        "INSERT INTO held_events (event_uuid, desk_uuid, epoch, seq, payload_hash, event, received_at) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT (event_uuid) DO NOTHING",
        [(e.event_uuid, e.desk_uuid, e.epoch, e.seq, e.payload_hash, canonical_json(e.to_dict()).decode(),
          received_at) for e in events])


def release(tx: Tx, uuids: Sequence[str]) -> None:
    tx.executemany("DELETE FROM held_events WHERE event_uuid = ?", [(u,) for u in uuids])


def record_rejections(tx: Tx, rejected: Sequence[tuple[Event, str, str]], received_at: str) -> None:
    """Keep each rejected event whole, once per (uuid, content, reason)."""
    tx.executemany(
        "INSERT INTO rejections (event_uuid, desk_uuid, epoch, seq, code, reason, payload_hash, event, received_at) "
        "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (event_uuid, payload_hash, code) DO NOTHING",
        [(e.event_uuid, e.desk_uuid, e.epoch, e.seq, code, reason, e.payload_hash,
          canonical_json(e.to_dict()).decode(), received_at) for e, code, reason in rejected])


def touch_desk(tx: Tx, desk_uuid: str, now: str) -> None:
    """The desk's last batch (the dashboard's "last sync")."""
    tx.execute("UPDATE desks SET last_seen = ?, last_push = ? WHERE desk_uuid = ?", (now, now, desk_uuid))
