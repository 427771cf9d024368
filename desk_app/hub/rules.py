"""What the hub accepts from a desk, event by event: pure rules, no database.

The apply step (``hub.apply``) asks these questions in seq order; storage only fetches and writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk_app.domain.dossier import Status
from desk_app.domain.events import SCHEMA_VERSION, Event, Kind
from desk_app.sync.protocol import RejectCode

# Kinds a desk may send; the others flow only downwards, from the hub's change log.
DESK_KINDS = frozenset({
    Kind.DOSSIER_RECEIVED.value, Kind.DOSSIER_STATUS_CHANGED.value, Kind.GUIDANCE_ISSUED.value,
    Kind.CATALOGUE_IMPORTED.value, Kind.CALENDAR_IMPORTED.value, Kind.SETTINGS_CHANGED.value,
    Kind.BOOKING_MADE.value, Kind.BOOKING_CHECKED_IN.value, Kind.BOOKING_CANCELLED.value, Kind.BOOKING_MOVED.value,
    Kind.SCAN_ATTACHED.value,
})
RECEIVED = Kind.DOSSIER_RECEIVED.value
STATUS_CHANGED = Kind.DOSSIER_STATUS_CHANGED.value
DOSSIER_KINDS = frozenset({RECEIVED, STATUS_CHANGED})
SCAN_ATTACHED = Kind.SCAN_ATTACHED.value
_HEX = frozenset("0123456789abcdef")
STATUS_VALUES = frozenset(s.value for s in Status)
# Counted for the on-time rate (the dossier's result was ready, whether or not yet handed over).
DONE_STATUSES = (Status.RESULT_READY.value, Status.RETURNED.value)


@dataclass(frozen=True)
class Rejection:
    code: RejectCode
    detail: str = ""


def utc_iso(text: Any) -> str:
    """An aware ISO time as UTC text, so the database compares times as strings."""
    if not isinstance(text, str):
        raise ValueError("time must be text")
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("time lacks its UTC offset")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _check_aware(text: Any) -> None:
    """Raise ValueError unless ``text`` is an ISO time with its offset (cheaper than utc_iso)."""
    if not isinstance(text, str) or dt.datetime.fromisoformat(text).tzinfo is None:
        raise ValueError("time lacks its UTC offset")


def _payload_problem(event: Event) -> str:
    """Why a dossier payload cannot be projected, or ""."""
    p = event.payload
    if p.get("uuid") != event.entity_id:
        return "uuid của hồ sơ khác entity_id"
    try:
        if event.kind == RECEIVED:
            for name in ("code", "procedure_code"):
                if not isinstance(p.get(name), str) or not p[name]:
                    return f"thiếu {name}"
            if p.get("status") not in STATUS_VALUES:
                return "trạng thái không hợp lệ"
            _check_aware(p.get("received_at"))
            _check_aware(p.get("due_at"))
            if p.get("finished_at") is not None:
                _check_aware(p["finished_at"])
        else:
            if p.get("to") not in STATUS_VALUES:
                return "trạng thái mới không hợp lệ"
            _check_aware(p.get("at"))
            if p.get("due_at") is not None:
                _check_aware(p["due_at"])
    except ValueError as exc:
        return f"thời điểm không hợp lệ: {exc}"
    return ""


def _scan_problem(event: Event) -> str:
    """Why a scan's payload is not the hash, type and page count of one paper, or "". The hub keeps
    the event as sent (it counts digitisation); a payload carrying more (an image) is refused."""
    p = event.payload
    if set(p) != {"uuid", "code", "paper", "sha256", "media_type", "pages", "size", "attached_at"}:
        return "bản quét: nội dung sự kiện không đúng mẫu"
    if p["uuid"] != event.entity_id:
        return "uuid của hồ sơ khác entity_id"
    sha = p["sha256"]
    if not isinstance(sha, str) or len(sha) != 64 or not set(sha) <= _HEX:
        return "bản quét: mã băm sha-256 không hợp lệ"
    for name in ("paper", "pages", "size"):
        if not isinstance(p[name], int) or isinstance(p[name], bool) or p[name] < 1:
            return f"bản quét: {name} phải là số nguyên dương"
    try:
        _check_aware(p["attached_at"])
    except ValueError as exc:
        return f"thời điểm không hợp lệ: {exc}"
    return ""


def check_content(event: Event, *, hash_ok: bool, desk_unit: str,
                  dossier_units: Mapping[str, str]) -> Rejection | None:
    """The rules judged when an event's turn comes in its stream; a rejection uses up its seq.
    ``hash_ok``: the payload's canonical JSON hashes to ``payload_hash`` (checked by the caller,
    who keeps those bytes to store)."""
    if not hash_ok:
        return Rejection(RejectCode.BAD_HASH)
    if event.schema != SCHEMA_VERSION:
        return Rejection(RejectCode.UNKNOWN_SCHEMA, f"phiên bản {event.schema}")
    if event.kind not in DESK_KINDS:
        return Rejection(RejectCode.UNKNOWN_KIND, event.kind)
    if event.unit_code != desk_unit:
        return Rejection(RejectCode.OTHER_COMMUNE, f"sự kiện của {event.unit_code}, quầy thuộc {desk_unit}")
    if event.kind == SCAN_ATTACHED and (problem := _scan_problem(event)):
        return Rejection(RejectCode.BAD_PAYLOAD, problem)
    if event.kind in DOSSIER_KINDS:
        problem = _payload_problem(event)
        if problem:
            return Rejection(RejectCode.BAD_PAYLOAD, problem)
        owner = dossier_units.get(event.entity_id)
        if owner is not None and owner != desk_unit:
            return Rejection(RejectCode.OTHER_COMMUNE, f"hồ sơ thuộc {owner}")
    return None


def check_stream(event: Event, *, desk_uuid: str, epoch: str) -> Rejection | None:
    """Judged at once: an event that is not of the batch's stream has no place in its order."""
    if event.desk_uuid != desk_uuid or event.epoch != epoch:
        return Rejection(RejectCode.WRONG_STREAM)
    if event.seq < 1:
        return Rejection(RejectCode.BAD_SEQ, str(event.seq))
    return None
