"""The desk's sync bookkeeping: enrolment, runs, updates dealt with, the push lease, outbox views.

Tables from migration 0010 (its docstring says why the private key lives in the database). The
outbox itself and its answers and cursors stay in ``store.outbox``; what is here reads them for
the status panel and the ledger's sync marks. Writes run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from desk_app.store.store import Store

KEEP_RUNS = 1000  # the runner syncs every minute or so: keep the last day or so of attempts


def _utc(moment: dt.datetime) -> str:
    """Lease times compare as text, so they are written in one offset."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")


# Enrolment ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """Who this desk is to its hub. ``private_key`` is the base64 Ed25519 seed (never shown)."""

    hub_url: str
    hub_public_key: str
    hub_epoch: str
    unit_code: str
    desk_no: int
    private_key: str = field(repr=False)
    public_key: str
    enrolled_at: str


_ENROLMENT = "hub_url, hub_public_key, hub_epoch, unit_code, desk_no, private_key, public_key, enrolled_at"


def enrolment(store: Store) -> Enrolment | None:
    row = store.db.execute(f"SELECT {_ENROLMENT} FROM sync_enrolment WHERE id = 1").fetchone()
    return Enrolment(*row) if row else None


def save_enrolment(store: Store, e: Enrolment) -> None:
    """Replace the enrolment (a desk enrolled again, e.g. with a new hub, keeps only the latest)."""
    store.db.execute(
        f"INSERT INTO sync_enrolment(id, {_ENROLMENT}) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET hub_url = excluded.hub_url, hub_public_key = excluded.hub_public_key, "
        "hub_epoch = excluded.hub_epoch, unit_code = excluded.unit_code, desk_no = excluded.desk_no, "
        "private_key = excluded.private_key, public_key = excluded.public_key, enrolled_at = excluded.enrolled_at",
        [e.hub_url, e.hub_public_key, e.hub_epoch, e.unit_code, e.desk_no, e.private_key, e.public_key,
         e.enrolled_at],
    )


# The lease: one program syncs at a time ------------------------------------------------------


def take_lease(store: Store, holder: str, *, now: dt.datetime, until: dt.datetime) -> bool:
    """Hold (or renew) the sync lease until ``until``; False when another holder's lease is live."""
    with store.transaction():
        row = store.db.execute("SELECT holder, until FROM sync_lease WHERE id = 1").fetchone()
        if row is not None and row[0] != holder and row[1] > _utc(now):
            return False
        store.db.execute(
            "INSERT INTO sync_lease(id, holder, until) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, until = excluded.until",
            [holder, _utc(until)],
        )
    return True


def release_lease(store: Store, holder: str) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM sync_lease WHERE id = 1 AND holder = ?", [holder])


def lease_live(store: Store, now: dt.datetime) -> bool:
    """Whether some program holds the lease now (i.e. a sync is running)."""
    row = store.db.execute("SELECT until FROM sync_lease WHERE id = 1").fetchone()
    return row is not None and str(row[0]) > _utc(now)


# Runs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One sync attempt. Times are the desk's device clock, ISO with offset."""

    kind: str  # http, usb_export, usb_import
    started_at: str
    finished_at: str
    ok: bool
    error_code: str = ""
    error: str = ""
    hub_time: str | None = None
    clock_skew_s: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


_RUN = "kind, started_at, finished_at, ok, error_code, error, hub_time, clock_skew_s, detail"


def add_run(store: Store, run: Run, *, keep: int = KEEP_RUNS) -> None:
    with store.transaction():
        store.db.execute(
            f"INSERT INTO sync_runs({_RUN}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run.kind, run.started_at, run.finished_at, int(run.ok), run.error_code, run.error, run.hub_time,
             run.clock_skew_s, json.dumps(run.detail, ensure_ascii=False)],
        )
        store.db.execute("DELETE FROM sync_runs WHERE id <= (SELECT max(id) FROM sync_runs) - ?", [keep])


def _run(row: Sequence[Any]) -> Run:
    return Run(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], json.loads(row[8]))


def last_run(store: Store, *, ok: bool | None = None, kinds: Iterable[str] = ("http", "usb_import")) -> Run | None:
    """The latest run of ``kinds`` (by default those that talk to the hub), optionally only
    the successful (``ok=True``) or failed ones."""
    kinds = list(kinds)
    sql = f"SELECT {_RUN} FROM sync_runs WHERE kind IN ({', '.join('?' * len(kinds))})"
    params: list[Any] = [*kinds]
    if ok is not None:
        sql += " AND ok = ?"
        params.append(int(ok))
    row = store.db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return _run(row) if row else None


def last_clock_reading(store: Store) -> Run | None:
    """The latest run that heard the hub's clock."""
    row = store.db.execute(
        f"SELECT {_RUN} FROM sync_runs WHERE clock_skew_s IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    return _run(row) if row else None


# Updates pulled from the hub ------------------------------------------------------------------


@dataclass(frozen=True)
class HandledUpdate:
    kind: str
    entity_id: str
    hub_seq: int
    outcome: str
    label: str
    reason: str
    handled_at: str


def update_handled(store: Store, kind: str, entity_id: str, payload_hash: str) -> bool:
    return store.db.execute(
        "SELECT 1 FROM sync_updates WHERE kind = ? AND entity_id = ? AND payload_hash = ?",
        [kind, entity_id, payload_hash],
    ).fetchone() is not None


def record_update(store: Store, *, kind: str, entity_id: str, payload_hash: str, hub_epoch: str, hub_seq: int,
                  outcome: str, label: str, reason: str, at: dt.datetime) -> None:
    store.db.execute(
        "INSERT INTO sync_updates(kind, entity_id, payload_hash, hub_epoch, hub_seq, outcome, label, reason, "
        "handled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, entity_id, payload_hash) DO NOTHING",
        [kind, entity_id, payload_hash, hub_epoch, hub_seq, outcome, label, reason, at.isoformat(timespec="seconds")],
    )


def update_problems(store: Store, *, limit: int = 100) -> list[HandledUpdate]:
    """Updates that could not be applied (newest first), for a person to look at."""
    rows = store.db.execute(
        "SELECT kind, entity_id, hub_seq, outcome, label, reason, handled_at FROM sync_updates "
        "WHERE outcome = 'problem' ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    return [HandledUpdate(*row) for row in rows]


# Views of the outbox --------------------------------------------------------------------------


def known_events(store: Store, event_uuids: Iterable[str]) -> set[str]:
    """Which of these events this outbox wrote (a hub file may name events of an older copy)."""
    found: set[str] = set()
    uuids = list(event_uuids)
    for start in range(0, len(uuids), 500):  # SQLite's bound-parameter limit
        chunk = uuids[start:start + 500]
        found.update(row[0] for row in store.db.execute(
            f"SELECT event_uuid FROM outbox WHERE event_uuid IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def answers_of(store: Store, event_uuids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """The latest answer (answer, code, reason) recorded for each of these events that has one."""
    found: dict[str, tuple[str, str, str]] = {}
    uuids = list(event_uuids)
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        for row in store.db.execute(
                "SELECT event_uuid, answer, code, reason FROM outbox_answers "
                f"WHERE event_uuid IN ({', '.join('?' * len(chunk))})", chunk):
            found[row[0]] = (row[1], row[2], row[3])
    return found


def epoch_first_seq(store: Store, epoch: str) -> int:
    """The first seq this desk wrote in ``epoch`` (the batch header's ``epoch_first_seq``)."""
    row = store.db.execute("SELECT min(seq) FROM outbox WHERE epoch = ?", [epoch]).fetchone()
    return int(row[0]) if row and row[0] is not None else 1


def unacknowledged_through(store: Store, epoch: str, through_seq: int) -> list[str]:
    """Events of ``epoch`` up to ``through_seq`` still without a final answer, in order."""
    return [row[0] for row in store.db.execute(
        "SELECT event_uuid FROM outbox WHERE acked_at IS NULL AND epoch = ? AND seq <= ? ORDER BY id",
        [epoch, through_seq])]


def held_count(store: Store) -> int:
    return int(store.db.execute(
        "SELECT count(*) FROM outbox o JOIN outbox_answers a USING (event_uuid) "
        "WHERE o.acked_at IS NULL AND a.answer = 'held'").fetchone()[0])


def pending_dossiers(store: Store) -> int:
    """Dossiers with a change not yet acknowledged by the hub."""
    return int(store.db.execute(
        # "+entity": walk the small partial index of unacknowledged events, not every dossier event.
        "SELECT count(DISTINCT entity_id) FROM outbox WHERE acked_at IS NULL AND +entity = 'dossier'").fetchone()[0])


def dossier_marks(store: Store, dossier_uuids: Sequence[str]) -> dict[str, str]:
    """"rejected" (a change of it was rejected), else "pending" (one is not acknowledged yet), else
    "synced", per dossier UUID; one indexed query (outbox_entity) for a page of the ledger."""
    marks: dict[str, str] = {u: "synced" for u in dossier_uuids}
    uuids = list(marks)
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        rows = store.db.execute(
            "SELECT o.entity_id, max(a.answer = 'rejected'), max(o.acked_at IS NULL) FROM outbox o "
            "LEFT JOIN outbox_answers a USING (event_uuid) "
            f"WHERE o.entity = 'dossier' AND o.entity_id IN ({', '.join('?' * len(chunk))}) GROUP BY o.entity_id",
            chunk)
        for entity_id, rejected, pending in rows:
            marks[entity_id] = "rejected" if rejected else "pending" if pending else "synced"
    return marks


def dossier_rejections(store: Store, dossier_uuids: Sequence[str]) -> dict[str, str]:
    """The hub's reason for the latest rejected change of each of these dossiers that has one
    (a tooltip in the ledger: asked only for the rows marked "rejected")."""
    reasons: dict[str, str] = {}
    uuids = list(dict.fromkeys(dossier_uuids))
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        for entity_id, reason in store.db.execute(
                "SELECT o.entity_id, a.reason FROM outbox o JOIN outbox_answers a USING (event_uuid) "
                f"WHERE o.entity = 'dossier' AND o.entity_id IN ({', '.join('?' * len(chunk))}) "
                "AND a.answer = 'rejected' ORDER BY o.id", chunk):
            reasons[entity_id] = reason  # ordered by id: the latest wins
    return reasons


@dataclass(frozen=True)
class DossierRef:
    """Enough of a dossier to apply a hub decision to it."""

    id: int
    code: str
    status: str
    received_at: str
    last_change_at: str | None


def dossier_ref(store: Store, dossier_uuid: str) -> DossierRef | None:
    row = store.db.execute(
        "SELECT id, code, status, received_at, last_change_at FROM dossiers WHERE uuid = ?", [dossier_uuid]
    ).fetchone()
    return DossierRef(*row) if row else None
