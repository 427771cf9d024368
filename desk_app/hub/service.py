"""The hub's use cases (enrol, push, pull, decide, publish, export, stats) over its storage.

Built once by ``Hub.open(url)`` and handed to the web app and the command line; all state lives
in the database (several processes may share one PostgreSQL database), the signing key and the
epoch included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid as uuidlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desk_app.domain import events as ev
from desk_app.domain.dossier import Status
from desk_app.domain.text import nfc
from desk_app.hub.apply import DeskFacts, apply_batch
from desk_app.hub.rules import utc_iso
from desk_app.hub.storage import audit_heads, records
from desk_app.hub.storage import reports as hub_reports
from desk_app.hub.storage.database import Database, Tx, open_database
from desk_app.hub.storage.migrations import migrate
from desk_app.sync.keys import is_public_key
from desk_app.sync.protocol import (
    Enrollment, Envelope, HubPackage, PackageKind, ProtocolError, PullRequest, PushResult, RefusalCode, SigningKey,
    Update, batch_events, BatchHeader, now_iso, signature_ok,
)

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
MAX_PULL = 1000


class HubError(Exception):
    """A hub command could not be done as asked (nothing changed); Vietnamese ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _code_hash(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str
    unit_code: str
    desk_no: int
    expires_at: str


class Hub:
    def __init__(self, db: Database, *, key: SigningKey, epoch: str, clock: Clock) -> None:
        self.db = db
        self.key = key
        self.epoch = epoch
        self.clock = clock

    @classmethod
    def open(cls, url: str, *, clock: Clock = utc_now) -> Hub:
        """Open (creating and migrating if needed) the hub database at ``url``."""
        db = open_database(url)
        try:
            migrate(db)
            defaults = {"epoch": str(uuidlib.uuid4()), "signing_key": SigningKey.generate().to_text(),
                        "created_at": now_iso(clock())}
            meta = db.run(lambda tx: records.ensure_meta(tx, defaults))
        except BaseException:
            db.close()
            raise
        return cls(db, key=SigningKey.from_text(meta["signing_key"]), epoch=meta["epoch"], clock=clock)

    def close(self) -> None:
        self.db.close()

    def now(self) -> str:
        return now_iso(self.clock().astimezone(dt.timezone.utc))

    @property
    def public_key(self) -> str:
        return self.key.public_text

    # Enrolment ---------------------------------------------------------------------------------

    def issue_code(self, unit_code: str, desk_no: int, *, valid_for: dt.timedelta = dt.timedelta(days=3)) -> IssuedCode:
        unit_code = nfc(unit_code)
        if not unit_code or not 1 <= desk_no <= 10:
            raise HubError("bad_desk", "cần mã đơn vị và số quầy từ 1 đến 10")
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        expires = now_iso((self.clock() + valid_for).astimezone(dt.timezone.utc))
        now = self.now()
        self.db.run(lambda tx: records.add_code(tx, code_hash=_code_hash(code), unit_code=unit_code,
                                                desk_no=desk_no, now=now, expires_at=expires))
        return IssuedCode(code, unit_code, desk_no, expires)

    def enroll(self, *, code: str, desk_uuid: str, public_key: str, facts: Mapping[str, Any]) -> Enrollment:
        if not is_public_key(public_key):
            raise ProtocolError(RefusalCode.MALFORMED, "khoá công khai của quầy")
        now = self.now()

        def work(tx: Tx) -> records.CodeRow:
            row = records.code(tx, _code_hash(code))
            if row is None:
                raise ProtocolError(RefusalCode.CODE_INVALID)
            if row.used_at is not None:
                raise ProtocolError(RefusalCode.CODE_USED)
            if row.expires_at < now:
                raise ProtocolError(RefusalCode.CODE_EXPIRED)
            claimed = facts.get("unit_code")
            if claimed and nfc(str(claimed)) != row.unit_code:
                raise ProtocolError(RefusalCode.UNIT_MISMATCH, f"mã cấp cho {row.unit_code}")
            if not records.use_code(tx, _code_hash(code), desk_uuid, now):
                raise ProtocolError(RefusalCode.CODE_USED)
            records.upsert_desk(tx, desk_uuid=desk_uuid, unit_code=row.unit_code, desk_no=row.desk_no,
                                public_key=public_key, facts=dict(facts), now=now)
            return row

        row = self.db.run(work)
        log.info("desk %s enrolled as %s#%s", desk_uuid, row.unit_code, row.desk_no)
        return Enrollment(desk_uuid, row.unit_code, row.desk_no, self.public_key, self.epoch, now)

    def revoke(self, desk_ref: str) -> records.DeskRow:
        desk = self.resolve_desk(desk_ref)
        now = self.now()
        self.db.run(lambda tx: records.revoke_desk(tx, desk.desk_uuid, now))
        return desk

    def resolve_desk(self, desk_ref: str) -> records.DeskRow:
        """A desk by its UUID or as ``UNIT_CODE#N`` (the newest desk enrolled as that number)."""
        unit, sep, number = desk_ref.rpartition("#")
        if sep and number.isdigit():
            found = self.db.run(lambda tx: records.desks_at(tx, nfc(unit), int(number)), write=False)
            desk = found[0] if found else None
        else:
            desk = self.db.run(lambda tx: records.desk(tx, desk_ref.strip()), write=False)
        if desk is None:
            raise HubError("unknown_desk", f"không có quầy «{desk_ref}» trên máy chủ")
        return desk

    # Push and pull -----------------------------------------------------------------------------

    def _trusted_desk(self, desk_uuid: str) -> records.DeskRow:
        desk = self.db.run(lambda tx: records.desk(tx, desk_uuid), write=False)
        if desk is None:
            raise ProtocolError(RefusalCode.UNKNOWN_DESK)
        if desk.revoked_at is not None:
            raise ProtocolError(RefusalCode.REVOKED_DESK)
        return desk

    def push(self, envelope: Envelope) -> PushResult:
        """Verify a desk's batch and apply it in one transaction (same rules for HTTP and USB)."""
        if envelope.kind != PackageKind.BATCH.value:
            raise ProtocolError(RefusalCode.MALFORMED, f"cần gói loại batch, nhận {envelope.kind or '?'}")
        claimed = BatchHeader.of(envelope)
        desk = self._trusted_desk(claimed.desk_uuid)
        # Signature, hash and decoding happen before the write transaction: it holds only the writes.
        envelope.verify(desk.public_key, PackageKind.BATCH)
        header, batch = batch_events(envelope)
        now = self.now()

        def work(tx: Tx) -> PushResult:
            current = records.desk(tx, desk.desk_uuid)  # revoked or re-keyed meanwhile?
            if current is None or current.revoked_at is not None or current.public_key != desk.public_key:
                raise ProtocolError(RefusalCode.REVOKED_DESK)
            answers = apply_batch(tx, header, batch, DeskFacts(desk.desk_uuid, desk.unit_code), now)
            # After the events: an audit alert is kept, never a reason to refuse the dossiers.
            for alert in audit_heads.check(tx, desk.desk_uuid, header.epoch, header.audit_head, header.audit_anchor,
                                           now):
                log.warning("audit chain %s on desk %s epoch %s at entry %s", alert.kind, desk.desk_uuid,
                            header.epoch, alert.audit_id)
            return PushResult(tuple(answers), now)

        return self.db.run(work)

    def pull(self, signed_request: Any) -> Envelope:
        request, signed, signature = PullRequest.from_signed(signed_request)
        desk = self._trusted_desk(request.desk_uuid)
        if not signature_ok(desk.public_key, signed, signature):
            raise ProtocolError(RefusalCode.BAD_SIGNATURE)
        limit = max(1, min(request.limit, MAX_PULL))
        now = self.now()

        def work(tx: Tx) -> HubPackage:
            records.touch_last_seen(tx, desk.desk_uuid, now)
            # Read the end first: an entry committed meanwhile is then either in `updates` or after it.
            last = records.last_change_seq(tx)
            streams = tuple(records.stream_acks(tx, desk.desk_uuid))
            audit = _audit_fields(tx, desk.desk_uuid)
            if (request.hub_epoch is not None and request.hub_epoch != self.epoch) or request.after_seq > last:
                return HubPackage(desk.desk_uuid, desk.unit_code, self.epoch, now, streams=streams,
                                  resync_required=True, **audit)
            updates = records.changes_for(tx, desk.unit_code, request.after_seq, limit + 1)
            more = len(updates) > limit
            updates = updates[:limit]
            end = updates[-1].hub_seq if more else max([last, *(u.hub_seq for u in updates)])
            return HubPackage(desk.desk_uuid, desk.unit_code, self.epoch, now, updates=tuple(updates),
                              streams=streams, has_more=more, last_hub_seq=end, **audit)

        return self.db.run(work).seal(self.key)

    def export(self, desk_ref: str, *, after_seq: int = 0) -> Envelope:
        """A signed file for one desk: its acknowledgements (streams, rejected and held events) and
        every update for its commune after ``after_seq``."""
        desk = self.resolve_desk(desk_ref)
        now = self.now()

        def work(tx: Tx) -> HubPackage:
            last = records.last_change_seq(tx)
            updates = records.changes_for(tx, desk.unit_code, after_seq, 10**9)
            return HubPackage(desk_uuid=desk.desk_uuid, unit_code=desk.unit_code, hub_epoch=self.epoch,
                              created_at=now, updates=tuple(updates),
                              answers=tuple(records.open_answers(tx, desk.desk_uuid)),
                              streams=tuple(records.stream_acks(tx, desk.desk_uuid)),
                              last_hub_seq=max([last, after_seq, *(u.hub_seq for u in updates)]),
                              **_audit_fields(tx, desk.desk_uuid))

        return self.db.run(work, write=False).seal(self.key)

    # What flows down ---------------------------------------------------------------------------

    def decide(self, code: str, status: Status, *, note: str = "", by: str = "hub") -> Update:
        """Record the deciding agency's decision on a dossier: the projection and the change log
        entry for its commune, in one transaction."""
        return self.decide_many([code], status, note=note, by=by)[0]

    def decide_many(self, codes: Sequence[str], status: Status, *, note: str = "", by: str = "hub") -> list[Update]:
        """The same decision on several dossiers (e.g. a day's results from the provincial
        system) in one transaction: all are recorded, or none if one cannot be."""
        if status not in ev.DECISION_STATUSES:
            raise HubError("bad_status", "quyết định chỉ có thể là result_ready (có kết quả) hoặc refused (từ chối)")
        moment = self.clock()
        now = self.now()

        def one(tx: Tx, code: str) -> Update:
            dossier = records.dossier_by_code(tx, code)
            if dossier is None:
                raise HubError("unknown_dossier", f"máy chủ chưa có hồ sơ mã {code} (quầy đã đồng bộ chưa?)")
            current = Status(dossier.status)
            if not current.is_open:
                raise HubError("already_finished",
                               f"hồ sơ {code} đang ở trạng thái «{current.label}», không ghi quyết định được")
            payload = ev.dossier_decided(uuid=dossier.uuid, code=code, status=status, decided_at=moment,
                                         by=nfc(by), note=nfc(note))
            decided = utc_iso(payload["decided_at"])
            records.set_decision(tx, dossier.uuid, status.value, decided, now)
            update = self._append(tx, dossier.unit_code, ev.Kind.DOSSIER_DECIDED, dossier.uuid, payload, now)
            hub_reports.record_steps(tx, [(f"decided:{update.hub_seq}", dossier.uuid, decided, dossier.status,
                                           status.value, None)])
            return update

        return self.db.run(lambda tx: [one(tx, nfc(code)) for code in codes])

    def publish(self, kind: ev.Kind, version: str, content: dict[str, Any]) -> tuple[Update, bool]:
        """A versioned catalogue or calendar update for every commune. Publishing the same version
        with the same content again changes nothing (returns the first entry, False)."""
        if kind not in (ev.Kind.CATALOGUE_UPDATED, ev.Kind.CALENDAR_UPDATED):
            raise HubError("bad_kind", f"không phát hành được loại {kind.value}")
        payload = {"version": nfc(version), **content}
        entity_id = f"{ev.KIND_ENTITY[kind].value}:{nfc(version)}"
        now = self.now()

        def work(tx: Tx) -> tuple[Update, bool]:
            existing = records.find_change(tx, kind.value, entity_id, ev.payload_hash(payload))
            if existing is not None:
                return existing, False
            return self._append(tx, None, kind, entity_id, payload, now), True

        return self.db.run(work)

    @staticmethod
    def _append(tx: Tx, unit_code: str | None, kind: ev.Kind, entity_id: str, payload: dict[str, Any],
                now: str) -> Update:
        text = ev.canonical_json(payload).decode()
        return records.append_change(tx, unit_code=unit_code, kind=kind.value, entity_id=entity_id,
                                     payload_json=text, payload_hash=ev.payload_hash(payload), now=now)

    # Read models -------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        now = self.now()

        def work(tx: Tx) -> dict[str, Any]:
            counts = records.per_desk(tx)
            desks = [{"desk_uuid": d.desk_uuid, "unit_code": d.unit_code, "desk_no": d.desk_no,
                      "enrolled_at": d.enrolled_at, "revoked_at": d.revoked_at, "last_seen": d.last_seen,
                      "last_push": d.last_push, **counts.get(d.desk_uuid, {"events": 0, "held": 0, "rejected": 0})}
                     for d in records.all_desks(tx)]
            return {"hub_epoch": self.epoch, "hub_time": now, "dossiers": records.count(tx, "dossiers"),
                    "events": records.count(tx, "events"),
                    "scans": records.count_kind(tx, ev.Kind.SCAN_ATTACHED.value), "held": records.count(tx, "held_events"),
                    "rejected": records.count(tx, "rejections"), "updates": records.count(tx, "change_log"),
                    "desks": desks, "communes": records.per_commune(tx, utc_iso(now)),
                    "recent_rejections": records.rejected_list(tx, 20),
                    "audit_alerts": audit_heads.alerts(tx)}

        return self.db.run(work, write=False)


def _audit_fields(tx: Tx, desk_uuid: str) -> dict[str, Any]:
    """The ``HubPackage`` fields telling a desk the latest audit head the hub holds from it."""
    found = audit_heads.latest(tx, desk_uuid)
    return {"audit_epoch": found[0], "audit_head": found[1]} if found else {}
