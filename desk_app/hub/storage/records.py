"""SQL for everything but batch apply: the hub's identity, desks, enrolment codes, the change
log, and the read models behind stats, the dashboard and the USB export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desk_app.hub.rules import DONE_STATUSES
from desk_app.hub.storage.database import Tx
from desk_app.domain.events import Answer as AnswerStatus
from desk_app.sync.protocol import Answer, RejectCode, StreamAck, Update


# Identity of the hub ---------------------------------------------------------------------------


def ensure_meta(tx: Tx, defaults: dict[str, str]) -> dict[str, str]:
    """Insert missing keys (first start wins when several processes start together); read all."""
    tx.executemany("INSERT INTO hub_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                   list(defaults.items()))
    return {row[0]: row[1] for row in tx.query("SELECT key, value FROM hub_meta")}


def next_change_seq(tx: Tx) -> int:
    """Allocate the next change-log number. The counter row stays locked until commit, so change
    log entries become visible in their number's order: a desk's pull cursor never skips one."""
    tx.execute("INSERT INTO hub_meta (key, value) VALUES ('change_seq', '0') ON CONFLICT (key) DO NOTHING")
    rows = tx.query(f"SELECT value FROM hub_meta WHERE key = 'change_seq' {tx.for_update}")
    seq = int(rows[0][0]) + 1
    tx.execute("UPDATE hub_meta SET value = ? WHERE key = 'change_seq'", (str(seq),))
    return seq


# Desks and enrolment codes ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeskRow:
    desk_uuid: str
    unit_code: str
    desk_no: int
    public_key: str
    enrolled_at: str
    revoked_at: str | None
    last_seen: str | None
    last_push: str | None


_DESK_COLUMNS = "desk_uuid, unit_code, desk_no, public_key, enrolled_at, revoked_at, last_seen, last_push"


def desk(tx: Tx, desk_uuid: str) -> DeskRow | None:
    rows = tx.query(f"SELECT {_DESK_COLUMNS} FROM desks WHERE desk_uuid = ?", (desk_uuid,))
    return DeskRow(*rows[0]) if rows else None


def desks_at(tx: Tx, unit_code: str, desk_no: int) -> list[DeskRow]:
    """Desks enrolled as that commune's desk number, newest first."""
    rows = tx.query(f"SELECT {_DESK_COLUMNS} FROM desks WHERE unit_code = ? AND desk_no = ? "
                    "ORDER BY enrolled_at DESC", (unit_code, desk_no))
    return [DeskRow(*row) for row in rows]


def all_desks(tx: Tx) -> list[DeskRow]:
    return [DeskRow(*row) for row in tx.query(f"SELECT {_DESK_COLUMNS} FROM desks ORDER BY unit_code, desk_no")]


def upsert_desk(tx: Tx, *, desk_uuid: str, unit_code: str, desk_no: int, public_key: str, facts: dict[str, Any],
                now: str) -> None:
    """Enrol, or re-enrol with a fresh code (new key, un-revoked)."""
    tx.execute(
        "INSERT INTO desks (desk_uuid, unit_code, desk_no, public_key, facts, enrolled_at, last_seen) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT (desk_uuid) DO UPDATE SET unit_code = excluded.unit_code, "
        "desk_no = excluded.desk_no, public_key = excluded.public_key, facts = excluded.facts, "
        "enrolled_at = excluded.enrolled_at, revoked_at = NULL, last_seen = excluded.last_seen",
        (desk_uuid, unit_code, desk_no, public_key, json.dumps(facts, ensure_ascii=False, sort_keys=True), now, now))


def touch_last_seen(tx: Tx, desk_uuid: str, now: str) -> None:
    tx.execute("UPDATE desks SET last_seen = ? WHERE desk_uuid = ?", (now, desk_uuid))


def revoke_desk(tx: Tx, desk_uuid: str, now: str) -> int:
    return tx.execute("UPDATE desks SET revoked_at = ? WHERE desk_uuid = ? AND revoked_at IS NULL", (now, desk_uuid))


def add_code(tx: Tx, *, code_hash: str, unit_code: str, desk_no: int, now: str, expires_at: str) -> None:
    tx.execute("INSERT INTO enrolment_codes (code_hash, unit_code, desk_no, created_at, expires_at) "
               "VALUES (?,?,?,?,?)", (code_hash, unit_code, desk_no, now, expires_at))


@dataclass(frozen=True)
class CodeRow:
    unit_code: str
    desk_no: int
    expires_at: str
    used_at: str | None


def code(tx: Tx, code_hash: str) -> CodeRow | None:
    rows = tx.query(f"SELECT unit_code, desk_no, expires_at, used_at FROM enrolment_codes WHERE code_hash = ? "
                    f"{tx.for_update}", (code_hash,))
    return CodeRow(*rows[0]) if rows else None


def use_code(tx: Tx, code_hash: str, desk_uuid: str, now: str) -> bool:
    """True for the one transaction that uses the code; a concurrent second use updates no row."""
    return tx.execute("UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL",
                      (now, desk_uuid, code_hash)) == 1


# Change log (what flows down) ------------------------------------------------------------------


def append_change(tx: Tx, *, unit_code: str | None, kind: str, entity_id: str, payload_json: str, payload_hash: str,
                  now: str) -> Update:
    seq = next_change_seq(tx)
    tx.execute("INSERT INTO change_log (hub_seq, unit_code, kind, entity_id, payload, payload_hash, created_at) "
               "VALUES (?,?,?,?,?,?,?)", (seq, unit_code, kind, entity_id, payload_json, payload_hash, now))
    return Update(seq, kind, unit_code, entity_id, json.loads(payload_json), payload_hash, now)


def find_change(tx: Tx, kind: str, entity_id: str, payload_hash: str) -> Update | None:
    rows = tx.query("SELECT hub_seq, kind, unit_code, entity_id, payload, payload_hash, created_at FROM change_log "
                    "WHERE kind = ? AND entity_id = ? AND payload_hash = ?", (kind, entity_id, payload_hash))
    return Update(int(rows[0][0]), rows[0][1], rows[0][2], rows[0][3], json.loads(rows[0][4]), rows[0][5],
                  rows[0][6]) if rows else None


def last_change_seq(tx: Tx) -> int:
    rows = tx.query("SELECT value FROM hub_meta WHERE key = 'change_seq'")
    return int(rows[0][0]) if rows else 0


def changes_for(tx: Tx, unit_code: str, after_seq: int, limit: int) -> list[Update]:
    rows = tx.query("SELECT hub_seq, kind, unit_code, entity_id, payload, payload_hash, created_at FROM change_log "
                    "WHERE hub_seq > ? AND (unit_code IS NULL OR unit_code = ?) ORDER BY hub_seq LIMIT ?",
                    (after_seq, unit_code, limit))
    return [Update(int(r[0]), r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]


# Dossier projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierRow:
    uuid: str
    code: str
    unit_code: str
    status: str


def dossier_by_code(tx: Tx, code: str) -> DossierRow | None:
    rows = tx.query(f"SELECT uuid, code, unit_code, status FROM dossiers WHERE code = ? {tx.for_update}", (code,))
    return DossierRow(*rows[0]) if rows else None


def set_decision(tx: Tx, uuid: str, status: str, decided_at_utc: str, now: str) -> None:
    tx.execute("UPDATE dossiers SET status = ?, decided_at = ?, finished_at_utc = COALESCE(finished_at_utc, ?), "
               "updated_at = ?, last_change_utc = ? WHERE uuid = ?",
               (status, decided_at_utc, decided_at_utc, now, decided_at_utc, uuid))


# Acknowledgements ------------------------------------------------------------------------------


def stream_acks(tx: Tx, desk_uuid: str) -> list[StreamAck]:
    rows = tx.query("SELECT epoch, through_seq FROM streams WHERE desk_uuid = ? ORDER BY epoch", (desk_uuid,))
    return [StreamAck(r[0], int(r[1])) for r in rows]


def open_answers(tx: Tx, desk_uuid: str) -> list[Answer]:
    """The desk's rejected events (final, with reasons) and held ones (waiting for a gap)."""
    answers = [Answer(r[0], int(r[1]), AnswerStatus.REJECTED, RejectCode(r[2]), r[3]) for r in tx.query(
        "SELECT event_uuid, seq, code, reason FROM rejections WHERE desk_uuid = ? ORDER BY epoch, seq, id",
        (desk_uuid,))]
    answers += [Answer(r[0], int(r[1]), AnswerStatus.HELD) for r in tx.query(
        "SELECT event_uuid, seq FROM held_events WHERE desk_uuid = ? ORDER BY epoch, seq", (desk_uuid,))]
    return answers


# Read models -----------------------------------------------------------------------------------


def count(tx: Tx, table: str) -> int:
    assert table in ("events", "dossiers", "held_events", "rejections", "change_log")
    return int(tx.query(f"SELECT COUNT(*) FROM {table}")[0][0])


def count_kind(tx: Tx, kind: str) -> int:
    """Applied events of one kind (e.g. the scans the desks reported)."""
    return int(tx.query("SELECT COUNT(*) FROM events WHERE kind = ?", (kind,))[0][0])


def per_desk(tx: Tx) -> dict[str, dict[str, int]]:
    """Events, held and rejected counts by desk."""
    out: dict[str, dict[str, int]] = {}
    for table, name in (("events", "events"), ("held_events", "held"), ("rejections", "rejected")):
        for desk_uuid, n in tx.query(f"SELECT desk_uuid, COUNT(*) FROM {table} GROUP BY desk_uuid"):
            out.setdefault(desk_uuid, {"events": 0, "held": 0, "rejected": 0})[name] = int(n)
    return out


def per_commune(tx: Tx, now_utc: str) -> list[dict[str, Any]]:
    """Dossiers, open, overdue and the on-time rate of finished ones, by commune."""
    done = ",".join(f"'{s}'" for s in DONE_STATUSES)
    rows = tx.query(
        "SELECT unit_code, COUNT(*), "
        f"SUM(CASE WHEN status IN ({done}) THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN status IN ({done}) AND finished_at_utc <= due_at_utc THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at_utc IS NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at_utc IS NULL AND due_at_utc < ? THEN 1 ELSE 0 END) "
        "FROM dossiers GROUP BY unit_code ORDER BY unit_code", (now_utc,))
    return [{"unit_code": r[0], "dossiers": int(r[1]), "done": int(r[2] or 0), "on_time": int(r[3] or 0),
             "open": int(r[4] or 0), "overdue": int(r[5] or 0),
             "on_time_rate": round(int(r[3] or 0) / int(r[2]), 4) if r[2] else None} for r in rows]


def rejected_list(tx: Tx, limit: int) -> list[dict[str, Any]]:
    rows = tx.query("SELECT r.desk_uuid, d.unit_code, d.desk_no, r.seq, r.code, r.reason, r.received_at "
                    "FROM rejections r LEFT JOIN desks d ON d.desk_uuid = r.desk_uuid "
                    "ORDER BY r.id DESC LIMIT ?", (limit,))
    return [{"desk_uuid": r[0], "unit_code": r[1], "desk_no": r[2], "seq": int(r[3]), "code": r[4], "reason": r[5],
             "received_at": r[6]} for r in rows]

