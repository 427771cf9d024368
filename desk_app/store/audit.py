"""The audit trail: every entry chained to the one before by a hash, written in one place.

Each entry stores ``prev_hash`` (the hash of the entry before it, or 64 zeros for the first)
and ``hash`` = sha256 of the canonical form of ``prev_hash`` and the entry's own stored fields
(id, time, device, login, full name, action, entity, entity id, detail text); see
``canonical``. ``audit_head`` keeps the id and hash of the latest entry, so deleting the last
entries is noticed too. Editing, deleting, inserting or renumbering an entry by hand breaks the
chain at that place, which ``verify`` names. Triggers refuse UPDATE and DELETE on the audit
table, so only someone who drops them first can even try.

A person holding the database file can rewrite the whole chain from the edit onwards (the
file holds no secret); what anchors it is the head carried away from the file: in sync events
(``audit_head``), in backups and exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: sqlite-utils stays off the start path
    from sqlite_utils import Database

if TYPE_CHECKING:  # the store builds the AuditTrail aggregate: no import at run time
    from desk_app.store.store import Store

GENESIS = "0" * 64
FIELDS = ("id", "at", "device", "actor", "actor_name", "action", "entity", "entity_id", "detail")


def canonical(prev_hash: str, row: dict[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over: a compact JSON array, UTF-8, fixed order."""
    values = [prev_hash, *(row[name] for name in FIELDS)]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(prev_hash, row)).hexdigest()


def _device(db: Database) -> str:
    row = db.execute("SELECT desk_uuid FROM desk_identity WHERE id = 1").fetchone()
    return str(row[0]) if row else ""


def append(db: Database, *, at: dt.datetime, actor: str, actor_name: str, action: str, entity: str,
           entity_id: str, detail: dict[str, Any]) -> str:
    """Write one entry chained to the head; call inside the caller's write transaction (the
    write lock taken by BEGIN IMMEDIATE keeps two programs from chaining onto one head).
    Returns the entry's hash, the new head."""
    head = db.execute("SELECT hash FROM audit_head WHERE id = 1").fetchone()
    prev_hash = str(head[0]) if head else GENESIS
    # max(id)+1, not the head's id + 1: a row added by hand must not stop the desk from working
    # (verify reports it instead).
    next_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM audit").fetchone()[0])
    row = {"id": next_id, "at": at.isoformat(timespec="seconds"), "device": _device(db), "actor": actor,
           "actor_name": actor_name, "action": action, "entity": entity, "entity_id": entity_id,
           "detail": json.dumps(detail, ensure_ascii=False)}
    digest = entry_hash(prev_hash, row)
    db.execute(
        "INSERT INTO audit(id, at, device, actor, actor_name, action, entity, entity_id, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*(row[name] for name in FIELDS), prev_hash, digest],
    )
    db.execute(
        "INSERT INTO audit_head(id, last_id, hash) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash",
        [next_id, digest],
    )
    return digest


class AuditTrail:
    """The desk's audit trail as one aggregate of the store (``store.audit``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self, *, actor: str, action: str, entity: str, entity_id: str, detail: dict[str, Any], at: dt.datetime,
        actor_name: str = "",
    ) -> None:
        """The one way an audit entry is written (changes through the recorder, actions that change
        nothing, such as viewing, printing, backing up, directly): chained to the one before, with
        this desk as device, in its own transaction or the caller's.

        ``actor``: the officer's login (or the system user on a desk without accounts);
        ``actor_name``: the officer's full name.
        """
        with self._store.transaction():
            append(self._store.db, at=at, actor=actor, actor_name=actor_name, action=action, entity=entity,
                   entity_id=entity_id, detail=detail)


def audit_head(db: Database) -> str:
    """The hash of the latest audit entry (64 zeros before the first): what sync can carry so
    that the hub holds a point the desk's trail must still pass through."""
    row = db.execute("SELECT hash FROM audit_head WHERE id = 1").fetchone()
    return str(row[0]) if row else GENESIS


@dataclass(frozen=True)
class Broken:
    """The first entry where the chain does not hold, and why (``edited``, ``link``, ``tail``)."""

    id: int
    at: str
    reason: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head: str
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(db: Database, *, after: int = 0, limit: int = -1) -> Iterator[dict[str, Any]]:
    cursor = db.execute(f"SELECT {', '.join(FIELDS)}, prev_hash, hash FROM audit WHERE id > ? ORDER BY id LIMIT ?",
                        [after, limit])
    names = [*FIELDS, "prev_hash", "hash"]
    for values in cursor:
        yield dict(zip(names, values))


def verify(db: Database) -> Verification:
    """Walk the trail in id order, recomputing every hash; stop at the first entry that breaks."""
    expected_prev, checked, last = GENESIS, 0, None
    for row in _rows(db):
        if row["prev_hash"] != expected_prev:
            return Verification(checked, expected_prev, Broken(row["id"], row["at"], "link"))
        if entry_hash(row["prev_hash"], row) != row["hash"]:
            return Verification(checked, expected_prev, Broken(row["id"], row["at"], "edited"))
        expected_prev, checked, last = row["hash"], checked + 1, row
    head = db.execute("SELECT last_id, hash FROM audit_head WHERE id = 1").fetchone()
    if head is None and last is None:
        return Verification(0, GENESIS, None)
    if head is None or last is None or (head[0], head[1]) != (last["id"], last["hash"]):
        head_id = int(head[0]) if head else 0
        return Verification(checked, expected_prev,
                            Broken(head_id, last["at"] if last else "", "tail"))
    return Verification(checked, expected_prev, None)


def chain_existing(db: Database, *, page: int = 5000) -> None:
    """Chain rows written before the chain existed (migration): in id order, with this desk as
    device; page by page, so a desk with millions of entries never holds them all in memory."""
    db.execute("UPDATE audit SET device = ? WHERE device = ''", [_device(db)])
    prev, last_id = GENESIS, 0
    while True:
        batch = []
        for row in list(_rows(db, after=last_id, limit=page)):
            digest = entry_hash(prev, row)
            batch.append((prev, digest, row["id"]))
            prev, last_id = digest, row["id"]
        if not batch:
            break
        db.conn.executemany("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", batch)
    db.execute("INSERT INTO audit_head(id, last_id, hash) VALUES (1, ?, ?)", [last_id, prev])


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    device: str
    actor: str
    actor_name: str
    action: str
    entity: str
    entity_id: str
    detail: str  # JSON text, as stored
    hash: str


def query(db: Database, *, actor: str | None = None, action: str | None = None, since: dt.date | None = None,
          until: dt.date | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Entries newest first: by one officer's login, by action (a prefix: "dossier." finds every
    dossier action), between two days (both included, by the entry's own time)."""
    where: list[str] = []
    params: list[object] = []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if action:
        where.append("substr(action, 1, length(?)) = ?")
        params += [action, action]
    if since:
        where.append("at >= ?")
        params.append(since.isoformat())
    if until:
        where.append("at < ?")
        params.append((until + dt.timedelta(days=1)).isoformat())
    sql = (f"SELECT {', '.join(FIELDS)}, hash FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY id DESC LIMIT ?")
    return [AuditEntry(*values) for values in db.execute(sql, [*params, limit])]


def actors(db: Database) -> list[str]:
    """Every login the trail names, for a filter list."""
    return [str(a) for (a,) in db.execute("SELECT DISTINCT actor FROM audit ORDER BY actor")]
