"""Apply one desk batch in one transaction and answer each event (ARCHITECTURE §4).

Order of judgement for each event, in seq order:

1. not of the batch's stream (desk, epoch) or seq < 1 → rejected at once;
2. the same event_uuid already applied or held: same hash and place → duplicate (or still held);
   otherwise, or another event at the same seq → rejected "conflict" (logged, kept for a human);
3. seq already passed by a rejection → the same rejection again; before the epoch's first seq
   → rejected "bad_seq";
4. otherwise it waits its turn: events are applied (or rejected for their content: hash, schema,
   kind, commune, payload) strictly in seq order from the stream's last final answer; one after
   a gap is held, and released when the gap is filled (by this batch or a later one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from desk_app.domain.events import Event
from desk_app.hub import rules
from desk_app.hub.storage import batches
from desk_app.hub.storage.database import Tx
from desk_app.domain.events import Answer as AnswerStatus
from desk_app.sync.protocol import Answer, BatchHeader, RejectCode, fast_canonical

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskFacts:
    desk_uuid: str
    unit_code: str


class _Pass:
    """What one batch does: answers by position in the batch, then the writes, made at the end."""

    def __init__(self) -> None:
        self.answers: dict[int, Answer] = {}  # batch position → answer
        self.by_seq: dict[int, Answer] = {}  # answers of events that took their turn (or wait)
        self.applied: list[Event] = []
        self.payloads: list[str] = []  # canonical JSON of each applied event's payload
        self.rejected: list[tuple[Event, str, str]] = []
        self.to_hold: list[Event] = []
        self.released: list[str] = []

    def rejection(self, event: Event, code: RejectCode, detail: str = "") -> Answer:
        answer = Answer.rejected(event.event_uuid, event.seq, code, detail)
        self.rejected.append((event, code.value, answer.reason or ""))
        if code is RejectCode.CONFLICT:
            log.warning("sync conflict kept for review: desk %s epoch %s seq %s event %s (%s)",
                        event.desk_uuid, event.epoch, event.seq, event.event_uuid, detail)
        return answer


def _place(event: Event, known: batches.Known) -> bool:
    return (known.desk_uuid, known.epoch, known.seq, known.payload_hash) == (
        event.desk_uuid, event.epoch, event.seq, event.payload_hash)


def _same(a: Event, b: Event) -> bool:
    return (a.event_uuid, a.seq, a.payload_hash) == (b.event_uuid, b.seq, b.payload_hash)


def apply_batch(tx: Tx, header: BatchHeader, events: list[Event], desk: DeskFacts, now: str) -> list[Answer]:
    """Judge and write a verified batch of ``desk``; returns one answer per event, in batch order."""
    run = _Pass()
    stream = (desk.desk_uuid, header.epoch)
    uuids = sorted({e.event_uuid for e in events})
    first_seq, through = batches.lock_stream(tx, desk.desk_uuid, header.epoch, header.epoch_first_seq)
    applied = batches.applied_events(tx, desk.desk_uuid, header.epoch, uuids, header.first_seq, header.last_seq)
    held, held_json = batches.held_events(tx, desk.desk_uuid, header.epoch, uuids)
    by_uuid = {k.event_uuid: k for k in [*applied, *held]}
    by_seq = {k.seq: k for k in [*applied, *held] if (k.desk_uuid, k.epoch) == stream}
    applied_uuids = {k.event_uuid for k in applied}
    held_uuids = {k.event_uuid for k in held}
    # Only an event at a seq already passed can be a re-sent rejection (a fresh push skips the read).
    passed = sorted({e.event_uuid for e in events if first_seq <= e.seq <= through})
    prior = batches.prior_rejections(tx, passed) if passed else {}

    waiting: dict[int, Event] = {}  # seq → the event that takes that turn
    in_line: dict[int, int] = {}  # batch position → seq it waits at
    seen: dict[str, int] = {}  # uuid → its first position in this batch
    for i, event in enumerate(events):
        first = seen.setdefault(event.event_uuid, i)
        if (problem := rules.check_stream(event, desk_uuid=desk.desk_uuid, epoch=header.epoch)) is not None:
            run.answers[i] = run.rejection(event, problem.code, problem.detail)
        elif first != i or event.seq in waiting:
            # The same event twice in one batch shares the first copy's answer.
            if first != i and _same(events[first], event) and first in run.answers:
                run.answers[i] = run.answers[first]
            elif first != i and _same(events[first], event) and first in in_line:
                in_line[i] = in_line[first]
            else:
                run.answers[i] = run.rejection(event, RejectCode.CONFLICT, "hai sự kiện trùng mã hoặc số thứ tự "
                                                                        "trong một gói")
        elif (known := by_uuid.get(event.event_uuid)) is not None:
            if not _place(event, known):
                run.answers[i] = run.rejection(event, RejectCode.CONFLICT,
                                               f"mã sự kiện {event.event_uuid} đã nhận với nội dung khác")
            elif event.event_uuid in applied_uuids:
                run.answers[i] = Answer(event.event_uuid, event.seq, AnswerStatus.DUPLICATE)
            else:  # held before: it takes its turn again
                waiting[event.seq], in_line[i] = event, event.seq
        elif (other := by_seq.get(event.seq)) is not None:
            run.answers[i] = run.rejection(event, RejectCode.CONFLICT,
                                           f"số thứ tự {event.seq} đã dùng cho sự kiện {other.event_uuid}")
        elif event.seq <= through and event.seq >= first_seq:
            before = prior.get(event.event_uuid)
            if before is not None and (before.payload_hash, before.seq) == (event.payload_hash, event.seq):
                run.answers[i] = Answer(event.event_uuid, event.seq, AnswerStatus.REJECTED,
                                        RejectCode(before.code), before.reason)
            else:
                run.answers[i] = run.rejection(event, RejectCode.CONFLICT, f"số thứ tự {event.seq} đã được dùng")
        elif event.seq < first_seq:
            run.answers[i] = run.rejection(event, RejectCode.BAD_SEQ, f"kỳ dữ liệu bắt đầu từ số {first_seq}")
        else:
            waiting[event.seq], in_line[i] = event, event.seq

    # Held events of this stream wait their turn too (they answer the desk only when re-sent).
    for known in held:
        if (known.desk_uuid, known.epoch) == stream and known.seq not in waiting:
            waiting[known.seq] = Event.from_dict(_json(held_json[known.event_uuid]))
    through, known_dossiers = _take_turns(tx, run, waiting, through, desk)
    for seq in sorted(waiting):
        if seq > through:
            event = waiting[seq]
            run.by_seq[seq] = Answer(event.event_uuid, seq, AnswerStatus.HELD)
            if event.event_uuid not in held_uuids:
                run.to_hold.append(event)
    run.released = [e.event_uuid for e in run.applied if e.event_uuid in held_uuids]
    run.released += [e.event_uuid for e, _, _ in run.rejected if e.event_uuid in held_uuids]

    batches.insert_events(tx, run.applied, run.payloads, now)
    batches.project(tx, run.applied, now, known_dossiers)
    batches.record_rejections(tx, run.rejected, now)
    batches.release(tx, run.released)
    batches.hold(tx, run.to_hold, now)
    batches.set_stream(tx, desk.desk_uuid, header.epoch, through)
    batches.touch_desk(tx, desk.desk_uuid, now)
    return [run.answers[i] if i in run.answers else run.by_seq[in_line[i]] for i in range(len(events))]


def _take_turns(tx: Tx, run: _Pass, waiting: dict[int, Event], through: int,
                desk: DeskFacts) -> tuple[int, set[str]]:
    """Walk the stream from its last final answer while the next seq is here; return the new end
    and the dossiers the projection already held."""
    turn = []
    seq = through + 1
    while seq in waiting:
        turn.append(waiting[seq])
        seq += 1
    dossier_ids = sorted({e.entity_id for e in turn if e.kind in rules.DOSSIER_KINDS})
    owners = batches.dossier_units(tx, dossier_ids)
    known = set(owners)
    for event in turn:
        payload_json, hash_ok = fast_canonical(event.payload, event.payload_hash)
        problem = rules.check_content(event, hash_ok=hash_ok, desk_unit=desk.unit_code, dossier_units=owners)
        if problem is None:
            run.applied.append(event)
            run.payloads.append(payload_json.decode())
            run.by_seq[event.seq] = Answer(event.event_uuid, event.seq, AnswerStatus.APPLIED)
            if event.kind in rules.DOSSIER_KINDS:
                owners.setdefault(event.entity_id, event.unit_code)
        else:
            run.by_seq[event.seq] = run.rejection(event, problem.code, problem.detail)
    return seq - 1, known


def _json(text: str) -> dict[str, object]:
    import json

    data = json.loads(text)
    assert isinstance(data, dict)
    return data
