"""One hub's rounds of the sync benchmark: push, re-send, pull, over HTTP with the real client.

Against a ``desk-app hub serve`` process on ``db_url``:

1. **push**: the desk enrols (``desk-app hub enroll`` code, ``services.sync.enroll``), then
   ``sync_now`` sends its whole outbox (batches of ``batch_size``); timed until the pull phase
   starts. Every event must be answered "applied" and the hub's stats must count them.
2. **re-send**: the very same signed batches (kept as the client sent them) go again through
   ``HubClient.push``; every answer must be "duplicate" and the hub's stats must not move: no
   row applied.
3. **pull**: the hub decides ``decisions`` of the desk's dossiers in one transaction (not
   timed); ``sync_now`` pulls them and applies each on the desk (its status through the
   recorder, with an outbox event and audit entry); timed from the start of the pull phase to
   the start of the push that follows. That push sends the desk's status changes back
   ("push-back", timed too).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sync_desk
from desk_app.domain.dossier import Status
from desk_app.hub.service import Hub
from desk_app.services.sync import SyncProgress, enroll, sync_now
from desk_app.sync.client import HubClient
from desk_app.sync.protocol import AnswerStatus, Envelope, PushResult
from peers.hub_server import enrolment_code, hub_serve, stats

# What the hub's stats count; a re-send must leave every one of them as it was.
COUNTED = ("events", "dossiers", "held", "rejected", "updates")


@dataclass(frozen=True)
class Round:
    """One timed round: ``count`` events or updates in ``seconds``."""

    name: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds


class _Phases:
    """A ``sync_now`` progress callback noting when each phase (push, pull) starts."""

    def __init__(self) -> None:
        self.starts: list[tuple[str, float]] = []

    def __call__(self, progress: SyncProgress) -> None:
        if not self.starts or self.starts[-1][0] != progress.phase:
            self.starts.append((progress.phase, time.perf_counter()))

    def begun(self, phase: str, nth: int = 0) -> float:
        return [at for name, at in self.starts if name == phase][nth]


class _KeepingClient(HubClient):
    """The real HTTP client, keeping every batch it pushed in ``sent`` (to send the same bytes again)."""

    def __init__(self, hub_url: str, sent: list[Envelope]) -> None:
        super().__init__(hub_url)
        self.sent = sent

    def push(self, batch: Envelope) -> PushResult:
        result = super().push(batch)
        self.sent.append(batch)
        return result


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_hub(label: str, db_url: str, desk_path: Path, folder: Path, *, batch_size: int,
                decisions: int) -> list[Round]:
    """Push, re-send and pull against a hub served on ``db_url``; the desk database at
    ``desk_path`` must have every event pending. Raises AssertionError if the hub lost,
    doubled or refused anything."""
    with hub_serve(db_url, folder) as base:
        desk = sync_desk.open_desk(desk_path)
        try:
            enroll(desk, base, enrolment_code(db_url, sync_desk.sync_data.UNIT_CODE, 1))
            pushed, batches = _push(label, db_url, desk, batch_size)
            return [pushed, _resend(label, db_url, base, batches), *_pull(label, db_url, desk, batch_size, decisions)]
        finally:
            desk.store.close()


def _push(label: str, db_url: str, desk: Any, batch_size: int) -> tuple[Round, list[Envelope]]:
    pending = desk.recorder.outbox.pending_count()
    sent: list[Envelope] = []
    phases = _Phases()
    _note(f"{label}: pushing {pending} events in batches of {batch_size} ...")
    start = time.perf_counter()
    report = sync_now(desk, progress=phases, connect=lambda url: _KeepingClient(url, sent), batch_size=batch_size)
    seconds = phases.begun("pull") - start
    assert (report.applied, report.duplicate, report.rejected, report.held) == (pending, 0, 0, 0), report
    counted = stats(db_url)
    assert counted["events"] == pending and counted["held"] == counted["rejected"] == 0, counted
    return Round(f"{label}_push", pending, seconds), sent


def _resend(label: str, db_url: str, base: str, batches: list[Envelope]) -> Round:
    before = stats(db_url)
    answers: dict[str, int] = {}
    _note(f"{label}: re-sending the same {len(batches)} batches ...")
    with HubClient(base) as client:
        start = time.perf_counter()
        for batch in batches:
            for answer in client.push(batch).answers:
                answers[answer.status.value] = answers.get(answer.status.value, 0) + 1
        seconds = time.perf_counter() - start
    after = stats(db_url)
    sent = sum(int(b.header["count"]) for b in batches)
    assert answers == {AnswerStatus.DUPLICATE.value: sent}, answers
    # Nothing applied: every count on the hub is what it was before the re-send.
    assert {k: after[k] for k in COUNTED} == {k: before[k] for k in COUNTED}, (before, after)
    _note(f"{label}: re-send answered {answers}; hub counts unchanged {({k: after[k] for k in COUNTED})}")
    return Round(f"{label}_resend", sent, seconds)


def _pull(label: str, db_url: str, desk: Any, batch_size: int, decisions: int) -> list[Round]:
    codes = [row[0] for row in desk.store.db.execute(
        "SELECT code FROM dossiers ORDER BY id LIMIT ?", [decisions]).fetchall()]
    hub = Hub.open(db_url)
    try:
        start = time.perf_counter()
        hub.decide_many(codes, Status.RESULT_READY, note="Đã ký", by="UBND xã (sync-bench)")
        _note(f"{label}: {len(codes)} decisions recorded on the hub in {time.perf_counter() - start:.1f} s (not timed)")
    finally:
        hub.close()
    phases = _Phases()
    _note(f"{label}: pulling {len(codes)} decisions ...")
    report = sync_now(desk, progress=phases, batch_size=batch_size)
    end = time.perf_counter()
    pulled_at, back_at = phases.begun("pull"), phases.begun("push", 1)
    assert (report.pulled, report.updates_applied, report.problems) == (len(codes), len(codes), []), report
    assert report.applied == len(codes) and report.pending == 0, report
    ready = desk.store.db.execute("SELECT count(*) FROM dossiers WHERE status = ?",
                                  [Status.RESULT_READY.value]).fetchone()[0]
    assert ready == len(codes), ready
    return [Round(f"{label}_pull", len(codes), back_at - pulled_at), Round(f"{label}_push_back", report.applied,
                                                                         end - back_at)]
