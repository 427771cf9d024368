"""The wire format shared by desk and hub: signed envelopes, batches, answers, hub packages.

One signed envelope carries everything that crosses between a desk and the hub, over HTTP or on
a USB stick:

* ``header``: a JSON object whose canonical JSON (``events.canonical_json``) is signed with
  Ed25519. It always holds ``protocol``, ``kind`` (so a signed hub package can never pass for a
  desk batch) and ``body_sha256``.
* ``signature``: base64 of the 64-byte Ed25519 signature over the canonical header.
* ``body``: gzip bytes. For a desk batch, JSON lines: the canonical JSON of each
  ``Event.to_dict()`` in seq order. For a hub package, one canonical JSON object (answers, stream
  acknowledgements, updates).

Over HTTP the body is the request/response content (``application/gzip``) and the header and
signature travel in ``X-Sync-Header`` (base64url of the canonical header) and ``X-Sync-Signature``.
As a file it is ``MAGIC`` line, canonical header line, signature line, then the gzip body: the
same bytes in both directions, so one reader serves ``hub import`` and ``sync import``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import orjson
from desk_app.domain.events import Answer as AnswerStatus  # the hub's words: one enum with the outbox
from desk_app.domain.events import Event, canonical_json, payload_hash, sha256_hex
from desk_app.sync.keys import SigningKey as SigningKey, signature_ok as signature_ok

PROTOCOL = "desk-sync/1"
MAGIC = b"DESK-SYNC-FILE/1"
HEADER_FIELD = "X-Sync-Header"
SIGNATURE_FIELD = "X-Sync-Signature"
HUB_TIME_FIELD = "X-Hub-Time"
CONTENT_TYPE = "application/gzip"
# A batch of ~1,000 events of ~1 KB is ~1 MB of JSON; refuse anything absurdly larger before
# it fills memory (a gzip bomb is a few KB on the wire).
MAX_BODY_BYTES = 64 * 1024 * 1024
DEFAULT_BATCH_SIZE = 500


class PackageKind(str, Enum):
    BATCH = "batch"  # desk → hub: outbox events
    HUB_PACKAGE = "hub-package"  # hub → desk: acknowledgements and updates


class RefusalCode(str, Enum):
    """Why a whole request, batch or file was refused (nothing applied)."""

    MALFORMED = "malformed"
    UNSUPPORTED_PROTOCOL = "unsupported_protocol"
    BAD_SIGNATURE = "bad_signature"
    BODY_MISMATCH = "body_mismatch"
    TOO_LARGE = "too_large"
    UNKNOWN_DESK = "unknown_desk"
    REVOKED_DESK = "revoked_desk"
    WRONG_DESK = "wrong_desk"
    CODE_INVALID = "enrolment_code_invalid"
    CODE_USED = "enrolment_code_used"
    CODE_EXPIRED = "enrolment_code_expired"
    UNIT_MISMATCH = "enrolment_unit_mismatch"


REFUSAL_MESSAGES: dict[RefusalCode, str] = {
    RefusalCode.MALFORMED: "gói dữ liệu không đúng định dạng đồng bộ",
    RefusalCode.UNSUPPORTED_PROTOCOL: "phiên bản giao thức đồng bộ không được hỗ trợ",
    RefusalCode.BAD_SIGNATURE: "chữ ký số không hợp lệ: gói dữ liệu đã bị sửa hoặc không do bên gửi ký",
    RefusalCode.BODY_MISMATCH: "nội dung gói không khớp với mã băm đã ký: gói đã bị sửa hoặc hỏng",
    RefusalCode.TOO_LARGE: "gói dữ liệu quá lớn",
    RefusalCode.UNKNOWN_DESK: "quầy chưa được ghi danh với máy chủ",
    RefusalCode.REVOKED_DESK: "quầy đã bị thu hồi quyền đồng bộ",
    RefusalCode.WRONG_DESK: "gói dữ liệu này dành cho quầy khác",
    RefusalCode.CODE_INVALID: "mã ghi danh không đúng",
    RefusalCode.CODE_USED: "mã ghi danh đã được dùng (mỗi mã chỉ dùng một lần)",
    RefusalCode.CODE_EXPIRED: "mã ghi danh đã hết hạn",
    RefusalCode.UNIT_MISMATCH: "mã ghi danh được cấp cho đơn vị khác",
}


class ProtocolError(Exception):
    """A message could not be accepted; ``code`` for programs, ``message`` in Vietnamese."""

    def __init__(self, code: RefusalCode, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        self.message = REFUSAL_MESSAGES[code] + (f" ({detail})" if detail else "")
        super().__init__(self.message)


# Envelope -------------------------------------------------------------------------------------


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0: the same content always compresses to the same bytes. Level 1: a third of level 6's
    # time for ~15% more bytes on event JSON (measured on 1,000 events of 1.4 KB: 124 KB vs 107 KB).
    return gzip.compress(data, compresslevel=1, mtime=0)


def gunzip_bytes(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_BODY_BYTES)
    except zlib.error:
        raise ProtocolError(RefusalCode.MALFORMED, "nội dung không phải gzip") from None
    if inflater.unconsumed_tail:
        raise ProtocolError(RefusalCode.TOO_LARGE)
    if not inflater.eof:
        raise ProtocolError(RefusalCode.MALFORMED, "nội dung gzip bị cắt cụt")
    return out


@dataclass(frozen=True)
class Envelope:
    """A signed header and a gzip body; see the module docstring for its two encodings."""

    header: dict[str, Any]
    signature: str
    body: bytes = field(repr=False)

    @property
    def kind(self) -> str:
        return str(self.header.get("kind", ""))

    def verify(self, public_text: str, kind: PackageKind) -> None:
        """Raise ``ProtocolError`` unless this is a ``kind`` envelope signed by that key, body intact."""
        if self.header.get("protocol") != PROTOCOL:
            raise ProtocolError(RefusalCode.UNSUPPORTED_PROTOCOL, str(self.header.get("protocol")))
        if self.kind != kind.value:
            raise ProtocolError(RefusalCode.MALFORMED, f"cần gói loại {kind.value}, nhận {self.kind}")
        if not signature_ok(public_text, canonical_json(self.header), self.signature):
            raise ProtocolError(RefusalCode.BAD_SIGNATURE)
        if sha256_hex(self.body) != self.header.get("body_sha256"):
            raise ProtocolError(RefusalCode.BODY_MISMATCH)

    def to_file(self) -> bytes:
        return b"\n".join([MAGIC, canonical_json(self.header), self.signature.encode("ascii"), self.body])

    @classmethod
    def from_file(cls, data: bytes) -> Envelope:
        parts = data.split(b"\n", 3)
        if len(parts) != 4 or parts[0] != MAGIC:
            raise ProtocolError(RefusalCode.MALFORMED, "không phải tệp đồng bộ của Bộ phận Một cửa")
        return cls(_header_from(parts[1]), _ascii(parts[2]), parts[3])

    def http_headers(self) -> dict[str, str]:
        return {
            HEADER_FIELD: base64.urlsafe_b64encode(canonical_json(self.header)).decode("ascii"),
            SIGNATURE_FIELD: self.signature,
            "Content-Type": CONTENT_TYPE,
        }

    @classmethod
    def from_http(cls, headers: Mapping[str, str], body: bytes) -> Envelope:
        # HTTP header names are case-insensitive; Starlette and httpx both give such mappings.
        encoded, signature = headers.get(HEADER_FIELD), headers.get(SIGNATURE_FIELD)
        if not encoded or not signature:
            raise ProtocolError(RefusalCode.MALFORMED, f"thiếu {HEADER_FIELD} hoặc {SIGNATURE_FIELD}")
        try:
            raw = base64.urlsafe_b64decode(encoded.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise ProtocolError(RefusalCode.MALFORMED, f"{HEADER_FIELD} không phải base64") from None
        return cls(_header_from(raw), signature, body)


def _ascii(raw: bytes) -> str:
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise ProtocolError(RefusalCode.MALFORMED, "chữ ký không đúng định dạng") from None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _header_from(raw: bytes) -> dict[str, Any]:
    try:
        # NaN and Infinity are not JSON: a header holding them could never be signed or checked.
        header = json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError(RefusalCode.MALFORMED, "phần đầu không phải JSON") from None
    if not isinstance(header, dict):
        raise ProtocolError(RefusalCode.MALFORMED, "phần đầu không phải đối tượng JSON")
    return header


def seal(kind: PackageKind, fields: Mapping[str, Any], body: bytes, key: SigningKey) -> Envelope:
    """Sign ``fields`` plus protocol, kind and the body's hash; ``body`` must already be gzip."""
    header = {**fields, "protocol": PROTOCOL, "kind": kind.value, "body_sha256": sha256_hex(body)}
    return Envelope(header, key.sign(canonical_json(header)), body)


def _int_field(header: Mapping[str, Any], name: str) -> int:
    value = header.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(RefusalCode.MALFORMED, f"trường {name} phải là số nguyên")
    return value


def _str_field(header: Mapping[str, Any], name: str) -> str:
    value = header.get(name)
    if not isinstance(value, str) or not value:
        raise ProtocolError(RefusalCode.MALFORMED, f"thiếu trường {name}")
    return value


def now_iso(clock: dt.datetime) -> str:
    return clock.isoformat(timespec="milliseconds")


# The desk warns (it never adjusts its clock) when the hub's time differs by more than this.
SKEW_WARNING = dt.timedelta(minutes=5)


def clock_skew(hub_time: str, local: dt.datetime) -> dt.timedelta:
    """How far the desk's clock is ahead of the hub's (negative: behind), from a reply's hub time.
    Cursors never use clocks; this only feeds the "check the computer's clock" warning."""
    return local - dt.datetime.fromisoformat(hub_time)


# Desk → hub: batches --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditHead:
    """A point of a desk's hash-chained audit trail: the entry ``id`` and its ``hash``. An empty
    ``hash`` in an anchor means the desk no longer has that entry (its trail went backwards)."""

    id: int
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash}

    @classmethod
    def of(cls, header: Mapping[str, Any], name: str) -> AuditHead | None:
        """The optional field ``name`` of a signed header (absent from older desks and hubs)."""
        value = header.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ProtocolError(RefusalCode.MALFORMED, f"trường {name} phải là đối tượng")
        entry, digest = _int_field(value, "id"), value.get("hash")
        if not isinstance(digest, str) or entry < 0 or len(digest) not in (0, 64):
            raise ProtocolError(RefusalCode.MALFORMED, f"trường {name} không hợp lệ")
        return cls(entry, digest)


@dataclass(frozen=True)
class BatchHeader:
    """What a batch claims, signed. ``epoch_first_seq`` is the first seq the desk wrote in this
    epoch: the hub starts a stream it has never seen there, so a gap before the first batch that
    reaches it (batches can arrive out of order, by USB and by HTTP) is held rather than missed."""

    desk_uuid: str
    epoch: str
    epoch_first_seq: int
    first_seq: int
    last_seq: int
    count: int
    created_at: str
    # The desk's audit chain head when the batch was built, and the desk's hash at the head the
    # hub last told it had (see docs/sync-hub.md, "Audit chain heads"); None from older desks.
    audit_head: AuditHead | None = None
    audit_anchor: AuditHead | None = None

    @classmethod
    def of(cls, envelope: Envelope) -> BatchHeader:
        h = envelope.header
        return cls(
            desk_uuid=_str_field(h, "desk_uuid"), epoch=_str_field(h, "epoch"),
            epoch_first_seq=_int_field(h, "epoch_first_seq"), first_seq=_int_field(h, "first_seq"),
            last_seq=_int_field(h, "last_seq"), count=_int_field(h, "count"), created_at=_str_field(h, "created_at"),
            audit_head=AuditHead.of(h, "audit_head"), audit_anchor=AuditHead.of(h, "audit_anchor"),
        )


def build_batch(events: Sequence[Event], key: SigningKey, *, created_at: dt.datetime,
                epoch_first_seq: int = 1, audit_head: AuditHead | None = None,
                audit_anchor: AuditHead | None = None) -> Envelope:
    """Seal events of one (desk, epoch) stream, in strictly increasing seq order, as a batch."""
    if not events:
        raise ValueError("a batch needs at least one event")
    first = events[0]
    for before, after in zip(events, events[1:]):
        if after.seq <= before.seq:
            raise ValueError("batch events must be in strictly increasing seq order")
    if any(e.desk_uuid != first.desk_uuid or e.epoch != first.epoch for e in events):
        raise ValueError("a batch carries one desk's events of one epoch")
    # Sorted-key compact JSON lines (canonical JSON; orjson writes it ~15x faster for these values).
    # The hub parses the lines, it does not hash them: each payload carries its own hash.
    body = gzip_bytes(b"".join(orjson.dumps(e.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n" for e in events))
    fields: dict[str, Any] = {
        "desk_uuid": first.desk_uuid, "epoch": first.epoch, "epoch_first_seq": epoch_first_seq,
        "first_seq": first.seq, "last_seq": events[-1].seq, "count": len(events),
        "created_at": now_iso(created_at),
    }
    if audit_head is not None:
        fields["audit_head"] = audit_head.to_dict()
    if audit_anchor is not None:
        fields["audit_anchor"] = audit_anchor.to_dict()
    return seal(PackageKind.BATCH, fields, body, key)


def fast_canonical(value: Any, claimed_hash: str) -> tuple[bytes, bool]:
    """``canonical_json(value)`` and whether its SHA-256 is ``claimed_hash``, fast.

    orjson with sorted keys writes the same bytes as ``canonical_json`` for everything a desk
    sends; when its hash matches, the bytes are the canonical ones (the hash says so). Otherwise
    the standard library decides, so an exotic value can never be wrongly rejected or accepted.
    """
    quick = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    if sha256_hex(quick) == claimed_hash:
        return quick, True
    exact = canonical_json(value)
    return exact, sha256_hex(exact) == claimed_hash


def _parse_lines(lines: list[bytes]) -> list[Any]:
    try:  # one parse for the whole body is much faster than one per line
        parsed = orjson.loads(b"[" + b",".join(lines) + b"]")
        assert isinstance(parsed, list)
        return parsed
    except ValueError:
        for number, line in enumerate(lines, 1):  # find the bad line, for the message
            try:
                json.loads(line)
            except ValueError as exc:
                raise ProtocolError(RefusalCode.MALFORMED, f"dòng {number} của gói: {exc}") from None
        raise ProtocolError(RefusalCode.MALFORMED, "nội dung gói không phải các dòng JSON") from None


def batch_events(envelope: Envelope) -> tuple[BatchHeader, list[Event]]:
    """Unpack a verified batch; the events must match the signed header's count and range."""
    header = BatchHeader.of(envelope)
    lines = [line for line in gunzip_bytes(envelope.body).split(b"\n") if line]
    events: list[Event] = []
    for number, data in enumerate(_parse_lines(lines), 1):
        try:
            events.append(Event.from_dict(data))
        except ValueError:
            raise ProtocolError(RefusalCode.MALFORMED, f"dòng {number} của gói không phải một sự kiện hợp lệ") from None
    if len(events) != header.count or not events:
        raise ProtocolError(RefusalCode.MALFORMED, f"gói khai {header.count} sự kiện nhưng có {len(events)}")
    if events[0].seq != header.first_seq or events[-1].seq != header.last_seq:
        raise ProtocolError(RefusalCode.MALFORMED, "dải số thứ tự không khớp phần đầu gói")
    return header, events


# Answers --------------------------------------------------------------------------------------


class RejectCode(str, Enum):
    CONFLICT = "conflict"
    OTHER_COMMUNE = "other_commune"
    UNKNOWN_SCHEMA = "unknown_schema"
    UNKNOWN_KIND = "unknown_kind"
    BAD_HASH = "bad_hash"
    BAD_PAYLOAD = "bad_payload"
    WRONG_STREAM = "wrong_stream"
    BAD_SEQ = "bad_seq"


REJECT_REASONS: dict[RejectCode, str] = {
    RejectCode.CONFLICT: "xung đột: cùng mã sự kiện hoặc cùng số thứ tự nhưng nội dung khác bản đã nhận; "
                         "đã lưu lại để cán bộ xem xét",
    RejectCode.OTHER_COMMUNE: "thay đổi hồ sơ của đơn vị khác: quầy chỉ được ghi hồ sơ của xã mình",
    RejectCode.UNKNOWN_SCHEMA: "phiên bản dữ liệu sự kiện chưa được máy chủ hỗ trợ",
    RejectCode.UNKNOWN_KIND: "loại thay đổi không được phép gửi từ quầy",
    RejectCode.BAD_HASH: "mã băm nội dung sự kiện không khớp",
    RejectCode.BAD_PAYLOAD: "nội dung sự kiện thiếu thông tin bắt buộc",
    RejectCode.WRONG_STREAM: "sự kiện không thuộc quầy hoặc kỳ dữ liệu của gói",
    RejectCode.BAD_SEQ: "số thứ tự sự kiện nằm ngoài kỳ dữ liệu",
}


@dataclass(frozen=True)
class Answer:
    """The hub's answer for one event; ``code`` and ``reason`` only for a rejection."""

    event_uuid: str
    seq: int
    status: AnswerStatus
    code: RejectCode | None = None
    reason: str | None = None

    @classmethod
    def rejected(cls, event_uuid: str, seq: int, code: RejectCode, detail: str = "") -> Answer:
        return cls(event_uuid, seq, AnswerStatus.REJECTED, code, REJECT_REASONS[code] + (f" ({detail})" if detail else ""))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event_uuid": self.event_uuid, "seq": self.seq, "status": self.status.value}
        if self.code is not None:
            data["code"] = self.code.value
            data["reason"] = self.reason
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        try:
            code = RejectCode(data["code"]) if data.get("code") else None
            return cls(str(data["event_uuid"]), int(data["seq"]), AnswerStatus(data["status"]), code, data.get("reason"))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:  # AttributeError: not an object
            raise ProtocolError(RefusalCode.MALFORMED, f"câu trả lời không hợp lệ: {exc}") from None


# Hub → desk: updates, acknowledgements, packages ----------------------------------------------


@dataclass(frozen=True)
class Update:
    """One entry of the hub's change log. ``unit_code`` None means every commune (catalogue,
    calendar); a decision carries its dossier's commune. ``hub_seq`` is the pull cursor."""

    hub_seq: int
    kind: str
    unit_code: str | None
    entity_id: str
    payload: dict[str, Any]
    payload_hash: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"hub_seq": self.hub_seq, "kind": self.kind, "unit_code": self.unit_code, "entity_id": self.entity_id,
                "payload": self.payload, "payload_hash": self.payload_hash, "created_at": self.created_at}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Update:
        try:
            update = cls(int(data["hub_seq"]), str(data["kind"]), data["unit_code"], str(data["entity_id"]),
                         dict(data["payload"]), str(data["payload_hash"]), str(data["created_at"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise ProtocolError(RefusalCode.MALFORMED, f"cập nhật không hợp lệ: {exc}") from None
        if payload_hash(update.payload) != update.payload_hash:
            raise ProtocolError(RefusalCode.BODY_MISMATCH, f"cập nhật số {update.hub_seq}")
        return update


@dataclass(frozen=True)
class StreamAck:
    """Every event of ``epoch`` up to ``through_seq`` has a final answer on the hub (applied,
    duplicate or rejected; rejections are also listed one by one in the package's answers)."""

    epoch: str
    through_seq: int

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "through_seq": self.through_seq}


@dataclass(frozen=True)
class HubPackage:
    """What the hub tells one desk: in a pull reply or an exported USB file.

    ``resync_required``: the desk's hub epoch is not this hub's (the hub database was replaced)
    or its cursor is past the end; the desk drops its pull cursor and pulls from 0.
    ``has_more``: more updates wait after ``last_hub_seq``; pull again.
    """

    desk_uuid: str
    unit_code: str
    hub_epoch: str
    created_at: str
    updates: tuple[Update, ...] = ()
    answers: tuple[Answer, ...] = ()
    streams: tuple[StreamAck, ...] = ()
    resync_required: bool = False
    has_more: bool = False
    last_hub_seq: int = 0
    # The latest audit chain head the hub holds from this desk, and of which desk epoch: the desk
    # sends its own hash at that entry back as the anchor of its next batches.
    audit_epoch: str | None = None
    audit_head: AuditHead | None = None

    def seal(self, key: SigningKey) -> Envelope:
        body = gzip_bytes(canonical_json({
            "updates": [u.to_dict() for u in self.updates], "answers": [a.to_dict() for a in self.answers],
            "streams": [s.to_dict() for s in self.streams],
        }))
        fields: dict[str, Any] = {
            "desk_uuid": self.desk_uuid, "unit_code": self.unit_code, "hub_epoch": self.hub_epoch,
            "created_at": self.created_at, "resync_required": self.resync_required, "has_more": self.has_more,
            "last_hub_seq": self.last_hub_seq, "count": len(self.updates),
        }
        if self.audit_head is not None and self.audit_epoch is not None:
            fields["audit_head"] = {**self.audit_head.to_dict(), "epoch": self.audit_epoch}
        return seal(PackageKind.HUB_PACKAGE, fields, body, key)

    @classmethod
    def open(cls, envelope: Envelope, *, hub_public_key: str, desk_uuid: str) -> HubPackage:
        """Verify the hub's signature and that the package is for this desk, then unpack it."""
        envelope.verify(hub_public_key, PackageKind.HUB_PACKAGE)
        h = envelope.header
        if h.get("desk_uuid") != desk_uuid:
            raise ProtocolError(RefusalCode.WRONG_DESK)
        try:
            body = json.loads(gunzip_bytes(envelope.body))
            updates = tuple(Update.from_dict(u) for u in body["updates"])
            answers = tuple(Answer.from_dict(a) for a in body["answers"])
            streams = tuple(StreamAck(str(s["epoch"]), int(s["through_seq"])) for s in body["streams"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ProtocolError(RefusalCode.MALFORMED, f"nội dung gói: {exc}") from None
        if len(updates) != _int_field(h, "count"):
            raise ProtocolError(RefusalCode.MALFORMED, "số cập nhật không khớp phần đầu gói")
        audit_head = AuditHead.of(h, "audit_head")
        return cls(
            desk_uuid=desk_uuid, unit_code=_str_field(h, "unit_code"), hub_epoch=_str_field(h, "hub_epoch"),
            created_at=_str_field(h, "created_at"), updates=updates, answers=answers, streams=streams,
            resync_required=h.get("resync_required") is True, has_more=h.get("has_more") is True,
            last_hub_seq=_int_field(h, "last_hub_seq"),
            audit_epoch=_str_field(h["audit_head"], "epoch") if audit_head is not None else None,
            audit_head=audit_head,
        )


# Requests that are not batches ----------------------------------------------------------------


@dataclass(frozen=True)
class PullRequest:
    """Signed by the desk so only an enrolled desk reads its commune's updates.

    ``hub_epoch`` is the epoch of the desk's cursor (None before its first pull)."""

    desk_uuid: str
    after_seq: int
    hub_epoch: str | None
    limit: int
    at: str

    def signed(self, key: SigningKey) -> dict[str, Any]:
        request = {"desk_uuid": self.desk_uuid, "after_seq": self.after_seq, "hub_epoch": self.hub_epoch,
                   "limit": self.limit, "at": self.at}
        return {"request": request, "signature": key.sign(canonical_json(request))}

    @classmethod
    def from_signed(cls, data: Any) -> tuple[PullRequest, bytes, str]:
        """The request, the bytes that were signed, and the signature (checked by the caller,
        who knows the desk's key)."""
        if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
            raise ProtocolError(RefusalCode.MALFORMED, "yêu cầu nhận cập nhật không hợp lệ")
        r = data["request"]
        epoch = r.get("hub_epoch")
        if epoch is not None and not isinstance(epoch, str):
            raise ProtocolError(RefusalCode.MALFORMED, "hub_epoch")
        request = cls(_str_field(r, "desk_uuid"), _int_field(r, "after_seq"), epoch, _int_field(r, "limit"),
                      str(r.get("at", "")))
        return request, canonical_json(r), str(data.get("signature", ""))


@dataclass(frozen=True)
class Enrollment:
    """What a desk learns when the hub accepts its enrolment."""

    desk_uuid: str
    unit_code: str
    desk_no: int
    hub_public_key: str
    hub_epoch: str
    hub_time: str

    def to_dict(self) -> dict[str, Any]:
        return {"desk_uuid": self.desk_uuid, "unit_code": self.unit_code, "desk_no": self.desk_no,
                "hub_public_key": self.hub_public_key, "hub_epoch": self.hub_epoch, "hub_time": self.hub_time}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Enrollment:
        try:
            return cls(str(data["desk_uuid"]), str(data["unit_code"]), int(data["desk_no"]),
                       str(data["hub_public_key"]), str(data["hub_epoch"]), str(data["hub_time"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise ProtocolError(RefusalCode.MALFORMED, f"trả lời ghi danh: {exc}") from None


@dataclass(frozen=True)
class PushResult:
    answers: tuple[Answer, ...]
    hub_time: str

    def to_dict(self) -> dict[str, Any]:
        return {"answers": [a.to_dict() for a in self.answers], "hub_time": self.hub_time}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PushResult:
        try:
            return cls(tuple(Answer.from_dict(a) for a in data["answers"]), str(data["hub_time"]))
        except (KeyError, TypeError) as exc:
            raise ProtocolError(RefusalCode.MALFORMED, f"trả lời gửi gói: {exc}") from None
