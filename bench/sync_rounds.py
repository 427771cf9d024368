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
   ("push_back", timed too).

Each round has its wall time and its CPU time: this process (the desk) plus the hub server
and ``server_pids`` (PostgreSQL's postmaster) with their children.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sync_desk
from desk_app.domain.dossier import Status
from desk_app.hub.service import Hub
from desk_app.services.desk import Desk
from desk_app.services.sync import SyncProgress, enroll, sync_now
from desk_app.sync.client import HubClient
from desk_app.sync.protocol import AnswerStatus, Envelope, PushResult
from peers import cpu
from peers.hub_server import enrolment_code, hub_serve, stats

# What the hub's stats count; a re-send must leave every one of them as it was.
COUNTED = ("events", "dossiers", "held", "rejected", "updates")


@dataclass(frozen=True)
class Round:
    """One timed round: ``count`` events or updates in ``seconds`` (wall) and ``cpu_seconds``
    (every process of the round)."""

    name: str
    count: int
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    @property
    def cpu_rate(self) -> float:
        return self.count / self.cpu_seconds


@dataclass(frozen=True)
class _Mark:
    wall: float
    cpu: float


class _Meter:
    """Wall and CPU readings: this process plus the servers' process trees."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids

    def mark(self) -> _Mark:
        return _Mark(time.perf_counter(), time.process_time() + cpu.tree_seconds(self.pids))

    def round(self, name: str, count: int, start: _Mark, end: _Mark) -> Round:
        return Round(name, count, end.wall - start.wall, end.cpu - start.cpu)


class _Phases:
    """A ``sync_now`` progress callback marking when each phase (push, pull) starts."""

    def __init__(self, meter: _Meter) -> None:
        self.meter = meter
        self.starts: list[tuple[str, _Mark]] = []

    def __call__(self, progress: SyncProgress) -> None:
        if not self.starts or self.starts[-1][0] != progress.phase:
            self.starts.append((progress.phase, self.meter.mark()))

    def begun(self, phase: str, nth: int = 0) -> _Mark:
        return [mark for name, mark in self.starts if name == phase][nth]


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


def measure_hub(label: str, db_url: str, desk_path: Path, folder: Path, *, batch_size: int, decisions: int,
                server_pids: tuple[int, ...] = ()) -> list[Round]:
    """Push, re-send and pull against a hub served on ``db_url``; the desk database at
    ``desk_path`` must have every event pending. Raises AssertionError if the hub lost,
    doubled or refused anything."""
    with hub_serve(db_url, folder) as served:
        meter = _Meter([served.pid, *server_pids])
        desk = sync_desk.open_desk(desk_path)
        try:
            enroll(desk, served.base, enrolment_code(db_url, sync_desk.sync_data.UNIT_CODE, 1))
            pushed, batches = _push(label, db_url, desk, meter, batch_size)
            return [pushed, _resend(label, db_url, served.base, meter, batches),
                    *_pull(label, db_url, desk, meter, batch_size, decisions)]
        finally:
            desk.store.close()


def _push(label: str, db_url: str, desk: Desk, meter: _Meter, batch_size: int) -> tuple[Round, list[Envelope]]:
    pending = desk.recorder.outbox.pending_count()
    sent: list[Envelope] = []
    phases = _Phases(meter)
    _note(f"{label}: pushing {pending} events in batches of {batch_size} ...")
    start = meter.mark()
    report = sync_now(desk, progress=phases, connect=lambda url: _KeepingClient(url, sent), batch_size=batch_size)
    assert (report.applied, report.duplicate, report.rejected, report.held) == (pending, 0, 0, 0), report
    counted = stats(db_url)
    assert counted["events"] == pending and counted["held"] == counted["rejected"] == 0, counted
    return meter.round(f"{label}_push", pending, start, phases.begun("pull")), sent


def _resend(label: str, db_url: str, base: str, meter: _Meter, batches: list[Envelope]) -> Round:
    before = stats(db_url)
    answers: dict[str, int] = {}
    _note(f"{label}: re-sending the same {len(batches)} batches ...")
    with HubClient(base) as client:
        start = meter.mark()
        for batch in batches:
            for answer in client.push(batch).answers:
                answers[answer.status.value] = answers.get(answer.status.value, 0) + 1
        end = meter.mark()
    after = stats(db_url)
    sent = sum(int(b.header["count"]) for b in batches)
    assert answers == {AnswerStatus.DUPLICATE.value: sent}, answers
    # Nothing applied: every count on the hub is what it was before the re-send.
    assert {k: after[k] for k in COUNTED} == {k: before[k] for k in COUNTED}, (before, after)
    _note(f"{label}: re-send answered {answers}; hub counts unchanged {({k: after[k] for k in COUNTED})}")
    return meter.round(f"{label}_resend", sent, start, end)


def _pull(label: str, db_url: str, desk: Desk, meter: _Meter, batch_size: int, decisions: int) -> list[Round]:
    codes = [row[0] for row in desk.store.db.execute(
        "SELECT code FROM dossiers ORDER BY id LIMIT ?", [decisions]).fetchall()]
    hub = Hub.open(db_url)
    try:
        start = time.perf_counter()
        hub.decide_many(codes, Status.RESULT_READY, note="Đã ký", by="UBND xã (sync-bench)")
        _note(f"{label}: {len(codes)} decisions recorded on the hub in {time.perf_counter() - start:.1f} s (not timed)")
    finally:
        hub.close()
    phases = _Phases(meter)
    _note(f"{label}: pulling {len(codes)} decisions ...")
    report = sync_now(desk, progress=phases, batch_size=batch_size)
    end = meter.mark()
    assert (report.pulled, report.updates_applied, report.problems) == (len(codes), len(codes), []), report
    assert report.applied == len(codes) and report.pending == 0, report
    ready = desk.store.db.execute("SELECT count(*) FROM dossiers WHERE status = ?",
                                  [Status.RESULT_READY.value]).fetchone()[0]
    assert ready == len(codes), ready
    pulled, back = phases.begun("pull"), phases.begun("push", 1)
    return [meter.round(f"{label}_pull", len(codes), pulled, back),
            meter.round(f"{label}_push_back", report.applied, back, end)]
