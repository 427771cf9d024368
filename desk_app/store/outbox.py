"""The outbox: events waiting for the hub, the hub's answers, and the push and pull cursors.

Events are written only by the recorder (store.recorder), in the transaction of their change.
The sync side reads them here in local order (``pending``), records what the hub answered per
event (``record_answers``), and moves the push cursor over the contiguous run of final answers
(``advance_push_cursor``). Nothing here is domain state: a dossier's state lives in its row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from desk_app.domain.events import Answer, Event, Kind, canonical_json, make_event
from desk_app.store import identity

if TYPE_CHECKING:  # the store builds the outbox aggregate: no import at run time
    from desk_app.store.store import Store

# The envelope's fields, in Event order (the row stores the payload as canonical JSON text).
_FIELDS = ("event_uuid", "desk_uuid", "epoch", "seq", "schema", "unit_code", "entity", "entity_id", "kind",
           "business_time", "device_time", "payload", "payload_hash")
_COLUMNS = ", ".join(_FIELDS)
_IN_LIMIT = 500  # uuids per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True)
class Cursor:
    """A position in an event stream: the desk's (push) or the hub's (pull)."""

    epoch: str
    seq: int


@dataclass(frozen=True)
class EventAnswer:
    """What the hub said about one event; ``reason`` is Vietnamese, for the receptionist."""

    event_uuid: str
    answer: Answer
    answered_at: dt.datetime
    code: str = ""
    reason: str = ""


class UnknownEvents(LookupError):
    """Answers for events this outbox never wrote: the hub answered someone else; nothing recorded."""

    def __init__(self, event_uuids: list[str]) -> None:
        super().__init__(", ".join(event_uuids))
        self.event_uuids = event_uuids


def _event(row: tuple[Any, ...]) -> Event:
    values = dict(zip(_FIELDS, row))
    values["payload"] = _payload(values["payload"])
    return Event(**values)


def _payload(text: str) -> Any:
    # orjson reads the canonical JSON the recorder wrote 4x faster than json (a push reads every
    # event); json.loads stays the fallback for what orjson refuses (integers beyond 64 bits).
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class Outbox:
    """The outbox of one desk database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        self._desk_uuid: str | None = None

    # identity -------------------------------------------------------------------------------

    def desk_uuid(self) -> str:
        if self._desk_uuid is None:  # never changes: read once
            self._desk_uuid = identity.desk_uuid(self.store)
        return self._desk_uuid

    def current_epoch(self) -> str:
        return identity.current_epoch(self.store)

    def start_new_epoch(self, *, at: dt.datetime, reason: str) -> str:
        """See identity.start_new_epoch: a restored backup must call this before recording."""
        return identity.start_new_epoch(self.store, at=at, reason=reason)

    # writing (the recorder's part) ----------------------------------------------------------

    def append(
        self,
        *,
        event_uuid: str,
        unit_code: str,
        kind: Kind,
        entity_id: str,
        payload: dict[str, Any],
        business_time: dt.datetime,
        device_time: dt.datetime,
    ) -> Event:
        """Write one event with the next sequence number of the current epoch.

        Call inside the transaction of the change it describes (the recorder does).
        """
        epoch = self.current_epoch()
        event = make_event(
            event_uuid=event_uuid, desk_uuid=self.desk_uuid(), epoch=epoch,
            seq=identity.take_seq(self.store, epoch), unit_code=unit_code, kind=kind, entity_id=entity_id,
            business_time=business_time, device_time=device_time, payload=payload,
        )
        self.db.execute(
            f"INSERT INTO outbox({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [event.event_uuid, event.desk_uuid, event.epoch, event.seq, event.schema, event.unit_code,
             event.entity, event.entity_id, event.kind, event.business_time, event.device_time,
             canonical_json(event.payload).decode(),
             event.payload_hash],
        )
        return event

    # reading (the sync side) ----------------------------------------------------------------

    def pending(self, limit: int = 500, *, after: str | None = None) -> list[Event]:
        """Events without a final answer yet, oldest first (held ones included: send them again);
        ``after``: only those written after that event (the next batch while one is in flight)."""
        if after is None:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE acked_at IS NULL ORDER BY id LIMIT ?", [limit]
            ).fetchall()
        else:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE acked_at IS NULL "
                "AND id > (SELECT id FROM outbox WHERE event_uuid = ?) ORDER BY id LIMIT ?", [after, limit]
            ).fetchall()
        return [_event(row) for row in rows]

    def pending_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()[0])

    def event(self, event_uuid: str) -> Event | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE event_uuid = ?", [event_uuid]).fetchone()
        return _event(row) if row else None

    def answered(self, answer: Answer) -> list[tuple[Event, EventAnswer]]:
        """The events whose latest answer is ``answer`` (e.g. the rejected ones, for a human)."""
        envelope = ", ".join(f"o.{f}" for f in _FIELDS)
        rows = self.db.execute(
            f"SELECT {envelope}, a.answered_at, a.code, a.reason FROM outbox_answers a "
            "JOIN outbox o USING (event_uuid) WHERE a.answer = ? ORDER BY o.id",
            [answer.value],
        ).fetchall()
        found = []
        for row in rows:
            event, (answered_at, code, reason) = _event(row[:len(_FIELDS)]), row[len(_FIELDS):]
            found.append((event, EventAnswer(event.event_uuid, answer, dt.datetime.fromisoformat(answered_at),
                                             code, reason)))
        return found

    # answers and cursors --------------------------------------------------------------------

    def record_answers(self, answers: Iterable[EventAnswer]) -> None:
        """Keep the hub's answer per event, in one transaction; a final answer acknowledges it.

        A later answer replaces an earlier one, except that "held" never replaces a final
        answer. Answers for unknown events raise UnknownEvents and nothing is recorded.
        """
        answers = list(answers)
        uuids = [a.event_uuid for a in answers]
        with self.store.transaction():
            known: set[str] = set()
            for i in range(0, len(uuids), _IN_LIMIT):
                chunk = uuids[i:i + _IN_LIMIT]
                known.update(row[0] for row in self.db.execute(
                    f"SELECT event_uuid FROM outbox WHERE event_uuid IN ({', '.join('?' * len(chunk))})", chunk))
            unknown = [u for u in uuids if u not in known]
            if unknown:
                raise UnknownEvents(unknown)
            # Set-wise: a batch's answers are a thousand rows, written in statement order.
            rows = [(a.event_uuid, a.answer.value, a.code, a.reason, a.answered_at.isoformat(timespec="seconds"))
                    for a in answers]
            self.db.conn.executemany(
                "INSERT INTO outbox_answers(event_uuid, answer, code, reason, answered_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(event_uuid) DO UPDATE SET answer = excluded.answer, code = excluded.code, "
                "reason = excluded.reason, answered_at = excluded.answered_at "
                "WHERE excluded.answer != 'held' OR outbox_answers.answer = 'held'",
                rows,
            )
            self.db.conn.executemany(
                "UPDATE outbox SET acked_at = ? WHERE event_uuid = ? AND acked_at IS NULL",
                [(row[4], row[0]) for row, a in zip(rows, answers) if a.answer.is_final],
            )

    def push_cursor(self) -> Cursor | None:
        """The last event that it and every event before it have final answers (None: none yet)."""
        return self._cursor("push")

    def advance_push_cursor(self, *, at: dt.datetime) -> Cursor | None:
        """Move the push cursor to the end of the contiguous run of acknowledged events.

        It never moves back, and never over an event still without a final answer (a held one,
        or one never answered), even if later events were acknowledged.
        """
        with self.store.transaction():
            first_open = self.db.execute("SELECT min(id) FROM outbox WHERE acked_at IS NULL").fetchone()[0]
            if first_open is None:
                row = self.db.execute("SELECT id, epoch, seq FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
            else:
                row = self.db.execute(
                    "SELECT id, epoch, seq FROM outbox WHERE id < ? ORDER BY id DESC LIMIT 1", [first_open]
                ).fetchone()
            current = self.push_cursor()
            if row is None:
                return current
            if current is not None:
                now_at = self.db.execute(
                    "SELECT id FROM outbox WHERE epoch = ? AND seq = ?", [current.epoch, current.seq]
                ).fetchone()
                if now_at is not None and now_at[0] >= row[0]:
                    return current
            return self._set_cursor("push", Cursor(row[1], row[2]), at)

    def pull_cursor(self) -> Cursor | None:
        """Where the last pull ended in the hub's change log (the hub's epoch and sequence)."""
        return self._cursor("pull")

    def set_pull_cursor(self, *, hub_epoch: str, hub_seq: int, at: dt.datetime) -> Cursor:
        """Record the hub position pulled up to; a new hub epoch replaces the old (resync)."""
        with self.store.transaction():
            return self._set_cursor("pull", Cursor(hub_epoch, hub_seq), at)

    def _cursor(self, name: str) -> Cursor | None:
        row = self.db.execute("SELECT epoch, seq FROM sync_cursors WHERE name = ?", [name]).fetchone()
        return Cursor(row[0], row[1]) if row else None

    def _set_cursor(self, name: str, cursor: Cursor, at: dt.datetime) -> Cursor:
        self.db.execute(
            "INSERT INTO sync_cursors(name, epoch, seq, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, updated_at = excluded.updated_at",
            [name, cursor.epoch, cursor.seq, at.isoformat(timespec="seconds")],
        )
        return cursor
