"""The sync contract: typed change events, their canonical JSON and hashes, shared by desk and hub.

Every state change on a desk becomes one ``Event`` in the outbox, written in the same
transaction as the change (ARCHITECTURE §4). The hub stores the same envelope. Nothing here
touches a database or the network: the desk's recorder and the hub both build and check events
through these functions, so the two sides cannot drift apart.

Canonical JSON (sorted keys, no spaces, UTF-8, NFC text already) is what gets hashed and signed;
a golden-file test pins it, so changing the encoding is a protocol change (bump SCHEMA_VERSION).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from desk_app.domain.bookings import Booking
from desk_app.domain.catalogue import Catalogue
from desk_app.domain.catalogue_io import procedure_to_dict
from desk_app.domain.dossier import Applicant, Dossier, ReceivedDocument, Status
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.holidays import DayEntry
from desk_app.domain.scans import Scan

# Version of the event envelope and payload shapes. The hub refuses versions it does not know
# with a machine-readable answer instead of guessing.
SCHEMA_VERSION = 1


class Entity(str, Enum):
    DOSSIER = "dossier"
    GUIDANCE = "guidance"  # Mẫu 02 given at the counter, no dossier registered
    CATALOGUE = "catalogue"
    CALENDAR = "calendar"
    SETTINGS = "settings"
    BOOKING = "booking"  # a place in an appointment slot


class Kind(str, Enum):
    """What happened. Upstream kinds (hub → desk) travel in the hub's change log, not the outbox."""

    # desk → hub
    DOSSIER_RECEIVED = "dossier.received"
    DOSSIER_STATUS_CHANGED = "dossier.status_changed"
    GUIDANCE_ISSUED = "guidance.issued"
    CATALOGUE_IMPORTED = "catalogue.imported"
    CALENDAR_IMPORTED = "calendar.imported"
    SETTINGS_CHANGED = "settings.changed"
    BOOKING_MADE = "booking.made"
    BOOKING_CHECKED_IN = "booking.checked_in"
    BOOKING_CANCELLED = "booking.cancelled"
    BOOKING_MOVED = "booking.moved"
    SCAN_ATTACHED = "scan.attached"
    # hub → desk
    DOSSIER_DECIDED = "dossier.decided"
    CATALOGUE_UPDATED = "catalogue.updated"
    CALENDAR_UPDATED = "calendar.updated"


KIND_ENTITY: dict[Kind, Entity] = {
    Kind.DOSSIER_RECEIVED: Entity.DOSSIER,
    Kind.DOSSIER_STATUS_CHANGED: Entity.DOSSIER,
    Kind.GUIDANCE_ISSUED: Entity.GUIDANCE,
    Kind.CATALOGUE_IMPORTED: Entity.CATALOGUE,
    Kind.CALENDAR_IMPORTED: Entity.CALENDAR,
    Kind.SETTINGS_CHANGED: Entity.SETTINGS,
    Kind.BOOKING_MADE: Entity.BOOKING,
    Kind.BOOKING_CHECKED_IN: Entity.BOOKING,
    Kind.BOOKING_CANCELLED: Entity.BOOKING,
    Kind.BOOKING_MOVED: Entity.BOOKING,
    Kind.SCAN_ATTACHED: Entity.DOSSIER,
    Kind.DOSSIER_DECIDED: Entity.DOSSIER,
    Kind.CATALOGUE_UPDATED: Entity.CATALOGUE,
    Kind.CALENDAR_UPDATED: Entity.CALENDAR,
}



class Answer(str, Enum):
    """The hub's word on one pushed event."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # the same event (uuid and hash) was already there: nothing applied
    REJECTED = "rejected"  # never applies as sent (a code and a Vietnamese reason say why): a human looks
    HELD = "held"  # not yet (e.g. an earlier event is missing): send again later

    @property
    def is_final(self) -> bool:
        """Sending the event again would not change the answer: the push cursor may pass it."""
        return self is not Answer.HELD


# Decisions the deciding agency may send down for a forwarded dossier.
DECISION_STATUSES = frozenset({Status.RESULT_READY, Status.REFUSED})


def canonical_json(value: Any) -> bytes:
    """The one byte form that is hashed and signed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iso(moment: dt.datetime) -> str:
    """Event times are aware ISO 8601 at whole seconds; a naive time is a programming error."""
    if moment.tzinfo is None:
        raise ValueError("event times must carry their UTC offset")
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Event:
    """One change as it leaves the desk. ``seq`` is the desk's outbox sequence within ``epoch``.

    ``business_time`` is when the thing happened as the officer recorded it (may be back-dated,
    e.g. ``--at``); ``device_time`` is the desk clock when the event was written. Cursors never
    use either: they use sequences.
    """

    event_uuid: str
    desk_uuid: str
    epoch: str
    seq: int
    schema: int
    unit_code: str
    entity: str
    entity_id: str
    kind: str
    business_time: str
    device_time: str
    payload: dict[str, Any]
    payload_hash: str

    def to_dict(self) -> dict[str, Any]:
        """The envelope as a plain dict for serialising (the payload is shared, not copied: a
        deep copy took 10x longer than writing the JSON)."""
        return {name: getattr(self, name) for name in EVENT_FIELDS}

    @classmethod
    def from_dict(cls, data: Any) -> Event:
        """An event from parsed JSON, exactly the envelope's fields with their JSON types (what
        the hub reads from a desk's batch, and from its own held events); ValueError otherwise."""
        if not isinstance(data, dict) or data.keys() != _FIELD_SET:
            raise ValueError("not an event envelope (wrong or missing fields)")
        wrong = type(data["seq"]) is not int or type(data["schema"]) is not int or type(data["payload"]) is not dict
        for name in _TEXT_FIELDS:
            wrong = wrong or type(data[name]) is not str
        if wrong:
            raise ValueError("event field of the wrong type")
        # Every field is checked above: fill the frozen instance directly instead of through
        # __init__'s 13 object.__setattr__ calls (half the cost of reading an event on the hub).
        event = object.__new__(cls)
        event.__dict__.update(data)
        return event

    def hash_ok(self) -> bool:
        return self.payload_hash == payload_hash(self.payload)


EVENT_FIELDS = tuple(Event.__dataclass_fields__)
_FIELD_SET = frozenset(EVENT_FIELDS)
_TEXT_FIELDS = ("event_uuid", "desk_uuid", "epoch", "unit_code", "entity", "entity_id", "kind", "business_time",
                "device_time", "payload_hash")


def payload_hash(payload: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(payload))


def make_event(
    *,
    event_uuid: str,
    desk_uuid: str,
    epoch: str,
    seq: int,
    unit_code: str,
    kind: Kind,
    entity_id: str,
    business_time: dt.datetime,
    device_time: dt.datetime,
    payload: dict[str, Any],
) -> Event:
    # Round-trip through JSON so the stored payload is exactly what was hashed (tuples become
    # lists, and so on) and a later reload hashes the same.
    clean = json.loads(canonical_json(payload))
    return Event(
        event_uuid=event_uuid,
        desk_uuid=desk_uuid,
        epoch=epoch,
        seq=seq,
        schema=SCHEMA_VERSION,
        unit_code=unit_code,
        entity=KIND_ENTITY[kind].value,
        entity_id=entity_id,
        kind=kind.value,
        business_time=iso(business_time),
        device_time=iso(device_time),
        payload=clean,
        payload_hash=payload_hash(clean),
    )


# Payload builders ---------------------------------------------------------------------------
# One function per kind; the hub reads payloads only through the same field names.


def dossier_received(dossier: Dossier) -> dict[str, Any]:
    """Everything the hub needs to follow a received dossier (personal data included: the hub is
    the upstream register of the same authority; it travels signed, over the desk's link)."""
    return {
        "uuid": dossier.uuid,
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "applicant": applicant_payload(dossier.applicant),
        "channel": dossier.channel.value,
        "status": dossier.status.value,
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "finished_at": iso(dossier.finished_at) if dossier.finished_at else None,
        "fee_vnd": dossier.fee_vnd,
        "documents": documents_payload(dossier.documents),
        "ledger": {"year": dossier.ledger_year, "desk": dossier.desk_no, "no": dossier.ledger_no},
        "receiver": dossier.receiver,
    }


def dossier_status_changed(
    *, uuid: str, code: str, before: Status, after: Status, at: dt.datetime, note: str = "",
    due_at: dt.datetime | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"uuid": uuid, "code": code, "from": before.value, "to": after.value, "at": iso(at)}
    if note:
        payload["note"] = note
    if due_at is not None:  # a step that moves the appointment (supplement received, extension)
        payload["due_at"] = iso(due_at)
    return payload


def with_step(payload: dict[str, Any], *, step: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """A status change's payload with the step that made it (``step``: a lifecycle action, e.g.
    "request_supplement", "apologize") and its details (papers to add, who took the dossier, the
    leader's sign-off, who received the result). Steps without details (forward, result, return,
    withdraw) are sent without these keys, byte for byte as before."""
    extended = dict(payload)
    if step:
        extended["step"] = step
    if detail:
        extended["detail"] = dict(detail)
    return extended


def applicant_payload(a: Applicant) -> dict[str, Any]:
    """The applicant's fields as plain values: in the event, and (renamed) in the dossier's row."""
    return {
        "name": a.name,
        "id_number": a.id_number,
        "birth_date": a.birth_date.isoformat() if a.birth_date else None,
        "sex": a.sex.value if a.sex else None,
        "phone": a.phone,
        "address": a.address,
        "email": a.email,
    }


def documents_payload(documents: Iterable[ReceivedDocument]) -> list[dict[str, Any]]:
    """Received papers as plain values: in events, and in the guidance slip's row."""
    return [{"name": d.name, "form": d.form.value, "count": d.count} for d in documents]


def guidance_issued(guidance: SupplementGuidance, desk_no: int) -> dict[str, Any]:
    """A supplement request (Mẫu 02) given at the counter. What the hub counts: the procedure,
    when, which papers were missing; no phone or address (the statistics need no more personal
    data than the name on the slip). ``uuid`` is the slip's identity everywhere; ``number`` is
    the one printed for people."""
    return {
        "uuid": guidance.uuid,
        "number": guidance.number,
        "desk": desk_no,
        "procedure_code": guidance.procedure_code,
        "procedure_name": guidance.procedure_name,
        "applicant_name": guidance.applicant_name,
        "issued_at": iso(guidance.issued_at),
        "documents": documents_payload(guidance.documents),
        "reason": guidance.reason,
    }


def booking_made(booking: Booking, desk_no: int) -> dict[str, Any]:
    """A place taken in an appointment slot: what the hub counts (procedure, slot), no phone."""
    return {"uuid": booking.uuid, "number": booking.number, "desk": desk_no, "procedure_code": booking.procedure_code,
            "slot": iso(booking.slot), "created_at": iso(booking.created_at)}


def booking_checked_in(booking: Booking, *, dossier_code: str, at: dt.datetime) -> dict[str, Any]:
    """The citizen came: the booking became the reception of ``dossier_code``."""
    return {"uuid": booking.uuid, "number": booking.number, "dossier_code": dossier_code, "at": iso(at)}


def booking_cancelled(booking: Booking, *, at: dt.datetime, reason: str) -> dict[str, Any]:
    """The booking was called off: its place is free again."""
    return {"uuid": booking.uuid, "number": booking.number, "at": iso(at), "reason": reason}


def booking_moved(old: Booking, new: Booking, *, reason: str) -> dict[str, Any]:
    """The booking ``old`` was replaced by ``new`` at another slot (its own uuid and number)."""
    return {"uuid": old.uuid, "number": old.number, "at": iso(new.created_at), "reason": reason,
            "to": {"uuid": new.uuid, "number": new.number, "slot": iso(new.slot)}}


def scan_attached(scan: Scan, *, dossier_uuid: str) -> dict[str, Any]:
    """A paper of a dossier was scanned: which paper, the scan's hash, type and page count. Never
    the image (personal data, and the hub counts digitisation, it does not keep the files)."""
    return {"uuid": dossier_uuid, "code": scan.dossier_code, "paper": scan.paper, "sha256": scan.sha256,
            "media_type": scan.media_type.value, "pages": scan.pages, "size": scan.size,
            "attached_at": iso(scan.attached_at)}


def catalogue_imported(catalogue: Catalogue) -> dict[str, Any]:
    """Which procedure list the desk now works with. ``digest`` is the hash of the procedures
    themselves, so two files that carry the same version label but differ are told apart."""
    procedures = [procedure_to_dict(p) for p in sorted(catalogue.procedures, key=lambda p: p.code)]
    return {
        "version": catalogue.version,
        "source": catalogue.source,
        "procedure_count": len(procedures),
        "digest": sha256_hex(canonical_json(procedures)),
    }


def calendar_imported(years: Mapping[int, Iterable[DayEntry]], source: str) -> dict[str, Any]:
    """The days off (and swapped working days) of each imported year, as the desk now counts them."""
    return {
        "source": source,
        "years": {
            str(year): [
                {"date": e.date.isoformat(), "name": e.name, "kind": e.kind.value, "provisional": e.provisional}
                for e in sorted(entries, key=lambda e: e.date)
            ]
            for year, entries in sorted(years.items())
        },
    }


def settings_changed(values: Mapping[str, Any]) -> dict[str, Any]:
    """The new values of the settings that changed (already JSON values: profile, calendar, printer)."""
    return {"settings": dict(values)}


def dossier_decided(
    *, uuid: str, code: str, status: Status, decided_at: dt.datetime, by: str, note: str = ""
) -> dict[str, Any]:
    """A decision taken upstream on a forwarded dossier (hub → desk)."""
    if status not in DECISION_STATUSES:
        raise ValueError(f"not a decision status: {status.value}")
    return {"uuid": uuid, "code": code, "status": status.value, "decided_at": iso(decided_at), "by": by,
            "note": note}
